"""The publishing gate, through the command line on real sites: what `check` calls an error stops
`build` (unless its item is held back anyway), a site may turn some rules into warnings but not
others, preview builds are marked as such, model sites and pages are held back like cases, and
folders that look like content are never passed over in silence."""
from __future__ import annotations

import json

import pytest

from builder.write import MARKER, output_state
from conftest import KEPT_ZH, SITE_YAML, case_md, record_review, snapshot
from photos import jpeg_bytes

PROSE = "村里搭建了议事平台，群众有事好商量，大家的事大家办。"
LONG = SITE_YAML.replace("  min_body_chars: 0 ", "  min_body_chars: 20 ")
SITE_MD = "---\ntitle: 西翟村\nkind: 村\ntown: 城关镇\n---\n\n西翟村简介。\n"


def body(extra: str = "") -> str:
    return f"## 基本情况\n\n{PROSE}\n{extra}"


def build(cli, root, *args):
    return cli("build", "--source", root, *args)


# --- one rule set ------------------------------------------------------------------------------

ERRORS = {
    "placeholder in the body": ({"body": body("\n投入资金XXX万元。\n")}, {}, 12, "还留着占位文字“XXX”：投入资金XXX万元。"),
    "placeholder in the title": ({"title": "西翟村待核实的做法"}, {}, 2, "还留着占位文字“待核实”"),
    "template hint": ({"body": body("\n【填写提示】写明成效。\n")}, {}, 12, "正文里还留着填写提示：“【填写提示】写明成效。”"),
    "forbidden word of the site's list": ({"body": body("\n这是内部资料。\n")}, {"wordlist.txt": "内部资料\n"}, 12,
                                          "出现了不允许发布的字词“内部资料”"),
    "too short a text": ({"body": "## 基本情况\n\n很短。\n"}, {}, 8, "正文只有 7 个字，少于要求的 20 个字"),
    "broken internal link": ({"body": body("\n见[另一个案例](/cases/nope/)。\n")}, {}, 12, "链接“/cases/nope/”指向的页面不存在"),
    "link to a draft": ({"body": body("\n见[草稿](/cases/draft/)。\n")},
                        {"content/cases/draft/index.md": case_md(title="草稿", draft="true")}, 12,
                        "链接“/cases/draft/”指向的案例“草稿”还没有发布"),
    "image from another host": ({"body": body("\n![图](https://img.example.com/a.jpg)\n")}, {}, 12,
                                "正文引用了其他网站的图片或文件：https://img.example.com/a.jpg"),
    "photo too large": ({"photos": "\n  - {src: big.jpg, caption: 大图}"},
                        {"content/cases/a/big.jpg": jpeg_bytes((64, 48)) + b"\0" * 120_000}, 7,
                        "照片“big.jpg”有 0.12 MB，超过了 0.1 MB 的上限"),
}


def gated_site(make_site, case: dict, files: dict, yaml_extra: str = ""):
    site_yaml = LONG.replace("review:\n", "review:\n  max_photo_mb: 0.1\n"
                             + ("  words: wordlist.txt\n" if "wordlist.txt" in files else "")) + yaml_extra
    return make_site({"content/cases/a/index.md": case_md(**{"body": body(), **case}), **files}, site_yaml=site_yaml)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_an_error_check_reports_stops_the_build_and_the_previous_output_stays(make_site, cli, name):
    case, files, line, text = ERRORS[name]
    root = gated_site(make_site, {}, {k: v for k, v in files.items() if k.startswith("content/cases/draft")})
    assert build(cli, root).code == 0
    before = snapshot(root / "output")
    bad = gated_site(make_site, case, files)
    assert bad == root
    result = build(cli, root)
    assert result.code == 1, result.out
    assert f"content/cases/a/index.md:{line}: {text}" in result.err
    assert result.err.endswith("构建失败：1 个问题\n" + KEPT_ZH)
    assert snapshot(root / "output") == before
    check = cli("check", "--source", root)
    assert check.code == 1 and f"content/cases/a/index.md:{line}: {text}" in check.err


