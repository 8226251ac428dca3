"""Stage 3c: the search index. SiteModel -> {output path: bytes} of small script files.

Design: an exact, sharded n-gram index that the browser loads piece by piece.

Semantics. A query is split on white space ("…" keeps a phrase together); every term must
occur (AND) as an exact substring of some field of a document, after NFKC and lower case on
both sides (search_text.normalize). Nothing is tokenised, so 小张村 finds every document that
contains 小张村 and no other, whatever the vocabulary of the site.

Index. Each document's normalised text is laid out in four regions — title; site name and tags;
summary and captions; body — at positions region * REGION + offset (fields of a region are
separated by one unindexed position, so matches never cross fields). Each field of the body (a
paragraph, a heading, an item) starts at a multiple of BLOCK: a sentence added to a paragraph
moves the positions of that paragraph only, so only the keys it holds change their lists. Five kinds of key:
  c        one character: per document, how often it occurs and the best region it occurs in;
  =ab      a character pair, the same per-document summary (all a 2-character term needs);
  ab       a character pair: per document, every position it starts at;
  Pab/Iab  a pair of letters of the full pinyin / the initials of the title and site name
           (positions; full-pinyin positions carry a bit saying "a syllable starts here").
A term of one or two characters reads its `c` or `=ab` key. A longer term q reads the pairs at
offsets 0, 2, 4, … and len(q) - 2, which cover every character of q: q occurs at p exactly when
each of those pairs occurs at p + its offset, so the browser answers from positions alone and
never needs the text to check a match. Position lists are what make it exact without
downloading text; per-document counts and best regions are what make it rankable. No segmenter
and no vocabulary are involved, so results never depend on what else the site contains.

Encoding. A posting list is, per document holding the key: the gap from the previous such
document, then for `c` and `=ab` keys one number count * 4 + region, for position keys the
count and the position gaps; numbers in search_codec's base-45 digits. All posting lists are
built at once with numpy (search_postings.py): one sort groups every occurrence by key.

Shards. A key whose posting list is over HEAVY characters is a file of its own,
search/h/<code points>.js, listed in the manifest; every other key lives in one of B bucket
files search/k/<fnv1a(key) % B>.js, with B chosen so a bucket holds about BUCKET characters
(from a coarse series: bucket_count).
A query of n characters so loads at most ⌈n / 2⌉ + 1 files of postings, whatever the size of
the site. Always loaded: search/manifest.js (bucket count, heavy keys, the length of site and
page titles). Loaded when the filters are opened or used: search/facets.js (each facet value's
documents, as gaps or a bitset). Loaded for the results shown, ten at a
time: search/d/<document number>.js (title, address, date, thumbnail and the text the excerpt
is cut from). Every file calls a global registration function (showcaseSearch.*), so the
index works from a domain root, a subpath and file:// alike. The manifest's version, a digest
of everything the index is made from (index_version), is appended to every index URL (?v=…) so
browsers never mix two builds; it is known before the index is built.

Rebuilds. When few documents changed and the others keep their numbers, search.incremental
brings the posting lists of the keys whose part changed up to date (search.splice), reading
them from the files the last build wrote, and makes again only the files that changed. Otherwise what costs Python time per document (normalising its fields and
spelling its title in pinyin) comes from the layout cache by a digest of its text
(doc_layout), so only changed documents are redone, and the numpy pass over all layouts builds
the posting lists part by part of the key space (search_postings.groups), which bounds its
memory.

Measured in bench/results-search.md against Pagefind 1.5.2 extended on the same corpora.
"""
from __future__ import annotations

import functools
import hashlib
import json
import marshal
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.model import SiteModel
from builder.store.saved_files import source_digest
from builder.search.codec import bitset, encode_many, fnv1a, js_json
from builder.search.layouts import LayoutCache
from builder.search.text import SEPARATOR, SearchDoc, make_reader, normalize, pinyin_segments, search_docs

FORMAT = 3
REGION = 8192            # position stride of a region: regions 0-2 keep their first 8,190 characters
BODY = 3                 # the region whose fields start at multiples of BLOCK
BLOCK = 512              # a sentence added crosses into another block one time in 512 / its length
BUCKET = 12_000          # characters of postings per bucket file, about
HEAVY = 6_000            # a posting list longer than this gets a file of its own
CALLBACK = "showcaseSearch"
FACETS = ("category", "action", "site", "town", "tag", "year")


