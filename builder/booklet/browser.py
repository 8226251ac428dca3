"""The PDF engine: a Chromium-family browser already on the computer (Edge or Chrome on Windows,
chromium or Chrome on Linux), run headless and asked to print over the DevTools protocol.

Why a browser and not WeasyPrint: every Windows PC has Edge, while WeasyPrint needs Pango and a
GTK runtime there; the browser also lays out Chinese text with the fonts the office already has.
Why our own 150 lines of the protocol and not Playwright: Playwright is 40-odd MB with a Node.js
runtime of its own, for the four commands we send (open a tab, load a file, wait for fonts and
photos, Page.printToPDF); `websockets` (pure Python, no dependencies) carries them.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

# Where the browsers install themselves, in the order we prefer them.
_EDGE = ("Microsoft", "Edge", "Application", "msedge.exe")
_CHROME = ("Google", "Chrome", "Application", "chrome.exe")
_CHROMIUM = ("Chromium", "Application", "chrome.exe")
_WINDOWS = (("PROGRAMFILES(X86)", _EDGE), ("PROGRAMFILES", _EDGE), ("PROGRAMFILES", _CHROME),
            ("PROGRAMFILES(X86)", _CHROME), ("LOCALAPPDATA", _CHROME), ("LOCALAPPDATA", _EDGE),
            ("PROGRAMFILES", _CHROMIUM), ("LOCALAPPDATA", _CHROMIUM))
_MAC = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Chromium.app/Contents/MacOS/Chromium")
_LINUX = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
          "microsoft-edge-stable")
ENV_VAR = "SHOWCASE_BROWSER"
START_TIMEOUT = 30.0


class BrowserError(Exception):
    """The browser could not be started or did not print. `reason` is a message code of the
    catalogue (booklet_browser_*), `detail` what the browser or the system said."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


