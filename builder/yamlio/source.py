"""YAML with line numbers, and the front matter of Markdown files.

PyYAML turns a document into plain values but forgets where each key was. We compose the node
tree once (with the C loader when it is there) and read both the values and the line of every
key from it, so a problem can name `content/cases/x/index.md:7`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re

import yaml

from builder.errors import Problem
from builder.i18n import Phrase

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):    # type: ignore[misc]
    """The safe loader (the C one when there is one), but a date that does not exist
    (2025-13-40, 2025-02-30) is read as the text written, not a failure of the whole document:
    the field that holds it reports it (yamlio.fields), and the file's other fields are read."""


def _tolerant_timestamp(loader: yaml.BaseLoader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _tolerant_timestamp)

KeyPath = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Any
    lines: dict[KeyPath, int]        # ('photos', 0, 'src') -> 1-based line in the file

    def line(self, *path: Any) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


MAX_DEPTH = 64                   # lists and mappings inside each other; a case needs 3 or 4
_BLOCK_DASHES = re.compile(r"(?:-[ \t]+){%d}" % MAX_DEPTH)      # - - - - x: sequences in sequences


def _too_deep(text: str) -> int | None:
    """The line (1-based) where lists and mappings nest more than MAX_DEPTH deep, or None. The
    loader would recurse once a level: past Python's limit it raises, and far past it libyaml's
    parser brings the whole process down. Only text with many brackets is scanned."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for at, char in enumerate(text):
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return text.count("\n", 0, at) + 1
            elif char in "]}":
                depth = max(0, depth - 1)
    dashes = _BLOCK_DASHES.search(text)
    if dashes:
        return text.count("\n", 0, dashes.start()) + 1
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) - len(line.lstrip(" ")) > 2 * MAX_DEPTH:
            return number
    return None


def parse_yaml(text: str, source: str, first_line: int = 1) -> tuple[Parsed | None, list[Problem]]:
    """Parse one YAML document; `first_line` is the file line where `text` begins. A key written
    twice in one mapping is a problem, though the document is still read (the later one wins)."""
    offset = first_line - 1
    too_deep = _too_deep(text)
    if too_deep is not None:
        return None, [Problem(source, too_deep + offset, "yaml_too_deep", {"depth": MAX_DEPTH})]
    node = None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            # Before constructing, which adds the keys a merge key (<<: *base) brings to the tree.
            lines: dict[KeyPath, int] = {}
            twice: set[tuple[int, int, str]] = set()
            if node is not None:
                _collect_lines(node, (), offset, lines, twice, set())
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is reported at the end of the text; where it opened is more useful.
        # So is a bracket left open: both are found only where the text ends.
        at_end = exc.problem_mark is not None and exc.problem_mark.index >= len(text.rstrip())
        quoted = (exc.context or "").startswith("while scanning a quoted scalar")
        mark = (exc.context_mark if quoted or at_end else None) or exc.problem_mark or exc.context_mark
        last_line = offset + max(1, len(text.rstrip().split("\n")))
        line = min(mark.line + 1 + offset, last_line) if mark else first_line
        return None, [Problem(source, line, "yaml_syntax", _describe_yaml_error(exc, text))]
    except yaml.reader.ReaderError as exc:  # a control character, often pasted from a web page
        return None, [_control_character(exc, text, source, first_line)]
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        return None, [Problem(source, first_line, "yaml_syntax", {"detail": Phrase("yaml_detail_unknown", {"problem": problem})})]
    except (ValueError, TypeError, OverflowError) as exc:
        # a scalar that matches a YAML type but cannot be built, e.g. the date 2025-02-30
        line, value = _unbuildable(node, offset) if node is not None else (None, "")
        return None, [Problem(source, line or first_line, "yaml_syntax",
                              {"detail": Phrase("yaml_detail_unbuildable", {"value": value})})]
    return Parsed(value, lines), [Problem(source, line, "duplicate_key" if first != line else "duplicate_key_one_line",
                                          {"key": key, "first": first, "line": line})
                                  for line, first, key in sorted(twice)]


def _unbuildable(node: yaml.Node, offset: int) -> tuple[int | None, str]:
    """The file line and text of the first scalar that cannot be built on its own (a value
    tagged !!int that is not a number): what the person wrote, never Python's words about it."""
    if isinstance(node, yaml.ScalarNode):
        try:
            _Loader("").construct_object(node)
        except (ValueError, TypeError, OverflowError):
            return node.start_mark.line + 1 + offset, str(node.value)
        except yaml.YAMLError:      # e.g. a merge key '<<', built only inside its mapping
            pass
        return None, ""
    children = node.value if isinstance(node, yaml.SequenceNode) else (
        [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else [])
    for child in children:
        line, value = _unbuildable(child, offset)
        if line is not None:
            return line, value
    return None, ""


_MERGE = "tag:yaml.org,2002:merge"


def _collect_lines(node: yaml.Node, path: KeyPath, offset: int, lines: dict[KeyPath, int],
                   twice: set[tuple[int, int, str]], inside: set[int]) -> None:
    """The file line of every key path into `lines`; (line, first line, key) into `twice` for
    each key written again in the same mapping. `inside`: the collections on the way here, so
    that a collection holding an alias of itself (a: &x [*x]) is walked once."""
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.ScalarNode) or id(node) in inside:
        return
    inside.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key_node.tag != _MERGE:
                name = (key_node.tag, key)            # `1:` and `'1':` are different keys
                if name in first:
                    twice.add((line, first[name], key))
                else:
                    first[name] = line
            child = path + (key,)
            lines[child] = line
            _collect_lines(value_node, child, offset, lines, twice, inside)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), offset, lines, twice, inside)
    inside.discard(id(node))


