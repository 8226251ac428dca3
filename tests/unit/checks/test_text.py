"""The pure parts of `showcase check`: word lists, punctuation, snippets, sections, slugs for new
cases, dates typed by people, and what a page makes a browser fetch."""
from __future__ import annotations


import pytest

from builder.checks.sitewide import fetched_urls
from builder.checks.text import (TextLine, check_punctuation, check_sections, check_words, parse_wordlist,
                                 snippet)
from builder.model import Document
from builder.editors.newcase import case_slug, free_slug


def line(text: str) -> TextLine:
    return TextLine("a.md", 7, text, "body")


def test_parse_wordlist_reads_pairs_terms_and_comments():
    words, problems = parse_wordlist("\ufeff# 说明\n做为 => 作为\n\n  禁用词  \n既使=>即使\n=> 空\n甲 => 乙 => 丙\n", "w.txt")
    assert [(w.wrong, w.right, w.line) for w in words] == [("做为", "作为", 2), ("禁用词", None, 4), ("既使", "即使", 5)]
    assert [(p.line, p.params["text"]) for p in problems] == [(6, "=> 空"), (7, "甲 => 乙 => 丙")]


def test_check_words_reports_each_word_once_per_line_with_its_fix():
    words, _ = parse_wordlist("做为 => 作为\nXXX\n", "w")
    found = check_words([line("把议事做为抓手，做为重点"), line("XXX村")], words)
    assert [(p.code, p.params.get("fix"), p.is_error) for p in found] == [
        ("word_misspelt", "作为", False), ("word_forbidden", None, True)]
    assert found[1].params["count"] == 1


@pytest.mark.parametrize("text, chars", [
    ("村里,镇里", [","]),
    ("大家说:好", [":"]),
    ("好吗?好的", ["?"]),
    ("西翟村(河津市)开展", ["(", ")"]),
    ("“议事平台”,让群众", [","]),
    ("村里, 镇里", [","]),
    ("Hello, world", []),
    ("2025年, 3 times", []),
    ("共 3 次,见", [","]),
    ("共 3 次, 3 个", []),
    ("见[西翟村](/cases/a,b/)", []),
    ("`代码,代码`", []),
    ("<span title=\"甲,乙\">", []),
    ("村里，镇里。", []),
])
def test_half_width_punctuation_is_found_only_between_chinese(text, chars):
    assert [p.params["char"] for p in check_punctuation([line(text)])] == chars


def test_snippet_shows_a_few_characters_around_the_hit():
    assert snippet("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸", 10, 1) == "…三四五六七八九十甲乙丙丁戊己庚辛壬…"
    assert snippet("短句", 0, 1) == "短句"


def doc(body: str) -> Document:
    return Document(source="a.md", slug="a", title="t", body_md=body, body_line=10)


def test_empty_sections_are_headings_without_text_before_a_sibling():
    body = "## 一\n\n## 二\n\n### 二之一\n\n文字\n\n## 三\n\n【填写提示】写。\n\n## 四\n"
    assert [(p.line, p.params["heading"]) for p in check_sections(doc(body))] == [(10, "一"), (22, "四")]


@pytest.mark.parametrize("title, site, site_title, slug", [
    ("西翟村：“基层智理”议事平台与精神文明建设", "xizhai-cun", "西翟村", "xizhai-jiceng-zhili"),
    ("西翟村议事平台", "xizhai-cun", "西翟村", "xizhai-yishi-pingtai"),
    ("西翟议事平台", "xizhai-cun", "西翟村", "xizhai-yishi-pingtai"),
    ("龙门集团转型", "longmen-jituan", "龙门集团", "longmen-zhuanxing"),
    ("Village talks", "example-village", "Example", "example-village-talks"),
    ("府西社区“府西夜话”", "fuxi-shequ", "府西社区", "fuxi-fuxi-yehua"),
])
def test_case_slugs_come_from_the_model_site_and_the_titles_key_words(title, site, site_title, slug):
    assert case_slug(title, site, site_title) == slug


def test_free_slug_counts_up():
    assert free_slug("a", {"b"}) == "a"
    assert free_slug("a", {"a", "a-2"}) == "a-3"


def test_fetched_urls_of_css_and_js():
    css = b"@import url('https://a.example/x.css'); @import \"//b.example/y.css\"; p{background:url( https://c.example/z.png )}"
    assert fetched_urls("static/s.css", css) == ["https://a.example/x.css", "https://c.example/z.png", "//b.example/y.css"]
    js = (b'import x from "https://esm.example/m.js"; fetch(\'https://api.example/\'); img.src = "//px.example/p.gif";'
          b' var ns = "http://www.w3.org/2000/svg"; // https://comment.example/')
    assert fetched_urls("static/s.js", js) == ["https://esm.example/m.js", "https://api.example/", "//px.example/p.gif"]
    assert fetched_urls("feed.xml", b'<link href="https://x.example/"/>') == []
