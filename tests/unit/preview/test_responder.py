"""What the preview answers, without a network: paths, pages, waiting for builds."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from builder.errors import Problem
from builder.i18n import Phrase
from builder.preview.responder import Preview, Target, allowed_host, content_type, inject, resolve_path, wants_html

# --- paths ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, prefix, expected", [
    ("/", "/", Target("file", rel="index.html")),
    ("/cases/x/", "/", Target("file", rel="cases/x/index.html")),
    ("/cases/x", "/", Target("file", rel="cases/x")),
    ("/static/style.abc.css", "/", Target("file", rel="static/style.abc.css")),
    ("/tags/%E6%9D%91/", "/", Target("file", rel="tags/村/index.html")),
    ("/showcase/cases/x/", "/showcase/", Target("file", rel="cases/x/index.html")),
    ("/showcase/", "/showcase/", Target("file", rel="index.html")),
    ("/showcase", "/showcase/", Target("redirect", location="/showcase/")),
    ("/", "/showcase/", Target("redirect", location="/showcase/")),
    ("/cases/x/", "/showcase/", Target("outside")),
    ("/showcasex/", "/showcase/", Target("outside")),
])
def test_request_paths_map_to_files_under_the_prefix(raw, prefix, expected):
    assert resolve_path(raw, prefix) == expected


@pytest.mark.parametrize("raw", [
    "/../site.yaml", "/a/../../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/site.yaml", "/..%2fsite.yaml",
    "/..%5csite.yaml", "/..%5Csite.yaml", "/..\\site.yaml", "/a\\..\\..\\site.yaml", "//etc/passwd",
    "/%2fetc%2fpasswd", "/a//b", "/C:/Windows/win.ini", "/c%3a/windows", "/./index.html", "/a/./b",
    "/x%00.html", "/x\x00", "/nul", "/con.html", "/com1.txt", "/LPT1", "/%ff%fe", "relative/path",
    "/showcase/../site.yaml",
])
def test_paths_that_could_leave_the_folder_are_refused(raw):
    assert resolve_path(raw, "/").kind in ("refused", "outside")
    assert resolve_path(raw, "/showcase/").kind in ("refused", "outside")


def test_percent_encoding_is_decoded_once_only():
    assert resolve_path("/%252e%252e/site.yaml", "/") == Target("file", rel="%2e%2e/site.yaml")


@pytest.mark.parametrize("rel, html", [("index.html", True), ("cases/x/index.html", True), ("cases/x", True),
                                       ("static/style.1.css", False), ("feed.xml", False), ("a/photo.jpg", False)])
def test_pages_are_told_from_other_files_by_their_name(rel, html):
    assert wants_html(rel) is html


@pytest.mark.parametrize("host, bind, allowed", [
    ("127.0.0.1:8000", "127.0.0.1", True), ("localhost:8000", "127.0.0.1", True), ("LOCALHOST", "127.0.0.1", True),
    ("[::1]:8000", "127.0.0.1", True), ("127.0.0.2:8000", "127.0.0.1", True), ("preview.localhost:8000", "127.0.0.1", True),
    ("evil.example:8000", "127.0.0.1", False), ("127.0.0.1.evil.example", "127.0.0.1", False),
    ("192.168.1.20:8000", "localhost", False), ("192.168.1.20:8000", "0.0.0.0", True), ("pc-17.local:8000", "0.0.0.0", True),
])
def test_on_this_computer_only_requests_must_name_this_computer(host, bind, allowed):
    assert allowed_host(host, bind) is allowed


@pytest.mark.parametrize("rel, kind", [("index.html", "text/html; charset=utf-8"), ("a.WEBP", "image/webp"),
                                       ("s/x.1.js", "text/javascript; charset=utf-8"), ("feed.xml", "application/xml; charset=utf-8"),
                                       ("blob", "application/octet-stream")])
def test_content_types(rel, kind):
    assert content_type(rel) == kind


def test_the_reload_script_goes_just_before_the_end_of_the_body():
    assert inject(b"<html><body><p>x</p></body></html>", "<s>") == b"<html><body><p>x</p><s></body></html>"
    assert inject(b"<p>x</p></html>", "<s>") == b"<p>x</p><s></html>"
    assert inject(b"<p>x</p>", "<s>") == b"<p>x</p><s>"


# --- the preview state ---------------------------------------------------------------------------

@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    out = tmp_path / "preview"
    (out / "cases/a").mkdir(parents=True)
    (out / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    (out / "cases/a/index.html").write_text("<html><body>甲</body></html>", encoding="utf-8")
    (out / "404.html").write_text("<html><body>not here</body></html>", encoding="utf-8")
    (out / "style.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return Preview(out, "zh", lambda build: f"<script>build {build}</script>", first_number=0)


def test_pages_are_served_with_the_reload_script_of_their_build(preview):
    preview.publish((), "/", changed=True)
    response = preview.respond("/cases/a/")
    assert response.status == 200
    assert response.body == "<html><body>甲<script>build 1</script></body></html>".encode()
    assert ("Cache-Control", "no-store") in response.headers


def test_other_files_are_served_as_they_are(preview):
    preview.publish((), "/", changed=True)
    response = preview.respond("/style.css")
    assert (response.status, response.body) == (200, b"body{}")
    assert ("Content-Type", "text/css; charset=utf-8") in response.headers


def test_a_folder_without_its_slash_is_redirected(preview):
    preview.publish((), "/", changed=True)
    assert preview.respond("/cases/a").headers == (("Location", "/cases/a/"),)


def test_missing_and_refused_paths_get_the_sites_404_page(preview):
    preview.publish((), "/", changed=True)
    for path in ("/nope/", "/../secret.txt", "/..%5csecret.txt"):
        response = preview.respond(path)
        assert response.status == 404
        assert b"not here" in response.body and b"secret" not in response.body


def test_with_problems_every_page_is_the_error_page_but_files_still_come_from_the_last_build(preview):
    preview.publish((), "/", changed=True)
    problem = Problem("content/cases/a/index.md", 4, "bad_date", {"value": "2024/1/2"})
    assert preview.publish((problem,), None, changed=True) == 2
    for path in ("/", "/cases/a/", "/cases/new-one/"):
        response = preview.respond(path)
        assert response.status == 500
        assert "网站没有更新：发现 1 个问题" in response.body.decode()
        assert response.body.endswith(b"<script>build 2</script></body>\n</html>\n")
    assert preview.respond("/style.css").body == b"body{}"


def test_an_unchanged_build_gets_no_new_number(preview):
    assert preview.publish((), "/", changed=True) == 1
    assert preview.publish((), "/", changed=False) is None
    assert b"build 1" in preview.respond("/").body


def test_requests_wait_while_a_build_runs(preview):
    preview.publish((), "/", changed=True)
    preview.hold()
    answered = threading.Event()
    bodies = []

    def request():
        bodies.append(preview.respond("/").body)
        answered.set()

    thread = threading.Thread(target=request)
    thread.start()
    assert not answered.wait(0.2)              # held while the build runs
    (preview.out_dir / "index.html").write_text("<html><body>new home</body></html>", encoding="utf-8")
    preview.publish((), "/", changed=True)
    assert answered.wait(5)
    thread.join()
    assert b"new home" in bodies[0] and b"build 2" in bodies[0]


def test_closing_releases_waiting_requests(preview):
    preview.hold()
    result = []
    thread = threading.Thread(target=lambda: result.append(preview.respond("/")))
    thread.start()
    preview.close()
    thread.join(5)
    assert result[0].status == 503


def test_the_prefix_follows_the_last_good_build(preview):
    preview.publish((), "/showcase/", changed=True)
    assert preview.respond("/").status == 302
    assert preview.respond("/showcase/cases/a/").status == 200
    problem = Problem("site.yaml", 2, "bad_url", {"value": "x"})
    preview.publish((problem,), None, changed=True)
    assert preview.prefix == "/showcase/"


def test_build_numbers_start_from_the_clock_so_tabs_from_an_earlier_run_reload(tmp_path, monkeypatch):
    import builder.preview.responder
    monkeypatch.setattr(builder.preview.responder.time, "time", lambda: 1000.0)
    earlier = Preview(tmp_path, "zh", str)
    numbers = [earlier.publish((), "/", changed=True) for _ in range(3)]
    monkeypatch.setattr(builder.preview.responder.time, "time", lambda: 1000.5)     # restarted half a second later
    later = Preview(tmp_path, "zh", str)
    assert later.publish((), "/", changed=True) > max(numbers)


def test_release_lets_held_requests_through_without_a_new_build(preview):
    preview.publish((), "/", changed=True)
    preview.hold()
    result = []
    thread = threading.Thread(target=lambda: result.append(preview.respond("/")))
    thread.start()
    preview.release()
    thread.join(5)
    assert result[0].status == 200 and b"build 1" in result[0].body


# --- pages shown before the build is done -----------------------------------------------------

def _respond_in_thread(preview: Preview, path: str) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(preview.respond(path)))
    thread.start()
    return thread, result


def test_pages_shown_first_are_served_at_once_while_every_other_request_waits(preview):
    preview.publish((), "/", changed=True)
    preview.hold()
    waiting, other = _respond_in_thread(preview, "/")
    edited, first = _respond_in_thread(preview, "/cases/a/")
    assert preview.show_first({"cases/a/index.html": "<html><body>新甲</body></html>".encode()}, "/") == 2
    edited.join(5)
    assert first[0].status == 200
    assert first[0].body == "<html><body>新甲<script>build 2</script></body></html>".encode()
    assert preview.respond("/cases/a/").body == first[0].body     # asked again: the same, still from memory
    assert not other                                               # the home page waits for the build
    (preview.out_dir / "cases/a/index.html").write_text("<html><body>新甲</body></html>", encoding="utf-8")
    assert preview.publish((), "/", changed=False) is None         # the tabs reloaded already
    waiting.join(5)
    assert b"home" in other[0].body and b"build 2" in other[0].body
    assert preview.respond("/cases/a/").body == first[0].body      # now from the folder


def test_photos_and_theme_files_handed_over_with_the_first_pages_are_served_too(preview, tmp_path):
    rendition = tmp_path / "cache-file.jpg"
    rendition.write_bytes(b"JPEG")
    preview.publish((), "/", changed=True)
    preview.hold()
    preview.show_first({"cases/a/index.html": b"<html><body>x</body></html>", "cases/a/p-480w.jpg": rendition}, "/")
    response = preview.respond("/cases/a/p-480w.jpg")
    assert (response.status, response.body) == (200, b"JPEG")
    assert ("Content-Type", "image/jpeg") in response.headers


def test_a_build_that_fails_after_showing_its_first_pages_withdraws_them(preview):
    preview.publish((), "/", changed=True)
    preview.hold()
    preview.show_first({"cases/a/index.html": b"<html><body>early</body></html>"}, "/")
    assert b"early" in preview.respond("/cases/a/").body
    problem = Problem("", None, "output_write_failed", {"path": "output/index.html", "reason": Phrase("os_disk_full")})
    assert preview.publish((problem,), None, changed=True) == 3       # the tabs reload once more
    for path in ("/cases/a/", "/"):
        response = preview.respond(path)
        assert response.status == 500 and b"early" not in response.body
        assert "磁盘空间已满" in response.body.decode()


def test_after_a_failed_build_a_good_one_shown_first_reloads_the_tabs_only_once(preview):
    problem = Problem("content/cases/a/index.md", 4, "bad_date", {"value": "2024/1/2"})
    preview.publish((problem,), "/", changed=True)
    preview.hold()
    assert preview.show_first({"cases/a/index.html": b"<html><body>fixed</body></html>"}, "/") == 2
    assert preview.respond("/cases/a/").status == 200
    assert preview.publish((), "/", changed=False) is None
    assert preview.respond("/").status == 200
