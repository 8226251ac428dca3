"""Link checks of `showcase check`: every internal link and image in case, model site and page
bodies (and the internal addresses of the site.yaml menu) must lead to something the build
makes; external links are listed for a person to look at, never fetched.

A link is resolved the way the render stage writes it: '/cases/x/' is site-relative (the base
path is put in front at render time), 'x/' and '../x/' are relative to the page's own address,
'#heading' is an anchor in the page, and a bare file name in an image is a photo of the bundle.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from builder.errors import WARNING, Problem
from builder.i18n import Phrase
from builder.yamlio.fields import suggestion_params
from builder.model import Case, Document, ModelSite, Page, Site

RESOURCE_TAGS = {"img": ("src",), "source": ("src",), "script": ("src",), "iframe": ("src",),
                 "frame": ("src",), "embed": ("src",), "video": ("src", "poster"), "audio": ("src",),
                 "track": ("src",), "object": ("data",)}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic")


# An attribute that refers to another file (RESOURCE_TAGS', and <a href>): a body without one has no reference.
_REFERS = re.compile(r"\s(?:href|src|data|poster)\s*=", re.I)


@dataclass(frozen=True, slots=True)
class ExternalLink:
    path: str
    line: int | None
    url: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    tag: str
    attr: str
    value: str
    text: str = ""                 # link text of an <a>


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Reference] = []
        self.ids: set[str] = set()
        self._open_link: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.found.append(Reference("a", "href", values["href"]))
            self._open_link = len(self.found) - 1
        for attr in RESOURCE_TAGS.get(tag, ()):
            if values.get(attr):
                self.found.append(Reference(tag, attr, values[attr]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open_link = None

    def handle_data(self, data: str) -> None:
        if self._open_link is not None:
            ref = self.found[self._open_link]
            self.found[self._open_link] = Reference(ref.tag, ref.attr, ref.value, (ref.text + data)[:60])


def references(html_text: str) -> tuple[list[Reference], set[str]]:
    parser = _References()
    parser.feed(html_text)
    parser.close()
    return parser.found, parser.ids


@dataclass(frozen=True, slots=True)
class Targets:
    """What links may lead to."""
    paths: frozenset[str]                       # output paths ('cases/x/index.html')
    docs: Mapping[str, Document]                # page URL ('cases/x/') -> its document
    ids: Mapping[str, frozenset[str]]           # page URL -> ids on the page
    held_back: Mapping[str, Case | ModelSite | Page]   # URL of an unpublished item -> the item
    own_host: str                               # host of base_url ('' when base_url is a path)
    base_path: str


class _PageIds(Mapping):
    """Page URL -> the ids on the page, each found when a link first asks for it: most pages
    are never the target of a link with a #fragment, and parsing every page costs seconds on a
    big site. `pages`: URL -> the rendered page (bytes), or ids already known."""

    def __init__(self, docs: Mapping[str, Document], pages: Mapping[str, object]):
        self._docs, self._pages, self._found = docs, pages, {}

    def __getitem__(self, url: str) -> frozenset[str]:
        if url not in self._docs:
            raise KeyError(url)
        if url not in self._found:
            doc, page = self._docs[url], self._pages.get(url, ())
            found = set(references(page.decode("utf-8", errors="replace"))[1] if isinstance(page, bytes) else page)
            found.update(h.id for h in doc.toc)
            found.update(references(doc.body_html)[1])
            self._found[url] = frozenset(found)
        return self._found[url]

    def __iter__(self):
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


def make_targets(site: Site, paths: Iterable[str], docs: Mapping[str, Document],
                 page_ids: Mapping[str, object], held_back: Iterable[Case | ModelSite | Page]) -> Targets:
    """`page_ids`: page URL -> its rendered page (bytes) or the ids on it, where known."""
    return Targets(paths=frozenset(paths), docs=dict(docs), ids=_PageIds(dict(docs), page_ids),
                   held_back={c.url: c for c in held_back}, own_host=urlsplit(site.base_url).netloc.lower(),
                   base_path=site.base_path)


def has_references(body_html: str) -> bool:
    """Could the body hold a link, a picture or an embedded file? (False: it has none.)"""
    return _REFERS.search(body_html) is not None


def check_document_links(doc: Document, page_url: str, targets: Targets
                         ) -> tuple[list[Problem], list[ExternalLink], int]:
    """(problems, external links, number of internal links checked) of one document's body."""
    problems: list[Problem] = []
    external: list[ExternalLink] = []
    internal = 0
    if not has_references(doc.body_html):
        return problems, external, internal       # no link, picture or embedded file: nothing to parse
    found, _ = references(doc.body_html)
    photo_names = {p.name for p in doc.photos}
    for ref in found:
        value = ref.value.strip()
        line = _line_of(doc, value)
        if not value or value.lower().startswith(SKIPPED_SCHEMES):
            continue
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") or value.startswith("//"):
            site_path = _own_site_path(parts, targets)
            if site_path is None:
                if ref.tag == "a":
                    external.append(ExternalLink(doc.source, line, value, ref.text.strip()))
                else:
                    problems.append(Problem(doc.source, line, "foreign_resource",
                                            {"url": value, "host": parts.netloc or value}))
                continue
            target, fragment = site_path, parts.fragment
        elif parts.scheme:
            continue                    # ftp:, weixin:, … are not ours to judge
        elif ref.tag != "a" and "/" not in value and not value.startswith("#"):
            internal += 1               # a photo of the bundle: the render stage swaps in its renditions
            name = unquote(parts.path)
            if name not in photo_names:
                problems.append(Problem(doc.source, line, "body_photo_missing",
                                        {"value": name, **suggestion_params(name, sorted(photo_names))}))
            continue
        elif value.startswith("#"):
            target, fragment = page_url, parts.fragment
        elif value.startswith("/"):
            target, fragment = parts.path.lstrip("/"), parts.fragment
        else:
            target = posixpath.normpath(posixpath.join(page_url, parts.path))
            target = "" if target == "." else target + ("/" if parts.path.endswith("/") else "")
            fragment = parts.fragment
            if target.startswith(".."):
                problems.append(Problem(doc.source, line, "link_broken", _broken(value, "", targets, ref)))
                continue
        internal += 1
        problem = resolve(doc.source, line, value, unquote(target), unquote(fragment), targets, ref)
        if problem:
            problems.append(problem)
    return problems, external, internal


