"""`showcase publish` as a person meets it: the gate (only a clean public build goes out), the
choice of target, secrets (never in site.yaml; asked at a real terminal without echo), and what
it says, in Chinese and in English. Folder targets on disk, and one FTP server for the terminal."""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SITE_YAML, case_md, record_review, snapshot
from publish_servers import ftp_server

IDEOGRAPH = re.compile("[\u3400-\u9fff]")


def site_yaml(targets: str, extra: str = "") -> str:
    return SITE_YAML + extra + "publish:\n  targets:\n" + targets


def folder_target(path: Path, name: str = "usb", more: str = "") -> str:
    return f"    - name: {name}\n      type: folder\n      path: {path.as_posix()}\n{more}"


CASES = {
    "content/cases/a/index.md": case_md("议事平台"),
    "content/cases/b/index.md": case_md("调解室", date="2024-04-01"),
}


def test_a_build_with_an_error_publishes_nothing(cli, make_site, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    root = make_site({"site.yaml": site_yaml(folder_target(usb / "site")), **CASES,
                      "content/cases/c/index.md": case_md("坏案例", category="工厂")})
    result = cli("publish", "--source", root)
    assert result.code == 1
    assert "类别“工厂”未在 site.yaml 的 categories 中定义" in result.err
    assert result.err.rstrip().endswith("没有发布：构建发现 1 个问题，请改正后再发布。线上的网站没有任何改动。")
    assert list(usb.iterdir()) == []


def test_an_output_folder_someone_else_filled_is_not_built_into_nor_published(cli, make_site, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    root = make_site({"site.yaml": site_yaml(folder_target(usb / "site")), **CASES,
                      "output/index.html": "<p>copied here by hand</p>"})
    result = cli("publish", "--source", root)
    assert result.code == 1
    assert "输出文件夹 output/ 已有其他文件，且不是 showcase 生成的" in result.err
    assert list(usb.iterdir()) == []
    assert (root / "output/index.html").read_text(encoding="utf-8") == "<p>copied here by hand</p>"


def test_drafts_scheduled_and_unreviewed_cases_never_leave_the_machine(cli, make_site, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    root = make_site({"site.yaml": site_yaml(folder_target(usb / "site"), extra="") .replace(
                          "publish:\n", "publish:\n  require_review: true\n"),
                      "content/cases/a/index.md": case_md("审完的案例"),
                      "content/cases/draft/index.md": case_md("草稿案例", draft="true"),
                      "content/cases/later/index.md": case_md("定时案例", date="2099-01-01"),
                      "content/cases/waiting/index.md": case_md("待审案例")})
    for reviewed in ("content/cases/a/index.md", "content/sites/xizhai-cun/index.md"):
        record_review(root, reviewed, "初审", "复审", "终审")
    result = cli("publish", "--source", root)
    assert result.code == 0, result.err
    assert "未发布 3 项：" in result.out
    published = snapshot(usb / "site")
    assert "cases/a/index.html" in published
    text = b"".join(published.values()).decode("utf-8", "replace")
    for held in ("草稿案例", "定时案例", "待审案例"):
        assert held not in text
    assert not [rel for rel in published if rel.startswith(("cases/draft/", "cases/later/", "cases/waiting/"))]


def test_a_password_in_site_yaml_is_refused_with_where_to_put_it(cli, make_site):
    targets = ("    - name: server\n      type: sftp\n      host: www.example.gov.cn\n      user: editor\n"
               "      path: /var/www\n      password: 123456\n")
    root = make_site({"site.yaml": site_yaml(targets), **CASES})
    result = cli("publish", "--source", root)
    assert result.code == 1
    assert "site.yaml:18: site.yaml 里不能写密码或密钥（“password”）" in result.err
    assert "设置环境变量 SHOWCASE_SERVER_PASSWORD" in result.err
    assert "123456" not in result.err + result.out
    built = cli("build", "--source", root)                  # the same file stops a build too: it must go
    assert built.code == 1 and "SHOWCASE_SERVER_PASSWORD" in built.err


def test_without_targets_or_with_an_unknown_name_it_says_what_site_yaml_has(cli, make_site, tmp_path):
    root = make_site({"site.yaml": SITE_YAML, **CASES})
    none = cli("publish", "--source", root)
    assert none.code == 1 and "site.yaml: site.yaml 里还没有设置发布目标（publish: targets:）" in none.err
    (root / "site.yaml").write_text(site_yaml(folder_target(tmp_path / "a", "usb") + folder_target(tmp_path / "b", "server")),
                                    encoding="utf-8")
    wrong = cli("publish", "usbb", "--source", root)
    assert wrong.code == 1
    assert "没有名为“usbb”的发布目标——是不是“usb”？" in wrong.err
    assert "site.yaml 里设置的发布目标有：usb、server。" in wrong.err


def test_a_missing_secret_outside_a_terminal_names_the_variable_to_set(cli, make_site, monkeypatch):
    monkeypatch.delenv("SHOWCASE_OSS_ACCESS_KEY", raising=False)
    monkeypatch.delenv("SHOWCASE_OSS_SECRET_KEY", raising=False)
    targets = ("    - name: oss\n      type: s3\n      endpoint: https://oss-cn-beijing.aliyuncs.com\n"
               "      bucket: hejin-showcase\n      region: oss-cn-beijing\n")
    root = make_site({"site.yaml": site_yaml(targets), **CASES})
    result = cli("publish", "--source", root)
    assert result.code == 1
    assert "发布到“oss”需要的 SHOWCASE_OSS_ACCESS_KEY、SHOWCASE_OSS_SECRET_KEY 没有设置" in result.err
    assert not (root / "output").exists()                   # asked before building, not after


def test_a_folder_target_inside_the_site_is_refused(cli, make_site):
    root = make_site({"site.yaml": site_yaml(folder_target(Path("output/copy"))), **CASES})
    result = cli("publish", "--source", root)
    assert result.code == 1
    assert "是网站自己的文件夹，或者在它里面、包含它" in result.err


def test_a_usb_copy_with_relative_links_opens_from_disk_and_says_so(cli, make_site, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    root = make_site({"site.yaml": site_yaml(folder_target(usb / "site", more="      relative: true\n"))
                      .replace("base_url: /", "base_url: https://example.gov.cn/showcase/"), **CASES})
    result = cli("publish", "--source", root)
    assert result.code == 0, result.err
    assert "在这个文件夹里双击 index.html，就能在浏览器里打开网站。" in result.out
    home = (usb / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="cases/a/"' in home or 'href="cases/a/index.html"' in home
    assert not (root / "output").exists()                   # the relative build is kept apart from output/
    built = cli("build", "--source", root)
    assert built.code == 0
    assert "https://example.gov.cn/showcase/" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_publishing_in_english_says_nothing_in_chinese(cli, make_site, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    root = make_site({"site.yaml": site_yaml(folder_target(usb / "site")), **CASES})
    for args in (("--dry-run",), (), ()):
        result = cli("publish", "--source", root, "--lang", "en", *args)
        assert result.code == 0, result.err
        assert not IDEOGRAPH.search(result.out + result.err), result.out + result.err
    assert "is up to date: none of its" in result.out
    missing = cli("publish", "nothing", "--source", root, "--lang", "en")
    assert missing.code == 1 and not IDEOGRAPH.search(missing.err)


def test_a_password_is_asked_at_a_real_terminal_without_showing_it(make_site, tmp_path):
    """`showcase publish` in a pseudo-terminal, as a person runs it: the question, typing the
    password (not echoed), then the publish to a real FTP server."""
    pty = pytest.importorskip("pty", reason="a pseudo-terminal needs a Unix system")
    server = ftp_server(tmp_path / "ftp", "editor", "typed-secret")
    server.start()
    try:
        (tmp_path / "ftp" / "root" / "www").mkdir()
        targets = (f"    - name: server\n      type: ftp\n      host: 127.0.0.1\n      port: {server.port}\n"
                   "      user: editor\n      path: /www\n")
        root = make_site({"site.yaml": site_yaml(targets), **CASES})
        env = {k: v for k, v in os.environ.items() if k != "SHOWCASE_SERVER_PASSWORD"}
        env["PYTHONPATH"] = str(REPO)
        pid, fd = pty.fork()
        if pid == 0:                                    # the child: showcase, in the terminal
            os.chdir(root)
            os.execve(sys.executable, [sys.executable, "-m", "builder", "publish"], env)
        screen = _read_until(fd, "的密码（输入的内容不显示）：")
        assert "请输入“server”（editor@127.0.0.1）的密码（输入的内容不显示）：" in screen
        os.write(fd, b"typed-secret\n")
        screen += _read_until(fd, None)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, screen
        assert "typed-secret" not in screen
        assert re.search(r"\r上传 \d+/\d+ 个文件，[\d.]+/[\d.]+ MB", screen)          # the progress line, then cleared
        assert "发布完成：新上传" in screen
        assert (tmp_path / "ftp" / "root" / "www" / "index.html").is_file()
    finally:
        server.kill()


def _read_until(fd: int, text: str | None, timeout: float = 60.0) -> str:
    """What the terminal shows, until `text` appears (None: until the program ends)."""
    import select
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:                                 # the program ended
            break
        if not chunk:
            break
        seen += chunk
        if text is not None and text in seen.decode("utf-8", "replace"):
            break
    return seen.decode("utf-8", "replace")
