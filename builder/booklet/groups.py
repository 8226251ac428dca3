"""Which published cases go into the booklet, in which groups and in which order.

Pure functions of the assembled model: the cases are the model's (what the build publishes,
so the publishing gate's rules hold here too), narrowed by the command's filters and grouped by
category, special action or model site. Imports only the model and assemble's case order.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from builder.model import Case, ModelSite, Page, SiteModel

OTHER = "other"                   # the slug of the group of cases in no special action


@dataclass(frozen=True, slots=True)
class Filters:
    """What the command line narrows the booklet to (empty: everything published)."""
    categories: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()       # model site slugs
    since: dt.date | None = None

    def keeps(self, case: Case) -> bool:
        return ((not self.categories or case.category in self.categories)
                and (not self.actions or any(a in self.actions for a in case.actions))
                and (not self.sites or case.site in self.sites)
                and (self.since is None or case.date >= self.since))


@dataclass(frozen=True, slots=True)
class Group:
    """One part of the booklet: 一、农村 and its cases."""
    number: int                       # 1, 2, … (said as 一、二、… in Chinese)
    name: str                         # the category, the action, the model site's name; '' for 'other'
    slug: str                         # for /booklet/<slug>/ and anchors
    cases: tuple[Case, ...]
    description: str = ""             # the special action's description, the model site's town


@dataclass(frozen=True, slots=True)
class Booklet:
    """Everything a booklet is made of, whatever its format."""
    title: str                        # '' : the theme's default title made from the site's
    subtitle: str
    organiser: str
    month: dt.date                    # the first day of the month on the cover
    groups: tuple[Group, ...]
    by: str = "category"
    preface: Page | None = None
    proof: bool = False               # a proof copy with unpublished cases: marked on every page
    sites: dict[str, ModelSite] = field(default_factory=dict)

    @property
    def cases(self) -> tuple[Case, ...]:
        return tuple(case for group in self.groups for case in group.cases)


def booklet_order(case: Case) -> tuple:
    """Weight first (the editor's order), then the site's order: newest first, then by title."""
    return (case.doc.weight, -case.date.toordinal(), case.title, case.slug)


def group_cases(model: SiteModel, cases: tuple[Case, ...] | list[Case], by: str) -> tuple[Group, ...]:
    """The groups of `cases`, in the order site.yaml declares categories and actions (model
    sites in the site's order); empty groups are left out. A case is in one group only: under
    `action`, the first special action it names; cases that name none come last."""
    ordered = sorted(cases, key=booklet_order)
    groups: list[tuple[str, str, str, list[Case]]] = []          # (name, slug, description, cases)
    if by == "site":
        for model_site in model.sites:
            members = [c for c in ordered if c.site == model_site.slug]
            groups.append((model_site.title, model_site.slug, model_site.town, members))
    else:
        taxonomy = "actions" if by == "action" else "categories"
        terms = model.taxonomies.get(taxonomy, ())
        key = (lambda c: c.actions[0] if c.actions else None) if by == "action" else (lambda c: c.category)
        names = [t.name for t in terms]
        for name in dict.fromkeys(key(c) for c in ordered if key(c) is not None and key(c) not in names):
            names.append(name)                                   # a category site.yaml does not list
        slugs = {t.name: t.slug for t in terms}
        descriptions = {t.name: t.description for t in terms}
        for name in names:
            groups.append((name, slugs.get(name, name), descriptions.get(name, ""),
                           [c for c in ordered if key(c) == name]))
        if by == "action":
            groups.append(("", OTHER, "", [c for c in ordered if not c.actions]))
    kept = [g for g in groups if g[3]]
    return tuple(Group(number=n, name=name, slug=slug, description=desc, cases=tuple(members))
                 for n, (name, slug, desc, members) in enumerate(kept, start=1))


def make_booklet(model: SiteModel, by: str = "", filters: Filters = Filters(), title: str | None = None,
                 subtitle: str | None = None, preface: Page | None = None, month: dt.date | None = None,
                 proof: bool = False) -> Booklet:
    """The booklet of the model's published cases that `filters` keeps. Settings not given
    come from site.yaml's booklet: section; the month, when neither says, from the newest case
    (so that the site's /booklet/ page is the same on every build of the same sources)."""
    settings = model.site.booklet
    by = by or settings.group_by
    cases = [c for c in model.cases if filters.keeps(c)]
    newest = max((c.date for c in cases), default=dt.date(2000, 1, 1))
    month = month or settings.month or newest
    return Booklet(title=settings.title if title is None else title,
                   subtitle=settings.subtitle if subtitle is None else subtitle,
                   organiser=settings.organiser or model.site.footer.organiser,
                   month=month.replace(day=1), groups=group_cases(model, cases, by), by=by,
                   preface=preface if preface is not None else find_page(model, settings.preface),
                   proof=proof or any(c.draft for c in cases), sites=dict(model.sites_by_slug))


def find_page(model: SiteModel, name: str) -> Page | None:
    """A page of content/pages/ by its slug or its file name ('chuangjian-gaikuang', 'about.md')."""
    if not name:
        return None
    stem = name.removesuffix(".md").rsplit("/", 1)[-1]
    for page in model.pages:
        if page.slug == stem or page.doc.source.rsplit("/", 1)[-1].removesuffix(".md") == stem:
            return page
    return None


def numeral(n: int, digits: str) -> str:
    """n written with the theme's `booklet_digits` (zero to nine, then ten: Chinese counts
    一 … 十, 十二, 二十, 九十九); plain digits when the theme gives none or n is out of reach."""
    if len(digits) != 11 or not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (digits[10] if tens == 1 else digits[tens] + digits[10])
    return head + (digits[ones] if ones else "")