def resolve(source: str, line: int | None, value: str, target: str, fragment: str,
            targets: Targets, ref: Reference = Reference("a", "href", "")) -> Problem | None:
    """None when `target` (a site-relative path) and its #fragment exist in the built site."""
    page = _page_of(target, targets.paths)
    if page is None:
        held = targets.held_back.get(target if target.endswith("/") else target + "/")
        if held is not None:
            return Problem(source, line, "link_unpublished", {"url": value, "title": held.title,
                                                              "kind": Phrase(f"kind_{held.KIND}")})
        return Problem(source, line, "link_broken", _broken(value, target, targets, ref))
    if fragment and page in targets.ids and fragment not in targets.ids[page]:
        doc = targets.docs.get(page)
        headings = tuple(f"#{h.id}" for h in doc.toc) if doc else ()
        return Problem(source, line, "anchor_missing", {"url": value, "anchor": fragment, "headings": headings})
    return None


def _page_of(target: str, paths: frozenset[str]) -> str | None:
    """The page URL ('cases/x/') or file path that `target` names, if the build makes it."""
    if target in ("", "."):
        return "" if "index.html" in paths else None
    if target.endswith("/"):
        return target if target + "index.html" in paths else None
    if target in paths:
        return target[: -len("index.html")] if target.endswith("/index.html") else target
    if target + "/index.html" in paths:       # '/cases/x' without its slash: servers redirect
        return target + "/"
    return None


def _own_site_path(parts, targets: Targets) -> str | None:
    """'https://our.host/base/cases/x/' -> 'cases/x/'; None for another host."""
    if not targets.own_host or parts.netloc.lower() != targets.own_host:
        return None
    path = parts.path or "/"
    if not path.startswith(targets.base_path):
        return None
    return path[len(targets.base_path):]


def _broken(value: str, target: str, targets: Targets, ref: Reference) -> dict[str, object]:
    """The params of link_broken: what kind of address, and either a page address close to it
    ('/cases/x/') or, for a link to a photo file, `photo_file` (photos go in with ![…](…))."""
    kind = Phrase("link_kind_link" if ref.tag == "a" else "link_kind_image")
    params: dict[str, object] = {"url": value, "kind": kind}
    if posixpath.splitext(target)[1].lower() in PHOTO_SUFFIXES:
        params["photo_file"] = True
        return params
    pages = {p[: -len("index.html")] for p in targets.paths if p.endswith("/index.html") and "/page/" not in p}
    close = difflib.get_close_matches(target, sorted(set(targets.docs) | pages), n=1, cutoff=0.6)
    if close:
        params["suggestion"] = "/" + close[0]
    return params


_SPACE = re.compile(r"\s+")


def _line_of(doc: Document, value: str) -> int | None:
    """The body line that writes `value` (the first one), else the body's first line."""
    probes = [value, unquote(value), value.replace("&", "&amp;")]
    for index, text in enumerate(doc.body_md.split("\n")):
        if any(p and p in text for p in probes):
            return doc.body_line + index
    return doc.body_line


# --- the site.yaml menu ----------------------------------------------------------------------

def check_nav(site: Site, site_yaml_lines: list[str], targets: Targets) -> tuple[list[Problem], list[ExternalLink], int]:
    problems, external, internal = [], [], 0
    for item in site.nav:
        line = next((n for n, text in enumerate(site_yaml_lines, 1) if item.url and item.url in text), None)
        if item.url.startswith(("http://", "https://")):
            parts = urlsplit(item.url)
            path = _own_site_path(parts, targets)
            if path is None:
                external.append(ExternalLink("site.yaml", line, item.url, item.title))
                continue
            target, fragment = path, parts.fragment
        else:
            parts = urlsplit(item.url)
            target, fragment = parts.path, parts.fragment
        internal += 1
        problem = resolve("site.yaml", line, "/" + item.url if not item.url.startswith("http") else item.url,
                          unquote(target), unquote(fragment), targets)
        if problem and problem.code == "link_unpublished":
            # The built menu leaves the item out (assemble) until its page is published.
            problem = Problem("site.yaml", line, "nav_unpublished", {**problem.params, "name": item.title},
                              severity=WARNING)
        if problem:
            problems.append(problem)
    return problems, external, internal
