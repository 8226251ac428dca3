"""`showcase serve`: watch -> debounce -> build -> reload the browser.

The preview is built by build_site() like a published build (so what you see is what gets
published), with drafts and future cases shown and marked, into <site>/.cache/preview/ so the
output folder never gets drafts. It is served under the same path prefix base_url gives
(/showcase/cases/x/ for https://x.gov.cn/showcase/), so subpath links are exercised too.

Requests wait while a build runs: from the moment a change is seen until the build is
finished, every page request is held, so a page is never half-built or stale. A build that
fails keeps the server up: every page then shows the list of problems (errorpage.py) until a
build succeeds, and every open tab reloads after each build (reload.py).

Prints nothing: what happens is reported as events to a callback; cli.py words them.
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import mimetypes
import socket
import threading
import time
import traceback
import webbrowser
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote

from tornado import httpserver, ioloop, netutil, web

from builder.build import CACHE_DIR, BuildOptions, BuildResult, Session, build_site
from builder.errorpage import error_page
from builder.errors import BuildError, Problem
from builder.reload import ReloadHub
from builder.theme import packaged_themes_dir
from builder.watch import Changes, Watcher

PREVIEW_DIR = "preview"                       # inside .cache/
WATCHED = ("site.yaml", "content", "themes", "templates", "static")


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True               # drafts and future cases too, marked; False: as published
    lang: str = "zh"                  # of the error page
    open_browser: bool = False
    interval: float = 0.1             # seconds between scans for changes
    settle: float = 0.1               # a change counts once the sources are quiet this long


# --- events: what cli.py tells the user ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Listening:
    url: str
    public: bool                      # reachable from other machines on the network
    network_urls: tuple[str, ...] = ()   # the addresses a colleague's phone would use


@dataclass(frozen=True, slots=True)
class Rebuilding:
    paths: tuple[str, ...]            # site-relative, '/'-separated


@dataclass(frozen=True, slots=True)
class Rebuilt:
    result: BuildResult
    first: bool
    reloaded: bool                    # False when nothing in the output changed


@dataclass(frozen=True, slots=True)
class BuildFailed:
    problems: tuple[Problem, ...]
    first: bool


@dataclass(frozen=True, slots=True)
class Crashed:
    detail: str                       # the traceback


class PortUnavailable(Exception):
    def __init__(self, host: str, port: int, free: int | None, in_use: bool, reason: str):
        self.host, self.port, self.free, self.in_use, self.reason = host, port, free, in_use, reason
        super().__init__(f"cannot listen on {host}:{port}: {reason}")


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

    def __init__(self, out_dir: Path, lang: str, snippet: Callable[[int], str], first_number: int | None = None):
        self.out_dir = out_dir
        self.lang = lang
        self._snippet = snippet
        self._cond = threading.Condition()
        self._busy = True                         # until the first build is done
        self._closed = False
        # Build numbers start from the clock, so a tab still open from an earlier run of the
        # preview carries a smaller number and reloads as soon as it reconnects to this one.
        self._build = int(time.time() * 1000) if first_number is None else first_number
        self._problems: tuple[Problem, ...] = ()
        self._prefix = "/"

    @property
    def prefix(self) -> str:
        return self._prefix

    def hold(self) -> None:
        with self._cond:
            self._busy = True

    def publish(self, problems: tuple[Problem, ...], prefix: str | None, changed: bool) -> int | None:
        """Let requests through again. Returns the new build number when pages change (so open
        tabs should reload), None when the output is what it was."""
        with self._cond:
            self._busy = False
            number = None
            if changed or problems != self._problems:
                self._build += 1
                number = self._build
            self._problems = problems
            self._prefix = prefix or self._prefix
            self._cond.notify_all()
            return number

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def respond(self, raw_path: str) -> Response:
        with self._cond:
            self._cond.wait_for(lambda: not self._busy or self._closed)
            if self._closed:
                return Response(503, b"", (("Retry-After", "1"),))
            return self._respond(raw_path)

    def _respond(self, raw_path: str) -> Response:
        target = resolve_path(raw_path, self._prefix)
        if target.kind == "redirect":
            return Response(302, b"", (("Location", target.location),))
        if target.kind != "file":
            return self._not_found()
        if self._problems and wants_html(target.rel):
            body = error_page(self._problems, self.lang).encode("utf-8")
            return self._page(500, body)
        path = self.out_dir / target.rel
        if path.is_dir():
            return Response(302, b"", (("Location", quote(self._prefix + target.rel.rstrip("/") + "/")),))
        try:
            if not path.resolve().is_relative_to(self.out_dir.resolve()):
                return self._not_found()
            data = path.read_bytes()
        except OSError:
            return self._not_found()
        kind = content_type(target.rel)
        if kind.startswith("text/html"):
            return self._page(200, data)
        return Response(200, data, (("Content-Type", kind), ("Cache-Control", "no-cache")))

    def _page(self, status: int, body: bytes) -> Response:
        return Response(status, inject(body, self._snippet(self._build)),
                        (("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")))

    def _not_found(self) -> Response:
        # The site's own 404 page, with the reload script: an address that does not exist yet
        # (a case being added) turns into the page once it is built.
        try:
            return self._page(404, (self.out_dir / "404.html").read_bytes())
        except OSError:
            body = (f'<!doctype html><meta charset="utf-8"><title>404</title><body>'
                    f'<p>404 <a href="{quote(self._prefix)}">{quote(self._prefix)}</a></p></body>')
            return self._page(404, body.encode("utf-8"))


# --- building ------------------------------------------------------------------------------------

@dataclass
class Builder:
    """Runs build_site for the preview and publishes each result. Lives on one thread."""
    root: Path
    options: BuildOptions
    preview: Preview
    hub: ReloadHub
    report: Callable[[object], None]
    builds: int = field(default=0)
    session: Session = field(default_factory=Session)     # compiled templates, kept between builds

    def build(self, changes: Changes | None = None) -> None:
        first = self.builds == 0
        self.builds += 1
        self.preview.hold()
        if changes:
            self._tell(Rebuilding(tuple(_shown(self.root, p) for p in changes.paths())))
        try:
            result = build_site(self.root, self.options, self.session)
        except BuildError as exc:
            number = self.preview.publish(exc.problems, None, changed=True)
            self._tell(BuildFailed(exc.problems, first))
        except Exception as exc:  # noqa: BLE001 - a bug must not take the preview down
            problem = Problem("", None, "internal_error", {"detail": f"{type(exc).__name__}: {exc}"})
            number = self.preview.publish((problem,), None, changed=True)
            self._tell(Crashed(traceback.format_exc()))
        else:
            stats = result.stats
            changed = first or stats is None or bool(stats.written or stats.removed)
            number = self.preview.publish((), result.model.site.base_path, changed)
            self._tell(Rebuilt(result, first, reloaded=number is not None))
        if number is not None:
            self.hub.reload(number)

    def _tell(self, event: object) -> None:
        try:
            self.report(event)
        except Exception:  # noqa: BLE001 - a terminal that went away must not stop the preview
            pass

    def watched(self) -> list[Path]:
        return [self.root / name for name in WATCHED] + [packaged_themes_dir()]

    def work(self, stop: threading.Event, interval: float, settle: float) -> None:
        watcher = Watcher(self.watched, on_settled=self.build, on_change=lambda changes: self.preview.hold(),
                          interval=interval, settle=settle)
        watcher.prime()
        self.build()
        watcher.run(stop)


def _shown(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def preview_options(root: Path, drafts: bool = True) -> BuildOptions:
    return BuildOptions(output=root / CACHE_DIR / PREVIEW_DIR, preview=drafts, drafts=drafts, future=drafts)


# --- the server ----------------------------------------------------------------------------------

class _Page(web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, preview: Preview, pool: ThreadPoolExecutor, bind_host: str) -> None:
        self.preview, self.pool, self.bind_host = preview, pool, bind_host

    async def get(self) -> None:
        if not allowed_host(self.request.host, self.bind_host):
            response = Response(403, b"Forbidden: open the preview at 127.0.0.1 or localhost.\n",
                                (("Content-Type", "text/plain; charset=utf-8"),))
        else:
            # Waiting for a build happens on a worker thread, never on the event loop, which
            # keeps answering the reload sockets meanwhile.
            response = await ioloop.IOLoop.current().run_in_executor(self.pool, self.preview.respond, self.request.path)
        self.set_status(response.status)
        for name, value in response.headers:
            self.set_header(name, value)
        if self.request.method == "HEAD":
            self.set_header("Content-Length", str(len(response.body)))
            self.finish()
        else:
            self.finish(response.body)

    async def head(self) -> None:
        await self.get()


def serve(root: Path, options: ServeOptions, report: Callable[[object], None]) -> None:
    """Serve the preview until Ctrl-C. Raises PortUnavailable when the port is taken."""
    root = root.resolve()
    build_options = preview_options(root, options.drafts)
    hub = ReloadHub()
    preview = Preview(build_options.output, options.lang, hub.snippet)
    builder = Builder(root, build_options, preview, hub, report)
    try:
        # Bound before anything starts, so a taken port is reported at once.
        sockets = netutil.bind_sockets(options.port, address=options.host)
    except OSError as exc:
        raise PortUnavailable(options.host, options.port, next_free_port(options.host, options.port),
                              is_port_in_use(exc), exc.strerror or str(exc)) from None
    try:
        asyncio.run(_run(builder, options, sockets, report))
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()


async def _run(builder: Builder, options: ServeOptions, sockets: list[socket.socket],
               report: Callable[[object], None]) -> None:
    preview, hub = builder.preview, builder.hub
    pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="showcase-request")
    app = web.Application(hub.routes() + [(r"/.*", _Page, {"preview": preview, "pool": pool, "bind_host": options.host})],
                          log_function=lambda handler: None)
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    hub.bind(ioloop.IOLoop.current())
    stop = threading.Event()
    worker = threading.Thread(target=builder.work, args=(stop, options.interval, options.settle),
                              name="showcase-build", daemon=True)
    worker.start()
    url = server_url(options.host, options.port, _configured_prefix(builder.root))
    everywhere = options.host in ("0.0.0.0", "::", "")
    others = tuple(server_url(a, options.port, _configured_prefix(builder.root)) for a in network_addresses()) if everywhere else ()
    report(Listening(url, public=not is_loopback(options.host), network_urls=others))
    if options.open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        while True:                   # short sleeps: Ctrl-C is noticed promptly on Windows too
            await asyncio.sleep(0.5)
    finally:
        stop.set()
        preview.close()
        server.stop()
        pool.shutdown(wait=False, cancel_futures=True)


def _configured_prefix(root: Path) -> str:
    """base_url's path, read before the first build so the address can be printed at once."""
    from builder.config import load_config
    site, _ = load_config(root)
    return site.base_path


def server_url(host: str, port: int, prefix: str = "/") -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{quote(prefix)}"


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses on the local network, best guess, for the message."""
    found: set[str] = set()
    try:
        found.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    try:
        # The address the default route would use. A UDP "connect" sends nothing.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback and a != "0.0.0.0")


def next_free_port(host: str, port: int, tries: int = 100) -> int | None:
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if port_is_free(host, candidate):
            return candidate
    return None


def port_is_free(host: str, port: int) -> bool:
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError:
        return False
    for family, kind, proto, _, address in infos[:1]:
        with socket.socket(family, kind, proto) as probe:
            try:
                probe.bind(address)
            except OSError:
                return False
    return True


def is_port_in_use(exc: OSError) -> bool:
    return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", 10048))
