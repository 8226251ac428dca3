"""Photos for print: each one upright, in sRGB, metadata-free, at 300 dpi of the size it is
printed at in the booklet (at most 150 x 100 mm), from the original in the case's folder
(the site's renditions stop at 1600 pixels: 270 dpi at that width, too few for a press).

Kept in .cache/booklet/ under a digest of the original and the size, so a second booklet of
the same photos decodes nothing. Imports the model, errors and images (decode, digests).
"""
from __future__ import annotations

import hashlib
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from PIL import Image

from builder.errors import Problem, WARNING
from builder.images.cache import atomic_write, file_digest
from builder.images.codec import BrokenImage, decode
from builder.model import Document, Photo

DPI = 300
MM_PER_INCH = 25.4
SIZES = {"large": (150.0, 100.0),      # a photo on its own: at most 150 x 100 mm
         "pair": (76.0, 57.0)}        # two side by side
LOW_DPI = 150                 # below this a printed photo looks soft: the user is told
QUALITY = 90
VERSION = 1                   # of the way print photos are made: a change makes them anew


@dataclass(frozen=True, slots=True)
class PrintPhoto:
    path: Path                    # the JPEG, in the cache (or the work folder without a cache)
    width_mm: float
    height_mm: float
    width_px: int
    height_px: int
    source_dpi: float             # what the original gives at the printed size


def print_size(displayed: tuple[int, int], size: str = "large") -> tuple[float, float]:
    """The printed size in millimetres: as large as fits the box `size`, keeping the proportions."""
    max_width, max_height = SIZES[size]
    width, height = displayed
    scale = min(max_width / width, max_height / height)
    return round(width * scale, 1), round(height * scale, 1)


def pixels(mm: float) -> int:
    return max(1, round(mm / MM_PER_INCH * DPI))


def make_print_photos(root: Path, wanted: Iterable[tuple[Photo, Document, str]], cache_dir: Path,
                      workers: int | None = None) -> tuple[dict[tuple[str, str], PrintPhoto], list[Problem]]:
    """{(photo src, size): PrintPhoto} for every (photo, its document, size) wanted that the
    build turned into renditions, and a warning for each photo with too few pixels to print."""
    jobs: dict[tuple[str, str], tuple[Photo, Document, str]] = {}
    for photo, doc, size in wanted:
        if photo.renditions and photo.width and photo.height:
            jobs.setdefault((photo.src, size), (photo, doc, size))
    cache_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or min(4, os.cpu_count() or 1)

    def make(job: tuple[Photo, Document, str]) -> tuple[PrintPhoto | None, Problem | None]:
        return _print_photo(root, *job, cache_dir)

    found: dict[tuple[str, str], PrintPhoto] = {}
    problems: dict[str, Problem] = {}
    # Threads: Pillow lets go of the interpreter while it decodes and resamples.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for key, (made, problem) in zip(jobs, pool.map(make, jobs.values())):
            if made is not None:
                found[key] = made
            if problem is not None:
                problems.setdefault(key[0], problem)        # once a photo, at its largest size first
    return found, list(problems.values())


def _print_photo(root: Path, photo: Photo, doc: Document, size: str, cache_dir: Path
                 ) -> tuple[PrintPhoto | None, Problem | None]:
    width_mm, height_mm = print_size((photo.width, photo.height), size)
    width_px, height_px = pixels(width_mm), pixels(height_mm)
    source = root / photo.src
    source_dpi = photo.width / (width_mm / MM_PER_INCH)
    try:
        digest = file_digest(source)
    except OSError:
        return None, None                   # the build has just read it; gone since: left out
    key = hashlib.sha256(repr((VERSION, digest, width_px, height_px, QUALITY)).encode()).hexdigest()[:32]
    target = cache_dir / f"{key}.jpg"
    if not target.is_file():
        try:
            image, _ = decode(source.read_bytes(), max_width=width_px, full=False)
        except (BrokenImage, OSError):
            return None, None               # the build reports broken photos itself
        image = image.resize((width_px, height_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=False, subsampling=0,
                   dpi=(DPI, DPI))
        atomic_write(target, buffer.getvalue())
    made = PrintPhoto(target, width_mm, height_mm, width_px, height_px, round(source_dpi))
    problem = None
    if source_dpi < LOW_DPI:
        problem = Problem(doc.source, photo.line, "booklet_photo_low_res", {
            "photo": photo.name, "width": photo.width, "height": photo.height, "dpi": round(source_dpi),
            "mm": round(width_mm), "need": pixels(width_mm)}, WARNING)
    return made, problem
