"""ASCII slugs for Chinese names: 西翟村 -> xizhai-cun.

Syllables of one word are joined (xizhai), and a trailing administrative suffix (村, 社区, 街道…)
becomes a word of its own, which is how people write these names in pinyin. Place-name
readings that the dictionary gets wrong (翟 is 'zhai' in names, not 'di') are fixed here.
"""
from __future__ import annotations

import re
import unicodedata


# Longest first, so 社区 wins over 区.
_SUFFIXES = ("居委会", "街道", "社区", "小区", "集团", "公司", "村", "镇", "乡", "局", "所", "站", "校", "区")
# Readings of characters as they are used in place and family names.
_NAME_READINGS = {"翟": "zhai"}
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


def slugify(text: str, place: bool = False) -> str:
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
