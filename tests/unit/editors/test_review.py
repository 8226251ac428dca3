"""builder.editors.review.record on real case files: what is written, what is refused, and that a
refused review leaves every byte of the file as it was."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SITE_YAML, case_md, record_review

from builder.config import parse_config
from builder.editors.review import find_case, find_item, record

STAGES = ("初审", "复审", "终审")
SHOWN = "content/cases/a/index.md"
FIRST = "\n  - {stage: 初审, by: 甲, date: 2025-05-01}"
SITE, _ = parse_config(SITE_YAML)


def recorded(tmp_path, text, stage="初审", by=" 张三 ", date=dt.date(2025, 6, 1), first: str | None = None):
    """record() on content/cases/a/index.md holding `text`; `first`: a stage recorded before, on 2025-05-01."""
    root = tmp_path / "site"
    path = root / SHOWN
    path.parent.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    if first:
        record_review(root, SHOWN, first, by="甲", day="2025-05-01")
    before = path.read_bytes()
    result, problems = record(root, path, SHOWN, stage, by, date, SITE)
    return result, [p.format("zh") for p in problems], before, path.read_bytes()


def test_recording_the_next_stage_says_what_is_done_and_what_is_still_to_come(tmp_path):
    result, problems, _, after = recorded(tmp_path, case_md(draft="true"), stage="复审", first="初审")
    assert problems == []
    assert [(r.stage, r.by, r.date) for r in result.done] == [("初审", "甲", dt.date(2025, 5, 1)),
                                                            ("复审", "张三", dt.date(2025, 6, 1))]
    assert result.waiting == ("终审",) and result.draft is True and result.again is False
    digest = result.review.digest
    assert re.fullmatch(r"[0-9a-f]{16}", digest)
    assert (f"  - {{stage: 初审, by: 甲, date: 2025-05-01, digest: {digest}}}\n"
            f"  - {{stage: 复审, by: 张三, date: 2025-06-01, digest: {digest}}}\n") in after.decode()


@pytest.mark.parametrize("by", ["", "   ", "\u3000"])
def test_a_blank_reviewer_name_is_refused_and_nothing_is_written(tmp_path, by):
    result, problems, before, after = recorded(tmp_path, case_md(), by=by)
    assert result is None and after == before
    assert problems == ["审核人姓名不能为空\n"
                        "    提示：请在 --by 后面写上审核人的姓名，例如 --by 张三（姓名中有空格时加英文引号：--by \"欧阳 娜娜\"）。"]


def test_a_stage_recorded_before_a_change_must_be_recorded_again_before_the_next(tmp_path):
    root = tmp_path / "site"
    result, problems, _, _ = recorded(tmp_path, case_md(), stage="复审", first="初审")
    assert problems == []
    path = root / SHOWN
    path.write_text(path.read_text(encoding="utf-8").replace("村里搭建了议事平台。", "村里搭建了线上议事平台。"),
                    encoding="utf-8")
    refused, problems = record(root, path, SHOWN, "终审", "王五", dt.date(2025, 6, 2), SITE)
    assert refused is None
    assert [p.format("zh").split("\n")[0] for p in problems] == [
        "content/cases/a/index.md: 内容改过，需要先重新记录“复审”，不能直接记录“终审”"]
    again, problems = record(root, path, SHOWN, "复审", "张三", dt.date(2025, 6, 2), SITE)
    assert problems == [] and again.again is True
    assert [r.stage for r in again.done] == ["初审", "复审"] and again.waiting == ("终审",)
    assert path.read_text(encoding="utf-8").count("stage: 复审") == 2          # the first record stays, as history


@pytest.mark.parametrize("front, expected", [
    ({"review": "无"}, ["content/cases/a/index.md:6: “review”应为列表（每项一行，以“- ”开头），现在是“无”"]),
    ({"review": "\n  - {stage: 初审, by: 甲, date: 2025年5月1日}"},
     ["content/cases/a/index.md:7: 日期“2025年5月1日”格式不对，应为 年-月-日，请改为 2025-05-01"]),
    ({"review": "\n  - {stage: 初审, date: 2025-05-01}"}, ["content/cases/a/index.md:7: 缺少必填项“by”"]),
])
def test_a_review_list_with_a_mistake_is_not_touched_and_the_mistake_is_named(tmp_path, front, expected):
    result, problems, before, after = recorded(tmp_path, case_md(**front), stage="复审")
    assert result is None and after == before
    assert [p.split("\n")[0] for p in problems] == expected + ["content/cases/a/index.md: 案例信息头有错误，先改正它才能记录审核"]


def test_a_file_without_front_matter_is_not_touched(tmp_path):
    result, problems, before, after = recorded(tmp_path, "只有正文\n")
    assert result is None and after == before
    assert [p.split("\n")[0] for p in problems] == ["content/cases/a/index.md:1: 文件开头缺少以 --- 开始的信息头",
                                                    "content/cases/a/index.md: 案例信息头有错误，先改正它才能记录审核"]


def test_a_review_dated_before_the_previous_stage_is_refused(tmp_path):
    result, problems, before, after = recorded(tmp_path, case_md(), stage="复审", date=dt.date(2025, 4, 30), first="初审")
    assert result is None and after == before
    assert problems == ["审核日期 2025-04-30 早于上一环节“初审”的日期 2025-05-01\n"
                        "    提示：请核对日期，用 --date 年-月-日 写明实际审核日期。"]


def test_a_review_list_written_as_null_is_refused_with_the_line_to_add_by_hand(tmp_path):
    result, problems, before, after = recorded(tmp_path, case_md(review="~"))
    assert result is None and after == before
    assert problems == ["content/cases/a/index.md: 无法自动修改信息头中的 review:（review 的值是 ~ 或 null，请改为空）\n"
                        "    提示：请手动在信息头的 review: 下加一行：- {stage: 初审, by: 张三, date: 2025-06-01, digest: "
                        + problems[0].rsplit("digest: ", 1)[1]]
    assert re.fullmatch(r"[0-9a-f]{16}}", problems[0].rsplit("digest: ", 1)[1])


def test_a_case_is_found_by_folder_name_path_or_slug_and_otherwise_gets_a_suggestion(make_site):
    root = make_site({"content/cases/xizhai-yishi/index.md": case_md(),
                      "content/cases/other/index.md": case_md(slug="lingyige")})
    index = root / "content/cases/xizhai-yishi/index.md"
    assert find_case(root, "xizhai-yishi") == (index, [])
    assert find_case(root, "content/cases/xizhai-yishi/") == (index, [])
    assert find_case(root, str(index)) == (index, [])
    assert find_case(root, "lingyige") == (root / "content/cases/other/index.md", [])
    path, problems = find_case(root, "xizhai-yisi")
    assert path is None
    assert [p.format("zh") for p in problems] == [
        "找不到案例“xizhai-yisi”——是不是“xizhai-yishi”？\n"
        "    提示：请写案例、示范点或页面的文件夹名、网址名或完整标题，或者它的文件夹路径；运行 showcase status 可以查看全部。"]


def test_a_title_model_site_or_page_is_found_when_it_names_one_item_only(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="议事平台"),
                      "content/cases/b/index.md": case_md(title="同名案例"),
                      "content/cases/c/index.md": case_md(title="同名案例"),
                      "content/cases/xizhai-cun/index.md": case_md(title="与示范点同名的文件夹"),
                      "content/pages/about.md": "---\ntitle: 关于本站\n---\n\n介绍。\n"})
    assert find_item(root, "议事平台") == (root / "content/cases/a/index.md", [])
    assert find_item(root, " 关于本站 ") == (root / "content/pages/about.md", [])
    assert find_item(root, "about") == (root / "content/pages/about.md", [])
    assert find_item(root, "西翟村") == (root / "content/sites/xizhai-cun/index.md", [])
    for name, found in (("同名案例", ["content/cases/b/index.md（同名案例）", "content/cases/c/index.md（同名案例）"]),
                        ("xizhai-cun", ["content/cases/xizhai-cun/index.md（与示范点同名的文件夹）",
                                        "content/sites/xizhai-cun/index.md（西翟村）"])):
        path, problems = find_item(root, name)
        assert path is None
        assert [p.format("zh").split("\n")[0] for p in problems] == [f"“{name}”对应不止一项，没有记录审核：{'、'.join(found)}"]
    assert find_item(root, "content/sites/xizhai-cun")[0] == root / "content/sites/xizhai-cun/index.md"
    assert find_item(root, "../site.yaml")[0] is None          # nothing outside content/
