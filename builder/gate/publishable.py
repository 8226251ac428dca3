"""What a plain `showcase build` of a site publishes, for the commands that work from the same
selection without building the site (the booklet, the editing desk):

    model, problems = publishable(root)
    model.cases, model.sites, model.pages     # published, in the site's order
    model.held_back                           # the rest; model.standing[item.doc.source] says why

It reads site.yaml and content/ as the build does and decides each item's standing the same
way (gate/standing.py); it runs no rule of the gate (a build would refuse to publish while
`check` reports errors) and makes no photo. Nothing is written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.assemble import Selection, assemble
from builder.config import load_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache
from builder.errors import Problem
from builder.gate.standing import standings
from builder.images.cache import DigestMemo
from builder.model import SiteModel

CACHE_DIR = ".cache"


def publishable(root: Path, today: dt.date | None = None, drafts: bool = False,
                future: bool = False) -> tuple[SiteModel, list[Problem]]:
    """The site model of what `showcase build` (with --drafts / --future as given) would publish
    on `today`, and the problems found reading the site (as the build reports them)."""
    root = Path(root).resolve()
    today = today or dt.date.today()
    site, problems = load_config(root)
    content, found = load_content(root, site, MarkdownCache(root / CACHE_DIR / "markdown.json"), workers=1)
    problems += found
    standing = standings(root, site, content, today, DigestMemo(root / CACHE_DIR / "image-digests.json"))
    selection = Selection(drafts=drafts, future=future, today=today, require_review=site.publish.require_review)
    model, found = assemble(site, content, selection, preview=drafts or future, standing=standing)
    return model, problems + found
