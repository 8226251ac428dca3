"""The form of a case, a model site or a page: what a file holds, as the form shows it, and the
file a submitted form makes.

A submitted value is compared with what the form showed for the file as it is; only the values
that differ are written, each through yamlio.edit, so a save that changes one field changes only
that field's lines, and a form saved unchanged leaves the file byte-identical. A value written in
a way the form cannot show (a mapping where text belongs, a list with a list in it) is shown as
written, read-only, and never touched. Everything that arrives from the browser is checked for
its shape here (FormError) before it comes near a file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from builder.content import load as content_load
from builder.yamlio.edit import Editable
from builder.yamlio.fields import read_date

# Where a key that is not in the file yet is written: the order of the sample site and templates.
ORDER = ("title", "site", "kind", "town", "date", "category", "actions", "tags", "summary", "source", "unit",
         "cover", "featured", "draft", "weight", "slug", "photos", "extra", "review")
MAX_TEXT = 2_000                  # characters of a one-line field
MAX_LONG = 20_000                 # of the summary
MAX_BODY = 2_000_000
MAX_ITEMS = 200
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str                     # text | longtext | choice | date | list | bool | photos | cover
    required: bool = False


_FIELDS = {
    "case": (Field("title", "text", True), Field("site", "choice", True), Field("date", "date", True),
             Field("category", "choice", True), Field("source", "text"), Field("unit", "text"), Field("actions", "list"),
             Field("tags", "list"),
             Field("summary", "longtext"), Field("draft", "bool"), Field("featured", "bool"),
             Field("photos", "photos"), Field("cover", "cover")),
    "site": (Field("title", "text", True), Field("kind", "choice", True), Field("town", "text"),
             Field("summary", "longtext"), Field("draft", "bool"), Field("photos", "photos"), Field("cover", "cover")),
    "page": (Field("title", "text", True), Field("summary", "longtext"), Field("draft", "bool"),
             Field("photos", "photos"), Field("cover", "cover")),
}


def fields(kind: str, bundle: bool = True) -> tuple[Field, ...]:
    """The form's fields: those the build takes for the kind (a site's `draft:` once the build
    reads it), and photos only where there is a folder for them."""
    allowed = {"case": content_load.CASE_KEYS, "site": content_load.SITE_KEYS, "page": content_load.PAGE_KEYS}[kind]
    return tuple(f for f in _FIELDS[kind] if f.name in allowed and (bundle or f.type not in ("photos", "cover")))


class FormError(Exception):
    """A submitted form of the wrong shape: not something the desk's page sends."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Loaded:
    values: dict[str, Any]                       # field -> the value the form shows
    locked: dict[str, str]                       # field -> its YAML as written, when the form cannot show it
    body: str                                    # with '\n' line endings, the blank lines after '---' left out
    lead: str                                    # those blank lines
    digest: str
    extra_keys: tuple[str, ...] = field(default=())   # keys of the file the form does not show


def load(data: bytes, kind: str, bundle: bool = True) -> Loaded:
    """The form of the file `data`. Raises yamlio.edit.EditError when it has no front matter
    the desk can edit."""
    edited = Editable(data)
    front = edited.values()
    values, locked = {}, {}
    for f in fields(kind, bundle):
        value, ok = _shown(f, front.get(f.name))
        if ok:
            values[f.name] = value
        else:
            values[f.name] = _empty(f)
            locked[f.name] = yaml.safe_dump({f.name: front.get(f.name)}, allow_unicode=True, sort_keys=False).strip()
    body = edited.body
    stripped = body.lstrip("\n")
    shown = {f.name for f in fields(kind, bundle)}
    return Loaded(values, locked, stripped, body[:len(body) - len(stripped)], digest(data),
                  tuple(str(k) for k in front if k not in shown))


