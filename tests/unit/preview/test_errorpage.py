"""The page shown instead of the site while the sources have problems."""
from __future__ import annotations

import re

from builder.preview.errorpage import error_page, error_page_title
from builder.errors import WARNING, Problem

BAD_DATE = Problem("content/cases/a/index.md", 4, "bad_date", {"value": "2024/1/2"})
NO_THEME = Problem("site.yaml", None, "theme_missing", {"theme": "fancy"})
BAD_URL = Problem("", None, "bad_url", {"value": "x"})


def test_the_title_counts_the_problems_in_chinese_and_english():
    assert error_page_title(3) == "网站没有更新：发现 3 个问题"
    assert error_page_title(1, "en") == "The site was not updated: 1 problem found"
    assert error_page_title(2, "en") == "The site was not updated: 2 problems found"


def test_each_problem_shows_its_file_highlighted_its_line_message_and_hint():
    page = error_page([BAD_DATE, NO_THEME])
    assert "<title>网站没有更新：发现 2 个问题</title>" in page
    assert '<span class="path">content/cases/a/index.md</span><span class="line">第 4 行</span>' in page
    assert '<span class="path">site.yaml</span></p>' in page            # no line: none shown
    assert BAD_DATE.message("zh") in page and BAD_DATE.hint("zh") in page
    assert "找不到主题“fancy”" in page
    assert "改好并保存文件后，这个页面会自动刷新" in page


def test_a_problem_of_the_whole_site_says_so():
    assert "整个网站" in error_page([BAD_URL])


def test_warnings_are_listed_after_the_errors_and_not_counted():
    warning = Problem("content/cases/b/index.md", 2, "bad_slug", {"value": "X"}, severity=WARNING)
    page = error_page([warning, BAD_DATE])
    assert "发现 1 个问题" in page
    assert page.index("content/cases/a/index.md") < page.index("另外还有 1 条提醒") < page.index("content/cases/b/index.md")


def test_text_from_the_sources_is_escaped():
    evil = Problem("content/cases/<b>/index.md", 1, "bad_date", {"value": "<script>alert(1)</script>"})
    page = error_page([evil])
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "content/cases/&lt;b&gt;/index.md" in page


def test_the_page_is_self_contained():
    page = error_page([BAD_DATE, NO_THEME], "en")
    assert '<html lang="en">' in page
    assert not re.search(r'(src|href)="', page)
    assert "http" not in page and "@import" not in page and "url(" not in page


def test_a_date_written_the_chinese_way_shows_its_corrected_value_on_the_page():
    problem = Problem("content/cases/a/index.md", 4, "bad_date_fixable",
                      {"key": "date", "value": "2024年6月12日", "fixed": "2024-06-12"})
    page = error_page([problem])
    assert ('<p class="message">日期“2024年6月12日”格式不对，应为 年-月-日，请改为 2024-06-12</p>'
            '<p class="hint"><b>怎么改：</b>把这一行改成 date: 2024-06-12（月和日用两位数字，中间用英文短横线）。</p>') in page
    assert "write it as 2024-06-12" in error_page([problem], "en")


def test_english_counts_problems_and_warnings_with_plurals():
    warning = Problem("content/cases/b/index.md", 2, "bad_slug", {"value": "X"}, severity=WARNING)
    one = error_page([BAD_DATE, warning], "en")
    assert "What you just saved has 1 problem, so" in one and "There are also 1 warning (they" in one
    two = error_page([BAD_DATE, NO_THEME, warning, warning], "en")
    assert "What you just saved has 2 problems, so" in two and "There are also 2 warnings (they" in two


def test_the_whole_chinese_page_reads_as_pinned():
    warning = Problem("content/cases/b/index.md", 2, "stray_markdown", severity=WARNING)
    page = error_page([BAD_DATE, BAD_URL, warning])
    body = page[page.index("<body>"):]
    assert body == f"""<body><header role="alert"><h1>网站没有更新：发现 2 个问题</h1></header><main>
<p class="lead">您刚才保存的内容里有 2 个问题，所以预览还停在上一次的样子。请按下面的提示修改：</p>
<p class="refresh">改好并保存文件后，这个页面会自动刷新，不需要手动操作。</p>
<ol class="problems">
<li class="problem"><p class="where">文件 <span class="path">content/cases/a/index.md</span><span class="line">第 4 行</span></p><p class="message">日期“2024/1/2”格式不对，应为 年-月-日（例如 2025-06-12）</p><p class="hint"><b>怎么改：</b>请改为 YYYY-MM-DD 形式，月和日用两位数字，中间用英文短横线。</p></li>
<li class="problem"><p class="where">整个网站（site.yaml 或命令行设置）</p><p class="message">{BAD_URL.message()}</p><p class="hint"><b>怎么改：</b>{BAD_URL.hint()}</p></li>
</ol>
<h2>另外还有 1 条提醒（不影响预览）：</h2>
<ol class="warnings">
<li class="problem warning"><p class="where">文件 <span class="path">content/cases/b/index.md</span><span class="line">第 2 行</span></p><p class="message">{warning.message()}</p><p class="hint"><b>怎么改：</b>{warning.hint()}</p></li>
</ol>
</main>
</body>
</html>
"""
    assert '<html lang="zh-CN">' in page and "<title>网站没有更新：发现 2 个问题</title>" in page


def test_a_message_quoting_the_users_text_is_escaped_and_so_is_the_hint():
    problem = Problem("content/cases/a/index.md", 3, "word_misspelt", {"word": "<b>", "fix": "<i>", "context": "&"},
                      severity=WARNING)
    page = error_page([problem], "en")
    assert "<b>&lt;" not in page and "<i>" not in page
    assert "change it to &#x27;&lt;i&gt;&#x27;" in page and "possible misspelling &#x27;&lt;b&gt;&#x27;" in page


def test_html_the_sanitiser_removed_is_named_on_the_page_as_text():
    from builder.content.sanitize import Removal, problems_of
    problems = problems_of((Removal("tag", "script", line=1), Removal("attribute", "img", "onerror", "x()", 2),
                            Removal("link", "a", "href", "data:text/html,<script>alert(1)</script>", 3),
                            Removal("altered", value="<!--> <img src=x onerror=alert(1)> -->", line=4)),
                           "content/cases/a/index.md", 9)
    page = error_page(problems)
    assert re.findall(r"<(\w+)", page.split("<body>", 1)[1]) == re.findall(r"<(\w+)", error_page([BAD_DATE] * 4).split("<body>", 1)[1])
    assert "正文里的 HTML 标记 &lt;script&gt; 不能发布" in page
    assert "链接地址“data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;”不能发布" in page
