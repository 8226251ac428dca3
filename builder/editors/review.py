"""`showcase review`: record a stage of the three-stage review (三审) in a case's front matter.

The file is edited as text: one entry is inserted into the `review:` list (or a `review:` list
is added at the end of the front matter), and every other byte stays as it was: comments, key
order, quoting, blank lines, line endings (CRLF too) and a UTF-8 BOM. The edited file is parsed
again before it is written; if anything but the new entry changed, nothing is written.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from builder.content.load import read_review_list
from builder.errors import Problem
from builder.i18n import Phrase
from builder.yamlio.fields import FieldReader, suggestion_params
from builder.model import Review
from builder.yamlio.source import decode_source, parse_yaml, split_front_matter
from builder.yamlio.text import flow_mapping, scalar

BOM = b"\xef\xbb\xbf"


class EditError(Exception):
    """The front matter has a shape this module will not edit automatically; `code` names the
    shape in the catalogue (review_edit_…)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- where a case is, and where its review stands --------------------------------------------

def find_case(root: Path, value: str) -> tuple[Path | None, list[Problem]]:
    """CASE as a folder name ('xizhai-yishi'), a `slug:`, or a path to the folder or its index.md."""
    value = value.strip().rstrip("/\\")
    for candidate in (Path(value), root / value):
        if candidate.is_dir() and (candidate / "index.md").is_file():
            return candidate / "index.md", []
        if candidate.is_file() and candidate.suffix.lower() == ".md":
            return candidate, []
    cases = root / "content" / "cases"
    if (cases / value / "index.md").is_file():
        return cases / value / "index.md", []
    names = sorted(p.name for p in cases.iterdir() if (p / "index.md").is_file()) if cases.is_dir() else []
    for name in names:
        if _front(cases / name / "index.md").get("slug") == value:
            return cases / name / "index.md", []
    return None, [Problem("", None, "review_case_missing", {"value": value, **suggestion_params(value, names)})]


def progress(reviews: Sequence[Review], stages: Sequence[str]) -> tuple[list[Review], str | None]:
    """(the recorded reviews of configured stages, in stage order; the stage waited for or None)."""
    by_stage = {r.stage: r for r in reviews}
    done = [by_stage[s] for s in stages if s in by_stage]
    waiting = next((s for s in stages if s not in by_stage), None)
    return done, waiting


def read_reviews(path: Path, shown: str) -> tuple[tuple[Review, ...] | None, dict, list[Problem]]:
    """The reviews recorded in a case file, its front matter as a dict, and problems."""
    text, problems = decode_source(path.read_bytes(), shown)
    if text is None:
        return None, {}, problems
    split, found = split_front_matter(text, shown)
    if split is None:
        return None, {}, found
    parsed, found = parse_yaml(split.front, shown, first_line=split.front_line)
    if parsed is None or not isinstance(parsed.value, (dict, type(None))):
        return None, {}, found or [Problem(shown, split.front_line, "review_invalid")]
    value = parsed.value or {}
    problems: list[Problem] = list(found)           # a key written twice: the build refuses it too
    reader = FieldReader(parsed, shown, problems, mapping=value)
    reviews = read_review_list(reader)
    if problems:
        return None, value, problems
    return tuple(reviews), value, []


# --- recording a stage -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Recorded:
    path: Path
    review: Review
    done: tuple[Review, ...]          # all recorded stages, in order, the new one included
    waiting: tuple[str, ...]          # stages still to come
    draft: bool


def record(path: Path, shown: str, stage: str, by: str, date: dt.date, stages: Sequence[str]
           ) -> tuple[Recorded | None, list[Problem]]:
    """Check that `stage` is the next one and write it into the file at `path`."""
    reviews, front, problems = read_reviews(path, shown)
    if reviews is None:
        return None, problems + [Problem(shown, None, "review_invalid")]
    stage, by = stage.strip(), by.strip()
    if stage not in stages:
        return None, [Problem("", None, "review_unknown_stage", {"stage": stage, "stages": tuple(stages),
                                                                 **suggestion_params(stage, stages)})]
    previous = {r.stage: r for r in reviews}
    if stage in previous:
        earlier = previous[stage]
        return None, [Problem(shown, earlier.line, "review_already",
                              {"stage": stage, "by": earlier.by, "date": earlier.date.isoformat()})]
    done, waiting = progress(reviews, stages)
    if waiting != stage:
        return None, [Problem(shown, None, "review_skip", {"stage": stage, "waiting": waiting, "stages": " → ".join(stages)})]
    if done and date < done[-1].date:
        return None, [Problem("", None, "review_date_order", {"date": date.isoformat(), "previous": done[-1].stage,
                                                              "previous_date": done[-1].date.isoformat()})]
    entry = {"stage": stage, "by": by, "date": date}
    data = path.read_bytes()
    try:
        new_data = add_review(data, entry)
        _verify(data, new_data, entry, shown)
    except EditError as exc:
        return None, [Problem(shown, None, "review_cannot_edit", {"detail": Phrase(exc.code), "entry": "- " + flow_mapping(entry)})]
    _atomic_write(path, new_data)
    new = Review(stage=stage, by=by, date=date)
    all_done, _ = progress(list(reviews) + [new], stages)
    remaining = tuple(s for s in stages if s not in {r.stage for r in all_done})
    return Recorded(path, new, tuple(all_done), remaining, front.get("draft") is True), []


