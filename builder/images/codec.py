"""Pillow I/O of the photo pipeline: decode a photo once (JPEG draft mode, EXIF orientation,
any mode and ICC profile to sRGB), encode clean renditions, strip originals.

`make_files` is the worker: module-level and free of global state, so a process pool started
with "spawn" (Windows, macOS, and Linux from Python 3.14) can run it. Every output is written
from a fresh image with an empty `info`, and saved without exif/icc/xmp/comment options, so no
EXIF (GPS, camera serial, time), XMP, IPTC, ICC profile or comment reaches the site.
"""
from __future__ import annotations

import functools
import io
import struct
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from builder.i18n import Phrase

from builder.images.cache import (ORIGINAL, RENDITIONS, SHARE, Entry, File, Job, Made, Params, atomic_write,
                                  bytes_digest, entry_key, write_entry)
from builder.images.geometry import (SHARE_SIZE, covers_share_card, displayed_size, draft_request, fit_width,
                                     rendition_widths, transpose_for)

ORIENTATION_TAG = 0x0112
JPEG_FORMATS = ("JPEG", "MPO")      # MPO: a phone's JPEG with a second picture (depth, preview) after it
WHITE = (255, 255, 255)
ORIGINAL_QUALITY = 95
WEBP_METHOD = 2                    # as small as 4 for photos, at 40% of the time


