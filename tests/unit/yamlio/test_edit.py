"""builder.yamlio.edit: front matter edited as text. Opening a file and saving it unchanged gives
the same bytes; editing one key changes only that key's lines; every file reads back as meant.
Shown on the sample site's files and on files generated in every style people write by hand."""
from __future__ import annotations

import datetime as dt
import difflib

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.yamlio.edit import BOM, EditError, Editable
from builder.yamlio.text import quoted

CASE_ORDER = ("title", "site", "date", "category", "actions", "tags", "summary", "cover", "photos",
              "slug", "draft", "featured", "weight", "source", "extra", "review")
SAMPLE_FILES = sorted((REPO / "content").rglob("*.md"))


def reopened_unchanged(data: bytes) -> bytes:
    edited = Editable(data)
    for key, value in edited.values().items():
        edited.set(key, value)
    edited.set_body(edited.body)
    return edited.data()


def spans(data: bytes) -> dict[str, tuple[int, int]]:
    """Each top-level key -> (first line, line after its value), 0-based lines of the whole file."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    front_end = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "..."))
    front = "".join(lines[1:front_end])
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    out = {}
    for key, value in (root.value if root else ()):
        end = value.end_mark
        last = end.line if end.column or end.line == key.start_mark.line else end.line - 1
        if isinstance(value, yaml.ScalarNode) and value.start_mark.index == end.index:
            last = key.start_mark.line         # `photos:` alone, and the advice indented below it
            while last + 1 < len(lines) - 2 and lines[last + 2].startswith((" #", "  #")):
                last += 1
        out[key.value] = (key.start_mark.line + 1, last + 2)
    return out


def changed_lines(before: bytes, after: bytes) -> list[tuple[int, int]]:
    """The ranges of the old file's lines that were replaced or deleted (or where lines were added)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(keepends=True), b=after.splitlines(keepends=True), autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


# --- the sample site -------------------------------------------------------------------------

@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_sample_file_opened_and_saved_unchanged_is_byte_identical(path):
    data = path.read_bytes()
    assert reopened_unchanged(data) == data


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_changing_the_title_of_a_sample_file_changes_only_the_title_line(path):
    data = path.read_bytes()
    edited = Editable(data)
    edited.set("title", "改过的标题：第二版")
    after = edited.data()
    line = spans(data)["title"][0]
    assert changed_lines(data, after) == [(line, line + 1)]
    assert Editable(after).values()["title"] == "改过的标题：第二版"
    assert after.decode().splitlines()[line] == 'title: "改过的标题：第二版"'     # quoted, as it was


def test_a_caption_edited_in_a_photo_list_changes_that_caption_line_only():
    data = (REPO / "content/cases/xizhai-jiceng-zhili/index.md").read_bytes()
    edited = Editable(data)
    photos = edited.values()["photos"]
    photos[1] = {**photos[1], "caption": "新的说明", "credit": "张三"}
    edited.set("photos", photos)
    after = edited.data().decode()
    assert '  - src: photo-2.jpg\n    caption: "新的说明"\n    credit: 张三\n  - src: photo-3.jpg' in after
    assert len(changed_lines(data, edited.data())) == 1


def test_photos_reordered_keep_each_item_as_it_was_written():
    data = (REPO / "content/cases/xizhai-jiceng-zhili/index.md").read_bytes()
    edited = Editable(data)
    photos = edited.values()["photos"]
    edited.set("photos", [photos[2], photos[0], photos[1]])
    text = edited.data().decode()
    assert ('photos:\n  - src: photo-3.jpg\n    caption: "西翟村精神文明建设宣传（示例图片）"\n'
            '  - src: photo-1.jpg\n    caption: "西翟村村容村貌（示例图片）"\n  - src: photo-2.jpg\n') in text


# --- the template of a new case --------------------------------------------------------------

NEW_CASE = """\
---
title: "议事平台"
site: xizhai-cun
date: 2025-06-01
category: 农村
actions: []
tags: []                 # 标签，例如 [调解, 志愿服务]
# summary: 一两句话的摘要（不写时自动取正文第一段）
# source: 报送单位，例如 河津市委组织部
draft: true              # 草稿：写好并审核通过后改为 false，才会发布
photos:
  # 把照片放进本文件夹，每张照片写两行（去掉行首的“# ”，短横线对齐）：
  # - src: photo-1.jpg
  #   caption: 照片说明文字
---

## 基本情况
"""


def test_a_value_filled_into_the_template_keeps_the_comment_after_it():
    edited = Editable(NEW_CASE.encode())
    edited.set("tags", ["调解", "志愿服务"])
    edited.set("draft", False)
    text = edited.data().decode()
    assert "tags: [调解, 志愿服务]                 # 标签，例如 [调解, 志愿服务]\n" in text
    assert "draft: false              # 草稿：写好并审核通过后改为 false，才会发布\n" in text


