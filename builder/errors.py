"""Problems found in a site's sources, and the exception that carries them.

A Problem names a message from the catalogue (builder/i18n/) by code, so the same
problem prints in Chinese or English; it never holds pre-formatted text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from builder import i18n

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    path: str                      # relative to the site root, '/'-separated ('' for the site itself)
    line: int | None
    code: str                      # key into MESSAGES
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = ERROR

    def __post_init__(self) -> None:
        if not i18n.has(self.code):
            raise KeyError(f"unknown message code {self.code!r}")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "zh") -> str:
        return i18n.text(self.code, lang, **self.params)

    def hint(self, lang: str = "zh") -> str:
        return i18n.hint(self.code, lang, **self.params)

    def location(self) -> str:
        if not self.path:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self, lang: str = "zh") -> str:
        """`path:line: message`, then the hint on an indented line."""
        head = f"{self.location()}: " if self.location() else ""
        label = "" if self.is_error else i18n.text("label_warning", lang)
        text = head + label + self.message(lang)
        hint = self.hint(lang)
        if hint:
            text += "\n    " + i18n.text("label_hint", lang) + hint
        return text

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.code)


class BuildError(Exception):
    """Raised once a stage has collected every problem it could find."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems, key=Problem.sort_key))
        super().__init__(f"{len(self.problems)} problem(s)")


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
