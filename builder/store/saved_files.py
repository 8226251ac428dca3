"""Whole stage outputs kept in .cache/ by a digest of everything they were made from.

A stage whose output is a pure function of its inputs (the search index of the documents, the
pages of the model and theme) can be saved under a digest of those inputs and reused whole when
a later build finds the same digest: correct by construction, with no dependency graph. The
digest must cover every input, the code that makes the output included (source_digest).

Each output is one file of marshal records, a file of the output a record, written and read
one record at a time so that no second copy of it is held in memory.
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
from pathlib import Path

from builder.store.state import write_atomically


class SavedFiles:
    """The last `keep` outputs named `name`, each under its digest, in `folder` (None: nothing
    is kept, nothing is found)."""

    def __init__(self, folder: Path | None, name: str, keep: int = 1):
        self.folder, self.name, self.keep = folder, name, keep

    def _path(self, digest: str) -> Path:
        return self.folder / f"{self.name}-{digest}.marshal"

    def get(self, digest: str) -> dict[str, bytes] | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(digest), "rb") as saved:
                count = marshal.load(saved)
                files = dict(marshal.load(saved) for _ in range(count))
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not all(isinstance(k, str) and isinstance(v, bytes) for k, v in files.items()):
            return None
        os.utime(self._path(digest))           # most recently used: kept by the next put
        return files

    def put(self, digest: str, files: dict[str, bytes]) -> None:
        if self.folder is None:
            return
        def write(out) -> None:         # one record a file: no second copy of them all in memory
            marshal.dump(len(files), out)
            for record in files.items():
                marshal.dump(record, out)
        write_atomically(self._path(digest), write)     # a cache that cannot be saved only costs time
        try:
            saved = sorted(self.folder.glob(f"{self.name}-*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in saved[self.keep:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass                        # another build (the preview) is using or removing one: next time


BUILDER = Path(__file__).resolve().parent.parent


@functools.cache          # the code of the running process: it cannot change under it (a new version is a new process)
def source_digest(*parts: str) -> str:
    """A digest of the Python source of these parts of the builder package: a subpackage
    ('search': every module in it, however it is split), a module ('render.pages'), or '' for
    the whole package. A change to the code that makes an output is a new output."""
    digest = hashlib.sha256()
    for part in parts:
        base = BUILDER.joinpath(*part.split(".")) if part else BUILDER
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
        for file in files:
            digest.update(file.relative_to(BUILDER).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()
