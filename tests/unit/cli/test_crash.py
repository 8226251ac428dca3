"""No silent failure (builder.cli.crash, through the command in-process): trouble with a file of
the user's is said with the command, the file and a hint, exit 1; a bug is said plainly, its
traceback goes to .cache/logs/, exit 2; Ctrl+C is one line, exit 130."""
from __future__ import annotations

import errno
import re
import sys
from pathlib import Path

import pytest
from conftest import KEPT_ZH, case_md

import builder.build
import builder.cli.build
import builder.content.load
from builder.cli import crash
from builder.cli.main import main

GBK_TEMPLATE = '{% extends "base.html" %}{% block main %}中文{% endblock %}'.encode("gbk")


def bug(*args, **kwargs):
    raise RuntimeError("boom in assemble")


def log_named(err: str) -> Path:
    match = re.search(r"(\S+crash-\d{8}-\d{6}(?:-\d+)?\.log)", err)
    assert match, err
    return Path(match.group(1))


# --- a bug ---------------------------------------------------------------------------------------

def test_a_bug_in_a_stage_is_an_internal_error_with_exit_2_and_the_traceback_in_a_log(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})
    monkeypatch.setattr(builder.build, "assemble", bug)
    result = cli("build", "--source", root)
    assert result.code == 2 and result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == "内部错误：构建网站时 showcase 程序本身出错了（RuntimeError: boom in assemble）。这不是您文件里的问题。"
    log = log_named(result.err)
    assert lines[1] == f"    提示：详细信息已写入 {log}，请把这个文件发给技术人员。" and len(lines) == 2
    assert log.parent == (root / ".cache/logs").resolve()
    text = log.read_text(encoding="utf-8")
    assert f"command: showcase build --source {root}\n" in text
    assert "Traceback (most recent call last):" in text and 'in bug\n    raise RuntimeError("boom in assemble")' in text
    assert text.endswith("RuntimeError: boom in assemble\n")


def test_an_internal_error_is_said_in_english_with_lang_en(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})
    monkeypatch.setattr(builder.build, "assemble", bug)
    result = cli("check", "--source", root, "--lang", "en")
    assert result.code == 2
    assert result.err.startswith("Internal error: showcase itself failed while checking the site "
                                 "(RuntimeError: boom in assemble). This is not a problem in your files.\n"
                                 "    hint: the details are in ")
    assert log_named(result.err).is_file()


def test_the_log_goes_to_the_temporary_folder_when_the_site_s_cache_cannot_take_it(make_site, cli, monkeypatch, tmp_path):
    root = make_site({".cache": "a file where the folder should be"})
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path / "temp"))
    monkeypatch.setattr(builder.build, "build_site", bug)
    result = cli("build", "--source", root)
    assert result.code == 2
    assert log_named(result.err).parent == (tmp_path / "temp/showcase-logs").resolve()


def test_when_no_log_can_be_written_the_traceback_is_printed_instead(make_site, cli, monkeypatch, tmp_path):
    root = make_site({".cache": "a file"})
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path / "not-a-folder"))
    monkeypatch.setattr(builder.build, "build_site", bug)
    result = cli("build", "--source", root)
    assert result.code == 2
    assert "Traceback (most recent call last):" in result.err and "RuntimeError: boom in assemble" in result.err
    assert result.err.endswith("    提示：详细信息无法写入文件（见上），请把终端窗口里的全部信息发给技术人员。\n")


def test_two_crashes_in_the_same_second_get_two_logs(tmp_path):
    import datetime as dt
    now = dt.datetime(2025, 6, 1, 9, 30, 5)
    first = crash.write_log(RuntimeError("a"), tmp_path, ["build"], now)
    second = crash.write_log(RuntimeError("b"), tmp_path, ["build"], now)
    assert (first.name, second.name) == ("crash-20250601-093005.log", "crash-20250601-093005-2.log")


# --- the user's files and the computer -------------------------------------------------------------

