"""Search, part 5: the index of the last build, brought up to date for what changed.

The state a build leaves (SearchState, in .cache/state/ beside the output folder's record) is
every key's posting list, and per document its address and two digests: of the text the index
holds (its layout) and of what its result shows (its file in search/d/). The next build:

  - nothing changed (the same version): every file is kept as the output folder has it;
  - the same documents in the same order, a few of them with new text or details: the
    posting lists of their keys are spliced (search.splice), and only the files that differ
    are made: those documents' result files, the bucket files holding a changed key (all of
    them if the number of buckets changes), the files of changed heavy keys, the manifest and
    the facets;
  - anything else (documents added, removed or reordered, many changed, no state, another
    version of the code): the whole index is made again, from the layout cache.

A file is kept only where the output folder holds what this state made: the output record
(store.output_record) notes the index version it wrote, and a file someone changed there is
made again. Both paths give the same bytes: tests/unit/search/test_incremental.py checks the
spliced posting lists against those made from scratch.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder.search.index import (FORMAT, LayoutCache, SearchIndex, SearchPlan, _code_digest, all_file_names, doc_data,
                                  doc_digest, doc_layout, files_of, heavy_file, index_files, layout_occurrences,
                                  postings_of, shard_plan, fnv1a_many)
from builder.search.codec import js_json
from builder.search.splice import splice
from builder.search.text import SearchDoc, make_reader
from builder.store.state import read_state, write_state

MOST_CHANGED = 0.05             # more documents changed than this share (and 8): the whole index again


@dataclass(frozen=True, slots=True)
class SearchState:
    version: str
    code: str                           # search's code: another version makes everything again
    urls: tuple[str, ...]               # each document's address, in index order
    layouts: tuple[str, ...]            # each document's layout digest (index.doc_digest)
    results: tuple[str, ...]            # each document's result-file digest
    heavy: tuple[str, ...]
    buckets: int
    postings: dict[str, str]
    marks: dict[str, tuple[bytes, bytes]]   # where long lists' parts start (search.splice)

    def save(self, path: Path | None) -> None:
        write_state(path, (FORMAT, self.version, self.code, self.urls, self.layouts, self.results, self.heavy,
                           self.buckets, self.postings, self.marks))

    @classmethod
    def load(cls, path: Path | None) -> "SearchState | None":
        payload = read_state(path)
        try:
            form, version, code, urls, layouts, results, heavy, buckets, postings, marks = payload
            if form != FORMAT or not (type(postings) is dict and type(marks) is dict
                                      and len(urls) == len(layouts) == len(results)):
                return None
            return cls(version, code, tuple(urls), tuple(layouts), tuple(results), tuple(heavy), buckets, postings,
                       marks)
        except (TypeError, ValueError):
            return None


def result_digest(doc: SearchDoc) -> str:
    return hashlib.sha1(js_json(doc_data(doc)).encode("utf-8", "surrogatepass")).hexdigest()


def update_index(plan: SearchPlan, cache_dir: Path | None, previous: SearchState | None,
                 written: bool, intact: Callable[[str], bool]) -> tuple[SearchIndex, SearchState]:
    """The index of `plan`: from `previous` where it can (`written`: the output folder holds
    what `previous` made, file by file where `intact`), else from scratch. The new state."""
    docs = plan.docs
    urls = tuple(d.url for d in docs)
    layouts = tuple(doc_digest(d) for d in docs)
    results = tuple(result_digest(d) for d in docs)
    code = _code_digest()
    index = None
    if previous is not None and previous.code == code and previous.urls == urls:
        changed = [n for n, (a, b) in enumerate(zip(previous.layouts, layouts)) if a != b]
        if len(changed) <= max(8, len(docs) * MOST_CHANGED):
            index = _spliced(plan, cache_dir, previous, changed, layouts, results, written, intact)
    if index is None:
        index = index_files(plan, cache_dir)
    state = SearchState(plan.version, code, urls, layouts, results, index.heavy, index.buckets, index.postings,
                        index.marks)
    return index, state


def _spliced(plan: SearchPlan, cache_dir: Path | None, previous: SearchState, changed: list[int],
             layouts: tuple[str, ...], results: tuple[str, ...], written: bool,
             intact: Callable[[str], bool]) -> SearchIndex | None:
    docs = plan.docs
    postings, marks = previous.postings, previous.marks
    changed_keys: set[str] = set()
    if changed:
        cache = LayoutCache(cache_dir)
        old = [cache.get(previous.layouts[n]) for n in changed]
        if any(layout is None for layout in old):
            return None                 # what the changed documents held is not known: make it all
        readings = make_reader()
        new = {}
        for n in changed:
            layout = cache.get(layouts[n])
            if layout is None:
                layout = doc_layout(docs[n], readings)
                cache.put(layouts[n], layout)
            new[n] = layout
        cache.keep(layouts)
        cache.save()
        parts = {n: _parts(new[n]) for n in changed}
        affected = set().union(*(_parts(layout) for layout in old), *parts.values())
        spliced, spliced_marks = splice(postings, changed, parts, sorted(affected), marks)
        postings, marks = dict(postings), dict(marks)
        for key, posting in spliced.items():
            if posting != postings.get(key, ""):
                changed_keys.add(key)
                if posting:
                    postings[key] = posting
                else:
                    del postings[key]
            if spliced_marks[key][0]:
                marks[key] = spliced_marks[key]
            else:
                marks.pop(key, None)
    heavy, buckets = shard_plan(postings)
    names = set(all_file_names(docs, heavy, buckets))
    make = {f"search/d/{n}.js" for n, (a, b) in enumerate(zip(previous.results, results)) if a != b}
    if buckets != previous.buckets:
        make |= {name for name in names if name.startswith("search/k/")}
    else:
        moved = changed_keys | (set(heavy) ^ set(previous.heavy))
        light = [k for k in moved if k in postings and k not in set(heavy)]
        make |= {f"search/k/{n}.js" for n in (fnv1a_many(light) % buckets).tolist()} if light else set()
    make |= {heavy_file(k) for k in heavy if k in changed_keys or k not in previous.heavy}
    if not written:
        make = names                    # the output folder does not hold what `previous` made
    make |= {name for name in names - make if not intact(name)}
    index = files_of(plan, postings, only=make)
    kept = frozenset(names - set(index.files))
    return SearchIndex(index.files, index.version, {**index.stats, "spliced": len(changed), "made": len(index.files)},
                       postings, index.heavy, index.buckets, kept, marks)


def _parts(layout: tuple[str, ...]) -> dict[str, str]:
    """One document's part of each key it holds: its posting list as the only document,
    without the leading gap (which is 0: one digit)."""
    return {key: posting[1:] for key, posting in postings_of(layout_occurrences([layout])).items()}
