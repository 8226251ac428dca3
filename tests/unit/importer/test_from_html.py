"""html_to_markdown: clean Markdown from what Word, WPS, Google Docs and web pages put on the
clipboard, and nothing from hostile HTML that could run or load in the published page."""
from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given, settings, strategies as st

from builder.content.markdown import convert, make_converter
from builder.importer.from_html import FoundImage, html_to_markdown

PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def md(html: str) -> str:
    return html_to_markdown(html).markdown


# --- text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("html, expected", [
    ("<p>　　村里有<b>议事</b><b>平台</b>和<i>理事会</i>。</p>", "村里有**议事平台**和*理事会*。\n"),
    ("<p>&nbsp;</p><p>　</p><p>正文。</p><p></p>", "正文。\n"),
    ("<p>第一行<br>第二行。</p>", "第一行第二行。\n"),
    ("<p>first line<br/>second line</p>", "first line second line\n"),
    ("<p>村里\r\n  有平台。</p>", "村里有平台。\n"),
    ("<p><font face='仿宋' color=red size=5><span style='font-size:16pt'>字体颜色都不要</span></font></p>", "字体颜色都不要\n"),
    ("<p><u>下划线</u>不是强调</p>", "下划线不是强调\n"),
    ("<p>面积120m<sup>2</sup>，CO<sub>2</sub>排放</p>", "面积120m²，CO₂排放\n"),
    ("<p>旧的<s>删掉的</s>新的</p>", "旧的新的\n"),
], ids=["bold-italic-indent", "empty-paragraphs", "br-chinese", "br-latin", "source-newline", "fonts", "underline",
        "sup-sub", "struck-out"])
def test_text_comes_out_clean(html, expected):
    assert md(html) == expected


def test_lists_tables_and_links_are_kept():
    html = ("<ul><li>一项</li><li>两项<ol><li>甲</li><li>乙</li></ol></li></ul>"
            "<table><tr><td><p>项目</p></td><td>户|数</td></tr><tr><td>村民</td><td>120</td></tr></table>"
            "<p>见<a href='https://www.hejin.gov.cn/a b'>市政府网站</a>和<a href='/cases/x/'>案例</a>。</p>")
    assert md(html) == ("- 一项\n- 两项\n    1. 甲\n    2. 乙\n\n"
                        "| 项目 | 户\\|数 |\n| --- | --- |\n| 村民 | 120 |\n\n"
                        "见[市政府网站](https://www.hejin.gov.cn/a%20b)和[案例](/cases/x/)。\n")


def test_headings_are_renumbered_so_the_top_one_is_h2():
    assert md("<h1>大标题</h1><p>文字。</p><h3>小标题</h3><p>文字二。</p>") == "## 大标题\n\n文字。\n\n### 小标题\n\n文字二。\n"


def test_numbered_lines_that_stand_alone_become_headings_and_a_run_of_them_a_list():
    html = ("<p>一、基本情况</p><p>正文。</p><p>（一）<b>搭建平台</b></p><p>正文二。</p>"
            "<p>1. 理论武装</p><p>2. 强村富民</p><p>（二）建立机制。村里每月开会。</p>")
    assert md(html) == ("## 一、基本情况\n\n正文。\n\n### （一）搭建平台\n\n正文二。\n\n"
                        "1. 理论武装\n\n2. 强村富民\n\n（二）建立机制。村里每月开会。\n")


# --- Word's, WPS's and Google Docs' clipboard -------------------------------------------------