def _empty(f: Field) -> Any:
    return {"list": [], "photos": [], "bool": False}.get(f.type, "")


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _shown(f: Field, value: Any) -> tuple[Any, bool]:
    """(the value as the form shows it, True) or (None, False) when the form cannot show it."""
    if f.type in ("text", "longtext", "choice", "cover"):
        text = _text(value)
        return (text, True) if text is not None else (None, False)
    if f.type == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), True
        text = _text(value)
        return (text, True) if text is not None else (None, False)
    if f.type == "bool":
        if value is None:
            return False, True
        return (value, True) if isinstance(value, bool) else (None, False)
    if f.type == "list":
        if value is None:
            return [], True
        items = value if isinstance(value, list) else [value]
        texts = [_text(item) for item in items]
        if any(t is None for t in texts) or any(item is None for item in items):
            return None, False
        return [t for t in texts if t], True
    if f.type == "photos":
        if value is None:
            return [], True
        if not isinstance(value, list):
            return None, False
        photos = []
        for item in value:
            if isinstance(item, dict) and set(item) <= {"src", "caption", "credit"}:
                parts = {k: _text(item.get(k)) for k in ("src", "caption", "credit")}
                if any(v is None for v in parts.values()):
                    return None, False
                photos.append(parts)
            elif isinstance(item, str):
                photos.append({"src": item.strip(), "caption": "", "credit": ""})
            else:
                return None, False
        return photos, True
    raise ValueError(f.type)


# --- a submitted form -> the file ------------------------------------------------------------

def clean(f: Field, value: Any) -> Any:
    """A submitted value of field `f`, checked for its shape and tidied (spaces at the ends,
    control characters); FormError when it is not what the desk's page sends."""
    if f.type in ("text", "choice", "cover", "date"):
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise FormError(f.name)
        return _CONTROL.sub("", value.replace("\r", " ").replace("\n", " ")).strip()
    if f.type == "longtext":
        if not isinstance(value, str) or len(value) > MAX_LONG:
            raise FormError(f.name)
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if f.type == "bool":
        if not isinstance(value, bool):
            raise FormError(f.name)
        return value
    if f.type == "list":
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise FormError(f.name)
        items: list[str] = []
        for item in value:
            text = clean(Field(f.name, "text"), item)
            if text and text not in items:
                items.append(text)
        return items
    if f.type == "photos":
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise FormError(f.name)
        photos = []
        for item in value:
            if not isinstance(item, dict) or not set(item) <= {"src", "caption", "credit"}:
                raise FormError(f.name)
            parts = {k: clean(Field(f.name, "text"), item.get(k, "")) for k in ("src", "caption", "credit")}
            if parts["src"]:
                photos.append(parts)
        return photos
    raise FormError(f.name)


def clean_body(body: Any) -> str:
    if not isinstance(body, str) or len(body) > MAX_BODY:
        raise FormError("body")
    return _CONTROL.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))


def _yaml_value(f: Field, value: Any) -> Any:
    """What goes into the file for a changed value; None: the key is removed."""
    if f.type in ("text", "longtext", "choice", "cover"):
        return value if value or f.required else None
    if f.type == "date":
        when, meant = read_date(value)       # 2025年6月1日 is written as the date it is
        return when or meant or value
    if f.type == "photos":
        return [{"src": p["src"], **({"caption": p["caption"]} if p["caption"] else {}),
                 **({"credit": p["credit"]} if p["credit"] else {})} for p in value]
    return value


def apply(data: bytes, kind: str, submitted: dict[str, Any], body: Any = None, bundle: bool = True) -> bytes:
    """The file `data` with the submitted form's changed values (and body) written into it."""
    if not isinstance(submitted, dict):
        raise FormError("form")
    loaded = load(data, kind, bundle)
    edited = Editable(data)
    present = edited.values()
    for f in fields(kind, bundle):
        if f.name in loaded.locked or f.name not in submitted:
            continue
        new = clean(f, submitted[f.name])
        if new == loaded.values[f.name]:
            continue
        value = _yaml_value(f, new)
        if value is None:
            edited.remove(f.name)
        elif f.name in present or value not in ("", [], False):
            edited.set(f.name, value, order=ORDER)
    if body is not None:
        new_body = clean_body(body)
        if new_body.rstrip("\n") != loaded.body.rstrip("\n"):
            edited.set_body(loaded.lead + new_body.rstrip("\n") + "\n")
    return edited.data()
