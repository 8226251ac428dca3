"""Finding the theme: a site's own theme, its templates/ and static/ folders, UI strings, asset names."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from builder.render.theme import load_theme, packaged_themes_dir, static_outputs
from tests.conftest import SITE_YAML, case_md, run_cli

PACKAGED = packaged_themes_dir() / "default"


def own_theme(root: Path, name: str = "mine") -> Path:
    """A copy of the packaged theme inside the site, as a designer would start one."""
    folder = root / "themes" / name
    shutil.copytree(PACKAGED, folder)
    return folder


def built(root: Path, rel: str) -> str:
    return (root / "output" / rel).read_text(encoding="utf-8")


def test_the_packaged_default_theme_is_found_without_any_theme_folder_in_the_site(tmp_path):
    theme, problems = load_theme(tmp_path, "default")
    assert problems == []
    assert theme.dir == PACKAGED and theme.template_dirs == (PACKAGED / "templates",)


def test_a_sites_templates_folder_comes_before_the_themes(tmp_path):
    (tmp_path / "templates").mkdir()
    theme, _ = load_theme(tmp_path, "default")
    assert theme.template_dirs == (tmp_path / "templates", PACKAGED / "templates")


def test_a_sites_own_theme_wins_over_the_packaged_one_of_the_same_name(tmp_path):
    folder = own_theme(tmp_path, "default")
    theme, problems = load_theme(tmp_path, "default")
    assert problems == [] and theme.dir == folder


def test_a_theme_folder_without_templates_is_not_a_theme(tmp_path):
    (tmp_path / "themes/default/static").mkdir(parents=True)
    theme, _ = load_theme(tmp_path, "default")
    assert theme.dir == PACKAGED
    (tmp_path / "themes/mine/static").mkdir(parents=True)
    theme, problems = load_theme(tmp_path, "mine")
    assert theme is None
    assert [p.format() for p in problems] == [
        "site.yaml: 找不到主题“mine”\n    提示：主题应位于 themes/mine/ 文件夹；不确定时把 theme 改为 default。"]


def test_a_sites_static_files_replace_the_themes_file_by_file_and_hidden_files_are_left_out(tmp_path):
    for rel, text in {"static/style.css": "body{}", "static/img/logo.svg": "<svg/>", "static/.DS_Store": "x"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    theme, _ = load_theme(tmp_path, "default")
    files = dict(theme.static_files())
    assert files["style.css"] == tmp_path / "static/style.css"
    assert files["img/logo.svg"] == tmp_path / "static/img/logo.svg"
    assert files["site.js"] == PACKAGED / "static/site.js"
    assert ".DS_Store" not in files
    assert list(files) == sorted(files)


def test_stylesheets_and_scripts_get_a_hash_of_their_bytes_in_their_name(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static/extra.css").write_bytes(b"p{color:red}")
    (tmp_path / "static/logo.png").write_bytes(b"\x89PNG")
    theme, _ = load_theme(tmp_path, "default")
    assets, files = static_outputs(theme)
    digest = hashlib.sha256(b"p{color:red}").hexdigest()[:10]
    assert assets["extra.css"] == f"static/extra.{digest}.css"
    assert files[f"static/extra.{digest}.css"] == tmp_path / "static/extra.css"
    assert assets["logo.png"] == "static/logo.png"
    assert re.fullmatch(r"static/site\.[0-9a-f]{10}\.js", assets["site.js"])
    (tmp_path / "static/extra.css").write_bytes(b"p{color:blue}")
    assert static_outputs(theme)[0]["extra.css"] != f"static/extra.{digest}.css"


def test_ui_strings_fall_back_from_region_to_language_to_chinese(tmp_path):
    theme, _ = load_theme(tmp_path, "default")
    english, problems = theme.strings("en-GB")
    assert problems == [] and english["home"] != theme.strings("zh-CN")[0]["home"]
    assert theme.strings("fr")[0] == theme.strings("zh-CN")[0]


def test_a_theme_without_strings_has_none_and_no_problem(tmp_path):
    folder = tmp_path / "themes/bare/templates"
    folder.mkdir(parents=True)
    theme, _ = load_theme(tmp_path, "bare")
    assert theme.strings("zh-CN") == ({}, [])


def test_strings_that_are_not_a_mapping_are_a_problem_naming_the_file_in_the_site(tmp_path):
    folder = own_theme(tmp_path)
    (folder / "i18n/zh-CN.yaml").write_text("- 首页\n- 案例\n", encoding="utf-8")
    theme, _ = load_theme(tmp_path, "mine")
    strings, problems = theme.strings("zh-CN")
    assert strings == {}
    assert [(p.path, p.line, p.code) for p in problems] == [("themes/mine/i18n/zh-CN.yaml", 1, "not_a_mapping")]


def test_an_empty_string_in_a_theme_is_kept_empty_not_none(tmp_path):
    folder = own_theme(tmp_path)
    (folder / "i18n/zh-CN.yaml").write_text("home: 首页\nsubtitle:\n", encoding="utf-8")
    theme, _ = load_theme(tmp_path, "mine")
    assert theme.strings("zh-CN") == ({"home": "首页", "subtitle": ""}, [])


def test_theme_files_are_named_relative_to_the_site_or_to_the_packaged_themes(tmp_path):
    own_theme(tmp_path)
    theme, _ = load_theme(tmp_path, "mine")
    assert theme.locate_file(tmp_path / "themes/mine/templates/case.html") == "themes/mine/templates/case.html"
    packaged, _ = load_theme(tmp_path, "default")
    assert packaged.locate_file(PACKAGED / "templates/case.html") == "themes/default/templates/case.html"


# --- whole builds ------------------------------------------------------------------------------

def test_a_sites_static_file_is_published_beside_the_themes(make_site):
    root = make_site({"content/cases/a/index.md": case_md(), "static/docs/说明.pdf": b"%PDF-1.4 test"})
    assert run_cli("build", "--source", root).code == 0
    assert (root / "output/static/docs/说明.pdf").read_bytes() == b"%PDF-1.4 test"
    assert (root / "output/static/favicon.svg").read_bytes() == (PACKAGED / "static/favicon.svg").read_bytes()


def test_a_sites_own_stylesheet_replaces_the_themes_in_every_page(make_site):
    css = b"body{background:#fff8e7}"
    root = make_site({"content/cases/a/index.md": case_md(), "static/style.css": css})
    assert run_cli("build", "--source", root).code == 0
    name = f"style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert (root / "output/static" / name).read_bytes() == css
    assert [p.name for p in (root / "output/static").glob("style.*.css")] == [name]
    assert f'href="/static/{name}"' in built(root, "index.html")
    assert f'href="/static/{name}"' in built(root, "cases/a/index.html")


def test_a_site_builds_with_its_own_theme_named_in_site_yaml(make_site):
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "theme: mine\n")
    folder = own_theme(root)
    page = folder / "templates/case.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<p>本站主题</p>", 1),
                    encoding="utf-8")
    result = run_cli("build", "--source", root)
    assert result.code == 0, result.err
    assert "<p>本站主题</p>" in built(root, "cases/a/index.html")
    assert "<p>本站主题</p>" not in built(root, "index.html")


def test_a_theme_named_in_site_yaml_that_does_not_exist_fails_the_build(make_site):
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "theme: fancy\n")
    result = run_cli("build", "--source", root)
    assert result.code == 1
    assert "site.yaml: 找不到主题“fancy”" in result.err
    assert not (root / "output").exists()