@pytest.mark.parametrize("held", ["draft: true", "date: 2099-01-01", "review: []"])
def test_an_item_held_back_anyway_does_not_stop_the_build(make_site, cli, held):
    key, value = held.split(": ")
    case = {"title": "还没写好", "body": "## 基本情况\n\n【填写提示】写背景。XXX\n", key: value}
    files = {"content/cases/b/index.md": case_md(title="写好了", body=body())}
    root = gated_site(make_site, case, files, "publish:\n  require_review: true\n" if key == "review" else "")
    if key == "review":
        record_review(root, "content/cases/b/index.md", "初审", "复审", "终审")
        record_review(root, "content/sites/xizhai-cun/index.md", "初审", "复审", "终审")
    result = build(cli, root)
    assert result.code == 0, result.err
    assert (root / "output/cases/b/index.html").is_file() and not (root / "output/cases/a").exists()
    assert "还没写好（content/cases/a/index.md）" in result.out


def test_a_site_may_turn_a_rule_into_a_warning(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(body="## 基本情况\n\n很短。\n\n见[另一个](/cases/nope/)。\n")},
                     site_yaml=LONG + "  warnings: [body_too_short, link_broken]\n")
    result = build(cli, root)
    assert result.code == 0, result.err
    assert "content/cases/a/index.md:8: 警告：正文只有 12 个字，少于要求的 20 个字" in result.err
    assert "警告：链接“/cases/nope/”指向的页面不存在" in result.err
    check = cli("check", "--source", root)
    assert check.code == 0 and "检查通过：没有错误" in check.out
    assert "content/cases/a/index.md:8: 警告：正文只有 12 个字" in check.err and "警告：链接“/cases/nope/”" in check.err


def test_placeholders_hints_and_unsafe_html_cannot_be_turned_into_warnings(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md()},
                     site_yaml=SITE_YAML + "  warnings: [placeholder_left, hint_left, html_tag_removed, body_too_shrt]\n")
    result = build(cli, root)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if line.startswith("site.yaml")]
    assert lines == ["site.yaml:11: “placeholder_left”这项检查不能改为警告",
                     "site.yaml:11: “hint_left”这项检查不能改为警告",
                     "site.yaml:11: “html_tag_removed”这项检查不能改为警告",
                     "site.yaml:11: review: warnings: 中的“body_too_shrt”不是可以改为警告的检查项——是不是“body_too_short”？"]
    assert "content/cases" not in result.err                  # a broken site.yaml: its own problems only


def test_a_broken_site_yaml_brings_no_follow_on_errors_in_correct_case_files(make_site, cli):
    good = case_md(actions="[平安建设]", body=body())
    root = make_site({"content/cases/a/index.md": good}, site_yaml=SITE_YAML.replace("actions:\n", "actions: [\n"))
    for command in ("build", "check"):
        result = cli(command, "--source", root)
        assert result.code == 1
        assert [line.split(":")[0] for line in result.err.splitlines() if ": " in line and not line.startswith(" ")] == [
            "site.yaml"], result.err


# --- what is held back -------------------------------------------------------------------------

def test_a_draft_model_site_is_held_back_and_a_case_or_page_that_needs_it_is_a_problem(make_site, cli):
    root = make_site({
        "content/sites/xizhai-cun/index.md": SITE_MD.replace("town: 城关镇\n", "town: 城关镇\ndraft: true\n"),
        "content/cases/a/index.md": case_md(body=body()),
        "content/pages/about.md": "---\ntitle: 关于\n---\n\n示范点：[西翟村](/sites/xizhai-cun/)。\n",
    })
    result = build(cli, root)
    assert result.code == 1
    assert ("content/cases/a/index.md:3: 示范点“西翟村”还没有发布（草稿（draft: true）），这个案例发布后会链接到一个不存在的页面"
            in result.err)
    assert "content/pages/about.md:5: 链接“/sites/xizhai-cun/”指向的示范点“西翟村”还没有发布" in result.err
    (root / "content/cases/a/index.md").write_text(case_md(body=body(), draft="true"), encoding="utf-8")
    (root / "content/pages/about.md").write_text("---\ntitle: 关于\n---\n\n介绍。\n", encoding="utf-8")
    result = build(cli, root)
    assert result.code == 0, result.err
    assert not (root / "output/sites/xizhai-cun").exists()
    for page in ("index.html", "sites/index.html", "sitemap.xml"):
        assert "xizhai-cun" not in (root / "output" / page).read_text(encoding="utf-8"), page
    assert "  - 西翟村（content/sites/xizhai-cun/index.md）：草稿（draft: true）" in result.out


def test_new_site_makes_a_draft_the_build_leaves_out_until_it_is_finished(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(body=body())})
    assert cli("new", "site", "--source", root, "--title", "东关社区", "--kind", "社区").code == 0
    result = build(cli, root)
    assert result.code == 0, result.err
    assert not (root / "output/sites/dongguan-shequ").exists()
    assert "东关社区（content/sites/dongguan-shequ/index.md）：草稿（draft: true）" in result.out


