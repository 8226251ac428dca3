"""Search, part 3: posting lists for every key of the index, built at once with numpy.

The input is every document's layout (search.doc_layout): region strings whose fields are
joined by NUL. All regions of all documents become one array of code points; each character
gets its document and position (region * REGION + offset; each field of the body
starts at a multiple of a block, search.index.BLOCK); keys are single characters or
pairs of neighbours inside a field. One sort of (key, occurrence number) per part of the
key space (about a million occurrences each, so memory stays bounded) groups the
occurrences of a key by document and position, and the numbers of every posting list are
then encoded into base-45 digits in a single vectorised pass. No Python loop runs per
character or per (key, document) pair, which is what keeps indexing at a few seconds for
5,000 documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from builder.search.codec import BASE, SYMBOLS
from builder.search.text import SEPARATOR

_FINAL = np.frombuffer(SYMBOLS[:BASE].encode("ascii"), dtype=np.uint8)
_MORE = np.frombuffer(SYMBOLS[BASE:].encode("ascii"), dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Every region of every document as one array of code points. Documents and positions
    are not stored per character (that would triple the memory): `locate` finds them for the
    characters picked, from where each region starts."""
    chars: np.ndarray       # uint32 code points, 0 for a separator
    starts: np.ndarray      # int64 index in chars where each region (piece) starts
    docs: np.ndarray        # int32 document number of each piece
    offsets: np.ndarray     # int64 region * stride - start, per piece
    scale: int = 1
    bits: np.ndarray | None = None   # bool per character: a syllable starts here (full pinyin)

    def locate(self, picked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(documents, positions) of the characters at `picked`."""
        piece = np.searchsorted(self.starts, picked, side="right") - 1
        docs = self.docs[piece]
        positions = (picked + self.offsets[piece]).astype(np.int32)
        del piece
        if self.bits is not None:
            positions *= self.scale
            positions += self.bits[picked]
        return docs, positions


def occurrences(regions: list[list[str]], stride: int, scale: int = 1,
                marks: list[list[str]] | None = None, aligned: int = -1, block: int = 1) -> Occurrences:
    """regions[d][r] is region r of document d. With `marks` (same shapes, '1' or '0' per
    character), positions become position * 2 + mark: full pinyin flags syllable starts.
    Each field of region `aligned` starts at a multiple of `block` (block_starts)."""
    if marks is not None and aligned >= 0:
        raise ValueError("marks and aligned fields do not go together")
    pieces, piece_docs, piece_bases = [], [], []
    for number, doc_regions in enumerate(regions):
        for region, text in enumerate(doc_regions):
            if not text:
                continue
            if region == aligned:
                fields = text.split(SEPARATOR)
                pieces += fields
                piece_docs += [number] * len(fields)
                piece_bases += [region * stride + at for at in block_starts(fields, block)]
            else:
                pieces.append(text)
                piece_docs.append(number)
                piece_bases.append(region * stride)
    if not pieces:
        empty = np.zeros(0, dtype=np.int64)
        return Occurrences(np.zeros(0, dtype=np.uint32), empty, np.zeros(0, dtype=np.int32), empty)
    joined = SEPARATOR.join(pieces) + SEPARATOR
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    del joined
    lengths = np.array([len(p) + 1 for p in pieces], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    offsets = np.array(piece_bases, dtype=np.int64) - starts
    bits = None
    if marks is not None:
        flags = "".join(m + "0" for doc_marks in marks for m in doc_marks if m)
        bits = np.frombuffer(flags.encode("ascii"), dtype=np.uint8) == ord("1")
    return Occurrences(chars, starts, np.array(piece_docs, dtype=np.int32), offsets, scale, bits)


def block_starts(fields: list[str], block: int) -> list[int]:
    """Where each field starts: at the first multiple of `block` at least one position after the
    end of the one before (so no term spans two fields). A field's positions so depend only on
    the fields before it ending in the same blocks: an edit inside a paragraph moves the
    positions of that paragraph alone, unless it makes the paragraph cross into another block."""
    starts, at = [], 0
    for text in fields:
        starts.append(at)
        at = -(-(at + len(text) + 1) // block) * block
    return starts


@dataclass(frozen=True, slots=True)
class Grouped:
    """The occurrences of every n-gram, sorted by key, then document, then position."""
    keys: list[tuple[int, ...]]     # code points of each key, in order
    new_key: np.ndarray             # bool per occurrence: first of its key
    new_pair: np.ndarray            # bool per occurrence: first of its (key, document)
    docs: np.ndarray                # int32
    positions: np.ndarray           # int32


PART = 1 << 18           # occurrences sorted at a time: bounds the temporary arrays (~25 MB)


def groups(occ: Occurrences, n: int, part: int = PART) -> Iterator[Grouped]:
    """The occurrences of every character (n=1, spaces left out) or pair of neighbours inside a
    field (n=2), grouped by key. Keys are split into parts of about `part` occurrences each
    (by dense key modulo the number of parts) and each part is sorted on its own, so memory
    stays bounded whatever the size of the site; every key lies wholly in one part."""
    chars = occ.chars
    if n == 1:
        at = np.flatnonzero((chars != 0) & (chars != 0x20)).astype(np.int32)
    else:
        at = np.flatnonzero((chars[:-1] != 0) & (chars[1:] != 0)).astype(np.int32)
    if len(at) == 0:
        return
    # Dense character numbers, so that a pair fits in 32 bits and (pair, occurrence) in 64.
    present = np.zeros(int(chars.max()) + 1, dtype=bool)
    present[chars] = True
    alphabet = np.flatnonzero(present)
    del present
    dense_of = np.zeros(int(chars.max()) + 1, dtype=np.uint64)
    dense_of[alphabet] = np.arange(len(alphabet), dtype=np.uint64)
    width = np.uint64(len(alphabet))
    parts = min(max(1, -(-len(at) // part)), 1 << 16)
    part_of = None
    if parts > 1:
        part_of = np.empty(len(at), dtype=np.uint16)
        for low in range(0, len(at), part):
            keys = _dense_keys(chars, at[low:low + part], n, dense_of, width)
            part_of[low:low + part] = keys % np.uint64(parts)
    for number in range(parts):
        chosen = at if part_of is None else at[part_of == number]
        if len(chosen):
            yield _group_part(occ, chosen, n, alphabet, dense_of, width)


def _dense_keys(chars: np.ndarray, at: np.ndarray, n: int, dense_of: np.ndarray, width: np.uint64) -> np.ndarray:
    dense = dense_of[chars[at]]
    if n == 2:
        dense *= width
        dense += dense_of[chars[at + 1]]
    return dense


def _group_part(occ: Occurrences, at: np.ndarray, n: int, alphabet: np.ndarray, dense_of: np.ndarray,
                width: np.uint64) -> Grouped:
    """One sort of (dense key << 32 | occurrence) orders the occurrences by key, then by
    document and position (the order of `at`)."""
    dense = _dense_keys(occ.chars, at, n, dense_of, width)
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
    docs, positions = occ.locate(picked)
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


LAST_REGION = 3        # the body: positions past its stride are still the body


def posting_lists(g: Grouped, with_positions: bool, region_of: int) -> dict[tuple[int, ...], str]:
    """{key code points: digits}. with_positions: per document the count then the position
    gaps; otherwise one number, count * 4 + the region of the first occurrence."""
    total = len(g.docs)
    pair_starts = np.flatnonzero(g.new_pair).astype(np.int32)
    pair_docs = g.docs[pair_starts]
    doc_gaps = pair_docs.copy()
    follows = np.flatnonzero(~g.new_key[pair_starts][1:]) + 1
    doc_gaps[follows] = pair_docs[follows] - pair_docs[follows - 1] - 1
    del follows
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
        values[1::2] = pair_counts * 4 + np.minimum(g.positions[pair_starts] // region_of, LAST_REGION)
        key_value_starts = 2 * np.flatnonzero(g.new_key[pair_starts])
    del doc_gaps, pair_counts, pair_docs
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
