from pathlib import Path

from builder.write import MARKER, check_output_dir, write_outputs


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
    import os
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
