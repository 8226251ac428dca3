#!/usr/bin/env python3
"""Generate the placeholder photos of the sample content.

Run from anywhere:  python tests/make_sample_photos.py

For every bundle content/cases/<slug>/index.md and content/sites/<slug>/index.md
the script reads the YAML front matter and draws one JPEG for each entry of
``photos:`` (file name from ``src``, text from ``caption``), so files and
captions cannot drift apart.  A model site that names a ``cover:`` but lists no
photos gets that one file, captioned "<title>（示例图片）".  The short subject
printed on the picture is a case's first tag (falls back to the title) or a
model site's title.  Every
picture is clearly labelled "示例图片" (sample picture).

The output is deterministic: no clock, no global random state; the same input
gives byte-identical files, so the script can be re-run at any time.

Test material for the photo pipeline (see SPECIAL below):
  * most photos carry EXIF (Make / Model / DateTime / DateTimeOriginal);
  * two photos are stored with EXIF Orientation=6: their pixel data is rotated
    90° counter-clockwise, so they read upright once the orientation is applied;
  * one photo carries a GPS IFD (fictitious test coordinates), so that the
    pipeline's metadata stripping can be checked;
  * two photos carry no EXIF at all;
  * photos are mostly 1600x1200, a few are portrait (1600x2134).
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

try:
    import yaml
    from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps
except ImportError as exc:  # pragma: no cover - environment problem
    sys.exit(f"make_sample_photos: needs Pillow and PyYAML ({exc})")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SECTIONS = ("cases", "sites")
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

LANDSCAPE = (1600, 1200)
PORTRAIT = (1600, 2134)   # as wide as the largest rendition, like a phone's portrait photo
QUALITY = 80
MIN_BYTES, MAX_BYTES = 80_000, 350_000   # modest, like a phone photo sent through a chat app
MAX_TOTAL = 8_000_000

# (bundle folder relative to content/, file) -> options.  "size" is the *displayed* size.
SPECIAL: dict[tuple[str, str], dict] = {
    ("cases/fuxi-yehua", "photo-2.jpg"): {"size": PORTRAIT, "orientation": 6},
    ("cases/xizhai-jiceng-zhili", "photo-3.jpg"): {"orientation": 6},
    ("cases/lugang-huxue-xianfeng", "photo-2.jpg"): {"size": PORTRAIT},
    ("cases/xinxing-wuse-gongzuofa", "photo-1.jpg"): {"gps": True},
    ("cases/chenjialing-shuzihua", "photo-1.jpg"): {"exif": False},
    ("cases/haihua-hongse-wuye", "photo-1.jpg"): {"exif": False},
}

# Fictitious coordinates for the metadata-stripping test (rounded, not a claim
# about where anything happened): 35°36'N 110°42'E.
GPS_LAT = (35.0, 36.0, 0.0)
GPS_LON = (110.0, 42.0, 0.0)

# Calm palettes per category: sky top, sky bottom, motif colour.
PALETTES = {
    "农村": ((224, 237, 229), (198, 222, 203), (126, 158, 120)),
    "社区": ((229, 235, 244), (204, 218, 236), (128, 146, 176)),
    "企业": ((238, 234, 226), (214, 206, 192), (140, 128, 112)),
    "机关": ((241, 233, 230), (222, 207, 200), (160, 110, 100)),
    "综合": ((236, 232, 242), (214, 206, 228), (136, 120, 160)),
}
# palette of a model site, by its kind
KIND_PALETTE = {"村": "农村", "社区": "社区", "企业": "企业", "机关": "机关"}
INK = (48, 54, 64)
ACCENT = (168, 52, 44)


def die(msg: str) -> None:
    sys.exit(f"make_sample_photos: {msg}")


def read_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        die(f"{path}: no front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        die(f"{path}: front matter not closed")
    data = yaml.safe_load("\n".join(lines[1:end])) or {}
    if not isinstance(data, dict):
        die(f"{path}: front matter is not a mapping")
    return data


def seeded(*parts: str) -> random.Random:
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def shade(rgb, delta):
    return tuple(max(0, min(255, c + delta)) for c in rgb)


def background(size, category: str, rng: random.Random) -> Image.Image:
    w, h = size
    top, bottom, motif = PALETTES.get(category, PALETTES["综合"])
    jitter = rng.randint(-8, 8)
    top, bottom = shade(top, jitter), shade(bottom, jitter)

    # vertical gradient
    grad = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), grad)
    draw = ImageDraw.Draw(img)

    # a soft sun / halo
    r = int(min(w, h) * rng.uniform(0.08, 0.13))
    cx, cy = int(w * rng.uniform(0.65, 0.88)), int(h * rng.uniform(0.10, 0.22))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=shade(top, 12))

    horizon = int(h * rng.uniform(0.62, 0.70))
    if category == "农村":
        for layer in range(3):
            col = shade(motif, 40 - layer * 20)
            base = horizon + layer * int(h * 0.08)
            pts = [(0, h)]
            for x in range(0, w + 80, 80):
                pts.append((x, base + int(rng.uniform(-1, 1) * h * 0.03)))
            pts.append((w, h))
            draw.polygon(pts, fill=col)
    else:
        x = -rng.randint(0, 60)
        while x < w:
            bw = rng.randint(int(w * 0.06), int(w * 0.13))
            bh = rng.randint(int(h * 0.12), int(h * 0.34))
            col = shade(motif, rng.randint(10, 50))
            draw.rectangle((x, horizon - bh, x + bw, h), fill=col)
            if category == "企业" and rng.random() < 0.4:
                cw = max(12, bw // 6)
                cx0 = x + bw // 3
                draw.rectangle((cx0, horizon - bh - int(h * 0.12), cx0 + cw, horizon - bh), fill=col)
            else:  # rows of windows
                win = shade(col, 28)
                for wy in range(horizon - bh + 24, h - 20, 46):
                    for wx in range(x + 14, x + bw - 24, 34):
                        draw.rectangle((wx, wy, wx + 14, wy + 20), fill=win)
            x += bw + rng.randint(8, 40)
        draw.rectangle((0, int(h * 0.9), w, h), fill=shade(motif, 60))

    img = img.filter(ImageFilter.GaussianBlur(2))

    # fine, deterministic grain (keeps JPEG sizes realistic)
    grain = Image.frombytes("L", size, rng.randbytes(w * h))
    grain = grain.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: 128 + (v - 128) * 3 // 10)
    return ImageChops.overlay(img, Image.merge("RGB", (grain, grain, grain)))


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if font.getlength(cur + ch) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def draw_text(img: Image.Image, subject: str, caption: str, label: str) -> Image.Image:
    w, h = img.size
    unit = min(w, h)
    f_big = ImageFont.truetype(str(FONT_PATH), unit * 15 // 100)
    f_sub = ImageFont.truetype(str(FONT_PATH), unit * 8 // 100)
    f_cap = ImageFont.truetype(str(FONT_PATH), unit * 4 // 100)
    f_small = ImageFont.truetype(str(FONT_PATH), unit * 25 // 1000)

    margin = w // 12
    cap_lines = wrap(caption, f_cap, w - 2 * margin - 40)[:3]
    blocks = [("示例图片", f_big, ACCENT), (subject, f_sub, INK)] + [(c, f_cap, INK) for c in cap_lines]
    gaps = [unit // 30, unit // 25] + [unit // 80] * len(cap_lines)
    heights = [f.getbbox(t)[3] - f.getbbox(t)[1] for t, f, _ in blocks]
    total = sum(heights) + sum(gaps[: len(blocks) - 1])

    top = (h - total) // 2 - h // 20
    panel = Image.new("RGBA", img.size, (0, 0, 0, 0))
    pd = ImageDraw.Draw(panel)
    pad = unit // 25
    pd.rounded_rectangle((margin, top - pad, w - margin, top + total + pad), radius=unit // 40,
                         fill=(255, 255, 255, 170))
    img = Image.alpha_composite(img.convert("RGBA"), panel).convert("RGB")
    draw = ImageDraw.Draw(img)

    y = top
    for (text, font, colour), height, gap in zip(blocks, heights, gaps):
        bbox = font.getbbox(text)
        x = (w - (bbox[2] - bbox[0])) // 2 - bbox[0]
        draw.text((x, y - bbox[1]), text, font=font, fill=colour)
        y += height + gap

    draw.text((unit // 40, h - unit // 40 - f_small.size), label, font=f_small, fill=shade(INK, 40))
    return img


def make_exif(index: int, opts: dict) -> Image.Exif | None:
    if not opts.get("exif", True):
        return None
    exif = Image.Exif()
    stamp = f"2026:11:28 {9 + index // 12:02d}:{(index * 7) % 60:02d}:00"
    exif[ExifTags.Base.Make] = "Showcase Sample"
    exif[ExifTags.Base.Model] = "Placeholder Generator"
    exif[ExifTags.Base.Software] = "tests/make_sample_photos.py"
    exif[ExifTags.Base.DateTime] = stamp
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = stamp
    if "orientation" in opts:
        exif[ExifTags.Base.Orientation] = opts["orientation"]
    if opts.get("gps"):
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = GPS_LAT
        gps[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps[ExifTags.GPS.GPSLongitude] = GPS_LON
    return exif


def to_stored(img: Image.Image, orientation: int | None) -> Image.Image:
    """Turn the upright picture into the pixel data stored for `orientation`."""
    if orientation in (None, 1):
        return img
    if orientation == 6:  # viewer rotates 90° clockwise -> store rotated 90° ccw
        return img.transpose(Image.Transpose.ROTATE_90)
    if orientation == 8:
        return img.transpose(Image.Transpose.ROTATE_270)
    if orientation == 3:
        return img.transpose(Image.Transpose.ROTATE_180)
    die(f"orientation {orientation} not supported")


def main() -> int:
    if not FONT_PATH.is_file():
        die(f"CJK font not found: {FONT_PATH}\n"
            "  install it, e.g.:  apt-get install fonts-wqy-microhei")
    if not (CONTENT / "cases").is_dir():
        die(f"no case folder: {CONTENT / 'cases'}")

    total, count, index = 0, 0, 0
    problems = []
    bundles = [d for s in SECTIONS if (CONTENT / s).is_dir()
               for d in sorted((CONTENT / s).iterdir()) if (d / "index.md").is_file()]
    for case_dir in bundles:
        md = case_dir / "index.md"
        fm = read_front_matter(md)
        slug = case_dir.name
        key = case_dir.relative_to(CONTENT).as_posix()
        if case_dir.parent.name == "cases":
            tags = fm.get("tags") or []
            subject = str(tags[0]) if tags else str(fm.get("title", slug))
            category = str(fm.get("category", "综合"))
        else:
            subject = str(fm.get("title", slug))
            category = KIND_PALETTE.get(str(fm.get("kind", "")), "综合")
        photos = fm.get("photos") or []
        if not photos and fm.get("cover"):
            photos = [{"src": fm["cover"], "caption": f"{fm.get('title', slug)}（示例图片）"}]
        for photo in photos:
            src, caption = str(photo["src"]), str(photo.get("caption", ""))
            if "/" in src or not src.lower().endswith((".jpg", ".jpeg")):
                die(f"{md}: photo src must be a JPEG file name in the bundle: {src!r}")
            opts = SPECIAL.get((key, src), {})
            rng = seeded(key, src)
            upright = background(opts.get("size", LANDSCAPE), category, rng)
            upright = draw_text(upright, subject, caption, f"占位图 · 非实拍 · {key}/{src}")
            stored = to_stored(upright, opts.get("orientation"))
            out = case_dir / src
            save = {"quality": QUALITY, "optimize": True}
            exif = make_exif(index, opts)
            if exif is not None:
                save["exif"] = exif
            stored.save(out, "JPEG", **save)
            size = out.stat().st_size
            total += size
            count += 1
            index += 1
            if not MIN_BYTES <= size <= MAX_BYTES:
                problems.append(f"{out.relative_to(ROOT)}: {size} bytes")
            print(f"{out.relative_to(ROOT)}  {stored.size[0]}x{stored.size[1]}  {size // 1024} KB"
                  + (f"  {opts}" if opts else ""))

    print(f"{count} photos, {total / 1_000_000:.2f} MB")
    if total > MAX_TOTAL:
        problems.append(f"total {total} bytes > {MAX_TOTAL}")
    if problems:
        print("size out of range:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
