"""Who may use the desk, decided per request from its headers alone (no network here, so every
rule is tested without a server).

- Host: while listening on this computer only, the Host header must name this computer, as the
  preview requires (preview.responder.allowed_host). Listening on the network, it may also be
  an IP address or this computer's own name: a DNS name pointed at us ("DNS rebinding") is
  refused either way, so a web page elsewhere cannot read or drive the desk through its own name.
- Access code: on an address other people can reach, a code printed in the terminal at start is
  asked once per browser; it becomes a session cookie (HttpOnly, SameSite=Strict). Without it
  the preview works, the desk shows only the code form, and every write is refused. Wrong codes
  are counted: after MAX_FAILURES in a row the form waits LOCKOUT seconds.
- Writes: every request that changes a file carries the per-run token (sent in the desk's own
  page, which no other origin can read) in a header, and comes from the desk's own origin by
  its Origin header (or Sec-Fetch-Site: same-origin when a browser sends no Origin). A form or
  script on any other site gets 403 and nothing is written.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Mapping

from builder.preview.responder import allowed_host, is_loopback

TOKEN_HEADER = "X-Showcase-Token"
COOKIE = "showcase_desk"
MAX_FAILURES = 5
LOCKOUT = 60.0            # seconds


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    status: int = 200
    reason: str = ""      # desk_refused_… in the catalogue


def host_name(host_header: str) -> str:
    name = host_header.strip().lower()
    return name[1:].split("]", 1)[0] if name.startswith("[") else name.rsplit(":", 1)[0]


class Guard:
    def __init__(self, bind_host: str, machine_names: tuple[str, ...] | None = None):
        self.bind_host = bind_host
        self.public = not is_loopback(bind_host)
        self.token = secrets.token_urlsafe(32)
        self.code = f"{secrets.randbelow(10 ** 6):06d}" if self.public else None
        self._sessions: set[str] = set()
        self._failures = 0
        self._locked_until = 0.0
        self._lock = threading.Lock()
        if machine_names is None:
            name = socket.gethostname().lower()
            machine_names = (name, name + ".local") if name else ()
        self.machine_names = machine_names

    # --- the host --------------------------------------------------------------------------

    def host_ok(self, host_header: str) -> bool:
        if not host_header:
            return False
        if not self.public:
            return allowed_host(host_header, self.bind_host)
        name = host_name(host_header)
        if name == "localhost" or name.endswith(".localhost") or name in self.machine_names:
            return True
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False

    # --- the access code -------------------------------------------------------------------

    def login(self, code: str, now: float | None = None) -> tuple[str | None, float]:
        """(a new session id, 0) for the right code; (None, seconds to wait) otherwise."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self.code is None:
                return None, 0.0
            if now < self._locked_until:
                return None, self._locked_until - now
            if isinstance(code, str) and hmac.compare_digest(code.strip().encode("utf-8"), self.code.encode("utf-8")):
                self._failures = 0
                session = secrets.token_urlsafe(32)
                self._sessions.add(session)
                return session, 0.0
            self._failures += 1
            if self._failures >= MAX_FAILURES:
                self._failures = 0
                self._locked_until = now + LOCKOUT
            return None, 0.0

    def signed_in(self, cookie: str | None) -> bool:
        if self.code is None:
            return True
        if not cookie:
            return False
        with self._lock:
            return any(hmac.compare_digest(cookie.encode("utf-8"), s.encode("utf-8")) for s in self._sessions)

    # --- requests --------------------------------------------------------------------------

    def may_read(self, headers: Mapping[str, str], cookie: str | None) -> Verdict:
        """The desk's data (lists, forms, thumbnails) for its own page only: a page elsewhere
        that asks for them (an <img>, a <script>) is refused when the browser says it is
        another site (Sec-Fetch-Site), even though it could not read the answer."""
        if not self.host_ok(headers.get("Host", "")):
            return Verdict(False, 403, "desk_refused_host")
        if headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return Verdict(False, 403, "desk_refused_origin")
        if not self.signed_in(cookie):
            return Verdict(False, 401, "desk_refused_code")
        return Verdict(True)

    def may_write(self, headers: Mapping[str, str], cookie: str | None) -> Verdict:
        read = self.may_read(headers, cookie)
        if not read.ok:
            return read
        if not self.same_origin(headers):
            return Verdict(False, 403, "desk_refused_origin")
        token = headers.get(TOKEN_HEADER, "")
        if not token or not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode("utf-8")):
            return Verdict(False, 403, "desk_refused_token")
        return Verdict(True)

    def same_origin(self, headers: Mapping[str, str]) -> bool:
        """The request comes from a page of this server, as the browser says."""
        origin = headers.get("Origin")
        host = headers.get("Host", "")
        if origin is not None:
            return origin in (f"http://{host}", f"https://{host}")
        return headers.get("Sec-Fetch-Site") == "same-origin"