def add_review(data: bytes, entry: dict) -> bytes:
    """The file's bytes with `entry` appended to the front matter's review list."""
    bom = data.startswith(BOM)
    try:
        raw = data[len(BOM):].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditError("review_edit_not_utf8") from exc
    newline = "\r\n" if "\r\n" in raw else ("\r" if "\r" in raw else "\n")
    start, end = _front_bounds(raw)
    front = raw[start:end]
    position, text = _insertion(front, entry, newline)
    edited = raw[: start + position] + text + raw[start + position:]
    return (BOM if bom else b"") + edited.encode("utf-8")


def _front_bounds(raw: str) -> tuple[int, int]:
    """Offsets of the front matter's first character and of its closing '---' line."""
    lines = raw.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        raise EditError("review_edit_no_front")
    offset = len(lines[0])
    for line in lines[1:]:
        if line.rstrip("\r\n").rstrip() in ("---", "..."):
            return len(lines[0]), offset
        offset += len(line)
    raise EditError("review_edit_unclosed")


def _insertion(front: str, entry: dict, newline: str) -> tuple[int, str]:
    """(offset in `front`, text to insert there)."""
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)     # the pure-Python loader: indexes are characters
    except yaml.YAMLError as exc:
        raise EditError("review_edit_yaml") from exc
    flow = flow_mapping(entry)
    if root is None:
        return len(front), f"review:{newline}  - {flow}{newline}"
    if not isinstance(root, yaml.MappingNode):
        raise EditError("review_edit_not_mapping")
    if not front.endswith(("\n", "\r")) and front:
        raise EditError("review_edit_no_newline")
    value = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "review"), None)
    key = next((k for k, v in root.value if v is value), None)
    if value is None:
        return len(front), f"review:{newline}  - {flow}{newline}"
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        close = value.end_mark.index - 1
        if front[close] != "]":
            raise EditError("review_edit_brackets")
        return close, (", " if value.value else "") + flow
    if isinstance(value, yaml.SequenceNode):
        first = value.value[0]
        line_begin = max(front.rfind("\n", 0, first.start_mark.index), front.rfind("\r", 0, first.start_mark.index)) + 1
        line_text = front[line_begin:first.start_mark.index]
        dash = line_text.rfind("-")
        if dash < 0 or line_text[:dash].strip():
            raise EditError("review_edit_indent")
        indent, gap = line_text[:dash], " " * (len(line_text) - dash - 1)
        if isinstance(first, yaml.MappingNode) and not first.flow_style:
            keys = [k.value for k, _ in first.value]
            order = keys if sorted(keys) == sorted(entry) else list(entry)
            pad = indent + " " + gap
            lines = [f"{indent}-{gap}{order[0]}: {scalar(entry[order[0]])}"]
            lines += [f"{pad}{k}: {scalar(entry[k])}" for k in order[1:]]
            text = newline.join(lines) + newline
        else:
            text = f"{indent}-{gap}{flow}{newline}"
        return _after_line(front, _end_index(value)), text
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        if value.start_mark.index == value.end_mark.index:        # `review:` with nothing after it
            return _after_line(front, key.end_mark.index), f"  - {flow}{newline}"
        raise EditError("review_edit_null")
    raise EditError("review_edit_not_list")


def _after_line(text: str, index: int) -> int:
    """Offset just past the line break that ends the line holding `index`."""
    for position in range(index, len(text)):
        if text[position] == "\n":
            return position + 1
        if text[position] == "\r":
            return position + (2 if text[position + 1:position + 2] == "\n" else 1)
    return len(text)


def _end_index(node: yaml.Node) -> int:
    """Offset of the last character that belongs to `node` (a trailing comment stays with it)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        # a block scalar (| or >) ends at the start of the line after its text
        return end.index - 1 if end.column == 0 and end.line > node.start_mark.line else end.index
    if node.flow_style:
        return node.end_mark.index
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
    return _end_index(children[-1]) if children else node.start_mark.index


def _verify(before: bytes, after: bytes, entry: dict, shown: str) -> None:
    """The edited file must parse to the same front matter plus exactly the new entry."""
    old, new = _front_value(before, shown), _front_value(after, shown)
    if old is None or new is None:
        raise EditError("review_edit_unreadable")
    expected = dict(old)
    expected["review"] = list(old.get("review") or []) + [entry]
    if new != expected:
        raise EditError("review_edit_mismatch")
    if _body(before) != _body(after):
        raise EditError("review_edit_body")


def _front_value(data: bytes, shown: str) -> dict | None:
    text, _ = decode_source(data, shown)
    split = split_front_matter(text, shown)[0] if text is not None else None
    parsed = parse_yaml(split.front, shown)[0] if split else None
    if parsed is None:
        return None
    return parsed.value or {} if isinstance(parsed.value, (dict, type(None))) else None


def _body(data: bytes) -> bytes:
    """Everything after the closing '---' line."""
    lines = data.splitlines(keepends=True)
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip(b"\r\n").rstrip() in (b"---", b"..."):
            return b"".join(lines[index + 1:])
    return b""


def _front(path: Path) -> dict:
    try:
        value = _front_value(path.read_bytes(), path.name)
    except OSError:
        return {}
    return value or {}


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
