"""build_site with a Session: what the preview keeps between builds changes nothing in the output."""
from __future__ import annotations

from pathlib import Path

from conftest import REPO, case_md, snapshot

from builder.build import BuildOptions, Session, build_site, template_files
from builder.theme import load_theme


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
