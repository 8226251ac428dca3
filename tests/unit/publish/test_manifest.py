"""The plan of a publish: what goes up, in which order, what goes; the manifest and the journal
as stored on a target; the digests of the built files, read again only when a file changed."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from builder.publish.manifest import (UNKNOWN, Entry, Journal, decode_manifest, encode_manifest, local_entries,
                                      make_plan, removal_rank, stages, upload_rank)

A, B, C = Entry("a" * 32, 10), Entry("b" * 32, 20), Entry("c" * 32, 30)
WHEN = dt.datetime(2025, 6, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_plan_sorts_files_into_new_changed_gone_and_unchanged():
    local = {"index.html": B, "cases/a/index.html": A, "cases/new/index.html": C}
    remote = {"index.html": A, "cases/a/index.html": A, "cases/old/index.html": B}
    plan = make_plan(local, remote)
    assert plan.upload == ("cases/new/index.html",)
    assert plan.replace == ("index.html",)
    assert plan.remove == ("cases/old/index.html",)
    assert plan.unchanged == ("cases/a/index.html",)
    assert not plan.empty


def test_a_full_plan_sends_everything_and_an_equal_one_nothing():
    local = {"index.html": A, "static/site.js": B}
    assert make_plan(local, dict(local)).empty
    full = make_plan(local, dict(local), full=True)
    assert full.replace == ("static/site.js", "index.html") and full.unchanged == ()


def test_a_file_an_unfinished_publish_may_have_left_is_sent_again_or_removed():
    plan = make_plan({"cases/a/index.html": A}, {"cases/a/index.html": Entry(UNKNOWN, -1),
                                                 "cases/gone/index.html": Entry(UNKNOWN, -1)})
    assert plan.replace == ("cases/a/index.html",) and plan.remove == ("cases/gone/index.html",)


def test_photos_and_styles_go_up_before_the_pages_and_the_home_page_last():
    files = ["index.html", "cases/index.html", "cases/a/index.html", "cases/a/photo-480w.1a2b.jpg",
             "static/style.1a2b.css", "search/k/0.js", "search/manifest.js", "search/index.html",
             "sitemap.xml", "feed.xml", "tags/tiaojie/index.html", "sites/xizhai/index.html",
             "pages/about/index.html", "cases/page/2/index.html", "404.html"]
    order = sorted(files, key=upload_rank)
    assert stages(files) == [
        ["cases/a/photo-480w.1a2b.jpg", "static/style.1a2b.css"],
        ["search/k/0.js"],
        ["search/manifest.js"],
        ["cases/a/index.html", "pages/about/index.html", "sites/xizhai/index.html"],
        ["404.html", "cases/index.html", "cases/page/2/index.html", "feed.xml", "search/index.html",
         "sitemap.xml", "tags/tiaojie/index.html"],
        ["index.html"],
    ]
    assert order[-1] == "index.html"


def test_pages_are_removed_before_the_photos_they_showed():
    gone = ["cases/b/photo-480w.1a.jpg", "cases/b/index.html", "cases/b/photo-960w.1a.webp"]
    assert sorted(gone, key=removal_rank)[0] == "cases/b/index.html"


def test_a_manifest_reads_back_as_written():
    data = encode_manifest({"cases/a/index.html": A, "index.html": B}, WHEN, "PC-宣传科")
    assert decode_manifest(data) == {"cases/a/index.html": A, "index.html": B}
    assert b'"published":"2025-06-01T10:30:00+08:00"' in data and "PC-宣传科".encode() in data


@pytest.mark.parametrize("data", [
    b"not json", b"[]", b'{"generator": "other", "files": {}}', "{\"generator\": \"showcase\", \"files\": 1}".encode(),
    b'{"generator": "showcase", "files": {"../etc/passwd": ["x", 1]}}',
    b'{"generator": "showcase", "files": {"/abs": ["x", 1]}}',
    b'{"generator": "showcase", "files": {".showcase-publish.json": ["x", 1]}}',
    b'{"generator": "showcase", "files": {"a.html": ["x"]}}',
], ids=["text", "list", "other tool", "files not a mapping", "parent folder", "absolute", "our own record", "short entry"])
def test_a_manifest_that_is_not_ours_or_reaches_outside_is_refused(data):
    with pytest.raises(ValueError):
        decode_manifest(data)


def test_a_journal_reads_back_and_keeps_only_plain_paths():
    journal = Journal("abc123", WHEN, "PC-1", ("index.html", "cases/a/index.html"))
    assert Journal.decode(journal.encode()) == journal
    hostile = journal.encode().replace(b'"index.html"', b'"../../x"')
    assert Journal.decode(hostile).uploading == ("cases/a/index.html",)
    assert Journal.decode(b"{}") is None and Journal.decode(b"\xff") is None
    assert Journal.decode(journal.encode().replace(b"abc123", b"../x")) is None


def test_digests_are_read_again_only_when_a_file_changed_size_or_time(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "digests.json"
    out.mkdir()
    (out / "a.html").write_bytes(b"first")
    first = local_entries(out, ["a.html"], cache)["a.html"]
    stamp = os.stat(out / "a.html").st_mtime_ns
    (out / "a.html").write_bytes(b"fifth")                       # same size, then the old time again
    os.utime(out / "a.html", ns=(stamp, stamp))
    assert local_entries(out, ["a.html"], cache)["a.html"] == first      # the rsync rule: not read again
    os.utime(out / "a.html", ns=(stamp + 1_000_000, stamp + 1_000_000))
    assert local_entries(out, ["a.html"], cache)["a.html"].digest != first.digest
    assert local_entries(out, ["a.html"], None)["a.html"] == local_entries(out, ["a.html"], cache)["a.html"]
