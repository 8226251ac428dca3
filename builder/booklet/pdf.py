"""`showcase booklet --pdf`: print the booklet in three parts and bind them with pypdf.

1. The body (groups and cases) is printed first, with the running header and page numbers
   from 1; where each case starts is read from the PDF's own outline (Chromium 126 and later
   makes one from the headings), or else from the text of its pages.
2. The front matter (preface, contents) is then printed with those page numbers in the table
   of contents: the body does not move, so the numbers are right by construction.
3. The cover and the back cover, without header or footer.
Then: cover, front matter, body, back cover in one file; bookmarks for the preface, the
contents, each group and each case; page labels (i, ii … for the front matter, 1, 2 … from the
first case) so a PDF viewer's page box shows the printed numbers; title and author.
"""
from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from builder.booklet.browser import Browser, PrintOptions
from builder.booklet.groups import numeral
from builder.booklet.tounicode import fix_actual_text
from builder.booklet.html import PrintSetup, render_margin, render_part

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PdfResult:
    data: bytes
    pages: int
    case_pages: dict[str, int]        # case slug -> printed page number (1 = the body's first page)
    toc_page: int                     # index in the whole file of the contents' first page


def make_pdf(setup: PrintSetup, browser_path: Path) -> PdfResult:
    booklet = setup.booklet
    header, footer = render_margin(setup, "header"), render_margin(setup, "footer")
    proof_header = header if booklet.proof else ""
    with (tempfile.TemporaryDirectory(prefix="showcase-booklet-", ignore_cleanup_errors=True) as work,
          Browser(browser_path) as browser):
        def print_part(part: str, options: PrintOptions, toc: dict[str, int] | None = None) -> PdfReader:
            page = Path(work) / f"{part}.html"
            page.write_text(render_part(setup, part, toc), encoding="utf-8")
            return PdfReader(io.BytesIO(browser.print_pdf(page.resolve().as_uri(), options)))

        body = print_part("body", PrintOptions(header=header, footer=footer))
        starts = case_starts(body, [c.title for c in booklet.cases])
        case_pages = {case.slug: start + 1 for case, start in zip(booklet.cases, starts)}
        front = print_part("front", PrintOptions(header=header), case_pages)
        cover = print_part("cover", PrintOptions(header=proof_header, outline=False))

    titles = [booklet.preface.title] if booklet.preface else []
    titles.append(setup.strings.get("booklet_contents", ""))
    front_starts = case_starts(front, titles)
    return _bind(setup, cover, front, body, starts, front_starts, case_pages)


def case_starts(reader: PdfReader, titles: Sequence[str]) -> list[int]:
    """The page index where each of `titles` (in document order) starts: from the outline the
    browser made of the headings, else from the pages' text."""
    found = _from_outline(reader, titles)
    return found if found is not None else _from_text(reader, titles)


def _normal(text: str) -> str:
    return _SPACE.sub("", text or "")


def _from_outline(reader: PdfReader, titles: Sequence[str]) -> list[int] | None:
    entries: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                if page is not None and page >= 0:
                    entries.append((_normal(item.title), page))
    try:
        walk(reader.outline)
    except Exception:  # noqa: BLE001 - a browser's outline we cannot read: the text is read instead
        return None
    found, at = [], 0
    for title in titles:
        want = _normal(title)
        while at < len(entries) and not entries[at][0].endswith(want):   # a draft's flag comes before the title
            at += 1
        if at == len(entries):
            return None
        found.append(entries[at][1])
        at += 1
    return found


def _from_text(reader: PdfReader, titles: Sequence[str]) -> list[int]:
    texts = [_normal(page.extract_text() or "") for page in reader.pages]
    found, at = [], 0
    for title in titles:
        want = _normal(title)
        page = next((n for n in range(at, len(texts)) if want and want in texts[n]), at)
        found.append(min(page, max(0, len(texts) - 1)))
        at = page + 1 if page < len(texts) - 1 else page
    return found


def _bind(setup: PrintSetup, cover: PdfReader, front: PdfReader, body: PdfReader, starts: list[int],
          front_starts: list[int], case_pages: dict[str, int]) -> PdfResult:
    booklet, strings = setup.booklet, setup.strings
    writer = PdfWriter()
    writer.append(cover, pages=[0], import_outline=False)
    first_front = len(writer.pages)
    writer.append(front, import_outline=False)
    first_body = len(writer.pages)
    writer.append(body, import_outline=False)
    back = len(writer.pages)
    if len(cover.pages) > 1:
        writer.append(cover, pages=[len(cover.pages) - 1], import_outline=False)

    titles = ([booklet.preface.title] if booklet.preface else []) + [strings.get("booklet_contents", "")]
    for title, start in zip(titles, front_starts):
        writer.add_outline_item(title=title, page_number=first_front + start)
    cases = iter(starts)
    for group in booklet.groups:
        name = strings.get("booklet_group_title", "{number} {name}").format(
            number=_numeral(group.number, strings), name=group.name or strings.get("booklet_group_other", ""))
        group_starts = [next(cases) for _ in group.cases]
        parent = writer.add_outline_item(title=name, page_number=first_body + group_starts[0])
        for case, start in zip(group.cases, group_starts):
            writer.add_outline_item(title=case.title, page_number=first_body + start, parent=parent)

    writer.set_page_label(0, 0, prefix=strings.get("booklet_cover", "") or None)
    if back > first_front:
        writer.set_page_label(first_front, max(first_front, first_body - 1), style="/r")
    writer.set_page_label(first_body, back - 1, style="/D", start=1)
    if back < len(writer.pages):
        writer.set_page_label(back, back, prefix=strings.get("booklet_back_cover", "") or None)

    title = booklet.title or strings.get("booklet_default_title", "{site}").format(site=setup.model.site.title)
    writer.add_metadata({"/Title": title, "/Author": booklet.organiser or setup.model.site.title,
                         "/Subject": booklet.subtitle, "/Creator": "showcase"})
    writer.page_mode = "/UseOutlines"
    writer._root_object[NameObject("/Lang")] = TextStringObject(setup.model.site.language)
    writer.create_viewer_preferences().display_doctitle = True
    fix_actual_text(writer)
    out = io.BytesIO()
    writer.write(out)
    toc_start = first_front + (front_starts[-1] if front_starts else 0)
    return PdfResult(out.getvalue(), len(writer.pages), case_pages, toc_start)


def _numeral(n: int, strings: Mapping[str, str]) -> str:
    return numeral(n, strings.get("booklet_digits", ""))
