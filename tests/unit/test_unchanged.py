"""builder.unchanged: `showcase build` with nothing changed since the last build says so without
building, and anything changed at all (a source, an output file, the options, the day, a file
touched a moment after the last build looked) takes the normal build."""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from conftest import case_md, snapshot

from builder import unchanged
from builder.build import BuildOptions, build_site
from builder.render.theme import packaged_themes_dir


def backdate(root: Path, seconds: float = 60) -> None:
    """Files as if written a minute ago: not within the racy-file window of a build now."""
    stamp = time.time_ns() - int(seconds * 1e9)
    for path in [root, *root.rglob("*")]:
        os.utime(path, ns=(stamp, stamp))


def key(root: Path, out: Path, **options) -> str:
    return unchanged.options_key(root.resolve(), out, options.get("drafts", False), options.get("future", False),
                                 options.get("base_url"), options.get("relative"))


def check(root: Path, out: Path, **options):
    return unchanged.check(root.resolve(), key(root, out, **options), unchanged.packaged_themes_dir())


@pytest.fixture
def built(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙", draft="true")})
    backdate(root)
    out = tmp_path / "out"
    build_site(root, BuildOptions(output=out))
    return root, out


def test_nothing_changed_gives_the_last_builds_summary(built):
    root, out = built
    same = check(root, out)
    assert same is not None and same.out_dir == out.resolve()
    assert (same.summary.cases, same.summary.sites, same.summary.pages) == (1, 1, 0)
    assert [c.title for c in same.summary.held_back] == ["乙"]
    assert same.summary.files == len(snapshot(out)) - 1          # the output marker is not an output


@pytest.mark.parametrize("change", ["a case edited", "a case added", "a photo added", "site.yaml", "an empty folder",
                                    "an output file deleted", "an output file edited", "a template of the site's own"])
def test_any_change_takes_the_normal_build(built, change):
    root, out = built
    if change == "a case edited":
        (root / "content/cases/a/index.md").write_text(case_md(body="新的。\n"), encoding="utf-8")
    elif change == "a case added":
        (root / "content/cases/c").mkdir()
        (root / "content/cases/c/index.md").write_text(case_md(title="丙"), encoding="utf-8")
    elif change == "a photo added":
        (root / "content/cases/a/p.jpg").write_bytes(b"not yet a photo")
    elif change == "site.yaml":
        (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "subtitle: 新\n",
                                        encoding="utf-8")
    elif change == "an empty folder":
        (root / "content/cases/empty").mkdir()
    elif change == "an output file deleted":
        (out / "404.html").unlink()
    elif change == "an output file edited":
        (out / "404.html").write_text("by hand", encoding="utf-8")
    else:
        (root / "templates").mkdir()
        (root / "templates/404.html").write_text("404", encoding="utf-8")
    assert check(root, out) is None


def test_a_file_touched_just_before_the_last_build_looked_is_read_again(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md()})     # written just now: racy
    build_site(root, BuildOptions(output=tmp_path / "out"))
    assert check(root, tmp_path / "out") is None


def test_other_options_another_day_or_another_version_take_the_normal_build(built, monkeypatch):
    root, out = built
    assert check(root, out, drafts=True) is None
    assert check(root, out, base_url="https://x.gov.cn/") is None
    assert check(root, out) is not None
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return tomorrow
    monkeypatch.setattr(unchanged.dt, "date", Tomorrow)
    assert check(root, out) is None
    monkeypatch.undo()
    monkeypatch.setattr(unchanged, "code_version", lambda: "another", raising=False)
    import builder.store.state
    monkeypatch.setattr(builder.store.state, "code_version", lambda: "another")
    assert check(root, out) is None


def test_a_damaged_record_takes_the_normal_build(built):
    root, out = built
    [record] = (root / ".cache/state").glob("unchanged-*.marshal")
    record.write_bytes(b"damaged")
    assert check(root, out) is None


def test_the_command_says_the_same_as_a_build_that_finds_nothing_to_write(built, cli):
    root, out = built
    first = cli("build", "--source", root, "--output", out, "--lang", "en")
    (root / ".cache/state").joinpath("x").write_text("", encoding="utf-8")   # anything in .cache is no change
    again = cli("build", "--source", root, "--output", out, "--lang", "en")
    assert first.code == again.code == 0
    words = lambda text: [line.split(" in ")[0] for line in text.splitlines()]  # noqa: E731 - seconds differ
    assert words(again.out) == words(first.out)
    files = len(snapshot(out)) - 1                                  # the output marker is not an output
    assert "1 item held back:" in again.out and f"(0 written, {files} unchanged, 0 removed)" in again.out


def test_the_themes_folder_is_the_one_the_theme_loader_uses():
    assert unchanged.packaged_themes_dir() == packaged_themes_dir()


def test_a_folder_that_is_a_symbolic_link_takes_the_normal_build(built, tmp_path):
    root, out = built
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (root / "content/linked").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("this system cannot make symbolic links")
    assert unchanged.fingerprint(root.resolve(), out, None) is None


def test_a_build_after_a_change_notes_the_tree_the_check_saw_and_the_next_check_passes(built):
    root, out = built
    (root / "content/cases/a/index.md").write_text(case_md(body="新的。\n"), encoding="utf-8")
    backdate(root)
    options = BuildOptions(output=out)
    looked = unchanged.look(root.resolve(), key(root, out), unchanged.packaged_themes_dir())
    assert isinstance(looked, unchanged.Looked) and looked.out_dir == out.resolve()
    assert looked.tree == unchanged.fingerprint(root.resolve(), out.resolve(), unchanged.packaged_themes_dir())
    build_site(root, options, looked=looked)
    assert check(root, out) is not None


def test_a_tree_seen_before_a_file_changed_again_only_costs_a_build(built):
    root, out = built
    looked = unchanged.look(root.resolve(), key(root, out), unchanged.packaged_themes_dir())
    assert isinstance(looked, unchanged.Unchanged)
    (root / "content/cases/a/index.md").write_text(case_md(body="新的。\n"), encoding="utf-8")
    backdate(root)
    stale = unchanged.Looked(time.time_ns() - 40 * 10**9, out.resolve(),
                             unchanged.fingerprint(root.resolve(), out.resolve(), unchanged.packaged_themes_dir()))
    (root / "content/cases/a/index.md").write_text(case_md(body="又改了。\n"), encoding="utf-8")
    backdate(root, 30)
    build_site(root, BuildOptions(output=out), looked=stale)
    assert check(root, out) is None                 # what the build noted is not what is there now
