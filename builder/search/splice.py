"""Search, part 4: the posting lists of the last build, brought up to date for the documents
whose text changed, without building the index again.

A posting list is, per document holding the key, in document order: the gap from the
previous such document, then that document's part (`c` and `=` keys: one number; position
keys: a count and that many position gaps). A document's part depends only on its own text,
so when documents change and the numbering stays the same, the new list is the old one with
the changed documents' parts cut out and their new parts put in, and the gap of the part that
follows each of them made again; everything between is copied as it is.

Finding where a document's part starts takes reading the list up to it. Long lists carry
marks (search.postings.MARK_STRIDE: every 16th document and where its part starts), so a
list is read from the last mark before the first changed document to the first part after
the last one: a few dozen parts per key, decoded for all keys at once with numpy (digits to
numbers in one pass; the parts of position keys, whose length depends on their count, are
followed in lockstep, one part of every list per step). The marks are carried over: those
before the changed documents as they were, those after them moved by the change in length,
those between dropped (a later build starts reading a little earlier there).
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
_NO_MARKS = (b"", b"")


def has_positions(key: str) -> bool:
    """Position keys: pairs of the text ('ab'), of the full pinyin ('Pab') and of the initials ('Iab')."""
    return not (len(key) == 1 or (len(key) == 3 and key[0] == "="))


@dataclass
class Window:
    """The parts of one posting list read for a splice: `before` characters are copied as they
    are; then each part's document, where it starts and where its document part starts (after
    the gap); `previous` is the document of the part before the first one read (-1: none)."""
    before: int
    previous: int
    docs: list[int]
    starts: list[int]
    payloads: list[int]


def _mark_arrays(marks: tuple[bytes, bytes]) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(marks[0], dtype=np.int32), np.frombuffer(marks[1], dtype=np.int32)


def parse(postings: dict[str, str], keys: list[str], low: int, high: int,
          marks: dict[str, tuple[bytes, bytes]] | None = None) -> dict[str, Window]:
    """For each key, the parts of its list from the last mark before document `low` (or the
    beginning) to the first part after document `high` (or the end)."""
    marks = marks or {}
    begin, end, begin_docs = [], [], []
    for key in keys:
        text = postings[key]
        mark_docs, mark_offsets = _mark_arrays(marks.get(key, _NO_MARKS))
        at = int(np.searchsorted(mark_docs, low, side="left")) - 1      # the last mark before `low`
        start, start_doc = (int(mark_offsets[at]), int(mark_docs[at])) if at >= 0 else (0, -1)
        after = int(np.searchsorted(mark_docs, high, side="right"))      # the first mark after `high`
        # Read up to the part after that mark's: its gap is all that is needed of it, but the
        # part after it is where reading stops for sure.
        stop = int(mark_offsets[after + 1]) if after + 1 < len(mark_offsets) else len(text)
        begin.append(start)
        end.append(stop)
        begin_docs.append(start_doc)
    texts = [postings[k][b:e] for k, b, e in zip(keys, begin, end)]
    if not texts:
        return {}
    joined = "".join(texts)
    digits = _DIGIT[np.frombuffer(joined.encode("ascii"), dtype=np.uint8)]
    if len(digits) and int(digits.max()) >= 2 * BASE:
        raise ValueError("a posting list holds a character that is not a digit")
    ends = np.flatnonzero(digits < BASE)                    # the last character of each number
    number_starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    window_chars = np.cumsum(lengths) - lengths
    first_numbers = np.searchsorted(number_starts, window_chars)
    last_numbers = np.append(first_numbers[1:], len(ends))

    def value(numbers: np.ndarray) -> np.ndarray:
        """The value of each of these numbers (one to three digits, rarely more)."""
        e, s = ends[numbers], number_starts[numbers]
        out = digits[e].astype(np.int64)
        place = 1
        while True:
            more = np.flatnonzero(e - place >= s)
            if not len(more):
                return out
            out[more] += (digits[e[more] - place].astype(np.int64) - BASE) * _POWERS[place]
            place += 1

    positions = np.array([has_positions(k) for k in keys], dtype=bool)
    slot_parts: list[np.ndarray] = []
    doc_parts: list[np.ndarray] = []
    number_parts: list[np.ndarray] = []
    cursor = first_numbers.copy()
    doc = np.array(begin_docs, dtype=np.int64)
    first_gap = np.full(len(keys), -1, dtype=np.int64)
    active = np.flatnonzero(cursor < last_numbers)
    step = 0
    while len(active):
        at = cursor[active]
        gaps = value(at)
        if step == 0:
            first_gap[active] = gaps
            started = doc[active] >= 0
            # A window that starts at a mark knows its document; one that starts at the
            # beginning counts from -1.
            doc[active] = np.where(started, doc[active], gaps)
        else:
            doc[active] += gaps + 1
        slot_parts.append(active)
        doc_parts.append(doc[active].copy())
        number_parts.append(at)
        counted = positions[active]
        skip = np.full(len(active), 2, dtype=np.int64)
        if counted.any():
            skip[counted] += value(at[counted] + 1)
        cursor[active] = at + skip
        active = active[(cursor[active] < last_numbers[active]) & (doc[active] <= high)]
        step += 1

    out: dict[str, Window] = {}
    if slot_parts:
        slot = np.concatenate(slot_parts)
        order = np.argsort(slot, kind="stable")             # by key, each key's parts in order
        slot = slot[order]
        part_docs = np.concatenate(doc_parts)[order].tolist()
        numbers = np.concatenate(number_parts)[order]
        base = window_chars[slot] - np.array(begin, dtype=np.int64)[slot]
        starts = (number_starts[numbers] - base).tolist()
        payloads = (number_starts[numbers + 1] - base).tolist()
        bounds = np.searchsorted(slot, np.arange(len(keys) + 1)).tolist()
    else:
        part_docs, starts, payloads, bounds = [], [], [], [0] * (len(keys) + 1)
    for index, key in enumerate(keys):
        lo, hi = bounds[index], bounds[index + 1]
        docs = part_docs[lo:hi]
        previous = -1 if not docs or begin_docs[index] < 0 else docs[0] - int(first_gap[index]) - 1
        out[key] = Window(begin[index], previous, docs, starts[lo:hi], payloads[lo:hi])
    return out


def splice(postings: dict[str, str], changed: Iterable[int], parts: dict[int, dict[str, str]],
           keys: Iterable[str], marks: dict[str, tuple[bytes, bytes]] | None = None,
           ) -> tuple[dict[str, str], dict[str, tuple[bytes, bytes]]]:
    """The posting lists of `keys` after the documents `changed` (numbers, the same numbering
    before and after) were replaced: parts[d] is document d's new part of each key it holds
    (without the gap). Keys that no document holds any more map to ''. Also each key's marks,
    carried over (a key without marks maps to empty ones)."""
    changed = sorted(set(changed))
    keys = list(keys)
    marks = marks or {}
    present = [k for k in keys if k in postings]
    low, high = (changed[0], changed[-1]) if changed else (0, -1)
    found = parse(postings, present, low, high, marks)
    out: dict[str, str] = {}
    out_marks: dict[str, tuple[bytes, bytes]] = {}
    for key in keys:
        old = postings.get(key, "")
        window = found.get(key) or Window(0, -1, [], [], [])
        docs, starts, payloads = window.docs, window.starts, window.payloads
        pieces: list[str] = [old[:window.before]]
        previous, cursor = window.previous, 0
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
        tail_start = tail_doc = None
        if cursor < len(docs):                           # the rest, as it was but for its first gap
            tail_doc = docs[cursor]
            tail_start = sum(len(p) for p in pieces)
            pieces += [encode(tail_doc - previous - 1), old[payloads[cursor]:]]
        new = "".join(pieces)
        out[key] = new
        out_marks[key] = _carried(marks.get(key, _NO_MARKS), low, high, tail_doc, tail_start, len(new) - len(old)) \
            if new else _NO_MARKS
    return out, out_marks


def _carried(marks: tuple[bytes, bytes], low: int, high: int, tail_doc: int | None, tail_start: int | None,
             shift: int) -> tuple[bytes, bytes]:
    """A list's marks after a splice of documents low..high: those before as they were, the one
    at the first part after them where that part now starts, later ones moved by `shift`,
    those between dropped."""
    docs, offsets = _mark_arrays(marks)
    if not len(docs):
        return _NO_MARKS
    keep = (docs < low) | (docs > high)
    docs, offsets = docs[keep], offsets[keep].astype(np.int64)
    later = docs > high
    offsets[later] += shift
    if tail_doc is not None:
        offsets[docs == tail_doc] = tail_start
    return docs.astype(np.int32).tobytes(), offsets.astype(np.int32).tobytes()
