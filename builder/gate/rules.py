"""The rules a build runs before anything is written: every error `showcase check` reports about
what the build publishes stops the build too (checks/rules.py is the one rule set). Items held
back by a plain build (drafts, scheduled, awaiting review) are not looked at: a `--drafts` build
shows them without their problems stopping it.

They read what the build already holds in memory (the documents, the rendered pages); the
only files they touch are the word list, site.yaml (for the lines of problems in it) and the
published photos' sizes (a stat each).

    problems = content_problems(root, model, exempt)               # before the photos are made
    problems = link_problems(root, model, outputs, exempt, theme)  # once the pages are rendered
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from builder.checks.links import check_document_links, check_nav
from builder.checks.rules import Rules, document_problems, with_site_severity
from builder.checks.run import site_targets, stale_reviews
from builder.checks.sitewide import check_hosts
from builder.checks.text import load_words
from builder.config import CONFIG_FILE
from builder.errors import Problem
from builder.model import Case, SiteModel
from builder.render.pages import page_jobs
from builder.render.theme import Theme, static_outputs


def gated(model: SiteModel, exempt: set[str]) -> list[tuple]:
    """(item, page URL, is a case) of what the build publishes and the gate looks at."""
    return [(item, item.url, isinstance(item, Case)) for item in (*model.cases, *model.sites, *model.pages)
            if item.doc.source not in exempt]


def content_problems(root: Path, model: SiteModel, exempt: set[str]) -> list[Problem]:
    """The errors (and the site's turned-down warnings) of the published documents' text and
    photo files, and of the word list; a warning for each item changed since its review."""
    site = model.site
    words, problems = load_words(root, site, _site_yaml_lines(root))
    rules = Rules(site, tuple(words), warnings=False)
    for item, url, is_case in gated(model, exempt):
        found, _, _ = document_problems(root, item.doc, url, is_case, rules)
        problems += found
    problems += stale_reviews(model)
    return with_site_severity(problems, site)


def link_problems(root: Path, model: SiteModel, outputs: Mapping[str, object] | None, exempt: set[str],
                  theme: Theme | None) -> list[Problem]:
    """Links in the published documents and the menu that lead nowhere (or to what is held
    back), and pages that would make a browser fetch from another host. `outputs` None: the
    build stopped before rendering; the links are checked against the pages it would make."""
    planned = outputs is None
    if planned:
        outputs = dict.fromkeys([job.path for job in page_jobs(model)] + ["sitemap.xml"]
                                + (list(static_outputs(theme)[1]) if theme else []))
    targets = site_targets(model, outputs)
    problems: list[Problem] = []
    reported: set[str] = set()
    for item, url, _ in gated(model, exempt):
        found, _, _ = check_document_links(item.doc, url, targets)
        problems += found
        reported.update(p.params["url"] for p in found if p.code == "foreign_resource")
    found, _, _ = check_nav(model.site, _site_yaml_lines(root), targets)
    problems += found
    if not planned:
        sources = {out: theme.locate_file(path) for out, path in static_outputs(theme)[1].items()} if theme else {}
        problems += check_hosts(model.site, outputs, sources, reported)
    return with_site_severity(problems, model.site)


def _site_yaml_lines(root: Path) -> list[str]:
    try:
        return (root / CONFIG_FILE).read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
