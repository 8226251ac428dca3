"""Stage 3: cross-reference the content: model sites, categories, actions, URLs, taxonomies,
and what is published (each item's standing comes from gate/standing.py).

Every reference from a case to a name declared elsewhere is checked here, with the line of the
key that made it, and so is every pair of sources that would be written to the same URL. A
published case whose model site is held back is a problem: its page would link to nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from typing import Mapping

from builder.errors import WARNING, Problem
from builder.gate.standing import Selection, included, standings
from builder.i18n import Phrase
from builder.yamlio.fields import choice_params, suggestion_params
from builder.model import Case, Content, ModelSite, Page, Site, SiteModel, Standing, Term
from builder.slugs import slugify

TAXONOMIES = ("categories", "actions", "tags", "towns")
__all__ = ["Selection", "assemble", "case_order", "item_order"]


def assemble(site: Site, content: Content, selection: Selection = Selection(),
             preview: bool = False, standing: Mapping[str, Standing] | None = None) -> tuple[SiteModel, list[Problem]]:
    """The site model of what `selection` publishes. `standing`: each item's, from
    gate.standing.standings (None: worked out here, with photos counted by name only)."""
    problems: list[Problem] = []
    today = selection.today or dt.date.today()
    content = _sites_by_title(content, problems)
    if standing is None:
        standing = standings(None, site, content, today)

    def chosen(items):
        return [i for i in items if included(i, standing.get(i.doc.source) or Standing("published"), selection, today)]

    cases = tuple(sorted(chosen(content.cases), key=case_order))
    sites = tuple(sorted(chosen(content.sites), key=item_order))
    pages = tuple(sorted(chosen(content.pages), key=item_order))
    shown = {i.doc.source for i in (*cases, *sites, *pages)}
    held_back = (tuple(sorted((c for c in content.cases if c.doc.source not in shown), key=case_order))
                 + tuple(sorted((s for s in content.sites if s.doc.source not in shown), key=item_order))
                 + tuple(sorted((p for p in content.pages if p.doc.source not in shown), key=item_order)))
    _check_references(site, content, problems, {s.slug for s in sites}, cases, standing)
    _check_urls(content, problems)
    _check_titles(cases, problems)
    by_site: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_site[case.site].append(case)
    sites_by_slug = {s.slug: s for s in sites}
    hidden = {i.url for i in held_back}
    nav = tuple(n for n in site.nav if n.url.split("#")[0] not in hidden)
    model = SiteModel(
        site=dataclasses.replace(site, nav=nav) if nav != site.nav else site,
        cases=cases, sites=sites, pages=pages,
        taxonomies=_taxonomies(site, cases, sites_by_slug),
        cases_by_site={s.slug: tuple(by_site.get(s.slug, ())) for s in sites},
        sites_by_slug=sites_by_slug,
        held_back=held_back,
        standing=dict(standing),
        preview=preview,
    )
    return model, problems


def case_order(case: Case) -> tuple:
    """Newest first; on the same day, lower weight first, then by title."""
    return (-case.date.toordinal(), case.doc.weight, case.title, case.slug)


def item_order(item: ModelSite | Page) -> tuple:
    """Model sites and pages: by weight, then title."""
    return (item.doc.weight, item.title, item.slug)


def _sites_by_title(content: Content, problems: list[Problem]) -> Content:
    """`site: 西翟村` names the model site by its title, as `showcase new case --site` takes it:
    the case is read as naming its folder. A title two model sites share names neither."""
    slugs = {s.slug for s in content.sites}
    by_title: dict[str, list[str]] = defaultdict(list)
    for model_site in content.sites:
        by_title[model_site.title].append(model_site.slug)
    cases = []
    for case in content.cases:
        found = by_title.get(case.site, []) if case.site not in slugs else []
        if len(found) == 1:
            case = dataclasses.replace(case, site=found[0])
        elif len(found) > 1:
            problems.append(Problem(case.doc.source, case.doc.line_of("site"), "site_title_ambiguous",
                                    {"value": case.site, "folders": tuple(sorted(found))}))
            case = dataclasses.replace(case, site="")
        cases.append(case)
    return dataclasses.replace(content, cases=tuple(cases))


def _check_titles(cases: tuple[Case, ...], problems: list[Problem]) -> None:
    """Two published cases with the same title: a reader cannot tell them apart in a list."""
    first: dict[str, Case] = {}
    for case in sorted(cases, key=lambda c: c.doc.source):
        other = first.setdefault(case.title, case)
        if other is not case and case.title:
            problems.append(Problem(case.doc.source, case.doc.line_of("title"), "duplicate_title",
                                    {"title": case.title, "other": other.doc.source}, severity=WARNING))


def held_reason(item: Case | ModelSite | Page, standing: Standing) -> Phrase:
    """Why a build leaves `item` out (and the review stage it waits for)."""
    if standing.state == "draft":
        return Phrase("held_draft")
    if standing.state == "future" and isinstance(item, Case):
        return Phrase("held_future", {"date": item.date.isoformat()})
    if standing.state == "stale":
        return Phrase("held_stale", {"stage": standing.fell_back_from})
    if standing.state == "waiting":
        return Phrase("held_waiting", {"waiting": standing.waiting, "done": standing.done})
    return Phrase("held_unpublished")


def _check_references(site: Site, content: Content, problems: list[Problem], published_sites: set[str],
                      published_cases: tuple[Case, ...], standing: Mapping[str, Standing]) -> None:
    site_slugs = sorted(s.slug for s in content.sites)
    held_sites = {s.slug: s for s in content.sites if s.slug not in published_sites}
    for case in published_cases:
        held = held_sites.get(case.site)
        if held is not None:
            reason = held_reason(held, standing.get(held.doc.source) or Standing("draft"))
            problems.append(Problem(case.doc.source, case.doc.line_of("site"), "site_unpublished",
                                    {"value": held.title, "source": held.doc.source, "reason": reason}))
    action_names = [a.name for a in site.actions]
    for case in content.cases:
        doc = case.doc
        if case.site and case.site not in site_slugs:
            problems.append(Problem(doc.source, doc.line_of("site"), "unknown_site",
                                    {"value": case.site, **choice_params(site_slugs),
                                     **suggestion_params(case.site, site_slugs)}))
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
