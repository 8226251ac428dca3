"""Make the PDF's Chinese text come out as it was written whatever program copies or searches it.

A CJK font draws 龙 and the radical ⻰ with one glyph. Chromium's PDF writer puts such a glyph
in a little font of its own, maps it to the radical in that font's ToUnicode table, and wraps
each use in a marked span whose /ActualText is the real character. Readers that honour
ActualText (poppler's pdftotext, Acrobat) get 龙; those that read only ToUnicode (pypdf, some
office PDF readers) get ⻰, and a search for 龙门村 misses the page. So each such font's table
is rewritten to say what its spans say; nothing else in the file changes.
"""
from __future__ import annotations

import re

from pypdf import PdfWriter
from pypdf.generic import StreamObject

_SPAN = re.compile(rb"/ActualText\s*<FEFF((?:[0-9A-Fa-f]{4})+)>\s*>>\s*BDC(.*?)EMC", re.S)
_FONT = re.compile(rb"/([^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf")
_SHOW = re.compile(rb"<([0-9A-Fa-f]+)>\s*Tj")
_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def fix_actual_text(writer: PdfWriter) -> int:
    """Give every glyph shown alone inside an ActualText span that text in its font's
    ToUnicode table. Returns how many tables were changed."""
    changed = 0
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        contents = page.get_contents()
        if fonts is None or contents is None:
            continue
        fonts = fonts.get_object()
        wanted: dict[str, dict[bytes, bytes]] = {}
        font = None
        for match in _SPAN.finditer(contents.get_data()):
            inner = match.group(2)
            named = _FONT.findall(inner)
            font = named[-1].decode("latin-1") if named else font
            shown = _SHOW.findall(inner)
            if font and len(shown) == 1:
                wanted.setdefault(font, {})[shown[0].upper()] = match.group(1).upper()
        for name, codes in wanted.items():
            ref = fonts.get("/" + name)
            table = ref.get_object().get("/ToUnicode") if ref is not None else None
            stream = table.get_object() if table is not None else None
            if isinstance(stream, StreamObject):
                fixed = _rewrite(stream.get_data(), codes)
                if fixed is not None:
                    stream.set_data(fixed)
                    changed += 1
    return changed


def _rewrite(data: bytes, codes: dict[bytes, bytes]) -> bytes | None:
    """The table with each `code`'s text replaced (bfchar entries; the browser writes no ranges
    for these one-glyph fonts, and a table with ranges is left as it is)."""
    if b"beginbfrange" in data:
        return None
    touched = False

    def entry(match: re.Match) -> bytes:
        nonlocal touched
        code = match.group(1).upper()
        if code in codes and match.group(2).upper() != codes[code]:
            touched = True
            return b"<" + match.group(1) + b"> <" + codes[code] + b">"
        return match.group(0)

    start = data.find(b"beginbfchar")
    if start < 0:
        return None
    fixed = data[:start] + _ENTRY.sub(entry, data[start:])
    return fixed if touched else None