@dataclass(frozen=True, slots=True)
class SearchIndex:
    files: dict[str, bytes]
    version: str
    stats: dict[str, int] = field(default_factory=dict)
    postings: dict[str, str] = field(default_factory=dict)   # every key's posting list
    heavy: tuple[str, ...] = ()                               # keys with a file of their own
    buckets: int = 0                                          # bucket files of the other keys
    kept: frozenset[str] = frozenset()                        # files not made again: as the output folder has them
    light_size: int = 0                                       # what decides the number of buckets (shard_plan)


@dataclass(frozen=True, slots=True)
class Summaries:
    """Every document's doc_summary, kept packed (marshal, one bytes a document) with a digest of
    each, so that the last build's can be read and carried over without making tens of
    thousands of tuples (which would also wake the garbage collector to walk the whole model):
    a summary is unpacked only where it is looked at."""
    digests: tuple[bytes, ...]          # summary_digest of each
    packed: tuple[bytes, ...]           # marshal.dumps of each
    kinds: str                          # the first letter of each document's kind
    layouts: tuple[str, ...]            # the digest of each document's layout (doc_digest)

    @classmethod
    def of(cls, summaries) -> "Summaries":
        summaries = tuple(summaries)
        return cls(tuple(summary_digest(s) for s in summaries), tuple(marshal.dumps(s) for s in summaries),
                   "".join(s[0][0] for s in summaries), tuple(s[3] for s in summaries))

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, number: int) -> tuple:
        return marshal.loads(self.packed[number])

    def all(self) -> list[tuple]:
        return [marshal.loads(p) for p in self.packed]


def summary_digest(summary: tuple) -> bytes:
    return hashlib.sha1(repr(summary).encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What the index will hold, and its version: known before the index is built, so that
    pages showing the version can be rendered meanwhile. search.incremental plans with the
    last build's state: a document whose inputs are unchanged is None in `docs` (its summary
    comes from the state) and is made by `make` only if the whole index must be made again."""
    docs: tuple[SearchDoc | None, ...]
    version: str
    summaries: Summaries | None = None           # doc_summary of each document
    make: Callable[[int], SearchDoc] | None = None          # document number -> its SearchDoc

    def all_docs(self) -> tuple[SearchDoc, ...]:
        if all(doc is not None for doc in self.docs):
            return self.docs
        return tuple(doc if doc is not None else self.make(n) for n, doc in enumerate(self.docs))

    def summaries_or_own(self) -> Summaries:
        return self.summaries if self.summaries is not None else Summaries.of(doc_summary(d) for d in self.docs)


def plan_search_index(model: SiteModel) -> SearchPlan:
    docs = search_docs(model)
    summaries = Summaries.of(doc_summary(doc) for doc in docs)
    return SearchPlan(docs, version_of(summaries), summaries)


def doc_summary(doc: SearchDoc) -> tuple:
    """What the index says of a document besides its text: (kind, title, facets, the digest of
    its layout, the digest of its result file, the text spelled in pinyin)."""
    f = doc.facets
    return (doc.kind, doc.title, (f.category, f.actions, f.site, f.town, f.tags, f.year), doc_digest(doc),
            result_digest(doc), doc.pinyin_fields)


def result_digest(doc: SearchDoc) -> str:
    return hashlib.sha1(js_json(doc_data(doc)).encode("utf-8", "surrogatepass")).hexdigest()


def build_search_index(model: SiteModel, cache_dir: Path | None = None) -> SearchIndex:
    """The index files of every published document. `cache_dir`: where layouts and the last
    indexes made are cached."""
    return index_files(plan_search_index(model), cache_dir)


def index_files(plan: SearchPlan, cache_dir: Path | None = None) -> SearchIndex:
    """Every file of the index, made from scratch (the layouts of documents from the layout
    cache in `cache_dir` when their text is the same). search.incremental brings the last
    build's index up to date instead when few documents changed."""
    cache = LayoutCache(cache_dir)
    cache.load_all()                     # every shard is saved: the layouts of removed documents go
    layouts = laid_out(plan.all_docs(), cache)
    cache.save()
    reused = cache.hits
    del cache
    occurrences = layout_occurrences(layouts)
    del layouts                 # the documents' text, laid out: the largest thing this stage holds
    postings = postings_of(occurrences)
    index = files_of(plan, postings)
    index.stats["reused"] = reused
    return index