def test_a_key_the_template_shows_commented_out_is_written_where_that_comment_was():
    edited = Editable(NEW_CASE.encode())
    edited.set("summary", "村里搭建议事平台。", order=CASE_ORDER)
    text = edited.data().decode()
    assert "tags: []                 # 标签，例如 [调解, 志愿服务]\nsummary: 村里搭建议事平台。\n# source:" in text


def test_photos_added_to_the_template_come_after_its_advice():
    edited = Editable(NEW_CASE.encode())
    edited.set("photos", [{"src": "IMG_2041.jpg", "caption": "议事会现场"}, {"src": "IMG_2042.jpg"}])
    assert edited.data().decode().endswith(
        "  #   caption: 照片说明文字\n  - src: IMG_2041.jpg\n    caption: 议事会现场\n  - src: IMG_2042.jpg\n---\n\n## 基本情况\n")


def test_a_new_key_goes_after_the_nearest_key_before_it_in_the_usual_order():
    data = b"---\ntitle: a\nsite: b\ndate: 2025-01-01\nphotos:\n  - src: x.jpg\n---\nbody\n"
    edited = Editable(data)
    edited.set("cover", "x.jpg", order=CASE_ORDER)
    edited.set("category", "\u519c\u6751", order=CASE_ORDER)
    edited.set("featured", True, order=CASE_ORDER)
    assert edited.data().decode() == ("---\ntitle: a\nsite: b\ndate: 2025-01-01\ncategory: 农村\ncover: x.jpg\n"
                                      "photos:\n  - src: x.jpg\nfeatured: true\n---\nbody\n")


def test_removing_a_key_removes_its_lines_and_nothing_else():
    data = (REPO / "content/cases/xizhai-jiceng-zhili/index.md").read_bytes()
    edited = Editable(data)
    edited.remove("photos")
    edited.remove("cover")
    assert edited.data().decode() == data.decode().replace("cover: photo-1.jpg\n", "").replace(
        data.decode()[data.decode().index("photos:"):data.decode().index("---\n\n")], "")


def test_crlf_and_a_bom_are_kept_and_new_lines_use_the_files_line_ending():
    data = BOM + "---\r\ntitle: 旧\r\n# 注释\r\ntags: [a]\r\n---\r\n\r\n正文\r\n".encode()
    edited = Editable(data)
    edited.set("title", "新")
    edited.set("photos", [{"src": "a.jpg", "caption": "说明"}], order=CASE_ORDER)
    edited.set_body("正文\n第二行\n")
    assert edited.data() == BOM + ("---\r\ntitle: 新\r\n# 注释\r\ntags: [a]\r\nphotos:\r\n  - src: a.jpg\r\n"
                                   "    caption: 说明\r\n---\r\n正文\r\n第二行\r\n").encode()


def test_the_body_given_as_it_is_leaves_the_file_alone_whatever_its_line_endings():
    data = "---\r\ntitle: a\r\n---\r\n\r\n正文\r\n".encode()
    edited = Editable(data)
    edited.set_body("\n正文\n")
    assert edited.data() == data


@pytest.mark.parametrize("before, value, after", [
    ("title: 'it''s'", "a'b", "title: 'a''b'"),
    ("title: \"x\"", "a\nb", 'title: "a\\nb"'),
    ("title: x", "yes", 'title: "yes"'),           # YAML 1.1 would read a bare yes as true
    ("title: x", "2025-01-01", 'title: "2025-01-01"'),
    ("date: 2025-01-01", dt.date(2025, 2, 3), "date: 2025-02-03"),
    ("tags: [a, b]   # c", ["a", "b: c"], 'tags: [a, "b: c"]   # c'),
    ("tags:\n  - a\n  - \"b\"", ["b", "c"], 'tags:\n  - "b"\n  - c'),
    ("summary: |\n  line one\n  line two", "one line", 'summary: "one line"'),
    ("tags: a", ["a", "b"], "tags: [a, b]"),
    ("photos: [a.jpg]", [{"src": "a.jpg", "caption": "说明"}], "photos: [{src: a.jpg, caption: 说明}]"),
    ("extra:\n  a: 1\n  b: 2", {"a": 1, "c": "x"}, "extra:\n  a: 1\n  c: x"),
])
def test_a_value_is_written_in_the_style_of_what_was_there(before, value, after):
    edited = Editable(f"---\n{before}\nz: 1\n---\n".encode())
    key = before.split(":")[0]
    edited.set(key, value)
    assert edited.data().decode() == f"---\n{after}\nz: 1\n---\n"
    assert Editable(edited.data()).values()[key] == value


@pytest.mark.parametrize("data, code", [
    (b"title: a\n", "edit_no_front_matter"),
    (b"---\ntitle: a\n", "edit_front_matter_unclosed"),
    (b"---\ntitle: [a\n---\n", "edit_yaml_unreadable"),
    (b"---\n- a\n---\n", "edit_not_block_mapping"),
    (b"---\ntitle: \xff\n---\n", "edit_not_utf8"),
])
def test_a_file_the_form_cannot_edit_is_refused_with_the_reason(data, code):
    with pytest.raises(EditError) as caught:
        Editable(data)
    assert caught.value.code == code


