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
from builder.checks.links import ExternalLink, check_nav, make_targets
from builder.checks.rules import Rules, document_problems, with_site_severity
from builder.checks.sitewide import check_empty_sections, check_hosts, check_stale
from builder.checks.spacing import check_spacing, site_lines
from builder.checks.text import load_words
from builder.config import CONFIG_FILE, load_config
from builder.content.load import load_content
from builder.errors import WARNING, Problem, errors_in
from builder.content.markdown import MarkdownCache
from builder.gate.standing import standings
from builder.images.cache import DigestMemo
from builder.model import Case, Document, ModelSite, Page, Site, SiteModel, Standing
from builder.render.pages import page_jobs
from builder.render.theme import load_theme, static_outputs
from builder.yamlio.source import decode_source


@dataclass(frozen=True, slots=True)
class CheckReport:
    problems: tuple[Problem, ...]                     # the build's and the checks', sorted by file and line
    external_links: tuple[ExternalLink, ...] = ()
    held_back: tuple[Case | ModelSite | Page, ...] = ()
    standing: Mapping[str, Standing] = field(default_factory=dict)
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
    what is about to be published; items awaiting review or a future date are always checked."""
    root = root.resolve()
    today = today or dt.date.today()
    problems: list[Problem] = list(build_problems)
    site, found = load_config(root)
    if errors_in(found):
        # A broken site.yaml is reported on its own (the build's problems hold it): checking the
        # content against defaults in place of its broken settings would only add follow-on errors.
        return _report(problems + found, site=site if (root / CONFIG_FILE).is_file() else None)
    site_yaml_lines = _file_lines(root / CONFIG_FILE)
    content, _ = load_content(root, site, MarkdownCache(root / ".cache" / "markdown.json"), workers=1)
    standing = standings(root, site, content, today, DigestMemo(root / ".cache" / "image-digests.json"))
    selection = Selection(drafts=drafts, future=future, today=today, require_review=site.publish.require_review)
    model, _ = assemble(site, content, selection, standing=standing)

    words, found = load_words(root, site, site_yaml_lines)
    problems += found
    rules = Rules(site, tuple(words))
    later = tuple(i for i in model.held_back if not i.draft)       # drafts only with --drafts
    docs = _documents(model, later)
    targets = _targets(root, model, outputs)
    external: list[ExternalLink] = []
    counts = {"cases": sum(1 for d in docs if d[2]), "sites": sum(1 for d in docs if d[1].startswith("sites/")),
              "pages": sum(1 for d in docs if d[1].startswith("pages/")), "photos": 0,
              "internal_links": 0, "drafts_skipped": sum(1 for i in model.held_back if i.draft)}
    reported_resources: set[str] = set()
    for doc, url, is_case in docs:
        found, links, internal = document_problems(root, doc, url, is_case, rules, targets)
        problems += found
        counts["photos"] += len(doc.photos)
        reported_resources.update(p.params["url"] for p in found if p.code == "foreign_resource")
        external += links
        counts["internal_links"] += internal
    problems += check_spacing(site_lines(site, site_yaml_lines))
    found, links, internal = check_nav(site, site_yaml_lines, targets)
    problems += found
    external += links
    counts["internal_links"] += internal
    problems += check_empty_sections(model, site_yaml_lines)
    problems += check_stale(model, today)
    problems += stale_reviews(model, later)
    if outputs is not None:
        problems += check_hosts(site, outputs, _theme_sources(root, site), reported_resources)
    counts["external_links"] = len(external)
    return _report(with_site_severity(problems, site), external, model.held_back, site, counts,
                   rendered=outputs is not None, standing=model.standing)


def stale_reviews(model: SiteModel, also: tuple = ()) -> list[Problem]:
    """A warning for each item changed since its latest recorded review that a build publishes
    anyway (publish: require_review is off), or that `also` names."""
    problems = []
    for item in (*model.cases, *model.sites, *model.pages, *also):
        standing = model.standing_of(item)
        if standing.fell_back_from is not None and standing.state != "stale":
            line = next((r.line for r in reversed(item.reviews) if r.stage == standing.fell_back_from), None)
            problems.append(Problem(item.doc.source, line or item.doc.line_of("review"), "review_stale",
                                    {"stage": standing.fell_back_from}, severity=WARNING))
    return problems


def _report(problems: list[Problem], external: list[ExternalLink] = (), held_back=(), site: Site | None = None,
            counts: Mapping[str, int] | None = None, rendered: bool = False, standing=None) -> CheckReport:
    seen: set[tuple] = set()
    unique = []
    for problem in problems:
        key = (problem.path, problem.line, problem.code, repr(sorted(problem.params.items())))
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    unique.sort(key=lambda p: (p.path == "", p.path, p.line or 0, not p.is_error, p.code))
    return CheckReport(tuple(unique), tuple(external), tuple(held_back), dict(standing or {}), site,
                       dict(counts or {}), rendered)


def _documents(model: SiteModel, later: tuple = ()) -> list[tuple[Document, str, bool]]:
    """The documents to check: what is published, and what waits for its date or its review
    (what a reviewer checks), with their page address and whether each is a case."""
    items = (*model.cases, *(i for i in later if isinstance(i, Case)), *model.sites,
             *(i for i in later if isinstance(i, ModelSite)), *model.pages, *(i for i in later if isinstance(i, Page)))
    return [(i.doc, i.url, isinstance(i, Case)) for i in items]


def _targets(root: Path, model: SiteModel, outputs: Mapping[str, bytes | Path] | None):
    if outputs is not None:
        return site_targets(model, outputs)
    paths = {job.path for job in page_jobs(model)} | {"sitemap.xml"}
    theme, _ = load_theme(root, model.site.theme)
    if theme is not None:
        paths |= set(static_outputs(theme)[1])
    return site_targets(model, dict.fromkeys(paths))


def site_targets(model: SiteModel, outputs: Mapping[str, object]):
    """What links of the site's documents may lead to: the output paths of a build (with the
    rendered pages where known, for their ids), the published documents, the held-back items."""
    docs = {c.url: c.doc for c in model.cases}
    docs.update({s.url: s.doc for s in model.sites})
    docs.update({p.url: p.doc for p in model.pages})
    pages = {url: outputs.get(url + "index.html") for url in docs if isinstance(outputs.get(url + "index.html"), bytes)}
    return make_targets(model.site, outputs.keys(), docs, pages, model.held_back)


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