def laid_out(docs: tuple[SearchDoc, ...], cache: "LayoutCache") -> list[tuple[str, ...]]:
    """Every document's layout, from the cache when its text was laid out before."""
    readings = make_reader()
    layouts = []
    for doc in docs:
        key = doc_digest(doc)
        layout = cache.get(key)
        if layout is None:
            layout = doc_layout(doc, readings)
            cache.put(key, layout)
        layouts.append(layout)
    return layouts


def files_of(plan: SearchPlan, postings: dict[str, str]) -> SearchIndex:
    """Every file of the index of these posting lists and documents. The index keeps the posting
    lists (`postings`)."""
    summaries = plan.summaries_or_own()
    files, heavy, buckets = shard_files(postings)
    files.update(doc_files(plan.all_docs()))
    stats = {"documents": len(plan.docs), "keys": len(postings), "heavy": len(heavy), "buckets": buckets,
             "postings_bytes": sum(len(p) for p in postings.values())}
    files["search/facets.js"] = facets_file(summaries)
    files["search/manifest.js"] = manifest_file(summaries, heavy, buckets, plan.version)
    return SearchIndex(files=dict(sorted(files.items())), version=plan.version, stats=stats, postings=postings,
                       heavy=tuple(heavy), buckets=buckets, light_size=light_size_of(postings, set(heavy)))


def facets_file(summaries: Summaries) -> bytes:
    return _script("facets", js_json(facet_data(summaries.all())))


def manifest_file(summaries: Summaries, heavy, buckets: int, version: str) -> bytes:
    manifest = manifest_data(summaries, list(heavy), buckets)
    manifest["v"] = version
    return _script("manifest", js_json(manifest))


def all_file_names(count: int, heavy: list[str] | tuple[str, ...], buckets: int) -> list[str]:
    """The name of every file of an index of `count` documents with these heavy keys and bucket count."""
    return (["search/facets.js", "search/manifest.js"] + [f"search/d/{n}.js" for n in range(count)]
            + [f"search/k/{n}.js" for n in range(buckets)] + [heavy_file(k) for k in heavy])


def index_version(docs: tuple[SearchDoc, ...]) -> str:
    """A digest of what the index files say: the documents, the index parameters and pypinyin's
    version. It names the index in every URL of it (?v=…), so it must not move when only the
    code is reorganised: a change of code that changes the files' bytes for the same documents
    bumps FORMAT (a test pins the bytes of a small index). The search state is keyed by a
    digest of the code (_code_digest) as well, so no code change ever reuses a stale index."""
    return version_of(Summaries.of(doc_summary(doc) for doc in docs))


def version_of(summaries: Summaries) -> str:
    """index_version from the documents' summaries (doc_summary), which cover every field of
    every document: what its text lays out to, what its result file says, its facets."""
    digest = hashlib.sha256(repr((FORMAT, REGION, BLOCK, BUCKET, HEAVY, _pypinyin_version())).encode())
    digest.update(b"".join(summaries.digests))
    return digest.hexdigest()[:12]


# --- one document ------------------------------------------------------------------------------

def _code_digest() -> str:
    return source_digest("search")


