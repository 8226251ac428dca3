"""The `showcase check --html` report: what a reviewer reads in the browser."""
from __future__ import annotations

import datetime as dt
import re

from builder.checks.report import render_report
from builder.checks.run import CheckReport
from builder.checks.links import ExternalLink
from builder.config import parse_config
from builder.errors import WARNING, Problem
from builder.i18n import Phrase
from tests.conftest import SITE_YAML

DAY = dt.date(2025, 3, 8)
BROKEN = Problem("content/cases/b/index.md", 9, "link_broken", {"url": "/cases/nope/", "kind": Phrase("link_kind_link")})
BAD_DATE = Problem("content/cases/a/index.md", 4, "bad_date", {"value": "2024/1/2"})
NO_THEME = Problem("site.yaml", None, "theme_missing", {"theme": "fancy"})
BAD_URL = Problem("", None, "bad_url", {"value": "x"})
UNPUBLISHED = Problem("content/cases/a/index.md", 12, "link_unpublished", {"url": "/cases/later/", "title": "待发布",
                                                                                     "kind": Phrase("kind_case")},
                      severity=WARNING)


def report(*problems: Problem, rendered: bool = True, **fields) -> CheckReport:
    return CheckReport(problems=tuple(problems), rendered=rendered, **fields)


def items(page: str) -> list[str]:
    return re.findall(r"<li class=\"(?:error|warning)\">.*?</li>", page)


def test_a_clean_site_says_no_problems_and_lists_no_files():
    page = render_report(report(), [], today=DAY)
    assert '<p class="verdict ok">没有发现问题。</p>' in page
    assert "<h3>" not in page and "问题清单" not in page
    assert "<li><strong>0</strong>个错误</li>" in page and "<li><strong>0</strong>个警告</li>" in page
    assert "<p>没有外部链接。</p>" in page


def test_warnings_alone_ask_for_a_check_rather_than_a_fix():
    page = render_report(report(UNPUBLISHED), [], today=DAY)
    assert '<p class="verdict warn">没有错误，有一些警告：请逐条核对。</p>' in page
    assert "<li><strong>0</strong>个错误</li>" in page and "<li><strong>1</strong>个警告</li>" in page


def test_an_error_says_to_fix_before_publishing():
    page = render_report(report(BAD_DATE, UNPUBLISHED), [], today=DAY)
    assert '<p class="verdict bad">发现错误：请改正后再发布。</p>' in page
    assert "<li><strong>1</strong>个错误</li>" in page and "<li><strong>1</strong>个警告</li>" in page


def test_each_problem_names_its_file_then_its_line_message_and_hint():
    page = render_report(report(BROKEN, BAD_DATE), [], today=DAY)
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["content/cases/a/index.md", "content/cases/b/index.md"]
    assert items(page)[0] == (
        '<li class="error"><span class="badge">错误</span><span class="line">第 4 行</span>'
        f'{BAD_DATE.message("zh")}<p class="hint">提示：{BAD_DATE.hint("zh")}</p></li>')
    assert '<span class="line">第 9 行</span>链接“/cases/nope/”指向的页面不存在' in items(page)[1]


def test_problems_of_one_file_stay_together_and_warnings_are_marked():
    page = render_report(report(BAD_DATE, BROKEN, UNPUBLISHED), [], today=DAY)
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["content/cases/a/index.md", "content/cases/b/index.md"]
    first_file = page[page.index("<h3>content/cases/a/index.md</h3>"):page.index("<h3>content/cases/b/index.md</h3>")]
    assert '<span class="line">第 4 行</span>' in first_file and '<span class="line">第 12 行</span>' in first_file
    assert '<li class="warning"><span class="badge">警告</span><span class="line">第 12 行</span>' in first_file


def test_problems_of_the_whole_site_come_last_under_their_own_heading():
    page = render_report(report(BAD_URL, NO_THEME, BAD_DATE), [], today=DAY)
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["content/cases/a/index.md", "site.yaml", "整个网站"]


def test_a_problem_without_a_line_shows_no_line():
    page = render_report(report(NO_THEME), [], today=DAY)
    assert '<li class="error"><span class="badge">错误</span>找不到主题“fancy”' in page
    assert "第 None 行" not in page


def test_the_header_names_the_site_and_the_day_of_the_check():
    site, problems = parse_config(SITE_YAML)
    assert problems == []
    page = render_report(report(site=site), [], today=DAY)
    assert "<title>网站自查报告 - 测试案例库</title>" in page
    assert '<p class="meta">网站：测试案例库　生成日期：2025-03-08</p>' in page


