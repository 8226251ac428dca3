"""The search index builder: normalisation, text extraction, pinyin, the digit code, shards,
escaping, and — through a small Python reader of the index files that mirrors search.js —
exact substring answers on random texts."""
from __future__ import annotations

import json
import marshal
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.build import BuildOptions, build_site
from builder.search.index import REGION, all_postings, bucket_file, build_search_index, doc_layout, heavy_file, read_shard
from builder.search.codec import SYMBOLS, bitset, decode_all, encode, encode_many, fnv1a, js_json
from builder.search.text import Facets, SearchDoc, body_blocks, make_reader, normalize, pinyin_segments
from tests.conftest import case_md

# --- normalisation and text --------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("ＡＢＣ１２", "abc12"),
    ("Open Data", "open data"),
    ("西翟村，好！", "西翟村,好!"),
    ("  a\t\n b\u3000c ", "a b c"),
    ("e\u0301", "é"),
    ("ｶﾞ", "ガ"),
    ("①⑩", "110"),
    ("𝐀𝐁", "ab"),
    ("a\x00b", "ab"),
])
def test_normalize_is_nfkc_lower_case_with_single_spaces(text, expected):
    assert normalize(text) == expected


def test_body_blocks_are_the_visible_text_one_block_each():
    html = ('<h2 id="x">主要做法</h2>\n<p>第一段&amp;<strong>加粗</strong></p>\n<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>'
            '<figure class="figure" data-photo="a.jpg"><img alt="" src="a.jpg"><figcaption>图注</figcaption></figure>'
            '<p>注释<sup class="footnote-ref" id="fnref:1"><a href="#fn:1">1</a></sup></p>')
    assert body_blocks(html) == ("主要做法", "第一段&加粗", "甲", "乙", "图注", "注释")


def test_pinyin_spells_titles_with_a_window_for_second_readings():
    full, initials = pinyin_segments("西翟村：议事", make_reader())
    assert full[0] == ["xi", "di", "cun"]
    assert ["xi", "zhai", "cun"] in full
    assert initials[0] == "xdc" and "xzc" in initials
    assert ["yi", "shi"] in full


def test_pinyin_ignores_latin_and_punctuation_between_runs():
    full, initials = pinyin_segments("5G网格ABC", make_reader())
    assert full[0] == ["wang", "ge"] and initials[0] == "wg"


# --- the digit code ----------------------------------------------------------------------------

def test_the_alphabet_never_needs_escaping_in_json_or_html():
    assert len(SYMBOLS) == 90 and not set(SYMBOLS) & set('"\\<>&\'') - {"&", "'"}
    assert json.dumps(SYMBOLS)[1:-1] == SYMBOLS


@pytest.mark.parametrize("value, length", [(0, 1), (44, 1), (45, 2), (2024, 2), (2025, 3), (91124, 3), (91125, 4)])
def test_numbers_take_one_digit_per_power_of_45(value, length):
    assert len(encode(value)) == length
    assert decode_all(encode(value)) == [value]


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9)))
def test_encoded_numbers_decode_to_themselves(values):
    assert decode_all(encode_many(values)) == values


def test_bitsets_hold_six_documents_a_character():
    assert len(bitset([0, 5, 6, 11], 12)) == 2
    assert bitset([], 0) == ""


def test_fnv1a_matches_the_reference_values():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_json_in_index_files_cannot_close_a_script_or_open_a_tag():
    text = js_json(["</script><img src=x onerror=alert(1)>", "a&b", "\u2028"])
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == ["</script><img src=x onerror=alert(1)>", "a&b", "\u2028"]


@settings(deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=6), st.lists(st.integers(min_value=0, max_value=10**6)).map(encode_many),
                       max_size=8))
def test_shard_files_hold_posting_lists_as_they_are_and_keys_escaped(payload):
    payload["</script>&\u2028"] = encode_many([4, 49, 2025])        # 4 is the digit '&'
    data = bucket_file(payload)
    text = data.decode("utf-8")
    assert read_shard(data) == payload
    assert "<" not in text and ">" not in text and "\u2028" not in text
    for posting in payload.values():
        assert f'"{posting}"' in text             # not one '&' spelt as six bytes


