"""`showcase` as a process (builder.cli.main.run, which leaves with os._exit): exit codes, every
line of output reaching a pipe before the process is gone, and no way out without a word."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder import __version__
from tests.conftest import KEPT_EN, KEPT_ZH, case_md

REPO = Path(__file__).resolve().parents[2]


def showcase(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, cwd=cwd,
                          env=_env())


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}


def test_a_successful_build_exits_0_with_its_whole_summary_on_stdout(make_site):
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙案例")})
    proc = showcase("build", "--source", root, cwd=root)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and proc.stderr == b""
    lines = out.splitlines()
    assert len(lines) == 3 and out.endswith("\n")
    assert lines[0].startswith("构建完成：2 个案例、1 个示范点、0 个页面，")
    assert lines[1] == "输出文件夹：output/"
    assert lines[2].startswith("预览：运行 showcase serve")
    assert (root / "output/cases/a/index.html").is_file()


def test_a_quiet_successful_build_prints_nothing(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    proc = showcase("build", "-q", cwd=root)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_a_failed_build_exits_1_with_every_problem_and_the_count_on_stderr(make_site):
    root = make_site({"content/cases/a/index.md": case_md(titel="x"),
                      "content/cases/b/index.md": case_md(title="乙", date="2024/5/1")})
    proc = showcase("build", "--source", root, "--lang", "en", cwd=root)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and proc.stdout == b""
    assert err.count("content/cases/a/index.md:") == 1 and "'titel'" in err
    assert err.count("content/cases/b/index.md:") == 1
    assert err.endswith("Build failed with 2 problems\n" + KEPT_EN)
    assert not (root / "output").exists()


def test_a_failed_build_leaves_the_previous_output_as_it_was(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    assert showcase("build", "-q", cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content/cases/a/index.md").write_text(case_md(date="明天"), encoding="utf-8")
    proc = showcase("build", cwd=root)
    assert proc.returncode == 1 and proc.stderr.decode("utf-8").endswith("构建失败：1 个问题\n" + KEPT_ZH)
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before


def test_version_exits_0_and_prints_the_version(tmp_path):
    proc = showcase("--version", cwd=tmp_path)
    assert (proc.returncode, proc.stdout.decode("utf-8"), proc.stderr) == (0, f"showcase {__version__}\n", b"")


def test_no_command_prints_the_help_and_exits_2(tmp_path):
    proc = showcase(cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout.decode("utf-8").startswith("usage: showcase")


def test_an_unknown_option_is_a_usage_error_exit_2(tmp_path):
    proc = showcase("build", "--no-such-option", cwd=tmp_path)
    assert proc.returncode == 2 and b"unrecognized arguments: --no-such-option" in proc.stderr


def test_a_build_without_a_site_exits_1_and_says_what_is_missing(tmp_path):
    proc = showcase("build", "--lang", "en", cwd=tmp_path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and "site.yaml" in err and err.endswith("Build failed with 1 problem\n" + KEPT_EN)


# --- every way out says something ---------------------------------------------------------------

def showcase_with(prelude: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real process with a fault injected before run(): what no test site can cause."""
    code = prelude + "\nfrom builder.cli.main import run\nrun()\n"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, cwd=cwd, env=_env())


BUG = ("import builder.build\n"
       "def bug(*args, **kwargs):\n"
       "    raise RuntimeError('a bug in a stage')\n"
       "builder.build.assemble = bug\n")


def test_a_bug_exits_2_says_it_plainly_and_leaves_the_traceback_in_a_log(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    proc = showcase_with(BUG, "build", cwd=root)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and proc.stdout == b""
    assert err.startswith("内部错误：构建网站时 showcase 程序本身出错了（RuntimeError: a bug in a stage）。")
    logs = list((root / ".cache/logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "Traceback (most recent call last):" in logs[0].read_text(encoding="utf-8")


def test_ctrl_c_exits_130_with_one_line(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    prelude = BUG.replace("raise RuntimeError('a bug in a stage')", "raise KeyboardInterrupt")
    proc = showcase_with(prelude, "build", "--lang", "en", cwd=root)
    assert (proc.returncode, proc.stdout, proc.stderr.decode("utf-8")) == (130, b"", "\nStopped (Ctrl+C).\n")


def test_a_template_that_is_not_utf8_exits_1_and_names_it(make_site):
    root = make_site({"content/pages/about.md": "---\ntitle: 关于\n---\n\n正文。\n",
                      "templates/page.html": '{% extends "base.html" %}{% block main %}中文{% endblock %}'.encode("gbk")})
    proc = showcase("build", cwd=root)
    assert proc.returncode == 1 and proc.stderr.decode("utf-8").startswith(
        "构建网站时读到一个不是 UTF-8 编码的文件：templates/page.html\n    提示：请用记事本或 WPS 打开这个文件")


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys, where nobody may make a folder")
def test_an_output_folder_without_permission_exits_1_and_names_it(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    proc = showcase("build", "--output", "/sys/showcase-output", "--lang", "en", cwd=root)
    assert proc.returncode == 1
    assert proc.stderr.decode("utf-8").startswith(
        "While building the site: no permission to read or write /sys/showcase-output\n    hint: ")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_an_unreadable_content_file_exits_1_and_names_it(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    (root / "content/cases/a/index.md").chmod(0)
    try:
        proc = showcase("build", cwd=root)
    finally:
        (root / "content/cases/a/index.md").chmod(0o644)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and err.startswith("content/cases/a/index.md: 无法读取文件：")


def test_the_help_tells_the_exit_codes(tmp_path):
    proc = showcase("--help", cwd=tmp_path)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and "exit codes:" in out
    assert "  2    usage error, or an internal error" in out and "  130  stopped with Ctrl+C" in out
