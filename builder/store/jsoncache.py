"""A cache kept in one JSON file: digest -> entry, with the entries a build did not use dropped
when it is saved. Shared by the Markdown and front matter caches; a damaged or missing file is
only a slower build."""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class JsonCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.dirty = False
        if path and path.is_file():
            try:
                entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                entries = {}
            if isinstance(entries, dict):
                self.entries = {k: v for k, v in entries.items() if self.valid(v)}

    def valid(self, entry: Any) -> bool:
        """Whether a stored entry has the shape this cache writes (a hand-edited file may not)."""
        return True

    def save(self) -> None:
        """Write the entries used since loading, atomically; nothing when nothing changed."""
        if not self.path:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.dirty = True
        if not self.dirty:
            return
        # A temporary file of its own: a preview and a build may save the same cache at once.
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f"{self.path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(json.dumps(self.entries, ensure_ascii=False))
            os.replace(tmp, self.path)
        except OSError:     # a cache that cannot be saved only makes the next build slower
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return
        self.dirty = False
