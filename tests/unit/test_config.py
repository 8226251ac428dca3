from builder.config import normalise_base_url, parse_config, with_overrides


def codes(problems):
    return [p.code for p in problems]


def test_a_minimal_config_gets_defaults():
    site, problems = parse_config("title: 示例\ncategories: [农村]\n")
    assert problems == []
    assert (site.base_url, site.language, site.theme, site.output_dir, site.paginate) == ("/", "zh-CN", "default", "output", 20)
    assert site.images.widths == (480, 960, 1600)


def test_unknown_key_is_an_error_with_a_suggestion_and_line():
    _, problems = parse_config("title: 示例\ncategories: [农村]\ntitel: x\n")
    assert codes(problems) == ["unknown_key"]
    assert problems[0].line == 3
    assert "是不是“title”" in problems[0].message("zh")
    assert "did you mean 'title'" in problems[0].message("en")


def test_all_config_problems_are_collected():
    text = "title: 示例\nbase_url: ftp://x\nlanguage: fr\npaginate: 0\ncategories: 农村\nfooter: [a]\nactions:\n  - description: x\n"
    _, problems = parse_config(text)
    assert sorted(codes(problems)) == sorted(["bad_url", "bad_choice", "number_range", "wrong_type", "missing_key"])
    assert len(problems) == 5


def test_actions_get_pinyin_slugs_unless_given():
    site, problems = parse_config("title: t\ncategories: [a]\nactions:\n  - name: 平安建设\n  - {name: 强村富民, slug: qiangcun}\n")
    assert problems == []
    assert [(a.name, a.slug) for a in site.actions] == [("平安建设", "pinganjianshe"), ("强村富民", "qiangcun")]


def test_nav_urls_are_site_relative():
    site, _ = parse_config("title: t\ncategories: [a]\nnav:\n  - {title: 案例, url: /cases/}\n  - {title: 外链, url: 'https://x.cn/'}\n")
    assert [n.url for n in site.nav] == ["cases/", "https://x.cn/"]


def test_base_url_is_normalised_and_overridable():
    assert normalise_base_url("https://example.gov.cn/showcase") == "https://example.gov.cn/showcase/"
    assert normalise_base_url("/sub") == "/sub/"
    assert normalise_base_url("example.gov.cn") is None
    site, _ = parse_config("title: t\ncategories: [a]\n")
    site, problems = with_overrides(site, base_url="https://x.cn/a/b")
    assert problems == [] and site.base_path == "/a/b/"


def test_site_yaml_that_is_not_a_mapping_is_a_problem():
    _, problems = parse_config("- a\n- b\n")
    assert codes(problems) == ["not_a_mapping"]


def test_quoted_dates_are_dates_and_impossible_ones_are_not():
    from builder.fields import FieldReader
    from builder.yamlsource import parse_yaml
    parsed, _ = parse_yaml('a: "2024-05-01"\nb: "2024-02-30"\nc: 2024/05/01\n', "f.md")
    problems = []
    fields = FieldReader(parsed, "f.md", problems)
    assert str(fields.date("a")) == "2024-05-01"
    assert fields.date("b") is None and fields.date("c") is None
    assert [p.line for p in problems] == [2, 3]
