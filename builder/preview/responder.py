"""What the preview server answers: request paths to files of the preview folder, held while
a build runs, the error page while the sources have problems.

While a build runs, the pages of the edited sources can be shown before the rest is done
(show_first): they are rendered from the whole new model, the same bytes the build writes a
moment later, and served from memory; every other request keeps waiting for the build. If the
build then fails, publish() withdraws them and the next request gets the error page.

No network here: `Preview.respond(path)` maps a request path, as sent, to a Response, so all of
it is tested without a server. serve.py puts it behind HTTP.
"""
from __future__ import annotations

import ipaddress
import mimetypes
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import quote, unquote

from builder.preview.errorpage import error_page
from builder.errors import Problem


# --- turning a request path into a file ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Target:
    kind: str                         # 'file' | 'redirect' | 'outside' (the prefix) | 'refused'
    rel: str = ""                     # 'file': '/'-separated path inside the preview folder
    location: str = ""                # 'redirect'


_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def resolve_path(raw: str, prefix: str) -> Target:
    """The file a request path names, or why there is none. `raw` is the path as sent, still
    percent-encoded; `prefix` is the site's base path ('/' or '/showcase/').

    Anything that could leave the folder is refused before the disk is touched: '..' and '.'
    segments (also percent-encoded), backslashes (a separator on Windows), empty segments
    ('//etc/passwd' would join as an absolute path), drive letters and streams (':'), NUL, and
    the names Windows reserves for devices. Decoding happens once: '%252e' stays '%2e'."""
    if "\\" in raw or "%5c" in raw.lower() or "\x00" in raw:
        return Target("refused")
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return Target("refused")
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return Target("refused")
    prefix = unquote(prefix)
    if path + "/" == prefix:
        return Target("redirect", location=quote(prefix))
    if not path.startswith(prefix):
        return Target("redirect", location=quote(prefix)) if path == "/" else Target("outside")
    parts = path[len(prefix):].split("/")
    for index, part in enumerate(parts):
        if part == "" and index < len(parts) - 1:
            return Target("refused")
        if part in (".", "..") or ":" in part or part.split(".")[0].lower() in _DEVICES:
            return Target("refused")
    rel = "/".join(parts)
    return Target("file", rel=rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def allowed_host(host_header: str, bind_host: str) -> bool:
    """While the preview listens on this computer only, a request must also name this computer.
    Otherwise a web page elsewhere could point its own domain at 127.0.0.1 ("DNS rebinding")
    and read the preview, drafts included. Listening on the network (--host 0.0.0.0), any
    name goes: the user chose to be reachable."""
    if not is_loopback(bind_host):
        return True
    name = host_header.strip().lower()
    name = name[1:].split("]", 1)[0] if name.startswith("[") else name.rsplit(":", 1)[0]
    return name == "localhost" or name.endswith(".localhost") or is_loopback(name)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def wants_html(rel: str) -> bool:
    """Pages, as opposed to pictures, styles and scripts (which keep coming from the last good
    build while there are problems)."""
    name = rel.rsplit("/", 1)[-1]
    return name.endswith((".html", ".htm")) or "." not in name


_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
          ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
          ".webp": "image/webp", ".avif": "image/avif", ".gif": "image/gif", ".ico": "image/x-icon",
          ".woff2": "font/woff2", ".pdf": "application/pdf"}


def content_type(rel: str) -> str:
    suffix = "." + rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    return _TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


def inject(page: bytes, snippet: str) -> bytes:
    """The reload script, just before </body> (or at the end of a page without one)."""
    data = snippet.encode("utf-8")
    at = page.rfind(b"</body>")
    if at < 0:
        at = page.rfind(b"</html>")
    return page + data if at < 0 else page[:at] + data + page[at:]


