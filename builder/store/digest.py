"""Values to bytes that identify them, for keys of what a build keeps (store.state, render.trace,
search.incremental): self-delimiting, so different values give different bytes; a data class (a
case, a term …) is a 16-byte digest of its class and fields, made once per build (the model
keeps its objects alive, so their ids stay theirs). By content, never by identity or pickle,
whose output depends on which objects happen to be shared. Imports nothing of builder."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any, Callable, Mapping


LONG = 32                           # tuples at least this long are digested once per object


class Unknown(Exception):
    """A value the Digester cannot reduce to bytes: the page is rendered every time."""


class Digester:
    """Values -> bytes that identify them. `special`: how to reduce other classes (views of the
    model that stand for what they wrap), class -> function(digester, value) -> bytes."""

    def __init__(self) -> None:
        self._objects: dict[int, tuple[Any, bytes]] = {}
        self._classes: dict[type, tuple[bytes, tuple[str, ...]]] = {}
        self.special: dict[type, Callable[["Digester", Any], bytes]] = {}
        self.cache: dict[Any, Any] = {}      # for the special functions, for this digester's life

    def of(self, value: Any) -> bytes:
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            return b"s%d:" % len(data) + data
        found = self._objects.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if kind in self._classes:
            return self._object(value, kind)
        if kind is int:
            return b"i%d;" % value
        if kind is bool or value is None:
            return b"b%r;" % (value,)
        if kind is tuple:
            if len(value) < LONG:
                return b"(" + b"".join([self.of(v) for v in value]) + b")"
            # A long tuple is often shared (a list's page addresses, on each of its pages): it is
            # a digest, kept with the tuple itself so that its id stays its own.
            out = b"T" + hashlib.blake2b(b"".join([self.of(v) for v in value]), digest_size=16).digest()
            self._objects[id(value)] = (value, out)
            return out
        if kind is list:
            return b"(" + b"".join([self.of(v) for v in value]) + b")"
        if kind is dict:
            return b"{" + b"".join([self.of(k) + self.of(v) for k, v in value.items()]) + b"}"
        if kind is dt.date:
            return b"d%d;" % value.toordinal()
        special = self.special.get(kind)
        if special is not None:
            return special(self, value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._object(value, kind)
        if kind is float:
            return b"f%r;" % value
        if isinstance(value, str):          # Markup and other str subclasses: their class counts
            data = value.encode("utf-8", "surrogatepass")
            return b"S%s:%d:" % (kind.__qualname__.encode(), len(data)) + data
        if isinstance(value, (set, frozenset)):
            return b"<" + b"".join(sorted(self.of(v) for v in value)) + b">"
        if isinstance(value, dt.datetime):
            return b"t%s;" % value.isoformat().encode()
        if isinstance(value, Mapping):
            return b"{" + b"".join([self.of(k) + self.of(v) for k, v in value.items()]) + b"}"
        raise Unknown(kind.__qualname__)

    def remember(self, value: Any, origin: bytes) -> None:
        """`value` (a data class) is wholly determined by `origin` (for a document: its file's
        kind, path, digest and photo names, and the site's language, as content.ContentMemo
        keys it): its digest is made from that, without reading its fields (its body)."""
        self._objects[id(value)] = (value, b"#" + hashlib.blake2b(b"origin\0" + origin, digest_size=16).digest())

    def derived(self, value: Any, base: Any) -> None:
        """`value` is `base` (of the same class, remembered or digested) with some fields
        replaced (a document given its photos' renditions): its digest is made from base's and
        from the fields that are not base's own objects."""
        if value is base:
            return
        kind = type(value)
        name, fields = self._described(kind)
        changed = [f.encode() + self.of(getattr(value, f)) for f in fields if getattr(value, f) is not getattr(base, f)]
        out = b"#" + hashlib.blake2b(b"derived\0" + self.of(base) + b"".join(changed), digest_size=16).digest()
        self._objects[id(value)] = (value, out)

    def _described(self, kind: type) -> tuple[bytes, tuple[str, ...]]:
        described = self._classes.get(kind)
        if described is None:
            described = self._classes[kind] = (kind.__qualname__.encode(), tuple(f.name for f in dataclasses.fields(kind)))
        return described

    def _object(self, value: Any, kind: type) -> bytes:
        """A data class: the digest of its class and fields, made once per object."""
        name, fields = self._described(kind)
        of = self.of
        data = b"".join([of(getattr(value, f)) for f in fields])
        out = b"#" + hashlib.blake2b(name + b"\0" + data, digest_size=16).digest()
        self._objects[id(value)] = (value, out)
        return out
