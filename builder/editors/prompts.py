"""The conversation of `showcase new` in a terminal: questions in Chinese, numbered choices,
re-asked until each answer is usable.

It goes through two functions passed in by the command line (`ask(prompt) -> answer`,
`say(text)`), so this module prints nothing itself and the tests can answer for a person.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from builder.content.load import SITE_KINDS
from builder.model import Site
from builder.yamlio.fields import read_date
from builder.editors.newcase import NewCase, NewSite, SiteChoice, match_site
from builder.slugs import slugify

Ask = Callable[[str], str]
Say = Callable[[str], None]


# --- answers from a person -------------------------------------------------------------------

def interview_case(site: Site, sites: list[SiteChoice], ask: Ask, say: Say, today: dt.date,
                   preset: dict | None = None) -> NewCase:
    """Ask for everything a case needs, in Chinese, re-asking until each answer is usable.
    `preset`: answers given as options (title, site, category, actions, date); a usable one
    is not asked for again."""
    preset = preset or {}
    if not site.categories:
        raise ValueError("no categories")
    say("新建典型案例。按提示逐项填写，直接按回车表示使用方括号里的默认值；按 Ctrl+C 可随时取消。")
    title = (preset.get("title") or "").strip() or _ask_text(ask, say, "案例标题：")
    new_site = None
    chosen = match_site(preset.get("site") or "", sites)
    if chosen is None:
        say("\n这个案例属于哪个示范点？")
        for number, choice in enumerate(sites, start=1):
            say(f"  {number:>2}. {choice.title}" + (f"（{choice.town}）" if choice.town else ""))
        say("   0. 新建一个示范点")
        while True:
            answer = ask("请输入编号：").strip()
            if answer == "0":
                new_site = interview_site(ask, say, sites, intro=False)
                chosen = SiteChoice(slugify(new_site.title, place=True), new_site.title, new_site.town)
                break
            chosen = _by_number(answer, sites) or match_site(answer, sites)
            if chosen is not None:
                break
            say(f"没有编号“{answer}”，请输入 0 到 {len(sites)} 之间的数字。")
    category = preset.get("category") if preset.get("category") in site.categories else None
    category = category or _choose_one(ask, say, "\n类别：", list(site.categories))
    names = [a.name for a in site.actions]
    given = tuple(preset.get("actions") or ())
    if given and all(a in names for a in given):
        actions = given
    elif names:
        actions = _choose_many(ask, say, "\n专项行动（可多选，编号之间用空格或逗号隔开；都不属于就直接按回车）：", names)
    else:
        actions = ()
    when = _ask_date(ask, say, today, given=(preset.get("date") or "").strip())
    return NewCase(title=title, site=chosen.slug, site_title=chosen.title, category=category, date=when,
                   actions=actions, new_site=new_site)


def interview_site(ask: Ask, say: Say, sites: list[SiteChoice] = (), intro: bool = True) -> NewSite:
    if intro:
        say("新建示范点。按提示逐项填写；按 Ctrl+C 可随时取消。")
    while True:
        title = _ask_text(ask, say, "示范点名称（例如 西翟村）：")
        existing = match_site(title, list(sites))
        if existing is None:
            break
        say(f"已经有示范点“{existing.title}”了，请换一个名称（或按 Ctrl+C 取消）。")
    kind = _choose_one(ask, say, "\n示范点类型：", list(SITE_KINDS))
    town = ask("\n所在乡镇（街道）（可不填，直接按回车）：").strip()
    return NewSite(title=title, kind=kind, town=town)      # create_site picks a free folder name


def _ask_text(ask: Ask, say: Say, prompt: str) -> str:
    while True:
        answer = ask(prompt).strip()
        if answer:
            return answer
        say("这一项必须填写。")


def _by_number(answer: str, items: list) -> object | None:
    if answer.isdigit() and 1 <= int(answer) <= len(items):
        return items[int(answer) - 1]
    return None


def _choose_one(ask: Ask, say: Say, title: str, names: list[str]) -> str:
    say(title)
    for number, name in enumerate(names, start=1):
        say(f"  {number:>2}. {name}")
    while True:
        answer = ask("请输入编号：").strip()
        chosen = _by_number(answer, names) or (answer if answer in names else None)
        if chosen:
            return chosen
        say(f"没有“{answer}”这一项，请输入 1 到 {len(names)} 之间的数字。")


def _choose_many(ask: Ask, say: Say, title: str, names: list[str]) -> tuple[str, ...]:
    say(title)
    for number, name in enumerate(names, start=1):
        say(f"  {number:>2}. {name}")
    while True:
        answer = ask("请输入编号：").strip()
        parts = [p for p in re.split(r"[\s,，、;；]+", answer) if p]
        chosen = [_by_number(p, names) or (p if p in names else None) for p in parts]
        if all(chosen):
            return tuple(dict.fromkeys(chosen))
        bad = next(p for p, c in zip(parts, chosen) if not c)
        say(f"没有“{bad}”这一项，请输入 1 到 {len(names)} 之间的数字，或直接按回车跳过。")


def _ask_date(ask: Ask, say: Say, today: dt.date, given: str = "") -> dt.date:
    """The date given as an option, or asked for. A real date written the way people write dates
    (2025年6月1日) is taken and said back as the file will have it (2025-06-01)."""
    answer = given
    while True:
        if answer:
            when, meant = read_date(answer)       # the build's reader
            if when is not None:
                return when
            if meant is not None:
                say(f"日期按 {meant.isoformat()} 记录。")
                return meant
            say("日期格式不对，请写成 年-月-日，例如 2025-06-01；直接按回车表示今天。")
        answer = ask(f"\n发布日期 [{today.isoformat()}]：").strip()
        if not answer:
            return today