# --- the state the requests read -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class Preview:
    """The preview folder and what the last build said about it. Requests wait here while a
    build runs; a build holds it (hold), writes, then makes its result visible (publish)."""

    def __init__(self, out_dir: Path, lang: str, snippet: Callable[[int], str], first_number: int | None = None,
                 extra: Callable[[str], str] | None = None):
        self.out_dir = out_dir
        self.lang = lang
        self._snippet = snippet
        self._extra = extra                       # (page's output path) -> HTML to add (the desk's 编辑 link)
        self._cond = threading.Condition()
        self._busy = True                         # until the first build is done
        self._closed = False
        # Build numbers start from the clock, so a tab still open from an earlier run of the
        # preview carries a smaller number and reloads as soon as it reconnects to this one.
        self._build = int(time.time() * 1000) if first_number is None else first_number
        self._problems: tuple[Problem, ...] = ()
        self._prefix = "/"
        self._first: tuple[Mapping[str, bytes | Path], str] | None = None   # (files, prefix) shown early

    @property
    def prefix(self) -> str:
        return self._prefix

    def hold(self) -> None:
        with self._cond:
            self._busy = True

    def show_first(self, files: Mapping[str, bytes | Path], prefix: str) -> int:
        """While a build runs: answer requests for `files` (output path -> bytes, or a file to
        read) at once, under the build's `prefix`; every other request keeps waiting. Returns
        the new build number: open tabs should reload now (what they ask for is ready or will
        wait for the build). publish() withdraws the files."""
        with self._cond:
            self._first = (files, prefix)
            self._build += 1
            self._cond.notify_all()
            return self._build

    def publish(self, problems: tuple[Problem, ...], prefix: str | None, changed: bool) -> int | None:
        """Let requests through again. Returns the new build number when pages change (so open
        tabs should reload), None when the output is what it was. After show_first, the tabs
        have reloaded already: `changed` then says whether the build's output differs from
        what was shown, and problems always count (the shown pages are withdrawn)."""
        with self._cond:
            self._busy = False
            number = None
            shown, self._first = self._first is not None, None
            if changed or (problems != self._problems if not shown else bool(problems)):
                self._build += 1
                number = self._build
            self._problems = problems
            self._prefix = prefix or self._prefix
            self._cond.notify_all()
            return number

    def release(self) -> None:
        """Let requests through again when there was nothing to build after all."""
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def respond(self, raw_path: str) -> Response:
        with self._cond:
            self._cond.wait_for(lambda: not self._busy or self._closed or self._shown(raw_path) is not None)
            if self._closed:
                return Response(503, b"", (("Retry-After", "1"),))
            if self._busy:
                return self._respond_shown(self._shown(raw_path))
            return self._respond(raw_path)

    def _shown(self, raw_path: str) -> str | None:
        """The file shown early (show_first) that `raw_path` asks for, if any."""
        if self._first is None:
            return None
        files, prefix = self._first
        target = resolve_path(raw_path, prefix)
        return target.rel if target.kind == "file" and target.rel in files else None

    def _respond_shown(self, rel: str) -> Response:
        data = self._first[0][rel]
        if not isinstance(data, bytes):
            try:
                data = data.read_bytes()
            except OSError:
                return self._not_found()
        return self._file(rel, data)

    def _respond(self, raw_path: str) -> Response:
        target = resolve_path(raw_path, self._prefix)
        if target.kind == "redirect":
            return Response(302, b"", (("Location", target.location),))
        if target.kind != "file":
            return self._not_found()
        if self._problems and wants_html(target.rel):
            body = error_page(self._problems, self.lang).encode("utf-8")
            return self._page(500, body, "")
        path = self.out_dir / target.rel
        if path.is_dir():
            return Response(302, b"", (("Location", quote(self._prefix + target.rel.rstrip("/") + "/")),))
        try:
            if not path.resolve().is_relative_to(self.out_dir.resolve()):
                return self._not_found()
            data = path.read_bytes()
        except OSError:
            return self._not_found()
        return self._file(target.rel, data)

    def _file(self, rel: str, data: bytes) -> Response:
        kind = content_type(rel)
        if kind.startswith("text/html"):
            return self._page(200, data, rel)
        return Response(200, data, (("Content-Type", kind), ("Cache-Control", "no-cache")))

    def _page(self, status: int, body: bytes, rel: str) -> Response:
        added = self._snippet(self._build) + (self._extra(rel) if self._extra is not None else "")
        return Response(status, inject(body, added),
                        (("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")))

    def _not_found(self) -> Response:
        # The site's own 404 page, with the reload script: an address that does not exist yet
        # (a case being added) turns into the page once it is built.
        try:
            return self._page(404, (self.out_dir / "404.html").read_bytes(), "")
        except OSError:
            body = (f'<!doctype html><meta charset="utf-8"><title>404</title><body>'
                    f'<p>404 <a href="{quote(self._prefix)}">{quote(self._prefix)}</a></p></body>')
            return self._page(404, body.encode("utf-8"), "")
