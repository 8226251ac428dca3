"""`showcase serve` as a user meets it: a real server in a subprocess, real edits on disk,
real HTTP, and one real browser. Every wait polls towards a deadline; no test asserts timing."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, SITE_MD, SITE_YAML, case_md, free_port

DEADLINE = 20.0          # seconds; generous for a loaded CI machine, never reached when things work


@dataclass
class Page:
    status: int
    text: str


@dataclass
class Server:
    proc: subprocess.Popen
    root: Path
    base: str            # 'http://127.0.0.1:PORT'
    port: int
    log: Path

    def get(self, path: str) -> Page:
        try:
            with urllib.request.urlopen(self.base + path, timeout=DEADLINE) as response:
                return Page(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            return Page(exc.code, exc.read().decode("utf-8"))

    def raw(self, path: str, method: str = "GET") -> tuple[int, bytes]:
        """A request with the path exactly as given: no client-side '..' clean-up."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_for(self, path: str, check: Callable[[Page], bool], what: str) -> Page:
        return poll(lambda: self.get(path), check, f"{path}: {what}", self)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None


def poll(fetch: Callable[[], Page], check: Callable[[Page], bool], what: str, server: Server | None = None) -> Page:
    deadline = time.monotonic() + DEADLINE
    last = None
    while time.monotonic() < deadline:
        try:
            last = fetch()
            if check(last):
                return last
        except OSError as exc:
            last = exc
        time.sleep(0.05)
    log = server.output() if server else ""
    pytest.fail(f"gave up waiting for {what}; last answer: {str(last)[:400]}\nserver log:\n{log}")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def start_server(root: Path, logs: Path, *args: str, ready: str = "/") -> Server:
    """`showcase serve` in a subprocess on a free port, returned once its first build is done."""
    port = free_port()
    log = logs / f"serve-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", str(root),
                                 "--port", str(port), *args],
                                cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(proc, root, f"http://127.0.0.1:{port}", port, log)
    # Requests wait for the first build, so one answer means the preview is ready.
    try:
        poll(lambda: server.get(ready), lambda page: page.status in (200, 500), "the first build", server)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server) -> None:
    if server.alive():
        server.proc.terminate()
        server.proc.wait(timeout=10)


@pytest.fixture
def serve(tmp_path: Path):
    """serve(root, *args) -> a running Server of its own; stopped by its handle."""
    started: list[Server] = []

    def start(root: Path, *args: str, ready: str = "/") -> Server:
        started.append(start_server(root, tmp_path, *args, ready=ready))
        return started[-1]

    yield start
    for server in started:
        stop_server(server)


@pytest.fixture(scope="module")
def untouched(tmp_path_factory):
    """One server for the tests that only read: a published case, a draft and a future case."""
    root = tmp_path_factory.mktemp("untouched")
    for rel, text in {"site.yaml": SITE_YAML, "content/sites/xizhai-cun/index.md": SITE_MD,
                      "content/cases/a/index.md": case_md(title="甲案例", body="## 基本情况\n\n第一版正文。\n"),
                      "content/cases/d/index.md": case_md(title="草稿案例", draft="true"),
                      "content/cases/f/index.md": case_md(title="将来的案例", date="2999-01-01")}.items():
        write(root / rel, text)
    server = start_server(root, root.parent)
    yield server
    stop_server(server)


@pytest.fixture
def site(make_site):
    return make_site({"content/cases/a/index.md": case_md(title="甲案例", body="## 基本情况\n\n第一版正文。\n")})


# --- edits ---------------------------------------------------------------------------------------

def test_an_edit_is_served_without_restarting_and_pages_carry_the_reload_script(serve, site):
    server = serve(site)
    page = server.get("/cases/a/")
    assert page.status == 200 and "第一版正文" in page.text
    assert "livereload.js" in page.text

    write(site / "content/cases/a/index.md", case_md(title="甲案例", body="## 基本情况\n\n第二版正文。\n"))

    page = server.wait_for("/cases/a/", lambda p: "第二版正文" in p.text, "the edited text")
    assert "第一版正文" not in page.text
    assert "livereload.js" in page.text
    assert server.get("/livereload.js").status == 200


