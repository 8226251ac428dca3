"""What one build left in an output folder, for the next build into the same folder: the size
and time of every file it wrote or found in place, and what each page read (render.trace).

A page whose inputs are unchanged is not rendered again when its file is still exactly what
the build left (same size and time): someone who deleted or edited a file in the output gets
it back from the next build, as from a cold one. The record lives in .cache/state/, one file
per output folder, never in the output (which is published as it is).
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from builder.store.state import read_state, write_state


class OutputRecord:
    def __init__(self, out_dir: Path, path: Path | None):
        self.out_dir = out_dir
        self.path = path                    # the state file; None: kept in memory only
        self.files: dict[str, tuple[int, int]] = {}
        self.pages: dict[str, tuple] = {}
        self.search = ""                    # the version of the search index written
        self.related: tuple | None = None   # each case's related cases (render.related.related_positions)
        self.qr: dict | None = None         # QR codes made for pages (build.py keeps them in a file of their own)

    @staticmethod
    def file_for(state_dir: Path, out_dir: Path, kind: str = "output") -> Path:
        """The state file of `kind` for the output folder `out_dir` (the record itself: 'output')."""
        name = hashlib.sha256(os.fsencode(out_dir)).hexdigest()[:16]
        return state_dir / f"{kind}-{name}.marshal"

    @classmethod
    def load(cls, out_dir: Path, path: Path | None) -> "OutputRecord":
        record = cls(out_dir, path)
        payload = read_state(path)
        if payload is not None:
            try:
                folder, files, pages, search, related = payload
                if folder == os.fsdecode(out_dir) and type(files) is dict and type(pages) is dict and type(search) is str:
                    record.files, record.pages, record.search = files, pages, search
                    record.related = related if type(related) is tuple and len(related) == 3 else None
            except (TypeError, ValueError):
                pass
        return record

    def intact(self, rel: str) -> bool:
        """Is the file what the last build left: the same size and time?"""
        known = self.files.get(rel)
        if known is None:
            return False
        try:
            info = os.stat(os.path.join(self.out_dir, rel))
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns) == known

    def kept(self, rels) -> dict[str, tuple[int, int]]:
        return {rel: self.files[rel] for rel in rels if rel in self.files}

    def save(self) -> None:
        if self.path is None:
            return
        pages = self.pages
        try:
            marshal.dumps(pages)
        except ValueError:                  # a token of a custom template that marshal cannot take
            pages = {}
            for rel, page in self.pages.items():
                try:
                    marshal.dumps(page)
                except ValueError:
                    continue
                pages[rel] = page
        write_state(self.path, (os.fsdecode(self.out_dir), self.files, pages, self.search, self.related))
