"""build_site with a Session: what the preview keeps between builds changes nothing in the output."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, case_md, snapshot

from builder.build import BuildOptions, Session, build_site, template_files
from builder.render.theme import load_theme


def test_a_build_with_a_session_writes_exactly_what_a_build_without_one_writes(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙", date="2024-06-01")})
    session = Session()
    build_site(root, BuildOptions(output=tmp_path / "with"), session)
    build_site(root, BuildOptions(output=tmp_path / "with"), session)
    build_site(root, BuildOptions(output=tmp_path / "without"))
    assert snapshot(tmp_path / "with") == snapshot(tmp_path / "without")


def test_the_session_keeps_the_template_environment_until_a_template_file_changes(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md()})
    theme, _ = load_theme(root, "default")
    session = Session()
    env = session.env(theme)
    assert session.env(theme) is env

    override = root / "templates" / "robots.txt"       # a new file overriding a theme template
    override.parent.mkdir()
    override.write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    theme, _ = load_theme(root, "default")            # templates/ now exists: one more folder
    assert session.env(theme) is not env
    build_site(root, BuildOptions(output=tmp_path / "out"), session)
    assert (tmp_path / "out/robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"

    env = session.env(theme)
    override.write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    assert session.env(theme) is not env
    build_site(root, BuildOptions(output=tmp_path / "out"), session)
    assert (tmp_path / "out/robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"


def test_template_files_lists_every_file_of_every_template_folder(make_site):
    root = make_site({"templates/partials/extra.html": "x"})
    theme, _ = load_theme(root, "default")
    names = [Path(name).name for name, _, _ in template_files(theme)[1]]
    assert "extra.html" in names and "case.html" in names
    assert len(names) == 1 + sum(1 for p in (REPO / "themes/default/templates").rglob("*") if p.is_file())


# --- the edited pages first (the preview) --------------------------------------------------------

def _preview_options(output: Path) -> BuildOptions:
    return BuildOptions(output=output, preview=True, drafts=True, future=True)


def test_a_preview_build_after_an_edit_writes_what_a_fresh_build_of_the_edited_site_writes(make_site, tmp_path):
    from builder.build import ShowFirst
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙", date="2024-06-01")})
    session = Session()
    build_site(root, _preview_options(tmp_path / "preview"), session)
    index = root / "content/cases/a/index.md"
    index.write_text(case_md(title="甲改", body="## 新的情况\n\n改过了。\n"), encoding="utf-8")
    shown = []
    build_site(root, _preview_options(tmp_path / "preview"), session, ShowFirst([str(index)], shown.append))
    build_site(root, _preview_options(tmp_path / "fresh"))
    written = snapshot(tmp_path / "preview")
    assert written == snapshot(tmp_path / "fresh")
    assert sorted(shown[0].pages) == ["cases/a/index.html", "index.html"]
    assert all(written[path] == page for path, page in shown[0].pages.items())
    assert "改过了" in shown[0].pages["cases/a/index.html"].decode()


def test_the_pages_first_are_those_of_the_changed_files_and_bundles(make_site, tmp_path):
    from builder.build import first_sources
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙"),
                      "content/pages/about.md": "---\ntitle: 关于\n---\n\n关于。\n"})
    model = build_site(root, BuildOptions(output=tmp_path / "out")).model
    assert first_sources(root, model, [str(root / "content/cases/a/index.md")], 8) == {"content/cases/a/index.md"}
    assert first_sources(root, model, [str(root / "content/cases/b/new photo.jpg"), "content/pages/about.md"], 8) == {
        "content/cases/b/index.md", "content/pages/about.md"}
    assert first_sources(root, model, [str(root / "content/sites/xizhai-cun")], 8) == {"content/sites/xizhai-cun/index.md"}
    assert first_sources(root, model, [str(root / "site.yaml"), str(root / "templates/case.html")], 8) == set()
    assert first_sources(root, model, [str(root / "content/cases/a/index.md"), str(root / "content/cases/b/index.md")], 1) == set()


def test_a_page_that_shows_the_search_version_is_not_handed_over_before_the_search_index(make_site, tmp_path):
    from builder.build import ShowFirst
    theme_case = (REPO / "themes/default/templates/case.html").read_text(encoding="utf-8")
    root = make_site({"content/cases/a/index.md": case_md(),
                      "templates/case.html": theme_case.replace("{% endblock %}", "{{ model.search_version }}{% endblock %}", 1)})
    shown = []
    result = build_site(root, _preview_options(tmp_path / "out"), Session(),
                        ShowFirst([str(root / "content/cases/a/index.md")], shown.append))
    assert list(shown[0].pages) == ["index.html"]
    assert result.model.search_version in (tmp_path / "out/cases/a/index.html").read_text(encoding="utf-8")
    assert f'v":"{result.model.search_version}"' in (tmp_path / "out/search/manifest.js").read_text(encoding="utf-8")


def test_a_build_without_pages_to_show_first_does_not_call_back(make_site, tmp_path):
    from builder.build import ShowFirst
    root = make_site({"content/cases/a/index.md": case_md()})
    shown = []
    build_site(root, _preview_options(tmp_path / "out"), Session(), ShowFirst([str(root / "site.yaml")], shown.append))
    assert shown == []


def test_a_session_keeps_every_cache_entry_the_build_used_though_it_parsed_one_file(make_site, tmp_path):
    import json
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙")})
    session = Session()
    build_site(root, BuildOptions(output=tmp_path / "out"), session)
    (root / "content/cases/a/index.md").write_text(case_md(title="甲改"), encoding="utf-8")
    build_site(root, BuildOptions(output=tmp_path / "out"), session)
    session_files = {name: json.loads((root / ".cache" / name).read_text(encoding="utf-8"))
                     for name in ("markdown.json", "front-matter.json")}
    build_site(root, BuildOptions(output=tmp_path / "out"))      # reads every file, no session
    for name, entries in session_files.items():
        assert entries == json.loads((root / ".cache" / name).read_text(encoding="utf-8")), name


def test_after_every_change_of_a_sequence_the_preview_writes_what_a_fresh_build_writes(make_site, tmp_path):
    import shutil
    from builder.build import ShowFirst
    from photos import jpeg_bytes
    root = make_site({"content/cases/a/index.md": case_md(title="甲", tags="[调解]"),
                      "content/cases/b/index.md": case_md(title="乙", date="2024-06-01", tags="[调解]"),
                      "content/cases/c/index.md": case_md(title="丙", date="2024-07-01")})
    session = Session()
    build_site(root, _preview_options(tmp_path / "preview"), session)
    a, b = root / "content/cases/a", root / "content/cases/b"
    steps = [
        lambda: (a / "index.md").write_text(case_md(title="甲改", tags="[调解, 志愿服务]"), encoding="utf-8"),
        lambda: (b / "新照片.jpg").write_bytes(jpeg_bytes((900, 600))),
        lambda: (b / "index.md").write_text(case_md(title="乙", date="2024-06-01", tags="[调解]", cover="新照片.jpg"),
                                            encoding="utf-8"),
        lambda: shutil.rmtree(root / "content/cases/c"),
        lambda: (root / "content/sites/xizhai-cun/index.md").write_text(
            "---\ntitle: 西翟村（改）\nkind: 村\ntown: 城关镇\n---\n\n新的简介。\n", encoding="utf-8"),
    ]
    for number, step in enumerate(steps):
        step()
        changed = [str(p) for p in root.rglob("*") if p.is_file()]      # as if everything changed
        build_site(root, _preview_options(tmp_path / "preview"), session, ShowFirst(changed, lambda pages: None, limit=100))
        build_site(root, _preview_options(tmp_path / f"fresh{number}"))
        assert snapshot(tmp_path / "preview") == snapshot(tmp_path / f"fresh{number}"), f"step {number}"


# --- pages kept between builds ---------------------------------------------------------------

def test_a_build_with_nothing_changed_renders_no_page_and_leaves_every_file_as_it_was(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md(), "content/cases/b/index.md": case_md(title="乙案例")})
    first = build_site(root, BuildOptions(output=tmp_path / "out"))
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()}
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    assert (first.pages_kept, again.pages_rendered, again.pages_kept) == (0, 0, first.pages_rendered)
    assert again.stats.written == again.stats.removed == 0
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()} == before
    build_site(root, BuildOptions(output=tmp_path / "fresh", use_cache=False))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


def test_after_a_body_edit_only_the_pages_that_show_the_case_are_rendered(make_site, tmp_path):
    def case(n: int, body: str = "正文。\n") -> str:
        return case_md(title=f"案例{n}", date=f"2023-{n % 12 + 1:02}-{n % 28 + 1:02}", tags=f"[标签{n % 8}]", body=body)
    root = make_site({f"content/cases/c{n}/index.md": case(n) for n in range(40)})
    first = build_site(root, BuildOptions(output=tmp_path / "out"))
    (root / "content/cases/c7/index.md").write_text(case(7, "新的正文。\n"), encoding="utf-8")
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    assert 0 < again.pages_rendered < first.pages_rendered / 2
    build_site(root, BuildOptions(output=tmp_path / "fresh", use_cache=False))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


@pytest.mark.parametrize("change", ["site.yaml", "a template of the site's own", "the saved state damaged",
                                    "an output file deleted", "an output file edited"])
def test_a_change_to_what_every_page_is_made_from_renders_them_again(make_site, tmp_path, change):
    root = make_site({"content/cases/a/index.md": case_md()})
    first = build_site(root, BuildOptions(output=tmp_path / "out"))
    everything = first.pages_rendered
    if change == "site.yaml":
        (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8").replace("title:", "title: 新", 1),
                                        encoding="utf-8")
    elif change == "a template of the site's own":
        theme_404 = (REPO / "themes/default/templates/404.html").read_text(encoding="utf-8")
        (root / "templates").mkdir()
        (root / "templates/404.html").write_text(theme_404 + "<!-- 本站 -->", encoding="utf-8")
    elif change == "the saved state damaged":
        for saved in (root / ".cache/state").glob("*.marshal"):
            saved.write_bytes(b"damaged")
    elif change == "an output file deleted":
        (tmp_path / "out/cases/xizhai-yishi/index.html").unlink(missing_ok=True)
        (tmp_path / "out/index.html").unlink()
        everything = 1
    else:
        (tmp_path / "out/404.html").write_text("changed by hand", encoding="utf-8")
        everything = 1
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    assert again.pages_rendered == everything
    build_site(root, BuildOptions(output=tmp_path / "fresh", use_cache=False))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


def test_check_keeps_no_state_and_renders_every_page(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md()})
    build_site(root, BuildOptions(output=tmp_path / "out"))
    state = snapshot(root / ".cache/state")
    checked = build_site(root, BuildOptions(write=False))
    assert checked.pages_kept == 0 and checked.pages_rendered > 0
    assert snapshot(root / ".cache/state") == state


def test_a_build_leaves_nothing_frozen_out_of_the_collectors_sight(tmp_path):
    """content.load freezes the memo's objects for one build; a process that builds again and
    again must not keep each build's garbage for good."""
    import gc
    from conftest import SITES
    import shutil
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    build_site(root, BuildOptions(output=tmp_path / "out"))
    before = gc.get_freeze_count()
    (root / "content").joinpath("cases").mkdir(exist_ok=True)
    build_site(root, BuildOptions(output=tmp_path / "out"))      # loads the content memo saved by the first
    assert gc.get_freeze_count() == before
