"""builder.desk.form: the form of a file, and the file a submitted form makes. A form saved as
it was loaded leaves every sample file byte-identical; a changed field changes its lines only;
what arrives from a browser in the wrong shape is refused before it reaches a file."""
from __future__ import annotations

import difflib

import pytest
from conftest import REPO

from builder.desk import form
from builder.desk.documents import from_source

SAMPLE = sorted((REPO / "content").rglob("*.md"))


def kind_of(path) -> tuple[str, bool]:
    ref = from_source(path.relative_to(REPO).as_posix())
    return ref.kind, ref.bundle


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_sample_file_saved_from_its_form_unchanged_is_byte_identical(path):
    data = path.read_bytes()
    kind, bundle = kind_of(path)
    loaded = form.load(data, kind, bundle)
    assert form.apply(data, kind, loaded.values, loaded.body, bundle) == data
    # and as a browser sends it back: the body with a line end more or less at its end
    assert form.apply(data, kind, loaded.values, loaded.body.rstrip("\n"), bundle) == data


CASE = (REPO / "content/cases/xizhai-jiceng-zhili/index.md").read_bytes()


def changed(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
            if line.startswith(("- ", "+ "))]


def test_the_form_shows_the_files_values_as_the_build_reads_them():
    loaded = form.load(CASE, "case")
    assert loaded.values["title"] == "西翟村：坚持党建引领，建设和美乡村"
    assert loaded.values["date"] == "2026-11-28"
    assert loaded.values["tags"] == ["基层智理", "议事平台", "精神文明", "和美乡村"]
    assert loaded.values["featured"] is True and loaded.values["draft"] is False
    assert loaded.values["photos"][1] == {"src": "photo-2.jpg", "caption": "“基层智理”议事平台（示例图片）", "credit": ""}
    assert loaded.body.startswith("## 基本情况\n") and loaded.lead == "\n"
    assert loaded.extra_keys == ("weight",)


def test_a_changed_title_changes_the_title_line_only():
    loaded = form.load(CASE, "case")
    after = form.apply(CASE, "case", {**loaded.values, "title": "西翟村：新标题"}, loaded.body)
    assert changed(CASE, after) == ['- title: "西翟村：坚持党建引领，建设和美乡村"', '+ title: "西翟村：新标题"']


def test_a_date_written_the_chinese_way_is_saved_as_the_date_it_is():
    loaded = form.load(CASE, "case")
    after = form.apply(CASE, "case", {**loaded.values, "date": "2025年6月1日"})
    assert changed(CASE, after) == ["- date: 2026-11-28", "+ date: 2025-06-01"]


def test_a_date_that_is_no_date_is_saved_as_written_for_the_build_to_name():
    loaded = form.load(CASE, "case")
    after = form.apply(CASE, "case", {**loaded.values, "date": "下个月"})
    assert changed(CASE, after) == ["- date: 2026-11-28", "+ date: 下个月"]


def test_an_emptied_summary_is_removed_and_an_unticked_box_written_false():
    loaded = form.load(CASE, "case")
    after = form.apply(CASE, "case", {**loaded.values, "summary": "  ", "featured": False})
    lines = changed(CASE, after)
    assert lines[0].startswith("- summary: ") and lines[1:] == ["- featured: true", "+ featured: false"]


def test_an_optional_value_left_empty_adds_nothing_to_the_file():
    data = "---\ntitle: a\nsite: b\ndate: 2025-01-01\ncategory: 农村\n---\n\n正文\n".encode()
    loaded = form.load(data, "case")
    assert loaded.values["source"] == "" and loaded.values["tags"] == [] and loaded.values["draft"] is False
    sent = {**loaded.values, "source": "", "tags": [], "draft": False, "photos": [], "cover": ""}
    assert form.apply(data, "case", sent, "正文\n") == data


def test_a_new_value_goes_in_the_usual_place_and_the_body_keeps_its_blank_line():
    data = "---\ntitle: a\nsite: b\ndate: 2025-01-01\ncategory: 农村\nphotos:\n  - src: x.jpg\n---\n\n正文\n".encode()
    after = form.apply(data, "case", {"source": "河津市委组织部", "draft": True,
                                      "photos": [{"src": "x.jpg", "caption": "说明", "credit": ""}]}, "新的正文")
    assert after.decode() == ("---\ntitle: a\nsite: b\ndate: 2025-01-01\ncategory: 农村\nsource: 河津市委组织部\n"
                              "draft: true\nphotos:\n  - src: x.jpg\n    caption: 说明\n---\n\n新的正文\n")


def test_a_value_the_form_cannot_show_is_shown_as_written_and_never_touched():
    data = "---\ntitle: a\nsite: b\ndate: 2025-01-01\ncategory: 农村\ntags: {a: 1}\n---\n正文\n".encode()
    loaded = form.load(data, "case")
    assert loaded.locked == {"tags": "tags:\n  a: 1"}
    assert form.apply(data, "case", {**loaded.values, "tags": ["x"], "title": "b"}) == data.replace(b"title: a", b"title: b")


def test_a_page_without_a_folder_has_no_photos_in_its_form():
    assert [f.name for f in form.fields("page", bundle=False)] == [
        f for f in ("title", "summary", "draft") if f in [g.name for g in form.fields("page")]]


@pytest.mark.parametrize("values", [
    {"title": ["a"]}, {"draft": "true"}, {"tags": "a, b"}, {"tags": [1]}, {"photos": [{"src": "a.jpg", "path": "../x"}]},
    {"photos": "a.jpg"}, {"title": "x" * 5000},
])
def test_a_form_of_the_wrong_shape_is_refused(values):
    with pytest.raises(form.FormError):
        form.apply(CASE, "case", values)


def test_control_characters_and_line_breaks_in_a_one_line_field_are_tidied():
    after = form.apply(CASE, "case", {"source": "河津\x00市委\n组织部\x1b "})
    assert 'source: "河津市委 组织部"\n' in after.decode()        # quoted, as the value it replaces was
