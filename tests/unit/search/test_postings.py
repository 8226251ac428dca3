"""The search index's posting lists, built part by part of the key space (search_postings), and
the index as a whole output: its version and its saved copy in .cache/search/."""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder.search.index as search
from builder.search.index import (FORMAT, REGION, SearchPlan, all_postings, doc_layout, index_files, index_version,
                            layout_occurrences, postings_of)
from builder.search.postings import groups, occurrences, posting_lists
from builder.search.text import Facets, SearchDoc, make_reader

REPO = Path(__file__).resolve().parents[3]

# Chinese, ASCII letters and digits, a space, an ideographic space, emoji beyond the BMP.
CHARS = list("村张小西翟调解服务志愿") + list("abZ09") + [" ", "\u3000", "😀", "🎉", "𠀀"]
TEXT = st.text(alphabet=st.sampled_from(CHARS), max_size=25)


def doc(title: str, body: tuple[str, ...] = (), tags: tuple[str, ...] = (), summary: str = "", **fields) -> SearchDoc:
    return SearchDoc(**{"kind": "case", "url": "cases/x/", "title": title, "site_name": "", "date": "2024-01-01",
                        "category": "", "thumb": "", "regions": ((title,), tags, (summary,) if summary else (), body),
                        "facets": Facets(), **fields})


def layouts_of(docs) -> list[tuple[str, ...]]:
    readings = make_reader()
    return [doc_layout(d, readings) for d in docs]


# --- posting lists, part by part -----------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(TEXT, st.lists(TEXT, max_size=3), st.lists(TEXT, max_size=2)), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=9))
def test_posting_lists_made_in_tiny_parts_are_those_made_in_one(texts, part):
    docs = [doc(title, body=tuple(body), tags=tuple(tags)) for title, body, tags in texts]
    layouts = layouts_of(docs)
    assert all_postings(layouts, part=part) == all_postings(layouts, part=1 << 20)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=9), st.sampled_from([1, 2]), st.booleans())
def test_every_key_lies_wholly_in_one_part_and_the_parts_together_are_the_whole(regions, part, n, with_positions):
    occ = occurrences(regions, REGION)
    whole = [posting_lists(g, with_positions, REGION) for g in groups(occ, n, part=1 << 20)]
    assert len(whole) <= 1
    merged: dict = {}
    for grouped in groups(occ, n, part=part):
        lists = posting_lists(grouped, with_positions, REGION)
        assert lists and not set(lists) & set(merged)               # no key in two parts, no empty part
        merged.update(lists)
    assert merged == (whole[0] if whole else {})


def test_a_part_of_one_occurrence_still_gives_every_posting_list():
    layouts = layouts_of([doc("西翟村", body=("调解😀调解", "ab ab")), doc("小张村", body=("调解",))])
    assert all_postings(layouts, part=1) == all_postings(layouts)


def test_documents_without_any_text_give_no_posting_lists():
    assert all_postings([]) == {}
    assert all_postings([("",) * 10, ("",) * 10]) == {}


def test_spaces_are_not_characters_of_the_index_but_are_part_of_pairs():
    postings = all_postings(layouts_of([doc("a b")]))
    assert " " not in postings and "a" in postings and "a " in postings and " b" in postings


# --- where each character is ---------------------------------------------------------------------

def test_occurrences_locate_each_character_at_its_document_and_region_position():
    regions = [["ab", "", "c\x00d"], ["", "", "", "xyz"]]
    occ = occurrences(regions, 100)
    picked = np.flatnonzero(occ.chars)
    docs, positions = occ.locate(picked)
    found = [(chr(occ.chars[i]), d, p) for i, d, p in zip(picked.tolist(), docs.tolist(), positions.tolist())]
    assert found == [("a", 0, 0), ("b", 0, 1), ("c", 0, 200), ("d", 0, 202),
                     ("x", 1, 300), ("y", 1, 301), ("z", 1, 302)]


def test_full_pinyin_positions_are_doubled_and_carry_the_syllable_start():
    occ = occurrences([["xicun", "li"]], 100, scale=2, marks=[["10100", "10"]])
    picked = np.flatnonzero(occ.chars)
    docs, positions = occ.locate(picked)
    assert docs.tolist() == [0] * 7
    assert positions.tolist() == [1, 2, 5, 6, 8, 201, 202]      # position * 2 + (a syllable starts here)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(CHARS + ["\x00"]), max_size=12), max_size=4), max_size=5))
def test_located_positions_are_those_counted_in_the_text(regions):
    occ = occurrences(regions, 50)
    truth = [(ord(ch), number, region * 50 + offset)
             for number, doc_regions in enumerate(regions) for region, text in enumerate(doc_regions)
             for offset, ch in enumerate(text) if ch != "\x00"]
    picked = np.flatnonzero(occ.chars)
    docs, positions = occ.locate(picked)
    assert list(zip(occ.chars[picked].tolist(), docs.tolist(), positions.tolist())) == truth


