"""The booklet as HTML files to print: the theme's booklet/booklet.html in mode 'pdf', one file
per part (cover and back cover, front matter, body), with photos at print size and links that
work from a local folder: theme files and photos as file:// addresses, pages of the site as
their public address (or nothing to follow, for a site without one).

Imports the model, render (the environment, the body rewriting) and booklet.groups/photos.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
from markupsafe import Markup

from builder.booklet.groups import Booklet
from builder.booklet.photos import PrintPhoto
from builder.booklet.qr import qr_svg
from builder.model import Document, Photo, SiteModel
from builder.render.pages import BOOKLET_TEMPLATE, Links, gallery_photos, rewrite_body, shift_headings
from builder.render.theme import Theme

FIGURE_TEMPLATE = "booklet/figure.html"
PARTS = {"cover": ("cover", "back"), "front": ("front",), "body": ("body",)}


@dataclasses.dataclass(frozen=True, slots=True)
class PrintSetup:
    """What every part of one booklet is rendered with."""
    model: SiteModel
    booklet: Booklet
    theme: Theme
    env: jinja2.Environment
    strings: Mapping[str, str]
    files: Mapping[str, bytes | Path]            # the build's outputs: renditions are files in the cache
    photos: Mapping[tuple[str, str], PrintPhoto]


def wanted_photos(booklet: Booklet) -> Iterable[tuple[Photo, Document, str]]:
    """(photo, document, size) for every photo the body and the preface print."""
    docs = [case.doc for case in booklet.cases] + ([booklet.preface.doc] if booklet.preface else [])
    for doc in docs:
        gallery = gallery_photos(doc)
        shown = {p.src for p in gallery}
        for photo in doc.photos:
            if photo.src not in shown:
                yield photo, doc, "large"           # in the body
        for photo in gallery:
            yield photo, doc, "pair" if len(gallery) > 1 else "large"


class PrintLinks(Links):
    """Links of a page printed from a local folder."""

    def __init__(self, model: SiteModel, files: Mapping[str, bytes | Path]):
        site = model.site
        super().__init__(site.base_url, site.base_path, False, "booklet/index.html")
        self.files = files

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://", "mailto:", "tel:", "#", "data:")):
            return path
        found = self.files.get(path.lstrip("/").partition("#")[0])
        if isinstance(found, Path):
            return found.resolve().as_uri()
        target = self.absolute(path)
        return target if target.startswith(("http://", "https://")) else "#"


def render_part(setup: PrintSetup, part: str, toc_pages: Mapping[str, int] | None = None) -> str:
    """The HTML of one part ('cover', 'front' or 'body') of the booklet."""
    template = setup.env.get_template(BOOKLET_TEMPLATE)
    links = PrintLinks(setup.model, setup.files)
    static = dict(setup.theme.static_files())
    strings = setup.strings
    helpers: dict[str, Any] = {}

    def t(key: str, **params: Any) -> str:
        if key not in strings:
            raise jinja2.UndefinedError(f"the theme has no UI string '{key}'")
        return strings[key].format(**params) if params else strings[key]

    def asset(name: str) -> str:
        if name not in static:
            raise jinja2.UndefinedError(f"the theme has no static file '{name}'")
        return static[name].resolve().as_uri()

    def figure(photo: Photo, caption: str) -> str:
        module = setup.env.get_template(FIGURE_TEMPLATE).make_module(vars=helpers)
        return str(module.figure(photo, caption=caption))

    def body(doc: Document, shift: int = 0) -> Markup:
        return Markup(shift_headings(rewrite_body(doc, links, figure), shift))

    def qr(path: str, label: str = "") -> Markup | str:
        target = links.absolute(path)
        return Markup(qr_svg(target, label)) if target.startswith(("http://", "https://")) else ""

    booklet = setup.booklet
    galleries = {case.slug: gallery_photos(case.doc) for case in booklet.cases}
    print_photos = {key: {"url": p.path.resolve().as_uri(), "width_mm": p.width_mm, "height_mm": p.height_mm}
                    for key, p in setup.photos.items()}
    helpers.update({
        "model": setup.model, "site": setup.model.site, "lang": setup.model.site.language, "doc": None,
        "booklet": booklet, "mode": "pdf", "parts": PARTS[part], "group": None, "toc_pages": toc_pages,
        "galleries": galleries, "print_photos": print_photos, "in_groups": False,
        "t": t, "url": links.url, "absolute_url": links.absolute, "asset": asset, "asset_path": asset,
        "body": body, "qr": qr, "page_url": "booklet/", "source": "", "link_scope": "",
        "site_label": setup.model.site.sites.label or t("model_site"),
        "kept": lambda key, make, *args, **kwargs: make(*args, **kwargs),
    })
    return template.render(helpers)


def render_margin(setup: PrintSetup, which: str) -> str:
    """The running header or the footer Chromium prints on each page ('header' / 'footer')."""
    template = setup.env.get_template(f"booklet/pdf-{which}.html")
    strings = setup.strings

    def t(key: str, **params: Any) -> str:
        if key not in strings:
            raise jinja2.UndefinedError(f"the theme has no UI string '{key}'")
        return strings[key].format(**params) if params else strings[key]

    return template.render({"booklet": setup.booklet, "site": setup.model.site, "t": t})
