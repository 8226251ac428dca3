"""`showcase check`: each check with a site that triggers it and one that does not, the
terminal summary, exit codes, --strict and the HTML report."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest

from builder.build import BuildOptions, build_site
from builder.checks.run import CheckReport, check_site
from builder.checks.text import FULL_WIDTH, PACKAGED_WORDLIST
from builder.errors import BuildError, Problem
from builder.preview.errorpage import error_page
from tests.conftest import REPO
from tests.photos import jpeg_bytes

TODAY = dt.date.today().isoformat()
CLEAN_YAML = """\
title: 测试案例库
base_url: /
categories: [农村]
actions:
  - name: 平安建设
    description: 排查化解矛盾纠纷
images:
  widths: [320]               # small renditions keep these tests fast
"""
PROSE = "村里搭建了议事平台，群众有事好商量，大家的事大家办。" * 5        # 130 characters a paragraph


def case(title: str = "西翟村议事平台", body: str | None = None, date: str = TODAY, front: str = "") -> str:
    body = body if body is not None else f"## 基本情况\n\n{PROSE}\n\n## 主要做法\n\n{PROSE}\n"
    return (f"---\ntitle: {title}\nsite: xizhai-cun\ndate: {date}\ncategory: 农村\nactions: [平安建设]\n"
            f"{front}---\n\n{body}")


def inspect(root: Path) -> CheckReport:
    """What `showcase check` does: build without writing, then every check."""
    try:
        result = build_site(root, BuildOptions(write=False, workers=1))
        return check_site(root, list(result.warnings), result.outputs)
    except BuildError as exc:
        return check_site(root, list(exc.problems), None)


def sources(root: Path) -> CheckReport:
    """The checks of the sources alone, without a build: for checks that need no rendered page."""
    return check_site(root, [], None)


def line_of(root: Path, rel: str, text: str) -> int:
    """The line of the file that holds `text`: what a problem's line must point at."""
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


def codes(report: CheckReport) -> list[str]:
    return [p.code for p in report.problems]


def found(report: CheckReport, code: str) -> list:
    return [p for p in report.problems if p.code == code]


@pytest.fixture
def clean(make_site):
    def make(files: dict | None = None, site_yaml: str = CLEAN_YAML, name: str = "site", **case_args) -> Path:
        return make_site({"content/cases/yishi/index.md": case(**case_args), **(files or {})}, site_yaml=site_yaml,
                         name=name)
    return make


# --- a clean site, and the summary -----------------------------------------------------------

def test_a_clean_site_has_no_problems(clean, cli):
    root = clean()
    assert inspect(root).problems == ()
    result = cli("check", "--source", root)
    assert result.code == 0
    assert result.out.strip() == ("检查通过：没有错误，0 个警告。共检查 1 个案例、1 个示范点、0 个页面、"
                                  "0 张图片、0 个站内链接。")
    assert result.err == ""


def test_check_passes_with_warnings_but_strict_fails(clean, cli):
    root = clean(body=f"## 基本情况\n\n{PROSE}{PROSE}\n\n村里,镇里。\n")
    result = cli("check", "--source", root)
    assert result.code == 0
    assert "汉字之间用了半角（英文）标点“,”" in result.err
    assert "检查通过：没有错误，1 个警告。" in result.out
    strict = cli("check", "--source", root, "--strict")
    assert strict.code == 1
    assert "检查未通过（--strict 模式下警告也算问题）：1 个警告。" in strict.err


def test_check_reports_build_problems_and_its_own_together(clean, cli):
    root = clean({"content/cases/broken/index.md": "---\ntitle: [坏\n---\n"},
                 body=f"## 基本情况\n\n{PROSE}{PROSE}\n\n见[另一个案例](/cases/nope/)。\n")
    result = cli("check", "--source", root)
    assert result.code == 1
    assert "content/cases/broken/index.md:2: " in result.err
    line = line_of(root, "content/cases/yishi/index.md", "/cases/nope/")
    assert f"content/cases/yishi/index.md:{line}: 链接“/cases/nope/”指向的页面不存在" in result.err
    assert "检查未通过：2 个错误" in result.err


