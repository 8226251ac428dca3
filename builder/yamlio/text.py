"""Writing YAML by hand, a value at a time, for files people edit: `showcase new` and
`showcase review` write text, never yaml.dump, so comments, order and quoting stay as they were.
"""
from __future__ import annotations

import datetime as dt
import json
import re

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