# --- a reader of the index, as search.js reads it ------------------------------------------------

class Reader:
    """Answers queries from the index files alone, the way search.js does."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.manifest = self._payload("search/manifest.js", "manifest")
        self.heavy = set()
        for kind, keys in self.manifest["heavy"].items():
            step = 1 if kind == "1" else 2
            prefix = "" if kind in "12" else kind
            self.heavy |= {prefix + keys[i:i + step] for i in range(0, len(keys), step)}

    def _payload(self, path: str, kind: str):
        text = self.files[path].decode("utf-8")
        prefix = f"showcaseSearch.{kind}("
        assert text.startswith(prefix) and text.endswith(");\n")
        return json.loads(text[len(prefix):-3])

    def posting(self, key: str) -> str:
        path = heavy_file(key) if key in self.heavy else f"search/k/{fnv1a(key) % self.manifest['buckets']}.js"
        return self._payload(path, "shard").get(key, "")

    def per_doc(self, key: str) -> dict[int, int]:
        numbers, out, doc = decode_all(self.posting(key)), {}, -1
        for gap, value in zip(numbers[0::2], numbers[1::2]):
            doc += gap + 1
            out[doc] = value
        return out

    def positions(self, key: str) -> dict[int, list[int]]:
        numbers, out, doc, i = decode_all(self.posting(key)), {}, -1, 0
        while i < len(numbers):
            doc += numbers[i] + 1
            count, p, found = numbers[i + 1], 0, []
            for gap in numbers[i + 2: i + 2 + count]:
                p += gap
                found.append(p)
            out[doc] = found
            i += 2 + count
        return out

    def term(self, term: str) -> set[int]:
        if len(term) == 1:
            return set(self.per_doc(term))
        if len(term) == 2:
            return set(self.per_doc("=" + term))
        offsets = list(range(0, len(term) - 1, 2)) + ([len(term) - 2] if len(term) % 2 else [])
        lists = [self.positions(term[k:k + 2]) for k in offsets]
        found = set()
        for doc, starts in lists[0].items():
            if all(doc in other for other in lists[1:]) and any(
                    all(p + k in set(other[doc]) for k, other in zip(offsets[1:], lists[1:])) for p in starts):
                found.add(doc)
        return found


def model_of(root: Path):
    return build_site(root, BuildOptions(write=False, use_cache=False)).model


def doc(title: str, body: tuple[str, ...] = (), tags: tuple[str, ...] = (), summary: str = "") -> SearchDoc:
    return SearchDoc(kind="case", url="cases/x/", title=title, site_name="", date="2024-01-01", category="",
                     thumb="", regions=((title,), tags, (summary,) if summary else (), body), facets=Facets())


def test_layout_puts_each_region_at_its_stride_and_separates_fields():
    layout = doc_layout(doc("标题", body=("第一段", "第二段"), tags=("甲", "乙")), make_reader())
    assert layout[0] == "标题" and layout[1] == "甲\x00乙" and layout[3] == "第一段\x00第二段"
    postings = all_postings([layout])
    assert "乙第" not in postings and "段第" not in postings       # no pair across fields
    assert decode_all(postings["段"]) == [0, 2 * 4 + 3]          # doc 0: twice, best region body
    assert decode_all(postings["第一"]) == [0, 1, 3 * REGION]


ALPHABET = "村张小西翟调解服务志愿 a"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=30), min_size=1, max_size=4),
                min_size=1, max_size=12),
       st.lists(st.text(alphabet=ALPHABET.strip(), min_size=1, max_size=5), min_size=1, max_size=8))
def test_the_index_answers_exactly_the_documents_that_contain_a_term(texts, terms):
    docs = tuple(doc(f"第{i}篇", body=tuple(t)) for i, t in enumerate(texts))
    from builder.search.index import Summaries, doc_files, doc_summary, manifest_data, shard_files
    layouts = [doc_layout(d, make_reader()) for d in docs]
    files, heavy, buckets = shard_files(all_postings(layouts))
    files.update(doc_files(docs))
    manifest = manifest_data(Summaries.of(doc_summary(d) for d in docs), heavy, buckets)
    files["search/manifest.js"] = f"showcaseSearch.manifest({js_json(manifest)});\n".encode()
    reader = Reader(files)
    for term in terms:
        term = normalize(term)
        if not term:
            continue
        truth = {i for i, d in enumerate(docs) if any(term in normalize(f) for r in d.regions for f in r)}
        assert reader.term(term) == truth, term


# --- the whole stage ---------------------------------------------------------------------------

SITE_FILES = {
    "content/cases/a/index.md": case_md("西翟村“板凳会”化解纠纷", tags="[调解室, 人民调解]", summary="人民调解到家门口"),
    "content/cases/b/index.md": case_md("小张村集体经济", date="2023-01-01", body="志愿服务队。\n"),
    "content/cases/c/index.md": case_md("草稿", draft="true", body="草稿专用词\n"),
}


def test_held_back_cases_are_not_indexed_and_the_bytes_are_the_same_every_build(make_site):
    root = make_site(SITE_FILES)
    first = build_search_index(model_of(root))
    second = build_search_index(model_of(root))
    assert first.files == second.files and first.version == second.version
    everything = b"".join(first.files.values()).decode("utf-8")
    assert "草稿专用词" not in everything and "西翟村" in everything
    reader = Reader(first.files)
    assert reader.manifest["n"] == 3          # one model site, two published cases
    assert reader.term("人民调解") == {1} and reader.term("志愿服务") == {2}


def test_an_unchanged_site_keeps_its_index_files_and_a_changed_one_its_unchanged_layouts(make_site, tmp_path):
    from builder.search.incremental import plan_index, update_index
    from builder.store.digest import Digester

    def plan(state):
        return plan_index(model_of(root), Digester(), state)
    root = make_site(SITE_FILES)
    cache, out = tmp_path / "cache", tmp_path / "out"

    def update(state, written=True):
        index, state = update_index(plan(state), cache, state, written, lambda rel: (out / rel).is_file(), out)
        for rel, data in index.files.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        return index, state
    cold, state = update(None, False)
    warm, _ = update(state)
    assert cold.stats["reused"] == 0 and not cold.kept
    assert warm.kept == set(cold.files) - set(warm.files) and warm.version == cold.version
    assert warm.files == {rel: cold.files[rel] for rel in warm.files}
    (root / "content/cases/b/index.md").write_text(case_md("小张村集体经济", date="2023-01-01", body="新的正文。\n"),
                                                   encoding="utf-8")
    changed, _ = update(state)
    assert changed.stats["spliced"] == 1 and changed.version != cold.version and changed.kept
    files = {**{rel: (out / rel).read_bytes() for rel in changed.kept}, **changed.files}
    assert Reader(files).term("新的正文") == {2}
    assert files == build_search_index(model_of(root)).files          # the same as without any cache


def test_posting_lists_built_part_by_part_are_those_built_at_once():
    layouts = [("西翟村", "调解", "", "小张村的调解室，化解纠纷。" * 40, "", "", "", "", "", ""),
               ("小张村", "", "摘要", "调解委员会与志愿服务队。" * 30 + "😀调解", "", "", "", "", "", "")]
    assert all_postings(layouts, part=1 << 20) == all_postings(layouts, part=7)


def test_a_long_posting_list_gets_a_file_of_its_own_named_by_its_code_points(make_site):
    body = "服务" * 8000 + "\n"
    root = make_site({"content/cases/a/index.md": case_md("甲", body=body)})
    index = build_search_index(model_of(root))
    manifest = Reader(index.files).manifest
    assert "服务" in Reader(index.files).heavy and heavy_file("服务") == "search/h/670d-52a1.js"
    assert "服务" in manifest["heavy"]["2"]
    assert heavy_file("服务") in index.files


def test_the_facets_file_lists_values_with_labels_and_members(make_site):
    root = make_site(SITE_FILES)
    reader = Reader(build_search_index(model_of(root)).files)
    facets = reader._payload("search/facets.js", "facets")
    assert [v[:2] for v in facets["site"]] == [["xizhai-cun", "西翟村"]]
    assert [v[0] for v in facets["year"]] == ["2024", "2023"]
    tags = {v[0] for v in facets["tag"]}
    assert tags == {"调解室", "人民调解"}


def test_search_page_and_header_box_are_rendered_only_when_search_is_enabled(make_site):
    root = make_site(SITE_FILES)
    outputs = build_site(root, BuildOptions(write=False, use_cache=False)).outputs
    assert "search/index.html" in outputs and "search/manifest.js" in outputs
    home = outputs["index.html"].decode("utf-8")
    assert re.search(r'<form class="wrap header-search" role="search" action="/search/" method="get">', home)
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "search:\n  enabled: false\n",
                                    encoding="utf-8")
    outputs = build_site(root, BuildOptions(write=False, use_cache=False)).outputs
    assert not any(path.startswith("search/") for path in outputs)
    assert "header-search" not in outputs["index.html"].decode("utf-8")


def test_random_chinese_bodies_give_byte_identical_indexes_in_any_build_order():
    rng = random.Random(5)
    docs = tuple(doc(f"第{i}篇", body=("".join(rng.choice("村张小西翟调解") for _ in range(40)),)) for i in range(30))
    a = all_postings([doc_layout(d, make_reader()) for d in docs])
    b = all_postings([doc_layout(d, make_reader()) for d in docs])
    assert a == b and list(a) == sorted(a)


def test_a_damaged_layout_cache_is_laid_out_again_with_the_same_index(make_site, tmp_path):
    root = make_site(SITE_FILES)
    cache = tmp_path / "cache"
    first = build_search_index(model_of(root), cache)
    for saved in cache.glob("index-*.marshal"):
        saved.unlink()                                 # so that the layouts are read
    layouts = next(path for path in cache.glob("layouts-*.marshal") if marshal.loads(path.read_bytes()))
    stored = marshal.loads(layouts.read_bytes())
    key = next(iter(stored))
    stored[key] = ("only", "three", "parts")
    layouts.write_bytes(marshal.dumps(stored))
    again = build_search_index(model_of(root), cache)
    assert again.files == first.files and again.stats["reused"] == first.stats["documents"] - 1
    layouts.write_bytes(marshal.dumps(["not", "a", "mapping"]))
    assert build_search_index(model_of(root), cache).files == first.files


def test_a_term_first_found_deep_in_a_long_body_counts_as_the_body():
    body = tuple(["填充段落。" * 40] * 60) + ("深处专用词。",)            # far past REGION positions
    postings = all_postings([doc_layout(doc("标题", body=body), make_reader())])
    assert decode_all(postings["深"]) == [0, 1 * 4 + 3] and decode_all(postings["=深处"]) == [0, 1 * 4 + 3]
    assert decode_all(postings["深处"])[2] >= 4 * REGION            # its position is past the body's stride


def test_body_blocks_start_at_multiples_of_block_and_move_only_with_their_block():
    from builder.search.index import BLOCK
    first = decode_all(all_postings([doc_layout(doc("标题", body=("甲乙", "丙丁")), make_reader())])["丙丁"])
    assert first == [0, 1, 3 * REGION + BLOCK]
    longer = decode_all(all_postings([doc_layout(doc("标题", body=("甲乙" * 100, "丙丁")), make_reader())])["丙丁"])
    assert longer == first
    crossed = decode_all(all_postings([doc_layout(doc("标题", body=("甲乙" * 300, "丙丁")), make_reader())])["丙丁"])
    assert crossed == [0, 1, 3 * REGION + 2 * BLOCK]