def test_check_without_site_yaml_says_what_to_do(tmp_path, cli):
    result = cli("check", "--source", tmp_path)
    assert result.code == 1
    assert "找不到网站配置文件 site.yaml" in result.err


# --- links -----------------------------------------------------------------------------------

def test_internal_links_that_resolve_are_not_reported(clean):
    body = (f"## 基本情况\n\n{PROSE}{PROSE}\n\n## 主要做法\n\n"
            "[示范点](/sites/xizhai-cun/) [类别](/categories/nongcun/) [行动](/actions/pinganjianshe/) "
            "[全部](/cases/) [首页](/) [关于](/pages/guanyu/) [相对](../other/) [本页小节](#主要做法) "
            "[别页小节](/cases/other/#做法) [无斜杠](/cases/other) [订阅](/feed.xml) [邮件](mailto:a@b.cn)\n\n"
            "![议事会现场](photo-1.jpg)\n")
    root = clean({"content/cases/yishi/photo-1.jpg": jpeg_bytes((400, 300)),
                  "content/cases/other/index.md": case("另一个案例", body=f"## 做法\n\n{PROSE}{PROSE}\n"),
                  "content/pages/guanyu.md": "---\ntitle: 关于\n---\n\n关于本站。\n"}, body=body)
    report = inspect(root)
    assert codes(report) == []
    assert report.counts["internal_links"] == 12


