"""The gate's memo (gate/memo.py) gives a rebuild what the last build found, and only where
everything it was found from is unchanged: a document's text problems under the document and
the rules, a kept page's addresses of other hosts under its page key and the site's host. Each
test that proves a result is reused plants a result no real check gives, so that it fails if
the memo is not used; each that proves one is not reused changes one input."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.assemble import Selection, assemble
from builder.checks.sitewide import check_hosts
from builder.config import load_config
from builder.content.load import ContentMemo, load_content
from builder.content.markdown import MarkdownCache
from builder.errors import Problem
from builder.gate.memo import GateMemo, decode, encode
from builder.gate.rules import _remembering, content_problems, link_problems
from builder.store.state import write_state
from conftest import SITE_YAML, case_md

TODAY = dt.date(2025, 6, 1)
PLANTED = ("content/cases/b/index.md", 7, "placeholder_left", (("word", "XXX"), ("context", "planted")), "error")


def gate(root: Path, memo: GateMemo | None, links: bool = False) -> list[Problem]:
    """content_problems of the site at `root`, as a build runs them (with the content memo's
    origins); with `links`, link_problems too (against the pages the build would make)."""
    site, _ = load_config(root)
    loaded = ContentMemo()
    content, _ = load_content(root, site, MarkdownCache(None), workers=1, memo=loaded)
    model, _ = assemble(site, content, Selection(today=TODAY))
    problems = content_problems(root, model, set(), memo, loaded.origins())
    return problems + (link_problems(root, model, None, set(), None, memo) if links else [])


def codes(problems: list[Problem]) -> list[tuple]:
    return [(p.path, p.code) for p in problems]


def two_cases(make_site, body_a: str = "村里搭建了议事平台。\n", site_yaml: str = SITE_YAML, **files) -> Path:
    return make_site({"content/cases/a/index.md": case_md(title="甲", body=body_a),
                      "content/cases/b/index.md": case_md(title="乙"), **files}, site_yaml=site_yaml)


def planted(memo: GateMemo) -> GateMemo:
    """The next build's memo, with a problem planted in the entry of case b."""
    later = GateMemo()
    later.documents = dict(memo.used_documents)
    assert len(later.documents) == 3                     # both cases and the model site
    for key, (head, tail, refers) in later.documents.items():
        if not head and not tail:
            later.documents[key] = ((PLANTED,), (), refers)
    return later


def test_an_unchanged_document_s_problems_come_from_the_memo(make_site):
    root = two_cases(make_site)
    memo = GateMemo()
    assert gate(root, memo) == gate(root, None) == []
    later = planted(memo)
    found = gate(root, later)
    assert ("content/cases/b/index.md", "placeholder_left") in codes(found)
    assert later.hits == 3


def test_an_edited_document_is_checked_again(make_site):
    root = two_cases(make_site)
    memo = GateMemo()
    gate(root, memo)
    path = root / "content/cases/a/index.md"
    path.write_text(case_md(title="甲", body="村里搭建了议事平台，待补充。\n"), encoding="utf-8")
    later = GateMemo()
    later.documents = dict(memo.used_documents)
    assert codes(gate(root, later)) == [("content/cases/a/index.md", "placeholder_left")]
    assert later.hits == 2


def test_documents_are_checked_again_under_another_word_list(make_site):
    root = two_cases(make_site, site_yaml=SITE_YAML + "  words: words.txt\n", **{"words.txt": "议事协商\n"})
    memo = GateMemo()
    assert gate(root, memo) == []
    (root / "words.txt").write_text("议事平台\n", encoding="utf-8")
    later = planted(memo)
    found = codes(gate(root, later))
    assert found.count(("content/cases/a/index.md", "word_forbidden")) == 1
    assert ("content/cases/b/index.md", "placeholder_left") not in found          # not the planted one
    assert later.hits == 0


def test_documents_are_checked_again_under_another_shortest_body(make_site):
    root = two_cases(make_site)
    memo = GateMemo()
    gate(root, memo)
    (root / "site.yaml").write_text(SITE_YAML.replace("min_body_chars: 0", "min_body_chars: 50"), encoding="utf-8")
    later = planted(memo)
    found = codes(gate(root, later))
    assert found.count(("content/cases/b/index.md", "body_too_short")) == 1
    assert ("content/cases/b/index.md", "placeholder_left") not in found


def test_a_body_known_to_hold_no_link_is_not_parsed_for_links(make_site):
    root = two_cases(make_site, body_a="见[说明](/cases/nowhere/)。\n")
    memo = GateMemo()
    assert codes(gate(root, memo, links=True)) == [("content/cases/a/index.md", "link_broken")]
    later = GateMemo()
    later.documents = {key: (head, tail, False) for key, (head, tail, _) in memo.used_documents.items()}
    assert gate(root, later, links=True) == []                     # taken from the memo: not parsed
    (root / "content/cases/b/index.md").write_text(case_md(title="乙", body="见[这里](/cases/gone/)。\n"),
                                                   encoding="utf-8")
    again = GateMemo()
    again.documents = dict(memo.used_documents)
    assert sorted(codes(gate(root, again, links=True))) == [("content/cases/a/index.md", "link_broken"),
                                                             ("content/cases/b/index.md", "link_broken")]


