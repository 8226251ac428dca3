"""The preview server around the requests: builds and their outcomes, ports, addresses, and
what the terminal says."""
from __future__ import annotations

import pytest

from builder.errors import Problem
from builder.i18n import Phrase
from builder.preview.responder import Preview
from builder.preview.server import next_free_port, port_is_free, server_url


def test_addresses_shown_to_the_user():
    assert server_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert server_url("0.0.0.0", 8000, "/showcase/") == "http://127.0.0.1:8000/showcase/"
    assert server_url("::1", 8000) == "http://[::1]:8000/"


def test_the_next_free_port_skips_a_taken_one():
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
        free = next_free_port("127.0.0.1", port - 1, tries=5)
        assert free is not None and free != port


# --- the builder ---------------------------------------------------------------------------------

class FakeHub:
    def __init__(self):
        self.reloads = []

    def reload(self, number):
        self.reloads.append(number)


@pytest.fixture
def site_builder(make_site):
    from conftest import case_md
    from builder.preview.server import Builder, preview_options
    root = make_site({"content/cases/a/index.md": case_md(title="甲案例")}).resolve()
    options = preview_options(root)
    events = []
    return Builder(root, options, Preview(options.output, "zh", lambda n: f"<!--{n}-->", first_number=0), FakeHub(),
                   events.append), events


def test_a_good_build_is_served_and_reloads_the_tabs(site_builder):
    from builder.preview.server import Rebuilt
    b, events = site_builder
    b.build()
    assert b.hub.reloads == [1]
    assert isinstance(events[-1], Rebuilt) and events[-1].first
    assert "甲案例" in b.preview.respond("/cases/a/").body.decode()


def test_a_build_that_changes_nothing_does_not_reload(site_builder):
    from builder.preview.server import Rebuilt
    b, events = site_builder
    b.build()
    b.build()
    assert b.hub.reloads == [1]
    assert isinstance(events[-1], Rebuilt) and not events[-1].reloaded


def test_a_failed_build_shows_its_problems_and_the_fix_brings_the_pages_back(site_builder):
    from conftest import case_md
    from builder.preview.server import BuildFailed, Rebuilding
    from builder.preview.watch import Changes
    b, events = site_builder
    b.build()
    index = b.root / "content/cases/a/index.md"
    index.write_text(case_md(title="甲案例", date="2024/05/01"), encoding="utf-8")
    b.build(Changes(modified=(str(index),)))
    assert events[-2] == Rebuilding(("content/cases/a/index.md",))
    assert isinstance(events[-1], BuildFailed) and events[-1].problems[0].line == 4
    assert b.preview.respond("/cases/a/").status == 500
    index.write_text(case_md(title="甲案例"), encoding="utf-8")
    b.build()
    assert b.preview.respond("/cases/a/").status == 200
    assert b.hub.reloads == [1, 2, 3]


def test_a_crash_in_showcase_itself_becomes_an_error_page_not_a_dead_preview(site_builder, monkeypatch):
    import builder.preview.server as serve
    b, events = site_builder
    monkeypatch.setattr(serve, "build_site", lambda *args: 1 / 0)
    b.build()
    assert isinstance(events[-1], serve.Crashed) and "ZeroDivisionError" in events[-1].detail
    body = b.preview.respond("/").body.decode()
    assert "showcase 程序本身出错了：ZeroDivisionError" in body


def test_a_terminal_that_fails_does_not_stop_the_builds(site_builder):
    b, _ = site_builder

    def broken(event):
        raise OSError("the terminal is gone")

    b.report = broken
    b.build()
    assert b.preview.respond("/cases/a/").status == 200


# --- what the terminal says (cli.py words the events) --------------------------------------------

def terminal(lang="zh"):
    import io
    from builder.cli.console import Console
    from builder.cli.serve import ServeReport
    out, err = io.StringIO(), io.StringIO()
    return ServeReport(Console(lang=lang, out=out, err=err)), out, err


def test_the_terminal_gives_the_address_and_warns_when_the_network_can_see_the_preview():
    from builder.preview.server import Listening
    report, out, err = terminal()
    report(Listening("http://127.0.0.1:8000/showcase/", public=False))
    assert out.getvalue() == ("预览地址：http://127.0.0.1:8000/showcase/\n"
                              "修改并保存文件后，浏览器里打开的页面会自动刷新。按 Ctrl+C 停止预览。\n")
    assert err.getvalue() == ""
    report(Listening("http://127.0.0.1:8000/", public=True, network_urls=("http://192.168.1.20:8000/",)))
    assert "局域网" in err.getvalue() and "同事的手机" in err.getvalue()
    assert out.getvalue().endswith("在同一网络的其他设备上打开：http://192.168.1.20:8000/\n")


