"""The search index brought up to date (search.splice, search.incremental): spliced posting lists
and the files made from them are exactly those an index made from scratch has."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.search.codec import decode_all
from builder.search.incremental import SearchState, update_index
from builder.search.index import SearchPlan, all_postings, doc_layout, index_files, index_version
from builder.search.splice import parse, splice
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


many = st.lists(texts, min_size=1, max_size=12).flatmap(
    lambda docs: st.integers(1, 40).map(lambda copies: (docs * copies)[:60]))


@settings(max_examples=60, deadline=None)
@given(many, st.data())
def test_spliced_posting_lists_are_those_made_from_scratch(before, data):
    docs = [doc(n, title, tuple(body), tuple(tags)) for n, (title, body, tags) in enumerate(before)]
    postings = all_postings(layouts_of(docs))
    for _ in range(data.draw(st.integers(1, 3))):           # edits one after another
        changed = sorted(data.draw(st.sets(st.integers(0, len(docs) - 1), min_size=1, max_size=4)))
        old_layouts = layouts_of(docs)
        for n in changed:
            title, body, tags = data.draw(texts)
            docs[n] = doc(n, title, tuple(body), tuple(tags))
        new_layouts = layouts_of(docs)
        parts = {n: parts_of(new_layouts[n]) for n in changed}
        keys = set().union(*(parts_of(old_layouts[n]) for n in changed), *parts.values())
        share = data.draw(st.sampled_from([1.0, 0.5, 0.01, 0.0]))     # lists read in part, then whole
        with mock.patch("builder.search.splice.MARGIN", data.draw(st.sampled_from([0, 3, 256]))):
            spliced = splice(postings, changed, parts, sorted(keys), share)
        postings = {k: v for k, v in {**postings, **spliced}.items() if v}
        assert postings == all_postings(new_layouts)


def test_parse_finds_every_part_of_long_lists_up_to_the_one_after_the_last_document_asked_for():
    docs = [doc(n, "西翟村", ("调解" * (n % 3 + 1),)) for n in range(100)]
    postings = all_postings(layouts_of(docs))
    found = parse(postings, ["调解", "翟", "=调解"], 1000)
    for key, window in found.items():
        assert window.docs == list(range(100)), key
        numbers = decode_all(postings[key])
        assert [decode_all(postings[key][s:p])[0] for s, p in zip(window.starts, window.payloads)] == \
               [0] * 100 == numbers[0:1] + [0] * 99
    assert parse(postings, ["调解"], 41)["调解"].docs == list(range(43))
    many = all_postings(layouts_of([doc(n, "西翟村", ("调解" * (n % 3 + 1),)) for n in range(1500)]))
    keys = ["调解", "=调解", "翟"]
    whole = parse(many, keys, 700)
    for share in (0.0, 0.3, 0.6, 1.0):                           # read in part: the same parts up to 701
        found = parse(many, keys, 700, share)
        for key in keys:
            upto = found[key].docs.index(701) + 1
            assert found[key].docs[:upto] == whole[key].docs[:upto] == list(range(702)), (key, share)
            assert found[key].starts[:upto] == whole[key].starts[:upto]
            assert found[key].payloads[:upto] == whole[key].payloads[:upto]
    assert len(parse(many, ["=调解"], 700, 0.6)["=调解"].docs) < 1500        # not read to the end


def test_a_sentence_added_to_a_paragraph_changes_the_keys_of_that_paragraph_only():
    body = ("第一段讲人民调解。", "第二段讲志愿服务和调解。", "第三段讲村里的集体经济。")
    before = parts_of(layouts_of([doc(0, "案例", body)])[0])
    after = parts_of(layouts_of([doc(0, "案例", (body[0] + "新修了路。", *body[1:]))])[0])
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    added = set("新修了路") | {"。"} | {"=" + p for p in ("。新", "新修", "修了", "了路", "路。")}
    positions = {"。新", "新修", "修了", "了路", "路。"}
    assert changed == added | positions


# --- the index files ---------------------------------------------------------------------------------

def site_docs(bodies: list[str]) -> tuple[SearchDoc, ...]:
    return tuple(doc(n, f"西翟村案例{n}", (body,), ("调解",)) for n, body in enumerate(bodies))


def build(docs, cache: Path, previous=None, written=True, intact=None):
    """update_index as a build plans it (documents whose inputs are unchanged are not made),
    with its files written to cache/out as the write stage would."""
    from builder.search.incremental import Planned
    from builder.search.index import Summaries, doc_summary, version_of
    from builder.store.digest import Digester
    out = cache / "out"
    digester = Digester()
    urls = tuple(d.url for d in docs)
    inputs = tuple(digester.of(d) for d in docs)
    same = previous is not None and previous.urls == urls
    kept = [same and previous.inputs[n] == inputs[n] for n in range(len(docs))]
    summaries = Summaries.of(previous.summaries[n] if kept[n] else doc_summary(d) for n, d in enumerate(docs))
    plan = SearchPlan(tuple(None if kept[n] else d for n, d in enumerate(docs)), version_of(summaries), summaries,
                      docs.__getitem__)
    index, state = update_index(Planned(plan, urls, inputs), cache, previous, written,
                                intact or (lambda rel: (out / rel).is_file()), out)
    for rel, data in index.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return index, state


def check_as_from_scratch(index, docs, first=None):
    fresh = index_files(SearchPlan(docs, index_version(docs)))
    assert set(index.files) | index.kept == set(fresh.files)
    assert {rel: data for rel, data in fresh.files.items() if rel not in index.kept} == index.files
    if first is not None:
        unchanged = {rel for rel in fresh.files if first.files.get(rel) == fresh.files[rel]}
        assert index.kept <= unchanged
    return fresh


def test_an_index_brought_up_to_date_has_the_files_of_one_made_from_scratch(tmp_path):
    bodies = [f"第{n}个案例讲调解服务和志愿服务。" * (n % 5 + 1) for n in range(40)]
    first, state = build(site_docs(bodies), tmp_path / "cache")
    bodies[7] += "新增：村里修了路。"
    bodies[30] = "改写的正文。"
    docs = site_docs(bodies)
    index, _ = build(docs, tmp_path / "cache", state)
    assert index.stats["spliced"] == 2
    check_as_from_scratch(index, docs, first)
    assert "search/d/7.js" in index.files and "search/d/8.js" in index.kept
    assert "search/facets.js" in index.kept


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=2, max_size=30), st.data())
def test_edits_one_after_another_keep_the_files_of_an_index_made_from_scratch(bodies, data):
    """Small HEAVY and BUCKET, so that keys move between buckets and files of their own and the
    number of buckets changes."""
    import tempfile
    from unittest import mock
    from builder.search import index as search
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(search, "HEAVY", 40), \
            mock.patch.object(search, "BUCKET", 300), \
            mock.patch("builder.search.incremental.HEAVY", 40):
        cache = Path(folder)
        docs = [doc(n, f"案例{n}", tuple(b), ("调解",) if n % 2 else ()) for n, b in enumerate(bodies)]
        first, state = build(tuple(docs), cache)
        for _ in range(data.draw(st.integers(1, 4))):
            for n in data.draw(st.sets(st.integers(0, len(docs) - 1), min_size=1, max_size=2)):
                body = data.draw(st.lists(TEXT, min_size=0, max_size=4))
                tags = data.draw(st.sampled_from([(), ("调解",), ("服务", "志愿")]))
                docs[n] = doc(n, data.draw(st.sampled_from([f"案例{n}", "西翟村"])), tuple(body), tags)
            index, state = build(tuple(docs), cache, state)
            fresh = check_as_from_scratch(index, tuple(docs))
            assert state.heavy == fresh.heavy and state.buckets == fresh.buckets
            assert state.light_size == fresh.light_size


def test_nothing_changed_keeps_every_file_but_the_manifest(tmp_path):
    docs = site_docs(["调解。", "服务。"])
    first, state = build(docs, tmp_path)
    again, _ = build(docs, tmp_path, state)
    assert set(again.files) == {"search/manifest.js"}
    assert again.files == {rel: first.files[rel] for rel in again.files}


def test_files_not_as_the_last_build_left_them_are_made_again(tmp_path):
    docs = site_docs(["调解。", "服务。"])
    first, state = build(docs, tmp_path)
    again, _ = build(docs, tmp_path, state, intact=lambda rel: rel != "search/d/1.js")
    assert again.files["search/d/1.js"] == first.files["search/d/1.js"]
    again, _ = build(docs, tmp_path, state, intact=lambda rel: rel != "search/facets.js")
    assert again.files["search/facets.js"] == first.files["search/facets.js"]
    whole, _ = build(docs, tmp_path, state, written=False)
    assert whole.files == first.files and not whole.kept


def test_a_shard_file_someone_changed_makes_the_whole_index_again(tmp_path):
    docs = list(site_docs(["调解。", "服务。"]))
    first, state = build(tuple(docs), tmp_path)
    shard = next(rel for rel in first.files if rel.startswith("search/k/"))
    (tmp_path / "out" / shard).write_bytes(b"showcaseSearch.shard({\"x\":1});\n")
    docs[1] = site_docs(["", "调解服务。"])[1]
    index, _ = build(tuple(docs), tmp_path, state, intact=lambda rel: True)     # the record did not see it
    assert "spliced" not in index.stats and index.files == check_as_from_scratch(index, tuple(docs)).files


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
    assert "postings" not in SearchState.__slots__          # the posting lists are in the output folder


def test_the_bucket_count_is_enough_and_moves_rarely():
    from builder.search.index import BUCKET, bucket_count
    counts = [bucket_count(size) for size in range(0, 3000 * BUCKET, BUCKET // 3)]
    assert counts == sorted(counts)
    for size, count in zip(range(0, 3000 * BUCKET, BUCKET // 3), counts):
        need = max(1, -(-size // BUCKET))
        assert need <= count <= max(8, need * 1.2), size
    assert len(set(counts)) < 50                    # not one count per size: a few dozen steps


def test_an_edited_title_does_not_renumber_the_documents(make_site):
    from tests.conftest import case_md
    from builder.build import BuildOptions, build_site
    from builder.search.text import SearchItems
    files = {f"content/cases/c{n}/index.md": case_md(f"标题{n}", date="2024-01-01") for n in range(4)}
    root = make_site(files)

    def urls():
        model = build_site(root, BuildOptions(write=False, use_cache=False)).model
        return SearchItems.of(model).urls()
    before = urls()
    (root / "content/cases/c0/index.md").write_text(case_md("（修订）标题0", date="2024-01-01"), encoding="utf-8")
    assert urls() == before
    (root / "content/cases/c3/index.md").write_text(case_md("标题3", date="2024-02-01"), encoding="utf-8")
    assert urls()[-4:] == ("cases/c3/", *[u for u in before[-4:] if u != "cases/c3/"])   # newest first
