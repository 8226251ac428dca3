"""The Markdown and front matter caches of a build are read only when a build converts more
than a few documents (content/deferred.py): a first build fills them, a rebuild after a few
edits neither reads nor saves them, and one that converts many reads them and saves them."""
from __future__ import annotations

import json
from pathlib import Path

from builder.build import BuildOptions, build_site
from builder.content.deferred import FEW, DeferredFrontMatterCache, DeferredMarkdownCache
from builder.content.markdown import MarkdownCache, digest
from conftest import case_md

CASES = FEW + 4


def site_of(make_site) -> Path:
    return make_site({f"content/cases/c{n}/index.md": case_md(title=f"案例{n}", body=f"第{n}个案例的正文。\n")
                      for n in range(CASES)})


def build(root: Path) -> None:
    build_site(root, BuildOptions(output=root / "out", workers=1))


def edit(root: Path, numbers) -> None:
    for n in numbers:
        path = root / f"content/cases/c{n}/index.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")


def test_a_first_build_fills_the_caches(make_site):
    root = site_of(make_site)
    build(root)
    assert len(json.loads((root / ".cache/markdown.json").read_text(encoding="utf-8"))) == CASES + 1
    assert len(json.loads((root / ".cache/front-matter.json").read_text(encoding="utf-8"))) == CASES + 1


def test_a_rebuild_after_a_few_edits_does_not_read_the_caches(make_site):
    root = site_of(make_site)
    build(root)
    for name in ("markdown.json", "front-matter.json"):
        (root / ".cache" / name).write_text("not read", encoding="utf-8")
    edit(root, range(FEW))
    build(root)
    assert (root / ".cache/markdown.json").read_text(encoding="utf-8") == "not read"
    assert (root / ".cache/front-matter.json").read_text(encoding="utf-8") == "not read"
    assert "补充一句" in (root / "out/cases/c0/index.html").read_text(encoding="utf-8")


def test_a_rebuild_that_converts_many_documents_reads_and_saves_the_caches(make_site):
    root = site_of(make_site)
    build(root)
    edit(root, range(CASES))
    build(root)
    stored = json.loads((root / ".cache/markdown.json").read_text(encoding="utf-8"))
    assert len(stored) == CASES + 1                  # the edited bodies, and the model site's: nothing else
    body = (root / "content/cases/c3/index.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert digest(body, "zh-CN") in stored


def test_a_deferred_cache_is_read_on_first_use_and_keeps_what_was_marked_used(tmp_path):
    path = tmp_path / "markdown.json"
    full = MarkdownCache(path)
    full.render_all(["甲。", "乙。"], workers=1)
    full.save()
    cache = DeferredMarkdownCache(path)
    assert cache.unread
    cache.used.add(digest("甲。"))
    cache.save()                                     # never read: the file stays as it was
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2
    assert cache.render_all(["丙。"], workers=1)[0].html == "<p>丙。</p>"
    assert not cache.unread
    cache.save()
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {digest("甲。"), digest("丙。")}


def test_a_deferred_front_matter_cache_parses_as_the_cache_does(tmp_path):
    cache = DeferredFrontMatterCache(tmp_path / "missing.json")
    parsed, problems = cache.parse("title: 甲\n", "a.md")
    assert parsed.value == {"title": "甲"} and problems == []
    assert not cache.unread
