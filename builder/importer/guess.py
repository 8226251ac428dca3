"""The front matter a document suggests, each value with where it came from (a message code the
command shows): the model site named at its top, the category that site's kind suggests, the
date written in it, its first paragraph as the summary.

A model site is recognised by its title or by one of its aliases, written in its front matter
as `extra: {aliases: [宏达钢铁, 宏达集团]}` (or `aliases:` where a site allows it).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.content.load import SUMMARY_WIDTH, truncate_display
from builder.editors.newcase import SiteChoice, match_site, model_sites
from builder.importer.layout import Layout
from builder.model import Site
from builder.yamlio.source import front_matter_of


@dataclass(frozen=True, slots=True)
class KnownSite:
    choice: SiteChoice
    kind: str
    names: tuple[str, ...]          # the title and the aliases, longest first


@dataclass(frozen=True, slots=True)
class Guessed:
    value: object
    origin: str                     # message code: how it was found ('' when given as an option)


def known_sites(root: Path) -> list[KnownSite]:
    """The model sites with the names a document may call them by."""
    found = []
    for choice in model_sites(root):
        fields = front_matter_of(_index_of(root, choice))
        extra = fields.get("extra") if isinstance(fields.get("extra"), dict) else {}
        aliases = [a for a in list(_names(fields.get("aliases"))) + list(_names(extra.get("aliases")))]
        names = sorted({n.strip() for n in [choice.title, *aliases] if n and n.strip()}, key=lambda n: (-len(n), n))
        found.append(KnownSite(choice, str(fields.get("kind") or ""), tuple(names)))
    return found


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def _index_of(root: Path, choice: SiteChoice) -> Path:
    folder = root / "content" / "sites"
    direct = folder / choice.slug / "index.md"
    if direct.is_file():
        return direct
    for index in sorted(folder.glob("*/index.md")):
        if front_matter_of(index).get("slug") == choice.slug or index.parent.name == choice.title:
            return index
    return direct


def sites_named(layout: Layout, sites: list[KnownSite]) -> list[KnownSite]:
    """The model sites the title names; failing that, those the first paragraphs name. A name
    inside a longer name also found (龙门 inside 龙门村) does not count on its own."""
    for text in (layout.title, layout.opening):
        found = {s.choice.slug: next((n for n in s.names if n in text), "") for s in sites}
        hits = [s for s in sites if found[s.choice.slug]]
        names = [found[s.choice.slug] for s in hits]
        hits = [s for s in hits if not any(found[s.choice.slug] != other and found[s.choice.slug] in other
                                           for other in names)]
        if hits:
            return hits
    return []


def guess_site(option: str | None, layout: Layout, sites: list[KnownSite]) -> tuple[KnownSite | None, list[KnownSite], str]:
    """(the site, the candidates when it is not clear, how it was found). `option` (--site) wins:
    a folder name, a title or an alias."""
    if option:
        chosen = match_site(option, [s.choice for s in sites])
        if chosen is None:
            chosen = next((s.choice for s in sites if option.strip() in s.names), None)
        known = next((s for s in sites if chosen and s.choice.slug == chosen.slug), None)
        return known, [], ""
    named = sites_named(layout, sites)
    if len(named) == 1:
        return named[0], [], "import_from_named"
    return None, named, ""


def guess_category(option: str | None, site: Site, known: KnownSite | None) -> Guessed | None:
    """--category, or the category that the model site's kind is part of (村 -> 农村, 社区 -> 社区)."""
    if option:
        return Guessed(option.strip(), "")
    if known is None or not known.kind:
        return None
    matches = [c for c in site.categories if c == known.kind] or [c for c in site.categories if known.kind in c]
    return Guessed(matches[0], "import_from_kind") if len(matches) == 1 else None


def guess_date(layout: Layout, today: dt.date) -> Guessed:
    """A line that is only a date; else the latest full date in the text that is not later than
    today (a date to come is a plan, not the day of writing); else today."""
    if layout.date is not None:
        return Guessed(layout.date, "import_from_date_line")
    past = [d for d in layout.dates_in_text if d <= today]
    if past:
        return Guessed(max(past), "import_from_text_date")
    return Guessed(today, "import_from_today")


def guess_summary(layout: Layout) -> str:
    """The first paragraph, cut as the build cuts a summary it makes itself."""
    return truncate_display(layout.first_paragraph, SUMMARY_WIDTH) if layout.first_paragraph else ""