@functools.cache          # once per process: registering an opener is process-wide and idempotent
def heif_supported() -> bool:
    """Register pillow-heif's opener once per process (iPhones write HEIC)."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


class BrokenImage(Exception):
    """A photo that cannot be turned into renditions; `why` says why (image_<reason> in the
    message catalogue)."""

    def __init__(self, reason: str, **params: str):
        super().__init__(reason)
        self.why = Phrase(f"image_{reason}", params)


# --- the worker ------------------------------------------------------------------------------

def make_files(job: Job) -> Made:
    """Decode the photo once and write every product the job asks for into the cache."""
    try:
        data = job.source.read_bytes()
    except OSError as exc:
        return Made(job.source, job.digest, error=Phrase("image_unreadable", {"detail": exc.strerror or str(exc)}))
    digest = bytes_digest(data)
    try:
        entries = _make_entries(data, digest, job)
    except BrokenImage as exc:
        return Made(job.source, digest, error=exc.why)
    return Made(job.source, digest, tuple(entries))


def _make_entries(data: bytes, digest: str, job: Job) -> list[Entry]:
    params = job.params
    want_original = ORIGINAL in job.products
    stripped = strip_original(data) if want_original else None
    image, size = decode(data, max(params.widths), share=SHARE in job.products,
                         full=want_original and stripped is None)
    job.cache_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    share_source = image
    if RENDITIONS in job.products:
        entry, largest = _renditions(image, size, entry_key(RENDITIONS, digest, params), params, job.cache_dir)
        entries.append(entry)
        if covers_share_card(largest.size):
            share_source = largest          # fewer pixels to crop and shrink, the same card
    if SHARE in job.products:
        key = entry_key(SHARE, digest, params)
        card = ImageOps.fit(share_source, SHARE_SIZE, Image.Resampling.LANCZOS)
        entries.append(Entry(SHARE, key, *size, (_save_jpeg(card, job.cache_dir / f"{key}-share.jpg", params.quality),)))
    if want_original:
        key = entry_key(ORIGINAL, digest, params)
        if stripped is not None:
            data_out, fmt = stripped
            path = job.cache_dir / f"{key}-original.{'jpg' if fmt == 'jpeg' else fmt}"
            atomic_write(path, data_out)
            file = File(path.name, *size, fmt, len(data_out))
        else:
            file = _save_jpeg(image, job.cache_dir / f"{key}-original.jpg", ORIGINAL_QUALITY)
        entries.append(Entry(ORIGINAL, key, *size, (file,)))
    for entry in entries:
        write_entry(job.cache_dir, entry)
    return entries


def _renditions(image: Image.Image, size: tuple[int, int], key: str, params: Params, cache_dir: Path
                ) -> tuple[Entry, Image.Image]:
    """JPEG + WebP at each width, largest first, each made from the previous (less work,
    same look: every step shrinks by at least 10%). Also returns the largest rendition."""
    files: list[File] = []
    source = largest = image
    for width in reversed(rendition_widths(size[0], params.widths)):
        target = fit_width(size, width)
        if source.size != target:
            source = source.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        files.append(_save_jpeg(source, cache_dir / f"{key}-{width}.jpg", params.quality))
        files.append(_save(source, cache_dir / f"{key}-{width}.webp", "WEBP", "webp",
                           quality=params.webp_quality, method=WEBP_METHOD))
        if len(files) == 2:
            largest = source
    return Entry(RENDITIONS, key, *size, tuple(sorted(files, key=lambda f: (f.width, f.format)))), largest


def _save_jpeg(image: Image.Image, path: Path, quality: int) -> File:
    # Progressive JPEG already gets optimal Huffman tables from libjpeg(-turbo): no optimize=True.
    return _save(image, path, "JPEG", "jpeg", quality=quality, progressive=True)


def _save(image: Image.Image, path: Path, fmt: str, name: str, **options) -> File:
    image.info = {}                       # a JPEG 'comment' or 'dpi' in info would be written
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)    # no exif=, icc_profile=, xmp= or comment=: nothing leaks
    data = buffer.getvalue()
    atomic_write(path, data)
    return File(path.name, image.width, image.height, name, len(data))


# --- decoding --------------------------------------------------------------------------------

def decode(data: bytes, max_width: int, share: bool = False, full: bool = False
           ) -> tuple[Image.Image, tuple[int, int]]:
    """(upright sRGB image, displayed size of the full photo). The image is only as large as the
    outputs need (JPEG draft mode decodes at 1/2, 1/4 or 1/8 size in the DCT domain)."""
    if not data:
        raise BrokenImage("empty")
    heif_supported()
    try:
        with warnings.catch_warnings():
            # 90-180 megapixels are decoded without Pillow's warning: memory is budgeted.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Not `with Image.open`: closing drops the pixels when to_srgb returns the same image.
            opened = Image.open(io.BytesIO(data))
            stored = opened.size
            if opened.format in JPEG_FORMATS:
                orientation = _orientation(opened)
                opened.draft(None, draft_request(stored, orientation, max_width, share, full))
                opened.load()
            else:
                opened.load()
                orientation = _orientation(opened)
            image = to_srgb(opened)
            del opened
    except BrokenImage:
        raise
    except UnidentifiedImageError:
        raise BrokenImage("not_an_image") from None
    except Image.DecompressionBombError:
        raise BrokenImage("too_many_pixels") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, MemoryError) as exc:
        text = str(exc)
        if "truncated" in text or isinstance(exc, EOFError):
            raise BrokenImage("incomplete") from None
        raise BrokenImage("undecodable", detail=text) from None
    method = transpose_for(orientation)
    if method is not None:
        image = image.transpose(Image.Transpose(method))
    return image, displayed_size(stored, orientation)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 if missing or unreadable. (pillow-heif has already applied a
    HEIF's rotation from the container and reports 1, so it is never applied twice.)"""
    try:
        value = image.getexif().get(ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - damaged EXIF must not stop a picture that decodes
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# --- colour ----------------------------------------------------------------------------------

@functools.cache          # a constant: the same profile for every photo, site and build
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode -> 8-bit RGB in sRGB, alpha flattened onto white, `info` empty."""
    icc = image.info.get("icc_profile")
    image = _eight_bit(image)
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("1", "L") and "transparency" in image.info:
        image = image.convert("LA")
    elif image.mode == "RGB" and "transparency" in image.info:
        image = image.convert("RGBA")
    alpha = None
    if image.mode in ("RGBA", "RGBa", "LA", "La", "PA"):
        if image.mode != "RGBA" and image.mode != "LA":
            image = image.convert("RGBA")
        alpha = image.getchannel("A")
        image = image.convert("RGB" if image.mode == "RGBA" else "L")
    if icc:
        image = _apply_profile(image, icc)
    if image.mode != "RGB":
        image = image.convert("RGB")        # CMYK without a profile, L, 1, YCbCr, LAB…
    if alpha is not None:
        flat = Image.new("RGB", image.size, WHITE)
        flat.paste(image, mask=alpha)
        image = flat
    image.info = {}
    return image


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale scaled (not clipped) to 0..255."""
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode in ("I", "F"):
        low, high = image.getextrema()
        if image.mode == "F" and high <= 1.0:
            scale = 255.0
        elif high > 255:
            scale = 1 / 257 if high <= 65535 else 255 / high
        else:
            scale = 1.0
        return image.point(lambda v: v * scale).convert("L")
    return image


def _apply_profile(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert with the embedded ICC profile (Display P3 from iPhones, Adobe RGB, CMYK press
    profiles…) to sRGB. An sRGB profile needs nothing; a damaged one is ignored."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(profile) or "").lower().replace(" ", ""):
            return image
        return ImageCms.profileToProfile(image, profile, _srgb(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


# --- originals -------------------------------------------------------------------------------

def strip_original(data: bytes) -> tuple[bytes, str] | None:
    """The photo's own bytes without metadata, when that can be done without re-encoding
    (JPEG; PNG without an orientation); None means: publish a full-size clean JPEG instead."""
    if data[:2] == b"\xff\xd8":
        return strip_jpeg(data), "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        stripped = strip_png(data)
        return (stripped, "png") if stripped is not None else None
    return None


_JPEG_KEEP_APP = {0xE0: b"JFIF", 0xE2: b"ICC_PROFILE", 0xEE: b"Adobe"}


def strip_jpeg(data: bytes) -> bytes:
    """Drop APP1 (EXIF, XMP), APP13 (IPTC), COM and maker segments; keep JFIF, the ICC profile
    (colour, not identity) and Adobe (CMYK); add an EXIF holding only the orientation."""
    orientation = 1
    out = [b"\xff\xd8"]
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise BrokenImage("jpeg_damaged")
        marker = data[pos + 1]
        if marker == 0xFF:                    # fill byte
            pos += 1
            continue
        if marker == 0xDA or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segment = data[pos:pos + 2 + length]
        body = segment[4:]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            orientation = _exif_orientation(body[6:])
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            tag = _JPEG_KEEP_APP.get(marker)
            keep = tag is not None and body.startswith(tag)
        else:
            keep = True                         # tables, frame header, restart interval
        if keep:
            out.append(segment)
        pos += 2 + length
    if orientation != 1:
        exif = Image.Exif()
        exif[ORIENTATION_TAG] = orientation
        payload = exif.tobytes()                # b"Exif\0\0" + TIFF header + one tag
        out.insert(1, b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
    # Up to the first end-of-image: an MPO's second picture, after it, has EXIF of its own. (The
    # compressed data cannot hold FF D9: a real FF byte there is always followed by 00 or D0-D7.)
    end = data.find(b"\xff\xd9", pos)
    out.append(data[pos:] if end < 0 else data[pos:end + 2])
    return b"".join(out)


def _exif_orientation(tiff: bytes) -> int:
    exif = Image.Exif()
    try:
        exif.load(tiff)
        value = exif.get(ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"sBIT",
             b"pHYs", b"acTL", b"fcTL", b"fdAT", b"bKGD", b"cICP"}


def strip_png(data: bytes) -> bytes | None:
    """Keep the chunks that make the picture; drop text, time and EXIF. None when the EXIF
    says to turn the picture (a stripped copy would show sideways)."""
    out = [data[:8]]
    pos = 8
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        chunk = data[pos:pos + 12 + length]
        if kind == b"eXIf" and _exif_orientation(data[pos + 8:pos + 8 + length]) != 1:
            return None
        if kind in _PNG_KEEP:
            out.append(chunk)
        pos += 12 + length
        if kind == b"IEND":
            break
    return b"".join(out)