def doc_digest(doc: SearchDoc) -> str:
    data = repr((FORMAT, REGION, BLOCK, _pypinyin_version(), doc.regions, doc.pinyin_fields)).encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def doc_layout(doc: SearchDoc, readings, pinyin: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """What the index keeps of one document: 4 text regions, then 2 full-pinyin regions, their
    syllable-start marks ('1' where a syllable starts), and 2 initials regions. Fields of a region
    are joined by NUL, which is never indexed; regions 0-2 are cut at REGION - 2 characters.
    `pinyin`: the last 6 of another layout of the same pinyin_fields, taken as they are."""
    text = [_region(normalize(f) for f in fields) for fields in doc.regions]
    text = [t if i == 3 else t[: REGION - 2] for i, t in enumerate(text)]
    if pinyin is not None:
        return (*text, *pinyin)
    full, marks, heads = [], [], []
    for field_text in doc.pinyin_fields:
        segments, initials = pinyin_segments(field_text, readings) if field_text else ([], [])
        spelled = _region("".join(s) for s in segments)[: REGION - 2]
        full.append(spelled)
        marks.append(_region("".join("1" + "0" * (len(x) - 1) for x in s) for s in segments)[: len(spelled)])
        heads.append(_region(initials)[: REGION - 2])
    return (*text, *full, *marks, *heads)


def _region(fields) -> str:
    return SEPARATOR.join(f for f in fields if f)


# --- the whole index ---------------------------------------------------------------------------

def all_postings(layouts: list[tuple[str, ...]], part: int | None = None) -> dict[str, str]:
    """key -> posting list. Keys: 'c' (character), '=ab' (pair, per document), 'ab' (pair,
    positions), 'Pab' (full pinyin pair, positions * 2 + syllable start), 'Iab' (initials pair)."""
    return postings_of(layout_occurrences(layouts), part)


def layout_occurrences(layouts: list[tuple[str, ...]]) -> list:
    """The text, full pinyin and initials of every layout as search_postings.Occurrences: one
    array each, so the layouts' strings can be let go before the posting lists are built."""
    # numpy only here: a build that reuses a saved index never loads it (0.1 s).
    from builder.search.postings import occurrences
    return [occurrences([list(l[0:4]) for l in layouts], REGION, aligned=BODY, block=BLOCK),
            occurrences([list(l[4:6]) for l in layouts], REGION, scale=2, marks=[list(l[6:8]) for l in layouts]),
            occurrences([list(l[8:10]) for l in layouts], REGION)]


def postings_of(occurrences: list, part: int | None = None) -> dict[str, str]:
    """The posting lists of layout_occurrences(...), which it empties as it goes: each array is
    let go as soon as its keys are done."""
    from builder.search.postings import PART, groups, posting_lists
    part = part or PART
    out: dict[str, str] = {}

    def add(prefix: str, grouped, with_positions: bool, region_of: int) -> None:
        for key, posting in posting_lists(grouped, with_positions, region_of).items():
            out[prefix + "".join(map(chr, key))] = posting

    text = occurrences.pop(0)
    for grouped in groups(text, 1, part):
        add("", grouped, False, REGION)
    for grouped in groups(text, 2, part):
        add("=", grouped, False, REGION)
        add("", grouped, True, REGION)
    del text
    for grouped in groups(occurrences.pop(0), 2, part):
        add("P", grouped, True, REGION * 2)
    for grouped in groups(occurrences.pop(0), 2, part):
        add("I", grouped, True, REGION)
    return dict(sorted(out.items()))


def bucket_name(number: int) -> str:
    return f"search/k/{number}.js"


def heavy_file(key: str) -> str:
    return "search/h/" + "-".join(f"{ord(c):x}" for c in key) + ".js"


def shard_plan(postings: dict[str, str]) -> tuple[list[str], int]:
    """(the keys whose posting list gets a file of its own, the number of bucket files)."""
    heavy = sorted(k for k, p in postings.items() if len(p) > HEAVY)
    return heavy, bucket_count(light_size_of(postings, set(heavy)))


def light_size_of(postings: dict[str, str], heavy: set[str]) -> int:
    return sum(key_size(k, p) for k, p in postings.items() if k not in heavy)


def key_size(key: str, posting: str) -> int:
    """What a key in a bucket counts towards the number of buckets, about its bytes there."""
    return len(key) * 3 + len(posting) + 6


def bucket_count(light_size: int) -> int:
    """Enough buckets for about BUCKET characters each: up to 8 exactly, then the next of a series
    growing by a fifth of itself or so (8, 9, 11, 13, 16, 19, 22, 26, 32 …), so that the
    count (which every key's bucket depends on) moves once in a while as a site grows, not
    with every edit that lengthens a posting list. Buckets so hold 84-100% of BUCKET."""
    need = max(1, math.ceil(light_size / BUCKET))
    if need <= 8:
        return need
    step = math.ceil(4 * math.log2(need / 8))
    while math.floor(8 * 2 ** (step / 4)) < need:      # floating point: never fewer than needed
        step += 1
    while step > 0 and math.floor(8 * 2 ** ((step - 1) / 4)) >= need:
        step -= 1
    return math.floor(8 * 2 ** (step / 4))


def shard_files(postings: dict[str, str]) -> tuple[dict[str, bytes], list[str], int]:
    heavy, buckets = shard_plan(postings)
    heavy_set = set(heavy)
    grouped: dict[int, dict[str, str]] = defaultdict(dict)
    for key, posting in postings.items():
        if key not in heavy_set:
            grouped[fnv1a(key) % buckets][key] = posting
    files = {heavy_file(k): bucket_file({k: postings[k]}) for k in heavy}
    for number in range(buckets):
        files[bucket_name(number)] = bucket_file(grouped[number])
    return files, heavy, buckets


def bucket_file(payload: dict[str, str]) -> bytes:
    """A bucket file of these keys' posting lists. A posting list is digits of the codec's
    alphabet, which needs no escape in JSON or in a script: it is written as it is, where
    js_json would write each '&' as six bytes (7% of a frequent key's file)."""
    return _script("shard", "{" + ",".join([f'{js_json(key)}:"{posting}"' for key, posting in sorted(payload.items())]) + "}")


def read_shard(data: bytes) -> dict[str, str] | None:
    """The posting lists in a shard file (bucket or heavy key) as shard_files wrote it, or None."""
    prefix, suffix = f"{CALLBACK}.shard(".encode(), b");\n"
    if not (data.startswith(prefix) and data.endswith(suffix)):
        return None
    try:
        payload = json.loads(data[len(prefix):-len(suffix)].decode("utf-8"))
    except ValueError:
        return None
    if type(payload) is not dict or not all(type(v) is str for v in payload.values()):
        return None
    return payload


def doc_files(docs: tuple[SearchDoc, ...], numbers: set[int] | None = None) -> dict[str, bytes]:
    """search/d/<number>.js for every document (or those numbered in `numbers`)."""
    files = {}
    for number, doc in enumerate(docs):
        if numbers is None or number in numbers:
            files[f"search/d/{number}.js"] = _script("doc", f"{number},{js_json(doc_data(doc))}")
    return files


def doc_data(doc: SearchDoc) -> list:
    """What a result shows of a document (its file in search/d/)."""
    return [doc.kind, doc.title, doc.url, doc.site_name if doc.kind == "case" else "", doc.date,
            doc.category, doc.thumb, "\n".join(doc.regions[2]), "\n".join(doc.regions[3]), doc.thumb_webp]


def manifest_data(summaries: Summaries, heavy: list[str], buckets: int) -> dict:
    """What every query needs: sizes, where keys live, site and page title lengths. Heavy keys
    are listed by kind, concatenated: one character, pairs, '=' pairs, 'P' and 'I' pairs.
    From the documents' summaries (doc_summary)."""
    kinds = Counter(summaries.kinds)
    titles = [len(normalize(summaries[n][1])) for n, kind in enumerate(summaries.kinds) if kind != "c"]
    grouped: dict[str, list[str]] = defaultdict(list)
    for key in heavy:
        kind = key[0] if len(key) == 3 else str(len(key))
        grouped[kind].append(key[1:] if len(key) == 3 else key)
    return {
        "v": "", "format": FORMAT, "n": len(summaries), "sites": kinds["s"], "pages": kinds["p"],
        "region": REGION, "buckets": buckets, "heavy": {k: "".join(v) for k, v in sorted(grouped.items())},
        "titles": encode_many(titles),
    }


def facet_data(summaries: list[tuple]) -> dict[str, list]:
    """facet -> [[value, label, members]]: loaded only once filters are opened or used. From
    the documents' summaries (doc_summary)."""
    values: dict[str, dict[str, list[int]]] = {f: defaultdict(list) for f in FACETS}
    labels: dict[str, str] = {}
    for number, (kind, title, facets, *_) in enumerate(summaries):
        category, actions, site, town, tags, year = facets
        picked = {"category": [category], "action": list(actions), "site": [site], "town": [town],
                  "tag": list(tags), "year": [year]}
        for facet, names in picked.items():
            for name in names:
                if name:
                    values[facet][name].append(number)
        if kind == "site":
            labels[site] = title
    facets = {}
    for facet in FACETS:
        found = values[facet]
        if facet == "year":
            order = sorted(found, reverse=True)
        elif facet == "site":
            order = list(found)                       # model sites in the site's own order
        else:
            order = sorted(found, key=lambda n: (-len(found[n]), n))
        facets[facet] = [[name, labels.get(name, name) if facet == "site" else name,
                          _members(found[name], len(summaries))] for name in order]
    return facets


def _members(numbers: list[int], size: int) -> str:
    """'#' + document gaps, or '!' + a bitset, whichever is shorter."""
    listed = "#" + encode_many([numbers[0]] + [b - a - 1 for a, b in zip(numbers, numbers[1:])])
    bits = "!" + bitset(numbers, size)
    return listed if len(listed) <= len(bits) else bits


def _script(kind: str, payload: str) -> bytes:
    return f"{CALLBACK}.{kind}({payload});\n".encode("utf-8")


@functools.cache          # the installed package's version does not change while the process runs
def _pypinyin_version() -> str:
    # From the package metadata: importing pypinyin to ask would load its dictionaries (0.4 s).
    from importlib import metadata
    try:
        return metadata.version("pypinyin")
    except metadata.PackageNotFoundError:
        return ""
