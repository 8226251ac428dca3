import errno
import time
from pathlib import Path

from builder.write import MARKER, Stage, Staged, check_output_dir, write_outputs


def test_only_changed_files_are_written_and_stale_ones_removed(tmp_path: Path):
    out = tmp_path / "out"
    first = write_outputs({"a/index.html": b"a", "b/index.html": b"b"}, out)
    assert (first.written, first.unchanged, first.removed) == (2, 0, 0)
    mtime = (out / "a/index.html").stat().st_mtime_ns
    second = write_outputs({"a/index.html": b"a", "c.txt": b"c"}, out)
    assert (second.written, second.unchanged, second.removed) == (1, 1, 1)
    assert (out / "a/index.html").stat().st_mtime_ns == mtime
    assert not (out / "b").exists()          # emptied folders go too


def test_files_showcase_did_not_write_are_left_alone(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"index.html": b"x"}, out)
    (out / "CNAME").write_text("example.gov.cn", encoding="utf-8")
    write_outputs({"other.html": b"y"}, out)
    assert (out / "CNAME").exists() and not (out / "index.html").exists()


def test_output_guard_refuses_dangerous_folders(tmp_path: Path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "themes").mkdir()
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "report.docx").write_bytes(b"x")
    for out in (root, root / "content", root / "themes", root / "content" / "out", tmp_path, foreign):
        assert check_output_dir(root, out), out
    assert check_output_dir(root, root / "output") == []
    marked = root / "public"
    marked.mkdir()
    (marked / MARKER).write_text("{}", encoding="utf-8")
    (marked / "index.html").write_text("x", encoding="utf-8")
    assert check_output_dir(root, marked) == []


def test_a_tampered_marker_cannot_delete_outside_the_output(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / MARKER).write_text('{"files": ["../victim.txt", "/etc/passwd"]}', encoding="utf-8")
    write_outputs({"index.html": b"x"}, out)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_marker_whose_files_are_not_a_list_removes_nothing_and_is_written_afresh(tmp_path: Path):
    import json
    out = tmp_path / "out"
    out.mkdir()
    (out / "a").write_text("keep", encoding="utf-8")
    for files in ("5", '"abc"', '{"a": 1}'):
        (out / MARKER).write_text(f'{{"files": {files}}}', encoding="utf-8")
        write_outputs({"index.html": b"x"}, out)
        assert (out / "a").read_text(encoding="utf-8") == "keep"
        assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["index.html"]
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "a", "index.html"])   # no temporary left


def test_copied_files_keep_their_source_time_and_are_not_read_again(tmp_path: Path):
    source = tmp_path / "cache.jpg"
    source.write_bytes(b"jpeg bytes")
    out = tmp_path / "out"
    assert write_outputs({"a.jpg": source}, out).written == 1
    assert (out / "a.jpg").stat().st_mtime_ns == source.stat().st_mtime_ns
    assert write_outputs({"a.jpg": source}, out).unchanged == 1
    # an output changed by hand (other time stamp) is compared by its bytes and replaced
    (out / "a.jpg").write_bytes(b"JPEG BYTES")
    assert write_outputs({"a.jpg": source}, out).written == 1
    assert (out / "a.jpg").read_bytes() == b"jpeg bytes"


# --- folders, time stamps, stale files and the marker --------------------------------------------

import json  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402

from builder.errors import BuildError  # noqa: E402

OLD = 1_500_000_000_000_000_000          # a time stamp long before the test ran, in ns


def test_files_are_written_into_nested_folders_that_do_not_exist_yet(tmp_path: Path):
    out = tmp_path / "not" / "yet" / "out"
    stats = write_outputs({"a/b/c/d/index.html": b"deep", "tags/调解/index.html": "调解".encode("utf-8"),
                           "index.html": b"top"}, out)
    assert stats.written == 3
    assert (out / "a/b/c/d/index.html").read_bytes() == b"deep"
    assert (out / "tags/调解/index.html").read_text(encoding="utf-8") == "调解"


