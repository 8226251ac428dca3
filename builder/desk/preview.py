"""The body beside the editor, as the build renders it: the HTML of content.load's Document,
with the photos of the case's folder pointing at the desk's upright thumbnails (the site's
renditions exist only after a build)."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

from builder.desk.documents import DocRef

PREFIX = "/_edit/"
_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')


def thumb_url(ref: DocRef, photo: str, width: int = 960) -> str:
    return f"{PREFIX}api/thumb/{ref.kind}/{quote(ref.name, safe='')}/{quote(photo, safe='')}?w={width}"


def with_desk_images(body_html: str, ref: DocRef, photos: list[str]) -> str:
    names = set(photos)

    def swap(match: re.Match) -> str:
        src = html.unescape(match.group(2))
        name = src[2:] if src.startswith("./") else src
        if name in names:
            return match.group(1) + html.escape(thumb_url(ref, name)) + match.group(3)
        return match.group(0)
    return _SRC.sub(swap, body_html)
