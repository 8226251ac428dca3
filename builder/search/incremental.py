"""Search, part 5: the index of the last build, brought up to date for what changed.

The state a build leaves (SearchState, in .cache/state/ beside the output folder's record) is
small: per document its address, a digest of everything its SearchDoc is made from
(store.digest: the case, its model site's name …) and its summary (index.doc_summary: kind,
title, facets, and digests of its layout and of its result file); the heavy keys, the number
of buckets and what decided it. The posting lists themselves are in the files the last build
wrote. The next build:

  - plans (plan_index): a document whose inputs are unchanged keeps its summary, without being
    made again; the index version is a digest of the summaries, so it is known at once;
  - nothing changed (the same version): every file is kept as the output folder has it;
  - the same documents in the same order, a few with new text or details: the keys whose part
    changed in those documents (their old and new layouts, from the layout cache, tell which:
    a sentence added to a paragraph changes the keys of that paragraph only, index.BLOCK) are
    read from the shard files holding them, spliced (search.splice), and only the files that
    differ are made: those documents' result files, the bucket files holding a changed key
    (all of them if the number of buckets changes), the files of changed heavy keys, the
    manifest, and the facets if a facet changed;
  - anything else (documents added, removed or reordered, many changed, no state, another
    version of the code, a shard file not as the last build left it): the whole index is made
    again, from the layout cache.

A file is kept, or read, only where the output folder holds what this state made: the output
record (store.output_record) notes the index version it wrote, and a file someone changed there
is made again. Both paths give the same bytes: tests/unit/search/test_incremental.py checks the
spliced posting lists and the files against those made from scratch, the property test whole
sites.
"""
from __future__ import annotations

import marshal
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder.model import SiteModel
from builder.search.codec import fnv1a
from builder.search.index import (FORMAT, HEAVY, SearchIndex, SearchPlan, _code_digest, all_file_names,
                                  Summaries, bucket_count, bucket_file, bucket_name, doc_files, doc_layout, doc_summary,
                                  facets_file, heavy_file, index_files, key_size, layout_occurrences,
                                  manifest_file, postings_of, read_shard, summary_digest, version_of)
from builder.search.layouts import LayoutCache
from builder.search.splice import splice
from builder.search.text import SearchDoc, SearchItems, make_reader
from builder.store.digest import Digester
from builder.store.state import read_state, write_state

MOST_CHANGED = 0.05             # more documents changed than this share (and 8): the whole index again


@dataclass(frozen=True, slots=True)
class SearchState:
    version: str
    code: str                           # search's code: another version makes everything again
    urls: tuple[str, ...]               # each document's address, in index order
    inputs: tuple[bytes, ...]           # each document's inputs, digested (store.digest)
    summaries: Summaries                # each document's index.doc_summary, packed
    heavy: tuple[str, ...]              # keys with a file of their own, sorted
    buckets: int
    light_size: int                     # what the number of buckets is made from (index.light_size_of)

    def save(self, path: Path | None) -> None:
        summaries = self.summaries
        write_state(path, (FORMAT, self.version, self.code, self.urls, self.inputs, summaries.digests,
                           summaries.packed, summaries.kinds, summaries.layouts, self.heavy, self.buckets, self.light_size))

    @classmethod
    def load(cls, path: Path | None) -> "SearchState | None":
        payload = read_state(path)
        try:
            form, version, code, urls, inputs, digests, packed, kinds, layouts, heavy, buckets, light_size = payload
            if form != FORMAT or not (len(urls) == len(inputs) == len(digests) == len(packed) == len(kinds)
                                      == len(layouts)
                                      and type(kinds) is str and type(buckets) is int and type(light_size) is int):
                return None
            return cls(version, code, tuple(urls), tuple(inputs), Summaries(tuple(digests), tuple(packed), kinds, tuple(layouts)),
                       tuple(heavy), buckets, light_size)
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class Planned:
    plan: SearchPlan
    urls: tuple[str, ...]
    inputs: tuple[bytes, ...]


