"""The conversation of `showcase new` in a terminal: questions in the language chosen with
--lang, numbered choices, re-asked until each answer is usable.

It talks through a Conversation passed in by the command line (messages by code, as the
catalogue names them), so this module prints nothing itself and the tests can answer for a person.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Protocol, Sequence

from builder.content.load import SITE_KINDS
from builder.editors.newcase import NewCase, NewSite, SiteChoice, match_site
from builder.model import Site
from builder.slugs import slugify
from builder.yamlio.fields import read_date

SEPARATORS = re.compile(r"[\s,，、;；]+")       # between the numbers of a multiple choice


class Conversation(Protocol):
    def ask(self, code: str, /, **params: Any) -> str:
        """Show the question `code` and return the line typed (EOFError when input ends)."""

    def say(self, code: str, /, **params: Any) -> None:
        """Say the message `code`."""

    def item(self, code: str, /, **params: Any) -> None:
        """Say the message `code` as a line of a list."""

    def gap(self) -> None:
        """An empty line before the next question."""


# --- answers from a person -------------------------------------------------------------------

def interview_case(site: Site, sites: list[SiteChoice], talk: Conversation, today: dt.date,
                   preset: dict | None = None) -> NewCase:
    """Ask for everything a case needs, re-asking until each answer is usable.
    `preset`: answers given as options (title, site, category, actions, date); a usable one
    is not asked for again."""
    preset = preset or {}
    if not site.categories:
        raise ValueError("no categories: the command checks this before asking")
    talk.say("ask_case_intro")
    title = (preset.get("title") or "").strip() or _ask_text(talk, "ask_case_title")
    new_site = None
    chosen = match_site(preset.get("site") or "", sites)
    if chosen is None:
        talk.gap()
        talk.say("ask_which_site")
        for number, choice in enumerate(sites, start=1):
            talk.item("ask_site_choice", number=number, title=choice.title, town=choice.town)
        talk.item("ask_new_site_choice", number=0)
        while True:
            answer = talk.ask("ask_number").strip()
            if answer == "0":
                new_site = interview_site(talk, sites, intro=False, kinds=site.sites.kinds)
                chosen = SiteChoice(slugify(new_site.title, place=True), new_site.title, new_site.town)
                break
            chosen = _by_number(answer, sites) or match_site(answer, sites)
            if chosen is not None:
                break
            talk.say("ask_no_such_number", answer=answer, last=len(sites))
    category = preset.get("category") if preset.get("category") in site.categories else None
    category = category or _choose_one(talk, "ask_category", list(site.categories))
    names = [a.name for a in site.actions]
    given = tuple(preset.get("actions") or ())
    if given and all(a in names for a in given):
        actions = given
    elif names:
        actions = _choose_many(talk, "ask_actions", names)
    else:
        actions = ()
    when = _ask_date(talk, today, given=(preset.get("date") or "").strip())
    return NewCase(title=title, site=chosen.slug, site_title=chosen.title, category=category, date=when,
                   actions=actions, new_site=new_site)


def interview_site(talk: Conversation, sites: Sequence[SiteChoice] = (), intro: bool = True,
                   kinds: Sequence[str] = SITE_KINDS) -> NewSite:
    if intro:
        talk.say("ask_site_intro")
    while True:
        title = _ask_text(talk, "ask_site_title")
        existing = match_site(title, list(sites))
        if existing is None:
            break
        talk.say("ask_site_exists", title=existing.title)
    kind = _choose_one(talk, "ask_site_kind", list(kinds))
    talk.gap()
    town = talk.ask("ask_site_town").strip()
    return NewSite(title=title, kind=kind, town=town)      # create_site picks a free folder name


def _ask_text(talk: Conversation, question: str) -> str:
    while True:
        answer = talk.ask(question).strip()
        if answer:
            return answer
        talk.say("ask_required")


def _by_number(answer: str, items: Sequence) -> object | None:
    if answer.isdigit() and 1 <= int(answer) <= len(items):
        return items[int(answer) - 1]
    return None


def _list_choices(talk: Conversation, title: str, names: list[str]) -> None:
    talk.gap()
    talk.say(title)
    for number, name in enumerate(names, start=1):
        talk.item("ask_choice", number=number, name=name)


def _choose_one(talk: Conversation, title: str, names: list[str]) -> str:
    _list_choices(talk, title, names)
    while True:
        answer = talk.ask("ask_number").strip()
        chosen = _by_number(answer, names) or (answer if answer in names else None)
        if chosen:
            return chosen
        talk.say("ask_no_such_item", answer=answer, last=len(names))


def _choose_many(talk: Conversation, title: str, names: list[str]) -> tuple[str, ...]:
    _list_choices(talk, title, names)
    while True:
        answer = talk.ask("ask_number").strip()
        parts = [p for p in SEPARATORS.split(answer) if p]
        chosen = [_by_number(p, names) or (p if p in names else None) for p in parts]
        if all(chosen):
            return tuple(dict.fromkeys(chosen))
        bad = next(p for p, c in zip(parts, chosen) if not c)
        talk.say("ask_no_such_item_skip", answer=bad, last=len(names))


def _ask_date(talk: Conversation, today: dt.date, given: str = "") -> dt.date:
    """The date given as an option, or asked for. A real date written the way people write dates
    (2025年6月1日) is taken and said back as the file will have it (2025-06-01)."""
    answer = given
    while True:
        if answer:
            when, meant = read_date(answer)       # the build's reader
            if when is not None:
                return when
            if meant is not None:
                talk.say("ask_date_taken_as", date=meant.isoformat())
                return meant
            talk.say("ask_date_bad")
        talk.gap()
        answer = talk.ask("ask_date", today=today.isoformat()).strip()
        if not answer:
            return today
