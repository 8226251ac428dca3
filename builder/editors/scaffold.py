"""`showcase init`: a new site with one example case, model site and page, ready to build.

The starter files are the files of starter/, copied as they are (they are the user's content
from then on, not messages), plus the word list the checks ship with."""
from __future__ import annotations

import shutil
from pathlib import Path

from builder.errors import Problem

STARTER = Path(__file__).resolve().parent / "starter"
WORDLIST = Path(__file__).resolve().parent.parent / "checks" / "wordlist.txt"


def starter_files() -> dict[str, Path]:
    """Where each starter file goes in the new site -> the file shipped in the package."""
    files = {path.relative_to(STARTER).as_posix(): path for path in sorted(STARTER.rglob("*")) if path.is_file()}
    files["wordlist.txt"] = WORDLIST
    return files


def init_site(target: Path) -> Problem | None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return Problem("", None, "init_not_empty", {"path": str(target)})
    for rel, source in starter_files().items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    return None
