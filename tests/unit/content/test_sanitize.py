"""builder.content.sanitize: raw HTML in bodies is published only as the allow-list lets it, and
everything the sanitiser takes away is an error at the line that wrote it."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings, strategies as st

from builder.content import markdown as md
from builder.content.markdown import MarkdownCache, convert, make_converter
from builder.content.sanitize import (ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_SCHEMES, Removal, clean, is_local,
                                      problems_of, sanitise)

CONVERTER = make_converter()


def rendered(body: str) -> md.Rendered:
    return convert(CONVERTER, body)


def removed(body: str) -> list[tuple]:
    """(kind, tag, name, value, 1-based line) of what the sanitiser took out of `body`."""
    return [(r.kind, r.tag, r.name, r.value, r.line + 1) for r in rendered(body).removed]


# --- what Markdown makes passes as it is -------------------------------------------------------

PLAIN = """\
## 基本情况

西翟村**搭建**了“有事好商量”议事平台，*群众*参与率达到 95%。

![村民议事会现场](photo-1.jpg "村民议事会现场")

- 第一项做法：[党员联户](/cases/lianhu/)
- 第二项做法：[新华网报道](https://www.news.cn/a.html)

1. 一
2. 二

> 引用一段话。

---

第二段，行内图 ![小图](photo-2.jpg) 和 `代码`。
"""


def test_a_body_without_raw_html_comes_out_byte_for_byte_as_markdown_made_it():
    html = CONVERTER.reset().convert(PLAIN)
    assert rendered(PLAIN) == md.Rendered(html, rendered(PLAIN).toc)
    assert sanitise(html) == html


RICH = """\
## 标题 & “引号” {: #intro .lead }

正文有脚注[^1]，上标 m<sup>2</sup>，下标 H<sub>2</sub>O，换行<br>继续。

| 左 | 中 | 右 |
|:---|:--:|---:|
| 1 | 2 | 3 |

3. 从三开始
4. 四

<table>
  <caption>表题</caption>
  <tr><th colspan="2" style="text-align: center">合并</th></tr>
  <tr><td>甲</td><td align="right">乙</td></tr>
</table>

<figure><img src="photo-1.jpg" alt="说明" width="600"><figcaption>图注</figcaption></figure>

<a href="mailto:a@b.cn">邮件</a> <a href="tel:+863591234567">电话</a>
<a href="https://www.news.cn/" target="_blank" rel="noopener">新窗口</a> <a href="../x/">相对</a>

[^1]: 脚注内容。
"""


class _Structure(HTMLParser):
    """Tags and attributes, with table styles compared as declarations."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, tuple((k, re.sub(r"[\s;]", "", v or "") if k == "style" else v) for k, v in attrs)))


def test_everything_our_markdown_extensions_emit_and_case_texts_need_is_kept():
    html = CONVERTER.reset().convert(RICH)
    body = rendered(RICH)
    assert body.removed == ()
    def structure(markup):          # the sanitiser's parser adds the <tbody> a browser would add
        return [item for item in _Structure(markup).items if item[0] != "tbody"]
    assert structure(body.html) == structure(html)
    assert 'id="fn:1"' in body.html and 'class="footnote-ref"' in body.html and 'id="intro"' in body.html
    assert 'style="text-align:center"' in body.html and '<ol start="3">' in body.html


def test_the_table_of_contents_holds_plain_text_for_the_template_to_escape():
    assert rendered("## 甲 & 乙 <b>丙</b>\n").toc == ((2, "甲-乙-丙", "甲 & 乙 丙"),)


# --- what goes, and the line that wrote it ------------------------------------------------------

UNSAFE = [
    ("<script>alert(1)</script>", ("tag", "script", "", "")),
    ('<img src="photo-1.jpg" onerror="alert(1)">', ("attribute", "img", "onerror", "alert(1)")),
    ("[链接](javascript:alert(1))", ("link", "a", "href", "javascript:alert(1)")),
    ('<iframe src="https://evil.example/"></iframe>', ("tag", "iframe", "", "")),
    ('<svg onload="alert(1)"><circle r="4"/></svg>', ("tag", "svg", "", "")),
    ('<p style="background:url(javascript:alert(1))">字</p>', ("attribute", "p", "style", "background:url(javascript:alert(1))")),
    ('<a href="data:text/html,<script>alert(1)</script>">数据</a>', ("link", "a", "href", "data:text/html,<script>alert(1)</script>")),
    ('<form action="https://evil.example/"><input name="q"><button>提交</button></form>', ("tag", "form", "", "")),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', ("tag", "meta", "", "")),
    ('<a href="javascript&#58;alert(1)">实体</a>', ("link", "a", "href", "javascript:alert(1)")),
    ('<a href="&#x6A;avascript&colon;alert(1)">实体</a>', ("link", "a", "href", "javascript:alert(1)")),
    ('<img src="x.jpg" alt="x"\tonerror="alert(1)">', ("attribute", "img", "onerror", "alert(1)")),
    ("<style>body{display:none}</style>", ("tag", "style", "", "")),
    ('<object data="x.swf"></object>', ("tag", "object", "", "")),
    ('<embed src="x.swf">', ("tag", "embed", "", "")),
    ('<link rel="stylesheet" href="https://evil.example/a.css">', ("tag", "link", "", "")),
    ('<base href="https://evil.example/">', ("tag", "base", "", "")),
    ("## 标题 {: onclick=\"alert(1)\" }", ("attribute", "h2", "onclick", "alert(1)")),
    ("[引用][r]\n\n[r]: javascript:alert(1)", ("link", "a", "href", "javascript:alert(1)")),
    ('<img src="data:image/png;base64,AAAA">', ("image", "img", "src", "data:image/png;base64,AAAA")),
    ("![外图](https://img.example.com/a.jpg)", ("remote_image", "img", "src", "https://img.example.com/a.jpg")),
    ('<img src="//img.example.com/a.jpg">', ("remote_image", "img", "src", "//img.example.com/a.jpg")),
    ("<font color=red>红字</font>", ("tag", "font", "", "")),
    ('<a href="https://x.example/" target="_top">链接</a>', ("attribute", "a", "target", "_top")),
]


@pytest.mark.parametrize("construct, expected", UNSAFE, ids=[e[0] + ":" + (e[1] or e[2]) for _, e in UNSAFE])
def test_each_unsafe_construct_is_removed_and_named_at_its_line(construct, expected):
    body = f"## 基本情况\n\n正文第一段。\n\n{construct}\n\n正文最后一段。\n"
    line = 7 if construct.startswith("[引用]") else 5           # a link's definition is what to fix
    assert removed(body) == [(*expected, line)]
    assert_safe(rendered(body).html)


class _Attributes(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.found += [(tag, k, v or "") for k, v in attrs]


def assert_safe(published: str) -> None:
    """Nothing in `published` that a browser would run or fetch from elsewhere."""
    parsed = _Attributes(published)
    assert set(parsed.tags) <= ALLOWED_TAGS
    for tag, name, value in parsed.found:
        assert name in ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset()) | {"target"}, (tag, name)
        if name == "href":
            scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):", value)
            assert scheme is None or scheme.group(1).lower() in LINK_SCHEMES, value
        if name == "src":
            assert is_local(value), value
        if name == "style":
            assert re.fullmatch(r"(text-align:\s*\w+)?", value), value


