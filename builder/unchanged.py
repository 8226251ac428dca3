"""`showcase build` when nothing changed since the last build into the same output folder.

A build notes, before it reads anything, the size and time of every file under the site
folder (all but hidden entries, .cache/ and the output folder) and of the packaged theme; and
when it has written the output, the size and time of every output file, and what the command
line says after it (counts, warnings, cases left out). The next `showcase build` with the same
options, on the same day (cases dated in the future are published on their day), with the
same version of showcase and its libraries, first looks again: if every file is as it was,
and none was within store.state.RACY_NS of the moment the last build looked, the output is
what a build would write, and the command says so without loading the rest of showcase.
Anything else, down to one output file touched by hand, takes the normal build, which is
incremental (build.py).

Only the standard library and the light modules it needs to read the record are imported
here: this is the whole of a build with nothing to do.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.store.state import is_racy, read_state, write_state

SKIPPED = (".", )                          # hidden files and folders: no build reads them


@dataclass(frozen=True, slots=True)
class Summary:
    """What the command line says after a build."""
    cases: int
    sites: int
    pages: int
    files: int
    warnings: tuple                        # Problem
    held_back: tuple                       # Case, ModelSite, Page
    standing: dict                         # source -> Standing, of those held back
    site: Any                              # Site
    images_cached: int
    preview: bool                          # the output is a preview's (--drafts, --future)


@dataclass(frozen=True, slots=True)
class Unchanged:
    out_dir: Path
    summary: Summary
    seconds: float


def options_key(root: Path, output: Path | None, drafts: bool, future: bool, base_url: str | None,
                relative: bool | None) -> str:
    return repr((os.fsdecode(root), os.fsdecode(output.resolve()) if output else None, drafts, future, base_url,
                 relative))


def record_file(root: Path, key: str) -> Path:
    return root / ".cache" / "state" / f"unchanged-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.marshal"


def fingerprint(root: Path, out_dir: Path | None, theme_dir: Path | None) -> dict[str, tuple[int, int]] | None:
    """Every file under `root` (but hidden entries, .cache/ and `out_dir`) and under `theme_dir`,
    with its size and time; folders with -1. None when a folder is a symbolic link (what it
    leads to is not followed here: such a site takes the normal build)."""
    found: dict[str, tuple[int, int]] = {}
    skip = {os.fsdecode(root / ".cache")}
    if out_dir is not None:
        skip.add(os.fsdecode(out_dir))
    for prefix, top in (("", root), ("@theme/", theme_dir)):
        if top is None:
            continue
        todo = [(os.fsdecode(top), prefix)]
        while todo:
            folder, rel = todo.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                return None
            for entry in entries:
                if entry.name.startswith(SKIPPED):
                    continue
                path = entry.path
                if path in skip:
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        found[rel + entry.name + "/"] = (-1, 0)
                        todo.append((path, rel + entry.name + "/"))
                    elif entry.is_symlink() and entry.is_dir():
                        return None
                    else:
                        info = entry.stat()
                        found[rel + entry.name] = (info.st_size, info.st_mtime_ns)
                except OSError:
                    return None
    return found


def save(root: Path, key: str, out_dir: Path, looked_at: int, tree: dict, outputs: dict[str, tuple[int, int]],
         summary: Summary, version: str) -> None:
    """Note what a build that wrote `out_dir` found and left, for the next one."""
    try:
        data = _stored().dumps(summary)
    except Exception:  # noqa: BLE001 - a value pickle cannot take: no shortcut next time
        return
    write_state(record_file(root, key), (key, version, dt.date.today().isoformat(), looked_at,
                                         os.fsdecode(out_dir), tree, outputs, data))


def forget(root: Path, key: str) -> None:
    """No shortcut for the next build (this one failed, or wrote something else)."""
    try:
        record_file(root, key).unlink()
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class Looked:
    """What check() found when something had changed: the build that follows notes this tree
    (for the next check) instead of scanning the folder again, if it writes the same folder."""
    looked_at: int                         # time.time_ns() before the scan
    out_dir: Path
    tree: dict[str, tuple[int, int]] | None


def check(root: Path, key: str, theme_dir: Path | None) -> Unchanged | None:
    """The last build's summary if nothing changed since it, else None."""
    found = look(root, key, theme_dir)
    return found if isinstance(found, Unchanged) else None


def look(root: Path, key: str, theme_dir: Path | None) -> Unchanged | Looked | None:
    """check(), which says what it saw when the sources changed (None: it did not look)."""
    started = time.perf_counter()
    payload = read_state(record_file(root, key))
    try:
        saved_key, version, day, looked_at, out, tree, outputs, data = payload
    except (TypeError, ValueError):
        return None
    from builder.store.state import code_version
    if saved_key != key or version != code_version() or day != dt.date.today().isoformat():
        return None
    out_dir = Path(out)
    now = time.time_ns()
    current = fingerprint(root, out_dir, theme_dir)
    if current != tree:
        return Looked(now, out_dir, current)
    if any(is_racy(mtime, looked_at) for size, mtime in tree.values() if size >= 0):
        return None
    for rel, known in outputs.items():
        try:
            info = os.stat(os.path.join(out, rel))
        except OSError:
            return None
        if (info.st_size, info.st_mtime_ns) != known:
            return None
    try:
        summary = _stored().loads(data)
    except Exception:  # noqa: BLE001 - a record this version did not write: the normal build
        return None
    if not isinstance(summary, Summary):
        return None
    return Unchanged(out_dir, summary, time.perf_counter() - started)


def packaged_themes_dir() -> Path:
    """render.theme.packaged_themes_dir, without importing Jinja (a test checks they agree)."""
    package = Path(__file__).resolve().parent
    inside = package / "themes"
    return inside if inside.is_dir() else package.parent / "themes"


def _stored():
    """The summary's classes: every data class of the model, problems and phrases."""
    import dataclasses
    from builder import model
    from builder.errors import Problem
    from builder.i18n import Phrase
    from builder.store.pickled import Pickled
    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
               and c.__module__ == model.__name__]
    return Pickled([Summary, Problem, Phrase, *classes])