def plan_index(model: SiteModel, digester: Digester, previous: SearchState | None) -> Planned:
    """What the index will hold and its version. Documents whose inputs are what `previous`
    had at the same place keep their summaries and are not made."""
    items = SearchItems.of(model)
    urls = items.urls()
    inputs = items.inputs(digester.of)
    same = previous is not None and previous.code == _code_digest() and previous.urls == urls
    docs: list[SearchDoc | None] = [None] * len(items)
    if same:
        old = previous.summaries
        digests, packed, kinds, layouts = list(old.digests), list(old.packed), list(old.kinds), list(old.layouts)
        made = [n for n, (a, b) in enumerate(zip(previous.inputs, inputs)) if a != b]
    else:
        digests, packed, kinds, layouts = [b""] * len(items), [b""] * len(items), [""] * len(items), [""] * len(items)
        made = range(len(items))
    for number in made:
        doc = docs[number] = items.make(number)
        summary = doc_summary(doc)
        digests[number], packed[number] = summary_digest(summary), marshal.dumps(summary)
        kinds[number], layouts[number] = doc.kind[0], summary[3]
    summaries = Summaries(tuple(digests), tuple(packed), "".join(kinds), tuple(layouts))
    plan = SearchPlan(tuple(docs), version_of(summaries), summaries, items.make)
    return Planned(plan, urls, inputs)


def update_index(planned: Planned, cache_dir: Path | None, previous: SearchState | None,
                 written: bool, intact: Callable[[str], bool], out_dir: Path | None = None,
                 ) -> tuple[SearchIndex, SearchState]:
    """The index of the plan: from `previous` where it can (`written`: the output folder
    `out_dir` holds what `previous` made, file by file where `intact`), else from scratch.
    The new state."""
    plan = planned.plan
    code = _code_digest()
    index = None
    if previous is not None and written and out_dir is not None and previous.code == code \
            and previous.urls == planned.urls:
        changed = [n for n, (a, b) in enumerate(zip(previous.summaries.layouts, plan.summaries.layouts)) if a != b]
        if len(changed) <= max(8, len(plan.docs) * MOST_CHANGED):
            try:
                index = _spliced(plan, cache_dir, previous, changed, Shards(out_dir, intact, previous))
            except (ValueError, IndexError):
                index = None            # a shard file that does not read as one: make it all
    if index is None:
        index = index_files(plan, cache_dir)
    state = SearchState(plan.version, code, planned.urls, planned.inputs, plan.summaries, index.heavy, index.buckets,
                        index.light_size)
    return index, state


class Shards:
    """The bucket and heavy-key files the last build wrote, read when a posting list in them is
    needed; a file not as that build left it raises ValueError."""

    def __init__(self, out_dir: Path, intact: Callable[[str], bool], previous: SearchState):
        self.out_dir, self.intact = out_dir, intact
        self.heavy, self.buckets = set(previous.heavy), previous.buckets
        self.read: dict[str, dict[str, str]] = {}

    def file(self, rel: str) -> dict[str, str]:
        found = self.read.get(rel)
        if found is None:
            if not self.intact(rel):
                raise ValueError(rel)
            try:
                found = read_shard((self.out_dir / rel).read_bytes())
            except OSError:
                found = None
            if found is None:
                raise ValueError(rel)
            self.read[rel] = found
        return found

    def posting(self, key: str) -> str:
        """The last build's posting list of `key` ('': none)."""
        if key in self.heavy:
            found = self.file(heavy_file(key)).get(key)
            if found is None:
                raise ValueError(key)
            return found
        return self.file(bucket_name(fnv1a(key) % self.buckets)).get(key, "")

    def bucket(self, number: int) -> dict[str, str]:
        return self.file(bucket_name(number))


def _spliced(plan: SearchPlan, cache_dir: Path | None, previous: SearchState, changed: list[int],
             shards: Shards) -> SearchIndex | None:
    docs, summaries = plan.docs, plan.summaries
    postings = _changed_postings(plan, cache_dir, previous, changed, shards) if changed else {}
    if postings is None:
        return None                     # what the changed documents held is not known: make it all
    heavy, light_size = set(previous.heavy), previous.light_size
    for key, posting in postings.items():
        old = shards.posting(key)
        if key not in heavy and old:
            light_size -= key_size(key, old)
        heavy.discard(key)
        if len(posting) > HEAVY:
            heavy.add(key)
        elif posting:
            light_size += key_size(key, posting)
    buckets = bucket_count(light_size)
    files = {heavy_file(k): bucket_file({k: postings[k]}) for k in postings if k in heavy}
    files.update(_buckets(postings, heavy, buckets, shards))
    names = set(all_file_names(len(docs), sorted(heavy), buckets))
    differ = differing(previous.summaries, summaries)
    results = {n for n in differ if previous.summaries[n][4] != summaries[n][4]}
    results |= {int(rel[9:-3]) for rel in names if rel.startswith("search/d/") and rel not in files
                and not shards.intact(rel)}
    made = tuple(plan.make(n) if n in results and doc is None else doc for n, doc in enumerate(docs))
    files.update(doc_files(made, results))
    if any(_facets_differ(previous.summaries[n], summaries[n]) for n in differ) or not shards.intact("search/facets.js"):
        files["search/facets.js"] = facets_file(summaries)
    files["search/manifest.js"] = manifest_file(summaries, sorted(heavy), buckets, plan.version)
    for rel in names - set(files):
        if not rel.startswith("search/d/") and not shards.intact(rel):
            shards.file(rel)            # raises: a shard someone changed is not known here
    stats = {"documents": len(docs), "heavy": len(heavy), "buckets": buckets, "spliced": len(changed),
             "made": len(files)}
    return SearchIndex(dict(sorted(files.items())), plan.version, stats, postings, tuple(sorted(heavy)), buckets,
                       frozenset(names - set(files)), light_size)


