"""`showcase status`: every case with its draft and review state, newest first; and why a build
leaves a case out (the build's and the check's summaries list those).

The table is plain text measured in display columns (a Chinese character is two wide), using
only characters a GBK console can show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder import i18n
from builder.assemble import case_order
from builder.config import load_config
from builder.content.load import display_width, load_content, truncate_display
from builder.content.markdown import MarkdownCache
from builder.editors.review import progress
from builder.errors import Problem
from builder.i18n import Phrase
from builder.model import Case, Site

TITLE_WIDTH = 36


@dataclass(frozen=True, slots=True)
class CaseStatus:
    case: Case
    state: str                 # 'draft' | 'future' | 'waiting' | 'published'
    waiting: str | None        # the review stage waited for, if any
    done: tuple[str, ...]      # recorded stages, in order


def case_statuses(root: Path, today: dt.date | None = None) -> tuple[Site, list[CaseStatus], list[Problem]]:
    site, problems = load_config(root)
    content, found = load_content(root, site, MarkdownCache(root / ".cache" / "markdown.json"), workers=1)
    problems += found
    today = today or dt.date.today()
    rows = [status_of(case, site, today) for case in sorted(content.cases, key=case_order)]
    return site, rows, problems


def status_of(case: Case, site: Site, today: dt.date) -> CaseStatus:
    done, waiting = progress(case.reviews, site.review.stages)
    if case.draft:
        state = "draft"
    elif case.date > today:
        state = "future"
    elif site.publish.require_review and waiting is not None:
        state = "waiting"
    else:
        state = "published"
    return CaseStatus(case, state, waiting, tuple(r.stage for r in done))


STATES = ("draft", "future", "waiting", "published")


def state_phrase(row: CaseStatus) -> Phrase:
    return Phrase(f"state_{row.state}")


def review_phrase(row: CaseStatus, stages: tuple[str, ...]) -> Phrase | None:
    """Where the case's review stands; None when the site has no review stages."""
    if not stages:
        return None
    if row.waiting is None:
        return Phrase("status_reviewed")
    return Phrase("status_awaiting", {"done": row.done, "waiting": row.waiting})


def held_back_reason(row: CaseStatus) -> Phrase:
    """Why a build leaves the case out (and the review stage it waits for)."""
    if row.state == "draft":
        return Phrase("held_draft")
    if row.state == "future":
        return Phrase("held_future", {"date": row.case.date.isoformat()})
    if row.state == "waiting":
        return Phrase("held_waiting", {"waiting": row.waiting, "done": row.done})
    return Phrase("held_unpublished")


@dataclass(frozen=True, slots=True)
class HeldBack:
    title: str
    source: str                # the case's file, relative to the site root
    reason: Phrase


def held_back(cases: Iterable[Case], site: Site, today: dt.date | None = None) -> list[HeldBack]:
    """Each case a build leaves out, with the reason."""
    today = today or dt.date.today()
    return [HeldBack(case.title, case.doc.source, held_back_reason(status_of(case, site, today))) for case in cases]


def format_table(rows: list[CaseStatus], site: Site, lang: str = "zh") -> str:
    def say(phrase: Phrase | None) -> str:
        return i18n.text(phrase.code, lang, **phrase.params) if phrase else ""

    head = tuple(i18n.text(f"status_{column}", lang) for column in ("date", "folder", "title", "state", "review"))
    cells = [head]
    for row in rows:
        folder = row.case.doc.bundle_dir.rsplit("/", 1)[-1]
        cells.append((row.case.date.isoformat(), folder, truncate_display(row.case.title, TITLE_WIDTH),
                      say(state_phrase(row)), say(review_phrase(row, site.review.stages))))
    widths = [max(_width(r[i]) for r in cells) for i in range(len(head))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(_pad(text, widths[i]) for i, text in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    counts = {state: sum(1 for r in rows if r.state == state) for state in STATES}
    note = None if site.publish.require_review else Phrase("status_review_off")
    summary = i18n.text("status_summary", lang, count=len(rows), note=note, **counts)
    return "\n".join(lines + ["", summary])


def _width(text: str) -> int:
    return sum(display_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
