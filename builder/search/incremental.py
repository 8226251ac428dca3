"""Search, part 5: the index of the last build, brought up to date for what changed.

The state a build leaves (SearchState, in .cache/state/ beside the output folder's record) is
every key's posting list (with marks, search.splice), and per document its address, a digest
of everything its SearchDoc is made from (store.digest: the case, its model site's name …) and
its summary (index.doc_summary: kind, title, facets, and digests of its layout and of its
result file). The next build:

  - plans (plan_index): a document whose inputs are unchanged keeps its summary, without being
    made again; the index version is a digest of the summaries, so it is known at once;
  - nothing changed (the same version): every file is kept as the output folder has it;
  - the same documents in the same order, a few with new text or details: the posting lists
    of their keys are spliced (search.splice), and only the files that differ are made: those
    documents' result files, the bucket files holding a changed key (all of them if the number
    of buckets changes), the files of changed heavy keys, the manifest and the facets;
  - anything else (documents added, removed or reordered, many changed, no state, another
    version of the code): the whole index is made again, from the layout cache.

A file is kept only where the output folder holds what this state made: the output record
(store.output_record) notes the index version it wrote, and a file someone changed there is
made again. Both paths give the same bytes: tests/unit/search/test_incremental.py checks the
spliced posting lists against those made from scratch, the property test whole sites.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder.model import SiteModel
from builder.search.index import (FORMAT, LayoutCache, SearchIndex, SearchPlan, _code_digest, all_file_names,
                                  doc_layout, doc_summary, files_of, fnv1a_many, heavy_file, index_files,
                                  layout_occurrences, postings_of, shard_plan, version_of)
from builder.search.splice import splice
from builder.search.text import make_reader, search_items
from builder.store.digest import Digester
from builder.store.state import read_state, write_state

MOST_CHANGED = 0.05             # more documents changed than this share (and 8): the whole index again


@dataclass(frozen=True, slots=True)
class SearchState:
    version: str
    code: str                           # search's code: another version makes everything again
    urls: tuple[str, ...]               # each document's address, in index order
    inputs: tuple[bytes, ...]           # each document's inputs, digested (store.digest)
    summaries: tuple[tuple, ...]        # each document's index.doc_summary
    heavy: tuple[str, ...]
    buckets: int
    postings: dict[str, str]
    marks: dict[str, tuple[bytes, bytes]]   # where long lists' parts start (search.splice)

    def save(self, path: Path | None) -> None:
        write_state(path, (FORMAT, self.version, self.code, self.urls, self.inputs, self.summaries, self.heavy,
                           self.buckets, self.postings, self.marks))

    @classmethod
    def load(cls, path: Path | None) -> "SearchState | None":
        payload = read_state(path)
        try:
            form, version, code, urls, inputs, summaries, heavy, buckets, postings, marks = payload
            if form != FORMAT or not (type(postings) is dict and type(marks) is dict
                                      and len(urls) == len(inputs) == len(summaries)):
                return None
            return cls(version, code, tuple(urls), tuple(inputs), tuple(summaries), tuple(heavy), buckets, postings,
                       marks)
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
    items = search_items(model)
    urls = tuple(url for url, _, _ in items)
    inputs = tuple(digester.of(material) for _, material, _ in items)
    same = previous is not None and previous.code == _code_digest() and previous.urls == urls
    docs, summaries = [], []
    for number, (_, _, make) in enumerate(items):
        if same and previous.inputs[number] == inputs[number]:
            docs.append(None)
            summaries.append(previous.summaries[number])
        else:
            doc = make()
            docs.append(doc)
            summaries.append(doc_summary(doc))
    summaries = tuple(summaries)
    plan = SearchPlan(tuple(docs), version_of(summaries), summaries, tuple(make for _, _, make in items))
    return Planned(plan, urls, inputs)


def update_index(planned: Planned, cache_dir: Path | None, previous: SearchState | None,
                 written: bool, intact: Callable[[str], bool]) -> tuple[SearchIndex, SearchState]:
    """The index of the plan: from `previous` where it can (`written`: the output folder holds
    what `previous` made, file by file where `intact`), else from scratch. The new state."""
    plan = planned.plan
    code = _code_digest()
    index = None
    if previous is not None and previous.code == code and previous.urls == planned.urls:
        changed = [n for n, (a, b) in enumerate(zip(previous.summaries, plan.summaries)) if a[3] != b[3]]
        if len(changed) <= max(8, len(plan.docs) * MOST_CHANGED):
            index = _spliced(plan, cache_dir, previous, changed, written, intact)
    if index is None:
        index = index_files(plan, cache_dir)
    state = SearchState(plan.version, code, planned.urls, planned.inputs, plan.summaries, index.heavy, index.buckets,
                        index.postings, index.marks)
    return index, state


def _spliced(plan: SearchPlan, cache_dir: Path | None, previous: SearchState, changed: list[int], written: bool,
             intact: Callable[[str], bool]) -> SearchIndex | None:
    docs, summaries = plan.docs, plan.summaries
    postings, marks = previous.postings, previous.marks
    changed_keys: set[str] = set()
    if changed:
        cache = LayoutCache(cache_dir)
        old = [cache.get(previous.summaries[n][3]) for n in changed]
        if any(layout is None for layout in old):
            return None                 # what the changed documents held is not known: make it all
        readings = make_reader()
        new = {}
        for n in changed:
            layout = cache.get(summaries[n][3])
            if layout is None:
                layout = doc_layout(docs[n], readings)
                cache.put(summaries[n][3], layout)
            new[n] = layout
        cache.keep(summary[3] for summary in summaries)
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
    names = set(all_file_names(len(docs), heavy, buckets))
    make = {f"search/d/{n}.js" for n, (a, b) in enumerate(zip(previous.summaries, summaries)) if a[4] != b[4]}
    if buckets != previous.buckets:
        make |= {name for name in names if name.startswith("search/k/")}
    else:
        heavy_set = set(heavy)
        moved = changed_keys | (heavy_set ^ set(previous.heavy))
        light = [k for k in moved if k in postings and k not in heavy_set]
        make |= {f"search/k/{n}.js" for n in (fnv1a_many(light) % buckets).tolist()} if light else set()
    make |= {heavy_file(k) for k in heavy if k in changed_keys or k not in previous.heavy}
    if not written:
        make = names                    # the output folder does not hold what `previous` made
    make |= {name for name in names - make if not intact(name)}
    if any(docs[int(name[9:-3])] is None for name in make if name.startswith("search/d/")):
        plan = SearchPlan(plan.all_docs(), plan.version, plan.summaries, plan.make)
    index = files_of(plan, postings, only=make)
    kept = frozenset(names - set(index.files))
    return SearchIndex(index.files, index.version, {**index.stats, "spliced": len(changed), "made": len(index.files)},
                       postings, index.heavy, index.buckets, kept, marks)


def _parts(layout: tuple[str, ...]) -> dict[str, str]:
    """One document's part of each key it holds: its posting list as the only document,
    without the leading gap (which is 0: one digit)."""
    return {key: posting[1:] for key, posting in postings_of(layout_occurrences([layout])).items()}
