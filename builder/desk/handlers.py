"""The desk over HTTP (tornado), mounted at /_edit/ by the preview server.

Every handler first asks the Guard: reads need the right Host (and the access code on the
network), writes also the token and the same origin; a refusal is a JSON answer with the
reason and nothing else happens. The work itself (service.py) runs on a thread pool, never on
the event loop, which keeps serving the preview and its reload sockets meanwhile.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from tornado import ioloop, web

from builder.desk import wordpaste
from builder.desk.documents import find, photo_file
from builder.desk.guard import COOKIE, Guard, Verdict
from builder.desk.photos import MAX_BYTES, thumbnail
from builder.desk.service import Answer, Service
from builder.images.codec import BrokenImage

PREFIX = "/_edit/"
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = ("desk.css", "desk.js", "editor.js", "photos.js", "word.js", "conflict.js", "review.js", "form.js")
MAX_JSON = 4 * 1024 * 1024
MAX_WORD = 200 * 1024 * 1024          # a .docx with its photos
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
       "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


class _Base(web.RequestHandler):
    def initialize(self, desk: Any) -> None:
        self.desk = desk
        self.service: Service = desk.service
        self.guard: Guard = desk.guard

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")
        self.set_header("Cache-Control", "no-store")

    def check_xsrf_cookie(self) -> None:       # the Guard checks writes: token + origin
        pass

    def _cookie(self) -> str | None:
        return self.get_cookie(COOKIE)

    def verdict(self, write: bool) -> Verdict:
        headers = self.request.headers
        return self.guard.may_write(headers, self._cookie()) if write else self.guard.may_read(headers, self._cookie())

    def answer(self, answer: Answer) -> None:
        self.set_status(answer.status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(answer.body, ensure_ascii=False))

    def refuse(self, verdict: Verdict) -> None:
        self.answer(self.service.refused(verdict.status, verdict.reason))

    def sent(self, limit: int = MAX_JSON) -> Any:
        if len(self.request.body) > limit:
            return None
        try:
            return json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    async def work(self, function: Callable[..., Answer], *args: Any) -> None:
        answer = await ioloop.IOLoop.current().run_in_executor(self.desk.pool, function, *args)
        self.answer(answer)


class Shell(_Base):
    """The desk's one page; its script shows the list or a form by the address."""

    def get(self, _: str = "") -> None:
        if not self.guard.host_ok(self.request.headers.get("Host", "")):     # the code form needs no code
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(self.service.text("desk_refused_host"))
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.desk.shell())


class Static(_Base):
    def get(self, name: str) -> None:
        if name not in STATIC_FILES:
            raise web.HTTPError(404)
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish((STATIC / name).read_bytes())


class Login(_Base):
    def post(self) -> None:
        headers = self.request.headers
        if not self.guard.host_ok(headers.get("Host", "")) or not self.guard.same_origin(headers):
            self.refuse(Verdict(False, 403, "desk_refused_origin"))
            return
        sent = self.sent()
        session, wait = self.guard.login(sent.get("code", "") if isinstance(sent, dict) else "")
        if session is None:
            code = "desk_code_wait" if wait else "desk_code_wrong"
            self.answer(self.service.refused(429 if wait else 403, code, seconds=int(wait) + 1))
            return
        self.set_cookie(COOKIE, session, path=PREFIX, httponly=True, samesite="Strict")
        self.answer(Answer(200, {"ok": True}))


class Read(_Base):
    """GET handlers: list, document, recycle folder."""

    def initialize(self, desk: Any, what: str) -> None:
        super().initialize(desk)
        self.what = what

    async def get(self, *args: str) -> None:
        verdict = self.verdict(write=False)
        if not verdict.ok:
            self.refuse(verdict)
            return
        function = {"list": self.service.listing, "doc": self.service.document,
                    "recycle": self.service.recycled}[self.what]
        await self.work(function, *args)


class Write(_Base):
    """POST handlers that take JSON: check, save, copy, new, delete, review, restore."""

    def initialize(self, desk: Any, what: str) -> None:
        super().initialize(desk)
        self.what = what

    async def post(self, *args: str) -> None:
        verdict = self.verdict(write=True)
        if not verdict.ok:
            self.refuse(verdict)
            return
        sent = self.sent(wordpaste.MAX_HTML + 4096 if self.what == "paste" else MAX_JSON)
        function = {"check": self.service.check, "save": self.service.save, "copy": self.service.keep_copy,
                    "new": self.service.create, "delete": self.service.delete, "review": self.service.review,
                    "restore": self.service.restore,
                    "paste": lambda kind, name, data: wordpaste.paste(self.service, kind, name, data)}[self.what]
        await self.work(function, *args, sent)


