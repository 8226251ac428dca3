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


def site_around(target: Path) -> Path | None:
    """The site folder (one with site.yaml) that `target` is, or is inside of."""
    try:
        here = target.resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        if (folder / "site.yaml").is_file():
            return folder
    return None


def free_name(base: Path, first: int = 1) -> Path:
    """`base` (with first=1), or `base-2`, `base-3`… whichever does not exist yet."""
    number = first
    candidate = base if number == 1 else base.with_name(f"{base.name}-{number}")
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _typed(path: Path) -> str:
    """A path as it is typed in a command: in quotes when it holds a space."""
    return f'"{path}"' if " " in str(path) else str(path)


def init_site(target: Path, default_name: str = "site") -> Problem | None:
    """Copy the starter files into `target`. Refused, with the command that works instead: a
    folder that is a site already or inside one (a site in a site would be published with it),
    a file, or a folder that holds anything (nothing is ever overwritten). `default_name`: the
    folder name to suggest (said in the reader's language, so given by the caller)."""
    site = site_around(target)
    if site is not None:
        if site == target.resolve():
            return Problem("", None, "init_is_a_site", {"path": str(target)})
        suggestion = free_name(site.parent / target.name)
        return Problem("", None, "init_inside_site", {"path": str(target), "site": str(site),
                                                       "suggestion": _typed(suggestion)})
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        inside = target.is_dir() and target.resolve() == Path.cwd().resolve()
        suggestion = free_name(target / default_name) if inside or not target.name else free_name(target, first=2)
        shown = suggestion.relative_to(Path.cwd()) if suggestion.is_relative_to(Path.cwd()) else suggestion
        return Problem("", None, "init_not_empty", {"path": str(target), "suggestion": _typed(shown)})
    for rel, source in starter_files().items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    return None