def test_with_require_review_a_stale_case_is_held_back_and_without_it_the_build_warns(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(body=body())},
                     site_yaml=SITE_YAML + "publish:\n  require_review: true\n")
    record_review(root, "content/sites/xizhai-cun/index.md", "初审", "复审", "终审")
    record_review(root, "content/cases/a/index.md", "初审", "复审", "终审")
    assert build(cli, root).code == 0 and (root / "output/cases/a/index.html").is_file()
    path = root / "content/cases/a/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("大家办。", "大家一起办。"), encoding="utf-8")
    held = build(cli, root)
    assert held.code == 0, held.err
    assert not (root / "output/cases/a").exists()
    assert "  - 西翟村议事平台（content/cases/a/index.md）：改动后待重审：记录“终审”之后内容又改过" in held.out
    status = cli("status", "--source", root)
    assert "改动后待重审（终审）" in status.out
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    warned = build(cli, root)
    assert warned.code == 0 and (root / "output/cases/a/index.html").is_file()
    line = path.read_text(encoding="utf-8").split("\n").index(
        next(x for x in path.read_text(encoding="utf-8").split("\n") if "stage: 终审" in x)) + 1
    assert f"content/cases/a/index.md:{line}: 警告：内容在记录“终审”之后又改过，这条审核记录已经不对应现在的文字" in warned.err


def test_review_diff_shows_what_changed_since_the_last_stage(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(body=body())})
    assert cli("review", "a", "--source", root, "--stage", "初审", "--by", "张三", "--date", "2024-06-01").code == 0
    same = cli("review", "a", "--source", root, "--diff")
    assert same.out == "记录“初审”（2024-06-01）之后，content/cases/a/index.md 没有改动。\n"
    path = root / "content/cases/a/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("大家办。", "大家一起办。\n\n新加的一段。")
                    .replace("\n", "\r\n"), encoding="utf-8")
    diff = cli("review", "a", "--source", root, "--diff")
    assert diff.code == 0
    assert diff.out == ("记录“初审”（2024-06-01）之后，content/cases/a/index.md 有 1 处改动：\n"
                        "第 12 行附近：\n"
                        "  删去：村里搭建了议事平台，群众有事好商量，大家的事大家办。\n"
                        "  加上：村里搭建了议事平台，群众有事好商量，大家的事大家一起办。\n"
                        "  加上：\n"
                        "  加上：新加的一段。\n")
    english = cli("review", "a", "--source", root, "--diff", "--lang", "en")
    assert english.out.startswith("content/cases/a/index.md has 1 change since '初审' was recorded (2024-06-01):\n")
    (root / "content/cases/a/.reviewed.md").unlink()
    lost = cli("review", "a", "--source", root, "--diff")
    assert "找不到当时保存的审核稿（.reviewed.md）" in lost.out


def test_review_records_on_the_item_named_and_nowhere_else(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(title="同名"), "content/cases/b/index.md": case_md(title="同名")})
    before = snapshot(root)
    result = cli("review", "同名", "--source", root, "--stage", "初审", "--by", "张三")
    assert result.code == 1
    assert result.err.startswith("“同名”对应不止一项，没有记录审核：content/cases/a/index.md（同名）、content/cases/b/index.md（同名）\n")
    assert snapshot(root) == before
    assert cli("review", "西翟村", "--source", root, "--stage", "初审", "--by", "张三").code == 0
    assert "stage: 初审" in (root / "content/sites/xizhai-cun/index.md").read_text(encoding="utf-8")


# --- preview builds ----------------------------------------------------------------------------

def test_a_build_with_drafts_is_marked_as_a_preview_and_a_plain_build_clears_it(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(body=body()),
                      "content/cases/d/index.md": case_md(title="草稿案例", draft="true"),
                      "content/pages/p.md": "---\ntitle: 草稿页\ndraft: true\n---\n\n正文。\n"})
    preview = build(cli, root, "--drafts")
    assert preview.code == 0, preview.err
    assert ("注意：这次用了 --drafts 生成，" in preview.err and "只能用来预览，不能复制到网站服务器。" in preview.err)
    assert "复制到网站服务器" not in preview.out
    assert "草稿：这个案例尚未正式发布" in (root / "output/cases/d/index.html").read_text(encoding="utf-8")
    assert "草稿：这个页面尚未正式发布" in (root / "output/pages/p/index.html").read_text(encoding="utf-8")
    state = output_state(root / "output")
    assert (state.made_by_showcase, state.preview, state.complete, state.publishable) == (True, True, True, False)
    assert json.loads((root / "output" / MARKER).read_text(encoding="utf-8"))["preview"] is True
    plain = build(cli, root)
    assert plain.code == 0 and "复制到网站服务器" in plain.out and "只能用来预览" not in plain.err
    assert output_state(root / "output").publishable
    assert not (root / "output/cases/d").exists()
    future = build(cli, root, "--future", "-q")
    assert "--future" in future.err and output_state(root / "output").preview


