"""Shared fixtures: whole sites from a dict of files, the CLI in-process, a static server,
and real headless Chromium (Debian's package, never a downloaded browser)."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.cli.main import main as cli_main

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

SITE_YAML = """\
title: 测试案例库
base_url: /
categories: [农村, 社区, 机关, 企业]
actions:
  - name: 平安建设
    description: 排查化解矛盾纠纷
  - name: 强村富民
    description: 壮大集体经济
review:
  min_body_chars: 0          # test cases are a line long; the length rule has tests of its own
"""

SITE_MD = """\
---
title: 西翟村
kind: 村
town: 城关镇
---

西翟村简介。
"""


def case_md(title: str = "西翟村议事平台", site: str = "xizhai-cun", date: str = "2024-05-01",
            category: str = "农村", body: str = "## 基本情况\n\n村里搭建了议事平台。\n", **extra: str) -> str:
    lines = ["---", f"title: {title}", f"site: {site}", f"date: {date}", f"category: {category}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n---\n\n" + body


def record_review(root: Path, rel: str, *stages: str, by: str = "审核人", day: str = "2024-06-01") -> None:
    """Record review stages on a file as `showcase review` does, each with the digest of the text
    it approves (a review written by hand carries none, and counts as stale)."""
    import datetime as dt
    from builder.config import load_config
    from builder.editors.review import record
    site, problems = load_config(root)
    assert not [p for p in problems if p.is_error], problems
    for stage in stages:
        done, found = record(root, root / rel, rel, stage, by, dt.date.fromisoformat(day), site)
        assert done is not None, [p.format("en") for p in found]


def review_digest_of(root: Path, rel: str) -> str:
    """The digest `showcase review` would record for the file now."""
    from builder.config import load_config
    from builder.content.load import load_one
    from builder.gate.standing import current_digest
    site, _ = load_config(root)
    item, problems = load_one(root, rel, site)
    assert item is not None, problems
    return current_digest(root, item)


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site({'content/cases/a/index.md': '...'}) -> site root with site.yaml and one model site."""
    def make(files: dict[str, str | bytes] | None = None, site_yaml: str | None = SITE_YAML,
             with_model_site: bool = True, name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        base: dict[str, str | bytes] = {}
        if site_yaml is not None:
            base["site.yaml"] = site_yaml
        if with_model_site:
            base["content/sites/xizhai-cun/index.md"] = SITE_MD
        for rel, data in {**base, **(files or {})}.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8", newline="\n")
        return root
    return make


@pytest.fixture(scope="session")
def sample_cache(tmp_path_factory) -> Path:
    """The sample site's .cache, made once per test session: its 36 photos are processed once,
    and every test that builds a copy of the sample starts warm."""
    root = tmp_path_factory.mktemp("sample-warm")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    assert run_cli("build", "--source", root, "-q").code == 0
    return root / ".cache"


@pytest.fixture
def copy_site(tmp_path: Path, request):
    """A private copy of a site under tests/sites/, or of the repo's sample site ('sample')."""
    def copy(name: str) -> Path:
        target = tmp_path / name
        if name == "sample":
            target.mkdir()
            shutil.copy(REPO / "site.yaml", target / "site.yaml")
            shutil.copytree(REPO / "content", target / "content")
            shutil.copytree(request.getfixturevalue("sample_cache"), target / ".cache")
        else:
            shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns(".cache", "output"))
        return target
    return copy


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> CliResult:
    """The `showcase` command, in-process (fast), with its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main([str(a) for a in args])
        except SystemExit as exc:       # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path: to prove that nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture
def static_server():
    """static_server(folder) -> 'http://127.0.0.1:PORT/'; python -m http.server, stopped by handle."""
    procs: list[subprocess.Popen] = []

    def start(folder: Path) -> str:
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                 "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        base = f"http://127.0.0.1:{port}/"
        wait_for_http(base)
        return base

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


# --- the sample site, served -------------------------------------------------------------------

SAMPLE_PAGES = ["", "cases/", "cases/fuxi-yehua/", "sites/", "sites/xizhai-cun/", "pages/chuangjian-gaikuang/",
         "categories/", "actions/", "tags/", "subscribe/", "404.html"]


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory, request):
    """The sample site, built once under a subpath and served by http.server."""
    www = tmp_path_factory.mktemp("www")
    root = tmp_path_factory.mktemp("sample")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(request.getfixturevalue("sample_cache"), root / ".cache")
    result = run_cli("build", "--source", root, "--output", www / "showcase", "--base-url", "https://example.gov.cn/showcase/")
    assert result.code == 0, result.err
    return www


@pytest.fixture(scope="session")
def served(sample_url):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(sample_url)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/showcase/"
    wait_for_http(base)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


# --- real Chromium ------------------------------------------------------------------------------

def _chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run under CI: {reason}")
        pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


# --- the booklet's PDF engine (issue 16) --------------------------------------------------------

@pytest.fixture(scope="session")
def browser_path() -> Path:
    """The browser `showcase booklet` prints with, found as the command finds it."""
    from builder.booklet.browser import find_browser
    found = find_browser(CHROMIUM if Path(CHROMIUM).exists() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("booklet tests must run under CI: no Chromium (apt-get install chromium)")
        pytest.skip("BOOKLET PDF TESTS SKIPPED: no Chromium, Chrome or Edge")
    return found


# What a failed `showcase build` says last, under the count: its output folder was not touched.
KEPT_ZH = "    提示：输出文件夹还是上一次构建成功时的样子，一个文件也没有改动。改好上面的问题，再构建一次。\n"
KEPT_EN = ("    hint: the output folder is as the last good build left it (no file in it was changed); "
           "fix the problems above and build again.\n")
