"""QR codes to a case's public page: inline SVG for the print views and the booklet, a PNG for
the Word booklet, and the display-board files of `showcase qr` (a 300 dpi PNG and an SVG with
the case title under the code).

segno makes the codes: pure Python, no dependencies, and its SVG is one compact <path>.
Error correction M (15% of the code may be dirty or covered): a board outdoors gets scuffed.
Imports nothing of builder but the package's own modules; render uses qr_svg for the pages.
"""
from __future__ import annotations

import functools
import io
import math
import os
import sys
import zlib
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:                       # imported where used: a build that makes no new code needs neither
    import segno
    from PIL import ImageFont

ERROR = "m"
QUIET = 4                         # modules of white around the code, as the standard asks
DPI = 300
MM_PER_INCH = 25.4

# Fonts with Chinese for the title under a board's code, where systems keep them.
_FONT_DIRS = {"win": [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"],
              "darwin": [Path("/System/Library/Fonts"), Path("/Library/Fonts")],
              "linux": [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]}
_FONT_FILES = ("msyhbd.ttc", "msyh.ttc", "simhei.ttf", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf",
               "SourceHanSansSC-Bold.otf", "NotoSansCJK-Regular.ttc", "PingFang.ttc", "STHeiti Medium.ttc",
               "wqy-microhei.ttc", "wqy-zenhei.ttc", "simsun.ttc")
SVG_FONTS = "'Microsoft YaHei', SimHei, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', sans-serif"


@functools.lru_cache(maxsize=4096)    # pure: the same URL gives the same code in every build and site
def qr_svg(url: str, label: str = "", quick: bool = False) -> str:
    """An inline <svg> of the code, sized by CSS (viewBox only), with `label` as its title.
    `quick` (the site's pages, one code a case): the mask pattern is picked from the URL instead
    of by scoring all eight, which is four fifths of segno's time; any mask is valid and every
    decoder reads it, the scoring only avoids patterns that trouble poor scanners. Quick codes are
    made by booklet.qrfast: the same SVG as segno's, four times as fast."""
    if quick:
        from builder.booklet.qrfast import code_svg
        svg = code_svg(url, ERROR, zlib.crc32(url.encode("utf-8")) % 8, QUIET, "qr")
    else:
        import segno
        svg = segno.make(url, error=ERROR, micro=False).svg_inline(omitsize=True, border=QUIET, svgclass="qr", lineclass=None)
    if label:
        svg = svg.replace(">", f' role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>', 1)
    return svg


def qr_png(url: str, scale: int = 10) -> bytes:
    """The code as a black-and-white PNG, `scale` pixels a module."""
    import segno
    buffer = io.BytesIO()
    segno.make(url, error=ERROR, micro=False).save(buffer, kind="png", scale=scale, border=QUIET)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class BoardFiles:
    png: bytes
    svg: str
    font: Path | None                 # the font the PNG's title was set in; None: no Chinese font found
    width: int = 0                    # of the PNG, in pixels
    height: int = 0


def board_files(url: str, title: str, size_mm: float, font: Path | None = None) -> BoardFiles:
    """For a display board (展板): the code `size_mm` wide at 300 dpi with the title under it,
    as a PNG, and the same as an SVG whose title stays text a designer can edit."""
    import segno
    from PIL import Image
    code = segno.make(url, error=ERROR, micro=False)
    modules = code.symbol_size(scale=1, border=QUIET)[0]
    width_px = round(size_mm / MM_PER_INCH * DPI)
    scale = max(1, width_px // modules)
    side = modules * scale
    font = font or find_font()
    lines = wrap(title, per_line=max(6, int(modules / 3.3)))
    png = _board_png(code, scale, side, lines, font)
    width, height = Image.open(io.BytesIO(png)).size
    return BoardFiles(png=png, svg=_board_svg(code, modules, size_mm, lines), font=font, width=width, height=height)


def wrap(text: str, per_line: int) -> list[str]:
    """The title in lines of about `per_line` characters (a Latin letter counts half)."""
    lines, line, width = [], "", 0.0
    for char in text.strip():
        step = 0.5 if ord(char) < 0x2000 else 1.0       # quotes and dashes are full width in Chinese fonts
        if width + step > per_line and line:
            lines.append(line)
            line, width = "", 0.0
        line += char
        width += step
    if line:
        lines.append(line)
    return lines[:4]


def _board_png(code: segno.QRCode, scale: int, side: int, lines: list[str], font_path: Path | None) -> bytes:
    from PIL import Image, ImageDraw
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    size = max(12, side // 14)
    font = _load_font(font_path, size) if lines else None
    line_height = round(size * 1.45)
    text_height = line_height * len(lines) + (QUIET * scale // 2 if lines and font else 0) if font else 0
    board = Image.new("L", (side, side + text_height), 255)
    board.paste(qr, (0, 0))
    if font:
        draw = ImageDraw.Draw(board)
        y = side - QUIET * scale // 2
        for line in lines:
            width = draw.textlength(line, font=font)
            draw.text(((side - width) / 2, y), line, fill=0, font=font)
            y += line_height
    out = io.BytesIO()
    board.save(out, "PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def _load_font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | None:
    from PIL import ImageFont
    if path is None:
        return None
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return None


def _board_svg(code: segno.QRCode, modules: int, size_mm: float, lines: list[str]) -> str:
    path = code.svg_inline(omitsize=True, border=QUIET, lineclass=None)
    inner = path[path.index(">") + 1: path.rindex("</svg>")]
    font_size = modules / 14
    line_height = font_size * 1.45
    height = modules + (line_height * len(lines) + QUIET / 2 if lines else 0)
    texts = "".join(
        f'<text x="{modules / 2:g}" y="{modules - QUIET / 2 + font_size + i * line_height:.2f}" '
        f'text-anchor="middle">{escape(line)}</text>' for i, line in enumerate(lines))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm:g}mm" height="{size_mm * height / modules:.2f}mm" '
            f'viewBox="0 0 {modules} {height:.2f}">'
            f'<rect width="100%" height="100%" fill="#fff"/>{inner}'
            f'<g font-family="{SVG_FONTS}" font-weight="bold" font-size="{font_size:.2f}" fill="#000">{texts}</g></svg>\n')


def find_font() -> Path | None:
    """A font with Chinese in one of the system's font folders (no font tool is run)."""
    kind = "win" if sys.platform.startswith("win") else ("darwin" if sys.platform == "darwin" else "linux")
    folders = [d for d in _FONT_DIRS[kind] if d.is_dir()]
    for name in _FONT_FILES:
        for folder in folders:
            direct = folder / name
            if direct.is_file():
                return direct
            for found in folder.rglob(name):
                return found
    return None


def module_count(url: str) -> int:
    """How many modules a side the code of `url` has, without its quiet zone (for tests)."""
    import segno
    return segno.make(url, error=ERROR, micro=False).symbol_size(scale=1, border=0)[0]


def size_dpi(size_mm: float, pixels: int) -> float:
    return pixels / (size_mm / MM_PER_INCH) if size_mm else math.inf
