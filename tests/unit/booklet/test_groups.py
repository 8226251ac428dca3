"""Which published cases a booklet takes, in which groups and order, from real sites on disk."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SITE_YAML, case_md

from builder.assemble import Selection, assemble
from builder.booklet.groups import Filters, find_page, group_cases, make_booklet, numeral
from builder.config import load_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache

TODAY = dt.date(2025, 6, 1)
FUXI = "---\ntitle: 府西社区\nkind: 社区\ntown: 城区街道\n---\n\n简介。\n"


def model_of(root: Path, **selection):
    site, problems = load_config(root)
    content, found = load_content(root, site, MarkdownCache(None), workers=1)
    model, more = assemble(site, content, Selection(today=TODAY, **selection))
    assert problems + found + more == []
    return model


@pytest.fixture
def site(make_site):
    return make_site({
        "content/sites/fuxi-shequ/index.md": FUXI,
        "content/cases/a/index.md": case_md("甲案例", date="2025-01-01", category="社区", site="fuxi-shequ",
                                            actions="[强村富民]"),
        "content/cases/b/index.md": case_md("乙案例", date="2025-03-01", actions="[平安建设, 强村富民]"),
        "content/cases/c/index.md": case_md("丙案例", date="2025-02-01", weight="-1"),
        "content/cases/d/index.md": case_md("丁案例", date="2025-04-01", category="企业"),
        "content/cases/draft/index.md": case_md("草稿案例", date="2025-04-01", draft="true"),
        "content/cases/later/index.md": case_md("未来案例", date="2025-09-01"),
        "content/pages/qianyan.md": "---\ntitle: 前言\n---\n\n前言正文。\n",
    })


def titles(groups):
    return [(g.number, g.name, [c.title for c in g.cases]) for g in groups]


def test_cases_are_grouped_by_category_in_the_order_site_yaml_declares_and_empty_ones_are_left_out(site):
    model = model_of(site)
    assert titles(group_cases(model, model.cases, "category")) == [
        (1, "农村", ["丙案例", "乙案例"]), (2, "社区", ["甲案例"]), (3, "企业", ["丁案例"])]


def test_within_a_group_weight_comes_first_then_the_newest(site):
    model = model_of(site)
    farm = group_cases(model, model.cases, "category")[0]
    assert [c.title for c in farm.cases] == ["丙案例", "乙案例"]        # 丙 has weight -1, 乙 is newer


def test_by_action_a_case_goes_under_its_first_action_once_and_cases_without_one_come_last(site):
    model = model_of(site)
    groups = group_cases(model, model.cases, "action")
    assert titles(groups) == [(1, "平安建设", ["乙案例"]), (2, "强村富民", ["甲案例"]),
                              (3, "", ["丙案例", "丁案例"])]
    assert groups[-1].slug == "other" and groups[0].description == "排查化解矛盾纠纷"


def test_by_model_site_groups_follow_the_sites_order_with_the_town_as_description(site):
    model = model_of(site)
    groups = group_cases(model, model.cases, "site")
    assert [(g.name, g.slug, g.description) for g in groups] == [("府西社区", "fuxi-shequ", "城区街道"),
                                                               ("西翟村", "xizhai-cun", "城关镇")]


def test_a_booklet_takes_only_what_the_build_publishes(site):
    model = model_of(site)
    booklet = make_booklet(model)
    assert sorted(c.title for c in booklet.cases) == ["丁案例", "丙案例", "乙案例", "甲案例"]
    assert not booklet.proof


def test_a_booklet_of_a_model_with_drafts_is_a_proof(site):
    booklet = make_booklet(model_of(site, drafts=True, future=True))
    assert "草稿案例" in [c.title for c in booklet.cases] and booklet.proof


def test_filters_narrow_by_category_action_site_and_date(site):
    model = model_of(site)
    def kept(**filters):
        return sorted(c.title for c in make_booklet(model, filters=Filters(**filters)).cases)
    assert kept(categories=("农村",)) == ["丙案例", "乙案例"]
    assert kept(actions=("强村富民",)) == ["乙案例", "甲案例"]
    assert kept(sites=("fuxi-shequ",)) == ["甲案例"]
    assert kept(since=dt.date(2025, 3, 1)) == ["丁案例", "乙案例"]
    assert kept(categories=("农村",), since=dt.date(2025, 3, 1)) == ["乙案例"]


def test_site_yaml_gives_the_title_grouping_preface_and_month(make_site):
    root = make_site({"content/cases/a/index.md": case_md(),
                      "content/pages/qianyan.md": "---\ntitle: 前言\n---\n\n前言正文。\n"},
                     site_yaml=SITE_YAML + "footer:\n  organiser: 市委组织部\nbooklet:\n  title: 汇编\n"
                               "  group_by: site\n  preface: qianyan.md\n  month: 2025-12\n")
    booklet = make_booklet(model_of(root))
    assert (booklet.title, booklet.by, booklet.preface.title, booklet.month, booklet.organiser) == (
        "汇编", "site", "前言", dt.date(2025, 12, 1), "市委组织部")


def test_without_a_month_the_site_page_shows_the_newest_case_s_month(site):
    assert make_booklet(model_of(site)).month == dt.date(2025, 4, 1)


def test_a_preface_is_found_by_slug_or_file_name_and_nothing_else(site):
    model = model_of(site)
    assert find_page(model, "qianyan").title == "前言"
    assert find_page(model, "content/pages/qianyan.md").title == "前言"
    assert find_page(model, "houji") is None and find_page(model, "") is None


@pytest.mark.parametrize("n, said", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                     (99, "九十九"), (100, "100"), (0, "0")])
def test_group_numbers_are_said_in_chinese_numerals(n, said):
    assert numeral(n, "零一二三四五六七八九十") == said


def test_group_numbers_are_digits_where_the_theme_gives_no_numerals():
    assert numeral(3, "") == "3"
