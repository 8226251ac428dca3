"""The rules a build runs before anything is written: every error `showcase check` reports about
what the build publishes stops the build too (checks/rules.py is the one rule set). Items held
back by a plain build (drafts, scheduled, awaiting review) are not looked at: a `--drafts` build
shows them without their problems stopping it.

They read what the build already holds in memory (the documents, the rendered pages); the
only files they touch are the word list, site.yaml (for the lines of problems in it) and the
published photos' sizes (a stat each).

    problems = content_problems(root, model, exempt)               # before the photos are made
    problems = link_problems(root, model, outputs, exempt, theme)  # once the pages are rendered

With a GateMemo (gate/memo.py), what the last build found is taken from it where everything it
was found from is unchanged: a document's text problems when the document is the same (known by
content.ContentMemo's key, `origins`) under the same rules, and a kept page's addresses of other
hosts when its key (render.pages.PageMemo) is the same.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from builder.checks.links import check_document_links, check_nav, has_references
from builder.checks.rules import Rules, photo_problems, text_problems, with_site_severity
from builder.checks.run import site_targets, stale_reviews
from builder.checks.sitewide import check_hosts, fetched_elsewhere
from builder.checks.text import load_words
from builder.config import CONFIG_FILE
from builder.errors import Problem
from builder.gate.memo import GateMemo
from builder.model import Case, Document, SiteModel
from builder.render.pages import page_jobs, record_key
from builder.render.theme import Theme, static_outputs


def gated(model: SiteModel, exempt: set[str]) -> list[tuple]:
    """(item, page URL, is a case) of what the build publishes and the gate looks at."""
    return [(item, item.url, isinstance(item, Case)) for item in (*model.cases, *model.sites, *model.pages)
            if item.doc.source not in exempt]


def content_problems(root: Path, model: SiteModel, exempt: set[str], memo: GateMemo | None = None,
                     origins: Sequence[tuple] = ()) -> list[Problem]:
    """The errors (and the site's turned-down warnings) of the published documents' text and
    photo files, and of the word list; a warning for each item changed since its review.
    `origins`: (item, what wholly determines it) of the loaded documents (ContentMemo.origins):
    with `memo`, a document's text problems are taken from there when they are known."""
    site = model.site
    words, problems = load_words(root, site, _site_yaml_lines(root))
    rules = Rules(site, tuple(words), warnings=False)
    keys = _document_keys(origins, rules) if memo is not None else {}
    for item, url, is_case in gated(model, exempt):
        head, tail = _text_problems(item.doc, is_case, rules, memo, keys.get(id(item.doc)))
        problems += head + photo_problems(root, item.doc, rules) + tail
    problems += stale_reviews(model)
    return with_site_severity(problems, site)


def _document_keys(origins: Sequence[tuple], rules: Rules) -> dict[int, tuple[Document, bytes]]:
    """id(doc) -> (doc, the key of its text problems under `rules`): a digest of what made the
    document and of what the rules read besides it (the word list, the shortest body)."""
    salt = hashlib.sha256(repr((rules.words, rules.warnings, rules.site.review.min_body_chars)).encode("utf-8"))
    return {id(item.doc): (item.doc, hashlib.blake2b(origin, digest_size=16, key=salt.digest()).digest())
            for item, origin in origins}


def _text_problems(doc: Document, is_case: bool, rules: Rules, memo: GateMemo | None,
                   known: tuple[Document, bytes] | None) -> tuple[list[Problem], list[Problem]]:
    """text_problems of `doc`, from the memo when the document is one whose key is known."""
    if memo is None or known is None or known[0] is not doc:
        return text_problems(doc, is_case, rules)
    key = known[1]
    found = memo.document(key)
    if found is None:
        found = (*text_problems(doc, is_case, rules), has_references(doc.body_html))
        memo.keep_document(key, *found)
    head, tail, refers = found
    memo.note_body(doc.body_html, refers)       # link_problems then skips a body without a link
    return head, tail


def link_problems(root: Path, model: SiteModel, outputs: Mapping[str, object] | None, exempt: set[str],
                  theme: Theme | None, memo: GateMemo | None = None,
                  page_keys: Mapping[str, tuple] | None = None) -> list[Problem]:
    """Links in the published documents and the menu that lead nowhere (or to what is held
    back), and pages that would make a browser fetch from another host. `outputs` None: the
    build stopped before rendering; the links are checked against the pages it would make.
    `page_keys`: output path -> (identity, reads, key) of the pages (render.pages.PageMemo.pages),
    for `memo`."""
    planned = outputs is None
    if planned:
        outputs = dict.fromkeys([job.path for job in page_jobs(model)] + ["sitemap.xml"]
                                + (list(static_outputs(theme)[1]) if theme else []))
    targets = site_targets(model, outputs)
    problems: list[Problem] = []
    reported: set[str] = set()
    for item, url, _ in gated(model, exempt):
        if memo is not None and not memo.may_refer(item.doc.body_html):
            continue                # known to hold no link: nothing to check (content_problems)
        found, _, _ = check_document_links(item.doc, url, targets)
        problems += found
        reported.update(p.params["url"] for p in found if p.code == "foreign_resource")
    found, _, _ = check_nav(model.site, _site_yaml_lines(root), targets)
    problems += found
    if not planned:
        sources = {out: theme.locate_file(path) for out, path in static_outputs(theme)[1].items()} if theme else {}
        fetched = _remembering(memo, page_keys) if memo is not None and page_keys is not None else fetched_elsewhere
        problems += check_hosts(model.site, outputs, sources, reported, fetched)
    return with_site_severity(problems, model.site)


def _remembering(memo: GateMemo, page_keys: Mapping[str, tuple]):
    """sitewide.fetched_elsewhere, taking a kept page's addresses from `memo`: a page with the
    key it had is the bytes it had (render.pages), so only the pages rendered now are read."""
    def fetched(path: str, data: bytes | Path, own_host: str) -> tuple[str, ...]:
        key = record_key(page_keys.get(path))
        if not isinstance(data, bytes):
            stored = memo.page(path, key, own_host)
            if stored is not None:
                return stored
        urls = fetched_elsewhere(path, data, own_host)
        memo.keep_page(path, key, own_host, urls)
        return urls
    return fetched


def _site_yaml_lines(root: Path) -> list[str]:
    try:
        return (root / CONFIG_FILE).read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
