"""The desk's lists: every case (title, model site, date, category, where it stands), every model
site and page, read the way the build reads them; a file the build cannot read is listed too,
by its folder's name, with its problems counted, so it can be opened and mended."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from builder import i18n
from builder.assemble import case_order, item_order
from builder.desk.documents import all_refs, from_source
from builder.errors import Problem
from builder.gate.standing import current_digest, standing_of
from builder.images.cache import DigestMemo
from builder.model import Case, Content, ModelSite, Page, Site, Standing

Item = Case | ModelSite | Page


def item_state(item: Item, standing: Standing, site: Site, today: dt.date) -> tuple[str, dict[str, Any]]:
    """(desk_state_… code, its parameters): 草稿, 改动后待重审, 待审, 已初审…, 定时发布, 已审完."""
    if item.draft:
        return "desk_state_draft", {}
    if standing.fell_back_from:
        return "desk_state_stale", {"stage": standing.fell_back_from}
    if site.review.stages and standing.waiting is not None:
        return ("desk_state_partly", {"stage": standing.done[-1]}) if standing.done else ("desk_state_waiting", {})
    if isinstance(item, Case) and item.date > today:
        return "desk_state_scheduled", {"date": item.date.isoformat()}
    return ("desk_state_reviewed", {}) if site.review.stages else ("desk_state_published", {})


def tags_in_use(content: Content) -> list[str]:
    """The site's tags, the most used first: suggested while typing a tag."""
    counts = Counter(tag for case in content.cases for tag in case.tags)
    return [tag for tag, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def listing(root: Path, site: Site, content: Content, problems: list[Problem], lang: str,
            memo: DigestMemo, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()

    def state(item: Item) -> dict[str, Any]:
        code, params = item_state(item, standing_of(item, site, today, current_digest(root, item, memo)), site, today)
        return {"state": code, "state_label": i18n.text(code, lang, **params)}
    errors = Counter(p.path for p in problems if p.is_error)
    titles = {s.slug: s.title for s in content.sites}
    cases = []
    for case in sorted(content.cases, key=case_order):
        ref = from_source(case.doc.source)
        cases.append({"name": ref.name, "title": case.title, "site": case.site, "site_title": titles.get(case.site, case.site),
                      "date": case.date.isoformat(), "category": case.category, **state(case),
                      "problems": errors.get(case.doc.source, 0)})
    case_count = Counter(c.site for c in content.cases)
    sites = [{"name": from_source(s.doc.source).name, "title": s.title, "kind": s.kind, "town": s.town,
              "cases": case_count.get(s.slug, 0), **state(s), "problems": errors.get(s.doc.source, 0)}
             for s in sorted(content.sites, key=item_order)]
    pages = [{"name": from_source(p.doc.source).name, "title": p.title, **state(p), "problems": errors.get(p.doc.source, 0)}
             for p in sorted(content.pages, key=item_order)]
    # Files the build could not read at all: listed by name, so they can be opened and mended.
    read = {i.doc.source for i in (*content.cases, *content.sites, *content.pages)}
    for kind, rows in (("case", cases), ("site", sites), ("page", pages)):
        for ref in all_refs(root, kind):
            if ref.rel not in read:
                rows.append({"name": ref.name, "title": ref.name, "unreadable": True, "problems": errors.get(ref.rel, 1),
                             "state": "desk_state_unreadable", "state_label": i18n.text("desk_state_unreadable", lang),
                             "site": "", "site_title": "", "date": "", "category": "", "kind": "", "town": "", "cases": 0})
    return {"site_title": site.title, "cases": cases, "sites": sites, "pages": pages}