def test_counts_of_what_was_checked_are_shown_in_a_fixed_order():
    counts = {"photos": 7, "cases": 3, "external_links": 2, "pages": 1}
    page = render_report(report(counts=counts), [], today=DAY)
    summary = re.search(r'<ul class="summary">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li><strong>(\d+)</strong>(.*?)</li>", summary) == [
        ("0", "个错误"), ("0", "个警告"), ("3", "个案例"), ("1", "个页面"), ("7", "张图片"), ("2", "个外部链接")]


def test_external_links_are_tabled_with_their_file_line_and_text():
    links = (ExternalLink("content/cases/a/index.md", 7, "https://www.news.cn/?a=1&b=2", "新华网"),
             ExternalLink("site.yaml", None, "https://www.gov.cn/", "政府网"))
    page = render_report(report(external_links=links), [], today=DAY)
    assert ("<tr><td>content/cases/a/index.md:7</td><td>https://www.news.cn/?a=1&amp;b=2</td><td>新华网</td></tr>"
            in page)
    assert "<tr><td>site.yaml</td><td>https://www.gov.cn/</td><td>政府网</td></tr>" in page
    assert "没有外部链接" not in page


def test_cases_held_back_are_listed_with_their_file_and_reason():
    held = [("待发布的案例", "content/cases/later/index.md", "草稿（draft: true）")]
    page = render_report(report(), held, today=DAY)
    assert "<h2>未发布的内容（案例、示范点、页面）</h2>" in page
    assert ("<tr><td>待发布的案例<br><small>content/cases/later/index.md</small></td>"
            "<td>草稿（draft: true）</td></tr>") in page
    assert "未发布的内容" not in render_report(report(), [], today=DAY)


def test_a_build_that_stopped_early_warns_that_pages_were_not_scanned():
    assert "构建没有完成，页面没有生成" in render_report(report(BAD_DATE, rendered=False), [], today=DAY)
    assert "构建没有完成" not in render_report(report(BAD_DATE), [], today=DAY)


def test_text_from_the_sources_is_escaped_everywhere():
    evil = Problem("content/cases/<b>/index.md", 1, "bad_date", {"value": "<script>alert(1)</script>"})
    links = (ExternalLink("content/cases/<b>/index.md", 2, "https://x.example/\"><script>", "<i>文字</i>"),)
    page = render_report(report(evil, external_links=links), [("<em>标题</em>", "a<b", "原因<br>")], today=DAY)
    assert "<script" not in page and "<em>" not in page and "<i>" not in page and "原因<br>" not in page
    assert "<h3>content/cases/&lt;b&gt;/index.md</h3>" in page and "&lt;i&gt;文字&lt;/i&gt;" in page


def test_the_report_reads_in_english():
    page = render_report(report(BAD_DATE, NO_THEME, BAD_URL, rendered=False), [("T", "s.md", "draft")],
                         lang="en", today=DAY)
    assert '<html lang="en">' in page and "<h1>Site self-inspection report</h1>" in page
    assert '<p class="meta">Site:  · Generated: 2025-03-08</p>' in page
    assert '<span class="badge">error</span><span class="line">line 4</span>' in page
    assert f'<p class="hint">Hint: {BAD_DATE.hint("en")}</p>' in page
    assert "<h3>The whole site</h3>" in page and "Not published (cases, model sites, pages)" in page
    assert "Errors found: fix them before publishing." in page and "the build did not finish" in page
    assert "错误" not in page


def test_a_language_other_than_english_gets_the_chinese_report():
    assert '<html lang="zh-CN">' in render_report(report(), [], lang="fr", today=DAY)


def test_the_report_is_one_self_contained_file():
    page = render_report(report(BAD_DATE, external_links=(ExternalLink("a.md", 1, "https://x.example/"),)), [],
                         today=DAY)
    assert page.startswith("<!doctype html>\n") and page.endswith("</html>\n")
    assert not re.search(r"<script|<link|<img|src=|href=|@import|url\(", page)


def test_english_counts_say_one_error_and_two_warnings():
    warning = Problem("content/cases/a/index.md", 12, "link_unpublished", {"url": "/cases/x/", "title": "甲",
                                                                              "kind": Phrase("kind_case")},
                      severity=WARNING)
    page = render_report(report(BAD_DATE, UNPUBLISHED, warning, counts={"cases": 1, "photos": 2}), [], lang="en",
                         today=DAY)
    summary = re.search(r'<ul class="summary">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", summary) == [
        "<strong>1</strong> error", "<strong>2</strong> warnings", "<strong>1</strong> case", "<strong>2</strong> photos"]


