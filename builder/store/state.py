"""The state one build leaves for the next: files of .cache/state/, each valid for one version
of showcase and of the libraries that shape its output.

A state file is marshal data: (FORMAT, version, payload). `version` (code_version) is a digest
of showcase's code and message catalogue (by file size and time: a new install is a new
version) and of the versions of the libraries whose output ends up in the site; a file written
by another version, damaged or missing reads as None, and the build then does everything
again. Deleting .cache/ is always safe: nothing here is the only copy of anything.

Racy files. A file whose size and modification time are what a build recorded is taken as
unchanged without being read, except when its time is within RACY_NS of the moment the build
looked at it (racy): an edit a moment after the build looked, in the same tick of a coarse
clock, keeps size and time; such a file is read and its digest compared (git's racy-git rule).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

FORMAT = 1
RACY_NS = 2_000_000_000            # FAT keeps times to 2 seconds
BUILDER = Path(__file__).resolve().parent.parent
LIBRARIES = ("jinja2", "markupsafe", "markdown", "yaml", "pypinyin", "numpy", "PIL", "pillow_heif", "segno")


@functools.cache      # the code of the running process does not change under it
def code_version() -> str:
    """A digest of showcase's code and catalogue and of the libraries whose work ends up in the
    site (each by where its package is and its first file's size and time: installing another
    version rewrites it), and of Python's version. Asking the packages' metadata for their
    versions would take ten times longer, and this runs on every build."""
    import importlib.util
    digest = hashlib.sha256(repr(sys.version_info[:3]).encode())
    for path in sorted([*BUILDER.rglob("*.py"), *BUILDER.rglob("*.yaml")]):
        info = path.stat()
        digest.update(f"{path.relative_to(BUILDER).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            info = os.stat(origin)
            digest.update(f"{name}\0{origin}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{name}\0\0".encode())
    return digest.hexdigest()[:24]


def is_racy(mtime_ns: int, looked_at_ns: int) -> bool:
    """Could the file have changed after the build looked at it without its time showing it?"""
    return mtime_ns >= looked_at_ns - RACY_NS


def read_state(path: Path | None) -> Any:
    """The payload saved at `path` by this version of showcase, or None."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = marshal.loads(handle.read())     # 10x faster than marshal.load(handle), which reads piecemeal
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(data) is not tuple or len(data) != 3 or data[0] != FORMAT or data[1] != code_version():
        return None
    return data[2]


def write_state(path: Path | None, payload: Any) -> None:
    """Save `payload` (plain values) at `path`, atomically; a cache that cannot be written only
    makes the next build slower."""
    if path is not None:
        write_atomically(path, lambda out: marshal.dump((FORMAT, code_version(), payload), out))


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Let `write` fill a temporary file beside `path`, then rename it over `path`: a reader
    sees the old file or the new one, never half of one. False (and no file left behind) when
    the disk refused, or `write` met a value it cannot store: for a cache, that only costs time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
        return True
    except (OSError, ValueError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
