"""ASCII slugs for Chinese names: 西翟村 -> xizhai-cun.

Syllables of one word are joined (xizhai), and a trailing administrative suffix (村, 社区, 街道…)
becomes a word of its own, which is how people write these names in pinyin. Place-name
readings that the dictionary gets wrong (翟 is 'zhai' in names, not 'di') are fixed here.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import unicodedata
from importlib import metadata
from pathlib import Path


# Longest first, so 社区 wins over 区.
_SUFFIXES = ("居委会", "街道", "社区", "小区", "集团", "公司", "村", "镇", "乡", "局", "所", "站", "校", "区")
# Readings of characters as they are used in place and family names.
_NAME_READINGS = {"翟": "zhai"}
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


SLUG_VERSION = "slug-1"          # bump when slugify's result for the same name changes

# Memos of slugify, a pure function of (text, place) and the pypinyin version, kept for the
# process (the preview builds again and again; the tests build many sites). Why they are safe
# across builds, sites and tests: _made holds only results this process computed, which any
# later call would compute again the same; _loaded holds what one site's .cache/slugs.json said
# (it spares that site's builds the 0.4 s of loading pypinyin's dictionaries) and is replaced,
# not merged, by every load_memo, so one site's file never answers for another site's build.
_made: dict[str, str] = {}
_loaded: dict[str, str] = {}


def _memo_key(text: str, place: bool) -> str:
    return ("p:" if place else "t:") + text


def _memo_version() -> str:
    try:
        return f"{SLUG_VERSION}/{metadata.version('pypinyin')}"
    except metadata.PackageNotFoundError:
        return SLUG_VERSION


def _stored(path: Path) -> object:
    """What the memo file holds, or None when it is missing or damaged (then it is written anew)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_memo(path: Path) -> None:
    """Take the slugs a site's previous builds made from its memo file, instead of another site's."""
    stored = _stored(path)
    _loaded.clear()
    if isinstance(stored, dict) and stored.get("version") == _memo_version() and isinstance(stored.get("slugs"), dict):
        _loaded.update({k: v for k, v in stored["slugs"].items() if isinstance(k, str) and isinstance(v, str)})


def save_memo(path: Path) -> None:
    data = {"version": _memo_version(), "slugs": dict(sorted({**_loaded, **_made}.items()))}
    if _stored(path) == data:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        # a memo that cannot be saved only costs the next build 0.4 s; leave no temporary file
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def release_dictionaries() -> None:
    """Let pypinyin's dictionaries (57 MB) go once a build has made its slugs: a later slugify
    that needs them loads them again. Only the modules are dropped from sys.modules; nothing of
    ours refers to them (_pinyin_word imports lazy_pinyin inside the call), so they are freed."""
    for name in [name for name in sys.modules if name == "pypinyin" or name.startswith("pypinyin.")]:
        del sys.modules[name]


def slugify(text: str, place: bool = False) -> str:
    key = _memo_key(text, place)
    slug = _made.get(key)
    if slug is None:
        slug = _loaded.get(key)
    if slug is None:
        slug = _made[key] = _slugify(text, place)
    return slug


def _slugify(text: str, place: bool = False) -> str:
    """A stable ASCII slug for any name; '' only for text with nothing to keep. For the name of
    a place (`place=True`), an administrative suffix is a word of its own: 西翟村 -> xizhai-cun;
    other terms are one word: 和美乡村 -> hemeixiangcun."""
    text = unicodedata.normalize("NFKC", text).strip()
    if is_slug(text):
        return text
    words = [_pinyin_word(part) for part in (_split_suffix(text) if place else [text])]
    slug = "-".join(word for word in words if word)
    return re.sub(r"-{2,}", "-", slug).strip("-")


def _split_suffix(text: str) -> list[str]:
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) and _is_han(text[-len(suffix) - 1]):
            return [text[: -len(suffix)], suffix]
    return [text]


def _pinyin_word(text: str) -> str:
    """Han syllables joined; runs of letters/digits kept; everything else separates words."""
    from pypinyin import lazy_pinyin     # its dictionaries take ~0.4 s to load: only when needed
    syllables = lazy_pinyin(text, errors=lambda run: list(run))
    out: list[str] = []
    for char, syllable in zip(text, syllables):
        if _is_han(char):
            out.append(_NAME_READINGS.get(char, syllable).lower())
        elif char.isascii() and char.isalnum():
            out.append(char.lower())
        else:
            out.append("-")
    return "".join(out)


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
