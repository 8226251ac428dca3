"""`showcase check`: the self-inspection report, on top of everything a build validates.

The checks read the sources themselves (stages 1 to 3, no images), so they run and report even
when the build fails; the pages the build rendered, when it got that far, are scanned for
references to other hosts and used to resolve links exactly. Nothing is written.

    report = check_site(root, selection_options, build_problems, outputs)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from builder.assemble import Selection, assemble
from builder.checks.links import ExternalLink, check_document_links, check_nav, make_targets, references
from builder.checks.photos import check_photos
from builder.checks.sitewide import check_empty_sections, check_hosts, check_stale
from builder.checks.spacing import check_spacing, site_lines
from builder.checks.text import (PACKAGED_WORDLIST, Word, check_hints, check_length, check_punctuation,
                                 check_sections, check_words, document_lines, parse_wordlist)
from builder.config import CONFIG_FILE, load_config
from builder.content.load import load_content
from builder.errors import Problem, errors_in
from builder.content.markdown import MarkdownCache
from builder.model import Case, Document, Site, SiteModel
from builder.render.pages import page_jobs
from builder.render.theme import load_theme, static_outputs
from builder.yamlio.source import decode_source


@dataclass(frozen=True, slots=True)
class CheckReport:
    problems: tuple[Problem, ...]                     # the build's and the checks', sorted by file and line
    external_links: tuple[ExternalLink, ...] = ()
    held_back: tuple[Case, ...] = ()
    site: Site | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    rendered: bool = False                            # the build got to rendering: pages were scanned

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def check_site(root: Path, build_problems: list[Problem], outputs: Mapping[str, bytes | Path] | None = None,
               drafts: bool = False, future: bool = False, today: dt.date | None = None) -> CheckReport:
    """Every check on the site at `root`; `build_problems` are what the build found,
    `outputs` what it rendered (None when it failed before rendering). Drafts are work in
    progress: checked only with `drafts`, so a draft being written does not fail the check of
    what is about to be published; cases awaiting review or a future date are always checked."""
    root = root.resolve()
    today = today or dt.date.today()
    problems: list[Problem] = list(build_problems)
    site, found = load_config(root)
    if errors_in(found) and not site.title and not (root / CONFIG_FILE).is_file():
        return _report(problems, site=None)
    site_yaml_lines = _file_lines(root / CONFIG_FILE)
    content, _ = load_content(root, site, MarkdownCache(root / ".cache" / "markdown.json"), workers=1)
    selection = Selection(drafts=drafts, future=future, today=today, require_review=site.publish.require_review)
    model, _ = assemble(site, content, selection)

    words, found = load_words(root, site, site_yaml_lines)
    problems += found
    checked = model.cases + tuple(c for c in model.held_back if not c.draft)     # drafts only with --drafts
    docs = _documents(model, checked)
    targets = _targets(root, model, outputs)
    external: list[ExternalLink] = []
    counts = {"cases": len(checked), "sites": len(model.sites), "pages": len(model.pages), "photos": 0,
              "internal_links": 0, "drafts_skipped": sum(1 for c in model.held_back if c.draft)}
    reported_resources: set[str] = set()
    for doc, url, is_case in docs:
        file_lines = _file_lines(root / doc.source)
        lines = list(document_lines(doc, file_lines))
        problems += check_words(lines, words)
        problems += check_punctuation(lines)
        problems += check_spacing(lines)
        problems += check_hints(doc)
        problems += check_sections(doc)
        problems += check_photos(root, doc, site)
        counts["photos"] += len(doc.photos)
        found, links, internal = check_document_links(doc, url, targets)
        problems += found
        reported_resources.update(p.params["url"] for p in found if p.code == "foreign_resource")
        external += links
        counts["internal_links"] += internal
    for case in checked:
        problems += check_length(case, site.review.min_body_chars)
    problems += check_spacing(site_lines(site, site_yaml_lines))
    found, links, internal = check_nav(site, site_yaml_lines, targets)
    problems += found
    external += links
    counts["internal_links"] += internal
    problems += check_empty_sections(model, site_yaml_lines)
    problems += check_stale(model, today)
    if outputs is not None:
        problems += check_hosts(site, outputs, _theme_sources(root, site), reported_resources)
    counts["external_links"] = len(external)
    return _report(problems, external, model.held_back, site, counts, rendered=outputs is not None)


def load_words(root: Path, site: Site, site_yaml_lines: list[str]) -> tuple[list[Word], list[Problem]]:
    """The site's word list (review.words), or the starter list shipped with showcase."""
    if not site.review.words:
        return parse_wordlist(PACKAGED_WORDLIST.read_text(encoding="utf-8"), "showcase:wordlist.txt")
    path = root / site.review.words
    line = next((n for n, text in enumerate(site_yaml_lines, 1) if text.strip().startswith("words:")
                 or "words:" in text and site.review.words in text), None)
    if not path.is_file():
        return [], [Problem(CONFIG_FILE, line, "wordlist_missing", {"path": site.review.words})]
    text, found = decode_source(path.read_bytes(), site.review.words)
    if text is None:
        return [], found
    return parse_wordlist(text, site.review.words)


def _report(problems: list[Problem], external: list[ExternalLink] = (), held_back=(), site: Site | None = None,
            counts: Mapping[str, int] | None = None, rendered: bool = False) -> CheckReport:
    seen: set[tuple] = set()
    unique = []
    for problem in problems:
        key = (problem.path, problem.line, problem.code, repr(sorted(problem.params.items())))
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    unique.sort(key=lambda p: (p.path == "", p.path, p.line or 0, not p.is_error, p.code))
    return CheckReport(tuple(unique), tuple(external), tuple(held_back), site, dict(counts or {}), rendered)


def _documents(model: SiteModel, cases: tuple[Case, ...]) -> list[tuple[Document, str, bool]]:
    """The documents to check: the cases given (published, and awaiting review or their date:
    those are what a reviewer checks), every model site and page."""
    return ([(c.doc, c.url, True) for c in cases]
            + [(s.doc, s.url, False) for s in model.sites] + [(p.doc, p.url, False) for p in model.pages])


def _targets(root: Path, model: SiteModel, outputs: Mapping[str, bytes | Path] | None):
    docs = {c.url: c.doc for c in model.cases}
    docs.update({s.url: s.doc for s in model.sites})
    docs.update({p.url: p.doc for p in model.pages})
    page_ids: dict[str, set[str]] = {}
    if outputs is not None:
        paths = set(outputs)
        for url in docs:
            data = outputs.get(url + "index.html")
            if isinstance(data, bytes):
                page_ids[url] = references(data.decode("utf-8", errors="replace"))[1]
    else:
        paths = {job.path for job in page_jobs(model)} | {"sitemap.xml"}
        theme, _ = load_theme(root, model.site.theme)
        if theme is not None:
            paths |= set(static_outputs(theme)[1])
    return make_targets(model.site, paths, docs, page_ids, model.held_back)


def _theme_sources(root: Path, site: Site) -> dict[str, str]:
    """Output path of each theme static file -> its source, as a reader would look for it:
    relative to the site, or 'themes/default/static/x.css' for a theme that comes with showcase
    (the way template errors name a theme's files)."""
    theme, _ = load_theme(root, site.theme)
    if theme is None:
        return {}
    return {out: theme.locate_file(path) for out, path in static_outputs(theme)[1].items()}


def _file_lines(path: Path) -> list[str]:
    try:
        text, _ = decode_source(path.read_bytes(), path.name)
    except OSError:
        return []
    return text.split("\n") if text is not None else []