# --- generated files, in every style ---------------------------------------------------------

TEXT = st.text(st.sampled_from(list("议事平台西翟村abc XY:#-'\"[]{},&*!|>%@`\\?~") + ["：", "“", "”", "\t", "\n"]),
               max_size=14)
NAME = st.text(st.sampled_from(list("abcxyz012-_") + ["照", "片"]), min_size=1, max_size=8).map(lambda s: s + ".jpg")
LIST = st.lists(st.text(st.sampled_from(list("调解志愿服务ab :,")), min_size=1, max_size=6), max_size=4, unique=True)


def _plain_or(text: str, style: str) -> str:
    if style == "double" or "\n" in text or "\t" in text:
        return quoted(text)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    rendered = quoted(text)
    try:
        if text and yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text and ": " not in text:
            rendered = text
    except yaml.YAMLError:
        pass
    return rendered


@st.composite
def front_matter_files(draw) -> bytes:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---"]
    style = st.sampled_from(["plain", "double", "single"])
    if draw(st.booleans()):
        lines.append("# " + draw(st.sampled_from(["案例", "说明: 见下"])))
    lines.append("title: " + _plain_or(draw(TEXT), draw(style)) + draw(st.sampled_from(["", "   # 标题"])))
    if draw(st.booleans()):
        lines.append("date: " + draw(st.sampled_from(["2025-06-01", "'2025-06-01'", "2025年6月1日"])))
    if draw(st.booleans()):
        tags = draw(LIST)
        if draw(st.booleans()):
            lines.append("tags: [" + ", ".join(_plain_or(t, "double") for t in tags) + "]")
        else:
            lines.append("tags:" + "".join(f"{newline}  - {_plain_or(t, draw(style))}" for t in tags) if tags else "tags: []")
    if draw(st.booleans()):
        lines.append("draft: " + draw(st.sampled_from(["true", "false"])) + draw(st.sampled_from(["", "  # 草稿"])))
    if draw(st.booleans()):
        lines.append("photos:")
        if draw(st.booleans()):
            lines.append("  # 每张照片写两行")
        for name in draw(st.lists(NAME, max_size=3, unique=True)):
            if draw(st.booleans()):
                lines.append(f"  - {name}")
            else:
                lines.append(f"  - src: {name}")
                if draw(st.booleans()):
                    lines.append("    caption: " + _plain_or(draw(TEXT), draw(style)))
    if draw(st.booleans()):
        lines.append("summary: " + _plain_or(draw(TEXT), draw(style)))
    if draw(st.booleans()):
        lines.append("")                                   # a blank line inside the front matter
    lines.append("weight: " + str(draw(st.integers(-5, 50))))
    lines.append("---")
    body = draw(st.text(st.sampled_from(list("正文ab#*-\n ")), max_size=30))
    text = newline.join(lines) + newline + body.replace("\n", newline)
    return (BOM if draw(st.booleans()) else b"") + text.encode("utf-8")


NEW_VALUES = {
    "title": TEXT, "summary": TEXT, "date": st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    "tags": LIST, "draft": st.booleans(), "weight": st.integers(-100, 100),
    "photos": st.lists(st.fixed_dictionaries({"src": NAME}, optional={"caption": TEXT, "credit": TEXT}),
                       max_size=3, unique_by=lambda p: p["src"]),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_files())
def test_a_generated_file_opened_and_saved_unchanged_is_byte_identical(data):
    assert reopened_unchanged(data) == data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_files(), st.data())
def test_editing_one_key_of_a_generated_file_changes_only_that_keys_lines(data, draw):
    key = draw.draw(st.sampled_from(sorted(NEW_VALUES)))
    value = draw.draw(NEW_VALUES[key])
    edited = Editable(data)
    before = edited.values()
    edited.set(key, value, order=CASE_ORDER)
    after = edited.data()
    reread = Editable(after)
    assert reread.values() == {**before, key: value}
    assert reread.body == Editable(data).body
    assert after.startswith(BOM) == data.startswith(BOM)
    old = spans(data)
    if key in old:
        first, end = old[key]
        for low, high in changed_lines(data, after):
            assert first <= low and high <= end, (key, value, data.decode("utf-8-sig"), after.decode("utf-8-sig"))
    else:       # only lines added (or a `# key:` comment replaced)
        assert all(low == high for low, high in changed_lines(data, after))


@settings(max_examples=200, deadline=None)
@given(front_matter_files(), st.sampled_from(["title", "tags", "draft", "photos", "summary", "date", "weight"]))
def test_removing_one_key_of_a_generated_file_removes_only_its_lines(data, key):
    edited = Editable(data)
    before = edited.values()
    edited.remove(key)
    after = Editable(edited.data())
    assert after.values() == {k: v for k, v in before.items() if k != key}
    if key in before:
        first, end = spans(data)[key]
        for low, high in changed_lines(data, edited.data()):
            assert first <= low and high <= end
