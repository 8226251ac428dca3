"""`showcase review`: record a stage of the three-stage review (三审) in the front matter of a
case, model site or page, with the digest of the text it approves (gate/standing.py), and keep a
copy of that text beside it (.reviewed.md) for `showcase review CASE --diff`.

The file is edited as text: one entry is inserted into the `review:` list (or a `review:` list
is added at the end of the front matter), and every other byte stays as it was: comments, key
order, quoting, blank lines, line endings (CRLF too) and a UTF-8 BOM. The edited file is parsed
again before it is written; if anything but the new entry changed, nothing is written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from builder.content.load import load_one, read_review_list
from builder.errors import Problem, errors_in
from builder.gate.standing import current_digest, review_progress
from builder.i18n import Phrase
from builder.yamlio.edit import after_line, end_index
from builder.yamlio.fields import FieldReader, suggestion_params
from builder.model import Review, Site
from builder.slugs import is_slug, slugify
from builder.yamlio.source import decode_source, parse_yaml, split_front_matter
from builder.yamlio.text import flow_mapping, scalar

BOM = b"\xef\xbb\xbf"


class EditError(Exception):
    """The front matter has a shape this module will not edit automatically; `code` names the
    shape in the catalogue (review_edit_…)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- which item is meant -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Candidate:
    """A case, model site or page as `showcase review` matches a name against it."""
    path: Path                  # its Markdown file
    folder: str                 # folder name (a single-file page: the file name without .md)
    slug: str                   # URL name, as the build makes it
    title: str


def find_item(root: Path, value: str) -> tuple[Path | None, list[Problem]]:
    """CASE as the path of a file or folder, or a name that matches exactly one case, model
    site or page: its folder, its URL name (slug) or its title. Anything else names nothing:
    several matches are listed, none gets the closest names, and nothing is recorded."""
    value = value.strip()
    bare = value.rstrip("/\\")
    if not bare:
        return None, [Problem("", None, "review_case_missing", {"value": value})]
    for candidate in (Path(bare), root / bare):
        if candidate.is_dir() and (candidate / "index.md").is_file() and _inside_content(root, candidate):
            return candidate / "index.md", []
        if candidate.is_file() and candidate.suffix.lower() == ".md" and _inside_content(root, candidate):
            return candidate, []
    items = candidates(root)
    found = [c for c in items if bare in (c.folder, c.slug, c.title)]
    if len(found) == 1:
        return found[0].path, []
    if found:
        listed = tuple(Phrase("review_candidate", {"path": c.path.relative_to(root).as_posix(), "title": c.title})
                       for c in found)
        return None, [Problem("", None, "review_ambiguous", {"value": value, "candidates": listed})]
    names = sorted({n for c in items for n in (c.folder, c.slug, c.title) if n})
    return None, [Problem("", None, "review_case_missing", {"value": value, **suggestion_params(value, names)})]


find_case = find_item        # the name it had when only cases were reviewed


