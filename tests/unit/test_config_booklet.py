"""site.yaml's booklet: section, read and checked like the rest of the file."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.config import parse_config

BASE = "title: 站\ncategories: [农村]\n"


def test_no_booklet_section_gives_the_defaults():
    site, problems = parse_config(BASE)
    assert problems == [] and site.booklet.group_by == "category" and site.booklet.title == ""


@pytest.mark.parametrize("written, month", [("2026-12", dt.date(2026, 12, 1)), ("2026-3", dt.date(2026, 3, 1)),
                                            ("2026-12-15", dt.date(2026, 12, 1)), ('"2026-12-15"', dt.date(2026, 12, 1))])
def test_the_month_is_read_as_the_first_day_of_that_month(written, month):
    site, problems = parse_config(BASE + f"booklet:\n  month: {written}\n")
    assert problems == [] and site.booklet.month == month


def test_a_bad_month_and_a_bad_grouping_are_reported_on_their_lines():
    site, problems = parse_config(BASE + "booklet:\n  month: 2026年12月\n  group_by: 类别\n  titel: 汇编\n")
    assert [(p.line, p.message()) for p in problems] == [
        (6, "未知的设置项“titel”——是不是“title”？"),
        (5, "“group_by”的值“类别”不在可选范围内"),
        (4, "汇编的月份“2026年12月”格式不对，应为 年-月，例如 2026-12"),
    ]
    assert site.booklet.month is None and site.booklet.group_by == "category"


def test_the_line_of_each_key_is_kept_for_later_problems():
    site, _ = parse_config(BASE + "booklet:\n  title: 汇编\n  preface: qianyan\n")
    assert site.booklet.lines["preface"] == 5