class Thumb(_Base):
    async def get(self, kind: str, name: str, photo: str) -> None:
        verdict = self.verdict(write=False)
        if not verdict.ok:
            raise web.HTTPError(verdict.status)
        ref = find(self.service.root, kind, name)
        path = photo_file(self.service.root, ref, photo) if ref else None
        if path is None:
            raise web.HTTPError(404)
        try:
            width = int(self.get_argument("w", "320"))
        except ValueError:
            width = 320
        cache = self.service.root / ".cache" / "desk" / "thumbs"
        try:
            data = await ioloop.IOLoop.current().run_in_executor(self.desk.pool, thumbnail, path, width, cache)
        except (BrokenImage, OSError):
            raise web.HTTPError(422) from None
        self.set_header("Content-Type", "image/jpeg")
        self.set_header("Cache-Control", "private, max-age=3600")
        self.finish(data)


class ThemeCss(_Base):
    def get(self) -> None:
        if not self.verdict(write=False).ok:
            raise web.HTTPError(403)
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.finish(self.desk.theme_css())


@web.stream_request_body
class Upload(_Base):
    """One photo (or one Word document) per request, streamed to a temporary file in .cache/desk/
    (never held in memory whole), refused before a byte is stored when the request is not
    allowed or too big."""

    def initialize(self, desk: Any, what: str = "photo") -> None:
        super().initialize(desk)
        self.what = what
        self.limit = MAX_BYTES if what == "photo" else MAX_WORD
        self.file = None
        self.path: Path | None = None
        self.size = 0
        self.refused: Verdict | None = None

    def prepare(self) -> None:
        verdict = self.verdict(write=True)
        if not verdict.ok:
            self.refused = verdict
            return
        try:
            length = int(self.request.headers.get("Content-Length", "0") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            self.refused = Verdict(False, 413, "desk_upload_too_large" if self.what == "photo" else "desk_import_too_large")
            return
        folder = self.service.root / ".cache" / "desk" / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix="upload-", suffix=".part")
        self.file = os.fdopen(handle, "wb")
        self.path = Path(name)

    def data_received(self, chunk: bytes) -> None:
        if self.file is None:
            return
        self.size += len(chunk)
        if self.size > self.limit:
            self._discard()
            self.refused = Verdict(False, 413, "desk_upload_too_large" if self.what == "photo" else "desk_import_too_large")
            return
        self.file.write(chunk)

    def _discard(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        if self.path is not None:
            try:
                self.path.unlink()
            except OSError:
                pass
            self.path = None

    async def post(self, *args: str) -> None:
        if self.refused is not None:
            self._discard()
            raw = self.get_query_argument("name", "")
            self.answer(self.service.refused(self.refused.status, self.refused.reason, name=raw))
            return
        self.file.close()
        self.file = None
        raw = self.get_query_argument("name", "photo")
        path, self.path = self.path, None
        if self.what == "photo":
            await self.work(self.service.upload, *args, path, raw)
        else:
            await self.work(wordpaste.import_word, self.service, path, raw, self.get_query_argument("site", ""),
                            self.get_query_argument("category", ""))

    def on_connection_close(self) -> None:
        self._discard()


def routes(desk: Any) -> list[tuple]:
    item = r"(case|site|page)/([^/]+)"
    options = {"desk": desk}
    return [
        (r"/_edit", web.RedirectHandler, {"url": PREFIX}),
        (r"/_edit/static/([a-z]+\.(?:js|css))", Static, options),
        (r"/_edit/api/login", Login, options),
        (r"/_edit/api/list", Read, {**options, "what": "list"}),
        (r"/_edit/api/recycle", Read, {**options, "what": "recycle"}),
        (rf"/_edit/api/doc/{item}", Read, {**options, "what": "doc"}),
        (rf"/_edit/api/check/{item}", Write, {**options, "what": "check"}),
        (rf"/_edit/api/save/{item}", Write, {**options, "what": "save"}),
        (rf"/_edit/api/copy/{item}", Write, {**options, "what": "copy"}),
        (rf"/_edit/api/delete/{item}", Write, {**options, "what": "delete"}),
        (rf"/_edit/api/review/{item}", Write, {**options, "what": "review"}),
        (r"/_edit/api/new/(case|site|page)", Write, {**options, "what": "new"}),
        (r"/_edit/api/restore", Write, {**options, "what": "restore"}),
        (rf"/_edit/api/upload/{item}", Upload, options),
        (r"/_edit/api/import", Upload, {**options, "what": "word"}),
        (rf"/_edit/api/paste/{item}", Write, {**options, "what": "paste"}),
        (rf"/_edit/api/thumb/{item}/([^/]+)", Thumb, options),
        (r"/_edit/api/theme\.css", ThemeCss, options),
        (r"/_edit/api/.*", _NotFound, options),
        (r"/_edit/(.*)", Shell, options),
    ]


class _NotFound(_Base):
    def get(self) -> None:
        self.answer(self.service.refused(404, "desk_not_found"))

    post = get

