"""Building real sites through the CLI: the sample site, small sites, and every bad input."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import KEPT_ZH, REPO, SITE_YAML, case_md, snapshot

SHARED_BENCH = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def build(cli, root: Path, *args: str):
    return cli("build", "--source", root, *args)


# --- good sites --------------------------------------------------------------------------------

def test_sample_site_builds_every_case_site_and_page(cli, copy_site):
    root = copy_site("sample")
    result = build(cli, root)
    assert result.code == 0, result.err
    out = root / "output"
    cases = sorted(p.parent.name for p in (root / "content/cases").glob("*/index.md"))
    assert len(cases) >= 15
    for slug in cases:
        html = (out / "cases" / slug / "index.html").read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in html
        assert "<picture>" in html, f"{slug} shows no photo"
    for slug in (p.parent.name for p in (root / "content/sites").glob("*/index.md")):
        assert (out / "sites" / slug / "index.html").is_file()
    for name in ("index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt", "cases/index.html", "sites/index.html"):
        assert (out / name).is_file(), name
    assert "构建完成" in result.out and "个案例" in result.out
    assert "预览：运行 showcase serve --source" in result.out


def test_build_reports_counts_and_second_build_writes_nothing(cli, copy_site):
    root = copy_site("basic")
    first = build(cli, root)
    second = build(cli, root)
    assert first.code == second.code == 0
    assert "新写入 0" in second.out and "删除 0" in second.out


def test_generated_benchmark_corpus_builds_without_a_problem(cli, tmp_path):
    if not SHARED_BENCH.is_file():
        pytest.skip(f"corpus generator not found at {SHARED_BENCH}")
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(SHARED_BENCH), str(root), "--cases", "40", "--photos-per-case", "0"],
                   check=True, capture_output=True)
    result = build(cli, root)
    assert result.code == 0, result.err
    assert len(list((root / "output/cases").glob("*/index.html"))) == 40


def test_home_page_lists_featured_latest_categories_and_actions(cli, copy_site):
    root = copy_site("basic")
    assert build(cli, root).code == 0
    home = (root / "output/index.html").read_text(encoding="utf-8")
    for text in ("西翟村“基层智理”议事平台", "府西社区“府西夜话”", "平安建设", "强村富民", "农村", "社区"):
        assert text in home
    assert "尚未发布的草稿案例" not in home


def test_case_page_has_breadcrumb_facts_gallery_and_neighbours(cli, copy_site):
    root = copy_site("basic")
    assert build(cli, root).code == 0
    html = (root / "output/cases/xizhai-yishi/index.html").read_text(encoding="utf-8")
    assert 'aria-label="当前位置"' in html
    assert '<a href="/showcase/sites/xizhai-cun/">西翟村</a>' in html
    assert "2024年5月1日" in html
    assert '<a class="chip" href="/showcase/tags/yishixieshang/">议事协商</a>' in html
    assert "<figcaption>议事会现场</figcaption>" in html            # body figure with its caption
    assert '<a rel="prev" href="/showcase/cases/fuxi-yehua/">' in html  # the newer case
    assert '<table>' in html and 'id="基本情况"' in html             # tables; Chinese heading ids
    assert '<a href="/showcase/cases/fuxi-yehua/">府西夜话</a>' in html  # rooted body link under the subpath


def test_drafts_and_future_cases_are_left_out_unless_asked(cli, make_site):
    root = make_site({
        "content/cases/now/index.md": case_md(title="今天的案例"),
        "content/cases/draft/index.md": case_md(title="草稿案例", draft="true"),
        "content/cases/later/index.md": case_md(title="未来的案例", date="2999-01-01"),
    })
    assert build(cli, root).code == 0
    assert sorted(p.name for p in (root / "output/cases").iterdir() if p.is_dir()) == ["now"]
    assert build(cli, root, "--drafts", "--future").code == 0
    assert sorted(p.name for p in (root / "output/cases").iterdir() if p.is_dir()) == ["draft", "later", "now"]
    listing = (root / "output/cases/index.html").read_text(encoding="utf-8")
    assert listing.count('<span class="flag">草稿</span>') == 1       # a build marks no date as future


def test_chinese_folder_names_become_pinyin_urls_and_slug_wins(cli, make_site):
    root = make_site({
        "content/sites/府西社区/index.md": "---\ntitle: 府西社区\nkind: 社区\n---\n",
        "content/cases/府西夜话/index.md": case_md(site="fuxi-shequ", category="社区"),
        "content/cases/other/index.md": case_md(title="另一个", slug="my-case"),
    })
    result = build(cli, root)
    assert result.code == 0, result.err
    assert (root / "output/sites/fuxi-shequ/index.html").is_file()
    assert (root / "output/cases/fuxixiehua/index.html").is_file() or (root / "output/cases/fuxiyehua/index.html").is_file()
    assert (root / "output/cases/my-case/index.html").is_file()


def test_pagination_splits_long_lists(cli, make_site):
    files = {f"content/cases/c{i:02d}/index.md": case_md(title=f"案例{i}", date=f"2024-01-{i + 1:02d}") for i in range(5)}
    root = make_site(files, site_yaml=SITE_YAML + "paginate: 2\n")
    assert build(cli, root).code == 0
    out = root / "output"
    assert (out / "cases/page/3/index.html").is_file() and not (out / "cases/page/4").exists()
    first = (out / "cases/index.html").read_text(encoding="utf-8")
    assert "案例4" in first and "案例0" not in first       # newest first
    assert 'rel="next" href="/cases/page/2/"' in first


def test_site_templates_override_theme_templates_file_by_file(cli, make_site):
    root = make_site({
        "content/cases/a/index.md": case_md(),
        "templates/404.html": "<!doctype html><title>自定义</title><p>自定义的404页面</p>\n",
    })
    assert build(cli, root).code == 0
    assert "自定义的404页面" in (root / "output/404.html").read_text(encoding="utf-8")
    assert "西翟村议事平台" in (root / "output/cases/a/index.html").read_text(encoding="utf-8")


def test_init_creates_a_site_that_builds(cli, tmp_path):
    target = tmp_path / "新网站"
    assert cli("init", target).code == 0
    result = build(cli, target)
    assert result.code == 0, result.err
    assert not (target / "output/cases/example-case").exists()        # an example is a draft until rewritten
    assert cli("build", "--source", target, "--drafts").code == 0
    assert (target / "output/cases/example-case/index.html").is_file()
    again = cli("init", target)
    assert again.code == 1 and "已经是一个网站了" in again.err


def test_build_never_modifies_sources(cli, copy_site):
    root = copy_site("basic")
    before = {k: v for k, v in snapshot(root).items() if not k.startswith(("output/", ".cache/"))}
    assert build(cli, root).code == 0
    after = {k: v for k, v in snapshot(root).items() if not k.startswith(("output/", ".cache/"))}
    assert before == after


# --- bad input ---------------------------------------------------------------------------------

GOOD_CASE = case_md(title="好的案例", date="2024-01-01")

BAD_INPUTS = {
    "yaml_syntax": ({"content/cases/bad/index.md": "---\ntitle: 坏\nsite: [xizhai-cun\n---\n正文\n"},
                    "content/cases/bad/index.md:3", "格式错误"),
    "missing_field": ({"content/cases/bad/index.md": "---\ntitle: 坏\nsite: xizhai-cun\ndate: 2024-01-01\n---\n"},
                      "content/cases/bad/index.md:2", "缺少必填项“category”"),
    "wrong_type": ({"content/cases/bad/index.md": case_md(featured="'是'")},
                   "content/cases/bad/index.md:6", "“featured”应为true 或 false"),
    "bad_date": ({"content/cases/bad/index.md": case_md(date="2024/5/1")},
                 "content/cases/bad/index.md:4", "日期“2024/5/1”格式不对"),
    "unknown_key": ({"content/cases/bad/index.md": case_md(titel="x")},
                    "content/cases/bad/index.md:6", "未知的设置项“titel”——是不是“title”？"),
    "unknown_site": ({"content/cases/bad/index.md": case_md(site="xizhai")},
                     "content/cases/bad/index.md:3", "示范点“xizhai”不存在——是不是“xizhai-cun”？"),
    "unknown_category": ({"content/cases/bad/index.md": case_md(category="农业")},
                         "content/cases/bad/index.md:5", "类别“农业”未在 site.yaml 的 categories 中定义"),
    "unknown_action": ({"content/cases/bad/index.md": case_md(actions="[平安]")},
                       "content/cases/bad/index.md:6", "专项行动“平安”未在 site.yaml 的 actions 中定义——是不是“平安建设”？"),
    "duplicate_slug": ({"content/cases/bad/index.md": case_md(slug="good")},
                       "content/cases/bad/index.md:6", "与 content/cases/good/index.md 生成同一个网址 /cases/good/"),
    "photo_missing": ({"content/cases/bad/index.md": case_md(photos="\n  - src: 照片1.jpg\n    caption: 图")},
                      "content/cases/bad/index.md:7", "图片“照片1.jpg”不存在"),
    "template_error": ({"templates/case.html": "{% extends 'base.html' %}\n{% block content %}\n{{ case.no_such_field }}\n{% endblock %}\n"},
                       "templates/case.html:3", "模板错误"),
    "template_syntax": ({"templates/page.html": "{% if %}\n"}, "templates/page.html:1", "模板错误"),
    "not_utf8": ({"content/cases/bad/index.md": case_md(title="西翟村").encode("gbk")},
                 "content/cases/bad/index.md", "GBK"),
    "site_yaml": ({"site.yaml": SITE_YAML + "colour: red\n"}, "site.yaml:11", "未知的设置项“colour”"),
}


@pytest.mark.parametrize("written", ["2024年6月12日", "2024/6/12", "2024.6.12", "20240612"])
def test_build_suggests_the_iso_form_of_a_date_written_the_chinese_or_slash_way(cli, make_site, written):
    root = make_site({"content/cases/good/index.md": GOOD_CASE,
                      "content/cases/bad/index.md": case_md(title="日期写法不对", date=written)})
    result = build(cli, root)
    assert result.code == 1
    assert (f"content/cases/bad/index.md:4: 日期“{written}”格式不对，应为 年-月-日，请改为 2024-06-12\n"
            "    提示：把这一行改成 date: 2024-06-12（月和日用两位数字，中间用英文短横线）。") in result.err, result.err
    assert result.err.endswith("构建失败：1 个问题\n" + KEPT_ZH)
    assert not (root / "output").exists()


def test_build_in_english_suggests_the_iso_form_of_a_date(cli, make_site):
    root = make_site({"content/cases/bad/index.md": case_md(date="2024年6月12日")})
    result = build(cli, root, "--lang", "en")
    assert result.code == 1
    assert ("content/cases/bad/index.md:4: date '2024年6月12日' is not in the form YYYY-MM-DD: write it as 2024-06-12\n"
            "    hint: change the line to date: 2024-06-12") in result.err, result.err


def test_build_does_not_guess_a_date_that_does_not_exist(cli, make_site):
    root = make_site({"content/cases/bad/index.md": case_md(date="2024/2/30")})
    result = build(cli, root)
    assert result.code == 1
    assert "content/cases/bad/index.md:4: 日期“2024/2/30”不存在：2024 年 2 月只有 29 天，没有 30 日" in result.err
    assert "请改为 20" not in result.err


def test_build_explains_an_english_colon_in_a_title_in_chinese(cli, make_site):
    root = make_site({"content/cases/bad/index.md": "---\ntitle: 人居环境整治: 三年行动\nsite: xizhai-cun\n---\n"})
    result = build(cli, root)
    assert result.code == 1
    assert ("content/cases/bad/index.md:2: 格式错误：这里不能出现冒号（文字中含英文冒号时，请给整段文字加引号）\n"
            "    提示：检查这一行及上一行") in result.err, result.err


def test_a_list_that_holds_itself_is_a_problem_with_the_list_not_a_crash(cli, make_site):
    root = make_site({"content/cases/a/index.md": case_md(tags="&x [调解, *x]")})
    result = build(cli, root)
    assert result.code == 1
    assert result.err.startswith("content/cases/a/index.md:6: “tags[2]”应为文字，现在是列表\n"), result.err


TAGS_TWICE = ("---\ntitle: 西翟村议事平台\nsite: xizhai-cun\ndate: 2024-05-01\ntags: [调解]\ncategory: 农村\n"
              "summary: 摘要\nsource: 镇党委\ntags: [志愿服务]\n---\n\n正文。\n")


def test_a_key_written_twice_in_a_case_is_a_problem_at_its_second_line_build_after_build(cli, make_site):
    root = make_site({"content/cases/a/index.md": TAGS_TWICE})
    for _ in range(2):                                     # the second time with the caches of the first
        result = build(cli, root)
        assert result.code == 1
        assert result.err == ("content/cases/a/index.md:9: “tags”写了两次（第 5 行和第 9 行），只能保留一个\n"
                              "    提示：把两处“tags”的内容合并到一处（例如把标签都写进同一个列表），再删掉多余的那一行。\n"
                              "构建失败：1 个问题\n" + KEPT_ZH)
    english = build(cli, root, "--lang", "en")
    assert english.err.splitlines()[0] == "content/cases/a/index.md:9: 'tags' is written twice (lines 5 and 9); keep one"


def test_a_key_written_twice_after_a_clean_build_is_a_problem_in_the_preview_too(make_site):
    from builder.build import BuildOptions, Session, build_site
    from builder.errors import BuildError
    root = make_site({"content/cases/a/index.md": TAGS_TWICE.replace("tags: [志愿服务]\n", "")})
    session = Session()
    build_site(root, BuildOptions(workers=1), session=session)
    (root / "content/cases/a/index.md").write_text(TAGS_TWICE, encoding="utf-8")
    for _ in range(2):                                     # the second time from the session's memo
        with pytest.raises(BuildError) as failed:
            build_site(root, BuildOptions(workers=1), session=session)
        assert [(p.path, p.line, p.code) for p in failed.value.problems] == [("content/cases/a/index.md", 9, "duplicate_key")]
    assert session.content.hits >= 2


def test_a_key_written_twice_in_site_yaml_is_a_problem_naming_both_lines(cli, make_site):
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "title: 另一个名字\n")
    result = build(cli, root)
    assert result.code == 1
    assert "site.yaml:11: “title”写了两次（第 1 行和第 11 行），只能保留一个\n" in result.err, result.err


def test_a_key_written_twice_in_a_themes_strings_is_a_problem_naming_the_file(cli, make_site):
    import shutil
    from builder.render.theme import packaged_themes_dir
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "theme: mine\n")
    shutil.copytree(packaged_themes_dir() / "default", root / "themes/mine")
    strings = root / "themes/mine/i18n/zh-CN.yaml"
    strings.write_text(strings.read_text(encoding="utf-8") + "home: 主页\n", encoding="utf-8")
    result = build(cli, root)
    assert result.code == 1
    assert re.search(r"themes/mine/i18n/zh-CN\.yaml:\d+: “home”写了两次（第 \d+ 行和第 \d+ 行）", result.err), result.err


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_fails_naming_the_file_and_keeps_previous_output(cli, make_site, name):
    files, location, text = BAD_INPUTS[name]
    root = make_site({"content/cases/good/index.md": GOOD_CASE, "content/pages/about.md": "---\ntitle: 关于\n---\n"})
    assert build(cli, root).code == 0
    before = snapshot(root / "output")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
    result = build(cli, root)
    assert result.code == 1
    assert location in result.err, result.err
    assert text in result.err, result.err
    assert "提示" in result.err
    assert result.err.endswith("个问题\n" + KEPT_ZH)
    assert snapshot(root / "output") == before


def test_all_problems_of_a_build_are_reported_together(cli, make_site):
    root = make_site({
        "content/cases/a/index.md": case_md(date="昨天"),
        "content/cases/b/index.md": "---\ntitle: [\n---\n",
        "content/cases/c/index.md": case_md(category="农业", site="nowhere"),
    })
    result = build(cli, root)
    assert result.code == 1
    for where in ("content/cases/a/index.md:4", "content/cases/b/index.md:2", "content/cases/c/index.md:3",
                  "content/cases/c/index.md:5"):
        assert where in result.err
    assert "构建失败：4 个问题" in result.err


def test_messages_are_in_english_on_request(cli, make_site):
    root = make_site({"content/cases/a/index.md": case_md(date="2024/1/1")})
    result = build(cli, root, "--lang", "en")
    assert result.code == 1
    assert "date '2024/1/1' is not in the form YYYY-MM-DD" in result.err
    assert "Build failed with 1 problem" in result.err


def test_missing_site_yaml_says_how_to_start(cli, tmp_path):
    result = build(cli, tmp_path)
    assert result.code == 1
    assert "找不到网站配置文件 site.yaml" in result.err and "showcase init" in result.err


# --- the output folder guard ---------------------------------------------------------------------

@pytest.mark.parametrize("target, reason", [
    (".", "就是网站文件夹"),
    ("content", "就是content/ 文件夹"),
    ("content/out", "位于content/ 文件夹里面"),
    ("..", "包含了网站文件夹"),
    ("foreign", "不是 showcase 生成的"),
])
def test_build_refuses_a_dangerous_output_folder(cli, make_site, target, reason):
    root = make_site({"content/cases/a/index.md": case_md()})
    (root / "foreign").mkdir()
    (root / "foreign/报告.docx").write_bytes(b"important")
    before = snapshot(root.parent)
    result = build(cli, root, "--output", root / target)
    assert result.code == 1
    assert reason in result.err.replace("site/ 文件夹", "site/ 文件夹"), result.err
    assert snapshot(root.parent) == before


# --- determinism, links, subpaths ----------------------------------------------------------------

def test_same_input_gives_byte_identical_output(cli, copy_site, tmp_path):
    root = copy_site("basic")
    assert build(cli, root, "--output", tmp_path / "one").code == 0
    # a second build from a clean cache must agree byte for byte
    import shutil
    shutil.rmtree(root / ".cache")
    assert build(cli, root, "--output", tmp_path / "two").code == 0
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one == two


LINK = re.compile(r'(?:href|src)="([^"]+)"|srcset="([^"]+)"')


def internal_links(html: str) -> list[str]:
    links = []
    for href, srcset in LINK.findall(html):
        if srcset:
            links += [part.strip().split(" ")[0] for part in srcset.split(",")]
        else:
            links.append(href)
    return [l for l in links if not l.startswith(("http://", "https://", "mailto:", "#", "data:"))]


def crawl(out: Path, prefix: str, relative: bool) -> list[str]:
    """Every internal link of every page, resolved against the output folder: the broken ones."""
    broken = []
    for page in out.rglob("*.html"):
        for link in internal_links(page.read_text(encoding="utf-8")):
            path = link.split("#")[0].split("?")[0]
            if not path:
                continue
            if relative:
                assert not path.startswith("/") or page.name == "404.html", f"{page}: rooted link {link} in relative mode"
                if path.startswith("/"):
                    continue
                target = (page.parent / path).resolve()
            else:
                assert path.startswith(prefix), f"{page}: {link} does not start with {prefix}"
                target = out / path[len(prefix):]
            if target.is_dir() or path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(out)} -> {link}")
    return broken


@pytest.mark.parametrize("base_url, prefix", [("/", "/"), ("https://example.gov.cn/showcase/", "/showcase/"),
                                              ("https://example.gov.cn/a/b/", "/a/b/")])
def test_no_internal_link_is_broken_at_root_or_under_a_subpath(cli, copy_site, base_url, prefix):
    root = copy_site("sample")
    assert build(cli, root, "--base-url", base_url).code == 0
    assert crawl(root / "output", prefix, relative=False) == []
    not_found = (root / "output/404.html").read_text(encoding="utf-8")
    assert f'href="{prefix}static/style.' in not_found       # the 404 page works at any depth


def test_relative_build_works_from_disk(cli, copy_site):
    root = copy_site("basic")
    assert build(cli, root, "--relative").code == 0
    out = root / "output"
    assert crawl(out, "", relative=True) == []
    case = (out / "cases/xizhai-yishi/index.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in case and 'href="../../static/style.' in case


def test_served_site_answers_every_sitemap_url(cli, copy_site, static_server, tmp_path):
    import urllib.request
    root = copy_site("basic")
    parent = tmp_path / "www"
    assert build(cli, root, "--output", parent / "showcase").code == 0
    base = static_server(parent)
    sitemap = (parent / "showcase/sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>https://example.gov.cn/showcase/([^<]*)</loc>", sitemap)
    assert len(locs) > 10
    for loc in locs:
        with urllib.request.urlopen(base + "showcase/" + loc) as response:
            assert response.status == 200


# --- consoles and processes ----------------------------------------------------------------------

def test_console_output_survives_a_gbk_console(make_site):
    root = make_site({"content/cases/a/index.md": case_md(**{"标题😀": "x"})})
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    proc = subprocess.run([sys.executable, "-m", "builder", "build", "--source", str(root)],
                          capture_output=True, env=env, cwd=root)
    err = proc.stderr.decode("gbk")
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert "未知的设置项“标题?”" in err


def test_the_command_leaves_at_once_yet_every_line_reaches_a_pipe(make_site):
    # python -m builder ends with os._exit: whatever is buffered must be flushed before it.
    root = make_site({"content/cases/a/index.md": case_md()})
    good = subprocess.run([sys.executable, "-m", "builder", "build", "--source", str(root)],
                          capture_output=True, cwd=root)
    assert good.returncode == 0
    assert good.stdout.decode("utf-8").count("\n") == 3 and "构建完成：1 个案例" in good.stdout.decode("utf-8")
    (root / "site.yaml").write_text("title: [\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "builder", "build", "--source", str(root)], capture_output=True, cwd=root)
    assert bad.returncode == 1 and bad.stderr.decode("utf-8").endswith("构建失败：1 个问题\n" + KEPT_ZH)


def test_parallel_build_works_with_the_spawn_start_method(tmp_path):
    if not SHARED_BENCH.is_file():
        pytest.skip(f"corpus generator not found at {SHARED_BENCH}")
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(SHARED_BENCH), str(root), "--cases", "160", "--photos-per-case", "0"],
                   check=True, capture_output=True)
    code = ("import multiprocessing as mp, sys\n"
            "if __name__ == '__main__':\n"
            "    mp.set_start_method('spawn')\n"
            "    from builder.cli.main import main\n"
            f"    sys.exit(main(['build', '--source', {str(root)!r}, '-q']))\n")
    script = tmp_path / "spawn_build.py"
    script.write_text(code, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert len(list((root / "output/cases").glob("*/index.html"))) == 160


def test_console_script_is_installed():
    proc = subprocess.run([sys.executable, "-m", "builder", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("showcase ")


def test_an_english_site_uses_the_themes_english_strings(cli, make_site):
    root = make_site({"content/cases/a/index.md": case_md(date="2024-06-12")},
                     site_yaml=SITE_YAML.replace("base_url: /", "base_url: /\nlanguage: en"))
    assert build(cli, root).code == 0
    html = (root / "output/cases/a/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "June 12, 2024" in html and "Skip to content" in html


def test_a_broken_theme_strings_file_is_a_problem_naming_it(cli, make_site):
    import shutil
    from builder.render.theme import packaged_themes_dir
    root = make_site({"content/cases/a/index.md": case_md()}, site_yaml=SITE_YAML + "theme: mine\n")
    shutil.copytree(packaged_themes_dir() / "default", root / "themes/mine")
    (root / "themes/mine/i18n/zh-CN.yaml").write_text("home: 首页\nbroken: 草稿：说明: 内容\n", encoding="utf-8")
    result = build(cli, root)
    assert result.code == 1
    assert "themes/mine/i18n/zh-CN.yaml:2: 格式错误" in result.err


def test_a_rebuild_with_nothing_new_does_not_load_pypinyin_and_a_first_build_lets_it_go(copy_site):
    """Slugs and search pinyin come from the cache: the 0.4 s dictionary load is spared; a build
    that needed it drops it once the slugs are made (57 MB)."""
    root = copy_site("basic")
    code = ("import sys\nfrom pathlib import Path\nfrom builder.build import build_site\n"
            "imported = set()\n"
            "sys.addaudithook(lambda event, args: imported.add(args[0]) if event == 'import' else None)\n"
            f"build_site(Path({str(root)!r}))\nprint('pypinyin' in imported, 'pypinyin' in sys.modules)\n")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True False", "False False"), first.stderr + again.stderr


def test_slug_memo_from_another_pypinyin_version_is_ignored(tmp_path):
    import json
    from builder import slugs
    memo = tmp_path / "slugs.json"
    memo.write_text(json.dumps({"version": "slug-0/0.0", "slugs": {"t:测试名称": "wrong"}}), encoding="utf-8")
    slugs.load_memo(memo)
    assert slugs.slugify("测试名称") == "ceshimingcheng"


def test_an_edited_template_is_used_although_compiled_templates_are_cached(cli, make_site):
    root = make_site({"content/cases/a/index.md": case_md(), "templates/404.html": "<p>第一版</p>\n"})
    assert build(cli, root).code == 0
    assert any((root / ".cache").glob("jinja-*/*.cache"))
    (root / "templates/404.html").write_text("<p>第二版</p>\n", encoding="utf-8")
    assert build(cli, root).code == 0
    assert (root / "output/404.html").read_text(encoding="utf-8") == "<p>第二版</p>\n"


def test_a_reader_that_goes_away_ends_the_command_quietly(make_site):
    root = make_site({"content/cases/a/index.md": case_md()})
    proc = subprocess.Popen([sys.executable, "-m", "builder", "build", "--source", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    proc.stdout.close()                            # as `showcase build | head -0` would
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait() == 1 and "Traceback" not in err and "BrokenPipeError" not in err
    assert (root / "output/cases/a/index.html").is_file()
