"""What each page read while it was rendered, so that a rebuild renders only the pages whose
inputs changed (the rest are the files the last build wrote).

A page's bytes are a function of the templates, the UI strings, the theme's assets, the
site's settings (together: the build's `base` digest), the page's address, and whatever the
templates looked up while rendering it. Those lookups are recorded:

  - every name a template resolves in its context (`case`, `related`, `site`, `updated` …):
    Jinja resolves every name through Context.resolve_or_missing, which RecordingContext
    overrides; imported macros (with context) and included templates get contexts of the
    same class, so their lookups count for the page too;
  - every part of the model read through `model`, which templates get as a ModelView:
    `model.cases` (all cases), `model.term('tags', name)` (that term's name, slug and
    address, or, once its `.cases` is read, the whole term), `model.sites_by_slug.get(slug)`
    (that model site) …;
  - what a fragment kept by `kept()` (a case's card) read, once for every page it appears on.

A lookup is a token; its value at build time is reduced to bytes (`Digester`), and a page's
key is a digest of the base, its address and every (token, value) it recorded. The next build
computes the same tokens' values from its own model and jobs: if the key is the same, so is
every input the page read, and since rendering is deterministic so are its bytes (a "verifying
trace"). Reading more than it needs only costs a render; reading less would be a wrong page,
which is why everything a template can reach from its context goes through these two doors.

Values are digested by content, never by identity or pickle (whose output depends on which
objects happen to be shared): a model object is a digest of its class and fields.
"""
from __future__ import annotations

import dataclasses
import hashlib
from typing import Any, Iterable, Mapping

from jinja2.runtime import Context, missing

from builder.model import Case, Document, SiteModel, Standing, Term
from builder.store.digest import Digester, Unknown  # noqa: F401 - Digester: also render.trace's

_stack: list[set] = []          # the recorders of the pages being rendered (a kept fragment nests one)


def recording() -> set | None:
    return _stack[-1] if _stack else None


class Recorder:
    """with Recorder() as reads: ... — the tokens read meanwhile (nested recorders also give
    their tokens to the one around them, unless `alone`: a page's fragment, whose reads the page
    keeps apart from its own)."""

    def __init__(self, alone: bool = False) -> None:
        self.reads: set = set()
        self.alone = alone

    def __enter__(self) -> set:
        _stack.append(self.reads)
        return self.reads

    def __exit__(self, *exc: object) -> None:
        _stack.pop()
        if _stack and not self.alone:
            _stack[-1].update(self.reads)


def note(tokens: Iterable[tuple]) -> None:
    """Count `tokens` as read by the page being rendered (a kept fragment made for another page)."""
    if _stack:
        _stack[-1].update(tokens)


class RecordingContext(Context):
    """A Jinja context that notes every name the template resolves from the page's inputs.
    Names the template set itself (context.vars: {% set %} at the top, imported macros) are
    made from what it read, and names in CONSTANT (helper functions, whose behaviour the base
    digest and the page's address cover) are the same for every build: neither is noted."""
    CONSTANT: frozenset[str] = frozenset()

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        if _stack and key not in self.CONSTANT:
            _stack[-1].add(("name", key))
        if key in self.parent:
            return self.parent[key]
        return missing


def recording_context(constant: frozenset[str]) -> type[RecordingContext]:
    """A RecordingContext class that does not note the names in `constant`."""
    return type("RecordingContext", (RecordingContext,), {"CONSTANT": constant})


# --- the model, as templates see it -------------------------------------------------------------

class ModelView:
    """The SiteModel for templates: every attribute read is noted. Lookups by key in
    sites_by_slug and cases_by_site, and model.term(), are noted by key. Cases and terms come
    as views (model.cases, model.taxonomies, cases_by_site[slug]): the list counts by their
    addresses, what a template reads of each one by that one's tokens."""
    __slots__ = ("_model", "_views")

    def __init__(self, model: SiteModel):
        self._model = model
        self._views: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        model = object.__getattribute__(self, "_model")
        if name == "term":
            return self._term
        if name == "standing_of":
            return self._standing_of
        if name in ("sites_by_slug", "cases_by_site"):
            return KeyedView(name, getattr(model, name), name == "cases_by_site")
        if _stack:
            _stack[-1].add(("model", name))
        if name in VIEWED:
            views = object.__getattribute__(self, "_views")
            found = views.get(name)
            if found is None:
                value = getattr(model, name)
                found = views[name] = {key: viewed(v) for key, v in value.items()} if name == "taxonomies" else viewed(value)
            return found
        return getattr(model, name)

    def _standing_of(self, item: Any) -> Any:
        """model.standing_of(item), noted as the standing of that item's file."""
        if type(item) is CaseView:
            item = object.__getattribute__(item, "_case")
        if _stack:
            _stack[-1].add(("standing", item.doc.source))
        return object.__getattribute__(self, "_model").standing_of(item)

    def _term(self, taxonomy: str, name: str) -> "TermView | None":
        term = object.__getattribute__(self, "_model").term(taxonomy, name)
        if term is None:
            if _stack:
                _stack[-1].add(("term", taxonomy, name, "head"))
            return None
        return TermView(term)


