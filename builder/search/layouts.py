"""Search, part 6: the layout cache. Document layouts (index.doc_layout: normalised text and
pinyin) by text digest, so that only documents whose text changed are laid out again."""
from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from pathlib import Path

FORMAT = 2                  # of the files: another shape of layout, another number


class LayoutCache:
    """Document layouts (normalised text and pinyin) by text digest, in SHARDS marshal files by
    the digest's first characters, each read only when a layout in it is asked for: a build that
    lays out one document again reads and writes two small files, not every layout. Layouts no
    document uses are dropped from the files saved (`save(used)`)."""

    SHARDS = 64
    PREFIX = f"layouts-{FORMAT}-"

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.old: dict[int, dict] = {}      # shard -> what its file held
        self.new: dict[int, dict] = {}      # shard -> layouts got or put in this build
        self.hits = 0

    def _shard(self, key: str) -> int:
        return int(key[:4], 16) % self.SHARDS

    def _path(self, shard: int) -> Path:
        return self.folder / f"{self.PREFIX}{shard:02d}.marshal"

    def _loaded(self, shard: int) -> dict:
        found = self.old.get(shard)
        if found is None:
            found = {}
            if self.folder is not None:
                try:
                    found = marshal.loads(self._path(shard).read_bytes())
                except (OSError, EOFError, ValueError, TypeError):
                    found = {}
                if not isinstance(found, dict):
                    found = {}
            self.old[shard] = found
        return found

    def load_all(self) -> None:
        for shard in range(self.SHARDS):
            self._loaded(shard)

    def get(self, key: str):
        shard = self._shard(key)
        layout = self._loaded(shard).get(key)
        if not (isinstance(layout, tuple) and len(layout) == 10 and all(isinstance(part, str) for part in layout)):
            return None                  # not there, or damaged: laid out again
        self.hits += 1
        self.new.setdefault(shard, {})[key] = layout
        return layout

    def put(self, key: str, layout) -> None:
        self.new.setdefault(self._shard(key), {})[key] = layout

    def save(self, used: set[str] | None = None) -> None:
        """Write the shards read or added to: what they held and was added, of the layouts in
        `used` (None: only those got or put in this build, which then must have read every shard)."""
        if self.folder is None:
            return
        if used is None:                 # a whole index: the files of another format go
            for stale in self.folder.glob("layouts-*.marshal"):
                if not stale.name.startswith(self.PREFIX):
                    with contextlib.suppress(OSError):
                        stale.unlink()
        for shard in sorted(set(self.old) | set(self.new)):
            old = self.old.get(shard, {})
            merged = {**old, **self.new.get(shard, {})}
            keep = {k: v for k, v in merged.items() if k in used} if used is not None else self.new.get(shard, {})
            if keep.keys() != old.keys():
                self._write(shard, keep)

    def _write(self, shard: int, layouts: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".layouts-")
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps(layouts))
            os.replace(tmp, self._path(shard))
        except OSError:
            pass                         # a cache that cannot be saved only costs the next build time
