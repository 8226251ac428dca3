"""The zip target: one archive of the whole site per day, named for the hand-over, written whole
or not at all, and none written when nothing changed since the newest one."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from builder.model import PublishTarget
from builder.publish.archive import ZipTarget, publish_zip, zip_stem
from builder.publish.manifest import MANIFEST, local_entries

DAY = dt.date(2025, 6, 1)


def built(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, dict]:
    out = tmp_path / "output"
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out, local_entries(out, sorted(files))


def target(tmp_path: Path) -> ZipTarget:
    return ZipTarget(PublishTarget(name="handover", kind="zip", path="x"), tmp_path / "交付", "河津案例库")


@pytest.mark.parametrize("filename, title, stem", [
    ("", "河津市:示范案例", "河津市示范案例"), ("", "河津市：示范案例", "河津市：示范案例"),
    ("交付 版/本", "t", "交付版本"), ("", "...", "showcase"),
], ids=["half-width colon", "full-width colon", "space and slash", "nothing left"])
def test_the_file_name_is_the_title_or_filename_made_safe_for_windows(filename, title, stem):
    assert zip_stem(PublishTarget(name="z", kind="zip", filename=filename), title) == stem


def test_the_archive_holds_the_site_and_its_record_photos_stored_pages_compressed(tmp_path):
    out, local = built(tmp_path, {"index.html": b"<p>" * 500, "cases/a/p.jpg": b"\xff\xd8" * 100})
    result = publish_zip(target(tmp_path), out, local, DAY)
    assert Path(result.location).name == "河津案例库-2025-06-01.zip"
    with zipfile.ZipFile(result.location) as archive:
        assert archive.namelist() == ["cases/a/p.jpg", "index.html", MANIFEST]
        assert archive.getinfo("cases/a/p.jpg").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED
        assert archive.read("index.html") == b"<p>" * 500


def test_nothing_changed_means_no_new_archive_even_on_a_later_day(tmp_path):
    out, local = built(tmp_path, {"index.html": b"home"})
    zips = target(tmp_path)
    publish_zip(zips, out, local, DAY)
    again = publish_zip(zips, out, local, DAY + dt.timedelta(days=3))
    assert again.plan.empty and Path(again.location).name == "河津案例库-2025-06-01.zip"
    assert [p.name for p in zips.root.iterdir()] == ["河津案例库-2025-06-01.zip"]


def test_a_change_makes_the_days_archive_and_keeps_the_earlier_ones(tmp_path):
    out, local = built(tmp_path, {"index.html": b"home", "a.html": b"a"})
    zips = target(tmp_path)
    publish_zip(zips, out, local, DAY)
    (out / "a.html").unlink()
    (out / "index.html").write_bytes(b"home 2")
    later = publish_zip(zips, out, local_entries(out, ["index.html"]), DAY + dt.timedelta(days=1))
    assert later.plan.replace == ("index.html",) and later.plan.remove == ("a.html",)
    assert sorted(p.name for p in zips.root.iterdir()) == ["河津案例库-2025-06-01.zip", "河津案例库-2025-06-02.zip"]


def test_an_archive_stopped_halfway_leaves_nothing_behind(tmp_path):
    out, local = built(tmp_path, {f"p{i}.html": b"x" for i in range(5)})
    zips = target(tmp_path)

    def stop(done: int, total: int, sent: int, size: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish_zip(zips, out, local, DAY, progress=stop)
    assert list(zips.root.iterdir()) == []
