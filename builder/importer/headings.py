"""Headings in Chinese official writing: the numbered lines 一、 （一） 1. （1） that stand alone
act as headings of four levels, whatever style the writer gave them; and the levels of a body
are renumbered so that its top heading is ## (the page's title is its only h1)."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

# (level, the number at the start of the line), outermost first: 一、 > （一） > 1. > （1）
NUMBERS = (
    (2, re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]\s*")),
    (3, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*")),
    (4, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))\s*")),
    (5, re.compile(r"^[（(]\d{1,2}[）)]\s*")),
)
MAX_CHARS = 30                  # a heading's words after its number, at most
_ENDS = "。！？；：，、.!?;:,"
_INSIDE = ("li", "td", "th", "blockquote", "table", "dd", "dt", "caption", "figcaption")
_HEADING = re.compile(r"^h[1-6]$")


def is_chinese_number(marker: str) -> bool:
    """'一、' or '（一）' (a list number Word keeps apart from the text), not '1.' or '•'."""
    return any(level <= 3 and pattern.fullmatch(marker.strip()) for level, pattern in NUMBERS)


def numbered_level(text: str) -> int | None:
    """The level of a line that begins with a heading number and reads as a heading: short,
    not a sentence (no sentence end inside it or after it). None for anything else."""
    text = text.strip(" \t\r\n\u3000\xa0\ue000")
    for level, pattern in NUMBERS:
        match = pattern.match(text)
        if match:
            rest = text[match.end():].strip()
            if rest and len(rest) <= MAX_CHARS and rest[-1] not in _ENDS and "。" not in rest:
                return level
            return None
    return None


def promote(tree: BeautifulSoup) -> None:
    """Numbered lines become headings; every heading gets its level (numbered ones by their
    number, styled ones one below their h-level); then the levels in use are renumbered from 2
    without gaps. A run of lines with the same kind of number and nothing between them is a
    list, not a row of headings, and stays text."""
    blocks = [tag for tag in tree.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6"])
              if not tag.find_parent(_INSIDE) and not tag.find(["p", "div"])]
    kinds = [_kind(tag) for tag in blocks]
    levels: list[tuple[Tag, int]] = []
    for index, (tag, kind) in enumerate(zip(blocks, kinds)):
        if kind is not None and tag.name in ("p", "div"):
            neighbours = kinds[index - 1: index] + kinds[index + 1: index + 2]
            if kind in neighbours:
                continue
            levels.append((tag, kind))
        elif _HEADING.match(tag.name):
            levels.append((tag, kind or min(6, int(tag.name[1]) + 1)))
    used = sorted({level for _, level in levels})
    renumbered = {level: min(6, 2 + rank) for rank, level in enumerate(used)}
    for tag, level in levels:
        tag.name = f"h{renumbered[level]}"
        tag.attrs = {}
        for inner in tag.find_all(["strong", "em"]):
            inner.unwrap()


def _kind(tag: Tag) -> int | None:
    if tag.find("img"):
        return None
    return numbered_level(tag.get_text())
