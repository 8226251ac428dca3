"""The editing desk behind a real `showcase serve`, over real HTTP: who may read and write, the
access code on the network, the 编辑 link in previewed pages (and never in a build's output),
and --no-edit."""
from __future__ import annotations

import json
import re

import pytest
from conftest import case_md, snapshot
from desk_server import start_desk, stop_desk

CASE = "content/cases/yishi/index.md"


@pytest.fixture
def site(make_site):
    return make_site({CASE: case_md(title="西翟村议事平台"),
                      "content/pages/about.md": "---\ntitle: 关于本站\n---\n\n关于本站。\n"})


@pytest.fixture
def desk(tmp_path):
    started = []

    def start(root, *args):
        started.append(start_desk(root, tmp_path, *args))
        return started[-1]
    yield start
    for server in started:
        stop_desk(server)


def save_body(server, title: str) -> dict:
    doc = server.get_json("/_edit/api/doc/case/yishi").json()
    return {"digest": doc["digest"], "values": {**doc["values"], "title": title}, "body": doc["body"]}


def test_the_terminal_names_the_desk_and_its_list_answers(desk, site):
    server = desk(site)
    assert f"编辑台：http://127.0.0.1:{server.port}/_edit/" in server.output()
    assert "访问码" not in server.output()                  # on this computer only: no code
    listed = server.get_json("/_edit/api/list").json()
    assert [c["title"] for c in listed["cases"]] == ["西翟村议事平台"]
    shell = server.request("GET", "/_edit/case/yishi")
    assert shell.status == 200 and "script-src 'self'" in shell.headers["content-security-policy"]


def test_a_save_from_the_desks_own_page_is_written(desk, site):
    server = desk(site)
    reply = server.post("/_edit/api/save/case/yishi", save_body(server, "新标题"))
    assert reply.status == 200, reply.text
    assert "title: 新标题\n" in (site / CASE).read_text(encoding="utf-8")


@pytest.mark.parametrize("origin, token", [
    ("http://evil.example", "desk"),          # a script on another site that somehow had the token
    ("http://evil.example", None),            # an HTML form on another site
    (None, None),                             # curl, or a browser that sends no Origin and no token
    ("same", "a-guessed-token"),
    ("null", "desk"),                         # a sandboxed frame
])
def test_a_post_from_anywhere_else_is_refused_and_nothing_is_written(desk, site, origin, token):
    server = desk(site)
    before = snapshot(site / "content")
    body = save_body(server, "被篡改的标题")
    for path, data in (("/_edit/api/save/case/yishi", body), ("/_edit/api/delete/case/yishi", {"digest": body["digest"]}),
                       ("/_edit/api/new/case", {"title": "假案例", "site": "xizhai-cun", "category": "农村"})):
        reply = server.post(path, data, origin=origin, token=token)
        assert reply.status == 403, reply.text
        assert reply.json()["code"] in ("desk_refused_origin", "desk_refused_token")
    upload = server.request("POST", "/_edit/api/upload/case/yishi?name=x.jpg", b"\xff\xd8\xff" + b"0" * 100,
                            {"Origin": "http://evil.example"})
    assert upload.status == 403
    assert snapshot(site / "content") == before


def test_a_name_pointed_at_this_computer_by_another_site_is_refused(desk, site):
    server = desk(site)
    token = server.token()
    assert server.request("GET", "/_edit/", host="evil.example:80").status == 403
    assert server.request("GET", "/_edit/api/list", host="evil.example:80").status == 403
    reply = server.post("/_edit/api/save/case/yishi", save_body(server, "x"), origin="http://evil.example:80",
                        token=token, host="evil.example:80")
    assert reply.status == 403
    assert "西翟村议事平台" in (site / CASE).read_text(encoding="utf-8")


def test_previewed_pages_carry_the_edit_link_and_the_built_site_never_does(desk, site, cli):
    server = desk(site)
    server.wait_for(lambda: 'id="showcase-edit"' in server.request("GET", "/cases/yishi/").text, "the edit link")
    links = {path: re.search(r'<a id="showcase-edit" href="([^"]+)"[^>]*>([^<]+)</a>', server.request("GET", path).text).groups()
             for path in ("/cases/yishi/", "/sites/xizhai-cun/", "/pages/about/", "/")}
    assert links == {"/cases/yishi/": ("/_edit/case/yishi", "编辑"), "/sites/xizhai-cun/": ("/_edit/site/xizhai-cun", "编辑"),
                     "/pages/about/": ("/_edit/page/about", "编辑"), "/": ("/_edit/", "编辑台")}
    stop_desk(server)
    assert cli("build", "--source", site).code == 0
    for folder in (site / "output", site / ".cache" / "preview"):
        pages = [p for p in folder.rglob("*.html")]
        assert pages and not [p for p in pages if "_edit" in p.read_text(encoding="utf-8")]


def test_no_edit_turns_the_desk_off(desk, site):
    server = desk(site, "--no-edit")
    assert "编辑台" not in server.output()
    assert server.request("GET", "/_edit/").status == 404
    assert "showcase-edit" not in server.request("GET", "/cases/yishi/").text
    assert server.post("/_edit/api/save/case/yishi", {"digest": "x"}, token=None).status in (404, 405)


def test_on_the_network_the_desk_asks_for_the_code_printed_in_the_terminal(desk, site):
    server = desk(site, "--host", "0.0.0.0")
    code = re.search(r"编辑台访问码：(\d{6})", server.output()).group(1)
    before = snapshot(site / "content")
    assert server.request("GET", "/cases/yishi/").status == 200          # the preview works
    assert server.request("GET", "/_edit/").status == 200                # the page that asks for the code
    assert server.get_json("/_edit/api/list").status == 401
    assert server.get_json("/_edit/api/doc/case/yishi").status == 401
    token = server.token()
    assert server.post("/_edit/api/save/case/yishi", {"digest": "x", "values": {"title": "x"}}, token=token).status == 401
    assert server.post("/_edit/api/login", {"code": "不对"}, token=None).status == 403
    assert snapshot(site / "content") == before

    login = server.post("/_edit/api/login", {"code": code}, token=None)
    assert login.status == 200
    cookie = login.headers["set-cookie"].split(";", 1)[0]
    assert "httponly" in login.headers["set-cookie"].lower() and "samesite=strict" in login.headers["set-cookie"].lower()
    doc = server.get_json("/_edit/api/doc/case/yishi", cookie=cookie).json()
    reply = server.post("/_edit/api/save/case/yishi",
                        {"digest": doc["digest"], "values": {**doc["values"], "title": "同事改的标题"}, "body": doc["body"]},
                        token=token, cookie=cookie)
    assert reply.status == 200, reply.text
    assert "title: 同事改的标题\n" in (site / CASE).read_text(encoding="utf-8")


def test_the_desk_speaks_english_with_lang_en(desk, site):
    server = desk(site, "--lang", "en")
    assert "Editing desk:" in server.output()
    page = server.request("GET", "/_edit/").text
    data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["strings"]["desk_save"] == "Save"
    assert not [v for v in data["strings"].values() if re.search(r"[\u3400-\u9fff]", v)]
    assert server.post("/_edit/api/save/case/yishi", {"digest": "x"}, origin="http://evil.example").json()["message"].startswith(
        "Change refused")
