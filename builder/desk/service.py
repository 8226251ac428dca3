"""What the desk does, without HTTP: each method takes what a request carries (already parsed
JSON, names from the address) and returns an Answer (status and JSON). The handlers in
handlers.py only check who is asking and pass requests here, so everything is tested directly.

Every change to a file is made under one lock, after checking that the file is still the one
the form was loaded from (its digest): otherwise the answer is 409 with both versions, and
nothing is written. Files are written atomically (a temporary file in the same folder, then a
rename), so the preview's build never reads half a file.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import i18n
from builder.content.load import IMAGE_SUFFIXES
from builder.desk import form as forms
from builder.desk import recycle
from builder.desk.check import Checker, field_at
from builder.desk.conflict import compare
from builder.desk.documents import DocRef, all_refs, find, from_source, photo_file
from builder.desk.listing import listing, tags_in_use
from builder.desk.photos import UploadRefused, place_upload
from builder.desk.preview import with_desk_images
from builder.editors.review import record, review_diff
from builder.gate.standing import current_digest, review_progress
from builder.images.cache import DigestMemo
from builder.errors import Problem
from builder.i18n import Phrase
from builder.model import Case, ModelSite, Page, SiteModel
from builder.yamlio.edit import EditError
from builder.yamlio.source import split_front_matter


MAX_CHANGES_SHOWN = 8           # places of a stale review's text listed in the form


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


def _problem_json(problem: Problem, lang: str) -> dict[str, Any]:
    return {"message": problem.message(lang), "hint": problem.hint(lang), "error": problem.is_error,
            "line": problem.line, "path": problem.path, "code": problem.code}


def _body_line(data: bytes) -> int | None:
    """The file line shown as the first line of the body's text area (blank lines after the
    closing '---' are not shown there)."""
    text = data.decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    split, _ = split_front_matter(text, "")
    if split is None:
        return None
    return split.body_line + (len(split.body) - len(split.body.lstrip("\n")))


def _value_of(line: str, key: str) -> str:
    """`title: "甲"` -> 甲: a front matter line as the form shows its value."""
    text = line.strip()
    if text.startswith(key + ":"):
        text = text[len(key) + 1:].strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
    return text


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


class Service:
    def __init__(self, root: Path, lang: str = "zh"):
        self.root = root.resolve()
        self.lang = lang
        self.checker = Checker(self.root)
        self.lock = threading.RLock()
        self._urls: dict[str, str] = {}           # source -> preview address, from the last good build
        self._base = "/"                          # the preview's base path
        self._memo: DigestMemo | None = None      # photo digests, as the last build knew them
        self._pages: dict[str, DocRef] = {}       # output path -> its source's desk address

    def text(self, code: str, **params: Any) -> str:
        return i18n.text(code, self.lang, **params)

    def refused(self, status: int, code: str, **params: Any) -> Answer:
        return Answer(status, {"message": self.text(code, **params), "code": code})

    # --- the preview's model ---------------------------------------------------------------

    def built(self, model: SiteModel) -> None:
        """After each good build of the preview: which page shows which document."""
        base = model.site.base_path
        urls, pages = {}, {}
        for item in (*model.cases, *model.held_back, *model.sites, *model.pages):
            ref = from_source(item.doc.source)
            if ref is not None:
                urls[item.doc.source] = base + item.url
                pages[item.url + "index.html"] = ref
        self._urls, self._pages, self._base = urls, pages, base

    def page_ref(self, rel: str) -> DocRef | None:
        return self._pages.get(rel)

    # --- reading ---------------------------------------------------------------------------

    def memo(self) -> DigestMemo:
        """The digests of the photos (for review digests), read from the build's memo once;
        what this desk hashes since is kept for the next request."""
        if self._memo is None:
            self._memo = DigestMemo(self.root / ".cache" / "image-digests.json")
        self._memo.old.update(self._memo.new)
        return self._memo

    def listing(self) -> Answer:
        site, content, problems = self.checker.content()
        body = listing(self.root, site, content, problems, self.lang, self.memo())
        body["recycled"] = len(recycle.entries(self.root))
        body["options"] = self._options(site, content)
        body["preview_root"] = self._base
        return Answer(200, body)

    def document(self, kind: str, name: str) -> Answer:
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        data = ref.path(self.root).read_bytes()
        read = self.checker.content()
        site, content, _ = read
        body: dict[str, Any] = {"kind": kind, "name": name, "rel": ref.rel, "bundle": ref.bundle,
                                "url": self._urls.get(ref.rel), "digest": forms.digest(data),
                                "fields": [{"name": f.name, "type": f.type, "required": f.required}
                                           for f in forms.fields(kind, ref.bundle)],
                                "options": self._options(site, content), "text": data.decode("utf-8", "replace")}
        try:
            loaded = forms.load(data, kind, ref.bundle)
        except EditError as exc:
            _, placed = self.checker.check(ref.rel, kind, data, read)
            body.update(editable=False, why=self.text(exc.code), problems=[p.as_json(self.lang) for p in placed])
            return Answer(200, body)
        item, placed = self.checker.check(ref.rel, kind, data, read)
        body.update(editable=True, values=loaded.values, locked=loaded.locked, body=loaded.body, body_line=_body_line(data),
                    problems=[p.as_json(self.lang) for p in placed], preview=self._preview_html(ref, item),
                    folder_photos=self._folder_photos(ref), review=self._review(site, item, ref))
        return Answer(200, body)

    def _options(self, site, content) -> dict[str, Any]:
        return {"sites": [{"value": s.slug, "label": s.title, "town": s.town} for s in
                          sorted(content.sites, key=lambda s: s.slug)],
                "categories": list(site.categories), "actions": [a.name for a in site.actions],
                "kinds": list(site.sites.kinds), "tags": tags_in_use(content), "stages": list(site.review.stages)}

    def _folder_photos(self, ref: DocRef) -> list[str]:
        folder = ref.folder(self.root)
        if folder is None:
            return []
        try:
            names = [e.name for e in os.scandir(folder)
                     if e.is_file() and not e.name.startswith(".") and os.path.splitext(e.name)[1].lower() in IMAGE_SUFFIXES]
        except OSError:
            return []
        return sorted(names)

    def _review(self, site, item, ref: DocRef | None = None) -> dict[str, Any] | None:
        """The review history, the stage waited for, and a stale review with what changed since."""
        if item is None:
            return None
        digest = current_digest(self.root, item, self.memo())
        _, waiting, fell_back = review_progress(item.reviews, site.review.stages, digest)
        body: dict[str, Any] = {"done": [{"stage": r.stage, "by": r.by, "date": r.date.isoformat()} for r in item.reviews],
                                "next": waiting, "stages": list(site.review.stages), "stale": None}
        if fell_back and ref is not None:
            path = ref.path(self.root)
            diff, _ = review_diff(self.root, path, ref.rel, site)
            data = path.read_bytes()
            changes = [self._change(c, data, ref) for c in (diff.changes if diff else ())]
            body["stale"] = {"stage": fell_back, "changes": changes[:MAX_CHANGES_SHOWN]
                             + ([self.text("desk_stale_more", count=len(changes) - MAX_CHANGES_SHOWN)]
                                if len(changes) > MAX_CHANGES_SHOWN else [])}
        return body

    def _change(self, change, data: bytes, ref: DocRef) -> str:
        """One place that changed since the review, said where the form shows it: a field by
        its label, the text by its line as the text area counts them."""
        def short(lines: tuple[str, ...]) -> str:
            text = " / ".join(line.strip() for line in lines if line.strip())
            return text if len(text) <= 60 else text[:60] + "…"
        field = field_at(data, ref.rel, change.line)
        removed, added = change.removed, change.added
        if field == "body":
            where = Phrase("label_desk_body_line", {"line": change.line - (_body_line(data) or 1) + 1})
        else:
            key = field.split(".")[0] or "file"
            where = Phrase("label_desk_field_where", {"field": Phrase("desk_field_" + key) if i18n.has("desk_field_" + key) else key})
            removed, added = tuple(_value_of(line, key) for line in removed), tuple(_value_of(line, key) for line in added)
        old, new = short(removed), short(added)
        code = "desk_stale_changed" if old and new else "desk_stale_added" if new else "desk_stale_removed"
        return self.text(code, where=where, old=old, new=new)

    def _preview_html(self, ref: DocRef, item: Case | ModelSite | Page | None) -> str:
        """The body as the build renders it; a photo of the folder shown from the desk's thumbnails."""
        if item is None:
            return ""
        return with_desk_images(item.doc.body_html, ref, self._folder_photos(ref))

    # --- checking and saving ---------------------------------------------------------------

    def _submitted(self, ref: DocRef, data: bytes, sent: Any) -> bytes | Answer:
        """The file as the form would write it, or the refusal when what was sent cannot be applied."""
        if not isinstance(sent, dict):
            return self.refused(400, "desk_bad_request")
        try:
            return forms.apply(data, ref.kind, sent.get("values", {}), sent.get("body"), ref.bundle)
        except forms.FormError:
            return self.refused(400, "desk_bad_request")
        except EditError as exc:
            return self.refused(422, exc.code)

    def check(self, kind: str, name: str, sent: Any) -> Answer:
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        data = ref.path(self.root).read_bytes()
        new = self._submitted(ref, data, sent)
        if isinstance(new, Answer):
            return new
        item, placed = self.checker.check(ref.rel, kind, new)
        return Answer(200, {"problems": [p.as_json(self.lang) for p in placed], "body_line": _body_line(new),
                            "preview": self._preview_html(ref, item), "changed": new != data})

    def save(self, kind: str, name: str, sent: Any) -> Answer:
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        if not isinstance(sent, dict) or not isinstance(sent.get("digest"), str):
            return self.refused(400, "desk_bad_request")
        remove = sent.get("remove", [])
        if not isinstance(remove, list) or not all(isinstance(n, str) for n in remove):
            return self.refused(400, "desk_bad_request")
        with self.lock:
            path = ref.path(self.root)
            data = path.read_bytes()
            new = self._submitted(ref, data, sent)
            if isinstance(new, Answer):
                return new
            if forms.digest(data) != sent["digest"]:
                return self._conflict(ref, data, new)
            if new != data:
                atomic_write(path, new)
            listed = {p["src"] for p in (sent.get("values", {}).get("photos") or []) if isinstance(p, dict)}
            moved = []
            for photo in remove:
                found = photo_file(self.root, ref, photo)
                if found is not None and photo not in listed:
                    recycle.recycle(self.root, f"{Path(ref.rel).parent.as_posix()}/{photo}", "photo", photo)
                    moved.append(photo)
        read = self.checker.content()
        item, placed = self.checker.check(ref.rel, kind, new, read)
        return Answer(200, {"digest": forms.digest(new), "changed": new != data, "recycled": moved, "body_line": _body_line(new),
                            "problems": [p.as_json(self.lang) for p in placed], "url": self._urls.get(ref.rel),
                            "review": self._review(read[0], item, ref)})

    def _conflict(self, ref: DocRef, theirs: bytes, mine: bytes) -> Answer:
        return Answer(409, {"message": self.text("desk_conflict"), "code": "desk_conflict", "digest": forms.digest(theirs),
                            **compare(theirs, mine, ref.kind, ref.bundle, self.lang)})

    def keep_copy(self, kind: str, name: str, sent: Any) -> Answer:
        """Keep the form's version of the file in the recycle folder (a conflict's way out)."""
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        with self.lock:
            data = ref.path(self.root).read_bytes()
            mine = self._submitted(ref, data, sent)
            if isinstance(mine, Answer):
                return mine
            title = (sent.get("values") or {}).get("title") if isinstance(sent.get("values"), dict) else ""
            kept = recycle.keep_copy(self.root, ref.rel, mine, str(title or name))
        return Answer(200, {"kept": f"{recycle.RECYCLE_DIR}/{kept.id}/{kept.name}",
                            "message": self.text("desk_copy_kept", path=f"{recycle.RECYCLE_DIR}/{kept.id}/{kept.name}")})

    # --- photos ----------------------------------------------------------------------------

    def upload(self, kind: str, name: str, received: Path, raw_name: str) -> Answer:
        ref = find(self.root, kind, name)
        folder = ref.folder(self.root) if ref is not None else None
        if folder is None:
            try:
                received.unlink()
            except OSError:
                pass
            return self.refused(404, "desk_not_found")
        with self.lock:
            try:
                stored = place_upload(received, raw_name, folder)
            except UploadRefused as exc:
                return self.refused(415 if exc.code == "desk_upload_not_photo" else 413 if exc.code == "desk_upload_too_large" else 400,
                                    exc.code, name=Path(str(raw_name).replace("\\", "/")).name)
        return Answer(200, {"name": stored})

    # --- new documents, deleting, restoring ------------------------------------------------

    def create(self, kind: str, sent: Any) -> Answer:
        from builder.desk.create import create
        with self.lock:
            return create(self, kind, sent)

    def delete(self, kind: str, name: str, sent: Any) -> Answer:
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        if not isinstance(sent, dict) or not isinstance(sent.get("digest"), str):
            return self.refused(400, "desk_bad_request")
        with self.lock:
            data = ref.path(self.root).read_bytes()
            if forms.digest(data) != sent["digest"]:
                return self.refused(409, "desk_changed_meanwhile")
            site, content, _ = self.checker.content()
            title = next((i.title for i in (*content.cases, *content.sites, *content.pages) if i.doc.source == ref.rel), name)
            if kind == "site":
                slug = next((s.slug for s in content.sites if s.doc.source == ref.rel), name)
                users = [c.title for c in content.cases if c.site == slug]
                if users:
                    return self.refused(409, "desk_site_in_use", count=len(users), cases=users)
            target = Path(ref.rel).parent.as_posix() if ref.bundle else ref.rel
            item = recycle.recycle(self.root, target, kind, title)
        return Answer(200, {"recycled": item.id, "message": self.text("desk_deleted", title=title, folder=recycle.RECYCLE_DIR)})

    def recycled(self) -> Answer:
        items = recycle.entries(self.root)
        return Answer(200, {"folder": recycle.RECYCLE_DIR, "items": [
            {"id": i.id, "what": i.what, "what_label": self.text(f"desk_recycled_{i.what}"), "origin": i.origin,
             "title": i.title, "when": i.when.replace("T", " "), "name": i.name} for i in items]})

    def restore(self, sent: Any) -> Answer:
        if not isinstance(sent, dict) or not isinstance(sent.get("id"), str):
            return self.refused(400, "desk_bad_request")
        with self.lock:
            item = recycle.find(self.root, sent["id"])
            if item is None:
                return self.refused(404, "desk_not_found")
            try:
                where = recycle.restore(self.root, item)
            except recycle.RestoreRefused as exc:
                return self.refused(409, exc.code, **exc.params)
        ref = from_source(where if not os.path.isdir(self.root / where) else where + "/index.md")
        if ref is None and item.what == "photo":
            ref = from_source(str(Path(where).parent.as_posix()) + "/index.md")
        return Answer(200, {"restored": where, "message": self.text("desk_restored", path=where),
                            "kind": ref.kind if ref else None, "name": ref.name if ref else None})

    # --- review ----------------------------------------------------------------------------

    def review(self, kind: str, name: str, sent: Any, today: dt.date | None = None) -> Answer:
        ref = find(self.root, kind, name)
        if ref is None:
            return self.refused(404, "desk_not_found")
        if not isinstance(sent, dict) or not all(isinstance(sent.get(k), str) for k in ("stage", "by", "digest")):
            return self.refused(400, "desk_bad_request")
        with self.lock:
            path = ref.path(self.root)
            if forms.digest(path.read_bytes()) != sent["digest"]:
                return self.refused(409, "desk_changed_meanwhile")
            site, _, _ = self.checker.content()
            if not sent["by"].strip():
                return self.refused(400, "desk_review_no_name")
            done, problems = record(self.root, path, ref.rel, sent["stage"], sent["by"], today or dt.date.today(), site)
        if done is None:
            return Answer(400, {"message": self.text("desk_review_refused"),
                                "problems": [_problem_json(p, self.lang) for p in problems]})
        data = path.read_bytes()
        read = self.checker.content()
        item, _ = self.checker.check(ref.rel, kind, data, read)
        return Answer(200, {"message": self.text("desk_review_recorded", stage=done.review.stage, by=done.review.by),
                            "digest": forms.digest(data), "review": self._review(read[0], item, ref)})

    def all_refs(self, kind: str) -> list[DocRef]:
        return all_refs(self.root, kind)
