"""Search, part 2: the index's compact text encoding and its bucket hash.

Index files are JavaScript (loaded as <script>, so they work from file://) whose data are
JSON strings of *digits*: a base-45 variable-length number code over 90 printable ASCII
characters. The first 45 symbols end a number, the other 45 continue it, most significant
digit first, so 0–44 take one character, up to 2,024 two, up to 91,124 three. The alphabet
leaves out '"', '\\', '<' and '>', so encoded data never need escaping in JSON and can never
spell '</script>'. search.js decodes with a 128-entry table.
"""
from __future__ import annotations

import json

SYMBOLS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\<>')
BASE = len(SYMBOLS) // 2            # 45
FINAL, MORE = SYMBOLS[:BASE], SYMBOLS[BASE:]
BITS_ALPHABET = SYMBOLS[:64]        # facet bitsets: six documents a character


def encode(value: int) -> str:
    """A non-negative whole number as base-45 digits, the last one from FINAL, the others from MORE."""
    if value < 0:
        raise ValueError(f"cannot encode {value}")
    out = [FINAL[value % BASE]]
    value //= BASE
    while value:
        out.append(MORE[value % BASE])
        value //= BASE
    return "".join(reversed(out))


def encode_many(values) -> str:
    return "".join(map(encode, values))


def decode_all(text: str) -> list[int]:
    """The inverse of encode_many, for tests and the benchmark."""
    values, current = [], 0
    for char in text:
        digit = SYMBOLS.index(char)
        if digit < BASE:
            values.append(current * BASE + digit)
            current = 0
        else:
            current = current * BASE + digit - BASE
    return values


def bitset(members: list[int], size: int) -> str:
    """Sorted member numbers below size as a bitset: six documents a character."""
    cells = bytearray((size + 5) // 6)
    for m in members:
        cells[m // 6] |= 1 << (m % 6)
    return "".join(BITS_ALPHABET[c] for c in cells)


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over code points; search.js computes the same for a key's bucket."""
    h = 0x811C9DC5
    for char in key:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h


_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def js_json(value) -> str:
    """JSON safe to place anywhere in a script: no '<', '>' or '&' and no line separators
    appear literally, so a title like '</script><img onerror=…>' stays inert text."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escape in _UNSAFE.items():
        if char in text:
            text = text.replace(char, escape)
    return text
