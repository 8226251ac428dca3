"""Editing the front matter of a Markdown file as text, the way a careful person would.

    edited = Editable(data)                      # the file's bytes
    edited.set("title", "新标题")                 # one value; the key's other lines untouched
    edited.set("photos", [{"src": "a.jpg", "caption": "说明"}])
    edited.remove("summary")
    edited.set_body("## 基本情况\\n…")
    data = edited.data()                         # bytes: byte-identical when nothing changed

Each edit replaces only the text of the value that changes: other keys, their order, comments,
blank lines, quoting, the line endings (CRLF too), a UTF-8 BOM and the body stay as they were.
A scalar keeps its quoting style; in a list, items that did not change keep their text, and an
item whose `src` is kept (a photo) is edited key by key. A key that is added goes where a
commented-out `# key:` line stands, or after the nearest key before it in the usual order.
Every edit is checked by parsing the result again: if the text does not read back as exactly
the intended values, the key is written afresh, and if even that fails an EditError says so.
The whole file is never rewritten.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Sequence

import yaml

from builder.yamlio.text import block_text, entry_text, flow_list, inline_text, is_scalar, item_text, styled_scalar

BOM = b"\xef\xbb\xbf"

Patch = tuple[int, int, str]          # replace text[start:end] with the string


class EditError(Exception):
    """The file cannot be edited as asked; `code` names why (edit_… in the catalogue)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Editable:
    """A Markdown file with front matter, edited value by value."""

    def __init__(self, data: bytes):
        self.bom = data.startswith(BOM)
        try:
            self.text = data[len(BOM):].decode("utf-8") if self.bom else data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EditError("edit_not_utf8") from exc
        self.newline = "\r\n" if "\r\n" in self.text else ("\r" if "\r" in self.text else "\n")
        self._bounds()              # raises when there is no front matter to edit
        self._root()                # raises when it is not a mapping YAML can read

    # --- reading ----------------------------------------------------------------------------

    def _bounds(self) -> tuple[int, int, int]:
        """(start of the front matter, start of its closing '---' line, start of the body)."""
        lines = self.text.splitlines(keepends=True)
        if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
            raise EditError("edit_no_front_matter")
        offset = len(lines[0])
        for line in lines[1:]:
            if line.rstrip("\r\n").rstrip() in ("---", "..."):
                return len(lines[0]), offset, offset + len(line)
            offset += len(line)
        raise EditError("edit_front_matter_unclosed")

    @property
    def front(self) -> str:
        start, end, _ = self._bounds()
        return self.text[start:end]

    @property
    def body(self) -> str:
        """The text after the closing '---' line, with '\\n' line endings."""
        return _lf(self.text[self._bounds()[2]:])

    def _root(self) -> yaml.MappingNode | None:
        try:
            root = yaml.compose(self.front, Loader=yaml.SafeLoader)   # pure Python: indexes are characters
        except yaml.YAMLError as exc:
            raise EditError("edit_yaml_unreadable") from exc
        if root is not None and not (isinstance(root, yaml.MappingNode) and not root.flow_style):
            raise EditError("edit_not_block_mapping")
        return root

    def values(self) -> dict:
        try:
            value = yaml.safe_load(self.front)
        except yaml.YAMLError as exc:
            raise EditError("edit_yaml_unreadable") from exc
        return value if isinstance(value, dict) else {}

    def data(self) -> bytes:
        return (BOM if self.bom else b"") + self.text.encode("utf-8")

    # --- editing ----------------------------------------------------------------------------

    def set(self, key: str, value: Any, order: Sequence[str] = ()) -> None:
        """Give `key` the value `value` (text, number, date, true/false, a list, a mapping).
        `order`: the usual order of keys, for where a new key goes."""
        before = self.values()
        if key in before and _same(before[key], value):
            return
        expected = dict(before)
        expected[key] = value
        root = self._root()
        entry = _entry(root, key)
        if entry is not None:
            patches = _edit_value(self.front, entry[0], entry[1], value, self.newline, _list_style(root, self.front))
        else:
            patches = [self._insertion(root, key, value, order)]
        if self._try(patches, expected):
            return
        # Written afresh: the key's lines replaced by a plain rendering of the value.
        if entry is not None:
            start, end = _entry_span(self.front, *entry)
            fresh = entry_text(key, value, 0, self.newline, _list_style(root, self.front))
            if self._try([(start, end, fresh)], expected):
                return
        raise EditError("edit_mismatch")

    def remove(self, key: str) -> None:
        before = self.values()
        if key not in before:
            return
        expected = {k: v for k, v in before.items() if k != key}
        entry = _entry(self._root(), key)
        start, end = _entry_span(self.front, *entry)
        if not self._try([(start, end, "")], expected):
            raise EditError("edit_mismatch")

    def set_body(self, body: str) -> None:
        """The body, given with '\\n' line endings (a browser's textarea), written with the
        file's own. Nothing changes when it is the body already there."""
        if _lf(body) == self.body:
            return
        start = self._bounds()[2]
        self.text = self.text[:start] + _lf(body).replace("\n", self.newline)

    def _try(self, patches: list[Patch], expected: dict) -> bool:
        """Apply `patches` to the front matter if the result reads back as `expected`."""
        start, end, _ = self._bounds()
        front = _apply(self.front, patches)
        try:
            value = yaml.safe_load(front)
        except yaml.YAMLError:
            return False
        if not _same(value or {}, expected):
            return False
        self.text = self.text[:start] + front + self.text[end:]
        return True

    def _insertion(self, root: yaml.MappingNode | None, key: str, value: Any, order: Sequence[str]) -> Patch:
        front = self.front
        text = entry_text(key, value, 0, self.newline, _list_style(root, front))
        # A commented-out `# key: …` line at the left margin is where the user expects it.
        match = re.search(rf"(?m)^#[ \t]*{re.escape(key)}[ \t]*:.*(?:\r\n|\r|\n)", front)
        if match:
            return match.start(), match.end(), text
        if root is None or not root.value:
            at = len(front)
            prefix = self.newline if front and not front.endswith(("\n", "\r")) else ""
            return at, at, prefix + text
        keys = [k.value for k, _ in root.value]
        if key in order:
            position = list(order).index(key)
            earlier = [k for k in order[:position] if k in keys]
            if earlier:
                entry = _entry(root, earlier[-1])
                at = _entry_span(front, *entry)[1]
                return at, at, text
            later = [k for k in order[position + 1:] if k in keys]
            if later:
                at = _line_start(front, _entry(root, later[0])[0].start_mark.index)
                return at, at, text
        entry = (root.value[-1][0], root.value[-1][1])
        at = _entry_span(front, *entry)[1]
        prefix = self.newline if at == len(front) and not front.endswith(("\n", "\r")) else ""
        return at, at, prefix + text


