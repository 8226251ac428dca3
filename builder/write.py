"""Stage 5: write the output folder: guarded, changed bytes only, stale files removed.

Nothing reaches this stage unless the whole site was built, so a failed build leaves the
previous output exactly as it was. Each file is written to a temporary name and renamed over
the old one, so a reader (or the preview server) never sees half a file. The folder carries a
marker listing what showcase wrote; only those files are ever removed, and a folder without
the marker is never written to unless it is empty.

The marker also says whether the folder may be published (output_state): a build with
--drafts or --future (or the preview's) is marked as a preview, and a build that stopped while
writing leaves the marker saying so, until the next build completes.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import BuildError, Problem
from builder.i18n import Phrase

MARKER = ".showcase-output.json"


@dataclass(frozen=True, slots=True)
class OutputState:
    """What an output folder's marker says about it (see output_state)."""
    made_by_showcase: bool      # the folder holds the marker of a showcase build
    preview: bool               # built with --drafts / --future, or by the preview: not to be published
    complete: bool              # the last build finished writing every file

    @property
    def publishable(self) -> bool:
        """A whole build of what the site publishes: made by showcase, not a preview, complete."""
        return self.made_by_showcase and not self.preview and self.complete


def output_state(out_dir: Path) -> OutputState:
    """Is `out_dir` a clean, publishable build made by showcase? Read from its marker only: a
    folder without a readable marker is not showcase's; a marker written before showcase
    recorded these facts counts as a preview, so publishing asks for a fresh build."""
    try:
        data = json.loads((Path(out_dir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return OutputState(False, False, False)
    if not isinstance(data, dict) or data.get("generator") != "showcase":
        return OutputState(False, False, False)
    return OutputState(True, preview=data.get("preview") is not False, complete=data.get("complete") is True)


class Staged(type(Path())):
    """A file this build already wrote in full elsewhere on disk (the pages of a big build, which
    the render workers write to .cache/ instead of handing them back): it is moved into place,
    not copied, unless the output already holds the same bytes. Read like any path."""


class Stage:
    """A folder of this build's own under .cache/staging/, where a big build's pages are written
    as they are rendered (by the render workers, so that neither they nor this process hold
    them all, and they are not sent between processes), and moved into the output folder by
    write_outputs. Nothing in it is ever read as a cache: clear() removes it after the build,
    and clear_old() what a build stopped by force left behind."""

    def __init__(self, parent: Path):
        self.parent = parent
        self.folder = parent / f"{os.getpid()}-{time.time_ns()}"
        self._made = False

    def keep(self, rel: str, data: bytes) -> Staged:
        """Write `data`, the output file `rel`, into the stage; the file as write_outputs takes it."""
        if not self._made:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._made = True
        path = self.folder / (hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest() + ".page")
        with open(path, "wb") as out:
            out.write(data)
        return Staged(path)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def clear_old(cls, parent: Path, older_than_seconds: float = 86400) -> None:
        """Remove stages left by builds that were stopped (a day old: a build running now keeps its own)."""
        try:
            entries = list(os.scandir(parent))
        except OSError:
            return
        limit = time.time() - older_than_seconds
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                    shutil.rmtree(entry.path, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    files: dict[str, tuple[int, int]] = field(default_factory=dict)   # rel -> (size, mtime_ns) as left


def _replace(target: str, tmp: str, data: bytes, stamp: int | None) -> tuple[int, int]:
    """Write `data` to a temporary name beside `target`, then rename it over the target. A
    failure leaves no half-written temporary file and names the target, not the temporary.
    Returns the file's (size, time)."""
    try:
        with open(tmp, "wb") as out:
            out.write(data)
        if stamp is not None:
            os.utime(tmp, ns=(stamp, stamp))
        info = os.stat(tmp)
        os.replace(tmp, target)
        return info.st_size, info.st_mtime_ns
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        exc.filename = target
        raise


def os_reason(exc: OSError) -> Phrase:
    """Why the system refused, said in the reader's language rather than the system's English."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Phrase("os_disk_full")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Phrase("os_no_permission")
    return Phrase("os_other", {"detail": exc.strerror or str(exc)})


def check_output_dir(root: Path, out_dir: Path) -> list[Problem]:
    """Refuse an output folder that is, or holds, the sources, or that someone else filled."""
    root, out = root.resolve(), out_dir.resolve()
    shown = _shown(root, out)
    guarded = [("site", root), ("content", root / "content"), ("themes", root / "themes"),
               ("templates", root / "templates"), ("static", root / "static")]
    for label, source in guarded:
        folder = Phrase("folder_site") if label == "site" else Phrase("folder_named", {"name": label})
        if out == source:
            relation = Phrase("output_is", {"folder": folder})
        elif source.is_relative_to(out):
            relation = Phrase("output_contains", {"folder": folder})
        elif label != "site" and out.is_relative_to(source):
            relation = Phrase("output_inside", {"folder": folder})
        else:
            continue
        return [Problem("", None, "output_is_source", {"path": shown, "relation": relation})]
    if out.is_file():
        return [Problem("", None, "output_not_ours", {"path": shown})]
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        return [Problem("", None, "output_not_ours", {"path": shown})]
    return []


def _shown(root: Path, out: Path) -> str:
    try:
        return out.relative_to(root).as_posix() + "/"
    except ValueError:
        return str(out)


def write_outputs(outputs: dict[str, bytes | Path], out_dir: Path,
                  kept: dict[str, tuple[int, int]] | None = None, preview: bool = False) -> WriteStats:
    """Write `outputs` (bytes, or a file to copy) into out_dir; remove what we wrote before and
    no longer produce. Raises BuildError if the disk refuses. `kept`: files the caller found
    as the last build left them (size, time), given in `outputs` as their own path: not looked
    at again. The result says the size and time of every file, as a later build may check.
    `preview`: the outputs show what is held back (drafts, scheduled), so the marker says the
    folder is not to be published. Before the first file changes, the marker says the folder is
    being written (and lists the old files and the new), so a build stopped half-way is never
    taken for a finished one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_marker(out_dir)
    started = _read_state(out_dir)
    try:
        old_marker = (out_dir / MARKER).read_bytes()
    except OSError:
        old_marker = None
    writing = False

    def begin() -> None:
        nonlocal writing
        if not writing:
            _write_marker(out_dir, sorted(set(previous) | set(outputs)), preview, complete=False)
            writing = True

    written = unchanged = removed = 0
    files: dict[str, tuple[int, int]] = {}
    kept = kept or {}
    folders = {str(out_dir)}            # made (or found) already: one mkdir per folder, not per file
    suffix = f".{os.getpid()}.tmp"
    try:
        for rel in sorted(outputs):
            source = outputs[rel]
            # A kept file is given as its own path in the output (the caller's promise): at
            # 15,000 files, making each path a string to compare cost more than the rest.
            if rel in kept and type(source) is not bytes and not isinstance(source, Staged):
                unchanged += 1
                files[rel] = kept[rel]
                continue
            target = os.path.join(out_dir, rel)
            data = stamp = None                 # (a staged file is moved, not read)
            if isinstance(source, Staged):
                same = _same_staged(target, source)
            elif isinstance(source, bytes):
                data = source
                same = _same_bytes(target, data)
            else:
                same = _same_copy(target, source)
                if not same:
                    data, stamp = source.read_bytes(), source.stat().st_mtime_ns
                    same = _same_bytes(target, data)
            if same:
                unchanged += 1
                files[rel] = same
                continue
            folder, name = os.path.split(target)
            begin()
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            tmp = os.path.join(folder, f".{name}{suffix}")
            files[rel] = _move(target, tmp, source) if data is None else _replace(target, tmp, data, stamp)
            written += 1
        for rel in sorted(set(previous) - set(outputs)):
            target = out_dir / rel
            if target.is_file():
                begin()
                target.unlink()
                removed += 1
                _remove_empty_parents(target.parent, out_dir)
        if writing or started != (preview, True) or sorted(previous) != sorted(outputs):
            _write_marker(out_dir, sorted(outputs), preview, complete=True)
    except OSError as exc:
        if writing and not written and not removed:
            _restore_marker(out_dir, old_marker)      # nothing changed: the folder is what it was
        raise BuildError([Problem("", None, "output_write_failed", {"path": exc.filename or "", "reason": os_reason(exc)})]) from exc
    return WriteStats(written, unchanged, removed, files)


def _same_copy(target: str, source: Path) -> tuple[int, int] | None:
    """A copied file (a photo rendition from the cache, a theme file) keeps its source's time
    stamp: the same size and time means the same file, without reading either (the rsync rule).
    Cache files never change once written, since their names are digests of what made them.
    The target's (size, time) if it is the same, else None."""
    try:
        t, s = os.stat(target), source.stat()
    except OSError:
        return None
    return (t.st_size, t.st_mtime_ns) if t.st_size == s.st_size and t.st_mtime_ns == s.st_mtime_ns else None


def _move(target: str, tmp: str, staged: Staged) -> tuple[int, int]:
    """Rename a staged file over `target` (as atomic as _replace, without writing it again); where
    the output is on another drive than the stage, copy it as any file. Returns (size, time)."""
    try:
        os.replace(staged, target)
        info = os.stat(target)
        return info.st_size, info.st_mtime_ns
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            exc.filename = target
            raise
    stamp = _replace(target, tmp, staged.read_bytes(), None)
    with contextlib.suppress(OSError):
        os.unlink(staged)
    return stamp


def _same_staged(target: str, staged: Staged) -> tuple[int, int] | None:
    """The target's (size, time) if it holds the staged file's bytes (the staged copy is then
    not needed), else None."""
    try:
        if os.stat(target).st_size != os.stat(staged).st_size:
            return None
        same = _same_bytes(target, staged.read_bytes())
    except OSError:
        return None
    if same:
        with contextlib.suppress(OSError):
            os.unlink(staged)
    return same


def _same_bytes(path: str, data: bytes) -> tuple[int, int] | None:
    """The file's (size, time) if it holds `data`, else None."""
    try:
        info = os.stat(path)
        if info.st_size != len(data):
            return None
        with open(path, "rb") as existing:
            return (info.st_size, info.st_mtime_ns) if existing.read() == data else None
    except OSError:
        return None


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _read_marker(out_dir: Path) -> list[str]:
    try:
        files = json.loads((out_dir / MARKER).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(files, list):
        return []
    # Only plain relative paths: a hand-edited marker must not make us delete outside the folder.
    return [f for f in files if isinstance(f, str) and ".." not in f.split("/") and not f.startswith("/")]


def _restore_marker(out_dir: Path, data: bytes | None) -> None:
    with contextlib.suppress(OSError):
        if data is None:
            (out_dir / MARKER).unlink()
        else:
            _replace(str(out_dir / MARKER), str(out_dir / f"{MARKER}.{os.getpid()}.tmp"), data, None)


def _read_state(out_dir: Path) -> tuple[bool, bool] | None:
    state = output_state(out_dir)
    return (state.preview, state.complete) if state.made_by_showcase else None


def _write_marker(out_dir: Path, files: list[str], preview: bool, complete: bool) -> None:
    # One file name a line; with separators and no indent, json uses its C encoder (with indent,
    # its Python one: 30 ms a marker at 15,000 files).
    data = json.dumps({"generator": "showcase", "preview": preview, "complete": complete, "files": files},
                      ensure_ascii=False, separators=(",\n", ": "))
    tmp = out_dir / f"{MARKER}.{os.getpid()}.tmp"
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, out_dir / MARKER)