WORD_CLIPBOARD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{font-size:12pt}</style></head>
<body lang=ZH-CN><!--StartFragment-->
<p class=MsoNormal style='text-indent:2em'><span style='font-family:仿宋'>一、基本情况<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18pt;text-indent:-18pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>每月开一次会<o:p></o:p></p>
<p class=MsoListParagraph style='margin-left:18pt;text-indent:-18pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>2.<span>&nbsp; </span></span><![endif]>结果张榜公布<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level2 lfo1'><span style='mso-list:Ignore'>o<span>&nbsp; </span></span>在村委会门口</p>
<p class=MsoNormal>平台运行以来，纠纷减少<a style='mso-footnote-id:ftn1' href="#_ftn1" name="_ftnref1"><span
class=MsoFootnoteReference><span style='mso-special-character:footnote'><![if !supportFootnotes]><span class=MsoFootnoteReference>[1]</span><![endif]></span></span></a>。</p>
<!--[if gte vml 1]><v:shape style='width:300pt'><v:imagedata src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png"/></v:shape><![endif]--><![if !vml]><img width=400 src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"><![endif]>
<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>
<p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href="#_ftnref1" name="_ftn1"><span class=MsoFootnoteReference>[1]</span></a> 据村委会统计。</p></div></div>
<!--EndFragment--></body></html>"""


def test_word_clipboard_html_becomes_headings_lists_footnotes_and_a_picture_to_fetch():
    result = html_to_markdown(WORD_CLIPBOARD)
    assert result.markdown == ("## 一、基本情况\n\n1. 每月开一次会\n2. 结果张榜公布\n    - 在村委会门口\n\n"
                               "平台运行以来，纠纷减少[^1]。\n\n![](image-1.jpg)\n\n[^1]: 据村委会统计。\n")
    assert result.images == (FoundImage("image-1.jpg", None, "image/jpeg",
                                         "file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"),)


def test_google_docs_bold_wrapper_is_not_bold_but_its_styled_spans_are():
    html = ('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-4f1"><p dir="ltr">'
            '<span style="font-weight:700;">加粗</span><span style="font-weight:400;">普通</span>'
            '<span style="font-style:italic;">倾斜</span></p></b>')
    assert md(html) == "**加粗**普通*倾斜*\n"


def test_wps_bold_by_css_class_name_alone_is_plain_text():
    assert md('<p class="p1"><span class="s1" style="font-family:宋体">文字</span></p>') == "文字\n"


# --- pictures --------------------------------------------------------------------------------------

def test_embedded_pictures_are_returned_with_their_bytes_and_named_by_the_caller():
    data_url = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    result = html_to_markdown(f'<p>前</p><p><img src="{data_url}" alt="村民[议事]"></p><p><img src="photo-3.jpg"></p>',
                              image_name=lambda n, t: f"paste-{n}.{t.rpartition('/')[2]}")
    assert result.markdown == "前\n\n![村民 议事](paste-1.png)\n\n![](photo-3.jpg)\n"
    assert result.images == (FoundImage("paste-1.png", PNG_1PX, "image/png"),
                             FoundImage("photo-3.jpg", None, "image/jpeg", "photo-3.jpg"))


def test_a_web_page_picture_is_a_reference_for_the_caller_never_a_link_to_the_other_host():
    result = html_to_markdown('<p><img src="https://cdn.example.com/a.png?x=1"></p>')
    assert result.markdown == "![](image-1.png)\n"
    assert result.images[0].reference == "https://cdn.example.com/a.png?x=1" and result.images[0].data is None


# --- hostile HTML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("html, expected", [
    ("<p>前<script>alert(1)</script>后</p>", "前后\n"),
    ("<p onclick='alert(1)' style='background:url(javascript:alert(1))'>文字</p>", "文字\n"),
    ("<p><a href='javascript:alert(1)'>点我</a></p>", "点我\n"),
    ("<p><a href=' JaVaScRiPt:alert(1)'>点我</a></p>", "点我\n"),
    ("<p><a href='java\tscript:alert(1)'>点我</a></p>", "点我\n"),
    ("<p><a href='data:text/html,<script>alert(1)</script>'>点我</a></p>", "点我\n"),
    ("<p><a href='//evil.example/x'>点我</a></p>", "点我\n"),
    ("<p><img src='javascript:alert(1)' onerror='alert(1)'>文字</p>", "文字\n"),
    ("<p><img src='data:text/html;base64,PHNjcmlwdD4='>文字</p>", "文字\n"),
    ("<p><img src='data:image/svg+xml;base64,PHN2Zz4='>文字</p>", "文字\n"),
    ("<iframe src='https://evil.example'></iframe><object data='x'></object><p>文字</p>", "文字\n"),
    ("<style>p{color:red}</style><p>文字</p><template><p>模板</p></template>", "文字\n"),
    ("<p>看得见</p><p style='display: none'>看不见</p><div hidden>也看不见</div>", "看得见\n"),
    ("<form><input value='x'><button>提交</button></form><p>文字</p>", "文字\n"),
    ("<svg><script>alert(1)</script><text>x</text></svg><p>文字</p>", "文字\n"),
    ("<p>文字<![a]>![a](javascript:b)</p>", "文字&lt;![a]>![a\\](javascript:b)\n"),
], ids=["script", "event-handler", "javascript-link", "javascript-link-case", "javascript-link-tab", "data-link",
        "protocol-relative-link", "javascript-image", "data-html-image", "svg-image", "iframe-object", "style-template",
        "hidden", "form", "svg", "markup-the-parser-rejects"])
def test_hostile_html_leaves_only_its_text(html, expected):
    assert md(html) == expected


@pytest.mark.parametrize("text, markdown, shown", [
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script>alert(1)&lt;/script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[点我](javascript:alert(1))", "[点我\\](javascript:alert(1))", "[点我](javascript:alert(1))"),
    ("&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;"),
    ("*不是强调*和_也不是_", "\\*不是强调\\*和\\_也不是\\_", "*不是强调*和_也不是_"),
    ("# 不是标题", "\\# 不是标题", "# 不是标题"),
    ("- 不是列表", "\\- 不是列表", "- 不是列表"),
    ("&lt;http://evil.example&gt;", "&lt;http://evil.example>", "&lt;http://evil.example&gt;"),
], ids=["tag", "link", "entity", "emphasis", "heading", "list", "autolink"])
def test_text_that_looks_like_markup_stays_text_on_the_page(text, markdown, shown):
    assert md(f"<p>{text}</p>") == markdown + "\n"
    assert convert(make_converter(), markdown).html == f"<p>{shown}</p>"


DANGER = re.compile(r"<(?:script|iframe|object|embed|style|form|svg|math|img[^>]*src=\"(?!photo|image-)|a [^>]*href=\"(?!https?://|mailto:|/[^/]|#fn))"
                    r"|<[^>]*\son\w+=|=\"\s*javascript:", re.I)

FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "<a href=\"https://ok.example\">ok</a>", "&lt;script&gt;", "<p>", "</p>", "<b>", "</b>", "<i>", "<br>", "<table><tr><td>",
    "</td></tr></table>", "<li>", "<ul>", "</ul>", "<h2>", "</h2>", "[x](javascript:y)", "![a](javascript:b)", "*", "_", "`",
    "<", ">", "&", "&#106;avascript:", "\"", "'", "一、标题", "（一）", "图为", "文字", " ", "\n", "\u3000", "<style>",
    "<svg onload=alert(1)>", "<iframe src=//x>", "<div style='display:none'>", "</div>", "<sup>2</sup>", "|",
    "<img src='data:image/png;base64,iVBORw0KGgo='>", "<a href='#_ftn1' name='_ftnref1'>[1]</a>", "<!--", "-->", "<![if !vml]>",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=30))
def test_whatever_the_html_the_rendered_page_holds_nothing_that_runs_or_loads(fragments):
    markdown = md("".join(fragments))
    rendered = convert(make_converter(), markdown)
    assert not rendered.error
    assert not DANGER.search(rendered.html), (markdown, rendered.html)