# --- comparing values ------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    """Equal as YAML values: True is not 1, a date is not its text."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return False
    return type(a) is type(b) and a == b if isinstance(a, (str, dt.date)) or isinstance(b, (str, dt.date)) else a == b


# --- positions in the text -------------------------------------------------------------------

def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _apply(text: str, patches: list[Patch], low: int = 0, high: int | None = None) -> str:
    """`text[low:high]` with the patches inside it applied."""
    high = len(text) if high is None else high
    out, at = [], low
    for start, end, new in sorted(patches, key=lambda p: (p[0], p[1])):
        if start < at or end > high:
            raise EditError("edit_overlap")
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:high])
    return "".join(out)


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def after_line(text: str, index: int) -> int:
    """Offset just past the line break that ends the line holding `index`."""
    for position in range(index, len(text)):
        if text[position] == "\n":
            return position + 1
        if text[position] == "\r":
            return position + (2 if text[position + 1:position + 2] == "\n" else 1)
    return len(text)


def end_index(node: yaml.Node) -> int:
    """Offset of the last character that belongs to `node`."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if node.style in ("|", ">") and end.column == 0 and end.line > node.start_mark.line:
            return max(node.start_mark.index, end.index - 1)
        return max(node.start_mark.index, end.index - 1) if end.index > node.start_mark.index else node.start_mark.index
    if node.flow_style:
        return node.end_mark.index - 1
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
    return end_index(children[-1]) if children else node.start_mark.index


def _entry(root: yaml.MappingNode | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key node, value node) of `key` in a mapping; the last one when written twice."""
    found = None
    for key_node, value_node in (root.value if root is not None else ()):
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = (key_node, value_node)
    return found


