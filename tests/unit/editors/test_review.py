"""builder.editors.review.record on real case files: what is written, what is refused, and that a
refused review leaves every byte of the file as it was."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import case_md

from builder.editors.review import find_case, record

STAGES = ("初审", "复审", "终审")
SHOWN = "content/cases/a/index.md"
FIRST = "\n  - {stage: 初审, by: 甲, date: 2025-05-01}"


def recorded(tmp_path, text, stage="初审", by=" 张三 ", date=dt.date(2025, 6, 1)):
    path = tmp_path / "index.md"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result, problems = record(path, SHOWN, stage, by, date, STAGES)
    return result, [p.format("zh") for p in problems], before, path.read_bytes()


def test_recording_the_next_stage_says_what_is_done_and_what_is_still_to_come(tmp_path):
    result, problems, _, after = recorded(tmp_path, case_md(review=FIRST, draft="true"), stage="复审")
    assert problems == []
    assert [(r.stage, r.by, r.date) for r in result.done] == [("初审", "甲", dt.date(2025, 5, 1)),
                                                            ("复审", "张三", dt.date(2025, 6, 1))]
    assert result.waiting == ("终审",) and result.draft is True
    assert "  - {stage: 初审, by: 甲, date: 2025-05-01}\n  - {stage: 复审, by: 张三, date: 2025-06-01}\n" in after.decode()


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
    result, problems, before, after = recorded(tmp_path, case_md(review=FIRST), stage="复审", date=dt.date(2025, 4, 30))
    assert result is None and after == before
    assert problems == ["审核日期 2025-04-30 早于上一环节“初审”的日期 2025-05-01\n"
                        "    提示：请核对日期，用 --date 年-月-日 写明实际审核日期。"]


def test_a_review_list_written_as_null_is_refused_with_the_line_to_add_by_hand(tmp_path):
    result, problems, before, after = recorded(tmp_path, case_md(review="~"))
    assert result is None and after == before
    assert problems == ["content/cases/a/index.md: 无法自动修改信息头中的 review:（review 的值是 ~ 或 null，请改为空）\n"
                        "    提示：请手动在信息头的 review: 下加一行：- {stage: 初审, by: 张三, date: 2025-06-01}"]


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
        "    提示：请写案例的文件夹名（content/cases/ 下的文件夹），或者文件夹的路径；运行 showcase status 可以查看全部案例。"]