def test_nothing_that_runs_survives_a_body_of_every_unsafe_construct():
    body = "\n\n".join(construct for construct, _ in UNSAFE)
    assert_safe(rendered(body).html)
    assert len(rendered(body).removed) == len(UNSAFE)


def test_a_quote_written_to_break_out_of_an_attribute_stays_text_and_is_not_removed():
    """Markdown escapes the quote: the published alt text is what the author wrote, nothing runs."""
    body = '![a" onerror="alert(1)](photo-1.jpg)\n\n[字](https://x.example/" onclick="alert(1))\n'
    result = rendered(body)
    assert result.removed == ()
    assert_safe(result.html)
    assert ("img", "alt", 'a" onerror="alert(1)') in _Attributes(result.html).found


def test_the_same_construct_on_several_lines_is_reported_at_each_line():
    body = "<script>a()</script>\n\n正文。\n\n<script>b()</script>\n\n<b onclick=\"x\">粗</b> <i onclick=\"x\">斜</i>\n"
    assert [(kind, tag, line) for kind, tag, _, _, line in removed(body)] == [
        ("tag", "script", 1), ("tag", "script", 5), ("attribute", "b", 7), ("attribute", "i", 7)]


def test_a_construct_shown_as_code_is_not_taken_for_the_line_that_wrote_it():
    body = "写法示例：`<script>`\n\n<script>x()</script>\n"
    assert removed(body) == [("tag", "script", "", "", 3)]


