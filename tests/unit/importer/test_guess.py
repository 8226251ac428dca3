"""What the front matter of an imported case is guessed from."""
from __future__ import annotations

import datetime as dt

import pytest

from builder.editors.newcase import SiteChoice
from builder.importer.guess import Guessed, KnownSite, guess_category, guess_date, guess_site, sites_named
from builder.importer.layout import Layout
from builder.model import Site

LONGMEN_CUN = KnownSite(SiteChoice("longmen-cun", "龙门村"), "村", ("龙门村",))
LONGMEN_JT = KnownSite(SiteChoice("longmen-jituan", "龙门集团"), "企业", ("龙门集团", "龙门"))
XIZHAI = KnownSite(SiteChoice("xizhai-cun", "西翟村"), "村", ("西翟村", "西翟"))
SITES = [LONGMEN_CUN, LONGMEN_JT, XIZHAI]


def layout(title: str = "", opening: str = "", date=None, dates=()) -> Layout:
    return Layout(title, "style", opening=title + "\n" + opening, date=date, dates_in_text=tuple(dates))


@pytest.mark.parametrize("title, opening, named", [
    ("西翟村议事平台", "", ["xizhai-cun"]),
    ("议事平台", "西翟村位于城关镇。", ["xizhai-cun"]),
    ("龙门村明清文化街", "", ["longmen-cun"]),                     # 龙门 inside 龙门村 is not 龙门集团
    ("龙门村与龙门集团结对", "", ["longmen-cun", "longmen-jituan"]),
    ("西翟村议事平台", "龙门村也来学习。", ["xizhai-cun"]),          # the title says it: the opening is not read
    ("某社区", "某街道。", []),
])
def test_the_model_site_is_the_one_the_title_or_else_the_opening_names(title, opening, named):
    assert [s.choice.slug for s in sites_named(layout(title, opening), SITES)] == named


def test_site_option_wins_and_is_matched_by_folder_name_title_or_alias():
    for value in ("longmen-jituan", "龙门集团", "龙门"):
        assert guess_site(value, layout("西翟村"), SITES)[0] is LONGMEN_JT


@pytest.mark.parametrize("known, categories, expected", [
    (XIZHAI, ("农村", "社区"), Guessed("农村", "import_from_kind")),
    (LONGMEN_JT, ("农村", "企业"), Guessed("企业", "import_from_kind")),
    (LONGMEN_JT, ("农村", "社区"), None),
    (None, ("农村",), None),
])
def test_the_category_follows_from_the_model_sites_kind(known, categories, expected):
    assert guess_category(None, Site(title="t", categories=categories), known) == expected


def test_the_date_is_a_date_line_else_the_latest_past_date_in_the_text_else_today():
    today = dt.date(2025, 6, 30)
    assert guess_date(layout(date=dt.date(2025, 6, 12), dates=[dt.date(2025, 6, 20)]), today) == Guessed(dt.date(2025, 6, 12), "import_from_date_line")
    assert guess_date(layout(dates=[dt.date(2025, 6, 20), dt.date(2025, 5, 1), dt.date(2026, 1, 1)]), today) == Guessed(dt.date(2025, 6, 20), "import_from_text_date")
    assert guess_date(layout(dates=[dt.date(2026, 1, 1)]), today) == Guessed(today, "import_from_today")
