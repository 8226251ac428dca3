"""builder.store.jsoncache: the Markdown and front matter caches' file. A damaged, hand-edited or
unwritable cache file may only make a build slower, never fail it or change what it makes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, case_md

from builder.store.jsoncache import JsonCache
from builder.content.markdown import MarkdownCache


class Texts(JsonCache):
    """A cache whose entries must be text, like the front matter cache's."""

    def valid(self, entry) -> bool:
        return isinstance(entry, str)


def test_a_missing_file_is_an_empty_cache_and_saving_creates_it_and_its_folder(tmp_path):
    path = tmp_path / ".cache" / "deep" / "c.json"
    cache = Texts(path)
    assert cache.entries == {}
    cache.entries["k"] = "v"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"k": "v"}
    assert [p.name for p in path.parent.iterdir()] == ["c.json"]          # no temporary file left


def test_chinese_is_stored_as_it_is_not_as_escapes(tmp_path):
    cache = Texts(tmp_path / "c.json")
    cache.entries["k"] = "西翟村"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == '{"k": "西翟村"}'


def test_entries_a_build_did_not_use_are_dropped_when_saved(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"old": "a", "kept": "b"}), encoding="utf-8")
    cache = Texts(path)
    cache.used.add("kept")
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"kept": "b"}


def test_nothing_is_written_when_nothing_changed(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{ "k" :  "v" }', encoding="utf-8")           # not how save() writes it
    cache = Texts(path)
    cache.used.add("k")
    cache.save()
    assert path.read_text(encoding="utf-8") == '{ "k" :  "v" }'


@pytest.mark.parametrize("damaged", [b"{not json", b"", b'["a", "list"]', b"null", "{\"k\": \"西\"}".encode("gbk"),
                                     b'{"k": "v"'])
def test_a_damaged_file_is_an_empty_cache_and_is_replaced_on_save(tmp_path, damaged):
    path = tmp_path / "c.json"
    path.write_bytes(damaged)
    cache = Texts(path)
    assert cache.entries == {}
    cache.entries["k"] = "v"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"k": "v"}


def test_entries_of_the_wrong_shape_are_dropped_on_reading(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"a": "text", "b": 3, "c": ["x"], "d": None}), encoding="utf-8")
    assert Texts(path).entries == {"a": "text"}


def test_a_cache_that_cannot_be_saved_is_left_unsaved_without_an_error(tmp_path):
    path = tmp_path / "c.json"
    path.mkdir()                                  # something in the way: a folder of the same name
    cache = Texts(path)
    cache.entries["k"] = "v"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert path.is_dir() and list(path.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json"]     # the temporary file removed
    assert cache.dirty                                                   # still to be saved next time


def test_a_save_writes_a_temporary_file_of_its_own_not_one_another_process_is_writing(tmp_path):
    path = tmp_path / "c.json"
    other = tmp_path / "c.json.tmp"           # the name every save used, whichever process made it
    other.write_text('{"k": "half of another', encoding="utf-8")
    cache = Texts(path)
    cache.entries["k"] = "v"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"k": "v"}
    assert other.read_text(encoding="utf-8") == '{"k": "half of another'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "c.json.tmp"]


SAVE_REPEATEDLY = """
import sys
from pathlib import Path
from builder.store.jsoncache import JsonCache
unsaved = 0
for _ in range(300):
    cache = JsonCache(Path(sys.argv[1]))
    cache.entries = {f"{sys.argv[2]}{n}": "x" * 200 for n in range(50)}
    cache.used = set(cache.entries)
    cache.dirty = True
    cache.save()
    unsaved += cache.dirty
print(unsaved)
"""


def test_two_processes_saving_the_same_cache_at_once_both_save_every_time(tmp_path):
    """A preview and a build of the same site: each save is made, and the file is always whole."""
    path = tmp_path / "markdown.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([sys.executable, "-c", SAVE_REPEATEDLY, str(path), mark], env=env, text=True,
                             stdout=subprocess.PIPE) for mark in ("a", "b")]
    assert [run.communicate(timeout=120)[0].strip() for run in runs] == ["0", "0"]
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 50
    assert [p.name for p in tmp_path.iterdir()] == ["markdown.json"]


def test_without_a_path_nothing_is_ever_written(tmp_path):
    cache = Texts(None)
    cache.entries["k"] = "v"
    cache.used.add("k")
    cache.dirty = True
    cache.save()
    assert list(tmp_path.iterdir()) == []


def test_a_build_succeeds_when_its_markdown_cache_cannot_be_saved(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md()})
    (root / ".cache" / "markdown.json").mkdir(parents=True)
    result = cli("build", "--source", root, "-q")
    assert result.code == 0, result.err
    assert "村里搭建了议事平台。" in (root / "output/cases/a/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (root / ".cache").glob("*.tmp")) == []


def test_a_hand_edited_markdown_cache_is_read_again_as_if_it_were_not_there(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md()})
    assert cli("build", "--source", root, "-q").code == 0
    first = (root / "output/cases/a/index.html").read_bytes()
    path = root / ".cache" / "markdown.json"
    path.write_text(json.dumps({key: "damaged" for key in json.loads(path.read_text(encoding="utf-8"))}),
                    encoding="utf-8")
    assert MarkdownCache(path).entries == {}
    assert cli("build", "--source", root, "-q").code == 0
    assert (root / "output/cases/a/index.html").read_bytes() == first


@pytest.mark.parametrize("damaged", [["<p>x</p>", 5], ["<p>x</p>", [[2, "a"]]], ["<p>x</p>", [["2", "a", "b"]]],
                                     [5, []], ["<p>x</p>", [2, "a", "b"]], ["<p>x</p>", None]],
                         ids=["toc-a-number", "toc-item-short", "toc-level-text", "html-a-number", "toc-flat", "toc-null"])
def test_a_damaged_markdown_cache_entry_is_rendered_again_not_a_crash(make_site, cli, damaged):
    root = make_site({"content/cases/a/index.md": case_md(body="## 基本情况\n\n村里搭建了议事平台。\n")})
    assert cli("build", "--source", root, "-q").code == 0
    first = (root / "output/cases/a/index.html").read_bytes()
    path = root / ".cache" / "markdown.json"
    good = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({key: damaged for key in good}), encoding="utf-8")
    shutil.rmtree(root / ".cache/state")     # else the documents come whole from there, Markdown unread
    result = cli("build", "--source", root, "-q")
    assert (result.code, result.err) == (0, "")
    assert (root / "output/cases/a/index.html").read_bytes() == first
    assert json.loads(path.read_text(encoding="utf-8")) == good          # and the entry is sound again
