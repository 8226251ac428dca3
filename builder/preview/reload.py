"""Reloading every open preview tab: the LiveReload protocol, behind one small interface.

The only module that knows how the browser is told to reload. It speaks the LiveReload
protocol (version 7: the client says hello, the server answers hello, the server later sends
`reload`) to the livereload.js client shipped with the `livereload` package. To swap the
mechanism (server-sent events, another client), reimplement these four members:

    hub = ReloadHub()
    hub.routes()           tornado routes to add to the preview's application, at the server root
    hub.snippet(build)     the HTML to put into every page served from build number `build`
    hub.reload(build)      from any thread: build number `build` is ready, reload every tab

A page carries the number of the build it came from. A tab that connects only after a newer
build finished (the page was served just before the build, its script connected just after)
is told to reload at once, so no edit is ever missed. livereload.js reports that number as
`snipver` in its hello message; we pass it in the script's address, where the client reads
its options.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from tornado import ioloop, web, websocket

PROTOCOL_7 = "http://livereload.com/protocols/official-7"
SCRIPT_PATH = "/livereload.js"      # livereload.js finds its host and port from this exact name
SOCKET_PATH = "/livereload"         # and always connects here


def client_script() -> bytes:
    import livereload
    return (Path(livereload.__file__).resolve().parent / "vendors" / "livereload.js").read_bytes()


class ReloadHub:
    def __init__(self) -> None:
        self._clients: set[_Socket] = set()
        self._lock = threading.Lock()
        self._build = 0
        self._loop: ioloop.IOLoop | None = None

    def routes(self) -> list[tuple[str, type, dict[str, Any]]]:
        return [(SOCKET_PATH, _Socket, {"hub": self}),
                (SCRIPT_PATH, _Script, {"body": client_script()})]

    def snippet(self, build: int) -> str:
        # Built in the page so that the address the browser used (127.0.0.1, a LAN address, a
        # forwarded port) is the one the socket connects to. Reconnects within a second or two
        # after the preview restarts.
        return ('<script>(function(){var s=document.createElement("script"),'
                'p=location.port||(location.protocol=="https:"?443:80);'
                f's.src="{SCRIPT_PATH}?port="+p+"&mindelay=250&maxdelay=2000&snipver={int(build)}";'
                'document.head.appendChild(s)})();</script>')

    def bind(self, loop: ioloop.IOLoop) -> None:
        """The IOLoop the sockets live on; reload() hands its work to it."""
        self._loop = loop

    def reload(self, build: int) -> None:
        with self._lock:
            self._build = max(self._build, build)
        if self._loop is not None:
            self._loop.add_callback(self._send_all)

    @property
    def clients(self) -> int:
        return len(self._clients)

    # --- on the IOLoop ---------------------------------------------------------------------

    def _send_all(self) -> None:
        for client in list(self._clients):
            client.send_reload()

    def _hello(self, client: "_Socket", page_build: int | None) -> None:
        self._clients.add(client)
        with self._lock:
            behind = page_build is not None and page_build < self._build
        if behind:
            client.send_reload()

    def _gone(self, client: "_Socket") -> None:
        self._clients.discard(client)


class _Socket(websocket.WebSocketHandler):
    def initialize(self, hub: ReloadHub) -> None:
        self.hub = hub

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict) or data.get("command") != "hello":
            return                         # 'info' (the page's address and plugins): nothing to do
        self._send({"command": "hello", "protocols": [PROTOCOL_7], "serverName": "showcase"})
        page_build = data.get("snipver")
        self.hub._hello(self, int(page_build) if isinstance(page_build, (int, float)) else None)

    def on_close(self) -> None:
        self.hub._gone(self)

    def send_reload(self) -> None:
        # path '*' is no file name, so the client reloads the whole page (fingerprinted CSS and
        # photo names change with their content, so a live CSS swap would find nothing to swap).
        self._send({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(json.dumps(message))
        except websocket.WebSocketClosedError:
            self.hub._gone(self)


class _Script(web.RequestHandler):
    def initialize(self, body: bytes) -> None:
        self.body = body

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(self.body)
