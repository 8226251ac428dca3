"""FieldReader: every field of site.yaml and front matter is read through it, so what it says
about a wrong value is what an editor reads at `path:line`."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.fields import FieldReader, loose_date
from builder.yamlsource import parse_yaml


def read(text: str, first_line: int = 2):
    """A reader over `text` as if it were front matter starting on line `first_line` of index.md."""
    parsed, problems = parse_yaml(text, "content/cases/a/index.md", first_line=first_line)
    assert problems == []
    problems = []
    return FieldReader(parsed, "content/cases/a/index.md", problems), problems


def printed(problems, lang: str = "zh") -> list[str]:
    return [p.format(lang) for p in problems]


# --- dates written the Chinese or slash way --------------------------------------------------------

@pytest.mark.parametrize("written", ["2024年6月12日", "2024/6/12", "2024.6.12", "2024 年 6 月 12 日", "2024年6月12",
                                     "2024/06/12", "２０２４/６/１２"])
def test_a_date_written_by_hand_is_read_as_the_real_date_it_names(written):
    assert loose_date(written) == dt.date(2024, 6, 12)


@pytest.mark.parametrize("written", ["2024-02-30", "2024/2/30", "2023年2月29日", "2024/13/1", "24/6/12", "6/12/2024",
                                     "2024/6.12", "2024年6-12", "June 12, 2024", "", "20240612"])
def test_text_that_is_not_unambiguously_a_real_date_is_not_read_as_one(written):
    assert loose_date(written) is None


def test_a_chinese_date_gets_the_corrected_value_in_chinese():
    fields, problems = read("title: 案例\ndate: 2024年6月12日\n")
    assert fields.date("date", required=True) is None
    assert printed(problems) == [
        "content/cases/a/index.md:3: 日期“2024年6月12日”格式不对，应为 年-月-日，请改为 2024-06-12\n"
        "    提示：把这一行改成 date: 2024-06-12（月和日用两位数字，中间用英文短横线）。"]


def test_a_slash_date_gets_the_corrected_value_in_english():
    fields, problems = read("title: 案例\ndate: 2024/6/12\n")
    assert fields.date("date", required=True) is None
    assert printed(problems, "en") == [
        "content/cases/a/index.md:3: date '2024/6/12' is not in the form YYYY-MM-DD: write it as 2024-06-12\n"
        "    hint: change the line to date: 2024-06-12 (two digits for month and day, joined by hyphens)."]


@pytest.mark.parametrize("written", ["2024.6.12", "2024/06/12", "'2024年6月12日'"])
def test_every_readable_form_suggests_the_same_iso_date(written):
    fields, problems = read(f"date: {written}\n")
    fields.date("date")
    assert [p.code for p in problems] == ["bad_date_fixable"]
    assert problems[0].message("zh").endswith("请改为 2024-06-12")
    assert problems[0].message("en").endswith("write it as 2024-06-12")


def test_the_hint_names_the_key_that_holds_the_date():
    fields, problems = read("review:\n  - stage: 初审\n    by: 张三\n    date: 2025年6月1日\n")
    (item,) = fields.list_of_mappings("review", "stage")
    item.date("date", required=True)
    assert [p.line for p in problems] == [5]
    assert problems[0].hint("zh") == "把这一行改成 date: 2025-06-01（月和日用两位数字，中间用英文短横线）。"


def test_a_date_that_does_not_exist_keeps_the_plain_message_without_a_guess():
    fields, problems = read("date: 2024/2/30\n")
    assert fields.date("date") is None
    assert printed(problems) == [
        "content/cases/a/index.md:2: 日期“2024/2/30”格式不对，应为 年-月-日（例如 2025-06-12）\n"
        "    提示：请改为 YYYY-MM-DD 形式，月和日用两位数字，中间用英文短横线。"]
    assert printed(problems, "en") == [
        "content/cases/a/index.md:2: date '2024/2/30' is not in the form YYYY-MM-DD (e.g. 2025-06-12)\n"
        "    hint: write the date as YYYY-MM-DD."]


@pytest.mark.parametrize("written", ["'2024-02-30'", "六月十二日", "24/6/12", "2024年", "下周一"])
def test_unreadable_or_impossible_dates_keep_the_plain_message(written):
    fields, problems = read(f"date: {written}\n")
    assert fields.date("date") is None
    assert [p.code for p in problems] == ["bad_date"]
    assert "请改为 YYYY-MM-DD 形式" in problems[0].hint("zh")


def test_a_number_where_a_date_belongs_gets_the_plain_message():
    fields, problems = read("date: 2024\n")
    assert fields.date("date") is None
    assert printed(problems, "en")[0].startswith("content/cases/a/index.md:2: date '2024' is not in the form YYYY-MM-DD")


@pytest.mark.parametrize("written, expected", [("2024-06-12", dt.date(2024, 6, 12)), ("'2024-06-12'", dt.date(2024, 6, 12)),
                                               ("2024-6-2", dt.date(2024, 6, 2)), ("2024-06-12 09:30:00", dt.date(2024, 6, 12))])
def test_iso_dates_quoted_or_not_and_date_times_are_accepted_silently(written, expected):
    fields, problems = read(f"date: {written}\n")
    assert fields.date("date") == expected
    assert problems == []
