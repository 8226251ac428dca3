"""`showcase status`: every case, model site and page with its draft and review state (cases
newest first, then model sites, then pages); and why a build leaves an item out (the build's
and the check's summaries list those).

The table is plain text measured in display columns (a Chinese character is two wide), using
only characters a GBK console can show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder import i18n
from builder.assemble import case_order, held_reason, item_order
from builder.config import load_config
from builder.content.load import display_width, load_content, truncate_display
from builder.content.markdown import MarkdownCache
from builder.errors import Problem
from builder.gate.standing import current_digest, standing_of
from builder.i18n import Phrase
from builder.images.cache import DigestMemo
from builder.model import Case, ModelSite, Page, Site, SiteModel, Standing

TITLE_WIDTH = 36
Item = Case | ModelSite | Page


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """One row of the table: a case, model site or page (`case`, whatever its kind) and its standing."""
    case: Item
    state: str                 # 'draft' | 'future' | 'waiting' | 'stale' | 'published'
    waiting: str | None        # the review stage waited for, if any
    done: tuple[str, ...]      # recorded stages that hold for the text as it is, in order
    fell_back_from: str | None = None     # changed since this stage was recorded

    @property
    def standing(self) -> Standing:
        return Standing(self.state, self.done, self.waiting, self.fell_back_from)


def case_statuses(root: Path, today: dt.date | None = None) -> tuple[Site, list[CaseStatus], list[Problem]]:
    site, problems = load_config(root)
    content, found = load_content(root, site, MarkdownCache(root / ".cache" / "markdown.json"), workers=1)
    problems += found
    today = today or dt.date.today()
    memo = DigestMemo(root / ".cache" / "image-digests.json")
    items = (sorted(content.cases, key=case_order) + sorted(content.sites, key=item_order)
             + sorted(content.pages, key=item_order))
    rows = [status_row(item, standing_of(item, site, today, current_digest(root, item, memo))) for item in items]
    return site, rows, problems


def status_row(item: Item, standing: Standing) -> CaseStatus:
    return CaseStatus(item, standing.state, standing.waiting, standing.done, standing.fell_back_from)


STATES = ("draft", "future", "waiting", "published")


def state_phrase(row: CaseStatus) -> Phrase:
    return Phrase("state_waiting" if row.state == "stale" else f"state_{row.state}")


def review_phrase(row: CaseStatus, stages: tuple[str, ...]) -> Phrase | None:
    """Where the item's review stands; None when the site has no review stages."""
    if not stages:
        return None
    if row.fell_back_from is not None:
        return Phrase("status_stale", {"stage": row.fell_back_from})
    if row.waiting is None:
        return Phrase("status_reviewed")
    return Phrase("status_awaiting", {"done": row.done, "waiting": row.waiting})


@dataclass(frozen=True, slots=True)
class HeldBack:
    title: str
    source: str                # the item's file, relative to the site root
    reason: Phrase


def held_back(model: SiteModel) -> list[HeldBack]:
    """Each case, model site and page a build leaves out, with the reason."""
    return held_back_items(model.held_back, model.standing)


def held_back_items(items: Iterable[Item], standing: dict) -> list[HeldBack]:
    return [HeldBack(item.title, item.doc.source, held_reason(item, standing.get(item.doc.source) or Standing("draft")))
            for item in items]


def format_table(rows: list[CaseStatus], site: Site, lang: str = "zh") -> str:
    def say(phrase: Phrase | None) -> str:
        return i18n.text(phrase.code, lang, **phrase.params) if phrase else ""

    columns = ("kind", "date", "folder", "title", "state", "review")
    head = tuple(i18n.text(f"status_{column}", lang) for column in columns)
    cells = [head]
    for row in rows:
        item = row.case
        source = item.doc.source
        folder = item.doc.bundle_dir.rsplit("/", 1)[-1] if source.endswith("/index.md") else source.rsplit("/", 1)[-1]
        date = item.date.isoformat() if isinstance(item, Case) else ""
        cells.append((say(Phrase(f"kind_{item.KIND}")), date, folder, truncate_display(item.title, TITLE_WIDTH),
                      say(state_phrase(row)), say(review_phrase(row, site.review.stages))))
    widths = [max(_width(r[i]) for r in cells) for i in range(len(head))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(_pad(text, widths[i]) for i, text in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    counts = {state: sum(1 for r in rows if (r.state == "stale" and state == "waiting") or r.state == state)
              for state in STATES}
    kinds = {kind: sum(1 for r in rows if r.case.KIND == kind) for kind in ("case", "site", "page")}
    note = None if site.publish.require_review else Phrase("status_review_off")
    summary = i18n.text("status_summary", lang, count=len(rows), cases=kinds["case"], sites=kinds["site"],
                        pages=kinds["page"], note=note, **counts)
    return "\n".join(lines + ["", summary])


def _width(text: str) -> int:
    return sum(display_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
