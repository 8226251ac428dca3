"""Writing YAML by hand, a value at a time, for files people edit: `showcase new` and
`showcase review` write text, never yaml.dump, so comments, order and quoting stay as they were.
The second half writes whole values (lists, mappings, a `key: value` entry, block lists in a
file's own indentation) for yamlio.edit.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

# Plain scalars safe in block and flow context: no YAML indicator at the start, none of
# ':', '#', ',', '[', ']', '{', '}', quotes or spaces at the ends.
_UNSAFE = re.compile(r"""[:#,\[\]{}&*!|>'"%@`\\]|^[-?~]|^\s|\s$""")


# What YAML will not read back as written inside "…": characters outside its printable set, and
# the line breaks it folds into a space (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR).
_NOT_AS_IS = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text`, Chinese left readable."""
    return _NOT_AS_IS.sub(_escape, json.dumps(text, ensure_ascii=False))


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(value: str | int | dt.date) -> str:
    """A YAML scalar that reads back as exactly `value` (as a string, or a date / number)."""
    if isinstance(value, (int, dt.date)) and not isinstance(value, bool):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    text = str(value)
    if text and not _UNSAFE.search(text) and "\n" not in text:
        try:
            if yaml.safe_load(f"k: [{text}]") == {"k": [text]} and yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return quoted(text)


def flow_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def flow_mapping(items: dict[str, str | dt.date]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in items.items()) + "}"


# --- whole values, for yamlio.edit ------------------------------------------------------------

_NOT_SINGLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def styled_scalar(value: Any, style: str | None = None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, dt.date)):
        return scalar(value) if not isinstance(value, float) else repr(value)
    text = str(value)
    if style == '"':
        return quoted(text)
    if style == "'" and not _NOT_SINGLE.search(text) and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    return scalar(text)


def is_scalar(value: Any) -> bool:
    return not isinstance(value, (list, tuple, dict))


def inline_text(value: Any) -> str | None:
    """The value on one line, or None when it is written as a block (a list of mappings)."""
    if is_scalar(value):
        return styled_scalar(value)
    if isinstance(value, (list, tuple)):
        if all(is_scalar(v) for v in value):
            return "[" + ", ".join(styled_scalar(v) for v in value) + "]" if value else "[]"
        return None
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(is_scalar(v) for v in value.values()):
            return flow_mapping({k: v for k, v in value.items()}) if all(isinstance(v, (str, dt.date)) for v in value.values()) \
                else "{" + ", ".join(f"{k}: {styled_scalar(v)}" for k, v in value.items()) + "}"
    return None


def entry_text(key: str, value: Any, column: int, newline: str, style: tuple[str, str]) -> str:
    """`key: value` lines, the key at `column`."""
    pad = " " * column
    inline = inline_text(value)
    if inline is not None:
        return f"{pad}{key}: {inline}{newline}"
    return f"{pad}{key}:{newline}" + block_text(value, column, newline, style)


def block_text(value: Any, column: int, newline: str, style: tuple[str, str]) -> str:
    indent, gap = style
    if isinstance(value, dict):
        return "".join(entry_text(str(k), v, column + len(indent) or 2, newline, style) for k, v in value.items())
    return "".join(item_text(item, " " * column + indent, gap, newline, style) for item in value)


def item_text(item: Any, indent: str, gap: str, newline: str, style: tuple[str, str]) -> str:
    if isinstance(item, dict) and item:
        lines = []
        for number, (k, v) in enumerate(item.items()):
            lead = f"{indent}-{gap}" if number == 0 else " " * (len(indent) + 1 + len(gap))
            inline = inline_text(v)
            if inline is None:
                lines.append(f"{lead}{k}:{newline}" + block_text(v, len(indent) + 1 + len(gap), newline, style))
            else:
                lines.append(f"{lead}{k}: {inline}{newline}")
        return "".join(lines)
    inline = inline_text(item)
    if inline is None:       # a list in a list
        inline = flow_list([str(v) for v in item])
    return f"{indent}-{gap}{inline}{newline}"