def test_the_occurrences_are_let_go_as_their_posting_lists_are_made():
    layouts = layouts_of([doc("西翟村", body=("调解",))])
    occ = layout_occurrences(layouts)
    assert len(occ) == 3              # the text, the full pinyin, the initials
    postings = postings_of(occ)
    assert occ == [] and "调解" in postings and "P" + "xi" in postings and "I" + "xd" in postings


# --- the index's version -------------------------------------------------------------------------

BASE = doc("西翟村议事", body=("调解",), tags=("人民调解",), summary="摘要")
CHANGED_FIELDS = {
    "kind": "page", "url": "cases/y/", "title": "小张村", "site_name": "西翟村", "date": "2024-01-02",
    "category": "社区", "thumb": "cases/x/p.jpg", "thumb_webp": "cases/x/p.webp",
    "regions": (("西翟村议事",), ("人民调解",), ("摘要",), ("调解。",)),
    "facets": Facets(tags=("人民调解",)),
}


def test_every_field_of_every_document_is_in_the_index_version():
    assert set(CHANGED_FIELDS) == {f.name for f in dataclasses.fields(SearchDoc)}
    versions = {"": index_version((BASE,))}
    for name, value in CHANGED_FIELDS.items():
        versions[name] = index_version((BASE, dataclasses.replace(BASE, **{name: value}))[1:])
    assert len(set(versions.values())) == len(versions), versions
    assert index_version((BASE,)) == versions[""]                # and it is stable


def test_the_order_and_number_of_documents_are_in_the_index_version():
    other = dataclasses.replace(BASE, title="小张村")
    assert len({index_version(()), index_version((BASE,)), index_version((BASE, other)),
                index_version((other, BASE)), index_version((BASE, BASE))}) == 5


@pytest.mark.parametrize("name, value", [("FORMAT", FORMAT + 1), ("REGION", REGION * 2), ("BUCKET", 1),
                                         ("HEAVY", 1), ("_pypinyin_version", lambda: "0.0.0-other")])
def test_the_index_parameters_and_pypinyins_version_are_in_the_index_version(monkeypatch, name, value):
    before = index_version((BASE,))
    monkeypatch.setattr(search, name, value)
    assert index_version((BASE,)) != before


VERSION = """
from builder.search.index import _code_digest, index_version
from builder.search.text import Facets, SearchDoc
print(index_version((SearchDoc("case", "cases/x/", "西翟村", "", "2024-01-01", "", "", (("西翟村",), (), (), ("调解",)), Facets()),)),
      _code_digest())
"""


def test_the_search_state_follows_the_code_of_the_search_modules_only_and_the_public_version_none(tmp_path: Path):
    shutil.copytree(REPO / "builder", tmp_path / "builder", ignore=shutil.ignore_patterns("__pycache__"))

    def version() -> tuple[str, ...]:
        return subprocess.run([sys.executable, "-c", VERSION], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path).stdout.split()

    def touch(module: str) -> None:
        path = tmp_path / "builder" / module
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")

    seen = [version()]
    touch("render/pages.py")
    assert version() == seen[-1]
    for module in ("search/index.py", "search/text.py", "search/postings.py", "search/codec.py"):
        touch(module)
        seen.append(version())
    assert len({code for _, code in seen}) == 5, seen
    assert len({public for public, _ in seen}) == 1, seen       # ?v= in the pages moves with what the index says


# --- the layout cache ----------------------------------------------------------------------------

DOCS = (doc("西翟村“板凳会”", body=("人民调解到家门口。",)), doc("小张村集体经济", body=("志愿服务队。",)))


@pytest.mark.parametrize("damage", [b"", b"\x00\xffdamaged", marshal.dumps({"key": ("a",) * 10})[:-3]])
def test_a_damaged_layout_cache_is_laid_out_again_byte_for_byte(tmp_path: Path, damage: bytes):
    cache = tmp_path / "search"
    fresh = index_files(SearchPlan(DOCS, "v1"))
    index_files(SearchPlan(DOCS, "v0"), cache)
    for shard in cache.glob("layouts-*.marshal"):
        shard.write_bytes(damage)
    again = index_files(SearchPlan(DOCS, "v1"), cache)
    assert again.files == fresh.files and again.stats["reused"] == 0


# The public version (?v= in every page) does not follow the code, so the bytes the code makes for
# given documents are pinned: a change to them must bump FORMAT (and then this digest).
PINNED = {3: "369419ece9cda8f4bd19f9eefe93a9b678d39f1eeceddbebbe53a81bfef25957"}


def test_the_index_bytes_for_the_same_documents_change_only_with_format():
    files = index_files(SearchPlan(DOCS, "pinned")).files
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    assert digest.hexdigest() == PINNED.get(FORMAT), "the index's bytes changed: bump search.FORMAT and pin the new digest"