def test_photo_files_are_looked_at_in_every_build(make_site):
    yaml = SITE_YAML + "  max_photo_mb: 0.1\n"
    root = make_site({"content/cases/a/index.md": case_md(title="甲", photos="[photo-1.jpg]"),
                      "content/cases/a/photo-1.jpg": b"\xff\xd8" + b"\0" * 100}, site_yaml=yaml)
    memo = GateMemo()
    assert gate(root, memo) == []
    (root / "content/cases/a/photo-1.jpg").write_bytes(b"\xff\xd8" + b"\0" * 200_000)
    later = GateMemo()
    later.documents = dict(memo.used_documents)
    assert codes(gate(root, later)) == [("content/cases/a/index.md", "photo_too_large")]
    assert later.hits == 2


def test_problems_go_through_the_state_file_unchanged(tmp_path):
    problem = Problem("content/cases/a/index.md", 9, "word_forbidden", {"word": "某词", "context": "…某词…", "count": 2})
    assert decode(encode(problem)) == problem
    assert encode(Problem("a.md", 1, "link_broken", {"url": "/x/", "kind": object()})) is None
    memo = GateMemo(tmp_path / "gate.marshal")
    memo.keep_document(b"k" * 16, [problem], [], True)
    memo.keep_page("index.html", b"p" * 20, "example.gov.cn", ("https://cdn.example.com/a.js",))
    memo.save()
    again = GateMemo.load(tmp_path / "gate.marshal")
    assert again.document(b"k" * 16) == ([problem], [], True)
    assert again.page("index.html", b"p" * 20, "example.gov.cn") == ("https://cdn.example.com/a.js",)


def test_a_damaged_or_foreign_state_file_is_ignored(tmp_path):
    path = tmp_path / "gate.marshal"
    path.write_bytes(b"\x00not marshal")
    assert GateMemo.load(path).documents == {}
    write_state(path, ("example.gov.cn", {b"k": "not a pair"}, {"index.html": ("no key",)}))
    memo = GateMemo.load(path)
    assert memo.document(b"k") is None
    assert memo.page("index.html", b"p" * 20, "example.gov.cn") is None


# --- pages ---------------------------------------------------------------------------------------

KEY = b"k" * 20
STORED = ("https://cdn.example.com/planted.js",)


def hosts(memo: GateMemo, outputs: dict, keys: dict, base_url: str = "https://example.gov.cn/") -> list[tuple]:
    from builder.model import Site
    site = Site(title="t", base_url=base_url)
    found = check_hosts(site, outputs, {}, set(), _remembering(memo, keys))
    return [(p.path, p.params["url"]) for p in found]


def remembered() -> GateMemo:
    memo = GateMemo()
    memo.own_host = "example.gov.cn"
    memo.pages = {"cases/a/index.html": (KEY, STORED)}
    return memo


def test_a_kept_page_with_its_key_is_not_read_again(tmp_path):
    memo = remembered()
    kept = {"cases/a/index.html": tmp_path / "not-there.html"}          # kept: a file, not bytes
    assert hosts(memo, kept, {"cases/a/index.html": ((), (), KEY)}) == [("output/cases/a/index.html", STORED[0])]
    assert memo.used_pages == {"cases/a/index.html": (KEY, STORED)}


def test_a_page_is_read_again_under_another_key_or_host_or_when_rendered(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b'<html><script src="https://other.example.com/x.js"></script></html>')
    seen = [("output/cases/a/index.html", "https://other.example.com/x.js")]
    assert hosts(remembered(), {"cases/a/index.html": page}, {"cases/a/index.html": ((), (), b"x" * 20)}) == seen
    assert hosts(remembered(), {"cases/a/index.html": page}, {"cases/a/index.html": ((), (), KEY)},
                 base_url="https://another.gov.cn/") == seen
    assert hosts(remembered(), {"cases/a/index.html": page.read_bytes()}, {"cases/a/index.html": ((), (), KEY)}) == seen
    assert hosts(remembered(), {"cases/a/index.html": page}, {}) == seen


def test_a_rendered_page_s_addresses_are_kept_under_its_key():
    memo = GateMemo()
    page = b'<html><img src="https://img.example.com/a.jpg"></html>'
    hosts(memo, {"cases/a/index.html": page, "static/x.css": b"body{}"}, {"cases/a/index.html": ((), (), KEY)})
    assert memo.used_pages == {"cases/a/index.html": (KEY, ("https://img.example.com/a.jpg",))}
    assert memo.own_host == "example.gov.cn"


def test_a_rebuild_reads_only_the_pages_it_rendered_for_other_hosts(make_site, tmp_path, monkeypatch):
    """End to end, with the render stage's page records: a body edit re-renders a few pages, and
    only those are read for addresses of other hosts; the rest come from the memo."""
    import builder.gate.rules as rules
    from builder.build import BuildOptions, build_site
    root = two_cases(make_site, **{f"content/cases/c{n}/index.md": case_md(title=f"丙{n}") for n in range(8)})
    out = tmp_path / "out"
    build_site(root, BuildOptions(output=out))
    read: list[str] = []
    real = rules.fetched_elsewhere
    monkeypatch.setattr(rules, "fetched_elsewhere", lambda path, data, host: read.append(path) or real(path, data, host))
    (root / "content/cases/a/index.md").write_text(case_md(title="甲", body="村里搭建了议事平台，又添了一句。\n"), encoding="utf-8")
    result = build_site(root, BuildOptions(output=out))
    pages = [path for path in result.outputs if path.endswith(".html")]
    read_pages = [path for path in read if path.endswith(".html")]     # (theme files are read every time)
    assert read_pages and len(read_pages) <= result.pages_rendered < len(pages) / 2
