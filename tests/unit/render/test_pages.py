import datetime as dt

import pytest

from builder.model import Document, Photo, Rendition
from builder.render.pages import Links, date_text, rewrite_body


@pytest.mark.parametrize("page, target, href", [
    ("index.html", "", "index.html"),
    ("index.html", "cases/", "cases/index.html"),
    ("cases/a/index.html", "cases/b/", "../b/index.html"),
    ("cases/a/index.html", "", "../../index.html"),
    ("cases/a/index.html", "static/style.css", "../../static/style.css"),
    ("tags/x/page/2/index.html", "tags/x/", "../../index.html"),
    ("404.html", "cases/", "cases/index.html"),
])
def test_relative_links_work_from_disk(page, target, href):
    assert Links("/", "/", True, page).url(target) == href


def test_rooted_links_carry_the_base_path():
    links = Links("https://x.gov.cn/show/", "/show/", False, "cases/a/index.html")
    assert links.url("cases/b/") == "/show/cases/b/"
    assert links.url("/cases/b/#做法") == "/show/cases/b/#做法"
    assert links.url("https://other.cn/") == "https://other.cn/"
    assert links.absolute("feed.xml") == "https://x.gov.cn/show/feed.xml"


def test_dates_read_the_chinese_way():
    assert date_text(dt.date(2025, 6, 12), "zh-CN") == "2025年6月12日"
    assert date_text(dt.date(2025, 6, 12), "en") == "June 12, 2025"


def test_body_rewrites_rooted_links_and_bundle_figures():
    photo = Photo(src="content/cases/a/p.jpg", name="p.jpg", caption="说明",
                  renditions=(Rendition("cases/a/p-480w.x.jpg", 480, 360, "jpeg"),))
    doc = Document(source="content/cases/a/index.md", slug="a", title="t", photos=(photo,),
                   body_html='<p><a href="/cases/b/">b</a></p><figure class="figure" data-photo="p.jpg">'
                             '<img alt="图注" src="p.jpg" /><figcaption>图注</figcaption></figure>')
    links = Links("/sub/", "/sub/", False, "cases/a/index.html")
    out = rewrite_body(doc, links, lambda p, caption: f"<picture:{p.name}:{caption}>")
    assert '<a href="/sub/cases/b/">b</a>' in out
    assert "<picture:p.jpg:图注>" in out


# --- the base digest: what every page is made from besides its own lookups ------------------------

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from builder.build import BuildOptions, build_site  # noqa: E402
from builder.render.pages import base_digest  # noqa: E402
from builder.render.theme import load_theme, packaged_themes_dir, static_outputs  # noqa: E402
from tests.conftest import case_md, snapshot  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
DIGEST_SITE = {
    "content/cases/a/index.md": case_md(tags="[调解室, 人民调解, 议事]", actions="[平安建设, 强村富民]",
                                        extra="{联系人: 张三, 电话: [1, 2], 奖项: {2023: 市级, 2024: 省级}}"),
    "content/cases/b/index.md": case_md(title="小张村集体经济", date="2023-01-01", category="社区",
                                        tags="[议事, 集体经济]", actions="[强村富民]"),
    "content/cases/c/index.md": case_md(title="第三个案例", date="2022-03-04", tags="[调解室]"),
    "content/pages/about.md": "---\ntitle: 关于\n---\n\n关于本站。\n",
}

RECORD = """
import json, sys
from pathlib import Path
from builder.build import BuildOptions, build_site
from builder.store.output_record import OutputRecord
from builder.store.state import read_state
root, out = Path(sys.argv[1]), Path(sys.argv[2])
build_site(root, BuildOptions(output=out, workers=1))
_, _, pages, _, _ = read_state(OutputRecord.file_for(root / ".cache/state", out.resolve()))
print(json.dumps({path: [repr(tokens), key.hex(), repr(parts)] for path, (identity, tokens, key, parts) in sorted(pages.items())}))
"""


def digest_of(root: Path, **options) -> bytes:
    model = build_site(root, BuildOptions(write=False, use_cache=False, **options)).model
    theme, problems = load_theme(root, model.site.theme)
    assert not problems
    return base_digest(model, theme, static_outputs(theme)[0])


def test_two_builds_in_fresh_processes_record_the_same_reads_and_keys_for_every_page(make_site, tmp_path):
    root = make_site(DIGEST_SITE)
    found = []
    for seed in ("1", "2", "random"):       # string hashing (set and dict order) differs per process
        shutil.rmtree(root / ".cache", ignore_errors=True)
        proc = subprocess.run([sys.executable, "-c", RECORD, str(root), str(tmp_path / f"out-{seed}")], capture_output=True,
                              text=True, check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed})
        found.append({path: value for path, value in json.loads(proc.stdout).items()})
    assert found[0] == found[1] == found[2]
    assert "cases/a/index.html" in found[0]


