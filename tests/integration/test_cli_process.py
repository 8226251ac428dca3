"""`showcase` as a process (builder.cli.main.run, which leaves with os._exit): exit codes, and every
line of output reaching a pipe before the process is gone."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builder import __version__
from tests.conftest import case_md

REPO = Path(__file__).resolve().parents[2]


def showcase(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, cwd=cwd,
                          env=_env())


def _env() -> dict[str, str]:
    import os
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
                      "content/cases/b/index.md": case_md(date="2024/5/1")})
    proc = showcase("build", "--source", root, "--lang", "en", cwd=root)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and proc.stdout == b""
    assert err.count("content/cases/a/index.md:") == 1 and "'titel'" in err
    assert err.count("content/cases/b/index.md:") == 1
    assert err.endswith("Build failed with 2 problems\n")
    assert not (root / "output").exists()


def test_a_failed_build_leaves_the_previous_output_as_it_was(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    assert showcase("build", "-q", cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content/cases/a/index.md").write_text(case_md(date="明天"), encoding="utf-8")
    proc = showcase("build", cwd=root)
    assert proc.returncode == 1 and proc.stderr.decode("utf-8").endswith("构建失败：1 个问题\n")
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
    assert proc.returncode == 1 and "site.yaml" in err and err.endswith("Build failed with 1 problem\n")