def test_an_unreadable_content_file_is_a_problem_of_that_file(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})
    real_open = open

    def refusing(path, *args, **kwargs):
        if str(path).endswith("a/index.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builder.content.load, "open", refusing, raising=False)
    result = cli("build", "--source", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/cases/a/index.md: 无法读取文件：Permission denied"
    assert result.err.endswith("构建失败：1 个问题\n" + KEPT_ZH)


def test_an_unreadable_site_yaml_names_the_file_and_what_to_do(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})
    real = Path.read_bytes

    def refusing(self):
        if self.name == "site.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    result = cli("build", "--source", root)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines() == [
        "构建网站时没有权限读写 site.yaml",
        "    提示：请确认这个文件或文件夹不是只读的、没有被其他程序（例如 WPS、杀毒软件或资源管理器的预览）占用，"
        "并且当前用户有权限修改它；然后重试。"]
    english = cli("status", "--source", root, "--lang", "en")
    assert english.code == 1 and english.err.startswith("While listing the cases: no permission to read or write site.yaml\n")


def test_a_full_disk_while_writing_names_the_file_and_says_to_free_space(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})

    def full(outputs, out_dir, *kept, **options):
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "cases/a/index.html"))

    monkeypatch.setattr(builder.build, "write_outputs", full)
    result = cli("build", "--source", root, "--lang", "en")
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[0] == "While building the site: the disk is full, cannot write output/cases/a/index.html"
    assert "delete the site's .cache folder" in result.err


def test_a_full_disk_inside_the_write_stage_is_a_build_problem(make_site, cli, monkeypatch):
    import builder.write
    root = make_site({"content/cases/a/index.md": case_md()})

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(builder.write, "open", full, raising=False)
    result = cli("build", "--source", root)
    assert result.code == 1
    assert "失败：磁盘空间已满" in result.err and "No space left on device" not in result.err
    assert "404.html”" in result.err and ".tmp" not in result.err              # the file, not its temporary name
    assert not list((root / "output").rglob("*.tmp"))
    assert result.err.endswith("构建没有完成：1 个问题\n    提示：输出文件夹可能只写了一部分，在下一次构建成功之前，"
                               "showcase publish 不会发布它。解决上面的问题，再构建一次。\n")


def test_an_output_folder_that_cannot_be_made_names_it(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(), "blocker": "a file, not a folder"})
    result = cli("build", "--source", root, "--output", root / "blocker/out")
    assert result.code == 1
    assert result.err.startswith("构建网站时无法读写 blocker/out：")
    assert "请确认文件或文件夹存在、名称正确、没有被其他程序占用，然后重试。" in result.err


@pytest.mark.parametrize("lang, first", [
    ("zh", "构建网站时读到一个不是 UTF-8 编码的文件：templates/page.html"),
    ("en", "While building the site: a file is not UTF-8: templates/page.html")])
def test_a_template_that_is_not_utf8_is_named(make_site, cli, lang, first):
    root = make_site({"content/pages/about.md": "---\ntitle: 关于\n---\n\n正文。\n", "templates/page.html": GBK_TEMPLATE})
    result = cli("build", "--source", root, "--lang", lang)
    assert result.code == 1
    assert result.err.splitlines()[0] == first


def test_the_file_of_a_decoding_error_is_found_in_the_traceback(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("中文".encode("gbk"))

    def read(filename):
        with open(filename, encoding="utf-8") as f:
            return f.read()

    with pytest.raises(UnicodeDecodeError) as caught:
        read(str(path))
    assert crash.file_in_traceback(caught.value.__traceback__) == str(path)
    assert crash.shown(str(path), tmp_path) == "gbk.txt" and crash.shown(str(path), tmp_path / "x") == str(path)


# --- Ctrl+C and a closed pipe --------------------------------------------------------------------

def test_ctrl_c_says_it_stopped_in_one_line_and_exits_130(make_site, cli, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(builder.build, "assemble", interrupted)
    result = cli("build", "--source", root)
    assert (result.code, result.out, result.err) == (130, "", "\n已停止（按了 Ctrl+C）。\n")
    assert cli("build", "--source", root, "--lang", "en").err == "\nStopped (Ctrl+C).\n"


def test_a_closed_pipe_is_left_to_the_process_to_end_quietly(make_site, monkeypatch):
    root = make_site({"content/cases/a/index.md": case_md()})

    def gone(*args, **kwargs):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(builder.build, "assemble", gone)
    monkeypatch.setattr(sys, "stderr", sys.stderr)
    with pytest.raises(BrokenPipeError):
        main(["build", "--source", str(root), "-q"])