def find_browser(explicit: str | None = None, environ: Mapping[str, str] | None = None,
                 platform: str | None = None) -> Path | None:
    """The browser to print with: `explicit` (--browser), else $SHOWCASE_BROWSER, else the
    first one installed in a usual place. None when there is none."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    chosen = explicit or environ.get(ENV_VAR)
    if chosen:
        path = Path(chosen)
        found = path if path.is_file() else shutil.which(chosen)
        return Path(found) if found else None
    for candidate in candidates(environ, platform):
        if candidate.is_file():
            return candidate
    if not platform.startswith(("win", "darwin")):
        for name in _LINUX:
            found = shutil.which(name)
            if found:
                return Path(found)
    return None


def candidates(environ: Mapping[str, str], platform: str) -> list[Path]:
    """The install paths looked at on this kind of computer (PATH is searched too on Linux)."""
    if platform.startswith("win"):
        return [Path(environ[var]).joinpath(*parts) for var, parts in _WINDOWS if environ.get(var)]
    if platform == "darwin":
        return [Path(p) for p in _MAC]
    return []


@dataclass(frozen=True, slots=True)
class PrintOptions:
    header: str = ""                 # HTML of the running header ('' for none)
    footer: str = ""                 # HTML of the footer, <span class="pageNumber"></span> for the number
    outline: bool = True             # PDF bookmarks from the page's headings (Chromium 126 and later)


class Browser:
    """A headless browser for one booklet: `with Browser(path) as b: pdf = b.print_pdf(url)`."""

    def __init__(self, executable: Path, timeout: float = 180.0):
        self.executable, self.timeout = executable, timeout
        self._proc: subprocess.Popen | None = None
        self._profile: str | None = None
        self._ws: Any = None
        self._stack = contextlib.ExitStack()
        self._next_id = 0
        self._events: list[dict] = []

    def __enter__(self) -> "Browser":
        self._profile = tempfile.mkdtemp(prefix="showcase-browser-")
        args = [str(self.executable), "--headless=new", "--remote-debugging-port=0",
                f"--user-data-dir={self._profile}", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--mute-audio",
                "--allow-file-access-from-files", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")      # Chromium refuses to run as root with its sandbox
        try:
            self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
        except OSError as exc:
            self._cleanup()
            raise BrowserError("booklet_browser_start", exc.strerror or str(exc)) from None
        try:
            self._connect()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _connect(self) -> None:
        from websockets.sync.client import connect
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if port_file.is_file():
                lines = port_file.read_text(encoding="utf-8", errors="replace").split()
                if len(lines) >= 2:
                    break
            if self._proc.poll() is not None:
                raise BrowserError("booklet_browser_start", f"exit code {self._proc.returncode}")
            if time.monotonic() > deadline:
                raise BrowserError("booklet_browser_start", "no DevTools port")
            time.sleep(0.05)
        url = f"ws://127.0.0.1:{int(lines[0])}{lines[1]}"
        # proxy=None: an office PC's proxy setting must not carry a connection to this computer.
        self._ws = self._stack.enter_context(connect(url, max_size=None, proxy=None, open_timeout=START_TIMEOUT,
                                                     ping_interval=None, compression=None))

    def __exit__(self, *exc: object) -> None:
        if self._ws is not None:
            try:
                self._send("Browser.close")
            except Exception:  # noqa: BLE001 - closing: the process is ended below either way
                pass
            try:
                self._stack.close()
            except Exception:  # noqa: BLE001 - the browser closed the connection first
                pass
            self._ws = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
            self._proc = None
        self._cleanup()

    def _cleanup(self) -> None:
        if self._profile:
            for _ in range(20):          # Windows keeps the profile's files locked for a moment
                shutil.rmtree(self._profile, ignore_errors=True)
                if not os.path.exists(self._profile):
                    break
                time.sleep(0.1)
            self._profile = None

    # --- the protocol ------------------------------------------------------------------------

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError("booklet_browser_failed", f"{method}: {reply['error'].get('message', '')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def _receive(self) -> dict:
        try:
            return json.loads(self._ws.recv(timeout=self.timeout))
        except TimeoutError:
            raise BrowserError("booklet_browser_timeout", f"{self.timeout:.0f} s") from None
        except Exception as exc:  # noqa: BLE001 - the connection closed: the browser went away
            if isinstance(exc, BrowserError):
                raise
            raise BrowserError("booklet_browser_failed", str(exc)) from None

    def _wait_event(self, method: str, session: str) -> dict:
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event.get("params", {})
            self._events.append(self._receive())

    def print_pdf(self, url: str, options: PrintOptions = PrintOptions()) -> bytes:
        """Load `url` (a file:// address), wait until its fonts and photos are there, print."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            self._send("Page.enable", session=session)
            self._events.clear()
            self._send("Page.navigate", {"url": url}, session)
            self._wait_event("Page.loadEventFired", session)
            self._send("Runtime.evaluate", {"expression": _READY, "awaitPromise": True}, session)
            params = {"printBackground": True, "preferCSSPageSize": True,
                      "displayHeaderFooter": bool(options.header or options.footer),
                      "headerTemplate": options.header or "<span></span>",
                      "footerTemplate": options.footer or "<span></span>",
                      "generateDocumentOutline": options.outline, "generateTaggedPDF": True,
                      "transferMode": "ReturnAsStream"}
            stream = self._send("Page.printToPDF", params, session).get("stream")
            return self._read_stream(stream, session) if stream else b""
        finally:
            try:
                self._send("Target.closeTarget", {"targetId": target})
            except BrowserError:
                pass

    def _read_stream(self, handle: str, session: str) -> bytes:
        chunks = []
        while True:
            part = self._send("IO.read", {"handle": handle, "size": 1 << 20}, session)
            data = part.get("data", "")
            chunks.append(base64.b64decode(data) if part.get("base64Encoded") else data.encode("latin-1"))
            if part.get("eof"):
                break
        self._send("IO.close", {"handle": handle}, session)
        return b"".join(chunks)


# Every web font loaded and every photo decoded before printing (file:// pages load fast, but a
# 300 dpi photo can still be decoding when the load event fires).
_READY = """Promise.all([document.fonts.ready,
  ...[...document.images].map(i => i.decode ? i.decode().catch(() => 0) : 0)]).then(() => true)"""
