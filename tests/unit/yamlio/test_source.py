import pytest
import yaml

import builder.yamlio.source as yamlsource
from builder.i18n import Phrase
from builder.yamlio.source import decode_source, parse_yaml, split_front_matter


def test_parse_yaml_records_the_file_line_of_every_key():
    parsed, problems = parse_yaml("title: a\nphotos:\n  - src: x.jpg\n    caption: c\n", "f.md", first_line=2)
    assert problems == []
    assert parsed.line("title") == 2
    assert parsed.line("photos", 0, "src") == 4
    assert parsed.line("photos", 0, "caption") == 5
    assert parsed.line("missing") == parsed.line()


def test_yaml_syntax_error_names_the_line_in_the_file():
    text = "title: a\nsite: [b\n"
    _, problems = parse_yaml(text, "f.md", first_line=2)
    assert len(problems) == 1 and problems[0].code == "yaml_syntax"
    assert problems[0].line >= 3


def test_unclosed_quote_is_reported_where_it_opens():
    _, problems = parse_yaml('title: "abc\nsite: x\n', "f.md", first_line=2)
    assert problems[0].line == 2
    assert "引号没有配对" in problems[0].message("zh")


def test_an_impossible_date_is_read_as_the_text_written_so_the_rest_of_the_file_is_read():
    text = "title: 案例\nsite: xizhai-cun\ndate: 2025-02-30\ncategory: 农村\n"
    parsed, problems = parse_yaml(text, "content/cases/a/index.md", first_line=2)
    assert problems == []
    assert parsed.value == {"title": "案例", "site": "xizhai-cun", "date": "2025-02-30", "category": "农村"}
    assert parsed.line("date") == 4


def test_an_impossible_date_deep_in_a_list_is_read_as_text_too():
    text = "title: 案例\nreview:\n  - stage: 初审\n    by: 张三\n    date: 2025-13-01\n"
    parsed, problems = parse_yaml(text, "f.md", first_line=2)
    assert problems == [] and parsed.value["review"][0]["date"] == "2025-13-01"


def test_a_value_that_cannot_be_built_names_what_was_written_not_pythons_words():
    _, problems = parse_yaml("title: 案例\nweight: !!int 十\n", "f.md", first_line=2)
    assert [p.format("zh").split("\n")[0] for p in problems] == ["f.md:3: 格式错误：“十”无法按它标明的类型读取"]
    assert problems[0].format("en").startswith("f.md:3: YAML syntax error: '十' cannot be read as the type it is marked with")


def test_front_matter_split_gives_body_line():
    split, problems = split_front_matter("---\ntitle: a\n---\nbody\n", "f.md")
    assert problems == [] and split.front == "title: a" and split.body_line == 4 and split.body == "body\n"


def test_missing_and_unclosed_front_matter_are_problems():
    assert split_front_matter("title: a\n", "f.md")[1][0].code == "front_matter_missing"
    assert split_front_matter("---\ntitle: a\n", "f.md")[1][0].code == "front_matter_unclosed"


def test_decode_accepts_bom_and_crlf():
    text, problems = decode_source("\ufeff---\r\ntitle: 标题\r\n".encode("utf-8"), "f.md")
    assert problems == [] and text == "---\ntitle: 标题\n"


def test_decode_recognises_gbk_files():
    _, problems = decode_source("---\ntitle: 西翟村\n".encode("gbk"), "f.md")
    assert problems[0].code == "not_utf8_gbk"
    assert "另存为" in problems[0].hint("zh")


# --- the common mistakes, in Chinese, whichever loader PyYAML has ------------------------------------

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request, monkeypatch):
    """The C loader (libyaml) words its errors differently from the Python one; both are real."""
    monkeypatch.setattr(yamlsource, "_Loader", request.param)
    return request.param


