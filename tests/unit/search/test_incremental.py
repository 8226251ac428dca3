"""The search index brought up to date (search.splice, search.incremental): spliced posting lists
and the files made from them are exactly those an index made from scratch has."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.search.codec import decode_all, encode_many
from builder.search.incremental import SearchState, update_index
from builder.search.index import SearchPlan, all_postings, doc_layout, index_files, index_version
from builder.search.splice import has_positions, parse, splice
from builder.search.text import Facets, SearchDoc, make_reader

CHARS = list("村张小西翟调解服务志愿") + list("ab0") + [" ", "😀"]
TEXT = st.text(alphabet=st.sampled_from(CHARS), max_size=30)


def doc(number: int, title: str, body: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(kind="case", url=f"cases/{number}/", title=title, site_name="", date="2024-01-01", category="",
                     thumb="", regions=((title,), tags, (), body), facets=Facets(tags=tags))


def layouts_of(docs) -> list[tuple[str, ...]]:
    readings = make_reader()
    return [doc_layout(d, readings) for d in docs]


def parts_of(layout) -> dict[str, str]:
    return {key: posting[1:] for key, posting in all_postings([layout]).items()}


texts = st.tuples(TEXT, st.lists(TEXT, max_size=3), st.lists(TEXT, max_size=2))


def marked_postings(layouts):
    from builder.search.index import layout_occurrences, postings_of
    marks: dict = {}
    return postings_of(layout_occurrences(layouts), marks=marks), marks


def check_marks(postings, marks):
    """Every mark names a document whose part starts where the mark says."""
    from builder.search.splice import _mark_arrays
    for key, value in marks.items():
        docs, offsets = _mark_arrays(value)
        whole = parse(postings, [key], 10**9, 10**9)[key]
        where = dict(zip(whole.docs, whole.starts))
        assert all(where.get(d) == o for d, o in zip(docs.tolist(), offsets.tolist())), key


many = st.lists(texts, min_size=1, max_size=12).flatmap(
    lambda docs: st.integers(1, 40).map(lambda copies: (docs * copies)[:60]))


@settings(max_examples=60, deadline=None)
@given(many, st.data())
def test_spliced_posting_lists_are_those_made_from_scratch_and_their_marks_stay_true(before, data):
    docs = [doc(n, title, tuple(body), tuple(tags)) for n, (title, body, tags) in enumerate(before)]
    postings, marks = marked_postings(layouts_of(docs))
    for _ in range(data.draw(st.integers(1, 3))):           # edits one after another, marks carried over
        changed = sorted(data.draw(st.sets(st.integers(0, len(docs) - 1), min_size=1, max_size=4)))
        old_layouts = layouts_of(docs)
        for n in changed:
            title, body, tags = data.draw(texts)
            docs[n] = doc(n, title, tuple(body), tuple(tags))
        new_layouts = layouts_of(docs)
        parts = {n: parts_of(new_layouts[n]) for n in changed}
        keys = set().union(*(parts_of(old_layouts[n]) for n in changed), *parts.values())
        spliced, spliced_marks = splice(postings, changed, parts, sorted(keys), marks)
        postings = {k: v for k, v in {**postings, **spliced}.items() if v}
        marks = {k: v for k, v in {**marks, **spliced_marks}.items() if v[0] and k in postings}
        assert postings == all_postings(new_layouts)
        check_marks(postings, marks)


def test_marks_are_made_for_long_lists_only_and_are_true():
    docs = [doc(n, "西翟村", ("调解" * (n % 3 + 1),)) for n in range(100)]
    postings, marks = marked_postings(layouts_of(docs))
    assert "调解" in marks and "翟" in marks and len(marks["调解"][0]) == 4 * (100 // 16)
    check_marks(postings, marks)


# --- the index files ---------------------------------------------------------------------------------

def site_docs(bodies: list[str]) -> tuple[SearchDoc, ...]:
    return tuple(doc(n, f"西翟村案例{n}", (body,), ("调解",)) for n, body in enumerate(bodies))


def build(docs, cache: Path, previous=None, written=True, intact=lambda rel: True):
    """update_index as a build plans it: documents whose inputs are unchanged are not made."""
    from builder.search.incremental import Planned
    from builder.search.index import doc_summary, version_of
    from builder.store.digest import Digester
    digester = Digester()
    urls = tuple(d.url for d in docs)
    inputs = tuple(digester.of(d) for d in docs)
    same = previous is not None and previous.urls == urls
    kept = [same and previous.inputs[n] == inputs[n] for n in range(len(docs))]
    summaries = tuple(previous.summaries[n] if kept[n] else doc_summary(d) for n, d in enumerate(docs))
    plan = SearchPlan(tuple(None if kept[n] else d for n, d in enumerate(docs)), version_of(summaries), summaries,
                      tuple((lambda d=d: d) for d in docs))
    return update_index(Planned(plan, urls, inputs), cache, previous, written, intact)


def test_an_index_brought_up_to_date_has_the_files_of_one_made_from_scratch(tmp_path):
    bodies = [f"第{n}个案例讲调解服务和志愿服务。" * (n % 5 + 1) for n in range(40)]
    first, state = build(site_docs(bodies), tmp_path / "cache")
    bodies[7] += "新增：村里修了路。"
    bodies[30] = "改写的正文。"
    docs = site_docs(bodies)
    index, _ = build(docs, tmp_path / "cache", state)
    fresh = index_files(SearchPlan(docs, index_version(docs)))
    assert index.stats["spliced"] == 2
    assert set(index.files) | index.kept == set(fresh.files)
    assert {rel: data for rel, data in fresh.files.items() if rel not in index.kept} == index.files
    assert "search/d/7.js" in index.files and "search/d/8.js" in index.kept
    unchanged = {rel for rel in fresh.files if first.files.get(rel) == fresh.files[rel]}
    assert index.kept <= unchanged


def test_nothing_changed_keeps_every_file_but_the_manifest_and_facets(tmp_path):
    docs = site_docs(["调解。", "服务。"])
    first, state = build(docs, tmp_path)
    again, _ = build(docs, tmp_path, state)
    assert set(again.files) == {"search/manifest.js", "search/facets.js"}
    assert again.files == {rel: first.files[rel] for rel in again.files}


def test_files_not_as_the_last_build_left_them_are_made_again(tmp_path):
    docs = site_docs(["调解。", "服务。"])
    first, state = build(docs, tmp_path)
    again, _ = build(docs, tmp_path, state, intact=lambda rel: rel != "search/d/1.js")
    assert again.files["search/d/1.js"] == first.files["search/d/1.js"]
    whole, _ = build(docs, tmp_path, state, written=False)
    assert whole.files == first.files and not whole.kept


def test_documents_added_or_reordered_make_the_whole_index_again(tmp_path):
    docs = site_docs(["调解。", "服务。"])
    _, state = build(docs, tmp_path)
    more = docs + site_docs(["调解。", "服务。", "新的。"])[2:]
    index, _ = build(more, tmp_path, state)
    assert "spliced" not in index.stats and not index.kept
    index, _ = build(tuple(reversed(docs)), tmp_path, state)
    assert "spliced" not in index.stats


def test_a_saved_state_is_read_back_as_it_was_and_a_damaged_one_as_none(tmp_path):
    _, state = build(site_docs(["调解。"]), tmp_path)
    state.save(tmp_path / "search.marshal")
    assert SearchState.load(tmp_path / "search.marshal") == state
    (tmp_path / "search.marshal").write_bytes(b"damaged")
    assert SearchState.load(tmp_path / "search.marshal") is None
    assert SearchState.load(tmp_path / "missing.marshal") is None
    assert dataclasses.replace(state, buckets=0) != state
