"""`showcase new case` and `showcase new site`: a new case or model site from the standard
template, asked for question by question in a terminal, or given as options in a script.

What goes into the files (the templates are templates/new-case.md and new-site.md), and where;
the conversation with a person is in prompts.py.
Nothing is ever overwritten: the folder is created with exist_ok=False, except a folder that
holds only photos (a phone's pictures copied in first), which gets its index.md with those
photos listed in photos: (they are published only when listed).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container, Sequence

from builder.content.load import IMAGE_SUFFIXES, SITE_KINDS, natural_key
from builder.errors import Problem
from builder.yamlio.fields import choice_params, impossible_date, read_date, suggestion_params
from builder.model import Site
from builder.slugs import is_slug, slugify
from builder.yamlio.source import front_matter_of
from builder.yamlio.text import flow_list, quoted, scalar

TEMPLATES = Path(__file__).resolve().parent / "templates"     # new-case.md, new-site.md: $name fields


@dataclass(frozen=True, slots=True)
class SiteChoice:
    """A model site as the chooser shows it."""
    slug: str
    title: str
    town: str = ""


@dataclass(frozen=True, slots=True)
class NewSite:
    title: str
    kind: str
    town: str = ""
    slug: str = ""


@dataclass(frozen=True, slots=True)
class NewCase:
    title: str
    site: str                          # model site slug
    category: str
    date: dt.date
    actions: tuple[str, ...] = ()
    slug: str = ""                     # '' -> made from the model site and the title
    new_site: NewSite | None = None    # created together with the case
    site_title: str = ""


@dataclass(frozen=True, slots=True)
class Created:
    path: Path                         # the new index.md
    folder: Path
    site: Path | None = None           # the model site created along with a case
    notes: tuple[str, ...] = field(default_factory=tuple)


# --- what exists -----------------------------------------------------------------------------

def model_sites(root: Path) -> list[SiteChoice]:
    """The model sites under content/sites/, read just enough to show and match them."""
    found = []
    folder = root / "content" / "sites"
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        index = entry / "index.md"
        if entry.name.startswith((".", "_")) or not index.is_file():
            continue
        fields = front_matter_of(index)
        slug = str(fields.get("slug") or "")
        slug = slug if is_slug(slug) else slugify(entry.name, place=True) or entry.name    # as the build names it
        found.append(SiteChoice(slug, str(fields.get("title") or entry.name).strip(), str(fields.get("town") or "").strip()))
    return sorted(found, key=lambda s: s.slug)      # pinyin order, like a phone's contact list


def taken_slugs(root: Path, section: str) -> set[str]:
    """Folder names and `slug:` values already used under content/<section>/."""
    folder = root / "content" / section
    taken = set()
    for entry in folder.iterdir() if folder.is_dir() else []:
        taken.add(entry.name)
        index = entry / "index.md"
        if index.is_file():
            slug = front_matter_of(index).get("slug")
            if slug:
                taken.add(str(slug))
    return taken


# --- slugs -----------------------------------------------------------------------------------

def _is_han(char: str) -> bool:
    return 0x3400 <= ord(char) <= 0x9FFF or 0xF900 <= ord(char) <= 0xFAFF


def case_slug(title: str, site_slug: str, site_title: str) -> str:
    """'西翟村“基层智理”议事平台' at xizhai-cun -> 'xizhai-jiceng-zhili': the model site's
    name without its 村/社区 word, then the title's first quoted phrase (or its first four
    characters after the site's name) as two-character words."""
    words = site_slug.split("-")
    stem = "-".join(words[:-1]) if len(words) > 1 else site_slug
    rest = title
    for cut in range(len(site_title), 1, -1):
        if site_title[:cut] in rest:
            rest = rest.replace(site_title[:cut], " ", 1)
            break
    quoted = re.search(r"[“\"「『]([^”\"」』]+)[”\"」』]", rest)
    phrase = quoted.group(1) if quoted else rest
    han = [c for c in phrase if _is_han(c)][:4] or [c for c in rest if _is_han(c)][:4]
    if han:
        parts = [slugify("".join(han[i:i + 2])) for i in range(0, len(han), 2)]
    else:
        parts = slugify(phrase or title).split("-")[:4]
    return "-".join(p for p in [stem, *parts] if p)[:60].strip("-")