def test_the_terminal_lists_the_problems_of_a_failed_build_like_build_does():
    from builder.preview.server import BuildFailed, Rebuilding
    report, out, err = terminal()
    report(Rebuilding(("content/cases/a/index.md", "content/cases/b/index.md", "site.yaml", "static/x.css")))
    assert "已修改：content/cases/a/index.md、content/cases/b/index.md、site.yaml 等 4 处，正在更新预览……" in out.getvalue()
    problem = Problem("content/cases/a/index.md", 4, "bad_date", {"value": "2024/1/2"})
    report(BuildFailed((problem,), first=False))
    lines = err.getvalue().splitlines()
    assert lines[0] == "content/cases/a/index.md:4: " + problem.message("zh")
    assert lines[2] == "构建失败：1 个问题"
    assert "预览页面上也列出了这些问题" in lines[3]


def test_the_terminal_speaks_english_with_lang_en():
    from builder.preview.server import Rebuilding
    report, out, _ = terminal("en")
    report(Rebuilding(("site.yaml",)))
    assert "Changed: site.yaml; updating the preview…" in out.getvalue()


def test_nothing_to_build_releases_the_requests_without_building(site_builder, monkeypatch):
    import builder.preview.server as serve
    from builder.preview.watch import Changes
    b, events = site_builder
    b.build()
    monkeypatch.setattr(serve, "build_site", lambda *args: 1 / 0)
    b.preview.hold()
    b.build(Changes())
    assert b.preview.respond("/cases/a/").status == 200
    assert len(events) == 1 and b.hub.reloads == [1]


# --- the edited page first -----------------------------------------------------------------------

def respond_soon(preview, path, seconds=10):
    """preview.respond(path) on another thread; None if it is still waiting after `seconds`."""
    import threading
    answers = []
    thread = threading.Thread(target=lambda: answers.append(preview.respond(path)), daemon=True)
    thread.start()
    thread.join(seconds)
    return answers[0] if answers else None


def test_the_edited_page_is_served_before_the_rest_of_the_build_is_done(site_builder, monkeypatch):
    import threading
    import builder.build
    from conftest import case_md
    from builder.preview.watch import Changes
    b, events = site_builder
    b.build()
    index = b.root / "content/cases/a/index.md"
    index.write_text(case_md(title="甲案例改"), encoding="utf-8")
    writing, go_on = threading.Event(), threading.Event()
    real_write = builder.build.write_outputs

    def slow_write(outputs, out_dir, *kept, **options):
        writing.set()
        assert go_on.wait(10)
        return real_write(outputs, out_dir, *kept, **options)

    monkeypatch.setattr(builder.build, "write_outputs", slow_write)
    build = threading.Thread(target=b.build, args=(Changes(modified=(str(index),)),))
    build.start()
    assert writing.wait(10)                          # every page rendered, nothing written yet
    page = respond_soon(b.preview, "/cases/a/")
    assert page is not None and page.status == 200 and "甲案例改" in page.body.decode() and b.hub.reloads == [1, 2]
    others = []
    other = threading.Thread(target=lambda: others.append(b.preview.respond("/cases/")))
    other.start()
    other.join(0.2)
    assert not others                                # the rest waits for the whole build
    go_on.set()
    build.join(10)
    other.join(10)
    assert "甲案例改" in others[0].body.decode()
    assert b.hub.reloads == [1, 2]                   # reloaded once, when the page was ready
    assert b.preview.respond("/cases/a/").body == page.body
    assert events[-1].reloaded


def test_a_build_that_fails_after_its_edited_page_was_served_withdraws_it_for_the_error_page(site_builder, monkeypatch):
    import builder.build
    from conftest import case_md
    from builder.errors import BuildError
    from builder.preview.server import BuildFailed
    from builder.preview.watch import Changes
    b, events = site_builder
    b.build()
    index = b.root / "content/cases/a/index.md"
    index.write_text(case_md(title="甲案例改"), encoding="utf-8")
    served = []

    def failing_write(outputs, out_dir, *kept, **options):
        served.append(respond_soon(b.preview, "/cases/a/", 2))     # the edited page is out already
        raise BuildError([Problem("", None, "output_write_failed", {"path": "", "reason": Phrase("os_disk_full")})])

    monkeypatch.setattr(builder.build, "write_outputs", failing_write)
    b.build(Changes(modified=(str(index),)))
    assert served[0] is not None and served[0].status == 200 and "甲案例改" in served[0].body.decode()
    assert isinstance(events[-1], BuildFailed)
    assert b.hub.reloads == [1, 2, 3]                # shown, then withdrawn
    page = b.preview.respond("/cases/a/")
    assert page.status == 500 and "磁盘空间已满" in page.body.decode() and "甲案例改" not in page.body.decode()


def test_an_edit_that_changes_no_page_shows_nothing_first(site_builder):
    from builder.preview.watch import Changes
    b, events = site_builder
    b.build()
    index = b.root / "content/cases/a/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")    # blank lines only
    b.build(Changes(modified=(str(index),)))
    assert b.hub.reloads == [1] and not events[-1].reloaded
