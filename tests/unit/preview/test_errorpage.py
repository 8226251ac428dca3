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
