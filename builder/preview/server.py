"""`showcase serve`: watch -> debounce -> build -> reload the browser.

The preview is built by build_site() like a published build (so what you see is what gets
published), with drafts and future cases shown and marked, into <site>/.cache/preview/ so the
output folder never gets drafts. It is served under the same path prefix base_url gives
(/showcase/cases/x/ for https://x.gov.cn/showcase/), so subpath links are exercised too.

Requests wait while a build runs: from the moment a change is seen until the build is
finished, every page request is held, so a page is never half-built or stale (responder.py).
The one exception is made for speed: the pages of the files just edited are rendered first,
from the whole new model, and served as soon as they are ready (the tabs reload then), while
the rest of the build goes on and every other request keeps waiting for it. A build that fails
keeps the server up: every page then shows the list of problems (errorpage.py) until a build
succeeds, also a page shown early, and every open tab reloads after each build (reload.py).

Prints nothing: what happens is reported as events to a callback; builder/cli words them.
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
import threading
import traceback
import webbrowser
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol
from urllib.parse import quote

from tornado import httpserver, ioloop, netutil, web

from builder import i18n
from builder.build import CACHE_DIR, BuildOptions, BuildResult, FirstPages, Session, ShowFirst, build_site
from builder.config import load_config
from builder.errors import BuildError, Problem
from builder.preview.responder import Preview, Response, allowed_host, is_loopback
from builder.preview.reload import ReloadHub
from builder.render.theme import packaged_themes_dir
from builder.preview.watch import Changes, Watcher

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
    # An editor writes a saved file in one go; if it writes in steps after all, the scan after
    # this wait sees the file change again and the full `settle` applies.
    settle_one: float = 0.01          # the same for a change of one file only (a save in an editor)


# --- events: what builder/cli tells the user -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Listening:
    url: str
    public: bool                      # reachable from other machines on the network
    network_urls: tuple[str, ...] = ()   # the addresses a colleague's phone would use
    desk_url: str | None = None       # the editing desk, when it is on
    access_code: str | None = None    # asked by the desk on the network


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
    on_built: Callable[[object], None] | None = None      # told each good build's model (the desk)

    def build(self, changes: Changes | None = None) -> None:
        if changes is not None and not changes:
            self.preview.release()          # saved without a change: every page is what it was
            return
        first = self.builds == 0
        self.builds += 1
        self.preview.hold()
        if changes:
            self._tell(Rebuilding(tuple(_shown(self.root, p) for p in changes.paths())))
        shown: dict[str, bytes] = {}            # pages served before the build was done
        early = ShowFirst(changes.paths(), lambda pages: self._show_first(pages, shown)) if changes else None
        try:
            result = build_site(self.root, self.options, self.session, early)
        except BuildError as exc:
            number = self.preview.publish(exc.problems, None, changed=True)
            self._tell(BuildFailed(exc.problems, first))
        except Exception as exc:  # noqa: BLE001 - a bug must not take the preview down
            problem = Problem("", None, "internal_error", {"detail": f"{type(exc).__name__}: {exc}"})
            number = self.preview.publish((problem,), None, changed=True)
            self._tell(Crashed(traceback.format_exc()))
        else:
            if self.on_built is not None:
                try:
                    self.on_built(result.model)
                except Exception:  # noqa: BLE001 - the desk's bookkeeping must not stop the preview
                    self._tell(Crashed(traceback.format_exc()))
            stats = result.stats
            if shown:
                # The tabs reloaded when those pages were shown. They are the build's own pages,
                # so this is False unless something is badly wrong; then the tabs reload again.
                changed = any(_bytes_of(result.outputs.get(path)) != page for path, page in shown.items())
            else:
                changed = first or stats is None or bool(stats.written or stats.removed)
            number = self.preview.publish((), result.model.site.base_path, changed)
            self._tell(Rebuilt(result, first, reloaded=number is not None or bool(shown)))
        if number is not None:
            self.hub.reload(number)

    def _show_first(self, pages: FirstPages, shown: dict[str, bytes]) -> None:
        """Serve the edited files' pages now and reload the tabs, unless those pages are the
        ones being served already (the edit changed something else)."""
        if all(_same_bytes(self.preview.out_dir / path, page) for path, page in pages.pages.items()):
            return
        number = self.preview.show_first(pages.files, pages.prefix)
        shown.update(pages.pages)
        self.hub.reload(number)

    def _tell(self, event: object) -> None:
        try:
            self.report(event)
        except Exception:  # noqa: BLE001 - a terminal that went away must not stop the preview
            pass

    def watched(self) -> list[Path]:
        return [self.root / name for name in WATCHED] + [packaged_themes_dir()]

    def work(self, stop: threading.Event, interval: float, settle: float, settle_one: float | None = None) -> None:
        watcher = Watcher(self.watched, on_settled=self.build, on_change=lambda changes: self.preview.hold(),
                          interval=interval, settle=settle, settle_one=settle_one)
        watcher.prime()
        self.build()
        watcher.confirm()
        watcher.run(stop)


def _bytes_of(output: bytes | Path | None) -> bytes | None:
    """An output's bytes: a page kept from the last build is given as its file."""
    if output is None or isinstance(output, bytes):
        return output
    try:
        return output.read_bytes()
    except OSError:
        return None


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


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
            response = Response(403, (i18n.text("preview_forbidden", self.preview.lang) + "\n").encode("utf-8"),
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


class Addon(Protocol):
    """What the preview mounts beside itself (the editing desk, builder/desk/): handlers for its
    own addresses, HTML added to each previewed page, and each good build's model."""
    access_code: str | None

    def routes(self) -> list[tuple]: ...
    def page_extra(self, rel: str) -> str: ...
    def built(self, model: object) -> None: ...
    def close(self) -> None: ...


def serve(root: Path, options: ServeOptions, report: Callable[[object], None], addon: Addon | None = None) -> None:
    """Serve the preview (and `addon`, the desk) until Ctrl-C. Raises PortUnavailable when the port is taken."""
    root = root.resolve()
    build_options = preview_options(root, options.drafts)
    hub = ReloadHub()
    preview = Preview(build_options.output, options.lang, hub.snippet, extra=addon.page_extra if addon else None)
    builder = Builder(root, build_options, preview, hub, report, on_built=addon.built if addon else None)
    try:
        # Bound before anything starts, so a taken port is reported at once.
        sockets = netutil.bind_sockets(options.port, address=options.host)
    except OSError as exc:
        raise PortUnavailable(options.host, options.port, next_free_port(options.host, options.port),
                              is_port_in_use(exc), exc.strerror or str(exc)) from None
    try:
        asyncio.run(_run(builder, options, sockets, report, addon))
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()
        if addon is not None:
            addon.close()


async def _run(builder: Builder, options: ServeOptions, sockets: list[socket.socket],
               report: Callable[[object], None], addon: Addon | None = None) -> None:
    preview, hub = builder.preview, builder.hub
    pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="showcase-request")
    app = web.Application(hub.routes() + (addon.routes() if addon else [])
                          + [(r"/.*", _Page, {"preview": preview, "pool": pool, "bind_host": options.host})],
                          log_function=lambda handler: None)
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    hub.bind(ioloop.IOLoop.current())
    stop = threading.Event()
    worker = threading.Thread(target=builder.work, args=(stop, options.interval, options.settle, options.settle_one),
                              name="showcase-build", daemon=True)
    worker.start()
    port, prefix = sockets[0].getsockname()[1], _configured_prefix(builder.root)     # port: --port 0 picks one
    url = server_url(options.host, port, prefix)
    everywhere = options.host in ("0.0.0.0", "::", "")
    others = tuple(server_url(a, port, prefix) for a in network_addresses()) if everywhere else ()
    desk = server_url(options.host, port, "/_edit/") if addon else None
    report(Listening(url, public=not is_loopback(options.host), network_urls=others, desk_url=desk,
                     access_code=addon.access_code if addon else None))
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
