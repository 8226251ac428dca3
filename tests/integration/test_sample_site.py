"""The sample site (the repository's site.yaml and content/) as a propaganda department would be
shown it (issue 17), and the word a site uses for its model sites (site.yaml `sites: label`) in
every place a site shows it: the sample passes `showcase check --strict`, its entities are 典型单位
in the nav, headings, counters and summaries, grouped by kind in the order site.yaml gives. (That
no visible text of the sample spaces Chinese from a digit is read from Chromium, which knows what
is visible: tests/integration/test_theme_layout_browser.py.)"""
from __future__ import annotations

import re
from pathlib import Path

from conftest import SITE_YAML, case_md


def sample_pages(sample_url: Path) -> list[Path]:
    return sorted((sample_url / "showcase").rglob("*.html"))


def test_the_sample_site_passes_the_strict_check_with_its_entities_called_dianxing_danwei(copy_site, cli):
    root = copy_site("sample")
    result = cli("check", "--source", root, "--strict")
    assert result.code == 0, result.err
    assert "共检查 18 个案例、18 个典型单位、2 个页面" in result.out


def test_the_sample_calls_its_entities_by_its_own_word_and_keeps_shifandian_for_the_articles_45(sample_url):
    site = sample_url / "showcase"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<strong>18</strong><span>典型单位</span>' in home
    assert '>典型单位</a></li>' in home                                         # the menu
    sites = (site / "sites/index.html").read_text(encoding="utf-8")
    assert "<h1>典型单位</h1>" in sites and "18个典型单位" in sites
    case = (site / "cases/chaijia-zhibo-zhunong/index.html").read_text(encoding="utf-8")
    assert "<dt>典型单位</dt>" in case
    # 示范点 only where the article's own figures are told: in the text of two pages (and of the
    # booklet, which prints one of them as its preface)
    for path in sample_pages(sample_url) + sorted((site / "booklet").rglob("*.html")):
        outside_text = re.sub(r'<div class="(?:bk-)?prose">.*?</(?:article|div)>', "", path.read_text(encoding="utf-8"), flags=re.S)
        assert "示范点" not in outside_text, path


def test_the_sample_groups_its_entities_by_kind_in_the_order_of_site_yaml(sample_url):
    sites = (sample_url / "showcase/sites/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="kind-\d+">(.*?)</h2>', sites) == ["村", "社区", "乡镇（街道）", "机关", "企业", "其他"]
    township = sites.split("乡镇（街道）</h2>")[1].split("</section>")[0]
    assert re.findall(r'<span class="site-name">(.*?)</span>', township) == ["柴家镇"]


def test_every_sample_case_names_the_article_as_its_source_and_the_feed_does_not_make_it_the_author(sample_url):
    site = sample_url / "showcase"
    cases = sorted((site / "cases").glob("*/index.html"))
    assert len(cases) == 18
    for path in cases:
        html = path.read_text(encoding="utf-8")
        assert "<dt>来源</dt><dd>《河津：奋力争当创建新时代党建引领基层治理示范区排头兵》，本版文字 韩维元</dd>" in html, path
        assert "报送单位" not in html
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<author><name>(.*?)</name></author>", feed)) == {"示例站点（内容整理自公开报道）"}


def test_an_action_without_cases_is_left_off_the_home_page_and_listed_as_having_none(sample_url):
    site = sample_url / "showcase"
    assert "头雁培育" not in (site / "index.html").read_text(encoding="utf-8")
    actions = (site / "actions/index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="term-name">头雁培育</span><span class="term-text">[^<]+</span>'
                     r'<span class="count">暂无案例</span>', actions)
    empty = (site / "actions/touyan-peiyu/index.html").read_text(encoding="utf-8")
    assert "暂无案例。" in empty and "0个案例" not in empty


# --- the word for model sites on a site of one's own ------------------------------------------------

def test_without_a_word_of_its_own_a_site_calls_them_shifandian_and_a_menu_item_may_take_that_name(make_site, cli):
    yaml_text = SITE_YAML + "nav:\n  - {url: /}\n  - {url: /sites/}\n"
    root = make_site({"content/cases/a/index.md": case_md(unit="城关镇党委")}, site_yaml=yaml_text)
    result = cli("build", "--source", root)
    assert result.code == 0 and "1 个案例、1 个示范点、0 个页面" in result.out
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li><a href="[^"]*"(?: aria-current="page")?>(.*?)</a></li>', home)[:2] == ["首页", "示范点"]
    assert "<h1>示范点</h1>" in (root / "output/sites/index.html").read_text(encoding="utf-8")
    case = (root / "output/cases/a/index.html").read_text(encoding="utf-8")
    assert "<dt>示范点</dt>" in case and "<dt>报送单位</dt><dd>城关镇党委</dd>" in case and "<dt>来源</dt>" not in case
    assert "<author><name>城关镇党委</name></author>" in (root / "output/feed.xml").read_text(encoding="utf-8")


def test_a_sites_own_word_reaches_its_pages_the_search_the_summaries_and_the_check_report(make_site, cli, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "sites:\n  label: 试点单位\n")
    result = cli("build", "--source", root)
    assert result.code == 0 and "1 个试点单位" in result.out
    english = cli("build", "--source", root, "--lang", "en")
    assert "Built 1 case, 1 试点单位, 0 pages" in english.out
    search = (root / "output/search/index.html").read_text(encoding="utf-8")
    assert 'data-t-kind-site="试点单位"' in search and "搜索案例、试点单位和专题" in search
    site_page = (root / "output/sites/xizhai-cun/index.html").read_text(encoding="utf-8")
    assert "该试点单位的案例" in site_page and "示范点" not in site_page
    check = cli("check", "--source", root, "--html", tmp_path / "report.html")
    assert "1 个试点单位" in check.out
    assert "<strong>1</strong>个试点单位" in (tmp_path / "report.html").read_text(encoding="utf-8")
