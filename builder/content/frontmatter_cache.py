"""Parsed front matter, cached by a digest of its text.

Composing the YAML node tree is about half of the content stage of a rebuild (PyYAML builds
Python node objects even with the C loader). The result of `parse_yaml` — the values and the
line of every key — is stored as JSON text, keyed by a digest of the YAML text, the line it
starts on and the PyYAML version, so a hit is exactly what parsing would give: correct by
construction, like the Markdown cache. Only plain documents are cached (strings, integers,
finite floats, booleans, null, dates, lists, mappings with string keys; no anchors or
aliases); anything else, and every document with a problem, is parsed every time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any

import yaml

from builder.errors import Problem
from builder.store.jsoncache import JsonCache
from builder.yamlio.source import Parsed, parse_yaml

FORMAT = "fm-2"                 # bump when parse_yaml's result for the same text changes (fm-2: keys written twice)
_DATE = "\0date"                # {_DATE: "2024-05-01"} stands for a date in the stored JSON
_SALT = f"{FORMAT}\0{yaml.__version__}\0{getattr(yaml, '__with_libyaml__', False)}\0"


class FrontMatterCache(JsonCache):
    """One JSON file of digest -> parsed front matter; entries not used by a build are dropped."""

    def valid(self, entry: Any) -> bool:
        return isinstance(entry, str)

    @staticmethod
    def key(text: str, first_line: int = 1) -> str:
        """The entry of parse(text, ..., first_line); a build that does not parse a document again
        (content.ContentMemo) marks it used so that save() keeps it."""
        return hashlib.sha256(f"{_SALT}{first_line}\0{text}".encode("utf-8")).hexdigest()[:32]

    def parse(self, text: str, source: str, first_line: int = 1) -> tuple[Parsed | None, list[Problem]]:
        """parse_yaml(text, source, first_line), from the cache when the same text was seen."""
        key = self.key(text, first_line)
        self.used.add(key)
        stored = self.entries.get(key)
        if stored is not None:
            parsed = _decode(stored)
            if parsed is not None:
                return parsed, []
        parsed, problems = parse_yaml(text, source, first_line=first_line)
        if parsed is not None and not problems and "&" not in text and "*" not in text:
            encoded = _encode(parsed)
            if encoded is not None:
                self.entries[key] = encoded
                self.dirty = True
        return parsed, problems


def _plain(value: Any) -> bool:
    """Does `value` come back from JSON (with tagged dates) as exactly the same value and types?"""
    kind = type(value)
    if kind is str:
        return _utf8(value)
    if kind is bool or kind is int or value is None or kind is dt.date:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_plain(item) for item in value)
    if kind is dict:
        return all(type(k) is str and not k.startswith("\0") and _utf8(k) and _plain(v) for k, v in value.items())
    return False


def _utf8(text: str) -> bool:
    """False for text with lone surrogates, which the cache file (UTF-8) cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _tag_dates(value: Any) -> Any:
    if type(value) is dt.date:
        return {_DATE: value.isoformat()}
    if type(value) is list:
        return [_tag_dates(item) for item in value]
    if type(value) is dict:
        return {k: _tag_dates(v) for k, v in value.items()}
    return value


def _untag(mapping: dict) -> Any:
    if len(mapping) == 1 and _DATE in mapping:
        return dt.date.fromisoformat(mapping[_DATE])
    return mapping


def _encode(parsed: Parsed) -> str | None:
    if not _plain(parsed.value):
        return None
    lines = [[list(path), line] for path, line in parsed.lines.items()]
    if not all(type(p) in (str, int) or p is None for path, _ in lines for p in path):
        return None
    return json.dumps([_tag_dates(parsed.value), lines], ensure_ascii=False, allow_nan=False)


def _decode(stored: str) -> Parsed | None:
    """The stored parse, or None (parse again) for an entry that is not what _encode writes."""
    try:
        value, lines = json.loads(stored, object_hook=_untag)
        if not all(_is_line(entry) for entry in lines):
            return None
        return Parsed(value, {tuple(path): line for path, line in lines})
    except (ValueError, TypeError):
        return None


def _is_line(entry: Any) -> bool:
    """[[key, index, ...], line]: a hand-edited line number ('5', [5]) would reach every problem."""
    return (type(entry) is list and len(entry) == 2 and type(entry[0]) is list and type(entry[1]) is int
            and all(type(p) in (str, int) or p is None for p in entry[0]))
