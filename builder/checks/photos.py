"""Photo checks of `showcase check`: captions, file size of the originals, and pictures too
small for the largest rendition. Reads only image headers (Pillow opens lazily), so it costs
milliseconds even for phone photos, and works when the build itself failed.
"""
from __future__ import annotations

import html
import re
from pathlib import Path


from builder.errors import WARNING, Problem
from builder.model import Document, Site

MB = 1024 * 1024
_ORIENTATION = 0x0112
_FIGURE = re.compile(r'<figure class="figure" data-photo="([^"]*)">(.*?)</figure>', re.S)
_INLINE_IMG = re.compile(r'<img[^>]*\bsrc="([^"]*)"[^>]*>')
_ALT = re.compile(r'\b(?:alt|title)="([^"]+)"')


def check_photos(root: Path, doc: Document, site: Site) -> list[Problem]:
    """Every photo check: captions, sizes, and the photos in the folder that are not published."""
    problems = check_photo_files(root, doc, site) + check_unused(doc)
    captioned_in_body = _captioned_in_body(doc.body_html)
    largest = max(site.images.widths) if site.images.widths else 0
    for photo in doc.photos:
        line = photo.line
        if not photo.caption and photo.name not in captioned_in_body:
            code = "photo_no_caption" if photo.listed else "photo_unlisted"
            problems.append(Problem(doc.source, line, code, {"name": photo.name}, severity=WARNING))
        path = root / photo.src
        if not path.is_file():
            continue                         # the build reports unreadable files
        dimensions = image_size(path)
        if dimensions and largest and dimensions[0] < largest:
            problems.append(Problem(doc.source, line, "photo_too_small",
                                    {"name": photo.name, "width": dimensions[0], "height": dimensions[1],
                                     "need": largest}, severity=WARNING))
    return problems


def check_photo_files(root: Path, doc: Document, site: Site) -> list[Problem]:
    """Published photos larger than review.max_photo_mb (an error: the file's size only, no decoding)."""
    problems = []
    for photo in doc.photos:
        try:
            size = (root / photo.src).stat().st_size
        except OSError:
            continue                         # the build reports unreadable files
        if size > site.review.max_photo_mb * MB:
            problems.append(Problem(doc.source, photo.line, "photo_too_large",
                                    {"name": photo.name, "size": f"{size / MB:.1f}" if size >= MB else f"{size / MB:.2f}",
                                     "limit": f"{site.review.max_photo_mb:g}"}))
    return problems


def check_unused(doc: Document) -> list[Problem]:
    """Photo files in the folder that are not published: not in `photos:`, not the cover, not
    in the body. A warning naming the line to add, at the `photos:` key (or the front matter's end)."""
    line = doc.line_of("photos") or doc.front_end
    return [Problem(doc.source, line, "photo_unused", {"name": name}, severity=WARNING) for name in doc.unused_photos]


def image_size(path: Path) -> tuple[int, int] | None:
    """Displayed (width, height), after the EXIF orientation; None if Pillow cannot read it."""
    from PIL import Image                # here: a build with no photo to look at never loads Pillow
    try:
        with Image.open(path) as image:
            width, height = image.size
            try:
                orientation = image.getexif().get(_ORIENTATION, 1)
            except Exception:  # noqa: BLE001 - damaged EXIF: the pixels are what they are
                orientation = 1
    except Exception:  # noqa: BLE001 - the build reports broken images with their detail
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _captioned_in_body(body_html: str) -> set[str]:
    """Photos shown in the body with a caption (alt or title text)."""
    names = set()
    for match in _FIGURE.finditer(body_html):
        if "<figcaption>" in match.group(2):
            names.add(html.unescape(match.group(1)))
    for match in _INLINE_IMG.finditer(body_html):
        if _ALT.search(match.group(0)):
            names.add(html.unescape(match.group(1)))
    return names