def _own_theme(root: Path) -> Path:
    theme = root / "themes/default"
    shutil.copytree(packaged_themes_dir() / "default", theme)
    return theme


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = {
    "a UI string of the site's own theme": lambda root: _edit(
        root / "themes/default/i18n/zh-CN.yaml", "skip_to_content: 跳到正文", "skip_to_content: 跳至正文"),
    "a template of the site's own": lambda root: (root / "templates").mkdir() or shutil.copy(
        packaged_themes_dir() / "default/templates/404.html", root / "templates/404.html"),
    "a template of the site's own theme": lambda root: _edit(
        root / "themes/default/templates/404.html", "</", "<!-- 本站 --></"),
    "an asset": lambda root: _edit(root / "themes/default/static/style.css", "{", "{ "),
    "a new static file": lambda root: (root / "static").mkdir() or (root / "static/logo.css").write_text(
        "a{}", encoding="utf-8"),
    "the site's base_url": lambda root: _edit(root / "site.yaml", "base_url: /", "base_url: https://x.gov.cn/show/"),
}
PER_PAGE = {
    "a case's text": lambda root: _edit(root / "content/cases/b/index.md", "村里搭建了议事平台。", "村里搭建了议事厅。"),
    "a case's extra": lambda root: _edit(root / "content/cases/a/index.md", "张三", "李四"),
}


def test_ui_strings_of_another_language_do_not_change_the_base_digest(make_site):
    root = make_site(DIGEST_SITE)
    theme = _own_theme(root)
    before = digest_of(root)
    _edit(theme / "i18n/en.yaml", "Skip to content", "Skip to the content")      # the site is in zh-CN
    assert digest_of(root) == before
    _edit(root / "site.yaml", "title:", "language: en\ntitle:")
    english = digest_of(root)
    _edit(theme / "i18n/en.yaml", "Skip to the content", "Skip to content")
    assert digest_of(root) != english


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_base_digest_changes_with_everything_every_page_is_made_from(make_site, change):
    root = make_site(DIGEST_SITE)
    _own_theme(root)
    before = digest_of(root)
    assert digest_of(root) == before
    CHANGES[change](root)
    assert digest_of(root) != before


@pytest.mark.parametrize("change", list(PER_PAGE))
def test_what_one_page_shows_is_not_in_the_base_digest_but_renders_that_page_again(make_site, tmp_path, change):
    root = make_site(DIGEST_SITE)
    before = digest_of(root)
    build_site(root, BuildOptions(output=tmp_path / "out"))
    PER_PAGE[change](root)
    assert digest_of(root) == before
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    assert again.pages_rendered > 0 and again.pages_kept > 0
    build_site(root, BuildOptions(output=tmp_path / "fresh", use_cache=False))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


def test_the_base_url_given_on_the_command_line_changes_the_base_digest(make_site):
    root = make_site(DIGEST_SITE)
    assert digest_of(root) != digest_of(root, base_url="https://x.gov.cn/show/")
    assert digest_of(root) != digest_of(root, relative=True)


def test_a_file_beside_the_templates_that_no_page_reads_does_not_change_the_base_digest(make_site):
    root = make_site(DIGEST_SITE)
    theme = _own_theme(root)
    before = digest_of(root)
    (theme / "README.txt").write_text("说明", encoding="utf-8")
    assert digest_of(root) == before


def _rendered(result) -> set[str]:
    """The pages a build rendered (a kept page is listed as its file, a Path)."""
    return {rel for rel, page in result.outputs.items() if isinstance(page, bytes) and rel.endswith(".html")
            and not rel.startswith(("static/", "search/d/", "search/h/", "search/k/"))}


def test_a_body_edit_renders_only_that_cases_page_the_booklet_pages_that_show_it_and_the_search_page(
        make_site, tmp_path):
    root = make_site(DIGEST_SITE)
    build_site(root, BuildOptions(output=tmp_path / "out"))
    body = root / "content/cases/b/index.md"           # a paragraph after the first (the summary's)
    body.write_text(body.read_text(encoding="utf-8") + "\n## 做法\n\n每月开一次议事会。\n", encoding="utf-8")
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    # Lists, the home page, the neighbours' pages and the terms' pages read the case's head (its
    # title, summary …) and which cases there are: neither changed.
    assert _rendered(again) == {"cases/b/index.html", "booklet/index.html", "booklet/shequ/index.html",
                                "search/index.html"}


def test_a_title_edit_renders_the_pages_that_show_that_cases_title(make_site, tmp_path):
    root = make_site(DIGEST_SITE)
    build_site(root, BuildOptions(output=tmp_path / "out"))
    _edit(root / "content/cases/b/index.md", "小张村集体经济", "小张村集体经济发展")
    again = build_site(root, BuildOptions(output=tmp_path / "out"))
    rendered = _rendered(again)
    assert {"cases/b/index.html", "cases/index.html", "index.html", "booklet/index.html"} <= rendered
    assert "categories/nongcun/index.html" not in rendered      # lists a and c only: nothing of b
    build_site(root, BuildOptions(output=tmp_path / "fresh", use_cache=False))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")
