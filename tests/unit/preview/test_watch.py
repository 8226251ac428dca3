"""The polling watcher: what counts as a change, and how changes are settled and reported."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from builder.preview.watch import Changes, Watcher, diff, ignored, scan


def touch(path: Path, text: str = "x", mtime_ns: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.mark.parametrize("name, skip", [(".index.md.swp", True), (".#index.md", True), ("index.md~", True),
                                        ("~$报告.docx", True), ("4913", True), (".x.123.tmp", True),
                                        ("index.md", False), ("photo-1.jpg", False), (".hidden", False),
                                        ("notes.tmp", False)])
def test_editor_scratch_files_are_ignored(name, skip):
    assert ignored(name) is skip


def test_scan_sees_files_folders_and_missing_roots(tmp_path):
    touch(tmp_path / "content/cases/a/index.md")
    touch(tmp_path / "site.yaml")
    found = scan([tmp_path / "site.yaml", tmp_path / "content", tmp_path / "templates"])
    names = {Path(p).relative_to(tmp_path).as_posix() for p in found}
    assert names == {"site.yaml", "content", "content/cases", "content/cases/a", "content/cases/a/index.md"}


def test_diff_names_added_removed_and_modified():
    before = {"a": (1, 1), "b": (1, 1), "c": (1, 1)}
    after = {"a": (1, 1), "b": (2, 1), "d": (1, 1)}
    assert diff(before, after) == Changes(added=("d",), removed=("c",), modified=("b",))
    assert not diff(after, dict(after))


def test_a_same_size_edit_is_seen_by_its_time(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    before = scan([tmp_path])
    touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
    assert diff(before, scan([tmp_path])).modified == (str(tmp_path / "a.md"),)


def test_a_rename_is_a_removal_and_an_addition(tmp_path):
    touch(tmp_path / "cases/a/index.md")
    before = scan([tmp_path])
    (tmp_path / "cases/a").rename(tmp_path / "cases/b")
    changes = diff(before, scan([tmp_path]))
    assert set(changes.removed) == {str(tmp_path / "cases/a"), str(tmp_path / "cases/a/index.md")}
    assert set(changes.added) == {str(tmp_path / "cases/b"), str(tmp_path / "cases/b/index.md")}


def test_the_watcher_reports_a_change_first_then_settles_and_reports_everything(tmp_path):
    touch(tmp_path / "a.md")
    seen, settled = [], []
    watcher = Watcher(lambda: [tmp_path], on_settled=settled.append, on_change=seen.append, interval=0.01, settle=0.01)
    watcher.prime()
    assert not watcher.check()
    touch(tmp_path / "b.md")
    changes = watcher.check()
    assert changes.added == (str(tmp_path / "b.md"),)
    assert seen == [changes] and settled == [changes]
    assert not watcher.check()               # the change is reported once


def test_changes_made_while_settling_are_folded_into_one_report(tmp_path):
    settled = []
    edits = iter([lambda: touch(tmp_path / "b.md"), lambda: touch(tmp_path / "c.md")])
    stop = threading.Event()

    class Scripted(Watcher):
        def _scan(self):
            found = super()._scan()
            step = next(edits, None)        # one more file appears after each of the first scans
            if step:
                step()
            return found

    touch(tmp_path / "a.md")
    watcher = Scripted(lambda: [tmp_path], on_settled=settled.append, interval=0.01, settle=0.01)
    watcher.prime()                          # sees a.md, then b.md appears
    watcher.check(stop)                      # sees b.md; settling sees c.md, then quiet
    assert len(settled) == 1
    assert set(settled[0].added) == {str(tmp_path / "b.md"), str(tmp_path / "c.md")}


def test_run_stops_when_asked(tmp_path):
    stop = threading.Event()
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: None, interval=0.01)
    watcher.prime()
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_a_save_that_changes_nothing_is_not_a_change(tmp_path):
    touch(tmp_path / "a.md", "same", mtime_ns=1_000_000_000)
    settled = []
    watcher = Watcher(lambda: [tmp_path], on_settled=settled.append, interval=0.01, settle=0.01)
    watcher.prime()
    touch(tmp_path / "a.md", "same", mtime_ns=2_000_000_000)         # Ctrl+S, no edit
    assert not watcher.check()
    assert settled == [Changes()]                                    # told, so held requests go on
    touch(tmp_path / "a.md", "edit", mtime_ns=3_000_000_000)
    assert watcher.check().modified == (str(tmp_path / "a.md"),)
    touch(tmp_path / "a.md", "same", mtime_ns=4_000_000_000)         # back to the first text: the
    assert watcher.check().modified == (str(tmp_path / "a.md"),)     # last build read "edit"


def test_a_file_written_while_the_build_ran_always_counts_as_changed(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: None, interval=0.01, settle=0.01)
    watcher.prime()
    # The build read who knows what: the file changed under it, and changed back.
    touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
    watcher.confirm()
    touch(tmp_path / "a.md", "one", mtime_ns=3_000_000_000)
    assert watcher.check().modified == (str(tmp_path / "a.md"),)


def test_photos_count_as_changed_whenever_their_time_does(tmp_path):
    touch(tmp_path / "photo.jpg", "jpeg", mtime_ns=1_000_000_000)
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: None, interval=0.01, settle=0.01)
    watcher.prime()
    touch(tmp_path / "photo.jpg", "jpeg", mtime_ns=2_000_000_000)
    assert watcher.check().modified == (str(tmp_path / "photo.jpg"),)


class RecordedWaits(threading.Event):
    """A stop event that never stops and notes how long each settling wait was."""

    def __init__(self):
        super().__init__()
        self.waits = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        return False


def test_a_save_of_one_file_settles_sooner_than_other_changes(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: None, interval=0.01, settle=0.1, settle_one=0.05)
    watcher.prime()
    touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
    stop = RecordedWaits()
    assert watcher.check(stop).modified == (str(tmp_path / "a.md"),)
    assert stop.waits == [0.05]
    touch(tmp_path / "b.md")                                       # a new file: the usual settle
    stop = RecordedWaits()
    watcher.check(stop)
    assert stop.waits == [0.1]


def test_a_change_seen_while_settling_a_single_save_brings_the_usual_settle_back(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    edits = iter([lambda: None, lambda: touch(tmp_path / "b.md")])

    class Scripted(Watcher):
        def _scan(self):
            found = super()._scan()
            step = next(edits, None)
            if step:
                step()
            return found

    settled = []
    watcher = Scripted(lambda: [tmp_path], on_settled=settled.append, interval=0.01, settle=0.1, settle_one=0.05)
    watcher.prime()
    touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
    stop = RecordedWaits()
    watcher.check(stop)                     # sees a.md; b.md appears after that scan
    assert stop.waits == [0.05, 0.1]
    assert settled[0].added == (str(tmp_path / "b.md"),) and settled[0].modified == (str(tmp_path / "a.md"),)


def test_settle_one_defaults_to_settle(tmp_path):
    assert Watcher(lambda: [tmp_path], on_settled=lambda changes: None, settle=0.3).settle_one == 0.3


def test_the_files_saved_last_are_hot_and_a_change_of_one_is_seen_without_a_scan(tmp_path):
    for name in ("a.md", "b.md", "c.md"):
        touch(tmp_path / name, "one", mtime_ns=1_000_000_000)
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: None, interval=0.01, settle=0.01)
    watcher.prime()
    assert watcher.hot == () and not watcher.hot_changed()
    touch(tmp_path / "b.md", "two", mtime_ns=2_000_000_000)
    (tmp_path / "new").mkdir()
    touch(tmp_path / "new/c.md", "new")
    watcher.check()
    assert watcher.hot == (str(tmp_path / "b.md"), str(tmp_path / "new/c.md"))     # files only, not the folder
    assert not watcher.hot_changed()
    touch(tmp_path / "a.md", "two", mtime_ns=3_000_000_000)
    assert not watcher.hot_changed()                       # a.md is found by the next scan, as before
    touch(tmp_path / "b.md", "three", mtime_ns=4_000_000_000)
    assert watcher.hot_changed()
    watcher.check()
    assert watcher.hot[:2] == (str(tmp_path / "a.md"), str(tmp_path / "b.md")) and not watcher.hot_changed()
    (tmp_path / "new/c.md").unlink()
    assert watcher.hot_changed()


def test_a_save_of_a_hot_file_is_built_long_before_the_next_scan_would_run(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    settled, stop = [], threading.Event()
    built = threading.Event()
    watcher = Watcher(lambda: [tmp_path], on_settled=lambda changes: (settled.append(changes), built.set()),
                      interval=3600, settle=0.01, hot_interval=0.01)
    watcher.prime()
    watcher.hot = (str(tmp_path / "a.md"),)
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    try:
        touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
        assert built.wait(30)                    # the next scan is an hour away
        assert settled[0].modified == (str(tmp_path / "a.md"),)
    finally:
        stop.set()
        thread.join(5)


def test_a_round_started_by_a_hot_file_still_reports_everything_that_changed(tmp_path):
    touch(tmp_path / "a.md", "one", mtime_ns=1_000_000_000)
    touch(tmp_path / "b.md", "one", mtime_ns=1_000_000_000)
    settled = []
    watcher = Watcher(lambda: [tmp_path], on_settled=settled.append, interval=0.01, settle=0.1, settle_one=0.05)
    watcher.prime()
    watcher.hot = (str(tmp_path / "a.md"),)
    touch(tmp_path / "a.md", "two", mtime_ns=2_000_000_000)
    touch(tmp_path / "b.md", "two", mtime_ns=2_000_000_000)       # not hot: seen by the settling scan
    stop = RecordedWaits()
    watcher.check(stop, hot=True)
    assert stop.waits == [0.05, 0.1]
    assert settled == [Changes(modified=(str(tmp_path / "a.md"), str(tmp_path / "b.md")))]
