"""`showcase status`: every case with its draft and review state, newest first.

The table is plain text measured in display columns (a Chinese character is two wide), using
only characters a GBK console can show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.assemble import case_order
from builder.config import load_config
from builder.content.load import display_width, load_content, truncate_display
from builder.errors import Problem
from builder.content.markdown import MarkdownCache
from builder.model import Case, Site
from builder.editors.review import progress

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


STATE_TEXT = {"draft": ("草稿", "draft"), "future": ("定时发布", "scheduled"),
              "waiting": ("待审", "awaiting review"), "published": ("已发布", "published")}


def state_text(row: CaseStatus, lang: str = "zh") -> str:
    zh, en = STATE_TEXT[row.state]
    return zh if lang == "zh" else en


def review_text(row: CaseStatus, stages: tuple[str, ...], lang: str = "zh") -> str:
    if not stages:
        return ""
    if row.waiting is None:
        return "已审完" if lang == "zh" else "reviewed"
    done = "、".join(row.done) if lang == "zh" else ", ".join(row.done)
    if lang == "zh":
        return (f"已{done}，" if done else "") + f"待{row.waiting}"
    return (f"{done} done; " if done else "") + f"awaiting {row.waiting}"


def format_table(rows: list[CaseStatus], site: Site, lang: str = "zh") -> str:
    zh = lang == "zh"
    head = ("日期", "文件夹", "标题", "状态", "审核") if zh else ("Date", "Folder", "Title", "State", "Review")
    cells = [head]
    for row in rows:
        folder = row.case.doc.bundle_dir.rsplit("/", 1)[-1]
        cells.append((row.case.date.isoformat(), folder, truncate_display(row.case.title, TITLE_WIDTH),
                      state_text(row, lang), review_text(row, site.review.stages, lang)))
    widths = [max(_width(r[i]) for r in cells) for i in range(len(head))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(_pad(text, widths[i]) for i, text in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    counts = {state: sum(1 for r in rows if r.state == state) for state in STATE_TEXT}
    if zh:
        summary = (f"共 {len(rows)} 个案例：已发布 {counts['published']}，草稿 {counts['draft']}，"
                   f"定时发布 {counts['future']}，待审 {counts['waiting']}。")
        if not site.publish.require_review:
            summary += "（site.yaml 未设置 publish: require_review: true，审核进度仅供参考，不影响发布。）"
    else:
        summary = (f"{len(rows)} cases: {counts['published']} published, {counts['draft']} drafts, "
                   f"{counts['future']} scheduled, {counts['waiting']} awaiting review.")
        if not site.publish.require_review:
            summary += " (publish: require_review is off: reviews are shown but do not hold cases back.)"
    return "\n".join(lines + ["", summary])


def _width(text: str) -> int:
    return sum(display_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
