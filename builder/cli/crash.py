"""What an exception that escapes a command tells the user, and the exit code it ends with.

Trouble in the user's surroundings is said in their language, with what was being done, the
file concerned and what to do about it, and ends with exit code 1 like a problem in their
files: no permission (PermissionError, a read-only disk), a full disk, any other file that cannot
be read or written (OSError), a file that is not UTF-8 (UnicodeDecodeError; the file is found in
the traceback when the exception does not name it). Anything else is a bug in showcase: said
plainly (内部错误 / internal error), the whole traceback written to <site>/.cache/logs/ (or the
temporary folder when that cannot be written), its path printed, exit code 2.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import Sequence

from builder import __version__
from builder.request import CACHE_DIR
from builder.cli.console import Console
from builder.cli.options import EXIT_INTERNAL, EXIT_PROBLEMS
from builder.i18n import Phrase

LOG_FOLDER = "logs"                                   # inside the site's .cache/
DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
NO_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}
FILE_VARIABLES = ("filename", "path", "source", "file")   # where a frame keeps the file it reads


def explain(exc: Exception, doing: str, root: Path | None, console: Console, argv: Sequence[str]) -> int:
    """Say what went wrong while doing `doing` (a doing_… code) and return the exit code."""
    if isinstance(exc, UnicodeDecodeError):
        path = file_in_traceback(exc.__traceback__)
        console.error("crash_not_utf8", doing=Phrase(doing), path=shown(path, root) if path else None)
        return EXIT_PROBLEMS
    if isinstance(exc, OSError):
        path = shown(exc.filename, root) if exc.filename not in (None, "") else None
        if isinstance(exc, PermissionError) or exc.errno in NO_PERMISSION:
            console.error("crash_permission", doing=Phrase(doing), path=path)
        elif exc.errno in DISK_FULL:
            console.error("crash_disk_full", doing=Phrase(doing), path=path)
        else:
            console.error("crash_os_error", doing=Phrase(doing), path=path, reason=exc.strerror or str(exc))
        return EXIT_PROBLEMS
    return report_bug(exc, doing, root, console, argv)


def report_bug(exc: BaseException, doing: str, root: Path | None, console: Console, argv: Sequence[str]) -> int:
    error = f"{type(exc).__name__}: {exc}"
    error = error if len(error) <= 200 else error[:199] + "…"
    log = write_log(exc, root, argv)
    if log is None:
        traceback.print_exception(exc, file=console.err)
        console.error("crash_internal_unlogged", doing=Phrase(doing), error=error)
    else:
        console.error("crash_internal", doing=Phrase(doing), error=error, log=str(log))
    return EXIT_INTERNAL


def write_log(exc: BaseException, root: Path | None, argv: Sequence[str],
              now: dt.datetime | None = None) -> Path | None:
    """The traceback and what was run, in a new file under <site>/.cache/logs/ (or the temporary
    folder); None if neither can be written."""
    now = now or dt.datetime.now()
    text = (f"showcase {__version__} failed at {now.isoformat(timespec='seconds')}\n"
            f"command: showcase {' '.join(argv)}\n"
            f"folder: {os.getcwd()}\n"
            f"python: {sys.version.split()[0]} on {platform.platform()}\n\n"
            + "".join(traceback.format_exception(exc)))
    folders = [Path(tempfile.gettempdir()) / "showcase-logs"]
    if root is not None and root.is_dir():
        folders.insert(0, root / CACHE_DIR / LOG_FOLDER)
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for number in range(1, 100):
                name = f"crash-{now:%Y%m%d-%H%M%S}" + (f"-{number}" if number > 1 else "") + ".log"
                try:
                    with open(folder / name, "x", encoding="utf-8", newline="\n") as file:
                        file.write(text)
                    return (folder / name).resolve()
                except FileExistsError:
                    continue
        except OSError:
            continue
    return None


def file_in_traceback(tb: TracebackType | None) -> str | None:
    """The file a UnicodeDecodeError was reading, which the exception does not say: the innermost
    frame that holds a file's name in a variable usually called so (jinja's loader: `filename`)."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for name in FILE_VARIABLES:
            value = frame.f_locals.get(name)
            if isinstance(value, (str, os.PathLike)) and os.path.isfile(value):
                return os.fspath(value)
        handle = frame.f_locals.get("f")
        if isinstance(getattr(handle, "name", None), str) and os.path.isfile(handle.name):
            return handle.name
    return None


def shown(filename: str | bytes | os.PathLike, root: Path | None) -> str:
    """A file as the user should look for it: relative to the site when it is inside it."""
    path = Path(os.fsdecode(filename))
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)
