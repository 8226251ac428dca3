"""Search, part 3: posting lists for every key of the index, built at once with numpy.

The input is every document's layout (search.doc_layout): region strings whose fields are
joined by NUL. All regions of all documents become one array of code points; each character
gets its document and position (region * REGION + offset); keys are single characters or
pairs of neighbours inside a field. One sort of (key, occurrence number) groups the
occurrences of a key by document and position, and the numbers of every posting list are
then encoded into base-45 digits in a single vectorised pass. No Python loop runs per
character or per (key, document) pair, which is what keeps indexing at a few seconds for
5,000 documents.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from builder.search_codec import BASE, SYMBOLS

SEPARATOR = "\x00"
_FINAL = np.frombuffer(SYMBOLS[:BASE].encode("ascii"), dtype=np.uint8)
_MORE = np.frombuffer(SYMBOLS[BASE:].encode("ascii"), dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Occurrences:
    """One array entry per character of every region of every document."""
    chars: np.ndarray       # uint32 code points, 0 for a separator
    docs: np.ndarray        # int32 document numbers
    positions: np.ndarray   # int32 region * stride + offset


def occurrences(regions: list[list[str]], stride: int, scale: int = 1,
                marks: list[list[str]] | None = None) -> Occurrences:
    """regions[d][r] is region r of document d. With `marks` (same shapes, '1' or '0' per
    character), positions become position * 2 + mark: full pinyin flags syllable starts."""
    pieces, piece_docs, piece_bases = [], [], []
    for number, doc_regions in enumerate(regions):
        for region, text in enumerate(doc_regions):
            if text:
                pieces.append(text)
                piece_docs.append(number)
                piece_bases.append(region * stride)
    if not pieces:
        empty = np.zeros(0, dtype=np.int32)
        return Occurrences(np.zeros(0, dtype=np.uint32), empty, empty)
    joined = SEPARATOR.join(pieces) + SEPARATOR
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.array([len(p) + 1 for p in pieces], dtype=np.int32)
    starts = np.cumsum(lengths, dtype=np.int32) - lengths
    docs = np.repeat(np.array(piece_docs, dtype=np.int32), lengths)
    positions = np.arange(len(chars), dtype=np.int32)
    positions -= np.repeat(starts - np.array(piece_bases, dtype=np.int32), lengths)
    if marks is not None:
        flags = "".join(m + "0" for doc_marks in marks for m in doc_marks if m)
        bits = np.frombuffer(flags.encode("ascii"), dtype=np.uint8) == ord("1")
        positions = positions * scale + bits
    return Occurrences(chars, docs, positions)


@dataclass(frozen=True, slots=True)
class Grouped:
    """The occurrences of every n-gram, sorted by key, then document, then position."""
    keys: list[tuple[int, ...]]     # code points of each key, in order
    new_key: np.ndarray             # bool per occurrence: first of its key
    new_pair: np.ndarray            # bool per occurrence: first of its (key, document)
    docs: np.ndarray                # int32
    positions: np.ndarray           # int32


def group(occ: Occurrences, n: int) -> Grouped | None:
    """Sort the occurrences of every character (n=1, spaces left out) or pair of neighbours
    inside a field (n=2) by key; one numpy sort of (dense key << 32 | occurrence)."""
    chars = occ.chars
    if n == 1:
        at = np.flatnonzero((chars != 0) & (chars != 0x20)).astype(np.int32)
        firsts, seconds = chars[at], None
    else:
        at = np.flatnonzero((chars[:-1] != 0) & (chars[1:] != 0)).astype(np.int32)
        firsts, seconds = chars[at], chars[at + 1]
    if len(at) == 0:
        return None
    # Dense character numbers, so that a pair fits in 32 bits and (pair, occurrence) in 64.
    present = np.zeros(int(chars.max()) + 1, dtype=bool)
    present[chars] = True
    alphabet = np.flatnonzero(present)
    dense_of = (np.cumsum(present, dtype=np.int32) - 1).astype(np.uint64)
    width = np.uint64(len(alphabet))
    dense = dense_of[firsts]
    del firsts
    if seconds is not None:
        dense *= width
        dense += dense_of[seconds]
        del seconds
    if len(alphabet) < 1 << 16:
        dense <<= np.uint64(32)
        dense |= np.arange(len(at), dtype=np.uint64)
        dense.sort()
        picked = at[(dense & np.uint64(0xFFFFFFFF)).astype(np.int32)]
        dense >>= np.uint64(32)
        keys = dense
    else:                                   # a site with more than 65,535 different characters
        order = np.argsort(dense, kind="stable")
        keys, picked = dense[order], at[order]
    del at
    docs, positions = occ.docs[picked], occ.positions[picked]
    del picked
    new_key = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=new_key[1:])
    new_pair = new_key.copy()
    new_pair[1:] |= docs[1:] != docs[:-1]
    numbers = keys[new_key]
    del keys
    if n == 1:
        key_list = [(c,) for c in alphabet[numbers.astype(np.int64)].tolist()]
    else:
        firsts_out = alphabet[(numbers // width).astype(np.int64)].tolist()
        seconds_out = alphabet[(numbers % width).astype(np.int64)].tolist()
        key_list = list(zip(firsts_out, seconds_out))
    return Grouped(key_list, new_key, new_pair, docs, positions)


def posting_lists(g: Grouped | None, with_positions: bool, region_of: int) -> dict[tuple[int, ...], str]:
    """{key code points: digits}. with_positions: per document the count then the position
    gaps; otherwise one number, count * 4 + the region of the first occurrence."""
    if g is None:
        return {}
    total = len(g.docs)
    pair_starts = np.flatnonzero(g.new_pair).astype(np.int32)
    pair_docs = g.docs[pair_starts]
    doc_gaps = pair_docs.copy()
    follows = np.flatnonzero(~g.new_key[pair_starts][1:]) + 1
    doc_gaps[follows] = pair_docs[follows] - pair_docs[follows - 1] - 1
    del pair_docs, follows
    if with_positions:
        pair_counts = np.diff(np.append(pair_starts, total)).astype(np.int32)
        values = np.empty(total + 2 * len(pair_starts), dtype=np.int32)
        gaps = g.positions.copy()
        inner = ~g.new_pair[1:]
        gaps[1:][inner] -= g.positions[:-1][inner]
        del inner
        slots = np.cumsum(g.new_pair, dtype=np.int32)
        slots *= 2
        slots += np.arange(total, dtype=np.int32)
        values[slots] = gaps
        del slots, gaps
        header = pair_starts + 2 * np.arange(len(pair_starts), dtype=np.int32)
        values[header] = doc_gaps
        values[header + 1] = pair_counts
        key_value_starts = header[g.new_key[pair_starts]]
    else:
        pair_counts = np.diff(np.append(pair_starts, total)).astype(np.int32)
        values = np.empty(2 * len(pair_starts), dtype=np.int32)
        values[0::2] = doc_gaps
        values[1::2] = pair_counts * 4 + g.positions[pair_starts] // region_of
        key_value_starts = 2 * np.flatnonzero(g.new_key[pair_starts])
    del doc_gaps, pair_counts
    text, char_starts = encode_values(values)
    bounds = np.append(char_starts[key_value_starts], len(text)).tolist()
    return {key: text[bounds[i]:bounds[i + 1]] for i, key in enumerate(g.keys)}


def encode_values(values: np.ndarray, chunk: int = 1 << 20) -> tuple[str, np.ndarray]:
    """All numbers as base-45 digits, concatenated; and where each number starts. Works a
    million numbers at a time, so its temporary arrays stay small."""
    if len(values) and int(values.min()) < 0:
        raise ValueError("posting values must not be negative")
    pieces: list[str] = []
    starts = np.empty(len(values), dtype=np.int64)
    offset = 0
    for low in range(0, len(values), chunk):
        part = values[low:low + chunk]
        digits = np.ones(len(part), dtype=np.int32)
        limit = BASE
        while int(part.max()) >= limit:
            digits += part >= limit
            limit *= BASE
        ends = np.cumsum(digits, dtype=np.int64)
        starts[low:low + chunk] = ends - digits + offset
        out = np.empty(int(ends[-1]), dtype=np.uint8)
        out[ends - 1] = _FINAL[part % BASE]
        rest = part // BASE
        place = 1
        while True:
            more = np.flatnonzero(digits > place)
            if len(more) == 0:
                break
            out[ends[more] - 1 - place] = _MORE[rest[more] % BASE]
            rest = rest // BASE
            place += 1
        pieces.append(out.tobytes().decode("ascii"))
        offset += len(out)
    return "".join(pieces), starts
