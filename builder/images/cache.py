"""The image cache: what a worker is asked to make (Job), what it made (Made), and the files
in .cache/images/ that hold it, named by a digest of the source bytes and every parameter.

An entry is a JSON meta file `<key>.json` written last, after its image files; it lists every
file with its byte size, so an entry with a missing or truncated file, or a damaged meta file,
is not a hit and is made again. A memo (path, size, mtime, ctime, inode -> digest) lets a warm
build skip reading unchanged photos.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from builder.i18n import Phrase
from builder.images.geometry import SHARE_SIZE

PIPELINE_VERSION = 3          # bump when the pixels or file names a job makes change
KEY_LENGTH = 24
RENDITIONS, SHARE, ORIGINAL = "renditions", "share", "original"
RACY_NS = 2_000_000_000       # a file changed this recently may change again in the same tick
_ENTRY_FILE = re.compile(rf"^([0-9a-f]{{{KEY_LENGTH}}})[-.]")


@dataclass(frozen=True, slots=True)
class Params:
    """Every setting that changes the bytes of a rendition."""
    widths: tuple[int, ...]
    quality: int
    webp_quality: int


@dataclass(frozen=True, slots=True)
class File:
    name: str          # inside the cache folder
    width: int
    height: int
    format: str        # 'jpeg' | 'webp' | 'png' (an original)
    size: int          # bytes, to notice a truncated file


@dataclass(frozen=True, slots=True)
class Entry:
    product: str       # RENDITIONS | SHARE | ORIGINAL
    key: str
    width: int         # displayed size of the source photo, after orientation
    height: int
    files: tuple[File, ...]


@dataclass(frozen=True, slots=True)
class Job:
    """One photo to decode once and turn into the products it still needs. Picklable."""
    source: Path
    digest: str
    params: Params
    products: tuple[str, ...]
    cache_dir: Path


@dataclass(frozen=True, slots=True)
class Made:
    source: Path
    digest: str                       # of the bytes actually decoded (a photo may change meanwhile)
    entries: tuple[Entry, ...] = ()
    error: Phrase | None = None       # why the photo could not be made (a message, said in the reader's language)


def entry_key(product: str, digest: str, params: Params) -> str:
    if product == RENDITIONS:
        parts: tuple = (params.widths, params.quality, params.webp_quality)
    elif product == SHARE:
        parts = (SHARE_SIZE, params.quality)
    else:
        parts = ()
    text = repr((PIPELINE_VERSION, product, digest, parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- entries ---------------------------------------------------------------------------------

def write_entry(cache_dir: Path, entry: Entry) -> None:
    meta = {"version": PIPELINE_VERSION, "product": entry.product, "size": [entry.width, entry.height],
            "files": [[f.name, f.width, f.height, f.format, f.size] for f in entry.files]}
    atomic_write(cache_dir / f"{entry.key}.json", json.dumps(meta).encode("utf-8"))


def read_entry(cache_dir: Path, key: str, product: str) -> Entry | None:
    """The entry if its meta file is sound and every file it lists is there, whole."""
    try:
        meta = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        if meta["version"] != PIPELINE_VERSION or meta["product"] != product:
            return None
        width, height = (int(v) for v in meta["size"])
        files = tuple(File(str(n), int(w), int(h), str(f), int(s)) for n, w, h, f, s in meta["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not files:
        return None
    for file in files:
        if not file.name.startswith(key) or "/" in file.name or "\\" in file.name:
            return None
        try:
            if (cache_dir / file.name).stat().st_size != file.size:
                return None
        except OSError:
            return None
    return Entry(product, key, width, height, files)


def prune_cache(cache_dir: Path, keep: frozenset[str], older_than: float) -> int:
    """Remove entry files whose key this build did not use. Files newer than `older_than`
    (the build's start) are left alone: another build running at the same time may own them."""
    removed = 0
    try:
        names = list(os.scandir(cache_dir))
    except OSError:
        return 0
    for item in names:
        match = _ENTRY_FILE.match(item.name)
        stale_tmp = item.name.endswith(".tmp")
        if not (match and match.group(1) not in keep) and not stale_tmp:
            continue
        try:
            if item.stat().st_mtime >= older_than - (3600 if stale_tmp else 0):
                continue
            os.unlink(item.path)
            removed += 1
        except OSError:
            continue
    return removed


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# --- digests of source photos ----------------------------------------------------------------

class DigestMemo:
    """(size, mtime_ns, ctime_ns, inode) of each photo -> the sha256 of its bytes, kept in a JSON
    file, so that a warm build reads no photo. A photo whose stat changed is read again; so is
    one changed within two seconds of being hashed (it could change again within the same
    timestamp tick, as git's "racy" entries can)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                files = loaded.get("files") if isinstance(loaded, dict) and loaded.get("version") == PIPELINE_VERSION else None
                if isinstance(files, dict):     # a hand-edited file may hold anything
                    self.old = {k: v for k, v in files.items() if isinstance(v, list) and len(v) == 5}
            except (OSError, ValueError):
                pass
        self.hashed = 0

    def digest(self, rel: str, path: Path) -> str:
        """The photo's digest; raises OSError if it cannot be read."""
        stat = path.stat()
        ident = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        known = self.old.get(rel)
        if known is not None and known[:4] == ident and isinstance(known[4], str):
            self.new[rel] = known
            return known[4]
        now = time.time_ns()
        digest = file_digest(path)
        self.hashed += 1
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < now - RACY_NS:
            self.new[rel] = ident + [digest]
        return digest

    def save(self) -> None:
        if self.path is None or self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"version": PIPELINE_VERSION, "files": dict(sorted(self.new.items()))},
                              ensure_ascii=False)
            atomic_write(self.path, data.encode("utf-8"))
        except OSError:
            pass                     # a memo that cannot be saved only costs reading next time