def _changed_postings(plan: SearchPlan, cache_dir: Path | None, previous: SearchState, changed: list[int],
                      shards: Shards) -> dict[str, str] | None:
    """The new posting list of every key whose part changed in a changed document ('': gone),
    or None if the layouts the changed documents had are not in the cache."""
    cache = LayoutCache(cache_dir)
    old = [cache.get(previous.summaries.layouts[n]) for n in changed]
    if any(layout is None for layout in old):
        return None
    readings = make_reader()
    new = {}
    for n, old_layout in zip(changed, old):
        layout = cache.get(plan.summaries.layouts[n])
        if layout is None:
            # The pinyin of an unchanged title is taken from the old layout: spelling it again
            # reads pypinyin's table (20 ms) for a body edit.
            same = previous.summaries[n][5] == plan.summaries[n][5]
            layout = doc_layout(plan.docs[n], readings, old_layout[4:] if same else None)
            cache.put(plan.summaries.layouts[n], layout)
        new[n] = layout
    cache.save(used=set(plan.summaries.layouts))
    parts = {n: _parts(new[n]) for n in changed}
    keys = set()
    for n, layout in zip(changed, old):
        before, after = _parts(layout), parts[n]
        keys.update(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    keys = sorted(keys)
    old_postings = {key: posting for key in keys if (posting := shards.posting(key))}
    # Lists are read up to about the last changed document's share of them, not to their end.
    share = min(1.0, 1.25 * (changed[-1] + 1) / len(plan.docs))
    return {key: posting for key, posting in splice(old_postings, changed, parts, keys, share).items()
            if posting != old_postings.get(key, "")}


def _buckets(postings: dict[str, str], heavy: set[str], buckets: int, shards: Shards) -> dict[str, bytes]:
    """The bucket files holding a key whose posting list changed: all of them if the number of
    buckets changed."""
    if buckets == shards.buckets:
        touched = {fnv1a(k) % buckets for k in postings if k not in heavy or k not in shards.heavy}
        contents = {n: dict(shards.bucket(n)) for n in touched}
    else:
        light: dict[str, str] = {}
        for n in range(shards.buckets):
            light.update(shards.bucket(n))
        contents = {n: {} for n in range(buckets)}
        for key, posting in light.items():
            contents[fnv1a(key) % buckets][key] = posting
    for key, posting in postings.items():
        number = fnv1a(key) % buckets
        if number in contents:
            if posting and key not in heavy:
                contents[number][key] = posting
            else:
                contents[number].pop(key, None)
    return {bucket_name(n): bucket_file(payload) for n, payload in contents.items()}


def differing(a: Summaries, b: Summaries) -> list[int]:
    """The documents whose summaries differ (the same number of documents)."""
    return [n for n, (x, y) in enumerate(zip(a.digests, b.digests)) if x != y]


def _facets_differ(a: tuple, b: tuple) -> bool:
    """Does facets.js say something else of a document with summary b than of one with a?"""
    return a[0] != b[0] or a[2] != b[2] or (b[0] == "site" and a[1] != b[1])


def _parts(layout: tuple[str, ...]) -> dict[str, str]:
    """One document's part of each key it holds: its posting list as the only document,
    without the leading gap (which is 0: one digit)."""
    return {key: posting[1:] for key, posting in postings_of(layout_occurrences([layout])).items()}
