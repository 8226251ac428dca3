"""Typed reading of YAML mappings, shared by site.yaml and front matter.

A FieldReader reads one mapping: each accessor returns a clean value (or the default) and
records a Problem with the key's line when the value is missing or of the wrong type, so a
stage can read every field, keep going, and report everything at once.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from typing import Any, Iterable

from builder.errors import Problem
from builder.i18n import Phrase
from builder.yamlio.source import KeyPath, Parsed

_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")
# Dates as people write them by hand: 2024年6月12日, 2024/6/12, 2024.6.12 (one separator throughout),
# and 20240612.
_LOOSE_DATE = re.compile(r"\s*(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
                         r"|([-/.])\s*(\d{1,2})\s*\4\s*(\d{1,2}))\s*")
_COMPACT_DATE = re.compile(r"\s*(\d{4})(\d{2})(\d{2})\s*")

TYPES = ("str", "bool", "int", "number", "list", "mapping", "date")     # type_<kind> and example_<kind> in the catalogue


def read_date(text: str) -> tuple[dt.date | None, dt.date | None]:
    """A date written as text, read the one way the build and `showcase new` / `review` read it:
    (the date, None) for 2024-06-12 (or 2024-6-12); (None, the date meant) for a real date
    written another way people write dates (see loose_date), which is to be corrected; and
    (None, None) for anything else, a date that does not exist included."""
    match = _DATE.fullmatch(text or "")
    if match:
        return _real_date(*match.groups()), None
    return None, loose_date(text)


def impossible_date(text: str) -> Phrase | None:
    """Why a date written as YYYY-MM-DD does not exist (the month is 13, February has no 30th),
    in words of the catalogue; None for a real date or text of another form."""
    match = _DATE.fullmatch(text or "") or _LOOSE_DATE.fullmatch(text or "")
    if match is None:
        return None
    parts = [int(g) for g in match.groups() if g and g.isdigit()]
    if len(parts) != 3:
        return None
    year, month, day = parts
    if not 1 <= month <= 12:
        return Phrase("date_why_month", {"month": month})
    if year < dt.MINYEAR:
        return Phrase("date_why_year", {"year": year})
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return Phrase("date_why_day", {"year": year, "month": month, "day": day, "days": days})
    return None


def loose_date(text: str) -> dt.date | None:
    """The real date in '2024年6月12日', '2024/6/12', '2024.6.12', '2024-6-12' or '20240612'; None otherwise."""
    match = _LOOSE_DATE.fullmatch(text or "")
    if match:
        return _real_date(match.group(1), match.group(2) or match.group(5), match.group(3) or match.group(6))
    match = _COMPACT_DATE.fullmatch(text or "")
    return _real_date(*match.groups()) if match else None


def _real_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def describe(value: Any) -> Any:
    """How a wrong value looked, as a neutral value for a message: “abc” / 'abc', a list…"""
    if value is None:
        return Phrase("value_nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return Phrase("value_list")
    if isinstance(value, dict):
        return Phrase("value_mapping")
    return Phrase("value_quoted", {"value": value})


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """The candidate closest to a mistyped word ('titel' -> 'title'), or ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return close[0] if close else ""


def suggestion_params(word: str, candidates: Iterable[str]) -> dict[str, str]:
    return {"suggestion": suggestion(word, candidates)}


