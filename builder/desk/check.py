"""Problems beside their fields: a form is checked as the file it would save, by the build's
own reading of that file (content.load.read_document), the build's cross-checks against the
other files (assemble) and the self-inspection's rules for one document (checks/), so the
desk says what a build and `showcase check` would say, in the same words.

Each problem is then placed beside the field it concerns, by the line it names: a line of the
front matter belongs to the key written there (a photo's caption to that photo), a line of the
body to the body; a problem without a line names its key.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.assemble import Selection, assemble
from builder.checks.rules import Rules, document_problems, with_site_severity
from builder.checks.text import load_words
from builder.config import CONFIG_FILE, load_config
from builder.content.load import ContentMemo, load_content, read_document
from builder.content.markdown import MarkdownCache
from builder.errors import Problem
from builder.model import Case, Content, ModelSite, Page, Site
from builder.yamlio.source import decode_source, parse_yaml, split_front_matter


@dataclass(frozen=True, slots=True)
class Placed:
    """A problem and the field it is shown beside."""
    field: str               # a form field, 'body', 'photos.<index>', or '' for the file as a whole
    problem: Problem

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"field": self.field, "line": self.problem.line, "error": self.problem.is_error,
                "message": self.problem.message(lang), "hint": self.problem.hint(lang),
                "code": self.problem.code}


class Checker:
    """What the desk keeps to check forms quickly: the site's documents as last read (a file is
    parsed again only when its bytes change), and the Markdown cache as the last build left it
    (read once, never written: the build owns it)."""

    def __init__(self, root: Path):
        self.root = root
        self.cache = MarkdownCache(root / ".cache" / "markdown.json")
        self.memo = ContentMemo()
        self.lock = threading.Lock()

    def content(self) -> tuple[Site, Content, list[Problem]]:
        with self.lock:
            site, problems = load_config(self.root)
            content, found = load_content(self.root, site, self.cache, workers=1, memo=self.memo)
            return site, content, problems + found

    def check(self, rel: str, kind: str, data: bytes, read: tuple[Site, Content, list[Problem]] | None = None
              ) -> tuple[Case | ModelSite | Page | None, list[Placed]]:
        """The document the file `rel` would be with the bytes `data`, and its problems, placed.
        `read`: what content() gave, when the caller has it already."""
        site, content, _ = read or self.content()
        with self.lock:
            item, problems = read_document(self.root, rel, data, kind, site, self.cache)
        if item is not None:
            problems += _cross_checks(site, content, item)
            problems += self._inspection(site, item, data)
        return item, place(problems, rel, data)

    def _inspection(self, site: Site, item: Case | ModelSite | Page, data: bytes) -> list[Problem]:
        """The rules `showcase check` and `showcase build` both apply to one document
        (checks.rules, the gate's one rule set), with the site's choice of warnings."""
        try:
            site_lines = (self.root / CONFIG_FILE).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            site_lines = []
        words, _ = load_words(self.root, site, site_lines)
        found, _, _ = document_problems(self.root, item.doc, item.url, isinstance(item, Case), Rules(site, tuple(words)))
        return with_site_severity(found, site)


def _cross_checks(site: Site, content: Content, item: Case | ModelSite | Page) -> list[Problem]:
    """What assemble says about this document among all the others (its model site, category,
    actions exist; its address is its own)."""
    source = item.doc.source

    def others(items: tuple) -> tuple:
        return tuple(i for i in items if i.doc.source != source)

    cases, sites, pages = others(content.cases), others(content.sites), others(content.pages)
    if isinstance(item, Case):
        cases += (item,)
    elif isinstance(item, ModelSite):
        sites += (item,)
    else:
        pages += (item,)
    _, problems = assemble(site, Content(cases=cases, sites=sites, pages=pages), Selection(drafts=True, future=True))
    return [p for p in problems if p.path == source]


def place(problems: list[Problem], rel: str, data: bytes) -> list[Placed]:
    """Each problem of the file `rel` beside its field."""
    keys, body_line = _key_lines(data, rel)
    placed = []
    for problem in problems:
        if problem.path not in (rel, ""):
            continue
        placed.append(Placed(_field_of(problem, keys, body_line), problem))
    return placed


def field_at(data: bytes, rel: str, line: int) -> str:
    """The field of the form that line `line` of the file `data` belongs to ('body', 'photos.1', 'title'…)."""
    keys, body_line = _key_lines(data, rel)
    return _field_of(Problem(rel, line, "edit_mismatch"), keys, body_line)


def _key_lines(data: bytes, rel: str) -> tuple[dict[tuple, int], int | None]:
    text, _ = decode_source(data, rel)
    split = split_front_matter(text, rel)[0] if text is not None else None
    if split is None:
        return {}, None
    parsed, _ = parse_yaml(split.front, rel, first_line=split.front_line)
    return (dict(parsed.lines) if parsed is not None else {}), split.body_line


def _field_of(problem: Problem, keys: dict[tuple, int], body_line: int | None) -> str:
    line = problem.line
    if line is None:
        key = problem.params.get("key")
        return key if isinstance(key, str) else ""
    if body_line is not None and line >= body_line:
        return "body"
    # The deepest key path written on that line, else the last top-level key above it.
    on_line = [path for path, at in keys.items() if at == line and path]
    if on_line:
        path = max(on_line, key=len)
        if path[0] == "photos" and len(path) > 1 and isinstance(path[1], int):
            return f"photos.{path[1]}"
        return str(path[0])
    above = [(at, path[0]) for path, at in keys.items() if len(path) == 1 and at <= line]
    if above:
        top = max(above, key=lambda pair: pair[0])[1]
        if top == "photos":
            items = [(at, path[1]) for path, at in keys.items()
                     if len(path) >= 2 and path[0] == "photos" and isinstance(path[1], int) and at <= line]
            if items:
                return f"photos.{max(items)[1]}"
        return str(top)
    return ""
