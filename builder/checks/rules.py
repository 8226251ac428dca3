"""The one rule set: the checks of a document that both `showcase check` and `showcase build`
run, which of their problems are errors, and which of those a site may turn into warnings.

Every problem `check` calls an error also stops `build` (unless its item is held back anyway).
A site may list rules in site.yaml under `review: warnings:` to make them warnings instead;
the rules in FIXED cannot be listed: a placeholder, a template hint, unsafe HTML and a private
photo never reach the public site.

    problems, external, internal = document_problems(root, doc, url, is_case, rules, targets)
    head, tail = text_problems(doc, is_case, rules)       # the text's part: a function of doc and rules
    problems = with_site_severity(problems, site)
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder.checks.links import ExternalLink, Targets, check_document_links
from builder.checks.photos import check_photo_files, check_photos
from builder.checks.text import (TextLine, Word, check_hints, check_length, check_punctuation,
                                 check_sections, check_words, document_lines, finder, snippet)
from builder.config import FIXED_RULES, TURNABLE_RULES
from builder.errors import WARNING, Problem
from builder.model import Case, Document, Site

# Placeholders writers leave in a draft: never published, whatever the site's word list says.
PLACEHOLDERS = ("XXX", "ＸＸＸ", "××", "待补充", "待核实")

# Errors a site may turn into warnings (review: warnings: [...] in site.yaml), and those it may not
# (the html_ ones: what the sanitiser removes, content/sanitize.py). site.yaml's schema owns the lists.
TURNABLE = TURNABLE_RULES
FIXED = FIXED_RULES


@dataclass(frozen=True, slots=True)
class Rules:
    """What the rules of one run read besides the document: the site and its word list."""
    site: Site
    words: tuple[Word, ...] = ()
    warnings: bool = True           # False (build): only the rules that can give an error


def document_problems(root: Path, doc: Document, url: str, is_case: bool, rules: Rules,
                      targets: Targets | None = None) -> tuple[list[Problem], list[ExternalLink], int]:
    """Every rule on one case, model site or page: (problems, external links, internal links
    checked). Links only with `targets` (what the build makes). Severities as the rules give
    them: with_site_severity applies the site's choices."""
    head, tail = text_problems(doc, is_case, rules)
    problems = head + photo_problems(root, doc, rules) + tail
    external: list[ExternalLink] = []
    internal = 0
    if targets is not None:
        found, external, internal = check_document_links(doc, url, targets)
        problems += found
    return problems, external, internal


def text_problems(doc: Document, is_case: bool, rules: Rules) -> tuple[list[Problem], list[Problem]]:
    """The problems of the document's own text (those found before the photo files' checks, and
    after): a function of the document and `rules` alone, which the gate keeps between builds."""
    lines = list(document_lines(doc))
    words = rules.words if rules.warnings else tuple(w for w in rules.words if w.right is None)
    head = [p for p in check_words(lines, list(words))
            if not (p.code == "word_forbidden" and p.params.get("word") in PLACEHOLDERS)]
    head += check_placeholders(lines)
    head += check_hints(doc)
    if rules.warnings:
        head += check_punctuation(lines)
        head += check_sections(doc)
    tail = check_length(doc, rules.site.review.min_body_chars) if is_case else []
    return head, tail


def photo_problems(root: Path, doc: Document, rules: Rules) -> list[Problem]:
    """The checks of the photo files (they read the files, so they are never kept)."""
    return check_photos(root, doc, rules.site) if rules.warnings else check_photo_files(root, doc, rules.site)


def check_placeholders(lines: Iterable[TextLine]) -> list[Problem]:
    problems = []
    anywhere = finder(PLACEHOLDERS)
    for item in lines:
        if anywhere(item.text) is None:
            continue
        for word in PLACEHOLDERS:
            start = item.text.find(word)
            if start >= 0:
                problems.append(Problem(item.path, item.line, "placeholder_left",
                                        {"word": word, "context": snippet(item.text, start, len(word))}))
    return problems


def with_site_severity(problems: Iterable[Problem], site: Site) -> list[Problem]:
    """The problems with the rules the site turned into warnings (review: warnings:) as warnings."""
    turned = set(site.review.warnings)
    return [dataclasses.replace(p, severity=WARNING) if p.is_error and p.code in turned else p for p in problems]