def test_broken_front_matter_shows_the_error_page_and_the_fix_brings_the_site_back(serve, site):
    server = serve(site)
    index = site / "content/cases/a/index.md"
    write(index, case_md(title="甲案例", date="2024/05/01"))        # line 4: not YYYY-MM-DD

    page = server.wait_for("/cases/a/", lambda p: p.status == 500, "the error page")
    assert "网站没有更新：发现 1 个问题" in page.text
    assert "content/cases/a/index.md" in page.text
    assert "第 4 行" in page.text
    assert "2024/05/01" in page.text
    assert "自动刷新" in page.text
    assert "livereload.js" in page.text
    # Every page shows it, not only the broken case's, and the server is still up.
    assert "网站没有更新" in server.get("/").text
    assert server.alive()
    assert "content/cases/a/index.md:4: " in server.output()

    write(index, case_md(title="甲案例", body="修好了。\n"))
    page = server.wait_for("/cases/a/", lambda p: p.status == 200 and "修好了" in p.text, "recovery")
    assert "网站没有更新" not in page.text


def test_the_error_page_speaks_english_with_lang_en(serve, site):
    write(site / "content/cases/a/index.md", "---\ntitle: [unclosed\n---\n\nbody\n")
    server = serve(site, "--lang", "en")
    page = server.get("/cases/a/")
    assert page.status == 500
    assert "The site was not updated: 1 problem found" in page.text
    assert "content/cases/a/index.md" in page.text
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", page.text)      # the case's text is not quoted here


def test_a_case_added_is_served_and_a_case_deleted_is_gone(serve, site):
    server = serve(site)
    assert server.get("/cases/b/").status == 404

    write(site / "content/cases/b/index.md", case_md(title="乙案例", body="新加的案例。\n"))
    server.wait_for("/cases/b/", lambda p: p.status == 200 and "新加的案例" in p.text, "the new case")
    assert "乙案例" in server.get("/cases/").text

    (site / "content/cases/b/index.md").unlink()
    (site / "content/cases/b").rmdir()
    server.wait_for("/cases/b/", lambda p: p.status == 404, "the deleted case to be gone")
    assert "乙案例" not in server.get("/cases/").text


def test_a_renamed_case_folder_moves_to_its_new_address(serve, site):
    server = serve(site)
    (site / "content/cases/a").rename(site / "content/cases/a2")
    server.wait_for("/cases/a2/", lambda p: p.status == 200, "the renamed case")
    assert server.get("/cases/a/").status == 404


def test_a_new_template_file_in_templates_is_picked_up(serve, site):
    server = serve(site)
    theme_case = (REPO / "themes/default/templates/case.html").read_text(encoding="utf-8")
    assert theme_case.count("{% block content %}") == 1
    write(site / "templates/case.html", theme_case.replace("{% block content %}", "{% block content %}<p>本站模板</p>"))
    server.wait_for("/cases/a/", lambda p: "本站模板" in p.text, "the site's own template")


# --- what is served, and where -------------------------------------------------------------------

def test_a_site_under_a_subpath_is_served_under_the_same_prefix(serve, make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="甲案例")},
                     site_yaml=SITE_YAML.replace("base_url: /", "base_url: https://x.gov.cn/showcase/"))
    server = serve(root, ready="/showcase/")
    assert server.raw("/")[0] == 302
    assert server.get("/").text == server.get("/showcase/").text      # urllib follows the redirect
    page = server.get("/showcase/cases/a/")
    assert page.status == 200 and 'href="/showcase/cases/"' in page.text
    assert server.get("/cases/a/").status == 404


def test_drafts_and_future_cases_are_previewed_with_a_banner_and_never_reach_the_output_folder(untouched):
    assert "草稿：这个案例尚未正式发布" in untouched.get("/cases/d/").text
    assert "定时发布：这个案例的日期还没到" in untouched.get("/cases/f/").text
    assert "定时发布：" not in untouched.get("/cases/d/").text
    assert "草稿：" not in untouched.get("/cases/a/").text
    assert not (untouched.root / "output").exists()
    assert (untouched.root / ".cache/preview/cases/d/index.html").is_file()


def test_preview_lists_flag_draft_and_scheduled_cases_on_their_cards(untouched):
    cards = {card.split('href="')[1].split('"')[0]: card for card in untouched.get("/cases/").text.split("<article")[1:]}
    assert '<span class="flag">草稿</span>' in cards["/cases/d/"]
    assert '<span class="flag">定时发布</span>' in cards["/cases/f/"]
    assert 'class="flag"' not in cards["/cases/a/"]


def test_no_drafts_previews_only_what_a_build_publishes(serve, make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="甲案例"),
                      "content/cases/d/index.md": case_md(title="草稿案例", draft="true")})
    server = serve(root, "--no-drafts")
    assert server.get("/cases/a/").status == 200
    assert server.get("/cases/d/").status == 404