def test_a_folder_showcase_did_not_write_is_not_publishable(tmp_path):
    assert not output_state(tmp_path / "nothing-here").made_by_showcase
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("x", encoding="utf-8")
    assert output_state(tmp_path / "site") == output_state(tmp_path / "nothing-here")
    (tmp_path / "site" / MARKER).write_text('{"generator": "showcase", "files": ["index.html"]}', encoding="utf-8")
    old = output_state(tmp_path / "site")            # a marker from before showcase recorded how it built
    assert old.made_by_showcase and not old.publishable


# --- folders that look like content ----------------------------------------------------------------

@pytest.mark.parametrize("name, data, problem", [
    ("index.md.txt", case_md(), "content/cases/b/index.md.txt: 这个文件的名字是“index.md.txt”，不是 index.md，所以这个文件夹不会发布"),
    ("案例.md", case_md(), "content/cases/b/案例.md: 文件夹里的文字文件叫“案例.md”，不是 index.md，所以这个文件夹不会发布"),
    ("照片1.jpg", b"\xff\xd8", "content/cases/b: 警告：这个文件夹里只有 1 张照片，没有 index.md，不会发布"),
    ("说明.docx", b"PK", "content/cases/b: 文件夹中没有 index.md，不会发布（里面有：说明.docx）"),
])
def test_a_folder_without_index_md_is_named_in_build_check_and_status(make_site, cli, name, data, problem):
    root = make_site({"content/cases/a/index.md": case_md(body=body()), f"content/cases/b/{name}": data})
    for command in ("build", "check", "status"):
        result = cli(command, "--source", root)
        assert problem in result.err, (command, result.err)
        assert result.code == (0 if "警告" in problem and command != "check" else 1) or command == "check"


def test_new_case_turns_a_folder_of_photos_into_a_case_that_lists_them(make_site, cli):
    root = make_site({"content/cases/西翟村照片/IMG_10.jpg": jpeg_bytes((64, 48)),
                      "content/cases/西翟村照片/IMG_2.jpg": jpeg_bytes((64, 48))})
    warned = build(cli, root)
    assert "运行 showcase new case --slug 西翟村照片，为它生成 index.md" in warned.err
    made = cli("new", "case", "--source", root, "--title", "议事", "--site", "西翟村", "--category", "农村",
               "--slug", "西翟村照片")
    assert made.code == 0, made.err
    text = (root / "content/cases/西翟村照片/index.md").read_text(encoding="utf-8")
    assert '  - src: IMG_2.jpg\n    caption: ""\n  - src: IMG_10.jpg\n    caption: ""\n' in text
    assert build(cli, root, "--drafts").code == 0


# --- the rest --------------------------------------------------------------------------------------

def test_a_bad_date_is_one_problem_and_the_files_other_fields_are_still_checked(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(date="2025-13-40", category="农业", titel="x")})
    result = build(cli, root)
    problems = [line for line in result.err.splitlines() if line.startswith("content/")]
    assert problems == ["content/cases/a/index.md:4: 日期“2025-13-40”不存在：月份应为 1–12，这里写的是 13",
                        "content/cases/a/index.md:5: 类别“农业”未在 site.yaml 的 categories 中定义",
                        "content/cases/a/index.md:6: 未知的设置项“titel”——是不是“title”？"]
    english = build(cli, root, "--lang", "en")
    assert "content/cases/a/index.md:4: the date '2025-13-40' does not exist: the month must be 1–12, not 13" in english.err


def test_serve_with_a_port_that_does_not_exist_is_a_usage_error(make_site, cli):
    root = make_site()
    result = cli("serve", "--source", root, "--port", "99999")
    assert result.code == 2
    assert "端口 99999 不存在：--port 应为 1 到 65535 之间的数字" in result.err