def test_no_temporary_file_is_left_beside_the_written_ones(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"a/index.html": b"a", "index.html": b"b"}, out)
    write_outputs({"a/index.html": b"A", "index.html": b"B"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "a", "a/index.html", "index.html"]


def test_a_file_where_a_folder_is_needed_is_a_clear_problem_and_the_previous_output_stays(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"cases/a/index.html": b"case", "index.html": b"home"}, out)
    (out / "tags").write_text("a file someone put here", encoding="utf-8")
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(BuildError) as failed:
        write_outputs({"cases/a/index.html": b"case", "index.html": b"home", "tags/index.html": b"tags"}, out)
    [problem] = failed.value.problems
    assert problem.code == "output_write_failed"
    assert problem.format("en").startswith(f"could not write the output '{out / 'tags'}': ")
    assert "check free disk space" in problem.format("en")
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_unchanged_file_is_not_written_again(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"a/index.html": b"same", "b.html": b"old"}, out)
    for name in ("a/index.html", "b.html"):
        os.utime(out / name, ns=(OLD, OLD))
    stats = write_outputs({"a/index.html": b"same", "b.html": b"new"}, out)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "a/index.html").stat().st_mtime_ns == OLD
    assert (out / "b.html").stat().st_mtime_ns != OLD and (out / "b.html").read_bytes() == b"new"


def test_a_file_of_the_same_size_but_other_bytes_is_written(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"a.html": b"abc"}, out)
    assert write_outputs({"a.html": b"abd"}, out).written == 1
    assert (out / "a.html").read_bytes() == b"abd"


def test_copies_keep_their_sources_time_stamp_in_nested_folders(tmp_path: Path):
    source = tmp_path / "cache" / "p-480w.jpg"
    source.parent.mkdir()
    source.write_bytes(b"jpeg")
    os.utime(source, ns=(OLD, OLD))
    out = tmp_path / "out"
    write_outputs({"cases/a/p-480w.jpg": source}, out)
    assert (out / "cases/a/p-480w.jpg").stat().st_mtime_ns == OLD
    assert (out / "cases/a/p-480w.jpg").read_bytes() == b"jpeg"


def test_a_copy_whose_source_changed_is_copied_again_with_the_new_time_stamp(tmp_path: Path):
    source = tmp_path / "style.css"
    source.write_bytes(b"a{}")
    os.utime(source, ns=(OLD, OLD))
    out = tmp_path / "out"
    write_outputs({"static/style.css": source}, out)
    source.write_bytes(b"b{}")            # the same size, other bytes, a new time
    assert write_outputs({"static/style.css": source}, out).written == 1
    target = out / "static/style.css"
    assert target.read_bytes() == b"b{}" and target.stat().st_mtime_ns == source.stat().st_mtime_ns


def test_stale_files_are_removed_and_emptied_folders_pruned_up_to_the_output(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"tags/a/page/2/index.html": b"2", "tags/a/index.html": b"1", "tags/b/index.html": b"b",
                   "index.html": b"home"}, out)
    stats = write_outputs({"tags/b/index.html": b"b", "index.html": b"home"}, out)
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 2)
    assert not (out / "tags/a").exists() and (out / "tags/b/index.html").exists()
    stats = write_outputs({"index.html": b"home"}, out)
    assert stats.removed == 1 and not (out / "tags").exists() and out.is_dir()
    assert write_outputs({}, out).removed == 1 and out.is_dir() and [p.name for p in out.iterdir()] == [MARKER]


def test_a_folder_that_still_holds_someone_elses_file_is_not_pruned(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"downloads/report/index.html": b"r"}, out)
    (out / "downloads/报告.pdf").write_bytes(b"%PDF")
    write_outputs({"index.html": b"home"}, out)
    assert not (out / "downloads/report").exists()
    assert (out / "downloads/报告.pdf").read_bytes() == b"%PDF"


def test_the_marker_names_the_generator_and_every_file_written_sorted(tmp_path: Path):
    out = tmp_path / "out"
    write_outputs({"tags/调解/index.html": b"t", "index.html": b"h", "a.jpg": b"j"}, out)
    text = (out / MARKER).read_text(encoding="utf-8")
    assert json.loads(text) == {"generator": "showcase", "preview": False, "complete": True,
                                "files": ["a.jpg", "index.html", "tags/调解/index.html"]}
    assert "调解" in text                    # readable, not \\u escapes
    write_outputs({"index.html": b"h"}, out)
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["index.html"]


@pytest.mark.parametrize("marker", ["not json", "[1, 2]", '{"files": "index.html"}', '{"files": [1, null, "b.html"]}'])
def test_a_damaged_marker_removes_nothing_it_cannot_read_and_is_written_anew(tmp_path: Path, marker: str):
    out = tmp_path / "out"
    write_outputs({"a.html": b"a", "b.html": b"b"}, out)
    (out / MARKER).write_text(marker, encoding="utf-8")
    write_outputs({"c.html": b"c"}, out)
    assert (out / "a.html").exists()
    assert (out / "b.html").exists() == ("b.html" not in marker)
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["c.html"]


