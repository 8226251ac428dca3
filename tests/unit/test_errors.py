from builder.errors import BuildError, Problem, WARNING


def test_problem_prints_path_line_message_and_hint_in_chinese():
    problem = Problem("content/cases/x/index.md", 4, "bad_date", {"value": "2024/1/2"})
    assert problem.format("zh") == (
        "content/cases/x/index.md:4: 日期“2024/1/2”格式不对，应为 年-月-日（例如 2025-06-12）\n"
        "    提示：请改为 YYYY-MM-DD 形式，月和日用两位数字，中间用英文短横线。")


def test_problem_prints_in_english_on_request():
    problem = Problem("content/cases/x/index.md", 4, "bad_date", {"value": "2024/1/2"})
    assert problem.format("en").startswith("content/cases/x/index.md:4: date '2024/1/2' is not in the form YYYY-MM-DD")


def test_warnings_are_labelled_and_not_errors():
    problem = Problem("a.md", None, "stray_markdown", severity=WARNING)
    assert not problem.is_error
    assert problem.format("zh").startswith("a.md: 警告：")


def test_build_error_sorts_problems_by_file_and_line():
    error = BuildError([Problem("b.md", 2, "missing_key", {"key": "title"}),
                        Problem("a.md", 9, "missing_key", {"key": "title"}),
                        Problem("a.md", 3, "missing_key", {"key": "site"})])
    assert [(p.path, p.line) for p in error.problems] == [("a.md", 3), ("a.md", 9), ("b.md", 2)]


def test_every_message_has_text_in_both_languages():
    from builder import i18n
    for lang in ("zh", "en"):
        for code, entry in i18n.catalogue(lang).items():
            assert entry["message"] and all(isinstance(t, str) for t in entry.values()), (lang, code)