def _inside_content(root: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to((root / "content").resolve())
    except OSError:
        return False


def candidates(root: Path) -> list[Candidate]:
    """Every case, model site and page of the site, read just enough to match a name."""
    found = []
    for section, place in (("cases", False), ("sites", True), ("pages", False)):
        folder = root / "content" / section
        for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir() and (entry / "index.md").is_file():
                path, name = entry / "index.md", entry.name
            elif section == "pages" and entry.is_file() and entry.suffix.lower() == ".md":
                path, name = entry, entry.stem
            else:
                continue
            front = _front(path)
            slug = str(front.get("slug") or "")
            slug = slug if is_slug(slug) else slugify(name, place=place) or name
            found.append(Candidate(path, name, slug, str(front.get("title") or "").strip()))
    return found


def progress(reviews: Sequence[Review], stages: Sequence[str]) -> tuple[list[Review], str | None]:
    """(the recorded reviews of configured stages, in stage order; the stage waited for or None),
    without looking at the text (see gate.standing.review_progress for that)."""
    by_stage = {r.stage: r for r in reviews}
    done = [by_stage[s] for s in stages if s in by_stage]
    waiting = next((s for s in stages if s not in by_stage), None)
    return done, waiting


def read_reviews(path: Path, shown: str) -> tuple[tuple[Review, ...] | None, dict, list[Problem]]:
    """The reviews recorded in a file, its front matter as a dict, and problems."""
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

REVIEWED_COPY = ".reviewed.md"      # beside index.md: the text as the last recorded stage approved it


@dataclass(frozen=True, slots=True)
class Recorded:
    path: Path
    review: Review
    done: tuple[Review, ...]          # all recorded stages, in order, the new one included
    waiting: tuple[str, ...]          # stages still to come
    draft: bool
    again: bool = False               # the stage was recorded before, for a text changed since


def reviewed_copy(path: Path) -> Path:
    """Where `showcase review` keeps the text a stage approved: .reviewed.md in the item's
    folder, or .<name>.reviewed.md beside a single-file page (for `review --diff`)."""
    if path.name == "index.md":
        return path.with_name(REVIEWED_COPY)
    return path.with_name(f".{path.stem}{REVIEWED_COPY}")


def record(root: Path, path: Path, shown: str, stage: str, by: str, date: dt.date, site: Site
           ) -> tuple[Recorded | None, list[Problem]]:
    """Check that `stage` is the one the item waits for (the next, or the one it fell back to
    after a change) and write it, with the digest of the text it approves, into the file."""
    stage, by = stage.strip(), by.strip()
    stages = site.review.stages
    if not by:
        return None, [Problem("", None, "review_by_blank")]
    if stage not in stages:
        return None, [Problem("", None, "review_unknown_stage", {"stage": stage, "stages": tuple(stages),
                                                                 **suggestion_params(stage, stages)})]
    reviews, front, problems = read_reviews(path, shown)
    if reviews is None:
        return None, problems + [Problem(shown, None, "review_invalid")]
    item, problems = load_one(root, shown, site)
    if item is None or errors_in(problems):
        return None, errors_in(problems) + [Problem(shown, None, "review_invalid")]
    digest = current_digest(root, item)
    done, waiting, fell_back = review_progress(reviews, stages, digest)
    if stage != waiting:
        recorded = {r.stage: r for r in done}
        if stage in recorded:
            earlier = recorded[stage]
            return None, [Problem(shown, earlier.line, "review_already",
                                  {"stage": stage, "by": earlier.by, "date": earlier.date.isoformat()})]
        if fell_back:
            return None, [Problem(shown, None, "review_skip_stale", {"stage": stage, "waiting": waiting})]
        if waiting is None:
            return None, [Problem("", None, "review_unknown_stage", {"stage": stage, "stages": tuple(stages)})]
        return None, [Problem(shown, None, "review_skip", {"stage": stage, "waiting": waiting, "stages": " → ".join(stages)})]
    if done and date < done[-1].date:
        return None, [Problem("", None, "review_date_order", {"date": date.isoformat(), "previous": done[-1].stage,
                                                              "previous_date": done[-1].date.isoformat()})]
    entry = {"stage": stage, "by": by, "date": date, "digest": digest}
    data = path.read_bytes()
    try:
        new_data = add_review(data, entry)
        _verify(data, new_data, entry, shown)
    except EditError as exc:
        return None, [Problem(shown, None, "review_cannot_edit", {"detail": Phrase(exc.code), "entry": "- " + flow_mapping(entry)})]
    _atomic_write(path, new_data)
    try:
        _atomic_write(reviewed_copy(path), new_data)
    except OSError:
        pass                # only `review --diff` needs it; the review is recorded
    new = Review(stage=stage, by=by, date=date, digest=digest)
    all_done = tuple(done) + (new,)
    remaining = tuple(s for s in stages if s not in {r.stage for r in all_done})
    return Recorded(path, new, all_done, remaining, front.get("draft") is True, again=fell_back is not None), []


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
        return after_line(front, end_index(value)), text
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        if value.start_mark.index == value.end_mark.index:        # `review:` with nothing after it
            return after_line(front, key.end_mark.index), f"  - {flow}{newline}"
        raise EditError("review_edit_null")
    raise EditError("review_edit_not_list")


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


# --- what changed since the last recorded stage ----------------------------------------------

@dataclass(frozen=True, slots=True)
class Change:
    """One place where the text differs from the reviewed copy."""
    line: int                         # line of the file now (where the change is, or would be)
    removed: tuple[str, ...]          # lines of the reviewed text not there any more
    added: tuple[str, ...]            # lines there now that the reviewed text did not have


@dataclass(frozen=True, slots=True)
class Diff:
    stage: str | None                 # the latest recorded stage (None: none recorded)
    date: dt.date | None
    stale: bool                       # the text (or a photo) changed since that stage
    changes: tuple[Change, ...]       # what changed in the text (empty: only photos changed)
    copy: bool                        # the reviewed copy was there to compare with


def review_diff(root: Path, path: Path, shown: str, site: Site) -> tuple[Diff | None, list[Problem]]:
    """What changed in the item since its latest recorded stage, line by line, from the copy of
    the reviewed text `showcase review` keeps (.reviewed.md). The review record itself, line
    endings and spaces at line ends are left out, as the review digest leaves them out."""
    reviews, _, problems = read_reviews(path, shown)
    if reviews is None:
        return None, problems + [Problem(shown, None, "review_invalid")]
    item, problems = load_one(root, shown, site)
    if item is None:
        return None, problems + [Problem(shown, None, "review_invalid")]
    known = [r for r in reviews if r.stage in site.review.stages]
    last = known[-1] if known else None
    _, _, fell_back = review_progress(reviews, site.review.stages, current_digest(root, item))
    if last is None:
        return Diff(None, None, False, (), False), []
    copy = reviewed_copy(path)
    try:
        before = _comparable(copy.read_bytes())
    except OSError:
        return Diff(last.stage, last.date, fell_back is not None, (), False), []
    now = _comparable(path.read_bytes())
    changes = []
    matcher = difflib.SequenceMatcher(None, [t for _, t in before], [t for _, t in now], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        line = now[j1][0] if j1 < len(now) else (now[-1][0] + 1 if now else 1)
        changes.append(Change(line, tuple(t for _, t in before[i1:i2]), tuple(t for _, t in now[j1:j2])))
    return Diff(last.stage, last.date, fell_back is not None, tuple(changes), True), []


def _comparable(data: bytes) -> list[tuple[int, str]]:
    """(line number, text) of a Markdown file as a review sees it: without the review record,
    spaces at line ends, or blank lines at the end."""
    text, _ = decode_source(data, "")
    lines = (text or "").split("\n")
    skip = _review_lines(lines)
    kept = [(number, line.rstrip()) for number, line in enumerate(lines, 1) if number not in skip]
    while kept and not kept[-1][1]:
        kept.pop()
    return kept


def _review_lines(lines: list[str]) -> set[int]:
    """The file lines (1-based) that hold the front matter's review: key and its list."""
    if not lines or lines[0].rstrip() != "---":
        return set()
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return set()
    try:
        root = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return set()
    if not isinstance(root, yaml.MappingNode):
        return set()
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "review":
            last = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
            return set(range(key.start_mark.line + 2, max(key.start_mark.line, last) + 3))
    return set()
