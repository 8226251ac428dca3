"""What the gate found in the last build, for the next one into the same output folder: each
document's text problems under a digest of everything they were found from, and each page's
addresses of other hosts under the page's key (render.pages.PageMemo: the same key, the same
bytes). A rebuild after one edit then looks again only at the edited document and at the pages
it rendered, instead of at 5,000 documents and 7,000 pages (0.7 s of a 3.6 s rebuild).

Kept in .cache/state/ (store.state: a file of another version of showcase, damaged or missing
reads as empty, and everything is looked at again). Only what this build used is saved.

    memo = GateMemo.load(path)
    memo.documents: digest -> (problems before the photo files' checks, problems after,
                               whether the body may hold a link: checks.links.has_references)
    memo.pages: output path -> (page key, the absolute addresses the page makes a browser fetch)
    memo.save()
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.errors import Problem
from builder.store.state import read_state, write_state

PLAIN = (str, int, float, bool, type(None))


class GateMemo:
    def __init__(self, path: Path | None = None):
        self.path = path                    # the state file; None: in memory only
        self.own_host = ""                  # the host `pages` were scanned for (sitewide.page_fetches_elsewhere)
        self.documents: dict[bytes, tuple] = {}
        self.pages: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        self.used_documents: dict[bytes, tuple] = {}
        self.used_pages: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        self.hits = 0                       # documents and pages taken from the memo
        # id(body_html) -> (body_html, has_references) of this build's documents, for link_problems
        self.bodies: dict[int, tuple[str, bool]] = {}

    @classmethod
    def load(cls, path: Path | None) -> "GateMemo":
        memo = cls(path)
        payload = read_state(path)
        try:
            own_host, documents, pages = payload
            if type(own_host) is str and type(documents) is dict and type(pages) is dict:
                memo.own_host, memo.documents, memo.pages = own_host, documents, pages
        except (TypeError, ValueError):
            pass                            # none, or not what save writes: everything is looked at again
        return memo

    def save(self) -> None:
        """Keep what this build used, if that is not what is saved already."""
        if self.path is None:
            return
        if self.used_documents == self.documents and self.used_pages == self.pages:
            return
        write_state(self.path, (self.own_host, self.used_documents, self.used_pages))

    # --- documents ---------------------------------------------------------------------------

    def document(self, key: bytes) -> tuple[list[Problem], list[Problem], bool] | None:
        """The problems stored under `key` and whether the body may hold a link, or None."""
        stored = self.documents.get(key)
        try:
            head, tail, refers = stored
            found = [decode(p) for p in head], [decode(p) for p in tail], refers
        except (TypeError, ValueError, KeyError):
            return None                     # none, or an entry this version does not read: looked at again
        if type(refers) is not bool:
            return None
        self.used_documents[key] = stored
        self.hits += 1
        return found

    def keep_document(self, key: bytes, head: list[Problem], tail: list[Problem], refers: bool) -> None:
        encoded = [encode(p) for p in (*head, *tail)]
        if None not in encoded:             # a value the state file cannot hold: found again next time
            self.used_documents[key] = (tuple(encoded[:len(head)]), tuple(encoded[len(head):]), refers)

    def note_body(self, body_html: str, refers: bool) -> None:
        self.bodies[id(body_html)] = (body_html, refers)

    def may_refer(self, body_html: str) -> bool:
        """False only for a body this build's content_problems knows to hold no link."""
        known = self.bodies.get(id(body_html))
        return known is None or known[0] is not body_html or known[1]

    # --- pages -------------------------------------------------------------------------------

    def page(self, rel: str, key: bytes | None, own_host: str) -> tuple[str, ...] | None:
        """The addresses stored for the page at `rel` when it was rendered with `key`, or None."""
        stored = self.pages.get(rel)
        if key is None or stored is None or own_host != self.own_host or stored[0] != key:
            return None
        self.used_pages[rel] = stored
        self.hits += 1
        return stored[1]

    def keep_page(self, rel: str, key: bytes | None, own_host: str, urls: tuple[str, ...]) -> None:
        if key is None:
            return
        if own_host != self.own_host:
            self.own_host, self.pages, self.used_pages = own_host, {}, {}
        self.used_pages[rel] = (key, urls)


def encode(problem: Problem) -> tuple | None:
    """A problem as plain values, or None when a parameter is not a plain value."""
    params = tuple(problem.params.items())
    if not all(type(value) in PLAIN or (type(value) is tuple and all(type(v) in PLAIN for v in value))
               for _, value in params):
        return None
    return problem.path, problem.line, problem.code, params, problem.severity


def decode(stored: Any) -> Problem:
    path, line, code, params, severity = stored
    return Problem(path, line, code, dict(params), severity)