class KeyedView:
    """A mapping of the model: a lookup by key notes that key; anything else, the whole mapping.
    With `views`, what a key finds comes as views (cases_by_site: its cases)."""
    __slots__ = ("_name", "_mapping", "_views")

    def __init__(self, name: str, mapping: Mapping, views: bool = False):
        self._name, self._mapping, self._views = name, mapping, views

    def _note(self, key: Any = None, whole: bool = False) -> None:
        if _stack:
            _stack[-1].add(("model", self._name) if whole else (self._name, key))

    def get(self, key: Any, default: Any = None) -> Any:
        self._note(key)
        found = self._mapping.get(key, default)
        return viewed(found) if self._views else found

    def __getitem__(self, key: Any) -> Any:
        self._note(key)
        return viewed(self._mapping[key]) if self._views else self._mapping[key]

    def __contains__(self, key: Any) -> bool:
        self._note(key)
        return key in self._mapping

    def __getattr__(self, name: str) -> Any:        # items(), values(), keys() …
        self._note(whole=True)
        return getattr(self._mapping, name)

    def __iter__(self):
        self._note(whole=True)
        return iter(self._mapping)

    def __len__(self) -> int:
        self._note(whole=True)
        return len(self._mapping)

    def __bool__(self) -> bool:
        self._note(whole=True)
        return bool(self._mapping)


_TERM_HEAD = ("taxonomy", "name", "slug", "url", "description")
VIEWED = frozenset({"cases", "taxonomies"})     # ModelView attributes that come as views


class TermView:
    """A Term from model.term() or in a page's variables (the term a list page is of, the terms of
    a taxonomy): its name, slug, address and description are noted as the term's head; its cases
    as which cases (views of them, each read noted as that case's); anything else as the whole term."""
    __slots__ = ("_term",)

    def __init__(self, term: Term):
        self._term = term

    def __getattr__(self, name: str) -> Any:
        term = object.__getattribute__(self, "_term")
        if name == "cases":
            if _stack:
                _stack[-1].add(("term", term.taxonomy, term.name, "cases"))
            return viewed(term.cases)
        if _stack:
            _stack[-1].add(("term", term.taxonomy, term.name, "head" if name in _TERM_HEAD else "all"))
        return getattr(term, name)

    def __bool__(self) -> bool:
        return True


# --- cases and terms in a page's own variables --------------------------------------------------

# text_digest is a digest of the whole file: it changes with the body, so it counts as the body.
BODY_FIELDS = frozenset({"body_md", "body_html", "toc", "body_line", "lines", "text_digest"})
_DOC_HEAD = frozenset(f.name for f in dataclasses.fields(Document)) - BODY_FIELDS | {"cover_photo", "bundle_dir"}
# A case's head, for its token's value: the fields of plain types (str, int, bool, date, tuples of
# str), whose repr is exact and the same in every process, as one repr made in C (5,000 heads took
# 130 ms through the Digester); the others (reviews, photos, extra) through the Digester.
_RICH = frozenset({"reviews", "photos", "extra"})
_CASE_PLAIN = tuple(f.name for f in dataclasses.fields(Case) if f.name != "doc" and f.name not in _RICH)
_CASE_RICH = tuple(f.name for f in dataclasses.fields(Case) if f.name in _RICH)
_DOC_PLAIN = tuple(f.name for f in dataclasses.fields(Document) if f.name not in BODY_FIELDS | _RICH)
_STANDING_FIELDS = tuple(f.name for f in dataclasses.fields(Standing))
_DOC_RICH = tuple(f.name for f in dataclasses.fields(Document) if f.name in _RICH - BODY_FIELDS)
_CASE_HEAD = frozenset(f.name for f in dataclasses.fields(Case)) - {"doc"} | {"slug", "title", "url", "SECTION"}