def _entry_span(text: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
    """From the start of the key's line to just past the line where its value ends."""
    return _line_start(text, key.start_mark.index), after_line(text, end_index(value))


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


def _is_empty_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.start_mark.index == node.end_mark.index


def _list_style(root: yaml.MappingNode | None, text: str) -> tuple[str, str]:
    """(indent of '-' under a top-level key, spaces after '-'), as the file already writes
    block lists; two spaces and one by default."""
    for _, value in (root.value if root is not None else ()):
        if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
            first = value.value[0].start_mark.index
            line = text[_line_start(text, first):first]
            dash = line.rfind("-")
            if dash >= 0 and not line[:dash].strip() and not line[dash + 1:].strip():
                return line[:dash], line[dash + 1:] or " "
    return "  ", " "


# --- editing one value -----------------------------------------------------------------------

def _edit_value(text: str, key: yaml.Node, node: yaml.Node, value: Any, newline: str,
                style: tuple[str, str]) -> list[Patch]:
    """Patches that give the value `node` (of `key`) the value `value`."""
    if _is_empty_null(node):
        inline = inline_text(value)
        if inline is not None:
            return [(node.start_mark.index, node.start_mark.index, " " + inline)]
        # A block under `key:`, after the comment lines indented below it (a template's advice).
        at = after_line(text, key.end_mark.index)
        key_column = _column(text, key.start_mark.index)
        while at < len(text):
            line_end = after_line(text, at)
            line = text[at:line_end]
            stripped = line.lstrip(" ")
            if stripped.startswith("#") and len(line) - len(stripped) > key_column:
                at = line_end
                continue
            break
        return [(at, at, block_text(value, key_column, newline, style))]
    if isinstance(node, yaml.ScalarNode) and is_scalar(value):
        if node.style in ("|", ">"):           # a block of text becomes one quoted line
            end = after_line(text, end_index(node))
            return [(node.start_mark.index, end, styled_scalar(value, '"') + newline)]
        return [(node.start_mark.index, node.end_mark.index, styled_scalar(value, node.style))]
    if isinstance(node, yaml.SequenceNode) and isinstance(value, (list, tuple)):
        if node.flow_style or not node.value:
            inline = inline_text(value)
            if inline is None:
                inline = "[" + ", ".join(inline_text(v) or flow_list([str(x) for x in v]) for v in value) + "]"
            return [(node.start_mark.index, node.end_mark.index, inline)]
        return _edit_block_list(text, node, list(value), newline, style)
    if isinstance(node, yaml.MappingNode) and isinstance(value, dict) and not node.flow_style and node.value:
        return _edit_mapping(text, node, value, newline, style)
    # Anything else (a list that becomes text, a flow mapping…): the value written afresh.
    start = key.end_mark.index + 1            # just past the ':'
    end = after_line(text, end_index(node))
    inline = inline_text(value)
    if inline is not None:
        return [(start, end, " " + inline + newline)]
    return [(start, end, newline + block_text(value, _column(text, key.start_mark.index), newline, style))]


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return object()


def _edit_block_list(text: str, node: yaml.SequenceNode, value: list, newline: str,
                     style: tuple[str, str]) -> list[Patch]:
    """The items of a block list: unchanged items keep their text (and the comment lines
    before them); an item that is a mapping with the same first value (a photo's `src`) is
    edited key by key; others are written afresh with the list's own indentation."""
    items = node.value
    starts = [_line_start(text, item.start_mark.index) for item in items]
    ends = [after_line(text, end_index(item)) for item in items]
    chunks = []
    for index, item in enumerate(items):
        low = ends[index - 1] if index else starts[0]
        chunks.append((low, ends[index], item, _construct(item)))
    first_line = text[starts[0]:items[0].start_mark.index]
    dash = first_line.rfind("-")
    indent = first_line[:dash] if dash >= 0 else style[0]
    gap = first_line[dash + 1:] if dash >= 0 and not first_line[dash + 1:].strip() else " "
    unused = list(range(len(chunks)))
    out = []
    for new in value:
        match = next((i for i in unused if _same(chunks[i][3], new)), None)
        if match is not None:
            unused.remove(match)
            out.append(text[chunks[match][0]:chunks[match][1]])
            continue
        match = next((i for i in unused if _same_identity(chunks[i][2], chunks[i][3], new)), None)
        if match is not None:
            unused.remove(match)
            low, high, item, _ = chunks[match]
            try:
                out.append(_apply(text, _edit_mapping(text, item, new, newline, style), low, high))
                continue
            except EditError:
                pass
        out.append(item_text(new, indent, gap, newline, style))
    return [(starts[0], ends[-1], "".join(out))]


def _same_identity(node: yaml.Node, old: Any, new: Any) -> bool:
    """Both block mappings whose first key and its value are the same (a photo's src)."""
    if not (isinstance(node, yaml.MappingNode) and not node.flow_style and node.value
            and isinstance(old, dict) and isinstance(new, dict) and old and new):
        return False
    first = next(iter(old))
    return first in new and next(iter(new)) == first and _same(old[first], new[first])


def _edit_mapping(text: str, node: yaml.MappingNode, value: dict, newline: str,
                  style: tuple[str, str]) -> list[Patch]:
    """Key by key, inside a block mapping: changed values edited, missing keys' lines removed,
    new keys added after the last one."""
    patches: list[Patch] = []
    present = {}
    pairs = list(node.value)
    for number, (key, child) in enumerate(pairs):
        if not isinstance(key, yaml.ScalarNode):
            raise EditError("edit_complex_key")
        present[key.value] = child
        if key.value not in value:
            if number == 0 and text[_line_start(text, key.start_mark.index):key.start_mark.index].strip():
                raise EditError("edit_first_key")       # it shares its line with the '-'
            start, end = _entry_span(text, key, child)
            patches.append((start, end, ""))
        elif not _same(_construct(child), value[key.value]):
            patches += _edit_value(text, key, child, value[key.value], newline, style)
    column = _column(text, pairs[0][0].start_mark.index)
    at = after_line(text, end_index(pairs[-1][1]))
    added = "".join(entry_text(str(k), v, column, newline, style) for k, v in value.items() if k not in present)
    if added:
        patches.append((at, at, added))
    return patches
