"""A big page's kept() fragments are taken again from the file the last build wrote, and only
while what each one read, its arguments and the names the template set are unchanged."""
import os
import shutil
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from builder.build import BuildOptions, build_site
from builder.render import fragments
from builder.render.fragments import Fragment, PageFragments, fragment_id, located
from builder.render.trace import Digester
from tests.conftest import snapshot
from tests.unit.render.test_pages import case_md

SITE = {
    "content/cases/a/index.md": case_md(title="甲村议事会", date="2023-03-01"),
    "content/cases/b/index.md": case_md(title="乙村集体经济", date="2023-02-01"),
    "content/cases/c/index.md": case_md(title="丙村调解室", date="2023-01-01"),
}
BOOKLET_PAGE = "booklet/nongcun/index.html"


@pytest.fixture
def taken(monkeypatch):
    """Every page records its fragments; counts the fragments of the booklet's pages taken again
    from an old file (a small site's /booklet/ holds every case too: the group's page then takes
    them from this build's memo), and those made (on any page, which may have no old file)."""
    monkeypatch.setattr(fragments, "FRAGMENTS_FROM", 0)
    found = {"again": 0, "made": 0}
    reuse = PageFragments.reuse

    def counted(self, fid, values, variables):
        result = reuse(self, fid, values, variables)
        if result is None:
            found["made"] += 1
        elif "/booklet/" in self.old_file.as_posix():
            found["again"] += 1
        return result
    monkeypatch.setattr(PageFragments, "reuse", counted)
    return found


def _cold(root: Path, tmp_path: Path) -> dict[str, bytes]:
    copy = tmp_path / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cache", "out"))
    build_site(copy, BuildOptions(output=copy / "out", workers=1))
    return snapshot(copy / "out")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_body_edit_takes_the_other_cases_of_the_booklet_page_from_its_old_file(make_site, tmp_path, taken):
    root = make_site(SITE)
    build_site(root, BuildOptions(output=root / "out", workers=1))
    _edit(root / "content/cases/b/index.md", "村里搭建了议事平台。", "村里搭建了议事厅。")
    taken.update(again=0, made=0)
    result = build_site(root, BuildOptions(output=root / "out", workers=1))
    assert BOOKLET_PAGE in result.outputs and not isinstance(result.outputs[BOOKLET_PAGE], Path)
    assert taken["again"] == 2 and taken["made"] >= 1       # a and c again; b (its body changed) made
    assert "议事厅".encode() in result.outputs[BOOKLET_PAGE]
    assert snapshot(root / "out") == _cold(root, tmp_path)


def test_a_fragment_is_made_again_when_the_old_file_was_changed_by_hand(make_site, tmp_path, taken):
    root = make_site(SITE)
    build_site(root, BuildOptions(output=root / "out", workers=1))
    for rel in (BOOKLET_PAGE, "booklet/index.html"):
        page = root / "out" / rel
        page.write_bytes(page.read_bytes().replace("丙村调解室".encode(), "丙村调解所".encode()))
    _edit(root / "content/cases/b/index.md", "村里搭建了议事平台。", "村里搭建了议事厅。")
    taken.update(again=0, made=0)
    build_site(root, BuildOptions(output=root / "out", workers=1))
    assert taken["again"] == 0
    assert snapshot(root / "out") == _cold(root, tmp_path)


def test_a_title_edit_makes_that_case_and_the_contents_again_and_takes_the_rest(make_site, tmp_path, taken):
    root = make_site(SITE)
    build_site(root, BuildOptions(output=root / "out", workers=1))
    _edit(root / "content/cases/c/index.md", "丙村调解室", "丙村人民调解室")
    taken.update(again=0, made=0)
    build_site(root, BuildOptions(output=root / "out", workers=1))
    assert taken["again"] == 2 and taken["made"] >= 2       # a and b again; c and the contents made
    assert snapshot(root / "out") == _cold(root, tmp_path)


def test_the_fragment_id_holds_the_key_the_arguments_and_what_the_template_set():
    digester = Digester()
    env = jinja2.Environment()
    macro = env.from_string("{% macro m(x) %}{{ x }}{% endmacro %}").module.m
    scope = {"title": "书", "m": macro}.items()
    same = fragment_id(digester, ("k", 1), ("a",), {}, scope)
    assert same == fragment_id(digester, ("k", 1), ("a",), {}, scope)
    assert same != fragment_id(digester, ("k", 2), ("a",), {}, scope)
    assert same != fragment_id(digester, ("k", 1), ("b",), {}, scope)
    assert same != fragment_id(digester, ("k", 1), ("a",), {}, {"title": "册", "m": macro}.items())
    assert fragment_id(digester, ("k",), (object(),), {}, ()) is None     # cannot be named: made every time
    scopes = {}                                                             # the scope's bytes, once per page
    assert fragment_id(digester, ("k", 1), ("a",), {}, scope, scopes) == same
    assert fragment_id(digester, ("k", 1), ("a",), {}, scope, scopes) == same and len(scopes) == 1
    assert fragment_id(digester, ("k", 1), ("a",), {}, {"title": "册", "m": macro}.items(), scopes) != same


def test_fragments_are_located_in_order_and_one_changed_by_a_filter_is_left_out():
    text = "<p>one</p><p>TWO</p><p>one</p>"
    made = [Fragment(Markup("<p>one</p>"), frozenset({("name", "x")}), b"1"),
            Fragment(Markup("<p>two</p>"), frozenset(), b"2"),
            Fragment(Markup("<p>one</p>"), frozenset(), None, (("y",), ()), (("k",), (), {}, ())),
            Fragment(3, frozenset(), b"4")]
    third = fragment_id(Digester(), ("k",), (), {}, ())
    assert located(text, made, Digester()) == [(b"1", (("x",), ()), 0, 10, None), (third, (("y",), ()), 20, 30, None)]


def test_an_old_file_that_cannot_be_read_gives_nothing_again(tmp_path):
    page = PageFragments(b"", {b"f": (((), ()), b"", 0, 5)}, tmp_path / "gone.html")
    assert page._old_text() is None and page.old == {}
    (tmp_path / "short.html").write_bytes("短".encode("utf-8"))
    page = PageFragments(b"", {}, tmp_path / "short.html")
    assert page._old_text() == "短"


def test_big_booklet_pages_record_their_fragments_and_small_pages_do_not(make_site):
    root = make_site(SITE)
    result = build_site(root, BuildOptions(output=root / "out", workers=1))
    assert result.pages_rendered > 0
    from builder.store.output_record import OutputRecord
    record = OutputRecord.load((root / "out").resolve(), OutputRecord.file_for(root / ".cache/state", (root / "out").resolve()))
    assert all(page[3] is None for page in record.pages.values())     # all far below FRAGMENTS_FROM
    assert os.path.getsize(root / "out" / BOOKLET_PAGE) < fragments.FRAGMENTS_FROM
