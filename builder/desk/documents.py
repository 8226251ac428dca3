"""Which file a desk address means: a kind ('case', 'site', 'page') and a name (the folder's
name, or a page file's name without .md).

A name from a request is never joined to a path as it is: it must be one of the entries the
section's folder holds right now (compared with os.scandir's names), so '..', 'a/b', 'C:x',
a name with a NUL or a Windows device name cannot reach any other file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SECTIONS = {"case": "cases", "site": "sites", "page": "pages"}


@dataclass(frozen=True, slots=True)
class DocRef:
    kind: str
    name: str
    rel: str              # site-relative path of the Markdown file, '/'-separated
    bundle: bool          # a folder of its own, where photos go

    def path(self, root: Path) -> Path:
        return root / self.rel

    def folder(self, root: Path) -> Path | None:
        return (root / self.rel).parent if self.bundle else None


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as scan:
            return [e for e in scan if not e.name.startswith((".", "_"))]
    except OSError:
        return []


def find(root: Path, kind: str, name: str) -> DocRef | None:
    """The document `kind`/`name` if it exists, else None."""
    if kind not in SECTIONS or not isinstance(name, str) or not name:
        return None
    section = SECTIONS[kind]
    for entry in _entries(root / "content" / section):
        if entry.is_dir() and entry.name == name and os.path.isfile(os.path.join(entry.path, "index.md")):
            return DocRef(kind, name, f"content/{section}/{name}/index.md", True)
        if kind == "page" and entry.is_file() and entry.name == name + ".md":
            return DocRef(kind, name, f"content/{section}/{entry.name}", False)
    return None


def from_source(rel: str) -> DocRef | None:
    """The DocRef of a site-relative source path as the model names it."""
    parts = rel.split("/")
    kind = {v: k for k, v in SECTIONS.items()}.get(parts[1]) if len(parts) > 2 and parts[0] == "content" else None
    if kind is None:
        return None
    if len(parts) == 4 and parts[3] == "index.md":
        return DocRef(kind, parts[2], rel, True)
    if len(parts) == 3 and kind == "page" and parts[2].endswith(".md"):
        return DocRef(kind, parts[2][:-3], rel, False)
    return None


def all_refs(root: Path, kind: str) -> list[DocRef]:
    """Every document of a kind, by name."""
    section = SECTIONS[kind]
    found = []
    for entry in sorted(_entries(root / "content" / section), key=lambda e: e.name):
        if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "index.md")):
            found.append(DocRef(kind, entry.name, f"content/{section}/{entry.name}/index.md", True))
        elif kind == "page" and entry.is_file() and entry.name.lower().endswith(".md"):
            found.append(DocRef(kind, entry.name[:-3], f"content/{section}/{entry.name}", False))
    return found


def photo_file(root: Path, ref: DocRef, name: str) -> Path | None:
    """A file in the document's folder named exactly `name`, or None."""
    folder = ref.folder(root)
    if folder is None or not isinstance(name, str):
        return None
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.name == name and not name.startswith(".") and entry.is_file():
                    return Path(entry.path)
    except OSError:
        pass
    return None