def _note_case(case: Case, part: str) -> None:
    if _stack:
        source = case.doc.source
        if part == "all":
            _stack[-1].update((("case", source, "head"), ("case", source, "body")))
        else:
            _stack[-1].add(("case", source, part))


class CaseView:
    """A case in a page's variables (the page's own case, a card, a neighbour, a feed entry):
    what of it the templates read is noted as the case's head (everything but the body) or its
    body (Markdown, HTML, headings, line numbers), so that a list showing a case's card is not
    rendered again when only the case's body changed. The variable itself counts as the case's
    address (Digester)."""
    __slots__ = ("_case",)

    def __init__(self, case: Case):
        self._case = case

    def __getattr__(self, name: str) -> Any:
        case = object.__getattribute__(self, "_case")
        if name == "doc":
            return DocView(case)
        if _stack:                          # _note_case, inline: the most frequent read of all
            if name in _CASE_HEAD:
                _stack[-1].add(("case", case.doc.source, "head"))
            else:
                _note_case(case, "all")
        return getattr(case, name)

    def __eq__(self, other: object) -> bool:
        case = object.__getattribute__(self, "_case")
        _note_case(case, "all")
        if isinstance(other, CaseView):
            other = object.__getattribute__(other, "_case")
        return case == other

    def __hash__(self) -> int:
        return hash(object.__getattribute__(self, "_case").doc.source)


class DocView:
    """A CaseView's document: its body fields noted as the body, the rest as the head."""
    __slots__ = ("_case",)

    def __init__(self, case: Case):
        self._case = case

    def __getattr__(self, name: str) -> Any:
        case = object.__getattribute__(self, "_case")
        _note_case(case, "head" if name in _DOC_HEAD else "body" if name in BODY_FIELDS else "all")
        return getattr(case.doc, name)


def viewed(value: Any) -> Any:
    """A page variable as templates get it: cases and terms (alone or in a tuple or list) as views."""
    kind = type(value)
    if kind is Case:
        return CaseView(value)
    if kind is Term:
        return TermView(value)
    if (kind is tuple or kind is list) and value and type(value[0]) in (Case, Term):
        return tuple(viewed(v) for v in value)
    return value


# --- the values of tokens -------------------------------------------------------------------------

MISSING = b"-"                       # a name the page's context did not hold


def _case_address(digester: Digester, view: "CaseView") -> bytes:
    """A case in a page's variables stands for its address: its content is in its own tokens."""
    case = object.__getattribute__(view, "_case")
    found = digester.cache.get(id(case))
    if found is None or found[0] is not case:
        found = digester.cache[id(case)] = (case, b"@c" + digester.of(case.doc.source))
    return found[1]



def _term_address(digester: Digester, view: "TermView") -> bytes:
    term = object.__getattribute__(view, "_term")
    return b"@t" + digester.of((term.taxonomy, term.name))


class _ModelDigests(dict):
    """token -> a 16-byte digest of the token and its value, made on first use: a page's model
    tokens are then joined without a Python call per token (render_site checks ~240,000 of them)."""

    def __init__(self, values: "TokenValues"):
        super().__init__()
        self._values = values

    def __missing__(self, token: tuple) -> bytes:
        # A token is a tuple of names (str; a key a template looked up): its repr names it exactly
        # (one whose repr varies by run only makes its pages render again).
        value = self._values.model_value(token)
        found = self[token] = hashlib.blake2b(self._values.digester.of(repr(token)) + value, digest_size=16).digest()
        return found


