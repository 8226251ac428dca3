"""A big build's pages go to a stage in .cache/staging/ as they are rendered and are moved into
the output from there (write.Stage): the output is the same bytes as a build that kept them in
memory, the result names the files in the output, and no stage is left behind, whether the
build succeeded or stopped at a problem found after rendering."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import case_md, snapshot

from builder import build
from builder.build import STAGE_DIR, BuildOptions, build_site
from builder.errors import BuildError
from builder.render import pages
from builder.write import Stage, Staged

CASES = {f"content/cases/c{n}/index.md": case_md(title=f"第{n}个案例", body=f"## 做法\n\n第{n}个案例的正文。\n")
         for n in range(6)}


def stages(root: Path) -> list[Path]:
    folder = root / ".cache" / STAGE_DIR
    return list(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def staged(monkeypatch):
    monkeypatch.setattr(pages, "STAGE_FROM", 1)        # every build with a page to render stages it


def test_a_staged_build_writes_what_a_build_in_memory_writes(make_site, tmp_path, staged, monkeypatch):
    root = make_site(CASES)
    kept: list[str] = []
    keep = Stage.keep
    monkeypatch.setattr(Stage, "keep", lambda self, rel, data: kept.append(rel) or keep(self, rel, data))
    result = build_site(root, BuildOptions(output=tmp_path / "staged"))
    assert result.pages_rendered > 10 and len(kept) == result.pages_rendered and stages(root) == []
    assert not any(isinstance(source, Staged) for source in result.outputs.values())
    assert result.outputs["index.html"] == (tmp_path / "staged" / "index.html").resolve()
    monkeypatch.setattr(pages, "STAGE_FROM", 10**9)
    build_site(root, BuildOptions(output=tmp_path / "memory", use_cache=False))
    assert snapshot(tmp_path / "staged") == snapshot(tmp_path / "memory")


def test_the_stage_is_cleared_when_a_problem_found_after_rendering_stops_the_build(make_site, tmp_path, staged):
    root = make_site({**CASES, "content/cases/c0/index.md": case_md(body="见[另一页](/cases/nowhere/)。\n")})
    before = snapshot(tmp_path / "out") if (tmp_path / "out").exists() else {}
    with pytest.raises(BuildError) as failed:
        build_site(root, BuildOptions(output=tmp_path / "out"))
    assert any(p.code == "link_broken" for p in failed.value.problems)
    assert stages(root) == []
    assert (snapshot(tmp_path / "out") if (tmp_path / "out").exists() else {}) == before


def test_a_small_rebuild_keeps_its_pages_in_memory(make_site, tmp_path):
    root = make_site(CASES)
    build_site(root, BuildOptions(output=tmp_path / "out"))
    (root / "content/cases/c1/index.md").write_text(case_md(title="第1个案例", body="改过的正文。\n"), encoding="utf-8")
    result = build_site(root, BuildOptions(output=tmp_path / "out"))
    assert 0 < result.pages_rendered < pages.STAGE_FROM
    assert isinstance(result.outputs["cases/c1/index.html"], bytes)


def test_a_big_search_index_goes_to_the_stage_and_is_written_as_from_memory(make_site, tmp_path, monkeypatch):
    root = make_site(CASES)
    kept: list[str] = []
    keep = Stage.keep
    monkeypatch.setattr(Stage, "keep", lambda self, rel, data: kept.append(rel) or keep(self, rel, data))
    monkeypatch.setattr(build, "STAGE_INDEX_FROM", 1)
    result = build_site(root, BuildOptions(output=tmp_path / "staged"))
    index = sorted(rel for rel in result.outputs if rel.startswith("search/") and rel.endswith(".js"))
    assert len(index) >= 10 and sorted(rel for rel in kept if rel.startswith("search/")) == index
    assert not any(isinstance(source, Staged) for source in result.outputs.values()) and stages(root) == []
    monkeypatch.setattr(build, "STAGE_INDEX_FROM", 10**9)
    build_site(root, BuildOptions(output=tmp_path / "memory", use_cache=False))
    assert snapshot(tmp_path / "staged") == snapshot(tmp_path / "memory")
