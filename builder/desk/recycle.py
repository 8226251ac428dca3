"""The recycle folder (回收站) at the site root: nothing the desk removes is deleted.

A removed photo, case, model site or page is moved, whole, into a folder of its own inside it,
named by the time and the thing's name, with a small JSON file saying where it came from; a
version of a file kept in a conflict goes there too. The build never reads it (it reads only
site.yaml, content/, themes/, templates/ and static/), so nothing in it is published. Restoring
moves the thing back where it was; a case whose folder name is taken meanwhile stays put, a
photo comes back under a free name, and a kept version that goes back sends the file it
replaces to the recycle folder first.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from builder.desk.photos import safe_name

RECYCLE_DIR = "回收站"
MANIFEST = ".showcase-recycle.json"
KINDS = ("photo", "case", "site", "page", "copy", "replaced")


@dataclass(frozen=True, slots=True)
class Recycled:
    id: str                # the entry's folder name inside the recycle folder
    what: str              # one of KINDS
    origin: str            # site-relative path it came from (a copy: the file it is a version of)
    title: str             # what the desk shows: a title, or the photo's name
    when: str              # local time, ISO 8601 to the second
    name: str              # the file or folder inside the entry


class RestoreRefused(Exception):
    def __init__(self, code: str, **params: str):
        super().__init__(code)
        self.code, self.params = code, params


def _new_entry(root: Path, name: str, now: dt.datetime) -> tuple[str, Path]:
    base = root / RECYCLE_DIR
    base.mkdir(exist_ok=True)
    stem = f"{now:%Y-%m-%d_%H%M%S}_{name}"
    entry, number = stem, 2
    while True:
        try:
            (base / entry).mkdir()
            return entry, base / entry
        except FileExistsError:
            entry = f"{stem}-{number}"
            number += 1


def _write_manifest(folder: Path, item: Recycled) -> None:
    (folder / MANIFEST).write_text(json.dumps(asdict(item), ensure_ascii=False, indent=1), encoding="utf-8")


def recycle(root: Path, rel: str, what: str, title: str, now: dt.datetime | None = None) -> Recycled:
    """Move the file or folder `rel` (site-relative) into the recycle folder."""
    source = root / rel
    name = source.name
    entry, folder = _new_entry(root, name, now or dt.datetime.now())
    item = Recycled(entry, what, rel, title, (now or dt.datetime.now()).isoformat(timespec="seconds"), name)
    try:
        os.replace(source, folder / name)
    except OSError:
        os.rmdir(folder)
        raise
    _write_manifest(folder, item)
    return item


def keep_copy(root: Path, rel: str, data: bytes, title: str, now: dt.datetime | None = None) -> Recycled:
    """Keep `data`, a version of the file `rel` that was not saved over it, in the recycle folder."""
    name = Path(rel).name
    entry, folder = _new_entry(root, name, now or dt.datetime.now())
    item = Recycled(entry, "copy", rel, title, (now or dt.datetime.now()).isoformat(timespec="seconds"), name)
    (folder / name).write_bytes(data)
    _write_manifest(folder, item)
    return item


def entries(root: Path) -> list[Recycled]:
    """What the recycle folder holds, newest first; folders without a readable note are skipped."""
    base = root / RECYCLE_DIR
    found = []
    try:
        names = os.listdir(base)
    except OSError:
        return []
    for entry in names:
        item = _read(base / entry, entry)
        if item is not None:
            found.append(item)
    return sorted(found, key=lambda i: (i.when, i.id), reverse=True)


def _read(folder: Path, entry: str) -> Recycled | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        item = Recycled(**{k: str(data[k]) for k in ("id", "what", "origin", "title", "when", "name")})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if item.what not in KINDS or not (folder / item.name).exists() or "/" in item.name or "\\" in item.name:
        return None
    return Recycled(entry, item.what, item.origin, item.title, item.when, item.name)


def find(root: Path, entry_id: str) -> Recycled | None:
    """The entry named exactly `entry_id` (compared with the folder's names, never joined as given)."""
    for item in entries(root):
        if item.id == entry_id:
            return item
    return None


def read_kept(root: Path, item: Recycled) -> bytes | None:
    path = root / RECYCLE_DIR / item.id / item.name
    return path.read_bytes() if path.is_file() else None


def restore(root: Path, item: Recycled, now: dt.datetime | None = None) -> str:
    """Put `item` back; returns the site-relative path it is at now. RestoreRefused when it cannot go back."""
    origin = item.origin
    if not origin.startswith("content/") or ".." in origin.split("/") or "\\" in origin:
        raise RestoreRefused("desk_restore_nowhere", path=origin)
    target = root / origin
    source = root / RECYCLE_DIR / item.id / item.name
    if not target.parent.is_dir():
        raise RestoreRefused("desk_restore_nowhere", path=origin)
    if item.what == "photo" and target.exists():
        name = safe_name(Path(origin).stem, Path(origin).suffix, os.listdir(target.parent))
        target = target.parent / name
        origin = f"{Path(origin).parent.as_posix()}/{name}"
    elif item.what in ("copy", "replaced") and target.exists():
        recycle(root, origin, "replaced", item.title, now)
    elif target.exists():
        raise RestoreRefused("desk_restore_taken", path=origin)
    os.replace(source, target)
    try:
        (root / RECYCLE_DIR / item.id / MANIFEST).unlink()
        (root / RECYCLE_DIR / item.id).rmdir()
    except OSError:
        pass
    return origin
