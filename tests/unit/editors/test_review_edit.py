"""builder.editors.review.add_review: one entry inserted, every other byte kept, for any front matter
shape it accepts; builder.yamlio.text: scalars that read back as written."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import i18n
from builder.editors.review import EditError, add_review, progress
from builder.model import Review
from builder.yamlio.text import flow_list, flow_mapping, scalar

ENTRY = {"stage": "复审", "by": "李四", "date": dt.date(2024, 5, 3)}
NEW = "{stage: 复审, by: 李四, date: 2024-05-03}"


def front(data: bytes) -> dict:
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return yaml.safe_load(text.split("\n---", 1)[0][4:]) or {}


@pytest.mark.parametrize("before, after", [
    ("---\ntitle: x\n---\n", f"---\ntitle: x\nreview:\n  - {NEW}\n---\n"),
    ("---\n---\n", f"---\nreview:\n  - {NEW}\n---\n"),
    ("---\nreview: []\n---\n", f"---\nreview: [{NEW}]\n---\n"),
    ("---\nreview: [ ]   # 空\n---\n", f"---\nreview: [ {NEW}]   # 空\n---\n"),
    ("---\nreview: [{stage: 初审, by: a, date: 2024-05-02}]\n---\n",
     f"---\nreview: [{{stage: 初审, by: a, date: 2024-05-02}}, {NEW}]\n---\n"),
    ("---\nreview:\n  - {stage: 初审, by: a, date: 2024-05-02}\n---\n",
     f"---\nreview:\n  - {{stage: 初审, by: a, date: 2024-05-02}}\n  - {NEW}\n---\n"),
    ("---\nreview:\n- {stage: 初审, by: a, date: 2024-05-02}\ntitle: x\n---\n",
     f"---\nreview:\n- {{stage: 初审, by: a, date: 2024-05-02}}\n- {NEW}\ntitle: x\n---\n"),
    ("---\nreview:\n  - by: a\n    stage: 初审\n    date: 2024-05-02\n---\n",        # the keys' own order is kept
     "---\nreview:\n  - by: a\n    stage: 初审\n    date: 2024-05-02\n  - by: 李四\n    stage: 复审\n    date: 2024-05-03\n---\n"),
    ("---\nreview:\n---\n", f"---\nreview:\n  - {NEW}\n---\n"),
    ("---\nreview:   # 还没有\ntags: [a]\n---\n", f"---\nreview:   # 还没有\n  - {NEW}\ntags: [a]\n---\n"),
    ("---\nreview:\n  - {stage: 初审, by: a, date: 2024-05-02}\n\n# 注释\n\nphotos: []\n---\nbody\n---\n",
     f"---\nreview:\n  - {{stage: 初审, by: a, date: 2024-05-02}}\n  - {NEW}\n\n# 注释\n\nphotos: []\n---\nbody\n---\n"),
])
def test_add_review_inserts_exactly_one_entry(before, after):
    assert add_review(before.encode("utf-8"), ENTRY).decode("utf-8") == after


def test_add_review_keeps_crlf_and_the_bom():
    before = "\ufeff---\r\ntitle: x\r\n---\r\nbody\r\n".encode("utf-8")
    assert add_review(before, ENTRY) == f"\ufeff---\r\ntitle: x\r\nreview:\r\n  - {NEW}\r\n---\r\nbody\r\n".encode("utf-8")


@pytest.mark.parametrize("text, code, why", [
    ("title: x\n", "review_edit_no_front", "文件开头没有 --- 信息头"),
    ("---\ntitle: x\n", "review_edit_unclosed", "信息头没有结束的 --- 行"),
    ("---\nreview: 初审\n---\n", "review_edit_not_list", "review 不是列表"),
    ("---\nreview: ~\n---\n", "review_edit_null", "review 的值是 ~ 或 null，请改为空"),
    ("---\ntitle: [x\n---\n", "review_edit_yaml", "信息头的 YAML 格式有错误"),
    ("---\n- a\n---\n", "review_edit_not_mapping", "信息头不是“名称: 值”形式"),
])
def test_add_review_refuses_shapes_it_cannot_edit_safely(text, code, why):
    with pytest.raises(EditError) as refused:
        add_review(text.encode("utf-8"), ENTRY)
    assert refused.value.code == code and i18n.text(code, "zh") == why
    assert not re.search(r"[\u3400-\u9fff]", i18n.text(code, "en").replace("初审", ""))


keys = st.sampled_from(["title", "site", "tags", "summary", "weight", "extra"])
plain = st.text(alphabet=st.characters(whitelist_categories=("Lo", "Nd", "Ll")), min_size=1, max_size=8)
values = st.one_of(plain.map(scalar), st.lists(plain, max_size=3).map(flow_list), st.integers(0, 99).map(str))
comments = st.sampled_from(["", "   # 注释", "  #"])


@settings(max_examples=150, deadline=None)
@given(fields=st.lists(st.tuples(keys, values, comments), max_size=6, unique_by=lambda f: f[0]),
       review=st.sampled_from(["", "review: []\n", "review:\n  - {stage: 初审, by: 甲, date: 2024-05-02}\n",
                               "review:\n"]),
       where=st.integers(0, 6), newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans(),
       body=st.text(max_size=40).filter(lambda b: "\r" not in b))
def test_add_review_changes_only_the_review_list(fields, review, where, newline, bom, body):
    lines = [f"{k}: {v}{c}\n" for k, v, c in fields]
    lines.insert(min(where, len(lines)), review)
    text = "---\n" + "".join(lines) + "---\n" + body
    data = ("\ufeff" if bom else "").encode("utf-8") + text.replace("\n", newline).encode("utf-8")
    edited = add_review(data, ENTRY)
    old, new = front(data), front(edited)
    assert new.pop("review")[-1] == ENTRY
    assert {k: v for k, v in new.items()} == {k: v for k, v in old.items() if k != "review"}
    assert edited.startswith(b"\xef\xbb\xbf") == bom
    assert edited.endswith(body.replace("\n", newline).encode("utf-8"))
    # nothing removed: the old bytes are the new bytes minus one inserted run
    assert len(edited) > len(data)
    prefix = next(i for i, (a, b) in enumerate(zip(data + b"\0", edited)) if a != b)
    suffix = len(data) - prefix
    assert edited[:prefix] == data[:prefix] and edited[len(edited) - suffix:] == data[prefix:]


def test_progress_is_in_stage_order_whatever_the_order_in_the_file():
    reviews = [Review("复审", "乙", dt.date(2024, 5, 3)), Review("初审", "甲", dt.date(2024, 5, 2))]
    done, waiting = progress(reviews, ("初审", "复审", "终审"))
    assert [r.stage for r in done] == ["初审", "复审"] and waiting == "终审"
    assert progress([], ("初审",)) == ([], "初审")


@pytest.mark.parametrize("value", ["张三", "欧阳 娜娜", "a: b", "#1", "- x", "true", "null", "2025-01-01", "123",
                                   "x,y", " lead", "trail ", "[a]", "{a}", "O'Neil", 'say "hi"', "*star", "&amp",
                                   "西翟村“基层智理”", "50%", "@who", "`code`", "a\\b", "~", "?q", "|pipe", ">gt"])
def test_scalars_read_back_as_written_in_block_and_flow_context(value):
    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}
    assert yaml.safe_load(f"k: {flow_list([value, value])}") == {"k": [value, value]}
    assert yaml.safe_load(f"k: {flow_mapping({'by': value})}") == {"k": {"by": value}}


def test_plain_chinese_stays_unquoted():
    assert scalar("张三") == "张三" and scalar("农村") == "农村"
    assert scalar(dt.date(2024, 5, 2)) == "2024-05-02"