def test_a_broken_link_names_the_file_line_and_a_close_address(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n## 主要做法\n\n这里有一个[链接](/cases/othr/)。\n"
    root = clean({"content/cases/other/index.md": case("另一个案例")}, body=body)
    [problem] = inspect(root).problems
    line = line_of(root, "content/cases/yishi/index.md", "这里有一个")
    assert (problem.path, problem.line, problem.code) == ("content/cases/yishi/index.md", line, "link_broken")
    assert problem.message() == "链接“/cases/othr/”指向的页面不存在——是不是 /cases/other/？"


def test_relative_links_and_photo_links_that_lead_nowhere_are_reported(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n[上一级](../../../x/) [照片](photo-1.jpg) [相对](../nothing/)\n"
    root = clean({"content/cases/yishi/photo-1.jpg": jpeg_bytes((400, 300))},
                 body=body, front="photos:\n  - src: photo-1.jpg\n    caption: 现场\n")
    problems = found(inspect(root), "link_broken")
    assert [p.params["url"] for p in problems] == ["../../../x/", "photo-1.jpg", "../nothing/"]
    assert "不能直接链接照片文件" in problems[1].message()
    assert problems[1].message("en") == ("the link 'photo-1.jpg' leads to a page that does not exist — insert a photo "
                                         "with ![caption](photo.jpg); photo files cannot be linked to directly")
    assert problems[0].message("en") == "the link '../../../x/' leads to a page that does not exist"


def test_a_close_address_is_suggested_in_english_too(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n这里有一个[链接](/cases/othr/)。\n"
    [problem] = inspect(clean({"content/cases/other/index.md": case("另一个案例")}, body=body)).problems
    assert problem.message("en") == "the link '/cases/othr/' leads to a page that does not exist — did you mean /cases/other/?"


def test_an_image_that_leads_nowhere_is_called_an_image(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n![现场](/static/missing)\n"
    [problem] = found(inspect(clean(body=body)), "link_broken")
    assert (problem.message("zh"), problem.message("en")) == (
        "图片“/static/missing”指向的页面不存在", "the image '/static/missing' leads to a page that does not exist")


def test_a_missing_anchor_lists_the_headings_of_the_target(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n[跳转](#成效)\n"
    [problem] = inspect(clean(body=body)).problems
    assert problem.code == "anchor_missing"
    assert problem.hint() == "“#”后面应写目标页面中的小标题文字。这个页面可用的有：#基本情况。"


def test_a_missing_anchor_lists_the_headings_in_english_with_commas(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n## 主要做法\n\n[跳转](#成效)\n"
    [problem] = inspect(clean(body=body)).problems
    assert problem.hint("en") == "after # write a heading of the target page. Available: #基本情况, #主要做法."
    [none] = inspect(clean(body=f"{PROSE}{PROSE}\n\n[跳转](#成效)\n", name="bare")).problems
    assert (none.hint("zh"), none.hint("en")) == ("“#”后面应写目标页面中的小标题文字。这个页面可用的有：（无）。",
                                                  "after # write a heading of the target page. Available: (none).")


def test_a_link_to_a_draft_case_is_an_error_a_site_may_turn_into_a_warning(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n[草稿](/cases/later/)\n"
    root = clean({"content/cases/later/index.md": case("还没写完", front="draft: true\n")}, body=body)
    problems = found(inspect(root), "link_unpublished")
    line = line_of(root, "content/cases/yishi/index.md", "[草稿]")
    assert [(p.line, p.is_error, p.params["title"]) for p in problems] == [(line, True, "还没写完")]
    assert problems[0].message() == ("链接“/cases/later/”指向的案例“还没写完”还没有发布（草稿、定时或待审），"
                                     "发布后的网站上这个链接会打不开")
    (root / "site.yaml").write_text(CLEAN_YAML + "review:\n  warnings: [link_unpublished]\n", encoding="utf-8")
    problems = found(inspect(root), "link_unpublished")
    assert [(p.line, p.is_error) for p in problems] == [(line, False)]


def test_external_links_are_listed_not_fetched(clean, cli):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n见[新华网报道](https://www.news.cn/a.html)。\n"
    root = clean(body=body)
    report = inspect(root)
    assert report.problems == ()
    line = line_of(root, "content/cases/yishi/index.md", "新华网")
    assert [(l.path, l.line, l.url, l.text) for l in report.external_links] == [
        ("content/cases/yishi/index.md", line, "https://www.news.cn/a.html", "新华网报道")]
    result = cli("check", "--source", root)
    assert ("外部链接 1 个（没有访问，请人工核对是否有效、内容是否合适）：\n"
            f"  content/cases/yishi/index.md:{line}  https://www.news.cn/a.html") in result.out


def test_links_to_the_sites_own_address_are_checked_as_internal(clean):
    yaml_text = CLEAN_YAML.replace("base_url: /", "base_url: https://example.gov.cn/show/")
    body = (f"## 基本情况\n\n{PROSE}{PROSE}\n\n[好](https://example.gov.cn/show/sites/xizhai-cun/) "
            "[坏](https://example.gov.cn/show/sites/nope/)\n")
    report = inspect(clean(site_yaml=yaml_text, body=body))
    assert [p.params["url"] for p in found(report, "link_broken")] == ["https://example.gov.cn/show/sites/nope/"]
    assert report.external_links == ()


def test_images_from_other_hosts_and_missing_photos_in_the_body_are_errors(clean):
    body = (f"## 基本情况\n\n{PROSE}{PROSE}\n\n![外链图](https://img.example.com/a.jpg)\n\n"
            "![说明](phto-1.jpg)\n")
    root = clean({"content/cases/yishi/photo-1.jpg": jpeg_bytes((400, 300))}, body=body,
                 front="photos:\n  - src: photo-1.jpg\n    caption: 现场\n")
    report = inspect(root)
    rel = "content/cases/yishi/index.md"
    assert [(p.code, p.line) for p in report.problems] == [("foreign_resource", line_of(root, rel, "外链图")),
                                                          ("body_photo_missing", line_of(root, rel, "phto-1"))]
    assert report.problems[1].message() == "正文中插入的图片“phto-1.jpg”不在本文件夹里——是不是“photo-1.jpg”？"
    assert found(report, "foreign_host") == []          # said once, at the content file


def test_menu_addresses_in_site_yaml_are_checked(clean):
    yaml_text = CLEAN_YAML + "nav:\n  - {title: 首页, url: /}\n  - {title: 关于, url: /pages/about/}\n"
    root = clean(site_yaml=yaml_text)
    [problem] = inspect(root).problems
    assert (problem.path, problem.line, problem.code) == ("site.yaml", line_of(root, "site.yaml", "/pages/about/"), "link_broken")


# --- photos ----------------------------------------------------------------------------------

PHOTO_FRONT = "photos:\n  - src: a.jpg\n    caption: 议事会现场\n  - src: b.jpg\n"


def test_photos_without_captions_are_warnings(clean):
    root = clean({"content/cases/yishi/a.jpg": jpeg_bytes((400, 300)), "content/cases/yishi/b.jpg": jpeg_bytes((400, 300)),
                  "content/cases/yishi/c.jpg": jpeg_bytes((400, 300))}, front=PHOTO_FRONT)
    report = sources(root)
    assert [(p.code, p.line, p.params["name"]) for p in report.problems] == [
        ("photo_unused", line_of(root, "content/cases/yishi/index.md", "photos:"), "c.jpg"),
        ("photo_no_caption", line_of(root, "content/cases/yishi/index.md", "b.jpg"), "b.jpg")]
    assert all(not p.is_error for p in report.problems)


def test_a_photo_captioned_in_the_body_needs_no_caption_in_front_matter(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n![群众议事会](b.jpg)\n"
    root = clean({"content/cases/yishi/a.jpg": jpeg_bytes((400, 300)), "content/cases/yishi/b.jpg": jpeg_bytes((400, 300))},
                 front=PHOTO_FRONT, body=body)
    assert sources(root).problems == ()


def test_originals_over_the_size_limit_are_errors(clean):
    big = jpeg_bytes((400, 300)) + b"\0" * 150_000         # a decoder ignores bytes after the image
    yaml_text = CLEAN_YAML + "review:\n  max_photo_mb: 0.1\n"
    root = clean({"content/cases/yishi/a.jpg": big}, site_yaml=yaml_text, front="photos:\n  - src: a.jpg\n    caption: 现场\n")
    [problem] = sources(root).problems
    assert problem.code == "photo_too_large" and problem.is_error
    assert problem.message() == f"照片“a.jpg”有 {len(big) / 1024 / 1024:.2f} MB，超过了 0.1 MB 的上限"
    small = clean({"content/cases/yishi/a.jpg": jpeg_bytes((400, 300))}, site_yaml=yaml_text,
                  front="photos:\n  - src: a.jpg\n    caption: 现场\n", name="small")
    assert sources(small).problems == ()


def test_pictures_narrower_than_the_largest_rendition_are_warnings(clean):
    root = clean({"content/cases/yishi/a.jpg": jpeg_bytes((200, 150)),
                  "content/cases/yishi/b.jpg": jpeg_bytes((240, 320), orientation=6)},   # shown 320 wide
                 front="photos:\n  - src: a.jpg\n    caption: 小图\n  - src: b.jpg\n    caption: 竖拍\n")
    [problem] = sources(root).problems
    assert (problem.code, problem.params["name"], problem.is_error) == ("photo_too_small", "a.jpg", False)
    assert problem.message() == "照片“a.jpg”只有 200×150 像素，比网站最大的显示宽度 320 像素小，在大屏幕上会发虚"


# --- text ------------------------------------------------------------------------------------

WORDS = "# 测试词表\n做为 => 作为\n禁用词\n"


def test_the_word_list_is_checked_in_titles_summaries_captions_and_bodies(clean):
    yaml_text = CLEAN_YAML + "review:\n  words: 词表.txt\n"
    front = "summary: 把议事做为抓手\nphotos:\n  - src: a.jpg\n    caption: 含有禁用词的说明\n"
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n## 主要做法\n\n村里把议事做为重点，做为抓手。\n"
    root = clean({"词表.txt": WORDS, "content/cases/yishi/a.jpg": jpeg_bytes((400, 300))},
                 site_yaml=yaml_text, title="把议事做为抓手", front=front, body=body)
    report = sources(root)
    rel = "content/cases/yishi/index.md"
    assert [(p.code, p.line, p.is_error) for p in report.problems] == [
        ("word_misspelt", line_of(root, rel, "title:"), False), ("word_misspelt", line_of(root, rel, "summary:"), False),
        ("word_forbidden", line_of(root, rel, "caption: 含有"), True), ("word_misspelt", line_of(root, rel, "村里把议事"), False)]
    assert report.problems[0].message() == "可能有错别字“做为”，应为“作为”：把议事做为抓手"
    assert report.problems[3].message() == "可能有错别字“做为”，应为“作为”：村里把议事做为重点，做为抓手。"
    assert report.problems[0].hint() == "请核对后改为“作为”；如果这里确实没有写错，可以忽略这条警告。"


def test_without_a_word_list_the_starter_list_is_used(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n既使困难再多，也要截止目前全部完成。\n"
    report = sources(clean(body=body))
    assert [(p.params["word"], p.params["fix"]) for p in report.problems] == [("既使", "即使"), ("截止目前", "截至目前")]


def test_the_starter_list_is_well_formed_and_has_forbidden_placeholders():
    from builder.checks.text import PACKAGED_WORDLIST, parse_wordlist
    words, problems = parse_wordlist(PACKAGED_WORDLIST.read_text(encoding="utf-8"), "wordlist.txt")
    assert problems == []
    assert len([w for w in words if w.right]) >= 60
    assert {"XXX", "待补充"} <= {w.wrong for w in words if w.right is None}
    assert len({w.wrong for w in words}) == len(words)


def test_a_missing_or_malformed_word_list_is_an_error(clean):
    root = clean(site_yaml=CLEAN_YAML + "review:\n  words: nope.txt\n")
    missing = sources(root)
    assert [(p.path, p.line, p.code) for p in missing.problems] == [
        ("site.yaml", line_of(root, "site.yaml", "nope.txt"), "wordlist_missing")]
    bad = sources(clean({"w.txt": "好 =>\n"}, site_yaml=CLEAN_YAML + "review:\n  words: w.txt\n", name="other"))
    assert [(p.path, p.line, p.code) for p in bad.problems] == [("w.txt", 1, "wordlist_bad_line")]


def test_half_width_punctuation_between_chinese_characters_is_a_warning(clean):
    body = (f"## 基本情况\n\n{PROSE}{PROSE}\n\n村里,镇里都来了;大家说:好(很好)。\n\n"
            "Hello, world: (fine). 3 times, see [西翟村](https://www.news.cn/x,y)。`代码,代码`\n")
    root = clean(body=body)
    report = sources(root)
    got = [(p.line, p.params["char"], p.params["fix"]) for p in report.problems if p.code == "punct_half_width"]
    line = line_of(root, "content/cases/yishi/index.md", "村里,镇里")
    assert got == [(line, ",", "，"), (line, ";", "；"), (line, ":", "："), (line, "(", "（"), (line, ")", "）")]
    assert report.problems[0].message() == "汉字之间用了半角（英文）标点“,”，应为全角“，”：村里,镇里都来了;大家…"


def test_a_short_body_is_a_warning_with_the_configured_minimum(clean):
    short = f"## 基本情况\n\n{PROSE}\n"
    assert [p.params["count"] for p in sources(clean(body=short)).problems] == [134]
    relaxed = CLEAN_YAML + "review:\n  min_body_chars: 100\n"
    assert sources(clean(body=short, site_yaml=relaxed, name="relaxed")).problems == ()


def test_template_hints_left_in_are_errors_and_empty_sections_warnings(clean):
    body = f"## 基本情况\n\n{PROSE}{PROSE}\n\n## 主要做法\n\n【填写提示】分条写出具体做法。\n\n## 取得成效\n\n## 经验启示\n\n### 一\n\n好。\n"
    root = clean(body=body)
    report = sources(root)
    rel = "content/cases/yishi/index.md"
    assert [(p.code, p.line, p.is_error) for p in report.problems] == [
        ("hint_left", line_of(root, rel, "【填写提示】"), True), ("section_empty", line_of(root, rel, "## 取得成效"), False)]


# --- the site --------------------------------------------------------------------------------

def test_a_category_or_model_site_without_published_cases_is_a_warning_an_action_is_not(make_site):
    yaml_text = CLEAN_YAML.replace("[农村]", "[农村, 社区]").replace("description: 排查化解矛盾纠纷\n",
                                                                  "description: 排查化解矛盾纠纷\n  - name: 强村富民\n")
    root = make_site({"content/cases/yishi/index.md": case(),
                      "content/sites/other/index.md": "---\ntitle: 另一村\nkind: 村\n---\n\n简介。\n",
                      "content/cases/draft/index.md": case("草稿", front="draft: true\n").replace("农村", "社区")},
                     site_yaml=yaml_text)
    report = sources(root)
    assert [(p.path, p.line, p.code, p.params.get("name")) for p in report.problems] == [
        ("content/sites/other/index.md", None, "site_without_cases", "另一村"),
        ("site.yaml", 3, "empty_category", "社区")]
    assert line_of(root, "site.yaml", "社区") == 3


def test_stale_cases_on_the_home_page_are_warnings(clean):
    old = (dt.date.today() - dt.timedelta(days=800)).isoformat()
    report = sources(clean(date=old, front="featured: true\n"))
    assert [(p.path, p.line, p.code) for p in report.problems] == [
        ("content/cases/yishi/index.md", 7, "stale_featured"), ("", None, "stale_latest")]
    assert report.problems[1].message() == f"首页上最新的案例“西翟村议事平台”也已是 800 天前（{old}）的了，超过了 730 天"
    fresh = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    assert sources(clean(date=fresh, front="featured: true\n", name="fresh")).problems == ()


def test_theme_files_that_load_from_other_hosts_are_errors(clean):
    yaml_text = CLEAN_YAML + 'footer:\n  icp: "晋ICP备00000000号"\n'
    files = {"static/extra.css": "@import url(https://fonts.example.com/a.css);\nbody{background:url(/static/x.png)}\n",
             "static/extra.js": 'fetch("https://api.example.com/count");\nvar ns = "http://www.w3.org/2000/svg";\n'}
    report = inspect(clean(files, site_yaml=yaml_text))
    assert [(p.path, p.code, p.params["url"]) for p in report.problems] == [
        ("static/extra.css", "foreign_host", "https://fonts.example.com/a.css"),
        ("static/extra.js", "foreign_host", "https://api.example.com/count")]
    # the footer's ICP link is an ordinary <a href> to beian.miit.gov.cn: fine
    assert inspect(clean(site_yaml=yaml_text, name="plain")).problems == ()


def test_english_check_messages_count_in_the_singular_and_the_plural():
    def en(code: str, **params) -> str:
        return Problem("a.md", 1, code, params).message("en")
    host = {"url": "https://f.example/a.css", "host": "f.example"}
    assert en("foreign_host", count=1, **host).endswith("(1 place)")
    assert en("foreign_host", count=3, **host).endswith("(3 places)")
    assert en("body_too_short", count=1, minimum=200) == "the text has only 1 character, fewer than the required 200"
    assert en("stale_featured", days=1, limit=0).startswith("this featured case is 1 day old (more than 0)")
    assert "is 800 days old (2001-01-01)" in en("stale_latest", days=800, limit=730, title="T", date="2001-01-01")


def test_a_theme_file_is_named_by_its_place_in_the_site_or_in_showcase(clean):
    from builder.checks.run import _theme_sources
    from builder.config import load_config
    root = clean({"static/extra.css": "body{}\n"})
    shown = _theme_sources(root, load_config(root)[0])
    assert "static/extra.css" in shown.values()
    packaged = [source for source in shown.values() if source != "static/extra.css"]
    assert packaged and all(source.startswith("themes/default/static/") for source in packaged)


def test_pages_with_resources_from_other_hosts_are_errors(clean):
    from builder.checks.sitewide import fetched_urls
    page = (b'<link rel="stylesheet" href="https://cdn.example.com/a.css"><link rel="canonical" href="https://x.cn/">'
            b'<img src="/a.jpg" srcset="https://img.example.com/a.jpg 2x"><a href="https://other.cn/">x</a>'
            b'<div style="background:url(//cdn.example.com/b.png)"></div><script src="//cdn.example.com/c.js"></script>')
    assert fetched_urls("index.html", page) == ["https://cdn.example.com/a.css", "https://img.example.com/a.jpg",
                                               "//cdn.example.com/b.png", "//cdn.example.com/c.js"]


# --- the HTML report -------------------------------------------------------------------------

def test_the_html_report_is_self_contained_and_grouped_by_file(clean, cli, tmp_path):
    body = f"## 基本情况\n\n{PROSE}\n\n村里,镇里。[坏链接](/cases/nope/) [外链](https://www.news.cn/)\n"
    root = clean({"content/cases/later/index.md": case("待发布", front="draft: true\n")}, body=body)
    target = tmp_path / "报告" / "check.html"
    result = cli("check", "--source", root, "--html", target)
    assert result.code == 1
    assert "检查报告：" in result.out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and '<html lang="zh-CN">' in text
    assert "<h1>网站自查报告</h1>" in text and "发现错误：请改正后再发布。" in text
    assert re.findall(r"<h3>(.*?)</h3>", text) == ["content/cases/yishi/index.md"]
    assert f'第 {line_of(root, "content/cases/yishi/index.md", "坏链接")} 行' in text and "链接“/cases/nope/”指向的页面不存在" in text
    assert "<td>https://www.news.cn/</td>" in text
    assert "待发布" in text and "草稿（draft: true）" in text
    # nothing the browser would fetch: no scripts, stylesheets, images or fonts, from anywhere
    assert not re.search(r"<script|<link|<img|src=|@import|url\(", text)


def test_the_sample_sites_content_has_no_errors(tmp_path):
    # The sources only (no photo renditions, so fast); the default theme's pages are scanned
    # for other hosts by every clean-site test above.
    shutil.copy(REPO / "site.yaml", tmp_path / "site.yaml")
    shutil.copytree(REPO / "content", tmp_path / "content")
    report = check_site(tmp_path, [], None)
    assert report.errors == []
    assert report.counts["cases"] == 18 and report.counts["internal_links"] > 0


# --- what is checked -------------------------------------------------------------------------

def test_drafts_are_checked_only_with_drafts(clean, cli):
    draft = case("还在写", front="draft: true\n", body="## 基本情况\n\n【填写提示】写背景。\n")
    root = clean({"content/cases/later/index.md": draft})
    plain = cli("check", "--source", root)
    assert plain.code == 0
    assert "另有 1 个草稿没有检查（加 --drafts 一起检查）。" in plain.out
    with_drafts = cli("check", "--source", root, "--drafts")
    assert with_drafts.code == 1
    line = line_of(root, "content/cases/later/index.md", "【填写提示】")
    assert f"content/cases/later/index.md:{line}: 正文里还留着填写提示" in with_drafts.err


def test_cases_awaiting_review_are_checked_without_any_option(clean):
    yaml_text = CLEAN_YAML + "publish:\n  require_review: true\n"
    root = clean(site_yaml=yaml_text, title="把议事做为抓手")
    report = sources(root)
    assert [p.line for p in report.problems if p.code == "word_misspelt"] == [2]
    assert [c.slug for c in report.held_back] == ["yishi", "xizhai-cun"]        # the model site awaits review too
    # …and since nothing is published yet, the site's sections are empty: said too
    assert {p.code for p in report.problems} == {"word_misspelt", "empty_category"}


def test_every_problem_reads_in_english_too(clean, cli, tmp_path):
    body = ("## 基本情况\n\n村里,镇里。做为抓手。[坏](/cases/nope/) [锚](#无) [草稿](/cases/later/) ![](https://x.example/a.jpg)"
            "\n\n![说明](nope.jpg)\n\n## 空\n\n## 主要做法\n\n【填写提示】写。\n")
    yaml_text = CLEAN_YAML.replace("[农村]", "[农村, 社区]") + "review:\n  max_photo_mb: 0.1\n  words: w.txt\n"
    root = clean({"w.txt": "做为 => 作为\n镇里\n坏 =>\n", "static/x.css": "@import url(https://f.example/a.css);",
                  "content/cases/yishi/a.jpg": jpeg_bytes((200, 150)) + b"\0" * 120_000,
                  "content/cases/later/index.md": case("草稿", front="draft: true\n")},
                 site_yaml=yaml_text, body=body, date="2001-01-01", front="featured: true\n")
    report = inspect(root)
    assert len({p.code for p in report.problems}) >= 15
    for problem in report.problems:
        assert problem.message("en") and problem.hint("en") is not None
    result = cli("check", "--source", root, "--lang", "en", "--html", tmp_path / "report.html")
    assert result.code == 1
    assert "Check failed:" in result.err and "警告：" not in result.err and "提示：" not in result.err
    assert '<html lang="en">' in (tmp_path / "report.html").read_text(encoding="utf-8")


# --- English: none of our Chinese ---------------------------------------------------------------

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def chinese_not_from_the_site(text: str, root: Path) -> list[str]:
    """Runs of Chinese in `text` that are not part of the site's own files: what the site's
    people wrote (titles, quoted lines, headings, words of the word list) may show in an English
    message, and so may the full-width mark a warning asks them to type ('，'); any other Chinese
    is ours and belongs in the English catalogue. (A word of ours that the site's text happens to
    contain would slip through; the sites here are written so it does not.)"""
    files = [root / "site.yaml", *sorted((root / "content").rglob("*.md")), *sorted(root.glob("*.txt")),
             *sorted((root / "static").rglob("*")), PACKAGED_WORDLIST]
    own = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in files if path.is_file())
    return [run for run in CHINESE.findall(text) if run not in own and run not in FULL_WIDTH.values()]


def page_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_sample_site_checked_in_english_shows_no_chinese_of_ours(copy_site, cli, tmp_path):
    root = copy_site("sample")
    result = cli("check", "--source", root, "--lang", "en", "--html", tmp_path / "report.html")
    assert result.code == 0 and "Check passed" in result.out
    assert chinese_not_from_the_site(result.out + result.err, root) == []
    assert chinese_not_from_the_site(page_text((tmp_path / "report.html").read_text(encoding="utf-8")), root) == []


def test_every_problem_in_english_shows_no_chinese_of_ours(clean, cli, tmp_path):
    body = ("## 基本情况\n\n甲地,乙地。做为抓手。[丙](/cases/nope/) [丁](#无) [戊](/cases/later/)"
            " [己](a.jpg) ![庚](/static/missing)\n\n![辛](nope.jpg)\n\n## 空\n\n## 主要做法\n\n【填写提示】写。\n")
    yaml_text = (CLEAN_YAML.replace("[农村]", "[农村, 社区]") + "review:\n  max_photo_mb: 0.1\n  words: w.txt\n"
                 "nav:\n  - {title: 首页, url: /nope/}\n")
    root = clean({"w.txt": "做为 => 作为\n乙地\n坏 =>\n", "static/x.css": "@import url(https://f.example/a.css);",
                  "content/cases/yishi/a.jpg": jpeg_bytes((200, 150)) + b"\0" * 120_000,
                  "content/cases/later/index.md": case("壬", front="draft: true\n")},
                 site_yaml=yaml_text, body=body, date="2001-01-01", front="featured: true\nphotos:\n  - src: a.jpg\n")
    report = inspect(root)
    assert {"link_broken", "anchor_missing", "link_unpublished", "body_photo_missing", "foreign_host", "word_misspelt", "word_forbidden", "wordlist_bad_line", "punct_half_width", "hint_left",
            "section_empty", "photo_too_large", "photo_too_small", "photo_no_caption", "stale_featured",
            "empty_category"} <= {p.code for p in report.problems}
    result = cli("check", "--source", root, "--lang", "en", "--html", tmp_path / "report.html")
    assert result.code == 1
    assert chinese_not_from_the_site(result.out + result.err, root) == []
    assert chinese_not_from_the_site(page_text((tmp_path / "report.html").read_text(encoding="utf-8")), root) == []
    assert chinese_not_from_the_site(page_text(error_page(report.problems, "en")), root) == []
    # …and the rule itself finds our Chinese where there is some
    assert chinese_not_from_the_site(page_text(error_page(report.problems, "zh")), root)
    # HTML the sanitiser removes stops the build, so the pages (and foreign_host) are not there: a run of its own
    body = (f"## 基本情况\n\n{PROSE}\n\n![](https://x.example/a.jpg)\n\n<script>x()</script>\n\n<b onclick=\"x()\">甲</b>\n\n"
            "[乙](javascript:x())\n\n<img src=\"data:image/png;base64,AA\">\n")
    garbled = case("丙", body=f"## 基本情况\n\n{PROSE}\n\n<!--> <script>x()</script> -->\n")
    root = clean({"content/cases/garbled/index.md": garbled}, body=body, name="unsafe")
    report = inspect(root)
    assert {"foreign_resource", "html_tag_removed", "html_attribute_removed", "html_link_removed",
            "html_image_removed", "html_altered"} <= {p.code for p in report.problems}
    result = cli("check", "--source", root, "--lang", "en", "--html", tmp_path / "unsafe.html")
    assert result.code == 1
    assert chinese_not_from_the_site(result.out + result.err, root) == []
    assert chinese_not_from_the_site(page_text((tmp_path / "unsafe.html").read_text(encoding="utf-8")), root) == []
