"""What may be published: an output folder showcase's build made, not a preview, and only the
files its marker lists."""
from __future__ import annotations

import json

from builder.publish.gate import built_files, is_plain, publishable
from builder.write import MARKER, write_outputs


def test_a_folder_showcase_built_may_be_published_with_exactly_the_files_it_wrote(tmp_path):
    out = tmp_path / "output"
    write_outputs({"index.html": b"<p>home</p>", "cases/a/index.html": b"<p>a</p>"}, out)
    (out / "by-hand.txt").write_text("not ours", encoding="utf-8")
    assert publishable(out) is None
    assert built_files(out) == ["cases/a/index.html", "index.html"]


def test_a_folder_without_showcases_marker_is_refused(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("copied by hand", encoding="utf-8")
    problem = publishable(out)
    assert problem.code == "publish_not_built"
    assert "不是 showcase build 生成的，不能发布" in problem.format()
    (out / MARKER).write_text(json.dumps({"generator": "hugo", "files": ["index.html"]}), encoding="utf-8")
    assert publishable(out).code == "publish_not_built"


def test_a_preview_build_is_refused(tmp_path):
    out = tmp_path / "output"
    write_outputs({"index.html": b"<p>home</p>"}, out)
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    (out / MARKER).write_text(json.dumps({**marker, "preview": True}), encoding="utf-8")
    problem = publishable(out)
    assert problem.code == "publish_preview_build"
    assert "是预览版（包含草稿或未到日期的案例），不能发布" in problem.format()


def test_a_hand_edited_marker_cannot_send_files_from_outside_the_folder(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"generator": "showcase", "files": [
        "index.html", "../secret.txt", "/etc/passwd", "C:/Windows/x", "a\\b", "", "cases//x", 7]}), encoding="utf-8")
    assert built_files(out) == ["index.html"]
    assert not is_plain("./index.html") and is_plain("cases/a/index.html")


def test_a_build_that_stopped_half_way_is_refused(tmp_path):
    out = tmp_path / "output"
    write_outputs({"index.html": b"<p>home</p>"}, out)
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    (out / MARKER).write_text(json.dumps({**marker, "complete": False}), encoding="utf-8")
    problem = publishable(out)
    assert problem.code == "publish_incomplete_build" and "没有生成完整" in problem.format()
