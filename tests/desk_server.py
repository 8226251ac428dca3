"""`showcase serve` with its editing desk, for the desk's tests: a real server in a subprocess on
a free port, the desk's token read from its own page, and requests made the way a browser (or a
hostile page elsewhere) makes them. Every wait polls towards a deadline; nothing is timed."""
from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from conftest import REPO, free_port

DEADLINE = 30.0


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class DeskServer:
    proc: subprocess.Popen
    root: Path
    port: int
    log: Path
    host: str = "127.0.0.1"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                host: str | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def token(self) -> str:
        page = self.request("GET", "/_edit/").text
        data = re.search(r'<script id="desk-data" type="application/json">(.*?)</script>', page, re.S).group(1)
        return json.loads(data)["token"]

    def post(self, path: str, data: Any, origin: str | None = "same", token: str | None = "desk",
             cookie: str | None = None, host: str | None = None) -> Reply:
        """A JSON POST as the desk's page sends it; `origin`/`token` None leave the header out."""
        headers = {"Content-Type": "application/json"}
        if origin == "same":
            origin = f"http://{host or f'127.0.0.1:{self.port}'}"
        if origin is not None:
            headers["Origin"] = origin
        if token == "desk":
            token = self.token()
        if token is not None:
            headers["X-Showcase-Token"] = token
        if cookie:
            headers["Cookie"] = cookie
        return self.request("POST", path, json.dumps(data).encode("utf-8"), headers, host)

    def get_json(self, path: str, cookie: str | None = None) -> Reply:
        return self.request("GET", path, headers={"Cookie": cookie} if cookie else {})

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"gave up waiting for {what}\nserver log:\n{self.output()}")


def start_desk(root: Path, logs: Path, *args: str) -> DeskServer:
    """`showcase serve` in a subprocess, returned once the preview's first build answered."""
    port = free_port()
    log = logs / f"desk-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", str(root), "--port", str(port), *args],
                                cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = DeskServer(proc, root, port, log)
    try:
        server.wait_for(lambda: server.request("GET", "/").status in (200, 302, 500), "the first build")
    except BaseException:
        stop_desk(server)
        raise
    return server


def stop_desk(server: DeskServer) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)
