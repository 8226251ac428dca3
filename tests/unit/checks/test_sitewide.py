"""The site-wide checks of `showcase check` on real sites: which line of site.yaml an empty
section points at, stale cases on the home page, and files other hosts would be asked for."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import SITE_MD, case_md

from builder.assemble import Selection, assemble
from builder.checks.sitewide import check_empty_sections, check_hosts, check_stale, declared_lines
from builder.config import load_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache

TODAY = dt.date(2025, 6, 1)
TRICKY_YAML = """\
title: 河津市农村社区治理案例库
# 平安建设是今年的重点
categories:
  - 农村社区
  - 农村
  - 社区
actions:
  - name: 强村富民
    description: 壮大农村集体经济，平安建设的基础
  - name: 平安建设
"""


def model_of(root, **selection):
    site, problems = load_config(root)
    assert problems == []
    content, problems = load_content(root, site, MarkdownCache(None), workers=1)
    model, found = assemble(site, content, Selection(today=TODAY, **selection))
    assert problems + found == []
    return model


def lines_of(root):
    return (root / "site.yaml").read_text(encoding="utf-8").split("\n")


def test_an_empty_category_points_at_the_line_that_declares_it(make_site):
    root = make_site({"content/cases/a/index.md": case_md(category="社区")}, site_yaml=TRICKY_YAML)
    problems = check_empty_sections(model_of(root), lines_of(root))
    assert [p.format("zh").split("\n")[0] for p in problems] == [
        "site.yaml:4: 警告：类别“农村社区”下还没有已发布的案例，网站上这个栏目是空的",
        "site.yaml:5: 警告：类别“农村”下还没有已发布的案例，网站上这个栏目是空的"]


def test_a_special_action_without_a_case_is_no_problem_since_the_site_says_it_has_none(make_site):
    # The programme's actions are facts of the programme: the home page leaves an empty one out
    # and the actions page lists it with 暂无案例 (tests/integration/test_sample_site.py).
    root = make_site({"content/cases/a/index.md": case_md(category="农村")}, site_yaml=TRICKY_YAML)
    problems = check_empty_sections(model_of(root), lines_of(root))
    assert [p.params["name"] for p in problems] == ["农村社区", "社区"]


@pytest.mark.parametrize("yaml_text, expected", [
    ("title: t\ncategories: [农村, 社区]\nactions:\n  - 平安建设\n  - {name: 强村富民}\n",
     {("categories", "农村"): 2, ("categories", "社区"): 2, ("actions", "平安建设"): 4, ("actions", "强村富民"): 5}),
    ("title: t\ncategories: 农村\n", {("categories", "农村"): 2}),
    ("title: [unclosed\n", {}),
    ("- a list\n", {}),
])
def test_declared_lines_are_read_from_the_yaml_not_searched_for(yaml_text, expected):
    assert declared_lines(yaml_text.split("\n")) == expected


def test_a_model_site_without_published_cases_is_named_at_its_file(make_site):
    root = make_site({"content/sites/fuxi/index.md": SITE_MD.replace("西翟村", "府西社区"),
                      "content/cases/a/index.md": case_md(),
                      "content/cases/b/index.md": case_md(site="fuxi", draft="true")})
    problems = [p for p in check_empty_sections(model_of(root), lines_of(root)) if p.code == "site_without_cases"]
    assert [p.format("en") for p in problems] == [
        "content/sites/fuxi/index.md: warning: the model site '府西社区' has no published case\n"
        "    hint: publish a case for it (showcase new case), or move its folder out of content/sites/ for now."]


def test_featured_cases_older_than_the_limit_and_an_old_newest_case_are_warned_about(make_site):
    yaml_text = "title: t\ncategories: [农村]\nreview:\n  stale_days: 30\n"
    root = make_site({"content/cases/old/index.md": case_md(title="旧推荐", date="2025-04-01", featured="true"),
                      "content/cases/older/index.md": case_md(title="更旧", date="2025-03-01")}, site_yaml=yaml_text)
    problems = check_stale(model_of(root), TODAY)
    assert [p.format("zh") for p in problems] == [
        "content/cases/old/index.md:6: 警告：这个推荐案例已发布 61 天，超过了 30 天，还显示在首页上\n"
        "    提示：把 featured: true 改为 false，换推荐一个较新的案例；天数可在 site.yaml 的 review: stale_days: 中修改。",
        "警告：首页上最新的案例“旧推荐”也已是 61 天前（2025-04-01）的了，超过了 30 天\n"
        "    提示：网站很久没有更新，请及时发布新的案例。"]


def test_a_site_updated_within_the_limit_is_not_stale(make_site):
    root = make_site({"content/cases/new/index.md": case_md(date="2025-05-20", featured="true")})
    assert check_stale(model_of(root), TODAY) == []


def test_each_foreign_address_is_reported_once_with_how_many_places_use_it(make_site):
    root = make_site()
    site, _ = load_config(root)
    outputs = {
        "index.html": b'<img src="https://img.example.com/a.jpg"><script src="//cdn.example.com/x.js"></script>',
        "cases/index.html": b'<img src="https://img.example.com/a.jpg"><a href="https://news.cn/">ok</a>',
        "static/site.css": b"body{background:url(https://img.example.com/bg.png)}",
        "feed.xml": b'<link href="https://img.example.com/a.jpg"/>',
        "static/photo.jpg": b"\xff\xd8 https://img.example.com/not-a-page",
    }
    problems = check_hosts(site, outputs, {"static/site.css": "themes/mine/static/site.css"}, already=set())
    assert [(p.path, p.params["url"], p.params["count"]) for p in problems] == [
        ("output/index.html", "//cdn.example.com/x.js", 1),
        ("output/cases/index.html", "https://img.example.com/a.jpg", 2),          # the first page, in path order
        ("themes/mine/static/site.css", "https://img.example.com/bg.png", 1)]
    assert problems[1].format("zh") == (
        "output/cases/index.html: 页面会从其他网站（img.example.com）加载文件：https://img.example.com/a.jpg（共 2 处）\n"
        "    提示：本站承诺访问者的浏览器不向其他网站发出任何请求。这通常来自主题模板、样式表或 site.yaml 的设置，"
        "请把文件下载到网站的 static/ 文件夹里改用本站地址，或交给技术人员处理。")


def test_the_sites_own_host_and_addresses_already_reported_are_not_repeated(make_site):
    root = make_site(site_yaml="title: t\nbase_url: https://example.gov.cn/show/\ncategories: [农村]\n")
    site, _ = load_config(root)
    outputs = {"index.html": b'<img src="https://example.gov.cn/show/a.jpg"><img src="https://x.example/b.jpg">'}
    assert check_hosts(site, outputs, {}, already={"https://x.example/b.jpg"}) == []


# --- the first look at a page: never misses what the parser would find ----------------------------

from builder.checks.sitewide import fetched_urls, page_fetches_elsewhere  # noqa: E402

PAGES = [
    # (page, fetches from elsewhere)
    ('<link rel="canonical" href="https://example.gov.cn/show/a/"><meta property="og:image" content="https://x.cn/a.jpg">',
     False),
    ('<p>见<a href="https://www.news.cn/a.html">新华网</a>，备案：<a href="https://beian.miit.gov.cn/">晋ICP备1号</a></p>',
     False),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><path d="M0 0"/></svg>', False),
    ('<p>地址是 https://www.example.com/ ，请自行访问。</p>', False),
    ('<img src="https://example.gov.cn/show/a.jpg" alt="">', False),
    ('<img src="https://img.example.com/a.jpg" alt="">', True),
    ('<img src="//img.example.com/a.jpg">', True),
    ('<img src="a.jpg" srcset="a.jpg 1x, https://img.example.com/b.jpg 2x">', True),
    ('<link rel="stylesheet" href="https://cdn.example.com/x.css">', True),
    ('<link rel=stylesheet href=https://cdn.example.com/x.css>', True),
    ('<script src="HTTPS://cdn.example.com/x.js"></script>', True),
    ('<div style="background: url(https://cdn.example.com/bg.png)">x</div>', True),
    ('<style>@import "https://fonts.example.com/a.css";</style>', True),
    ('<iframe src="https://video.example.com/embed/1"></iframe>', True),
    ('<video poster="https://v.example.com/p.jpg"></video>', True),
    ('<object data="https://x.example.com/a.swf"></object>', True),
    ('<svg><image href="https://x.example.com/a.png"/></svg>', True),
    ('<img alt="a>b" src="https://img.example.com/a.jpg">', True),
]


@pytest.mark.parametrize("page, elsewhere", PAGES)
def test_the_first_look_at_a_page_agrees_with_the_parser_about_other_hosts(page, elsewhere):
    found = [u for u in fetched_urls("a/index.html", page.encode("utf-8")) if "example.gov.cn" not in u]
    assert bool(found) == elsewhere
    if elsewhere:                           # the first look may ask for the parser; it never skips it
        assert page_fetches_elsewhere(page, "example.gov.cn")
    else:
        assert not page_fetches_elsewhere(page, "example.gov.cn")
