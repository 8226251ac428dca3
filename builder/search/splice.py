"""Search, part 4: the posting lists of the last build, brought up to date for the documents
whose text changed, without building the index again.

A posting list is, per document holding the key, in document order: the gap from the
previous such document, then that document's part (`c` and `=` keys: one number; position
keys: a count and that many position gaps). A document's part depends only on its own text,
so when documents change and the numbering stays the same, the new list is the old one with
the changed documents' parts cut out and their new parts put in, and the gap of the part that
follows each of them made again; everything between is copied as it is.

Finding where a document's part starts takes reading the list up to it: the numbers of all the
lists are decoded at once with numpy; parts of one number pair (`c` and `=` keys) are found
at once too; the parts of a position key, whose length depends on their count, are followed
from one to the next up to the part after the last changed document.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from builder.search.codec import BASE, SYMBOLS, encode

_DIGIT = np.full(128, 255, dtype=np.uint8)
for _number, _char in enumerate(SYMBOLS):
    _DIGIT[ord(_char)] = _number
_POWERS = np.array([BASE ** n for n in range(8)], dtype=np.int64)
MARGIN = 256            # characters read of a list beyond its share (parse)


def has_positions(key: str) -> bool:
    """Position keys: pairs of the text ('ab'), of the full pinyin ('Pab') and of the initials ('Iab')."""
    return not (len(key) == 1 or (len(key) == 3 and key[0] == "="))


@dataclass
class Window:
    """The parts of one posting list read for a splice, from its beginning: each part's document,
    where it starts and where its document part starts (after the gap)."""
    docs: list[int]
    starts: list[int]
    payloads: list[int]


def parse(postings: dict[str, str], keys: list[str], high: int, share: float = 1.0) -> dict[str, Window]:
    """For each key, the parts of its list from the beginning to the first part after document
    `high` (or the end). `share`: about what share of each list comes before that part (the
    documents up to `high` among all of them); only that much, and a little more, is read of
    each list, and all of it where that was not enough."""
    texts = [_prefix(postings[k], share) for k in keys]
    if not texts:
        return {}
    found, short = _parse(texts, keys, high)
    again = [key for key, text in zip(keys, texts) if key in short and len(text) < len(postings[key])]
    if again:
        whole, _ = _parse([postings[k] for k in again], again, high)
        found.update(whole)
    return found


def _prefix(text: str, share: float) -> str:
    """The first numbers of a list, about `share` of it and MARGIN characters more, whole."""
    if share >= 1:
        return text
    cut = min(len(text), int(len(text) * share) + MARGIN)
    while cut < len(text) and _DIGIT[ord(text[cut - 1])] >= BASE:     # not inside a number
        cut += 1
    return text[:cut]


def _parse(texts: list[str], keys: list[str], high: int) -> tuple[dict[str, Window], set[str]]:
    """parse() of these (beginnings of) lists, and the keys whose text ended before a part
    after document `high`."""
    joined = "".join(texts)
    digits = _DIGIT[np.frombuffer(joined.encode("ascii"), dtype=np.uint8)]
    if len(digits) and int(digits.max()) >= 2 * BASE:
        raise ValueError("a posting list holds a character that is not a digit")
    ends = np.flatnonzero(digits < BASE)                    # the last character of each number
    number_starts = np.concatenate(([0], ends + 1))         # and one past the last number
    values = digits[ends].astype(np.int64)
    place = 1
    while True:                                             # the other digits, most significant first
        more = np.flatnonzero(ends - place >= number_starts[:-1])
        if not len(more):
            break
        values[more] += (digits[ends[more] - place].astype(np.int64) - BASE) * _POWERS[place]
        place += 1
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    window_chars = np.cumsum(lengths) - lengths
    first_numbers = np.searchsorted(number_starts, window_chars).tolist()
    last_numbers = first_numbers[1:] + [len(ends)]
    out: dict[str, Window] = {}
    short: set[str] = set()
    for index, key in enumerate(keys):
        first, last = first_numbers[index], last_numbers[index]
        if has_positions(key):
            numbers = np.array(_position_parts(values[first:last].tolist(), high), dtype=np.int64) + first
        else:
            numbers = np.arange(first, last, 2, dtype=np.int64)
        docs = np.cumsum(values[numbers] + 1) - 1
        if not len(docs) or docs[-1] <= high:
            short.add(key)
        base = int(window_chars[index])
        out[key] = Window(docs.tolist(), (number_starts[numbers] - base).tolist(),
                          (number_starts[numbers + 1] - base).tolist())
    return out, short


def _position_parts(values: list[int], high: int) -> list[int]:
    """Where each part of a position list starts (the index of its gap), up to the first part
    after document `high`, or as far as `values` go."""
    at, doc, found, end = 0, -1, [], len(values)
    while at < end:
        found.append(at)
        doc += values[at] + 1
        if doc > high or at + 1 >= end:
            break
        at += 2 + values[at + 1]
    return found


def splice(postings: dict[str, str], changed: Iterable[int], parts: dict[int, dict[str, str]],
           keys: Iterable[str], share: float = 1.0) -> dict[str, str]:
    """The posting lists of `keys` after the documents `changed` (numbers, the same numbering
    before and after) were replaced: parts[d] is document d's new part of each key it holds
    (without the gap). Keys that no document holds any more map to ''. `share`: as parse's."""
    changed = sorted(set(changed))
    keys = list(keys)
    present = [k for k in keys if k in postings]
    found = parse(postings, present, changed[-1] if changed else -1, share)
    out: dict[str, str] = {}
    for key in keys:
        old = postings.get(key, "")
        window = found.get(key) or Window([], [], [])
        docs, starts, payloads = window.docs, window.starts, window.payloads
        pieces: list[str] = []
        previous, cursor = -1, 0
        for changed_doc in changed:
            at = bisect_left(docs, changed_doc, cursor)
            if at > cursor:                              # unchanged parts before it: the first one's gap again
                pieces += [encode(docs[cursor] - previous - 1), old[payloads[cursor]:starts[at] if at < len(docs) else len(old)]]
                previous = docs[at - 1]
            if at < len(docs) and docs[at] == changed_doc:
                at += 1                                  # its old part is dropped
            cursor = at
            part = parts.get(changed_doc, {}).get(key)
            if part is not None:
                pieces += [encode(changed_doc - previous - 1), part]
                previous = changed_doc
        if cursor < len(docs):                           # the rest, as it was but for its first gap
            pieces += [encode(docs[cursor] - previous - 1), old[payloads[cursor]:]]
        out[key] = "".join(pieces)
    return out
