"""Where a case, model site or page stands: draft, scheduled, awaiting a review stage, changed
since its last recorded review (stale), or published.

A review stage belongs to the text it approved: `showcase review` records, with the stage, the
review digest of the item (content/digest.py: the front matter without its review record, the
body, and the name and content digest of each published photo). When the latest recorded
stage's digest is not the item's digest now, the review is stale: the item falls back to that
stage, which must be recorded again. A stage recorded without a digest (written by hand) cannot
be matched to a text, and counts as stale too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from builder.content.digest import review_digest
from builder.images.cache import DigestMemo
from builder.model import Case, Content, Document, ModelSite, Page, Review, Site, Standing

Item = Case | ModelSite | Page
UNREADABLE = "unreadable"          # stands for a photo's digest when its file cannot be read


@dataclass(frozen=True, slots=True)
class Selection:
    """Which items a build publishes: by default only those whose standing is 'published'."""
    drafts: bool = False
    future: bool = False
    today: dt.date | None = None        # None: the real today
    require_review: bool = False


def current_digest(root: Path | None, item: Item | Document, memo: DigestMemo | None = None) -> str:
    """The review digest of an item as its files are now (what `showcase review` records).
    `root` None: the photos count by name only (for callers that read no file)."""
    doc = item if isinstance(item, Document) else item.doc
    memo = memo if memo is not None else DigestMemo(None)
    photos = []
    for photo in doc.photos:
        if root is None:
            photos.append((photo.name, ""))
            continue
        try:
            photos.append((photo.name, memo.digest(photo.src, root / photo.src)))
        except OSError:
            photos.append((photo.name, UNREADABLE))
    return review_digest(doc.text_digest, photos)


def review_progress(reviews: Sequence[Review], stages: Sequence[str], digest: str
                    ) -> tuple[tuple[Review, ...], str | None, str | None]:
    """(the stages that hold for the text as it is, in stage order; the stage waited for;
    the stage it fell back from, if the text changed since the latest recorded stage)."""
    known = [r for r in reviews if r.stage in stages]
    if not known:
        return (), (stages[0] if stages else None), None
    latest = {r.stage: r for r in known}            # a stage recorded again: its newest record
    last = known[-1]
    order = list(stages)
    if last.digest and last.digest == digest:
        done = tuple(latest[s] for s in order if s in latest)
        waiting = next((s for s in order if s not in latest), None)
        return done, waiting, None
    before = order[:order.index(last.stage)]
    done = tuple(latest[s] for s in before if s in latest)
    return done, last.stage, last.stage


def standing_of(item: Item, site: Site, today: dt.date, digest: str) -> Standing:
    """Where `item` stands on `today`, its review digest now being `digest`."""
    done, waiting, fell_back = review_progress(item.reviews, site.review.stages, digest)
    if item.draft:
        state = "draft"
    elif isinstance(item, Case) and item.date > today:
        state = "future"
    elif site.publish.require_review and waiting is not None:
        state = "stale" if fell_back else "waiting"
    else:
        state = "published"
    return Standing(state, tuple(r.stage for r in done), waiting, fell_back, digest)


def standings(root: Path | None, site: Site, content: Content, today: dt.date | None = None,
              memo: DigestMemo | None = None) -> dict[str, Standing]:
    """doc.source -> Standing, for every case, model site and page."""
    today = today or dt.date.today()
    memo = memo if memo is not None else DigestMemo(None)
    return {item.doc.source: standing_of(item, site, today, current_digest(root, item, memo))
            for item in (*content.cases, *content.sites, *content.pages)}


def included(item: Item, standing: Standing, selection: Selection, today: dt.date) -> bool:
    """Does a build with `selection` publish `item`? (--drafts and --future let those through;
    the preview lets through what waits for review.)"""
    if item.draft and not selection.drafts:
        return False
    if isinstance(item, Case) and item.date > today and not selection.future:
        return False
    if selection.require_review and standing.waiting is not None:
        return False
    return True


def held_by_default(items: Sequence[Item], standing: Mapping[str, Standing], site: Site,
                    today: dt.date) -> set[str]:
    """The sources of the items a plain `showcase build` leaves out: the gate's rules do not
    stop a build for them (they are held back anyway)."""
    plain = Selection(today=today, require_review=site.publish.require_review)
    return {i.doc.source for i in items
            if not included(i, standing.get(i.doc.source) or Standing("published"), plain, today)}