@pytest.mark.parametrize("error, zh", [(OSError(errno.ENOSPC, "No space left on device"), "磁盘空间已满"),
                                       (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限"),
                                       (OSError(errno.EROFS, "Read-only file system"), "没有写入权限")],
                         ids=["disk-full", "permission", "read-only"])
def test_why_the_system_refused_a_write_is_said_in_chinese_not_in_the_systems_english(tmp_path: Path, monkeypatch, error, zh):
    import builder.write as write
    out = tmp_path / "out"
    write_outputs({"index.html": b"old"}, out)

    def refuse(*args, **kwargs):
        error.filename = str(out / "index.html")
        raise error
    monkeypatch.setattr(write.os, "replace", refuse)
    with pytest.raises(BuildError) as failed:
        write_outputs({"index.html": b"new"}, out)
    message = failed.value.problems[0].message("zh")
    assert zh in message and "index.html" in message and not any(word in message for word in ("No space", "denied", "Read-only"))
    assert (out / "index.html").read_bytes() == b"old"


# --- staged files: written in full by the render workers, moved into place -------------------

def _staged(folder: Path, name: str, data: bytes) -> Staged:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Staged(path)


def test_a_staged_file_is_moved_into_place_not_copied(tmp_path: Path):
    stage, out = tmp_path / "stage", tmp_path / "out"
    staged = _staged(stage, "1", b"<p>case</p>")
    inode = os.stat(staged).st_ino
    stats = write_outputs({"cases/a/index.html": staged, "index.html": b"home"}, out)
    assert (stats.written, stats.unchanged) == (2, 0)
    target = out / "cases/a/index.html"
    assert target.read_bytes() == b"<p>case</p>" and os.stat(target).st_ino == inode
    assert not staged.exists()
    assert stats.files["cases/a/index.html"] == (target.stat().st_size, target.stat().st_mtime_ns)


def test_a_staged_file_the_output_already_holds_leaves_the_output_as_it_was(tmp_path: Path):
    stage, out = tmp_path / "stage", tmp_path / "out"
    write_outputs({"a.html": b"same", "b.html": b"old!"}, out)
    for name in ("a.html", "b.html"):
        os.utime(out / name, ns=(OLD, OLD))
    same, other = _staged(stage, "1", b"same"), _staged(stage, "2", b"new!")
    stats = write_outputs({"a.html": same, "b.html": other}, out)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (out / "a.html").stat().st_mtime_ns == OLD and not same.exists()
    assert (out / "b.html").read_bytes() == b"new!" and not other.exists()


def test_a_staged_file_on_another_drive_is_copied(tmp_path: Path, monkeypatch):
    stage, out = tmp_path / "stage", tmp_path / "out"
    staged = _staged(stage, "1", b"page")
    real_replace = os.replace

    def across_drives(source, target):
        if Path(source) == staged:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(source, target)
    monkeypatch.setattr(os, "replace", across_drives)
    stats = write_outputs({"index.html": staged}, out)
    assert stats.written == 1 and (out / "index.html").read_bytes() == b"page" and not staged.exists()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]


def test_a_stage_keeps_pages_under_names_of_their_own_and_is_cleared(tmp_path: Path):
    stage = Stage(tmp_path / "staging")
    one, two = stage.keep("cases/a/index.html", b"a"), stage.keep("cases/b/index.html", b"b")
    assert one != two and one.read_bytes() == b"a" and one.parent == stage.folder
    out = tmp_path / "out"
    write_outputs({"cases/a/index.html": one, "cases/b/index.html": two}, out)
    assert (out / "cases/b/index.html").read_bytes() == b"b"
    stage.clear()
    assert not stage.folder.exists()


def test_stages_left_by_stopped_builds_are_removed_a_day_later(tmp_path: Path):
    parent = tmp_path / "staging"
    old, new = Stage(parent), Stage(parent)
    old.keep("a.html", b"a")
    new.keep("a.html", b"a")
    day_ago = time.time() - 90000
    os.utime(old.folder, (day_ago, day_ago))
    Stage.clear_old(parent)
    assert not old.folder.exists() and new.folder.exists()
