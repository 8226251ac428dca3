"""Pure geometry of the photo pipeline: which widths to make, how big to decode, how to turn.

No Pillow I/O here: every function maps numbers to numbers, so it is tested with plain tuples.
"""
from __future__ import annotations

import math

SHARE_SIZE = (1200, 630)          # og:image card
JPEG_DRAFT_SCALES = (8, 4, 2, 1)  # libjpeg can decode at 1/8, 1/4, 1/2 or full size
TOO_CLOSE = 1.1                   # the photo's own width is skipped if this close to a smaller one


def fit_width(size: tuple[int, int], target: int) -> tuple[int, int]:
    """Scale to `target` wide keeping the aspect ratio; never upscale.

    >>> fit_width((4000, 3000), 1600)
    (1600, 1200)
    """
    width, height = size
    if target >= width:
        return size
    return target, max(1, round(height * target / width))


def rendition_widths(width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The widths to make for a photo `width` pixels wide: the configured ones it is wider than,
    plus its own width when it is narrower than some configured width (never upscaled), unless
    that is within 10% of the next smaller width. A photo narrower than every width gets one."""
    wanted = sorted(set(widths))
    below = [w for w in wanted if w < width]
    if len(below) < len(wanted) and (not below or width > below[-1] * TOO_CLOSE):
        below.append(width)
    return tuple(below) or (width,)


# EXIF orientation -> (is the picture turned by 90 degrees, Pillow Transpose value or None).
# Values from the Transpose enum, so this module needs no Pillow import.
_FLIP_LEFT_RIGHT, _FLIP_TOP_BOTTOM, _ROTATE_90, _ROTATE_180, _ROTATE_270, _TRANSPOSE, _TRANSVERSE = range(7)
ORIENTATIONS: dict[int, int | None] = {
    1: None,
    2: _FLIP_LEFT_RIGHT,
    3: _ROTATE_180,
    4: _FLIP_TOP_BOTTOM,
    5: _TRANSPOSE,
    6: _ROTATE_270,
    7: _TRANSVERSE,
    8: _ROTATE_90,
}


def transpose_for(orientation: object) -> int | None:
    """Pillow's Transpose method that shows a photo upright, or None (1, missing or nonsense)."""
    return ORIENTATIONS.get(orientation) if isinstance(orientation, int) else None


def turns_sideways(orientation: object) -> bool:
    return isinstance(orientation, int) and orientation in (5, 6, 7, 8)


def displayed_size(stored: tuple[int, int], orientation: object) -> tuple[int, int]:
    """The size a viewer sees: stored width and height swapped for orientations 5-8."""
    return (stored[1], stored[0]) if turns_sideways(orientation) else stored


def needed_scale(displayed: tuple[int, int], max_width: int, share: bool, full: bool = False) -> float:
    """The smallest fraction of the photo's full size that still makes every output sharp:
    the largest rendition, and the share card (which is cropped to 1200x630 from the middle)."""
    if full:
        return 1.0
    width, height = displayed
    scale = min(max_width, width) / width
    if share:
        share_w, share_h = SHARE_SIZE
        if width * share_h > height * share_w:      # wider than the card: the height limits
            scale = max(scale, share_h / height)
        else:
            scale = max(scale, share_w / width)
    return min(1.0, scale)


def covers_share_card(size: tuple[int, int]) -> bool:
    """Whether the share card can be cut from a picture this size without enlarging it."""
    width, height = size
    share_w, share_h = SHARE_SIZE
    return height >= share_h if width * share_h > height * share_w else width >= share_w


def draft_request(stored: tuple[int, int], orientation: object, max_width: int, share: bool,
                  full: bool = False) -> tuple[int, int]:
    """The size to ask JPEG draft mode for, in stored (unturned) pixels. Pillow then picks the
    smallest DCT scale (1/8 .. 1/1) that is at least this big in both directions."""
    displayed = displayed_size(stored, orientation)
    scale = needed_scale(displayed, max_width, share, full)
    return math.ceil(stored[0] * scale), math.ceil(stored[1] * scale)


def draft_scale(stored: tuple[int, int], request: tuple[int, int]) -> int:
    """The divisor draft mode will use for `request`: the same rule as Pillow's JPEG plugin."""
    fits = min(stored[0] // max(1, request[0]), stored[1] // max(1, request[1]))
    return next(scale for scale in JPEG_DRAFT_SCALES if fits >= scale or scale == 1)


def memory_estimate(stored: tuple[int, int], bands: int, scale: int = 1) -> int:
    """Rough peak bytes to turn one photo into its renditions: the decoded picture, a turned or
    converted copy of it, and the renditions, plus the worker process itself."""
    pixels = math.ceil(stored[0] / scale) * math.ceil(stored[1] / scale)
    return 40 * 2**20 + pixels * max(bands, 3) * 3
