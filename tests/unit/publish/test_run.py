"""One publish, step by step, on a real folder target: the journal of an unfinished publish,
another computer's publish under way, a damaged record, removals, --full."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.model import PublishTarget
from builder.publish.folder import FolderTarget
from builder.publish.manifest import JOURNAL, MANIFEST, TEMP_DIR, Journal, decode_manifest, local_entries
from builder.publish.run import PublishOptions, publish
from builder.publish.target import PublishFailed
from conftest import snapshot

NOW = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OPTIONS = PublishOptions(computer="PC-A", now=lambda: NOW)


def site(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, dict]:
    out = tmp_path / "output"
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out, local_entries(out, sorted(files))


def folder(tmp_path: Path) -> FolderTarget:
    (tmp_path / "usb").mkdir(exist_ok=True)
    return FolderTarget(PublishTarget(name="usb", kind="folder", path="x"), tmp_path / "usb" / "site")


def test_a_publish_writes_the_files_and_its_record_and_nothing_else(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home", "cases/a/index.html": b"a"})
    target = folder(tmp_path)
    result = publish(target, out, local, OPTIONS)
    assert result.plan.upload == ("cases/a/index.html", "index.html")
    files = snapshot(target.root)
    assert set(files) == {"index.html", "cases/a/index.html", MANIFEST}
    assert decode_manifest(files[MANIFEST]) == local


def test_removed_files_go_last_their_empty_folders_with_them_and_hand_placed_files_stay(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home", "cases/a/index.html": b"a", "cases/a/p.jpg": b"jpg"})
    target = folder(tmp_path)
    publish(target, out, local, OPTIONS)
    (target.root / "cases/keep").mkdir()
    (target.root / "cases/keep/mine.txt").write_bytes(b"mine")
    (out / "cases/a/index.html").unlink()
    (out / "cases/a/p.jpg").unlink()
    (out / "index.html").write_bytes(b"home 2")
    result = publish(target, out, local_entries(out, ["index.html"]), OPTIONS)
    assert result.plan.remove == ("cases/a/index.html", "cases/a/p.jpg")     # the page before its photo
    assert not (target.root / "cases/a").exists()
    assert snapshot(target.root).keys() == {"index.html", "cases/keep/mine.txt", MANIFEST}


def test_an_unfinished_publish_is_finished_and_its_leftovers_cleared(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home", "cases/a/index.html": b"a"})
    target = folder(tmp_path)
    publish(target, out, local, OPTIONS)
    # Another run was stopped after sending cases/b (not in the record) and half of a temporary file.
    (target.root / "cases/b").mkdir()
    (target.root / "cases/b/index.html").write_bytes(b"b, sent before the stop")
    (target.root / TEMP_DIR).mkdir()
    (target.root / TEMP_DIR / "0badc0ffee11-7.tmp").write_bytes(b"half")
    (target.root / TEMP_DIR / "feedfacecafe-1.tmp").write_bytes(b"someone else's upload")
    journal = Journal("0badc0ffee11", NOW - dt.timedelta(hours=1), "PC-B", ("cases/b/index.html", "index.html"))
    (target.root / JOURNAL).write_bytes(journal.encode())
    result = publish(target, out, local, OPTIONS)
    assert result.unfinished == journal
    assert result.plan.remove == ("cases/b/index.html",)    # the site no longer has it
    assert sorted(snapshot(target.root)) == [MANIFEST, f"{TEMP_DIR}/feedfacecafe-1.tmp", "cases/a/index.html", "index.html"]


def test_another_computers_publish_under_way_is_not_disturbed(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home"})
    target = folder(tmp_path)
    target.root.mkdir()
    journal = Journal("0badc0ffee11", NOW - dt.timedelta(minutes=3), "PC-B", ("index.html",))
    (target.root / JOURNAL).write_bytes(journal.encode())
    with pytest.raises(PublishFailed) as failed:
        publish(target, out, local, OPTIONS)
    assert failed.value.problem.code == "publish_busy"
    assert "另一台电脑（PC-B）在 09:57 开始向“usb”发布，还没有结束" in failed.value.problem.format()
    assert not (target.root / "index.html").exists()
    later = PublishOptions(computer="PC-A", now=lambda: NOW + dt.timedelta(minutes=20))
    assert publish(target, out, local, later).unfinished == journal


def test_a_damaged_record_stops_the_publish_rather_than_forget_what_is_there(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home"})
    target = folder(tmp_path)
    target.root.mkdir()
    (target.root / MANIFEST).write_bytes(b"{broken")
    with pytest.raises(PublishFailed) as failed:
        publish(target, out, local, OPTIONS)
    assert failed.value.problem.code == "publish_manifest_damaged"
    assert not (target.root / "index.html").exists()


def test_full_sends_everything_again_and_a_dry_run_nothing(tmp_path):
    out, local = site(tmp_path, {"index.html": b"home", "a.html": b"a"})
    target = folder(tmp_path)
    publish(target, out, local, OPTIONS)
    (target.root / "a.html").write_bytes(b"damaged by hand")
    dry = publish(target, out, local, PublishOptions(dry_run=True, full=True))
    assert dry.plan.replace == ("a.html", "index.html") and (target.root / "a.html").read_bytes() == b"damaged by hand"
    publish(target, out, local, PublishOptions(full=True))
    assert (target.root / "a.html").read_bytes() == b"a"


def test_what_the_disk_refused_is_said_in_the_readers_words(tmp_path):
    import errno
    from builder.publish.target import local_problem
    target = folder(tmp_path)
    full = local_problem(OSError(errno.ENOSPC, "No space left on device"), target, "cases/a/p.jpg")
    assert full.code == "publish_disk_full" and "的空间已满，无法写入 cases/a/p.jpg" in full.format()
    assert local_problem(PermissionError(errno.EACCES, "denied"), target, "a.html").code == "publish_no_permission"
    assert local_problem(OSError(errno.EROFS, "read-only"), target, "a.html").code == "publish_no_permission"
    other = local_problem(OSError(errno.EIO, "I/O error"), target, "a.html")
    assert other.code == "publish_refused" and "I/O error" in other.format()