# PyYAML's words, as its C loader (libyaml, used when installed) or its Python loader puts them,
# matched at the start of the problem or its context -> the message (yaml_detail_*) that says
# what they mean to someone who does not know YAML.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "colon",
    "could not find expected ':'": "missing_colon",
    "found a tab character": "tab",
    "did not find expected key": "indent",
    "did not find expected '-' indicator": "list_indent",
    "did not find expected node content": "missing_content",
    "did not find expected ',' or ']'": "brackets",
    "did not find expected ',' or '}'": "braces",
    "expected ',' or ']'": "brackets",
    "found undefined alias": "star",
    "did not find expected alphabetic or numeric character": "star",
    "expected alphabetic or numeric character": "star",
    "expected <block end>, but found": "indent",
    "found unexpected end of stream": "quote",
    "while scanning a quoted scalar": "quote",
    "found duplicate anchor": "duplicate_anchor",
}


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> dict[str, Phrase]:
    """{'detail': what PyYAML's words mean, as a message}."""
    problem = (exc.problem or exc.context or "").strip()
    if problem.startswith("found character") and exc.problem_mark is not None:
        char = _char_at(text, exc.problem_mark)      # the C loader does not say which character
        if char == "\t":
            return {"detail": Phrase("yaml_detail_tab")}
        return {"detail": Phrase("yaml_detail_leading_char", {"char": char}) if char
                else Phrase("yaml_detail_unknown", {"problem": problem})}
    for words, code in _YAML_PROBLEMS.items():
        if problem.startswith(words) or (exc.context or "").startswith(words):
            return {"detail": Phrase(f"yaml_detail_{code}")}
    return {"detail": Phrase("yaml_detail_unknown", {"problem": problem})}


def _char_at(text: str, mark: yaml.Mark) -> str:
    lines = text.split("\n")
    return lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""


def _control_character(exc: yaml.reader.ReaderError, text: str, source: str, first_line: int) -> Problem:
    """On the line that holds it (the loaders count its position in bytes or in characters)."""
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    at = text.find(char)
    line = first_line + text[:at].count("\n") if at >= 0 else first_line
    return Problem(source, line, "yaml_syntax", {"detail": Phrase("yaml_detail_control", {"codepoint": f"{ord(char):04x}"})})


@dataclass(frozen=True, slots=True)
class Split:
    front: str          # the YAML between the --- lines
    front_line: int     # file line of the first YAML line
    body: str
    body_line: int      # file line where the body starts


def split_front_matter(text: str, source: str) -> tuple[Split | None, list[Problem]]:
    """Split '---\\nyaml\\n---\\nbody'. Line endings must already be '\\n'."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [Problem(source, 1, "front_matter_missing")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return Split(front, 2, body, index + 2), []
    return None, [Problem(source, 1, "front_matter_unclosed")]


def decode_source(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without the BOM Windows editors add), '\\n' line endings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if _looks_like_gbk(data):
            return None, [Problem(source, line, "not_utf8_gbk")]
        return None, [Problem(source, line, "not_utf8", {"line": line})]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _looks_like_gbk(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def front_matter_of(path: Path) -> dict:
    """A file's front matter as plain values, or {} when it cannot be read: for guesses and
    suggestions (a model site's kind, the slugs taken), never for building."""
    try:
        text, _ = decode_source(path.read_bytes(), path.name)
    except OSError:
        return {}
    split = split_front_matter(text, path.name)[0] if text is not None else None
    parsed = parse_yaml(split.front, path.name)[0] if split else None
    return parsed.value if parsed and isinstance(parsed.value, dict) else {}
