"""The fragments of a big page, taken again from the file the last build wrote.

A page made of many kept() fragments (render.pages: each case's article on a booklet group's
page, megabytes of them) is rendered again whenever one of them changed. Its other fragments
need not be made again: the page's record says where each fragment's text is in the file, and
what it read (render.trace). A fragment is taken from the old file when

  - the file is what the last build left (same size and time, like a kept page), and
  - the fragment's id is the same: its key, the arguments it is made from, and the names the
    template set at its top ({% set %}, macros) as they are where it is made, which a macro
    sees without looking them up in the context (so they are not among its reads); and
  - what the fragment read is unchanged.

Anything else, it is made as a cold build makes it. Only pages of FRAGMENTS_FROM characters
or more record their fragments: a smaller page is cheaper to render than its record is to keep.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from jinja2.runtime import Macro

from builder.render.trace import Digester, TokenValues, Unknown, page_key, stable_reads

FRAGMENTS_FROM = 200_000        # characters of a page's text


@dataclass(slots=True)
class Fragment:
    """A kept() fragment as this build holds it (render.pages): what it made and read, its id
    (None until needed, or if it cannot be named), its reads as stable_reads gives them (if
    known), and what names it (fragment_id's arguments)."""
    value: Any
    reads: frozenset
    fid: bytes | None = None
    stable: tuple | None = None
    named: tuple | None = None
    digest: bytes | None = None         # of its reads, when known (taken from the old file: unchanged)


@dataclass
class PageFragments:
    """The top-level fragments of one page while it is rendered: those it may take from the old
    file (id -> (reads, digest, start, end)), and those it holds, in order ((id, reads, value))."""
    base: bytes                         # the build's base digest (render.pages.base_digest)
    old: dict[bytes, tuple] = field(default_factory=dict)
    old_file: Path | None = None
    made: list[Fragment] = field(default_factory=list)
    scopes: dict = field(default_factory=dict)      # fragment_id's, for this page
    depth: int = 0                      # > 0 while a fragment is being made (a nested one is part of it)
    _text: str | None = None

    def reuse(self, fid: bytes | None, values: TokenValues, variables: dict[str, Any]
              ) -> tuple[str, frozenset, tuple, bytes] | None:
        """(the text, the tokens read, and as stable_reads gives them, their digest) of fragment
        `fid` in the old file, if what it read is unchanged."""
        found = self.old.get(fid) if fid is not None else None
        if found is None:
            return None
        reads, digest, start, end = found
        if page_key(self.base, fragment_identity(fid), reads, values, variables) != digest:
            return None
        text = self._old_text()
        if text is None or end > len(text):
            return None
        names, tokens = reads
        return text[start:end], frozenset(tokens).union(("name", name) for name in names), reads, digest

    def _old_text(self) -> str | None:
        if self._text is None and self.old_file is not None:
            try:
                self._text = self.old_file.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self.old, self.old_file = {}, None
        return self._text


def fragment_id(digester: Digester, key: tuple, args: tuple, kwargs: dict[str, Any],
                scope: Iterable[tuple[str, Any]], scopes: dict | None = None) -> bytes | None:
    """What names a fragment: the template's key, the arguments it is made from (cases and terms
    as views, by address) and the names the template has set (`scope`: context.vars.items(); a macro by
    its name, its code being the template's). None if they cannot be digested: it is made."""
    try:
        return hashlib.blake2b(digester.of((key, args, kwargs)) + _scope(digester, tuple(scope), scopes),
                               digest_size=16).digest()
    except (Unknown, AttributeError, TypeError):
        return None


def _scope(digester: Digester, scope: tuple, scopes: dict | None) -> bytes:
    """The bytes of a template's set names, made once per page for the same objects (a booklet
    page names 5,000 fragments in the same scope): `scopes` keeps them by the objects' ids, with
    the objects, so that the ids stay theirs."""
    ids = tuple((name, id(value)) for name, value in scope)
    found = scopes.get(ids) if scopes is not None else None
    if found is None:
        names = [(name, ("macro", value.name) if isinstance(value, Macro) else value) for name, value in scope]
        found = (scope, digester.of(names))
        if scopes is not None:
            scopes[ids] = found
    return found[1]


def fragment_identity(fid: bytes) -> tuple:
    return ("fragment", fid.hex())


def previous_fragments(before: tuple | None, identity: tuple) -> dict[bytes, tuple]:
    """The fragments the page's record lists for its old file (render.pages: the 4th item)."""
    if before is None or len(before) < 4 or type(before[3]) is not dict or before[0] != identity:
        return {}
    return before[3]


def located(text: str, made: list[Fragment], digester: Digester, scopes: dict | None = None) -> list[tuple]:
    """(id, reads, start, end, digest or None) of each fragment found as it is in `text`, in order. A fragment
    whose text is not in the page as it is (a filter changed it) is left out: it is made again."""
    found, position = [], 0
    for fragment in made:
        value = fragment.value
        if not isinstance(value, str):
            continue
        if fragment.fid is None and fragment.named is not None:
            fragment.fid = fragment_id(digester, *fragment.named, scopes)
        if fragment.fid is None:
            continue
        start = text.find(value, position)
        if start < 0:
            continue
        position = start + len(value)
        if fragment.stable is None:
            fragment.stable = stable_reads(fragment.reads)
        found.append((fragment.fid, fragment.stable, start, position, fragment.digest))
    return found


def fragments_record(base: bytes, fragments: list[tuple], values: TokenValues, variables: dict[str, Any],
                     interned: dict[tuple, tuple]) -> dict[bytes, tuple]:
    """What the page's record keeps of its fragments: {id: (reads, digest, start, end)}. Tokens
    and tuples of names are `interned` with the pages' (marshal writes one met again as a reference)."""
    kept = {}
    for fid, (names, tokens), start, end, digest in fragments:
        if fid in kept:
            continue
        reads = (interned.setdefault(names, names), tuple([interned.setdefault(token, token) for token in tokens]))
        key = digest or page_key(base, fragment_identity(fid), reads, values, variables)
        if key is not None:
            kept[fid] = (reads, key, start, end)
    return kept