def free_slug(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


# --- the files -------------------------------------------------------------------------------

def case_text(case: NewCase, photos: Sequence[str] = ()) -> str:
    text = _template("new-case.md").substitute(
        title=_quoted(case.title), site=scalar(case.site), date=case.date.isoformat(),
        category=scalar(case.category), actions=flow_list(case.actions))
    return with_photos(text, photos)


def site_text(site: NewSite, photos: Sequence[str] = ()) -> str:
    template = _template("new-site.md")
    if not site.town:                   # no town: no `town:` line at all
        template = string.Template(template.template.replace("town: $town\n", ""))
    return with_photos(template.substitute(title=_quoted(site.title), kind=scalar(site.kind), town=scalar(site.town)),
                       photos)


_EXAMPLE_PHOTO = re.compile(r"^  # - src: .*\n  #   caption: .*\n", re.M)


def with_photos(text: str, photos: Sequence[str]) -> str:
    """The template's text with `photos` listed in place of its commented example entry."""
    if not photos:
        return text
    entries = "".join(f"  - src: {scalar(name)}\n    caption: \"\"\n" for name in photos)
    return _EXAMPLE_PHOTO.sub(lambda _: entries, text, count=1)


def photo_folder(root: Path, section: str, name: str) -> Path | None:
    """content/<section>/<name>/ when it exists without index.md and holds only photos."""
    folder = root / "content" / section / name
    if not name or "/" in name or "\\" in name or name.startswith(".") or not folder.is_dir():
        return None
    if (folder / "index.md").exists():
        return None
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if not all(p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES for p in entries):
        return None
    return folder


def photo_folders(root: Path, section: str) -> set[str]:
    """The names of the folders under content/<section>/ that hold only photos."""
    folder = root / "content" / section
    return {p.name for p in folder.iterdir() if photo_folder(root, section, p.name)} if folder.is_dir() else set()


def photos_in(folder: Path) -> list[str]:
    """The photos of a folder, in the order people number them."""
    return sorted((p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
                  key=natural_key)


def _template(name: str) -> string.Template:
    return string.Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _quoted(text: str) -> str:
    """Titles are always double-quoted, as in the sample content: they often hold colons."""
    return quoted(text)


def create_case(root: Path, case: NewCase, sites: list[SiteChoice]) -> tuple[Created | None, list[Problem]]:
    created_site = None
    site_title = case.site_title or next((s.title for s in sites if s.slug == case.site), case.site)
    if case.new_site is not None:
        made, problems = create_site(root, case.new_site)
        if made is None:
            return None, problems
        created_site = made.path
        case = dataclasses.replace(case, site=made.folder.name)
    slug = case.slug or free_slug(case_slug(case.title, case.site, site_title), taken_slugs(root, "cases"))
    existing = photo_folder(root, "cases", slug)
    if not slug or not (is_slug(slug) or existing):
        return None, [Problem("", None, "new_no_slug" if not slug else "bad_slug", {"title": case.title, "value": slug})]
    folder = root / "content" / "cases" / slug
    path, problems = _write_new(root, folder, case_text(case, photos_in(existing) if existing else ()), existing)
    if path is None:
        return None, problems
    return Created(path=path, folder=folder, site=created_site), []


def create_site(root: Path, site: NewSite) -> tuple[Created | None, list[Problem]]:
    slug = site.slug or free_slug(slugify(site.title, place=True), taken_slugs(root, "sites"))
    existing = photo_folder(root, "sites", slug)
    if not slug or not (is_slug(slug) or existing):
        return None, [Problem("", None, "new_no_slug" if not slug else "bad_slug", {"title": site.title, "value": slug})]
    folder = root / "content" / "sites" / slug
    path, problems = _write_new(root, folder, site_text(site, photos_in(existing) if existing else ()), existing)
    return (Created(path=path, folder=folder) if path else None), problems


def _write_new(root: Path, folder: Path, text: str,
               photos_only: Path | None = None) -> tuple[Path | None, list[Problem]]:
    if photos_only is not None:
        path = folder / "index.md"
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as out:     # never over an index.md
                out.write(text)
        except FileExistsError:
            return None, [Problem("", None, "new_exists", {"path": folder.relative_to(root).as_posix() + "/"})]
        return path, []
    if folder.exists() or (folder.parent.is_dir() and any(p.name.lower() == folder.name.lower()
                                                             for p in folder.parent.iterdir())):
        return None, [Problem("", None, "new_exists", {"path": folder.relative_to(root).as_posix() + "/"})]
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        return None, [Problem("", None, "new_exists", {"path": folder.relative_to(root).as_posix() + "/"})]
    path = folder / "index.md"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path, []


# --- answers from options --------------------------------------------------------------------

def date_option(text: str | None, today: dt.date) -> tuple[dt.date | None, list[Problem]]:
    """--date, read by the reader the build uses (fields.read_date): 2025-06-01 is taken, and so
    is a real date written the way people write dates (2025年6月1日, 2025/6/1, 20250601): the
    file gets it as 2025-06-01, the one form the build takes. No --date is today."""
    if not text:
        return today, []
    when, meant = read_date(text)
    if when is not None or meant is not None:
        return when or meant, []
    why = impossible_date(text)
    if why is not None:
        return None, [Problem("", None, "bad_date_impossible", {"value": text, "why": why})]
    return None, [Problem("", None, "bad_date", {"value": text})]


def match_site(value: str, sites: list[SiteChoice]) -> SiteChoice | None:
    value = value.strip()
    for site in sites:
        if value in (site.slug, site.title):
            return site
    return None


def case_from_options(site: Site, sites: list[SiteChoice], title: str | None, site_value: str | None,
                      category: str | None, actions: Sequence[str], date: str | None, slug: str | None,
                      today: dt.date, photo_folders: Container[str] = ()) -> tuple[NewCase | None, list[Problem]]:
    """`photo_folders`: folders of photos without index.md, which --slug may name whatever their name."""
    missing = [name for name, value in (("--title", title), ("--site", site_value), ("--category", category))
               if not (value or "").strip()]
    if missing:
        return None, [Problem("", None, "new_missing_options", {"options": " ".join(missing)})]
    problems = []
    chosen = match_site(site_value, sites)
    if chosen is None:
        slugs = sorted(s.slug for s in sites)
        problems.append(Problem("", None, "new_unknown_site", {"value": site_value, **choice_params(slugs),
                                                              **suggestion_params(site_value, slugs + [s.title for s in sites])}))
    problems += _check_category(site, category)
    problems += _check_actions(site, actions)
    when, found = date_option(date, today)
    problems += found
    if slug and not is_slug(slug) and slug not in photo_folders:
        problems.append(Problem("", None, "bad_slug", {"value": slug}))
    if problems:
        return None, problems
    return NewCase(title=title.strip(), site=chosen.slug, site_title=chosen.title, category=category.strip(),
                   date=when, actions=tuple(a.strip() for a in actions), slug=slug or ""), []


def site_from_options(title: str | None, kind: str | None, town: str | None, slug: str | None,
                      sites: Sequence[SiteChoice] = (),
                      photo_folders: Container[str] = (),
                      kinds: Sequence[str] = SITE_KINDS) -> tuple[NewSite | None, list[Problem]]:
    missing = [name for name, value in (("--title", title), ("--kind", kind)) if not (value or "").strip()]
    if missing:
        return None, [Problem("", None, "new_missing_options", {"options": " ".join(missing)})]
    problems = []
    existing = match_site(title, list(sites))
    if existing is not None:
        problems.append(Problem("", None, "new_exists", {"path": f"content/sites/{existing.slug}/"}))
    if kind not in kinds:
        problems.append(Problem("", None, "bad_choice", {"key": "kind", "value": kind, **choice_params(kinds),
                                                          **suggestion_params(kind, kinds)}))
    if slug and not is_slug(slug) and slug not in photo_folders:
        problems.append(Problem("", None, "bad_slug", {"value": slug}))
    if problems:
        return None, problems
    return NewSite(title=title.strip(), kind=kind, town=(town or "").strip(), slug=slug or ""), []


def _check_category(site: Site, category: str) -> list[Problem]:
    if not site.categories:
        return [Problem("site.yaml", None, "new_no_categories")]
    if category.strip() not in site.categories:
        return [Problem("", None, "unknown_category", {"value": category, **choice_params(site.categories),
                                                       **suggestion_params(category, site.categories)})]
    return []


def _check_actions(site: Site, actions: Sequence[str]) -> list[Problem]:
    names = [a.name for a in site.actions]
    return [Problem("", None, "unknown_action", {"value": a, **choice_params(names), **suggestion_params(a, names)})
            for a in actions if a.strip() not in names]
