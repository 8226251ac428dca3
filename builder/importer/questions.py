"""What `showcase import` asks in a terminal when a document does not say it clearly: the model
site (the ones it names first, then every other) and the category. Talks through the same
Conversation as `showcase new` (editors.prompts), so the tests can answer for a person."""
from __future__ import annotations

from typing import Sequence

from builder.editors.prompts import Conversation
from builder.importer.guess import KnownSite


def ask_site(talk: Conversation, title: str, named: Sequence[KnownSite], sites: Sequence[KnownSite]) -> KnownSite:
    """The model site of the document `title`: the sites it names are listed first."""
    ordered = list(named) + [s for s in sites if s not in named]
    talk.gap()
    talk.say("ask_import_site", title=title)
    for number, site in enumerate(ordered, start=1):
        talk.item("ask_site_choice", number=number, title=site.choice.title, town=site.choice.town)
    return ordered[_ask_number(talk, [s.choice.title for s in ordered], [s.choice.slug for s in ordered])]


def ask_category(talk: Conversation, title: str, categories: Sequence[str]) -> str:
    talk.gap()
    talk.say("ask_import_category", title=title)
    for number, name in enumerate(categories, start=1):
        talk.item("ask_choice", number=number, name=name)
    return categories[_ask_number(talk, list(categories))]


def _ask_number(talk: Conversation, names: list[str], other_names: list[str] | None = None) -> int:
    """The index of the item chosen by its number or its name, asked again until it is one."""
    while True:
        answer = talk.ask("ask_number").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(names):
            return int(answer) - 1
        for listing in (names, other_names or []):
            if answer in listing:
                return listing.index(answer)
        talk.say("ask_no_such_item", answer=answer, last=len(names))