@pytest.mark.parametrize("text, line, chinese", [
    ("title: 整治: 三年行动\nsite: x\n", 2, "这里不能出现冒号（文字中含英文冒号时，请给整段文字加引号）"),
    ("title: a\ntags:\n\t- 调解\n", 4, "不能用 Tab 键缩进，请改用空格"),
    ("title: a\nsite: b\n\tdate: c\n", 4, "不能用 Tab 键缩进，请改用空格"),
    ("title: *星号\n", 2, "出现了无法识别的 * 或 & 符号（文字以 * 或 & 开头时请加引号）"),
    ("title: '议事\nsite: x\n", 2, "引号没有配对"),
    ("tags: [调解, 志愿服务\nsite: x\n", 3, "方括号 [ ] 没有配对，或列表中的项之间缺少英文逗号"),
    ("title: @西翟村\n", 2, "文字不能以“@”开头，请给整段文字加英文引号"),
    ("title: a\nsummary: 摘要\x07\n", 3, "有一个看不见的控制字符（#x0007），常见于从网页或其他软件复制来的文字；请删掉这一行重新输入"),
    ("title: a\nsummary: 西翟村\x7f\n", 3, "有一个看不见的控制字符（#x007f），常见于从网页或其他软件复制来的文字；请删掉这一行重新输入"),
])
def test_common_yaml_mistakes_are_explained_in_chinese_on_their_line(loader, text, line, chinese):
    _, problems = parse_yaml(text, "content/cases/a/index.md", first_line=2)
    assert [(p.line, p.message("zh")) for p in problems] == [(line, f"格式错误：{chinese}")]


def test_misaligned_photo_entries_are_an_indentation_problem(loader):
    _, problems = parse_yaml("photos:\n  - src: a.jpg\n   caption: 说明\n", "f.md", first_line=2)
    assert problems[0].line == 4 and problems[0].message("zh").startswith("格式错误：缩进没有对齐")


def test_a_yaml_mistake_in_english_says_what_pyyamls_words_mean(loader):
    _, problems = parse_yaml("title: 整治: 三年行动\n", "f.md", first_line=2)
    assert problems[0].message("en").startswith("YAML syntax error: a colon cannot appear here")


def test_front_matter_may_end_with_three_dots_and_trailing_spaces():
    for text in ("---\ntitle: a\n...\nbody", "---  \ntitle: a\n---   \nbody"):
        split, problems = split_front_matter(text, "f.md")
        assert problems == [] and (split.front, split.front_line, split.body, split.body_line) == ("title: a", 2, "body", 4)


def test_a_blank_line_before_the_front_matter_is_reported_on_line_one():
    _, problems = split_front_matter("\n---\ntitle: a\n---\n", "f.md")
    assert [p.format("zh") for p in problems] == [
        "f.md:1: 文件开头缺少以 --- 开始的信息头\n"
        "    提示：文件第一行应为 ---，接着写 title: 等信息，再用一行 --- 结束，然后才是正文。"]


def test_bytes_that_are_neither_utf8_nor_gbk_are_reported_near_their_line():
    _, problems = decode_source(b"---\ntitle: a\nx: \xff\xfe\xfd\n", "f.md")
    assert [p.format("zh") for p in problems] == [
        "f.md:3: 文件不是 UTF-8 编码（第 3 行附近有无法识别的字节）\n"
        "    提示：请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。"]


def test_old_mac_line_endings_are_read_as_lines():
    text, problems = decode_source(b"---\rtitle: a\r---\r", "f.md")
    assert problems == [] and text == "---\ntitle: a\n---\n"


@pytest.mark.parametrize("text, value", [("a: &x [*x]\n", "a"), ("extra: &x {self: *x}\n", "extra")])
def test_a_collection_that_holds_an_alias_of_itself_is_read_not_a_crash(loader, text, value):
    parsed, problems = parse_yaml(text, "f.md", first_line=2)
    assert problems == [] and list(parsed.value) == [value]
    assert parsed.line(value, 0, 0, 0) == 2


# --- a key written twice ---------------------------------------------------------------------------

TWICE = "title: 议事平台\ntags: [调解]\nsite: xizhai-cun\ndate: 2024-05-01\ncategory: 农村\nsummary: 摘要\ntags: [志愿服务]\n"