class TokenValues:
    """The bytes of every (token, value) for one build: a model token's once per build, a name's
    once per build when the page takes it from `shared` and per page when from its own variables."""

    def __init__(self, model: SiteModel, digester: Digester, shared: Mapping[str, Any] | None = None):
        self.model = model
        self.digester = digester
        digester.special[CaseView] = _case_address
        digester.special[TermView] = _term_address
        self.digests = _ModelDigests(self)
        self._shared = shared or {}
        self._shared_names: dict[str, bytes] = {}
        self._named: dict[str, bytes] = {}
        self._cases: dict[str, Case] | None = None
        self._addresses: dict[int, bytes] = {}
        self._cases_kept: list[Case] = []

    def name(self, name: str, variables: Mapping[str, Any]) -> bytes:
        """A name the page resolved, with its value: from the page's own variables, else shared."""
        value = variables.get(name, missing)
        if value is not missing:
            head = self._named.get(name)
            if head is None:
                head = self._named[name] = self.digester.of(name) + b"="
            return head + self._variable(value)
        found = self._shared_names.get(name)
        if found is None:
            value = self._shared.get(name, missing)
            found = self.digester.of(name) + (MISSING if value is missing else b"=" + self.digester.of(value))
            self._shared_names[name] = found
        return found

    def _variable(self, value: Any) -> bytes:
        """digester.of(viewed(value)), without making the views: a case or a term that a page
        gets as a view is its address (its content is in its own tokens)."""
        kind = type(value)
        if kind is Case:
            return self._addresses.get(id(value)) or self._address(value)
        if kind is Term:
            return b"@t" + self.digester.of((value.taxonomy, value.name))
        if (kind is tuple or kind is list) and value and type(value[0]) in (Case, Term):
            addresses = self._addresses
            return b"(" + b"".join([addresses.get(id(item)) or self._variable(item) for item in value]) + b")"
        return self.digester.of(value)

    def _address(self, case: Case) -> bytes:
        """What a case in a page's variables stands for (as _case_address); kept by id, with the
        case alive in self._cases_kept so that its id stays its own."""
        found = self._addresses[id(case)] = b"@c" + self.digester.of(case.doc.source)
        self._cases_kept.append(case)
        return found

    def model_value(self, token: tuple) -> bytes:
        model, of = self.model, self.digester.of
        kind = token[0]
        if kind == "model":
            value = getattr(model, token[1], None)
            if token[1] == "taxonomies":         # ModelView gives these as views (VIEWED)
                return b"{" + b"".join([of(key) + self._variable(terms) for key, terms in value.items()]) + b"}"
            return self._variable(value) if token[1] in VIEWED else of(value)
        if kind in ("sites_by_slug", "cases_by_site"):
            mapping = getattr(model, kind)
            try:
                value = mapping.get(token[1])
            except TypeError:                   # an unhashable key: look it up the slow way
                value = None
            return self._variable(value) if kind == "cases_by_site" else of(value)
        if kind == "term":
            term = model.term(token[1], token[2])
            if term is None:
                return MISSING
            if token[3] == "head":
                return of((term.taxonomy, term.name, term.slug, term.url, term.description))
            if token[3] == "cases":
                return self._variable(term.cases)
            return of(term)
        if kind == "standing":
            standing = model.standing.get(token[1])
            if type(standing) is Standing:      # plain fields: one repr (as a case's head)
                return of(repr([getattr(standing, name) for name in _STANDING_FIELDS]))
            return of(standing)
        if kind == "case":
            if self._cases is None:
                self._cases = {c.doc.source: c for c in (*model.cases, *model.held_back)}
            case = self._cases.get(token[1])
            if case is None:
                return MISSING
            doc = case.doc
            if token[2] == "body":
                # The whole document: the Digester knows it by the file it was made from, without
                # reading its body; a page that reads a case's body reads its head too.
                return of(doc)
            plain = repr(([getattr(case, name) for name in _CASE_PLAIN], [getattr(doc, name) for name in _DOC_PLAIN]))
            return of((plain, [getattr(case, name) for name in _CASE_RICH], [getattr(doc, name) for name in _DOC_RICH]))
        raise Unknown(repr(token))


def page_key(base: bytes, identity: tuple, reads: tuple, values: TokenValues,
             variables: Mapping[str, Any]) -> bytes | None:
    """The digest of a page's inputs, or None if one of them cannot be digested. `reads` is
    (names, tokens) as stable_reads gives them; `variables` are the page's own (PageJob.vars)."""
    try:
        names, tokens = reads
        data = b"".join(map(values.digests.__getitem__, tokens))
        named = b"".join([values.name(name, variables) for name in names])
    except (Unknown, AttributeError, TypeError, ValueError):     # ValueError: not (names, tokens)
        return None
    # The identity is a tuple of str (template, path, address, source): its repr names it exactly.
    return hashlib.blake2b(base + values.digester.of(repr(identity)) + named + b"|" + data, digest_size=20).digest()


def stable_reads(reads: set) -> tuple[tuple[str, ...], tuple[tuple, ...]]:
    """A page's reads in a fixed order (sets iterate in an order that varies by run): the names
    it resolved, and the other tokens."""
    names = sorted(token[1] for token in reads if token[0] == "name")
    return tuple(names), tuple(sorted((token for token in reads if token[0] != "name"), key=repr))
