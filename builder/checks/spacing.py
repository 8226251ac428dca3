"""A check of `showcase check`: a space between a Chinese character and a digit or a Latin
letter ("组织 11 名", "**25 项**", "使用 App 办理"), which official Chinese does not write.

Read on the same lines as the other text checks (titles, summaries, captions, the body's prose,
without code, link targets and addresses), and on the texts of site.yaml the site shows.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from builder.checks.text import CONTEXT, TextLine
from builder.errors import WARNING, Problem
from builder.model import Site

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_SPACE = "[ \t\u00a0\u3000]+"
_MARK = "[*_~]*"                        # Markdown emphasis beside the space: 组织 **25** 名
# Han, space, digit or letter; or digit, letter or % , space, Han. Groups: mark, space, mark.
_GAP = re.compile(rf"(?<=[{_HAN}])({_MARK})({_SPACE})({_MARK})(?=[0-9A-Za-z])"
                  rf"|(?<=[0-9A-Za-z%])({_MARK})({_SPACE})({_MARK})(?=[{_HAN}])")
# Markdown that a reader does not see: a link's brackets and target, HTML tags (dropped); inline
# code and addresses (one character that is neither Chinese nor a letter).
_MARKUP = re.compile(r"(?P<drop>!?\[|\]\([^)]*\)|<[^>]+>)|(?P<opaque>`[^`]*`|https?://\S+|www\.\S+)")


def check_spacing(lines: Iterable[TextLine]) -> list[Problem]:
    """One warning a line, showing its first such space with what is around it, and the fix."""
    problems = []
    for item in lines:
        seen, where = _visible(item.text)
        gaps = [(where[m.start()], where[m.end() - 1] + 1) for m in _GAP.finditer(seen)]   # in the line as written
        if not gaps:
            continue
        start, end = gaps[0]
        window = (max(0, start - CONTEXT), min(len(item.text), end + CONTEXT))
        problems.append(Problem(item.path, item.line, "space_between_han", {
            "context": _shown(item.text, window, []), "fix": _shown(item.text, window, gaps),
            "count": len(gaps) if len(gaps) > 1 else None}, severity=WARNING))
    return problems


def _shown(text: str, window: tuple[int, int], gaps: list[tuple[int, int]]) -> str:
    """text[window] with '…' where it is cut, and the spaces of `gaps` deleted."""
    first, last = window
    kept = "".join(char for index, char in enumerate(text[first:last], start=first)
                   if not (char in _SPACES and any(a <= index < b for a, b in gaps)))
    return (("…" if first > 0 else "") + kept + ("…" if last < len(text) else "")).strip()


_SPACES = " \t\u00a0\u3000"


def _visible(text: str) -> tuple[str, list[int]]:
    """The line as a reader sees it, and for each of its characters the index in `text`."""
    seen: list[str] = []
    where: list[int] = []
    at = 0
    for match in _MARKUP.finditer(text + "\0"):
        if match.start() >= len(text):
            break
        seen += text[at:match.start()]
        where += range(at, match.start())
        if match.lastgroup == "opaque":
            seen.append("\0")
            where.append(match.start())
        at = match.end()
    seen += text[at:]
    where += range(at, len(text))
    return "".join(seen), where


def site_lines(site: Site, site_yaml_lines: list[str]) -> Iterator[TextLine]:
    """The texts of site.yaml that the site shows: title, subtitle, description, the word for
    model sites and their kinds, the actions, the menu, the footer; each on the first line
    (not a comment) that holds it."""
    texts = [site.title, site.subtitle, site.description, site.sites.label, *site.sites.kinds]
    for action in site.actions:
        texts += [action.name, action.description]
    texts += [item.title for item in site.nav]
    texts += [site.footer.organiser, site.footer.text]
    for text in texts:
        if text:
            yield TextLine("site.yaml", _line_with(site_yaml_lines, text), text, "site")


def _line_with(lines: list[str], text: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if text in line and not line.lstrip().startswith("#"):
            return number
    return None