def test_the_site_title_in_the_header_is_escaped():
    site, _ = parse_config(SITE_YAML.replace("title: 测试案例库", 'title: "A&B <i>案例</i>"'))
    page = render_report(report(site=site), [], today=DAY)
    assert "<title>网站自查报告 - A&amp;B &lt;i&gt;案例&lt;/i&gt;</title>" in page
    assert '<p class="meta">网站：A&amp;B &lt;i&gt;案例&lt;/i&gt;　生成日期：2025-03-08</p>' in page


def test_a_hint_quoting_the_users_text_is_escaped():
    problem = Problem("content/cases/a/index.md", 3, "word_misspelt", {"word": "<b>", "fix": "&", "context": "x<b>y"},
                      severity=WARNING)
    page = render_report(report(problem), [], today=DAY)
    assert "<b>" not in page
    assert '<p class="hint">提示：请核对后改为“&amp;”；如果这里确实没有写错，可以忽略这条警告。</p>' in page


def test_the_whole_chinese_report_of_a_small_site_reads_as_pinned():
    site, _ = parse_config(SITE_YAML)
    links = (ExternalLink("content/cases/a/index.md", 7, "https://www.gov.cn/", "政府网"),)
    page = render_report(report(BAD_DATE, UNPUBLISHED, BAD_URL, site=site, external_links=links, rendered=False,
                                counts={"cases": 2, "sites": 1, "pages": 0, "photos": 3, "internal_links": 4,
                                        "external_links": 1, "drafts_skipped": 1}),
                         [("待发布", "content/cases/later/index.md", "草稿（draft: true）")], today=DAY)
    body = page[page.index("<body>"):]
    assert body == f"""<body>
<main>
<h1>网站自查报告</h1>
<p class="meta">网站：测试案例库　生成日期：2025-03-08</p>
<p class="verdict bad">发现错误：请改正后再发布。</p>
<ul class="summary">
<li><strong>2</strong>个错误</li>
<li><strong>1</strong>个警告</li>
<li><strong>2</strong>个案例</li>
<li><strong>1</strong>个示范点</li>
<li><strong>0</strong>个页面</li>
<li><strong>3</strong>张图片</li>
<li><strong>4</strong>个站内链接</li>
<li><strong>1</strong>个外部链接</li>
</ul>
<p class="verdict warn">注意：构建没有完成，页面没有生成，因此本次没有检查页面是否引用其他网站的文件；改正错误后请再检查一次。</p>
<h2>问题清单（按文件）</h2>
<h3>content/cases/a/index.md</h3>
<ol class="problems">
<li class="error"><span class="badge">错误</span><span class="line">第 4 行</span>日期“2024/1/2”格式不对，应为 年-月-日（例如 2025-06-12）<p class="hint">提示：请改为 YYYY-MM-DD 形式，月和日用两位数字，中间用英文短横线。</p></li>
<li class="warning"><span class="badge">警告</span><span class="line">第 12 行</span>链接“/cases/later/”指向的案例“待发布”还没有发布（草稿、定时或待审），发布后的网站上这个链接会打不开<p class="hint">提示：等那个案例发布后再加这个链接，或者先发布那个案例。</p></li>
</ol>
<h3>整个网站</h3>
<ol class="problems">
<li class="error"><span class="badge">错误</span>{BAD_URL.message()}<p class="hint">提示：{BAD_URL.hint()}</p></li>
</ol>
<h2>外部链接（未访问，请人工核对链接是否有效、内容是否合适）</h2>
<table><tr><th>文件</th><th>链接</th><th>链接文字</th></tr>
<tr><td>content/cases/a/index.md:7</td><td>https://www.gov.cn/</td><td>政府网</td></tr>
</table>
<h2>未发布的内容（案例、示范点、页面）</h2>
<table><tr><th>文件</th><th>原因</th></tr>
<tr><td>待发布<br><small>content/cases/later/index.md</small></td><td>草稿（draft: true）</td></tr>
</table>
</main>
</body>
</html>
"""


def test_html_the_sanitiser_removed_is_named_in_the_report_as_text():
    from builder.content.sanitize import Removal, problems_of
    problems = problems_of((Removal("tag", "iframe", line=1), Removal("attribute", "svg", "onload", "x()", 2),
                            Removal("link", "a", "href", "javascript:alert(1)", 3),
                            Removal("altered", value="<!--> <img src=x onerror=alert(1)> -->", line=4)),
                           "content/cases/a/index.md", 9)
    page = render_report(report(*problems), [], today=DAY)
    assert re.findall(r"<(\w+)", page) == re.findall(r"<(\w+)", render_report(report(*[BAD_DATE] * 4), [], today=DAY))
    assert "正文里的 HTML 标记 &lt;iframe&gt; 不能发布" in page
    assert "（在“&lt;!--&gt; &lt;img src=x onerror=alert(1)&gt; --&gt;”附近）" in page
