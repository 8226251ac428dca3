"""Stage 3: cross-reference the content: model sites, categories, actions, URLs, taxonomies.

Every reference from a case to a name declared elsewhere is checked here, with the line of the
key that made it, and so is every pair of sources that would be written to the same URL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from builder.errors import Problem
from builder.yamlio.fields import choice_params, suggestion_params
from builder.model import Case, Content, ModelSite, Site, SiteModel, Term
from builder.slugs import slugify

TAXONOMIES = ("categories", "actions", "tags", "towns")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which cases a build publishes."""
    drafts: bool = False
    future: bool = False
    today: dt.date | None = None        # None: the real today
    require_review: bool = False


def assemble(site: Site, content: Content, selection: Selection = Selection(),
             preview: bool = False) -> tuple[SiteModel, list[Problem]]:
    problems: list[Problem] = []
    _check_references(site, content, problems)
    _check_urls(content, problems)

    published, held_back = _select(site, content.cases, selection)
    cases = tuple(sorted(published, key=case_order))
    sites = tuple(sorted(content.sites, key=lambda s: (s.doc.weight, s.title, s.slug)))
    pages = tuple(sorted(content.pages, key=lambda p: (p.doc.weight, p.title, p.slug)))
    by_site: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_site[case.site].append(case)
    sites_by_slug = {s.slug: s for s in sites}
    model = SiteModel(
        site=site, cases=cases, sites=sites, pages=pages,
        taxonomies=_taxonomies(site, cases, sites_by_slug),
        cases_by_site={s.slug: tuple(by_site.get(s.slug, ())) for s in sites},
        sites_by_slug=sites_by_slug,
        held_back=tuple(sorted(held_back, key=case_order)),
        preview=preview,
    )
    return model, problems


def case_order(case: Case) -> tuple:
    """Newest first; on the same day, lower weight first, then by title."""
    return (-case.date.toordinal(), case.doc.weight, case.title, case.slug)


def _select(site: Site, cases: tuple[Case, ...], selection: Selection) -> tuple[list[Case], list[Case]]:
    today = selection.today or dt.date.today()
    final_stage = site.review.stages[-1] if site.review.stages else None
    published, held = [], []
    for case in cases:
        if case.draft and not selection.drafts:
            held.append(case)
        elif case.date > today and not selection.future:
            held.append(case)
        elif (selection.require_review and final_stage
              and not any(r.stage == final_stage for r in case.reviews)):
            held.append(case)
        else:
            published.append(case)
    return published, held


def _check_references(site: Site, content: Content, problems: list[Problem]) -> None:
    site_slugs = sorted(s.slug for s in content.sites)
    action_names = [a.name for a in site.actions]
    for case in content.cases:
        doc = case.doc
        if case.site and case.site not in site_slugs:
            # Writing the site's Chinese name instead of its folder name is the common mistake.
            by_title = [s.slug for s in content.sites if s.title == case.site]
            params = {"folder": by_title[0]} if by_title else suggestion_params(case.site, site_slugs)
            problems.append(Problem(doc.source, doc.line_of("site"), "unknown_site",
                                    {"value": case.site, **choice_params(site_slugs), **params}))
        if case.category and site.categories and case.category not in site.categories:
            problems.append(Problem(doc.source, doc.line_of("category"), "unknown_category",
                                    {"value": case.category, **choice_params(site.categories),
                                     **suggestion_params(case.category, site.categories)}))
        for action in case.actions:
            if action not in action_names:
                problems.append(Problem(doc.source, doc.line_of("actions"), "unknown_action",
                                        {"value": action, **choice_params(action_names),
                                         **suggestion_params(action, action_names)}))


def _check_urls(content: Content, problems: list[Problem]) -> None:
    seen: dict[str, object] = {}
    items = list(content.cases) + list(content.sites) + list(content.pages)
    for item in items:
        other = seen.get(item.url)
        if other is None:
            seen[item.url] = item
            continue
        # Name the file whose explicit slug: made the clash, since that is the one to change.
        if other.doc.line_of("slug") and not item.doc.line_of("slug"):
            item, other = other, item
        problems.append(Problem(item.doc.source, item.doc.line_of("slug"), "duplicate_url",
                                {"url": "/" + item.url, "other": other.doc.source}))


def _taxonomies(site: Site, cases: tuple[Case, ...], sites: dict[str, ModelSite]) -> dict[str, tuple[Term, ...]]:
    grouped: dict[str, dict[str, list[Case]]] = {t: defaultdict(list) for t in TAXONOMIES}
    for case in cases:
        grouped["categories"][case.category].append(case)
        for action in case.actions:
            grouped["actions"][action].append(case)
        for tag in case.tags:
            grouped["tags"][tag].append(case)
        model_site = sites.get(case.site)
        if model_site and model_site.town:
            grouped["towns"][model_site.town].append(case)

    action_by_name = {a.name: a for a in site.actions}
    # Declared categories and actions keep their declared order and appear even when empty;
    # tags and towns are sorted by how many cases use them.
    order = {
        "categories": list(site.categories),
        "actions": [a.name for a in site.actions],
        "tags": sorted(grouped["tags"], key=lambda n: (-len(grouped["tags"][n]), n)),
        "towns": sorted(grouped["towns"], key=lambda n: (-len(grouped["towns"][n]), n)),
    }
    out = {}
    for taxonomy in TAXONOMIES:
        slugs = _term_slugs(order[taxonomy], {a.name: a.slug for a in site.actions} if taxonomy == "actions" else {})
        out[taxonomy] = tuple(
            Term(taxonomy=taxonomy, name=name, slug=slugs[name], cases=tuple(grouped[taxonomy].get(name, ())),
                 description=action_by_name[name].description if taxonomy == "actions" else "")
            for name in order[taxonomy])
    return out


def _term_slugs(names: list[str], declared: dict[str, str]) -> dict[str, str]:
    """Slugs for taxonomy terms. Homophones (调解 / 调节) would share a pinyin slug: the
    second one gets a short digest of its name, so each term keeps one stable URL."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names, key=lambda n: (n not in declared, n)):
        slug = declared.get(name) or slugify(name) or "term"
        if slug in taken:
            slug = f"{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
        taken.add(slug)
        slugs[name] = slug
    return slugs
