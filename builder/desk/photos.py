"""Photos arriving at the desk: a name that can never leave the case's folder, the type checked
by what the file is (not by what it is called), a size limit; and small upright thumbnails,
made from the photo the way the build makes its renditions (EXIF orientation applied, no
metadata kept) and kept in .cache/desk/ by the photo's name, size and time.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import unicodedata
from pathlib import Path
from typing import Iterable

from PIL import Image

from builder.images.codec import decode, heif_supported

MAX_BYTES = 50 * 1024 * 1024
# The suffixes the desk accepts, and the suffix a file gets when its own says nothing (a pasted
# picture, a .jfif from Windows) -> by the format Pillow finds in it.
ACCEPTED = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
BY_FORMAT = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "HEIF": ".heic"}
_UNSAFE = re.compile(r"[^\w\-]+")
_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
MAX_STEM = 60
THUMB_WIDTHS = (320, 960)


class UploadRefused(Exception):
    """`code`: desk_upload_… in the catalogue."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def safe_name(raw: str, suffix: str, taken: Iterable[str]) -> str:
    """A file name for an upload called `raw` (as the browser sent it) that is one plain name in
    the folder: path parts dropped (a/b\\c.jpg -> c), anything but letters, digits, '-' and
    '_' turned into '-', never hidden, never a Windows device name, never the name of a file
    already there in any letter case (IMG_2041.jpg -> IMG_2041-2.jpg)."""
    name = unicodedata.normalize("NFC", str(raw)).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    stem = _UNSAFE.sub("-", stem).strip("-_")[:MAX_STEM].strip("-_") or "photo"
    if stem.lower() in _DEVICES:
        stem = f"photo-{stem}"
    lower = {t.lower() for t in taken}
    candidate, number = stem + suffix, 2
    while candidate.lower() in lower:
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def photo_format(path: Path) -> str | None:
    """'JPEG', 'PNG', 'WEBP', 'HEIF' (…) as Pillow reads the file, None for anything else."""
    heif_supported()
    try:
        with Image.open(path) as image:
            fmt = image.format
    except Exception:  # noqa: BLE001 - anything Pillow cannot open is not a photo to us
        return None
    return fmt if fmt in BY_FORMAT else None


def suffix_for(raw: str, fmt: str) -> str:
    """The upload's own suffix when it is one we take and fits what the file is, else the one
    that names its format (image.jfif -> .jpg, a PNG called .jpg -> .png)."""
    suffix = Path(str(raw).replace("\\", "/").rsplit("/", 1)[-1]).suffix
    fits = {".jpg": "JPEG MPO", ".jpeg": "JPEG MPO", ".png": "PNG", ".webp": "WEBP", ".heic": "HEIF", ".heif": "HEIF"}
    lower = suffix.lower()
    return suffix if lower in ACCEPTED and fmt in fits[lower].split() else BY_FORMAT[fmt]


def place_upload(received: Path, raw_name: str, folder: Path) -> str:
    """Move the received file into `folder` under a safe name; returns the name. The file is
    checked to be a photo first; UploadRefused otherwise (the received file is then removed)."""
    try:
        size = received.stat().st_size
        if size > MAX_BYTES:
            raise UploadRefused("desk_upload_too_large")
        if size == 0:
            raise UploadRefused("desk_upload_empty")
        fmt = photo_format(received)
        if fmt is None:
            raise UploadRefused("desk_upload_not_photo")
        taken = os.listdir(folder)
        name = safe_name(raw_name, suffix_for(raw_name, fmt), taken)
        target = folder / name
        # Never over a file that appeared meanwhile: link, then remove the received name.
        try:
            os.link(received, target)
        except FileExistsError:
            name = safe_name(raw_name, suffix_for(raw_name, fmt), os.listdir(folder) + [name])
            target = folder / name
            os.link(received, target)
        except OSError:
            if target.exists():
                raise UploadRefused("desk_upload_failed") from None
            os.replace(received, target)
        return name
    finally:
        try:
            received.unlink()
        except OSError:
            pass


def thumbnail(photo: Path, width: int, cache_dir: Path) -> bytes:
    """An upright, metadata-free JPEG of the photo, `width` pixels wide at most."""
    width = min(THUMB_WIDTHS, key=lambda w: abs(w - width))
    info = photo.stat()
    key = hashlib.sha256(f"{photo}\0{info.st_size}\0{info.st_mtime_ns}\0{width}".encode("utf-8")).hexdigest()[:32]
    cached = cache_dir / f"{key}.jpg"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    image, _ = decode(photo.read_bytes(), width)       # BrokenImage: the caller says why
    image.thumbnail((width, width * 4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    data = out.getvalue()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    except OSError:
        pass
    return data