TRAVERSALS = [
    "/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E%2Fsite.yaml", "/cases/../../site.yaml",
    "/..%2fsite.yaml", "/..%5csite.yaml", "/..%5Csite.yaml", "/..\\site.yaml", "/%5c..%5csite.yaml",
    "/cases/..%5c..%5csite.yaml", "//etc/passwd", "/%2fetc%2fpasswd", "/C:/Windows/win.ini",
    "/c:%5cwindows%5cwin.ini", "/%252e%252e/site.yaml", "/./site.yaml", "/site.yaml%00.html",
    "/content/cases/a/index.md", "/.cache/markdown.json", "/nul", "/con.html",
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_requests_that_try_to_leave_the_preview_folder_get_404(untouched, method):
    for path in TRAVERSALS:
        status, body = untouched.raw(path, method)
        assert status == 404, path
        assert b"categories:" not in body and b"root:" not in body, path


def test_a_request_naming_another_host_is_refused(untouched):
    connection = http.client.HTTPConnection("127.0.0.1", untouched.port, timeout=DEADLINE)
    connection.request("GET", "/cases/a/", headers={"Host": f"attacker.example:{untouched.port}"})
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 403 and "甲案例" not in body
    assert body == "禁止访问：请用 127.0.0.1 或 localhost 打开预览。\n"
    connection.close()


def test_head_requests_get_the_headers_of_the_page(untouched):
    status, body = untouched.raw("/cases/a/", "HEAD")
    assert status == 200 and body == b""


# --- the process ---------------------------------------------------------------------------------

def test_port_in_use_is_a_clear_message_naming_a_free_port(site, cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--source", site, "--port", port)
    assert result.code == 1
    match = re.search(rf"^端口 {port} 已被占用（也许另一个预览已经在运行）。\n请改用空闲的端口 (\d+)：showcase serve --port (\d+)$",
                      result.err, re.M)
    assert match, result.err
    assert match.group(1) == match.group(2) and int(match.group(1)) > port


def test_listening_on_all_addresses_warns_that_the_local_network_can_see_it(serve, site):
    server = serve(site, "--host", "0.0.0.0")
    assert "局域网" in server.output()


def test_a_folder_without_site_yaml_is_refused_at_once(tmp_path, cli):
    result = cli("serve", "--source", tmp_path, "--port", free_port())
    assert result.code == 1
    assert "找不到网站配置文件 site.yaml" in result.err


@pytest.mark.skipif(sys.platform == "win32", reason="a shebang script stands in for the browser")
def test_open_opens_the_preview_address_in_the_browser(make_site, tmp_path, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md(title="甲案例")},
                     site_yaml=SITE_YAML.replace("base_url: /", "base_url: https://x.gov.cn/showcase/"))
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!{sys.executable}\nimport sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n", encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", str(root), "--port", str(port), "--open"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        poll(lambda: Page(200, opened.read_text(encoding="utf-8") if opened.exists() else ""),
             lambda page: page.text != "", "the browser to be opened")
        assert opened.read_text(encoding="utf-8") == f"http://127.0.0.1:{port}/showcase/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is a console event on Windows, not a signal")
def test_ctrl_c_stops_the_preview_cleanly(serve, site):
    server = serve(site)
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=DEADLINE) == 0
    output = server.output()
    assert "已停止预览" in output
    assert "Traceback" not in output


# --- a real browser ------------------------------------------------------------------------------

@pytest.mark.browser
def test_an_open_page_reloads_by_itself_after_an_edit_and_after_a_fix(serve, site, page):
    server = serve(site)
    page.goto(server.base + "/cases/a/")
    assert "第一版正文" in page.inner_text("main")

    write(site / "content/cases/a/index.md", case_md(title="甲案例", body="## 基本情况\n\n浏览器里的新版本。\n"))
    page.wait_for_function("document.body.innerText.includes('浏览器里的新版本')", timeout=DEADLINE * 1000)

    write(site / "content/cases/a/index.md", "---\ntitle: 甲案例\nsite: xizhai-cun\n  date: 2024-05-01\n---\n")
    page.wait_for_function("document.title.includes('网站没有更新')", timeout=DEADLINE * 1000)
    assert "content/cases/a/index.md" in page.inner_text("body")

    write(site / "content/cases/a/index.md", case_md(title="甲案例", body="改好以后。\n"))
    page.wait_for_function("document.body.innerText.includes('改好以后')", timeout=DEADLINE * 1000)