def test_markdown_that_makes_a_tag_of_what_looks_like_code_is_still_found_at_its_line():
    """After a comment on the same line Python-Markdown passes the rest through as HTML."""
    body = "正文。\n\n<!-- 注 -->`<script>`\n"
    assert removed(body) == [("tag", "script", "", "", 3)]


def test_comments_are_left_out_of_the_published_page_without_a_problem():
    body = "正文<!-- 备注：电话待核实 -->继续。\n"
    result = rendered(body)
    assert (result.html, result.removed) == ("<p>正文继续。</p>", ())


def test_markup_two_parsers_read_differently_is_reported_as_altered():
    """Python's parser reads one comment; the browser's (and the sanitiser's) an empty comment, a
    script and text. The script goes, and the text that appears says the body was altered."""
    body = "正文。\n\n<!--> <script>alert(1)</script> -->\n"
    result = rendered(body)
    assert "script" not in result.html
    assert [(r.kind, r.line + 1) for r in result.removed] == [("altered", 3)]


def test_markup_pythons_parser_gives_up_on_is_reported_as_altered_at_its_line():
    body = "正文。\n\n<div><![图](photo-1.jpg)</div>\n"
    assert removed(body) == [("altered", "", "", "<![图](photo-1.jpg)</", 3)]


@pytest.mark.parametrize("url, local", [
    ("photo-1.jpg", True), ("/static/logo.png", True), ("../a/b.jpg", True), ("照片 1.jpg", True), ("", True),
    ("https://img.example.com/a.jpg", False), ("HTTP://x/a.jpg", False), ("//x.example/a.jpg", False),
    ("\\\\x.example\\a.jpg", False), ("/\\x.example/a.jpg", False), (" https://x/a.jpg", False),
    ("data:image/png;base64,AA", False), ("java\tscript:alert(1)", False), ("\x01javascript:alert(1)", False),
])
def test_images_come_only_from_this_site(url, local):
    assert is_local(url) is local


# --- problems ------------------------------------------------------------------------------------

def test_each_removal_is_an_error_naming_the_file_line_and_construct():
    removals = (Removal("tag", "script", line=2), Removal("attribute", "img", "onerror", "x()", 4),
                Removal("link", "a", "href", "javascript:x()", 6), Removal("image", "img", "src", "data:x", 7),
                Removal("remote_image", "img", "src", "https://img.example.com/a.jpg", 8),
                Removal("tag", "meta", line=9), Removal("altered", value="-->", line=10))
    problems = problems_of(removals, "content/cases/a/index.md", 8)
    assert [(p.path, p.line, p.is_error) for p in problems] == [("content/cases/a/index.md", n, True)
                                                                for n in (10, 12, 14, 15, 16, 17, 18)]
    assert [p.message() for p in problems] == [
        "正文里的 HTML 标记 <script> 不能发布",
        "正文里 <img> 标记的“onerror”属性不能发布",
        "链接地址“javascript:x()”不能发布",
        "图片地址“data:x”不能发布",
        "正文引用了其他网站的图片或文件：https://img.example.com/a.jpg",
        "正文里的 HTML 标记 <meta> 不能发布",
        "正文里有一段 HTML 写法有误，网站无法照原样发布（在“-->”附近）",
    ]
    assert "连同它的结束标记 </script>" in problems[0].hint() and "结束标记" not in problems[5].hint()
    assert problems[0].hint("en").startswith("the site publishes only safe HTML")


def test_a_long_address_is_cut_in_the_message():
    [problem] = problems_of((Removal("link", "a", "href", "data:text/html," + "A" * 5000),), "p.md", 1)
    assert len(problem.params["url"]) == 80 and problem.params["url"].endswith("…")


# --- the cache -----------------------------------------------------------------------------------

def test_what_was_removed_comes_back_from_the_cache_as_it_was_found(tmp_path):
    path = tmp_path / "markdown.json"
    texts = ["正文。\n\n<script>x()</script>\n", "正文。\n"]
    cache = MarkdownCache(path)
    fresh = cache.render_all(texts, workers=1)
    cache.save()
    again = MarkdownCache(path)
    assert again.render_all(texts, workers=1) == fresh
    assert fresh[0].removed == (Removal("tag", "script", line=2),)
    assert set(again.entries) == set(json.loads(path.read_text(encoding="utf-8")))


def test_the_cache_key_changes_with_the_sanitisers_policy(monkeypatch):
    before = md.digest("正文。")
    monkeypatch.setattr(md, "POLICY", "another-policy")
    assert md.digest("正文。") != before


