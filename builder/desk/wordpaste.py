"""Word, WPS and web pages into the desk, by the same conversion as `showcase import`
(builder/importer): text pasted into the body becomes clean Markdown on the server, with the
pictures the clipboard carried saved as photos of the case; a .docx given to the 导入 Word 文档
button becomes a draft case, as the command makes it.

Everything here is untrusted: the HTML goes through importer.from_html's allow-list, and a
picture is kept only if it is a photo by its bytes (desk.photos.place_upload), under a name that
stays in the case's folder. A picture the clipboard only points at (a file:/// of Word's
temporary folder, an address on the web) cannot be taken: its reference is removed from the
text and the answer says which pictures to add by hand.
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.config import load_config
from builder.desk.documents import find
from builder.desk.photos import UploadRefused, place_upload
from builder.errors import Problem
from builder.importer.from_html import html_to_markdown
from builder.importer.guess import known_sites
from builder.importer.run import Options, import_file

if TYPE_CHECKING:
    from builder.desk.service import Answer, Service

MAX_HTML = 40 * 1024 * 1024           # text and the pictures in it, as data: URLs
WORD_SUFFIXES = (".docx", ".doc", ".wps")


def paste(service: Service, kind: str, name: str, sent: Any) -> Answer:
    from builder.desk.service import Answer
    ref = find(service.root, kind, name)
    if ref is None:
        return service.refused(404, "desk_not_found")
    if not isinstance(sent, dict) or not isinstance(sent.get("html"), str) or len(sent["html"]) > MAX_HTML:
        return service.refused(400, "desk_bad_request")
    converted = html_to_markdown(sent["html"])
    markdown = converted.markdown
    folder = ref.folder(service.root)
    saved, missed = [], []
    for image in converted.images:
        stored = None
        if image.data and folder is not None:
            with service.lock:
                stored = _store(service.root, folder, image.name, image.data)
        if stored is None:
            missed.append(image.reference.rsplit("/", 1)[-1] or image.name)
            markdown = _without_image(markdown, image.name)
        else:
            saved.append(stored)
            markdown = markdown.replace(f"]({image.name})", f"]({stored})")
    body: dict[str, Any] = {"markdown": markdown, "photos": saved}
    if missed:
        body["message"] = service.text("desk_paste_missed", count=len(missed), names=missed)
    return Answer(200, body)


def _store(root: Path, folder: Path, name: str, data: bytes) -> str | None:
    uploads = root / ".cache" / "desk" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, prefix="paste-", suffix=".part", delete=False) as out:
        out.write(data)
    try:
        return place_upload(Path(out.name), name, folder)
    except UploadRefused:
        return None


def _without_image(markdown: str, name: str) -> str:
    """The Markdown without the picture `![…](name)`, and without a line it leaves empty."""
    text = re.sub(r"!\[[^\]\n]*\]\(" + re.escape(name) + r"\)", "", markdown)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def import_word(service: Service, received: Path, raw_name: str, site_value: str, category: str) -> Answer:
    """A Word document, uploaded to `received`, made into a draft case."""
    from builder.desk.service import Answer, _problem_json
    shown = Path(str(raw_name).replace("\\", "/")).name or "document.docx"
    suffix = Path(shown).suffix.lower()
    if suffix not in WORD_SUFFIXES:
        received.unlink(missing_ok=True)
        return service.refused(415, "desk_import_not_word", name=shown)
    root = service.root
    site, problems = load_config(root)
    sites = known_sites(root)
    # The file keeps its own name (the title falls back to it) in a folder of its own.
    with tempfile.TemporaryDirectory(dir=received.parent) as folder:
        path = Path(folder) / (re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", shown) or "document.docx")
        received.replace(path)
        options = Options(site=site_value or None, category=category or None)
        with service.lock:
            outcome = import_file(root, path, site, sites, options, dt.date.today(), None)

    def said(problem: Problem) -> dict[str, Any]:
        return {**_problem_json(problem, service.lang), "path": shown if problem.path == str(path) else problem.path}
    if outcome.index is None:
        codes = {p.code for p in outcome.problems}
        return Answer(400, {"message": service.text("desk_import_refused", name=shown),
                            "problems": [said(p) for p in (*outcome.problems, *outcome.warnings)],
                            "ask_site": "import_site_unclear" in codes, "ask_category": "import_category_unclear" in codes})
    return Answer(200, {"kind": "case", "name": outcome.index.parent.name,
                        "message": service.text("desk_imported", name=shown),
                        "guesses": [service.text(code, value=value, origin=origin) for code, value, origin in outcome.guesses],
                        "warnings": [said(p) for p in outcome.warnings]})
