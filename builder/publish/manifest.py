"""What was published, and what a publish has to do.

The manifest (path -> digest and size of every file showcase put there) is kept on the target
itself, so whoever publishes next, from whichever computer, starts from what is really there.
A plan compares it with the site just built; the order puts new assets and photos before the
pages that use them, and the home page and the lists last; removals come after everything.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from builder.model import Case, ModelSite, Page
from builder.publish.gate import is_plain
from builder.store.jsoncache import JsonCache

MANIFEST = ".showcase-publish.json"              # on the target: what showcase put there
JOURNAL = ".showcase-publish-unfinished.json"    # on the target while a publish is under way
TEMP_DIR = ".showcase-upload"                     # on the target: files being uploaded, before their rename
OURS = (MANIFEST, JOURNAL, TEMP_DIR)
UNKNOWN = ""                                      # the digest of a file an unfinished publish may have left
CONTENT_SECTIONS = (Case.SECTION, ModelSite.SECTION, Page.SECTION)


@dataclass(frozen=True, slots=True)
class Entry:
    digest: str         # the first 128 bits of the SHA-256 of the file, in hex
    size: int


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def digest_file(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()[:32]


class _DigestCache(JsonCache):
    """path -> [size, mtime_ns, digest] of the output folder's files: a file of the same size and
    time is not read again (the output folder is written by showcase only, which keeps times)."""

    def valid(self, entry: object) -> bool:
        return isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], str)


def local_entries(out_dir: Path, paths: Iterable[str], cache: Path | None = None) -> dict[str, Entry]:
    """The entry of every file of the built site. `cache`: a JSON file that spares reading again
    a file whose size and time did not change since the last publish."""
    memo = _DigestCache(cache)
    entries = {}
    for rel in paths:
        info = os.stat(out_dir / rel)
        known = memo.entries.get(rel)
        if known and known[0] == info.st_size and known[1] == info.st_mtime_ns:
            digest = known[2]
        else:
            digest = digest_file(out_dir / rel)
            memo.entries[rel] = [info.st_size, info.st_mtime_ns, digest]
            memo.dirty = True
        memo.used.add(rel)
        entries[rel] = Entry(digest, info.st_size)
    memo.save()
    return entries


# --- the manifest and the journal, as stored on the target -----------------------------------

def encode_manifest(entries: Mapping[str, Entry], when: dt.datetime, by: str) -> bytes:
    files = {rel: [entries[rel].digest, entries[rel].size] for rel in sorted(entries)}
    data = {"generator": "showcase", "format": 1, "published": when.isoformat(timespec="seconds"), "by": by,
            "files": files}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace('],"', '],\n"').encode("utf-8")


def decode_manifest(data: bytes) -> dict[str, Entry]:
    """The entries of a stored manifest. ValueError when it is not one showcase wrote."""
    try:
        stored = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(stored, dict) or stored.get("generator") != "showcase" or not isinstance(stored.get("files"), dict):
        raise ValueError("not a showcase manifest")
    entries = {}
    for rel, value in stored["files"].items():
        if not (is_plain(rel) and rel.split("/")[0] not in OURS and isinstance(value, list) and len(value) == 2
                and isinstance(value[0], str) and isinstance(value[1], int)):
            raise ValueError(f"bad entry {rel!r}")
        entries[rel] = Entry(value[0], value[1])
    return entries


@dataclass(frozen=True, slots=True)
class Journal:
    """Written on the target before the first upload, removed after the manifest: while it is
    there, a publish is under way or was interrupted, and the files it names may be there."""
    token: str              # names this publish's temporary files
    started: dt.datetime
    by: str                 # the computer's name
    uploading: tuple[str, ...]

    def encode(self) -> bytes:
        return json.dumps({"generator": "showcase", "token": self.token, "by": self.by,
                           "started": self.started.isoformat(timespec="seconds"),
                           "uploading": list(self.uploading)}, ensure_ascii=False).encode("utf-8")

    @staticmethod
    def decode(data: bytes) -> Journal | None:
        try:
            stored = json.loads(data.decode("utf-8"))
            started = dt.datetime.fromisoformat(stored["started"])
            token, by, uploading = stored["token"], stored["by"], stored["uploading"]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None
        if not (isinstance(token, str) and token.isalnum() and isinstance(by, str) and isinstance(uploading, list)):
            return None
        if started.tzinfo is None:                      # written by hand: taken as this computer's time
            started = started.astimezone()
        return Journal(token, started, by, tuple(p for p in uploading if isinstance(p, str) and is_plain(p)))


# --- the plan --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Plan:
    upload: tuple[str, ...]         # new on the target, in the order they go up
    replace: tuple[str, ...]        # there, with other bytes
    remove: tuple[str, ...]         # put there before, no longer in the site, in the order they go
    unchanged: tuple[str, ...]

    @property
    def sends(self) -> tuple[str, ...]:
        """Every file to send, in the order they go up (new and replaced together)."""
        return tuple(sorted((*self.upload, *self.replace), key=upload_rank))

    @property
    def empty(self) -> bool:
        return not (self.upload or self.replace or self.remove)


def make_plan(local: Mapping[str, Entry], remote: Mapping[str, Entry], full: bool = False) -> Plan:
    """What to send and what to remove so that the target holds `local`. `full`: send every file."""
    upload = [rel for rel in local if rel not in remote]
    replace = [rel for rel in local if rel in remote and (full or remote[rel] != local[rel])]
    unchanged = [rel for rel in local if rel in remote and not full and remote[rel] == local[rel]]
    remove = [rel for rel in remote if rel not in local]
    return Plan(upload=tuple(sorted(upload, key=upload_rank)), replace=tuple(sorted(replace, key=upload_rank)),
                remove=tuple(sorted(remove, key=removal_rank)), unchanged=tuple(sorted(unchanged)))


def upload_rank(rel: str) -> tuple[int, str]:
    """Photos, styles and scripts first; then the search index's shards, then its table of shards;
    then the pages of cases, model sites and pages; then the lists; the home page last."""
    parts = rel.split("/")
    if rel == "index.html":
        stage = 5
    elif rel.endswith(".html"):
        stage = 3 if len(parts) == 3 and parts[0] in CONTENT_SECTIONS else 4
    elif len(parts) == 1 and rel.endswith((".xml", ".txt")):
        stage = 4                   # sitemap.xml, feed.xml, robots.txt: they name pages
    elif parts[0] == "search":
        stage = 2 if len(parts) == 2 else 1
    else:
        stage = 0
    return stage, rel


def removal_rank(rel: str) -> tuple[int, str]:
    """Pages before the photos they showed; the lists no longer link to them by then."""
    return (0 if rel.endswith(".html") else 1), rel


def stages(paths: Iterable[str]) -> list[list[str]]:
    """`paths` grouped by upload stage, in order: everything of one stage is up before the next."""
    groups: dict[int, list[str]] = {}
    for rel in sorted(paths, key=upload_rank):
        groups.setdefault(upload_rank(rel)[0], []).append(rel)
    return [groups[stage] for stage in sorted(groups)]
