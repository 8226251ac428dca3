"""Writing an imported case: its front matter as YAML text (no comments, every value quoted or
plain as it reads back exactly), its photos as the document held them, and the folder under
content/cases/ made whole or not at all: everything is written into a hidden folder beside it
(which the build and the preview ignore) and renamed into place last; a folder that exists is
never written into, and a failure leaves nothing behind."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from builder.editors.newcase import case_slug, free_slug, taken_slugs
from builder.errors import Problem
from builder.importer.document import ImportedPhoto
from builder.slugs import is_slug
from builder.yamlio.text import quoted, scalar


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    site: str                   # the model site's slug
    site_title: str
    category: str
    date: dt.date
    body: str                   # Markdown
    photos: tuple[ImportedPhoto, ...] = ()
    summary: str = ""
    source: str = ""            # a citation (来源)
    unit: str = ""              # the submitting unit (报送单位)


def front_matter(draft: Draft) -> str:
    """The front matter, in the order `showcase new` writes it, between its --- lines."""
    lines = ["---", f"title: {quoted(draft.title)}", f"site: {scalar(draft.site)}", f"date: {draft.date.isoformat()}",
             f"category: {scalar(draft.category)}"]
    if draft.summary:
        lines.append(f"summary: {quoted(draft.summary)}")
    if draft.source:
        lines.append(f"source: {quoted(draft.source)}")
    if draft.unit:
        lines.append(f"unit: {quoted(draft.unit)}")
    lines.append("draft: true")
    if draft.photos:
        lines.append("photos:")
        for photo in draft.photos:
            lines.append(f"  - src: {scalar(photo.name)}")
            if photo.caption:
                lines.append(f"    caption: {quoted(photo.caption)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def case_text(draft: Draft) -> str:
    return front_matter(draft) + ("\n" + draft.body if draft.body else "")


def folder_for(root: Path, draft: Draft) -> Path:
    """A free folder under content/cases/, named as `showcase new` names one."""
    slug = free_slug(case_slug(draft.title, draft.site, draft.site_title), taken_slugs(root, "cases"))
    return root / "content" / "cases" / slug


def write_draft(root: Path, draft: Draft, folder: Path | None = None) -> tuple[Path | None, list[Problem]]:
    """Write the case; (its index.md, []) or (None, the problem). Raises OSError when the disk
    refuses (full, read-only), after removing what it had begun."""
    folder = folder or folder_for(root, draft)
    shown = folder.relative_to(root).as_posix() + "/"
    if not is_slug(folder.name):
        return None, [Problem("", None, "new_no_slug", {"title": draft.title})]
    if _exists(folder):
        return None, [Problem("", None, "import_exists", {"path": shown})]
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=folder.parent))
    try:
        for photo in draft.photos:
            (staging / photo.name).write_bytes(photo.data)
        (staging / "index.md").write_text(case_text(draft), encoding="utf-8", newline="\n")
        if _exists(folder):
            raise FileExistsError(folder)
        os.rename(staging, folder)
    except FileExistsError:
        shutil.rmtree(staging, ignore_errors=True)
        return None, [Problem("", None, "import_exists", {"path": shown})]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder / "index.md", []


def _exists(folder: Path) -> bool:
    """The folder, or one whose name differs only in case (one and the same folder on Windows)."""
    return folder.exists() or (folder.parent.is_dir() and any(p.name.lower() == folder.name.lower()
                                                              for p in folder.parent.iterdir()))
