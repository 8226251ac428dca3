"""Noticing changed sources: a polling watcher that works the same on Windows, macOS and Linux.

Polling (a directory scan comparing modification times and sizes) instead of inotify or
FSEvents: it needs no native package, it sees network drives and synced folders, and on a
1,000-case site a scan takes milliseconds. Adding, renaming and deleting files or folders all
show up as a difference between two scans.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

# (modification time in ns, size); a folder's entry records only that it exists.
Stamp = tuple[int, int]
Snapshot = Mapping[str, Stamp]


def ignored(name: str) -> bool:
    """Editor scratch files: vim swap files, emacs locks and backups, Office lock files.
    None of them is ever read by a build, and vim rewrites its swap file while you type."""
    return (name.startswith((".#", "~$")) or name.endswith("~") or name == "4913"
            or (name.startswith(".") and name.endswith((".swp", ".swx", ".swo", ".tmp"))))


def scan(paths: Iterable[Path]) -> dict[str, Stamp]:
    """Every file and folder under `paths` (files or folders; missing ones are fine)."""
    found: dict[str, Stamp] = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_dir():
            found[str(path)] = (0, -1)
            _scan_dir(str(path), found)
        else:
            found[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def _scan_dir(folder: str, found: dict[str, Stamp]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return                              # removed while we looked: the next scan sees it
    for entry in entries:
        if ignored(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=True):
                found[entry.path] = (0, -1)
                _scan_dir(entry.path, found)
            else:
                info = entry.stat()
                found[entry.path] = (info.st_mtime_ns, info.st_size)
        except OSError:
            continue


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified)

    def merge(self, later: "Changes") -> "Changes":
        return Changes(tuple(sorted(set(self.added) | set(later.added))),
                       tuple(sorted(set(self.removed) | set(later.removed))),
                       tuple(sorted(set(self.modified) | set(later.modified))))

    def paths(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.added) | set(self.removed) | set(self.modified)))


def diff(before: Snapshot, after: Snapshot) -> Changes:
    return Changes(
        added=tuple(sorted(set(after) - set(before))),
        removed=tuple(sorted(set(before) - set(after))),
        modified=tuple(sorted(p for p in set(before) & set(after) if before[p] != after[p])),
    )


HOT_FILES = 8                  # files saved last, looked at between scans
HOT_INTERVAL = 0.01            # seconds between those looks: a stat of a few files, no scan

TEXT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".html", ".htm", ".xml", ".txt", ".css", ".js", ".json", ".svg")
TEXT_LIMIT = 1 << 20           # bytes; bigger files (photos) count as changed whenever their time does


def _is_text(path: str, stamp: Stamp) -> bool:
    return 0 <= stamp[1] <= TEXT_LIMIT and path.lower().endswith(TEXT_SUFFIXES)


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


class Watcher:
    """Scans `paths()` every `interval` seconds. On a difference it calls `on_change(changes)` at
    once (so the preview can hold requests), keeps scanning every `settle` seconds until two
    scans agree (an editor saving, a folder being copied), then calls `on_settled(changes)` with
    everything that changed. When the difference is one modified file (a save in an editor),
    the first wait is `settle_one` (default: `settle`): a folder being copied shows up as added
    files, and any later difference still brings the full `settle` back. Runs on the caller's
    thread: prime(), the first build, confirm(), then run(stop).

    Saving a file without changing it (Ctrl+S out of habit) changes its time, not what a build
    reads. For text files the watcher keeps the digest of the content the last build read, and
    a file whose content is back to that digest does not count as changed; when nothing else
    changed, `on_settled` gets empty Changes and no build is needed.

    Between scans, the few files saved last are looked at every `hot_interval` seconds (a stat
    each): whoever is editing a case saves the same file again and again, and a save of it
    starts the scan at once instead of up to `interval` later. Only when to scan changes:
    what counts as changed is still what the scans find."""

    def __init__(self, paths: Callable[[], Iterable[Path]], on_settled: Callable[[Changes], None],
                 on_change: Callable[[Changes], None] = lambda changes: None,
                 interval: float = 0.1, settle: float = 0.1, settle_one: float | None = None,
                 hot_interval: float = HOT_INTERVAL):
        self._paths, self._on_settled, self._on_change = paths, on_settled, on_change
        self.interval, self.settle = interval, settle
        self.settle_one = settle if settle_one is None else settle_one
        self.hot_interval = hot_interval
        self.hot: tuple[str, ...] = ()           # the files saved last, newest first
        self._snapshot: dict[str, Stamp] = {}
        self._read: dict[str, str] = {}          # text file -> digest of what the last build read
        self.scan_seconds = 0.0

    def prime(self) -> None:
        """Remember how things are now; call it before the first build reads the sources."""
        self._snapshot = self._scan()
        self._read = {path: digest for path, stamp in self._snapshot.items()
                      if _is_text(path, stamp) and (digest := _digest(path)) is not None}

    def confirm(self) -> None:
        """Call it after a build: a file written while the build ran may have been read in any
        state, so its digest no longer says what the build read."""
        after = self._scan()
        for path in [p for p in self._read if after.get(p) != self._snapshot.get(p)]:
            del self._read[path]

    def run(self, stop: threading.Event) -> None:
        pause = self.interval
        while (woke := self._wait(stop, pause)) is not None:
            self.check(stop, hot=woke)
            # On a slow disk or a big site a scan can take tens of milliseconds: scanning at
            # most a fifth of the time keeps an idle preview from keeping a core busy.
            pause = max(self.interval, 4 * self.scan_seconds)

    def _wait(self, stop: threading.Event, pause: float) -> bool | None:
        """Wait `pause` seconds (False), or less if a hot file changes (True); None: stopped."""
        end = time.monotonic() + pause
        while (left := end - time.monotonic()) > 0:
            if stop.wait(min(left, self.hot_interval) if self.hot else left):
                return None
            if self.hot_changed():
                return True
        return None if stop.is_set() else False

    def _hot_stamps(self) -> dict[str, Stamp | None]:
        stamps: dict[str, Stamp | None] = {}
        for path in self.hot:
            try:
                info = os.stat(path)
                stamps[path] = (info.st_mtime_ns, info.st_size)
            except OSError:
                stamps[path] = None
        return stamps

    def hot_changed(self) -> bool:
        """Has one of the files saved last changed since the last scan?"""
        return any(stamp != self._snapshot.get(path) for path, stamp in self._hot_stamps().items())

    def check(self, stop: threading.Event | None = None, hot: bool = False) -> Changes:
        """One round: scan, and when something changed, settle and report. Returns the changes.
        `hot`: a hot file changed, so the first look is at the hot files alone; the scans while
        settling see everything else, and the round ends only once a scan agrees."""
        stop = stop or threading.Event()
        current = self._scan() if not hot else self._with_hot_stamps()
        changes = diff(self._snapshot, current)
        if not changes:
            return changes
        self._on_change(changes)
        one_file = len(changes.modified) == 1 and not changes.added and not changes.removed
        while not stop.wait(self.settle_one if one_file else self.settle):
            later = self._scan()
            more = diff(current, later)
            if not more:
                break
            changes, current, one_file = changes.merge(more), later, False
        if stop.is_set():
            return changes
        saved = [p for p in (*changes.modified, *changes.added) if current[p][1] >= 0]     # files, not folders
        self.hot = tuple(dict.fromkeys([*saved, *self.hot]))[:HOT_FILES]
        changes = self._content_changes(changes, current)
        # Compare the next round with what the build is about to read: an edit saved while the
        # build runs shows up as a change in the next round and gets a build of its own.
        self._snapshot = current
        self._on_settled(changes)
        if changes:
            self.confirm()
        return changes

    def _content_changes(self, changes: Changes, current: Snapshot) -> Changes:
        """`changes` without the text files whose content is what the last build read; the
        digests of the others become those of what the coming build reads."""
        modified = []
        for path in changes.modified:
            digest = _digest(path) if _is_text(path, current[path]) else None
            if digest is None or digest != self._read.get(path):
                modified.append(path)
            if digest is None:
                self._read.pop(path, None)
            else:
                self._read[path] = digest
        for path in changes.added:
            digest = _digest(path) if _is_text(path, current[path]) else None
            if digest is not None:
                self._read[path] = digest
        for path in changes.removed:
            self._read.pop(path, None)
        return Changes(changes.added, changes.removed, tuple(modified))

    def _with_hot_stamps(self) -> dict[str, Stamp]:
        """The last scan with the hot files as they are now."""
        current = dict(self._snapshot)
        for path, stamp in self._hot_stamps().items():
            if stamp is None:
                current.pop(path, None)
            else:
                current[path] = stamp
        return current

    def _scan(self) -> dict[str, Stamp]:
        started = time.perf_counter()
        found = scan(self._paths())
        self.scan_seconds = time.perf_counter() - started
        return found