@pytest.mark.parametrize("entry", [["<p>x</p>", []], ["<p>x</p>", [], [["tag", "script", "", ""]]],
                                   ["<p>x</p>", [], [["tag", "script", "", "", -1]]], ["<p>x</p>", [], None]],
                         ids=["before-the-sanitiser", "removal-short", "removal-negative-line", "removals-null"])
def test_a_cache_entry_without_a_sound_list_of_removals_is_rendered_again(tmp_path, entry):
    path = tmp_path / "markdown.json"
    path.write_text(json.dumps({md.digest("<script>x()</script>\n"): entry}), encoding="utf-8")
    cache = MarkdownCache(path)
    assert cache.entries == {}
    [result] = cache.render_all(["<script>x()</script>\n"], workers=1)
    assert result.removed == (Removal("tag", "script"),) and "script" not in result.html


# --- whatever is pasted, nothing runs ------------------------------------------------------------

FRAGMENTS = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<a href=",
             '"', "'", "javascript:", "java&#x09;script:", "&#106;", "data:text/html,", "<!--", "-->", "<!-->",
             "<style>", "<iframe>", "</p>", "<p title=\"", "\">", "<noscript>", "</noscript>", "<math>",
             "<table>", "<td style=\"", "background:url(", ")", "<b onmouseover=x()>", "[x](", "![y](",
             "<textarea>", "</textarea>", "<template>", "\n\n", " ", "字", "<", ">", "`", "<div>", "</div>",
             "<form>", "<input autofocus onfocus=alert(1)>", "<base href=//x>", "<meta http-equiv=refresh>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_no_mix_of_pasted_fragments_publishes_anything_that_runs(pieces):
    result = rendered("".join(pieces))
    assert_safe(result.html)
    assert clean(result.html, "".join(pieces))[1] == ()     # what is published holds nothing more to remove


SAFE_FRAGMENTS = ["**粗**", "*斜*", "[链接](https://x.cn/a?b=1&c=2)", "[站内](/cases/a/#基本情况)", "![图](photo-1.jpg)",
                  "<sup>2</sup>", "<sub>2</sub>", "<br>", "\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n", "\n\n", "\n## 标题\n",
                  "\n- 项\n", "\n3. 项\n", "\n> 引\n", "`<script>`", "&amp;", "&copy;", "&#160;", "&nbsp;", " < ",
                  " > ", " & ", '"', "'", "字", "[^1]", "\n\n[^1]: 注\n\n", "\n\n    code <b>\n\n", "<mailto:a@b.cn>",
                  "<https://x.cn/>", "\n\n<table><tr><td align=\"center\">x</td></tr></table>\n\n", "\n\n<!-- 注 -->\n\n",
                  '<a href="https://x.cn/" target="_blank">新窗</a>', "\u00a0", "—", "<span class=\"x\">字</span>",
                  "\n\n<div>\n块\n</div>\n\n", "\n\n<p>段</p>\n\n", "{: #id }"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SAFE_FRAGMENTS), max_size=14))
def test_no_mix_of_safe_markdown_and_html_is_reported_as_unsafe(pieces):
    assert rendered("".join(pieces)).removed == ()


# --- the content stage -----------------------------------------------------------------------------

def test_cases_model_sites_and_pages_alike_report_removed_html_at_the_line_of_their_file(make_site):
    from conftest import case_md
    from builder.config import load_config
    from builder.content.load import load_content
    root = make_site({
        "content/cases/a/index.md": case_md(body="## 基本情况\n\n正文。\n\n<script>x()</script>\n"),
        "content/sites/b/index.md": "---\ntitle: 乙村\nkind: 村\n---\n\n简介。<b onclick=\"x()\">粗</b>\n",
        "content/pages/about.md": "---\ntitle: 关于\n---\n\n[联系](javascript:x())\n",
    })
    site, _ = load_config(root)
    content, problems = load_content(root, site, MarkdownCache(None), workers=1)

    def line_of(rel, text):
        return (root / rel).read_text(encoding="utf-8").split("\n").index(text) + 1
    assert sorted((p.path, p.line, p.code) for p in problems) == [
        ("content/cases/a/index.md", line_of("content/cases/a/index.md", "<script>x()</script>"), "html_tag_removed"),
        ("content/pages/about.md", 5, "html_link_removed"),
        ("content/sites/b/index.md", 6, "html_attribute_removed"),
    ]
    assert content.pages[0].doc.body_html == "<p><a>联系</a></p>"
