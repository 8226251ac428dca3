from builder.yamlsource import decode_source, parse_yaml, split_front_matter


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


def test_impossible_date_is_a_problem_not_a_crash():
    _, problems = parse_yaml("date: 2025-02-30\n", "f.md")
    assert problems and problems[0].code == "yaml_syntax"


def test_impossible_date_is_reported_on_its_own_line_not_the_first():
    text = "title: 案例\nsite: xizhai-cun\ndate: 2025-02-30\ncategory: 农村\n"
    _, problems = parse_yaml(text, "content/cases/a/index.md", first_line=2)
    assert [p.format("zh") for p in problems] == [
        "content/cases/a/index.md:4: 格式错误：有一个值无法识别（day is out of range for month），例如不存在的日期\n"
        "    提示：检查这一行及上一行：冒号后要有空格，同一层级的缩进要对齐，含冒号或引号的文字请整体加英文引号。"]


def test_impossible_date_deep_in_a_list_is_reported_on_its_line():
    text = "title: 案例\nreview:\n  - stage: 初审\n    by: 张三\n    date: 2025-13-01\n"
    _, problems = parse_yaml(text, "f.md", first_line=2)
    assert [(p.line, p.params["detail"]) for p in problems] == [(6, "month must be in 1..12")]


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
