"""Whole stage outputs saved under a digest of their inputs (builder.store.saved_files): what is put
is got back whole, and anything damaged, truncated or of the wrong shape is simply not found."""
from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.store.saved_files import SavedFiles, source_digest

REPO = Path(__file__).resolve().parents[3]
FILES = {"index.html": "<h1>西翟村</h1>".encode("utf-8"), "cases/a/index.html": b"a", "empty.txt": b""}


def test_saved_files_are_got_back_whole_under_their_digest(tmp_path: Path):
    saved = SavedFiles(tmp_path / "pages", "pages")
    saved.put("abc123", FILES)
    assert saved.get("abc123") == FILES
    assert [p.name for p in (tmp_path / "pages").iterdir()] == ["pages-abc123.marshal"]


def test_another_digest_finds_nothing(tmp_path: Path):
    saved = SavedFiles(tmp_path, "pages")
    saved.put("abc123", FILES)
    assert saved.get("abc124") is None


def test_an_empty_output_is_kept_as_empty_not_as_missing(tmp_path: Path):
    saved = SavedFiles(tmp_path, "pages")
    saved.put("d", {})
    assert saved.get("d") == {}


def test_without_a_folder_nothing_is_kept_and_nothing_is_found(tmp_path: Path):
    saved = SavedFiles(None, "pages")
    saved.put("d", FILES)
    assert saved.get("d") is None
    assert list(tmp_path.iterdir()) == []


def test_outputs_of_another_name_in_the_same_folder_are_neither_found_nor_removed(tmp_path: Path):
    index, pages = SavedFiles(tmp_path, "index-1"), SavedFiles(tmp_path, "pages")
    index.put("d", {"search/manifest.js": b"m"})
    pages.put("d", FILES)
    pages.put("e", FILES)
    assert index.get("d") == {"search/manifest.js": b"m"} and pages.get("d") is None and pages.get("e") == FILES


def test_only_the_last_kept_outputs_stay_and_a_get_counts_as_use(tmp_path: Path):
    saved = SavedFiles(tmp_path, "index", keep=2)
    saved.put("one", {"a": b"1"})
    os.utime(tmp_path / "index-one.marshal", ns=(1_000_000_000, 1_000_000_000))
    saved.put("two", {"a": b"2"})
    os.utime(tmp_path / "index-two.marshal", ns=(2_000_000_000, 2_000_000_000))
    assert saved.get("one") == {"a": b"1"}            # used now: newer than "two"
    saved.put("three", {"a": b"3"})
    assert sorted(p.name for p in tmp_path.glob("index-*.marshal")) == ["index-one.marshal", "index-three.marshal"]
    assert saved.get("two") is None and saved.get("one") == {"a": b"1"} and saved.get("three") == {"a": b"3"}


def test_putting_leaves_no_temporary_file_behind(tmp_path: Path):
    SavedFiles(tmp_path, "pages").put("d", FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages-d.marshal"]


def _write(path: Path, *records) -> None:
    with open(path, "wb") as out:
        for record in records:
            marshal.dump(record, out)


@pytest.mark.parametrize("damage", [
    "not marshal at all",
    "empty file",
    "truncated in the middle of a record",
    "fewer records than counted",
    "a record that is not a pair",
    "a count that is not a number",
    "a key that is not a string",
    "a value that is str, not bytes",
    "a value that is None",
])
def test_a_damaged_saved_output_is_not_found(tmp_path: Path, damage: str):
    saved = SavedFiles(tmp_path, "pages")
    path = tmp_path / "pages-d.marshal"
    saved.put("d", FILES)
    whole = path.read_bytes()
    if damage == "not marshal at all":
        path.write_bytes(b"\xff\xfe damaged")
    elif damage == "empty file":
        path.write_bytes(b"")
    elif damage == "truncated in the middle of a record":
        path.write_bytes(whole[: len(whole) - 3])
    elif damage == "fewer records than counted":
        _write(path, 3, ("index.html", b"x"))
    elif damage == "a record that is not a pair":
        _write(path, 1, ("index.html", b"x", b"y"))
    elif damage == "a count that is not a number":
        _write(path, "3", ("index.html", b"x"))
    elif damage == "a key that is not a string":
        _write(path, 1, (5, b"x"))
    elif damage == "a value that is str, not bytes":
        _write(path, 1, ("index.html", "x"))
    else:
        _write(path, 1, ("index.html", None))
    assert saved.get("d") is None


def test_a_damaged_saved_output_is_replaced_by_the_next_put(tmp_path: Path):
    saved = SavedFiles(tmp_path, "pages")
    (tmp_path / "pages-d.marshal").write_bytes(b"damaged")
    assert saved.get("d") is None
    saved.put("d", FILES)
    assert saved.get("d") == FILES


def test_a_saved_file_truncated_at_every_length_is_never_taken_for_a_whole_one(tmp_path: Path):
    saved = SavedFiles(tmp_path, "pages")
    saved.put("d", FILES)
    path = tmp_path / "pages-d.marshal"
    whole = path.read_bytes()
    for length in range(len(whole)):
        path.write_bytes(whole[:length])
        assert saved.get("d") is None, length


# --- the code that makes an output is one of its inputs -----------------------------------------

DIGESTS = """
import json
from builder.store.saved_files import source_digest
print(json.dumps([source_digest("search"), source_digest("render"), source_digest("search", "render"),
                  source_digest("render", "search")]))
"""


def _digests_of(package_parent: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", DIGESTS], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(package_parent)}, cwd=package_parent)
    import json
    return json.loads(proc.stdout)


def test_the_source_digest_changes_with_the_source_of_any_module_it_names(tmp_path: Path):
    shutil.copytree(REPO / "builder", tmp_path / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    before = _digests_of(tmp_path)
    search, render, both, reversed_ = before
    assert len({search, render, both, reversed_}) == 4           # each module, and their order, count
    assert before == _digests_of(tmp_path)                       # the same source, the same digest
    module = tmp_path / "builder/search/codec.py"                # any module of the subpackage counts
    module.write_text(module.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    after = _digests_of(tmp_path)
    assert after[0] != search and after[2] != both and after[3] != reversed_
    assert after[1] == render                                    # render/ did not change
    (tmp_path / "builder/search/new_part.py").write_text("X = 1\n", encoding="utf-8")
    assert _digests_of(tmp_path)[0] != after[0]                  # nor does a new module go unnoticed


def test_the_source_digest_is_that_of_the_named_files_names_and_bytes():
    import hashlib
    expected = hashlib.sha256()
    for part in ("search", "render/pages.py"):
        files = sorted((REPO / "builder" / part).rglob("*.py")) if part == "search" else [REPO / "builder" / part]
        for file in files:
            expected.update(file.relative_to(REPO / "builder").as_posix().encode() + b"\0" + file.read_bytes())
    assert source_digest("search", "render.pages") == expected.hexdigest()


def test_a_folder_where_a_file_stands_costs_only_the_saving(tmp_path):
    from builder.store.saved_files import SavedFiles
    (tmp_path / "pages").write_bytes(b"a file, not a folder")
    saved = SavedFiles(tmp_path / "pages", "pages")
    saved.put("d", {"index.html": b"x"})          # nothing raised
    assert saved.get("d") is None and (tmp_path / "pages").read_bytes() == b"a file, not a folder"