def test_a_key_written_twice_is_a_problem_on_the_line_of_the_second_in_both_languages(loader):
    parsed, problems = parse_yaml(TWICE, "content/cases/a/index.md", first_line=3)
    assert [p.format("zh") for p in problems] == [
        "content/cases/a/index.md:9: “tags”写了两次（第 4 行和第 9 行），只能保留一个\n"
        "    提示：把两处“tags”的内容合并到一处（例如把标签都写进同一个列表），再删掉多余的那一行。"]
    assert [p.format("en") for p in problems] == [
        "content/cases/a/index.md:9: 'tags' is written twice (lines 4 and 9); keep one\n"
        "    hint: merge the two 'tags' into one (e.g. all the tags in one list) and delete the other line."]
    assert parsed.value["tags"] == ["志愿服务"]            # still read, so the other fields are checked too


def test_a_key_written_twice_inside_a_photo_entry_or_extra_is_a_problem_too(loader):
    text = "photos:\n  - src: a.jpg\n    caption: 一\n    caption: 二\n  - src: b.jpg\nextra:\n  备注: 甲\n  备注: 乙\n"
    _, problems = parse_yaml(text, "f.md", first_line=2)
    assert [(p.line, p.params["key"], p.params["first"]) for p in problems] == [(5, "caption", 4), (9, "备注", 8)]


def test_a_key_written_twice_on_one_line_says_so_instead_of_naming_the_line_twice(loader):
    _, problems = parse_yaml("photos:\n  - {src: a.jpg, caption: 一, caption: 二}\n", "f.md", first_line=2)
    assert [p.format("zh") for p in problems] == [
        "f.md:3: “caption”在这一行里写了两次，只能保留一个\n"
        "    提示：删掉其中一个“caption: …”，或把两处的内容合并到一处。"]
    assert [p.message("en") for p in problems] == ["'caption' is written twice on this line; keep one"]


def test_a_key_written_three_times_is_reported_at_each_later_line(loader):
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\na: 4\n", "f.md")
    assert [p.message("en") for p in problems] == ["'a' is written twice (lines 1 and 3); keep one",
                                                   "'a' is written twice (lines 1 and 4); keep one"]


@pytest.mark.parametrize("text", [
    "base: &b {title: 甲, tags: [x]}\nother:\n  <<: *b\n  title: 乙\n",      # a merge key brings keys to override
    "one: &a {src: a.jpg}\ntwo: *a\nthree: *a\n",                            # an alias is the same mapping again
    "1: 数字\n'1': 文字\n",                                                    # two different keys
    "photos:\n  - src: a.jpg\n  - src: a.jpg\n",                              # the same key in two entries
    "a: {b: 1}\nc: {b: 2}\n",
])
def test_keys_that_only_look_repeated_are_not_a_problem(loader, text):
    parsed, problems = parse_yaml(text, "f.md")
    assert parsed is not None and problems == []


@pytest.mark.parametrize("text, line", [
    ("title: 甲\nextra: {deep: " + "[" * 400 + "1" + "]" * 400 + "}\n", 2),      # Python's recursion limit
    ("title: 甲\nextra: " + "[" * 50_000 + "\n", 2),                             # libyaml would crash the process
    ("title: 甲\nextra: " + "- " * 100 + "x\n", 2),
    ("extra:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 70)) + " " * 140 + "v: 1\n", 66),
])
def test_lists_and_mappings_nested_absurdly_deep_are_a_problem_not_a_crash(text, line):
    parsed, problems = parse_yaml(text, "content/cases/a/index.md", first_line=2)
    assert parsed is None
    assert [p.format("zh") for p in problems] == [
        f"content/cases/a/index.md:{line + 1}: 列表和设置套了太多层（超过 64 层）\n"
        "    提示：案例的信息头只需要两三层；请检查是不是多打了方括号或花括号，或者缩进越来越深。"]
    assert problems[0].message("en") == "lists and mappings nest more than 64 levels deep"


def test_ordinary_nesting_and_brackets_inside_text_are_fine():
    text = "title: '[试点] {社区}'\ntags: [a, b]\nphotos:\n  - {src: a.jpg, caption: 一}\nextra:\n  a:\n    b:\n      c: [1, [2, [3]]]\n"
    parsed, problems = parse_yaml(text, "f.md")
    assert problems == [] and parsed.value["extra"]["a"]["b"]["c"] == [1, [2, [3]]]
