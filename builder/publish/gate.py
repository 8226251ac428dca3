"""What may be published: only an output folder that `showcase build` made, from a clean build
that is not a preview. Read from the marker builder/write.py keeps in the output folder."""
from __future__ import annotations

import json
from pathlib import Path

from builder.errors import Problem
from builder.write import MARKER, output_state


def read_marker(out_dir: Path) -> dict | None:
    """The output folder's marker, or None when there is none or it is not showcase's."""
    try:
        marker = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("generator") != "showcase" or not isinstance(marker.get("files"), list):
        return None
    return marker


def publishable(out_dir: Path) -> Problem | None:
    """None when out_dir may be published; else the problem that says why not. What the build
    recorded in its marker decides (builder.write.output_state)."""
    state = output_state(out_dir)
    if not state.made_by_showcase or read_marker(out_dir) is None:
        return Problem("", None, "publish_not_built", {"path": str(out_dir)})
    if state.preview:
        return Problem("", None, "publish_preview_build", {"path": str(out_dir)})
    if not state.complete:
        return Problem("", None, "publish_incomplete_build", {"path": str(out_dir)})
    return None


def built_files(out_dir: Path) -> list[str]:
    """The files the build wrote, as its marker lists them: plain relative paths only."""
    marker = read_marker(out_dir) or {"files": []}
    return sorted(f for f in marker["files"] if isinstance(f, str) and is_plain(f))


def is_plain(path: str) -> bool:
    """A '/'-separated path inside a folder: a hand-edited list must not reach outside it."""
    parts = path.split("/")
    return bool(path) and "\\" not in path and not path.startswith("/") and ":" not in parts[0] \
        and all(part not in ("", ".", "..") for part in parts)
