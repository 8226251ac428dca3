"""FieldReader: every field of site.yaml and front matter is read through it, so what it says
about a wrong value is what an editor reads at `path:line`."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.errors import Problem
from builder.yamlio.fields import FieldReader, loose_date, read_date
from builder.yamlio.source import parse_yaml


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
                                     "2024/06/12", "２０２４/６/１２", "20240612", " 20240612 "])
def test_a_date_written_by_hand_is_read_as_the_real_date_it_names(written):
    assert loose_date(written) == dt.date(2024, 6, 12)


@pytest.mark.parametrize("written", ["2024-02-30", "2024/2/30", "2023年2月29日", "2024/13/1", "24/6/12", "6/12/2024",
                                     "2024/6.12", "2024年6-12", "June 12, 2024", "", "2024612", "20241306", "2024 0612"])
def test_text_that_is_not_unambiguously_a_real_date_is_not_read_as_one(written):
    assert loose_date(written) is None


@pytest.mark.parametrize("written, taken, meant", [
    ("2024-06-12", dt.date(2024, 6, 12), None), ("2024-6-1", dt.date(2024, 6, 1), None),
    (" 2024-06-12 ", dt.date(2024, 6, 12), None),
    ("2024/6/12", None, dt.date(2024, 6, 12)), ("2024年6月12日", None, dt.date(2024, 6, 12)),
    ("20240612", None, dt.date(2024, 6, 12)), ("2024 - 6 - 12", None, dt.date(2024, 6, 12)),
    ("2024-02-30", None, None), ("6月12日", None, None), ("明天", None, None), ("", None, None),
])
def test_a_date_is_taken_as_written_or_read_as_the_date_meant_by_one_function(written, taken, meant):
    assert read_date(written) == (taken, meant)


def test_a_date_written_as_eight_digits_is_a_number_to_yaml_and_gets_the_corrected_value():
    fields, problems = read("title: 案例\ndate: 20240612\n")
    assert fields.date("date", required=True) is None
    assert printed(problems) == [
        "content/cases/a/index.md:3: 日期“20240612”格式不对，应为 年-月-日，请改为 2024-06-12\n"
        "    提示：把这一行改成 date: 2024-06-12（月和日用两位数字，中间用英文短横线）。"]


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


def test_a_date_that_does_not_exist_says_why_in_words_of_the_catalogue():
    fields, problems = read("date: 2024/2/30\n")
    assert fields.date("date") is None
    assert printed(problems) == [
        "content/cases/a/index.md:2: 日期“2024/2/30”不存在：2024 年 2 月只有 29 天，没有 30 日\n"
        "    提示：请核对日期，写成 年-月-日，例如 2025-06-12。"]
    assert printed(problems, "en") == [
        "content/cases/a/index.md:2: the date '2024/2/30' does not exist: 2/2024 has 29 days, not 30\n"
        "    hint: check the date and write it as year-month-day, e.g. 2025-06-12."]


@pytest.mark.parametrize("written, why", [
    ("2025-13-40", "月份应为 1–12，这里写的是 13"), ("'2024-02-30'", "2024 年 2 月只有 29 天，没有 30 日"),
    ("2025-02-29", "2025 年 2 月只有 28 天，没有 29 日"), ("2025-04-31", "2025 年 4 月只有 30 天，没有 31 日"),
    ("2025-00-10", "月份应为 1–12，这里写的是 0"), ("2025年6月0日", "2025 年 6 月只有 30 天，没有 0 日"),
])
def test_an_impossible_date_is_one_problem_saying_why_without_pythons_english(written, why):
    fields, problems = read(f"date: {written}\n")
    assert fields.date("date") is None
    assert [p.code for p in problems] == ["bad_date_impossible"]
    assert problems[0].message("zh").endswith("不存在：" + why)
    assert "must be in" not in problems[0].message("en") and "out of range" not in problems[0].message("en")


@pytest.mark.parametrize("written", ["六月十二日", "24/6/12", "2024年", "下周一"])
def test_unreadable_dates_keep_the_plain_message(written):
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


# --- a value of the wrong kind: what is wrong and an example, in both languages -------------------

@pytest.mark.parametrize("yaml_text, read_it, zh, en", [
    ("title: [甲, 乙]\n", lambda f: f.str("title"),
     "content/cases/a/index.md:2: “title”应为文字，现在是列表\n    提示：例如 title: 西翟村“基层智理”议事平台",
     "content/cases/a/index.md:2: 'title' must be text, got a list\n    hint: e.g. title: 西翟村“基层智理”议事平台"),
    ("featured: 是\n", lambda f: f.bool("featured"),
     "content/cases/a/index.md:2: “featured”应为true 或 false，现在是“是”\n    提示：只能写 true（是）或 false（否）。",
     "content/cases/a/index.md:2: 'featured' must be true or false, got '是'\n    hint: write true (yes) or false (no)."),
    ("weight: 十\n", lambda f: f.int("weight"),
     "content/cases/a/index.md:2: “weight”应为整数，现在是“十”\n    提示：例如 weight: 10",
     "content/cases/a/index.md:2: 'weight' must be a whole number, got '十'\n    hint: e.g. weight: 10"),
    ("weight: true\n", lambda f: f.int("weight"),
     "content/cases/a/index.md:2: “weight”应为整数，现在是true\n    提示：例如 weight: 10",
     "content/cases/a/index.md:2: 'weight' must be a whole number, got true\n    hint: e.g. weight: 10"),
    ("quality: 八十\n", lambda f: f.number("quality", 82, 30, 100),
     "content/cases/a/index.md:2: “quality”应为数字，现在是“八十”\n    提示：例如 quality: 82",
     "content/cases/a/index.md:2: 'quality' must be a number, got '八十'\n    hint: e.g. quality: 82"),
    ("tags: {调解: 1}\n", lambda f: f.str_list("tags"),
     "content/cases/a/index.md:2: “tags”应为列表（每项一行，以“- ”开头），现在是若干项\n    提示：例如\n"
     "      tags:\n        - 调解\n        - 志愿服务\n    或 tags: [调解, 志愿服务]",
     "content/cases/a/index.md:2: 'tags' must be a list (one '- item' per line), got a set of fields\n    hint: e.g.\n"
     "      tags:\n        - 调解\n        - 志愿服务\n    or tags: [调解, 志愿服务]"),
    ("extra: 备注\n", lambda f: f.mapping_of("extra"),
     "content/cases/a/index.md:2: “extra”应为“名称: 值”形式的若干项，现在是“备注”\n    提示：每行写一项，下一级比上一级多缩进两个空格。",
     "content/cases/a/index.md:2: 'extra' must be a set of 'key: value' fields, got '备注'\n"
     "    hint: one field per line, each level indented two spaces more than the one above."),
])
def test_a_value_of_the_wrong_kind_says_what_was_expected_and_shows_an_example(yaml_text, read_it, zh, en):
    fields, problems = read(yaml_text)
    read_it(fields)
    assert printed(problems) == [zh]
    assert printed(problems, "en") == [en]


def test_english_messages_about_wrong_values_hold_no_chinese_words_of_ours():
    fields, problems = read("a: [1]\nb: {x: 1}\nc: 是\n")
    fields.str("a"), fields.bool("b"), fields.int("c")
    assert [p.message("en") for p in problems] == ["'a' must be text, got a list",
                                                  "'b' must be true or false, got a set of fields",
                                                  "'c' must be a whole number, got '是'"]


def test_a_wrong_value_falls_back_to_the_default_so_reading_goes_on():
    fields, problems = read("title: [x]\nfeatured: 1\nweight: x\nquality: x\ntags: {a: 1}\nextra: x\n")
    assert (fields.str("title", "默认"), fields.bool("featured", True), fields.int("weight", 7),
            fields.number("quality", 82.0, 30, 100), fields.str_list("tags"), fields.mapping_of("extra")) == (
        "默认", True, 7, 82.0, (), None)
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7]


# --- text, numbers, required and empty fields ------------------------------------------------------

@pytest.mark.parametrize("yaml_text, text", [("title: 2025\n", "2025"), ("title: 2025-06-01\n", "2025-06-01"),
                                             ("title: 3.5\n", "3.5"), ("title: '  留白  '\n", "留白")])
def test_numbers_and_dates_where_text_belongs_are_text(yaml_text, text):
    fields, problems = read(yaml_text)
    assert fields.str("title") == text and problems == []


def test_a_missing_required_field_is_reported_where_the_fields_begin():
    fields, problems = read("site: xizhai-cun\ndate: 2024-05-01\n")
    assert fields.str("title", required=True) == ""
    assert printed(problems) == ["content/cases/a/index.md:2: 缺少必填项“title”\n"
                                 "    提示：请在这一项中加上一行 title: …（案例文件写在开头两行 --- 之间）"]
    assert printed(problems, "en") == ["content/cases/a/index.md:2: missing required field 'title'\n"
                                       "    hint: add a line 'title: …' to the front matter."]


@pytest.mark.parametrize("yaml_text", ["site: x\ntitle:\n", "site: x\ntitle: ''\n", "site: x\ntitle: '   '\n"])
def test_a_required_field_left_empty_is_reported_on_its_own_line(yaml_text):
    fields, problems = read(yaml_text)
    assert fields.str("title", required=True) == ""
    assert printed(problems) == ["content/cases/a/index.md:3: “title”不能为空\n    提示：请填写内容，或删除这一行。"]


def test_an_optional_field_left_empty_is_the_default_without_a_problem():
    fields, problems = read("summary:\nweight:\nfeatured:\ndate:\n")
    assert (fields.str("summary", "无"), fields.int("weight", 3), fields.bool("featured", True), fields.date("date")) == (
        "无", 3, True, None)
    assert problems == []


@pytest.mark.parametrize("yaml_text, value", [("paginate: 0\n", 0), ("paginate: 1001\n", 1001)])
def test_a_whole_number_out_of_range_says_the_range(yaml_text, value):
    fields, problems = read(yaml_text)
    assert fields.int("paginate", 20, low=1, high=1000) == 20
    assert printed(problems) == [f"content/cases/a/index.md:2: “paginate”应在 1 到 1000 之间，现在是 {value}\n"
                                 "    提示：请改成范围内的数字。"]
    assert printed(problems, "en")[0].startswith(
        f"content/cases/a/index.md:2: 'paginate' must be between 1 and 1000, got {value}\n")


def test_a_number_may_be_whole_or_not_and_is_checked_against_its_range():
    fields, problems = read("a: 82\nb: 0.5\nc: 2000\n")
    assert (fields.number("a", 1.0, 0.1, 1000), fields.number("b", 1.0, 0.1, 1000), fields.number("c", 1.0, 0.1, 1000)) == (
        82, 0.5, 1.0)
    assert [(p.line, p.code) for p in problems] == [(4, "number_range")]


# --- lists -----------------------------------------------------------------------------------------

def test_a_single_text_is_a_list_of_one():
    fields, problems = read("tags: 调解\nactions: 2024\n")
    assert fields.str_list("tags") == ("调解",) and fields.str_list("actions") == ("2024",)
    assert problems == []


def test_list_items_are_checked_one_by_one_on_their_own_lines():
    fields, problems = read("tags:\n  - 调解\n  - [嵌套]\n  -\n  - 调解\n  - ' '\n  - 志愿服务\n")
    assert fields.str_list("tags") == ("调解", "志愿服务")
    assert printed(problems) == [
        "content/cases/a/index.md:4: “tags[2]”应为文字，现在是列表\n    提示：例如 title: 西翟村“基层智理”议事平台",
        "content/cases/a/index.md:5: “tags[3]”应为文字，现在是空\n    提示：例如 title: 西翟村“基层智理”议事平台",
        "content/cases/a/index.md:6: “tags”中的“调解”重复出现\n    提示：每个名称只写一次。"]
    assert problems[2].message("en") == "'调解' appears twice in 'tags'"


def test_a_list_of_mappings_reads_bare_items_as_the_shorthand_key():
    fields, problems = read("photos:\n  - a.jpg\n  - src: b.jpg\n    caption: 说明\n")
    items = fields.list_of_mappings("photos", shorthand="src")
    assert [(item.str("src"), item.str("caption"), item.line("src")) for item in items] == [
        ("a.jpg", "", 3), ("b.jpg", "说明", 4)]
    assert problems == []


# --- keys --------------------------------------------------------------------------------------------

def test_an_unknown_key_is_reported_on_its_line_with_the_closest_known_key():
    fields, problems = read("titel: x\ncategroy: 农村\ncolour: red\n")
    fields.check_keys(("title", "site", "date", "category"))
    assert printed(problems) == [
        "content/cases/a/index.md:2: 未知的设置项“titel”——是不是“title”？\n"
        "    提示：可用的设置项：title, site, date, category。自定义内容请写在 extra: 下面。",
        "content/cases/a/index.md:3: 未知的设置项“categroy”——是不是“category”？\n"
        "    提示：可用的设置项：title, site, date, category。自定义内容请写在 extra: 下面。",
        "content/cases/a/index.md:4: 未知的设置项“colour”\n"
        "    提示：可用的设置项：title, site, date, category。自定义内容请写在 extra: 下面。"]
    assert problems[0].format("en") == ("content/cases/a/index.md:2: unknown key 'titel' — did you mean 'title'?\n"
                                        "    hint: known keys: title, site, date, category. Put free-form fields under extra:.")


def test_a_nested_mapping_reports_its_keys_on_their_own_lines():
    fields, problems = read("title: t\nfooter:\n  icp: 晋ICP备1号\n  icpp: x\n")
    footer = fields.mapping_of("footer")
    footer.check_keys(("organiser", "icp"))
    assert footer.str("icp") == "晋ICP备1号"
    assert [(p.line, p.params["key"]) for p in problems] == [(5, "icpp")]
    assert fields.lines() == {"title": 2, "footer": 3}


@pytest.mark.parametrize("word, candidates, close, zh, en", [
    ("titel", ["title", "site"], "title", "——是不是“title”？", " — did you mean 'title'?"),
    ("农业", ["农村", "社区"], "", "", ""),
    ("平安", ["平安建设", "强村富民"], "平安建设", "——是不是“平安建设”？", " — did you mean '平安建设'?"),
    ("x", [], "", "", ""),
])
def test_a_suggestion_is_offered_only_for_a_close_match(word, candidates, close, zh, en):
    from builder.yamlio.fields import suggestion, suggestion_params
    assert suggestion(word, candidates) == close
    problem = Problem("a.md", 1, "unknown_key", {"key": word, "allowed": "", **suggestion_params(word, candidates)})
    assert problem.message("zh") == f"未知的设置项“{word}”{zh}" and problem.message("en") == f"unknown key '{word}'{en}"


def test_choice_lists_are_said_the_readers_way_and_long_ones_are_cut_with_a_count():
    from builder.yamlio.fields import choice_params
    assert choice_params(["村", "社区"]) == {"allowed": ("村", "社区")}

    def hint(values, lang):
        return Problem("a.md", 1, "unknown_category", {"value": "x", **choice_params(values)}).hint(lang)
    assert hint(["农村", "社区"], "zh").startswith("可用的类别：农村、社区。") and "农村, 社区." in hint(["农村", "社区"], "en")
    assert hint([], "zh").startswith("可用的类别：（无）。") and "(none)" in hint([], "en")
    many = [f"c{i}" for i in range(14)]
    assert "、".join(many[:12]) + " 等 14 个" in hint(many, "zh") and ", ".join(many[:12]) + ", … (14 in all)" in hint(many, "en")
