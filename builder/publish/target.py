"""What every kind of target does, and how its failures are said.

A target stores files under one root: read one, write one (whole: under a temporary name, then
renamed, where the protocol allows), delete one. Each kind says which of its errors are passing
network trouble, worth a retry after a reconnection, and turns the others into a Problem that
names the target, the file, and what to check.
"""
from __future__ import annotations

import errno
import mimetypes
import re
import socket
from pathlib import Path

from builder.config import secret_variables
from builder.errors import Problem
from builder.i18n import Phrase
from builder.model import PublishTarget


class PublishFailed(Exception):
    """A publish stopped, for the reason its problem says."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


class Target:
    """A place to publish to. Paths are '/'-separated and relative to the target's root."""

    parallel = 1                    # files sent at once (S3 answers each request slowly, but many at a time)

    def __init__(self, settings: PublishTarget):
        self.settings = settings

    @property
    def label(self) -> str:
        """The target as messages name it: 'sftp://user@host:port/folder'."""
        raise NotImplementedError

    def connect(self) -> None:
        """Open the connection and check the root folder is there. Called again after a failure."""

    def close(self) -> None:
        """Close the connection; never raises."""

    def read(self, rel: str) -> bytes | None:
        """The file at `rel`, or None when there is none."""
        raise NotImplementedError

    def write(self, rel: str, source: Path | bytes, temp: str) -> None:
        """Put `source` at `rel` whole: first as TEMP_DIR/`temp`, then renamed over `rel`."""
        raise NotImplementedError

    def delete(self, rel: str) -> None:
        """Remove the file at `rel`; one that is not there is fine."""
        raise NotImplementedError

    def remove_empty_folders(self, folders: list[str]) -> None:
        """Remove those of `folders` (deepest first) that are empty now; best effort."""

    def clean_temp(self, token: str) -> None:
        """Remove the temporary files an unfinished publish with `token` left."""

    def transient(self, exc: BaseException) -> bool:
        """Whether `exc` is network trouble that a reconnection and a retry may get past."""
        return False

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        """The problem to show for `exc`, met while working on `rel` (None: while connecting)."""
        return problem("publish_refused", self, rel, detail=str(exc) or type(exc).__name__)


def problem(code: str, target: Target, rel: str | None = None, **params: object) -> Problem:
    """A publish problem: it names the target and, when there is one, the file."""
    return Problem("", None, code, {"target": target.settings.name, "where": target.label, "file": rel,
                                    "variables": secret_variables(target.settings), **params})


def local_problem(exc: OSError, target: Target, rel: str | None) -> Problem:
    """A refusal of this computer's disk (a folder or zip target): full, read-only, or else."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return problem("publish_disk_full", target, rel)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return problem("publish_no_permission", target, rel)
    return problem("publish_refused", target, rel, detail=exc.strerror or str(exc))


TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json",
         ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
         ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
         ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".pdf": "application/pdf"}


# A name the build fingerprinted by its content (theme files and photo renditions:
# style.59b517add2.css, photo-1-480w.ae06bebb54.webp): the same name always holds the same bytes.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")
KEEP_A_YEAR = "public, max-age=31536000, immutable"
ASK_EACH_TIME = "no-cache"


def cache_control(rel: str) -> str:
    """How browsers may keep the file (object stores are told it; a web server decides for
    itself). A fingerprinted file for a year, without asking again; every other file (pages, the
    search index, feeds, photos under their own names) is asked for again each time, which costs
    a short "not modified" answer when it is unchanged, so that a correction is seen at once."""
    return KEEP_A_YEAR if FINGERPRINTED.search(rel) else ASK_EACH_TIME


def content_type(rel: str) -> str:
    """The Content-Type a web server would send for the file (object stores are told it)."""
    suffix = Path(rel).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


def network_problem(exc: BaseException, target: Target, rel: str | None) -> Problem | None:
    """The problem for a failure to reach the server at all, or None when `exc` is not one."""
    if isinstance(exc, socket.gaierror):
        return problem("publish_unknown_host", target, rel, host=target.settings.host)
    if isinstance(exc, ConnectionRefusedError):
        return problem("publish_unreachable", target, rel, reason=Phrase("publish_refused_connection"))
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return problem("publish_unreachable", target, rel, reason=Phrase("publish_timed_out"))
    if isinstance(exc, (ConnectionError, EOFError)):
        return problem("publish_connection_lost", target, rel)
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
        return problem("publish_unreachable", target, rel, reason=Phrase("publish_no_route"))
    return None


NETWORK_ERRORS = (ConnectionError, TimeoutError, socket.timeout, EOFError)
