"""What a review approves, as a digest: the front matter without its review record, and the
body, each in a canonical form, so that only a change a reader could see makes a recorded
review stale.

Left out of the digest: the `review:` list itself, comments and the layout of the YAML (key
order, quoting, flow or block style), line endings, a BOM, whitespace at the ends of lines and
blank lines around the body. The photos a document publishes are added to it later
(gate/standing.py), by the digest of their bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Iterable

FORMAT = "review-1"          # bump when what the digest covers changes: every review becomes stale
DIGEST_LENGTH = 16           # hex characters kept in the review record: 64 bits tell versions apart


def text_digest(front: Any, body: str) -> str:
    """The digest of a file's front matter (a parsed mapping) and body, as a review sees them."""
    front = {k: v for k, v in front.items() if k != "review"} if isinstance(front, dict) else front
    data = f"{FORMAT}\0{canonical(front)}\0{normal_body(body)}"
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def review_digest(text: str, photos: Iterable[tuple[str, str]]) -> str:
    """The digest a review stage records: the text's digest and each published photo's name
    and content digest, in the order they are published."""
    digest = hashlib.sha256(text.encode("ascii"))
    for name, content in photos:
        digest.update(f"\0{name}\0{content}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:DIGEST_LENGTH]


def normal_body(body: str) -> str:
    """The body without whitespace at the ends of its lines, nor blank lines before or after."""
    return "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")


def canonical(value: Any) -> str:
    """One text for one front matter whatever its YAML looked like. JSON with sorted keys when the
    values allow it (most front matter: text keys, no text of several lines, no list that holds
    itself), which is ten times faster than the walk below that handles everything else. A date
    and the same date written as text give the same JSON: they publish the same page."""
    try:
        fast = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, check_circular=True)
    except (TypeError, ValueError):
        return _canonical(value)
    return _canonical(value) if "\\n" in fast else "j" + fast


def _canonical(value: Any, inside: frozenset[int] = frozenset()) -> str:
    """One text for one value whatever the YAML looked like: mappings by sorted key. A list
    that holds itself (a: &x [*x]; the build reports it) is written once."""
    if isinstance(value, (list, tuple, dict)):
        if id(value) in inside:
            return "@"
        inside = inside | {id(value)}
    if value is None:
        return "n"
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, int):
        return f"i{value}"
    if isinstance(value, float):
        return f"f{value!r}"
    if isinstance(value, str):
        return "s" + json.dumps(_normal_text(value), ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return "t" + value.isoformat()
    if isinstance(value, dt.date):
        return "d" + value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(item, inside) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_canonical(k, inside)}:{_canonical(v, inside)}" for k, v in value.items())) + "}"
    return "x" + json.dumps(repr(value), ensure_ascii=False)


def _normal_text(text: str) -> str:
    """A text value without whitespace at the ends of its lines (a block scalar keeps them)."""
    return "\n".join(line.rstrip() for line in text.split("\n")) if "\n" in text else text