def choice_params(values: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """{'allowed': ('村', '社区')}: the values a field may take, listed the reader's way."""
    return {"allowed": tuple(values)}


class FieldReader:
    """Reads the fields of one mapping at `path` inside a parsed YAML document."""

    def __init__(self, parsed: Parsed, source: str, problems: list[Problem],
                 path: KeyPath = (), mapping: dict | None = None):
        self.parsed = parsed
        self.source = source
        self.problems = problems
        self.path = path
        self.mapping = mapping if mapping is not None else parsed.value

    def line(self, key: Any = None) -> int | None:
        return self.parsed.line(*self.path, key) if key is not None else self.parsed.line(*self.path)

    def problem(self, at: Any, code: str, **params: Any) -> None:
        """Record a problem at the line of key `at` (None: the mapping itself)."""
        self.problems.append(Problem(self.source, self.line(at), code, params))

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.mapping:
            if key not in allowed:
                self.problem(key, "unknown_key", key=key, allowed=", ".join(allowed),
                             **suggestion_params(key, allowed))

    def lines(self) -> dict[str, int]:
        return {str(k): self.line(k) for k in self.mapping if self.line(k)}

    # --- typed accessors ------------------------------------------------------------------
    def _wrong(self, key: str, kind: str, value: Any) -> None:
        self.problem(key, "wrong_type", **_wrong_params(key, kind, value))

    def _get(self, key: str, required: bool) -> tuple[bool, Any]:
        if key not in self.mapping or self.mapping[key] is None:
            if required:
                if key in self.mapping:
                    self.problem(key, "empty_value", key=key)
                else:
                    self.problems.append(Problem(self.source, self.line(), "missing_key", {"key": key}))
            return False, None
        return True, self.mapping[key]

    def str(self, key: str, default: str = "", required: bool = False) -> str:
        present, value = self._get(key, required)
        if not present:
            return default
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self._wrong(key, "str", value)
            return default
        text = str(value).strip()   # numbers and dates are fine as text: `title: 2025` is a title
        if required and not text:
            self.problem(key, "empty_value", key=key)
        return text

    def bool(self, key: str, default: bool = False) -> bool:
        present, value = self._get(key, False)
        if not present:
            return default
        if not isinstance(value, bool):
            self._wrong(key, "bool", value)
            return default
        return value

    def int(self, key: str, default: int = 0, low: int | None = None, high: int | None = None) -> int:
        present, value = self._get(key, False)
        if not present:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "int", value)
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.problem(key, "number_range", key=key, low=low, high=high, value=value)
            return default
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        present, value = self._get(key, False)
        if not present:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._wrong(key, "number", value)
            return default
        if not low <= value <= high:
            self.problem(key, "number_range", key=key, low=low, high=high, value=value)
            return default
        return value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        present, value = self._get(key, required)
        if not present:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        # A quoted date, "2024-05-01", is still a date; 20240612 is a number to YAML.
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        when, meant = read_date(text)
        if when is not None:
            return when
        if meant is not None:
            self.problem(key, "bad_date_fixable", key=key, value=value, fixed=meant.isoformat())
        elif (why := impossible_date(text)) is not None:
            self.problem(key, "bad_date_impossible", value=value, why=why)
        else:
            self.problem(key, "bad_date", value=value)
        return None

    def str_list(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a one-item list."""
        present, value = self._get(key, False)
        if not present:
            return ()
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            self._wrong(key, "list", value)
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if item is None or isinstance(item, (bool, list, dict)):
                self.problems.append(Problem(self.source, self.parsed.line(*self.path, key, index),
                                             "wrong_type", _wrong_params(f"{key}[{index + 1}]", "str", item)))
                continue
            text = str(item).strip()
            if text in items:
                self.problems.append(Problem(self.source, self.parsed.line(*self.path, key, index),
                                             "duplicate_name", {"key": key, "value": text}))
                continue
            if text:
                items.append(text)
        return tuple(items)

    def mapping_of(self, key: str) -> FieldReader | None:
        present, value = self._get(key, False)
        if not present:
            return None
        if not isinstance(value, dict):
            self._wrong(key, "mapping", value)
            return None
        return FieldReader(self.parsed, self.source, self.problems, self.path + (key,), value)

    def list_of_mappings(self, key: str, shorthand: str) -> list[FieldReader]:
        """Items of a list of mappings; a bare item `- x` is read as `{shorthand: x}`."""
        present, value = self._get(key, False)
        if not present:
            return []
        if not isinstance(value, list):
            self._wrong(key, "list", value)
            return []
        readers = []
        for index, item in enumerate(value):
            path = self.path + (key, index)
            if isinstance(item, dict):
                readers.append(FieldReader(self.parsed, self.source, self.problems, path, item))
            else:
                readers.append(FieldReader(self.parsed, self.source, self.problems, path, {shorthand: item}))
        return readers

    def raw(self, key: str) -> Any:
        return self.mapping.get(key)


def _wrong_params(key: str, kind: str, value: Any) -> dict[str, Any]:
    return {"key": key, "expected": Phrase(f"type_{kind}"), "got": describe(value), "example": Phrase(f"example_{kind}")}
