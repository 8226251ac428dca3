"""`showcase new`'s parts on real site folders: the model sites it offers, the names already
taken, the checks of scripted options, and folders that are never overwritten."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import SITE_MD, SITE_YAML, case_md

from builder.config import load_config, parse_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache
from builder.editors.newcase import (NewCase, NewSite, SiteChoice, case_from_options, create_case, create_site,
                             model_sites, site_from_options, taken_slugs)

TODAY = dt.date(2025, 6, 1)
SITE, _ = parse_config(SITE_YAML)
SITES = [SiteChoice("fuxi-shequ", "府西社区", "城区街道"), SiteChoice("xizhai-cun", "西翟村", "城关镇")]


def printed(problems, lang="zh"):
    return [p.format(lang) for p in problems]


# --- what exists -------------------------------------------------------------------------------------

def test_model_sites_are_offered_by_folder_name_with_title_and_town(make_site):
    root = make_site({
        "content/sites/fuxi-shequ/index.md": "---\ntitle: 府西社区\nkind: 社区\ntown: 城区街道\n---\n",
        "content/sites/东关村/index.md": "---\ntitle: 东关村\nkind: 村\n---\n",
        "content/sites/renamed/index.md": "---\ntitle: 另起网址名\nkind: 村\nslug: lingqi\n---\n",
        "content/sites/badslug/index.md": "---\ntitle: 网址名不合规\nkind: 村\nslug: Bad Slug\n---\n",
        "content/sites/broken/index.md": "---\ntitle: [没闭合\n---\n",
        "content/sites/_template/index.md": "---\ntitle: 模板\n---\n",
        "content/sites/.hidden/index.md": "---\ntitle: 隐藏\n---\n",
        "content/sites/empty/readme.txt": "没有 index.md",
    })
    assert model_sites(root) == [SiteChoice("badslug", "网址名不合规"), SiteChoice("broken", "broken"),
                                 SiteChoice("dongguan-cun", "东关村"), SiteChoice("fuxi-shequ", "府西社区", "城区街道"),
                                 SiteChoice("lingqi", "另起网址名"), SiteChoice("xizhai-cun", "西翟村", "城关镇")]


def test_a_case_made_for_a_model_site_in_a_chinese_folder_builds(make_site, cli):
    root = make_site({"content/sites/东关村/index.md": "---\ntitle: 东关村\nkind: 村\n---\n\n简介。\n"},
                     with_model_site=False)
    made = cli("new", "case", "--source", root, "--title", "东关村议事会", "--site", "东关村", "--category", "农村")
    assert made.code == 0, made.err
    assert "site: dongguan-cun\n" in (root / "content/cases/dongguan-yishi-hui/index.md").read_text(encoding="utf-8")
    built = cli("build", "--source", root, "--drafts", "-q")
    assert built.code == 0, built.err
    assert (root / "output/sites/dongguan-cun/index.html").is_file()


def test_a_site_without_model_sites_offers_none(make_site):
    assert model_sites(make_site(with_model_site=False)) == []


def test_taken_names_are_the_folders_and_their_slugs(make_site):
    root = make_site({"content/cases/a/index.md": "---\ntitle: 甲\nslug: jia\n---\n",
                      "content/cases/b/index.md": "---\ntitle: [坏\n---\n",
                      "content/cases/c/photo.jpg": b"x"})
    assert taken_slugs(root, "cases") == {"a", "jia", "b", "c"}
    assert taken_slugs(root, "pages") == set()


# --- scripted options ------------------------------------------------------------------------------------

def test_a_model_site_may_be_given_by_its_title():
    case, problems = case_from_options(SITE, SITES, " 西翟村议事平台 ", "西翟村", " 农村 ", ["平安建设"], "2025-06-12",
                                       None, TODAY)
    assert problems == []
    assert case == NewCase(title="西翟村议事平台", site="xizhai-cun", site_title="西翟村", category="农村",
                           date=dt.date(2025, 6, 12), actions=("平安建设",))


@pytest.mark.parametrize("written", ["2025年6月12日", "2025/6/12", "2025.6.12", "20250612"])
def test_a_real_date_written_the_way_people_write_dates_is_taken_and_written_the_one_way_the_build_takes(written):
    case, problems = case_from_options(SITE, SITES, "标题", "xizhai-cun", "农村", [], written, None, TODAY)
    assert problems == [] and case.date == dt.date(2025, 6, 12)


@pytest.mark.parametrize("written", ["2025-6月12", "2025年6/12", "2025-02-30", "2025/2/30", "明天", "6月12日"])
def test_a_date_new_cannot_read_is_refused_with_the_build_s_message(make_site, written):
    root = make_site({"content/cases/a/index.md": case_md(date=f"'{written}'")})
    _, problems = load_content(root, load_config(root)[0], MarkdownCache(None), workers=1)
    case, refused = case_from_options(SITE, SITES, "标题", "xizhai-cun", "农村", [], written, None, TODAY)
    assert case is None and problems
    assert [p.message("zh") for p in refused] == [p.message("zh") for p in problems]


def test_without_a_date_the_case_is_dated_today():
    case, _ = case_from_options(SITE, SITES, "标题", "xizhai-cun", "农村", [], None, None, TODAY)
    assert case.date == TODAY


def test_every_wrong_option_is_reported_at_once_in_both_languages():
    case, problems = case_from_options(SITE, SITES, "标题", "xizhai", "农业", ["平安"], "6月12日", "Bad Slug", TODAY)
    assert case is None
    assert [p.message("zh") for p in problems] == [
        "示范点“xizhai”不存在——是不是“xizhai-cun”？",
        "类别“农业”未在 site.yaml 的 categories 中定义",
        "专项行动“平安”未在 site.yaml 的 actions 中定义——是不是“平安建设”？",
        "日期“6月12日”格式不对，应为 年-月-日（例如 2025-06-12）",
        "网址名（slug）“Bad Slug”只能包含小写英文字母、数字和短横线"]
    assert problems[0].hint("zh") == ("--site 写示范点的文件夹名或名称。现有：fuxi-shequ、xizhai-cun。"
                                      "要新建示范点，请先运行 showcase new site。")
    assert problems[0].format("en") == (
        "model site 'xizhai' does not exist — did you mean 'xizhai-cun'?\n"
        "    hint: --site takes a model site's folder name or title. Existing: fuxi-shequ, xizhai-cun. "
        "Create one first with showcase new site.")


def test_missing_options_are_named_before_anything_else_is_checked():
    case, problems = case_from_options(SITE, SITES, "  ", None, "农业", [], "bad", None, TODAY)
    assert case is None
    assert printed(problems) == [
        "没有在终端中运行，无法逐项询问；缺少选项：--title --site\n"
        "    提示：请补上这些选项，例如 showcase new case --title \"案例标题\" --site xizhai-cun --category 农村；"
        "或直接在命令行窗口中运行 showcase new case，按提示逐项填写。"]


def test_a_site_without_categories_says_to_declare_them_first():
    bare, _ = parse_config("title: t\ncategories: []\n")
    _, problems = case_from_options(bare, SITES, "标题", "xizhai-cun", "农村", [], None, None, TODAY)
    assert printed(problems) == ["site.yaml: site.yaml 中还没有定义任何类别（categories）\n"
                                 "    提示：请先在 site.yaml 中写上类别，例如 categories: [农村, 社区, 机关, 企业]。"]


def test_a_new_site_must_have_a_known_kind_and_a_new_name():
    site, problems = site_from_options("西翟村", "村庄", None, None, SITES)
    assert site is None
    assert [p.message("zh") for p in problems] == [
        "文件夹 content/sites/xizhai-cun/ 已经存在，为防止覆盖，没有新建",
        "“kind”的值“村庄”不在可选范围内——是不是“村”？"]
    site, problems = site_from_options(" 东关村 ", "村", " 城关镇 ", None, SITES)
    assert problems == [] and site == NewSite(title="东关村", kind="村", town="城关镇")


# --- the folders ---------------------------------------------------------------------------------------

def test_a_new_case_and_its_new_model_site_are_created_together(make_site):
    root = make_site(with_model_site=False)
    case = NewCase(title="东关村“一约四会”", site="", category="农村", date=TODAY,
                   new_site=NewSite(title="东关村", kind="村"), site_title="东关村")
    created, problems = create_case(root, case, [])
    assert problems == []
    assert created.site == root / "content/sites/dongguan-cun/index.md"
    assert created.path == root / "content/cases/dongguan-yiyue-sihui/index.md"
    assert "site: dongguan-cun\n" in created.path.read_text(encoding="utf-8")


def test_a_folder_that_differs_only_in_capitals_is_not_overwritten(make_site):
    root = make_site({"content/cases/XiZhai-YiShi/index.md": "---\ntitle: 旧的\n---\n"})
    case = NewCase(title="议事", site="xizhai-cun", category="农村", date=TODAY, slug="xizhai-yishi")
    created, problems = create_case(root, case, SITES)
    assert created is None
    assert printed(problems) == [
        "文件夹 content/cases/xizhai-yishi/ 已经存在，为防止覆盖，没有新建\n"
        "    提示：请用 --slug 换一个网址名（只用小写英文字母、数字和短横线），或者先确认这个文件夹是不是已经写好的内容。"]
    assert (root / "content/cases/XiZhai-YiShi/index.md").read_text(encoding="utf-8") == "---\ntitle: 旧的\n---\n"


def test_a_model_site_whose_name_has_nothing_to_spell_asks_for_a_slug(make_site):
    root = make_site()
    created, problems = create_site(root, NewSite(title="——", kind="村"))
    assert created is None
    assert printed(problems) == ["无法从“——”生成网址名\n"
                                 "    提示：请用 --slug 指定一个网址名，只用小写英文字母、数字和短横线，例如 --slug xizhai-yishi。"]
    assert sorted(p.name for p in (root / "content/sites").iterdir()) == ["xizhai-cun"]


def test_a_second_model_site_of_the_same_name_gets_the_next_free_folder(make_site):
    root = make_site()
    created, problems = create_site(root, NewSite(title="西翟村", kind="村"))
    assert problems == [] and created.folder == root / "content/sites/xizhai-cun-2"
    assert (root / "content/sites/xizhai-cun/index.md").read_text(encoding="utf-8") == SITE_MD


def test_the_templates_leave_no_field_unfilled_and_a_site_without_a_town_has_no_town_line():
    from builder.editors.newcase import case_text, site_text
    case = case_text(NewCase(title="标题", site="xizhai-cun", category="农村", date=TODAY, actions=("平安建设",)))
    assert "$" not in case and case.startswith('---\ntitle: "标题"\nsite: xizhai-cun\ndate: 2025-06-01\n')
    assert case.count("【填写提示】") == 4
    assert "\ntown:" not in site_text(NewSite(title="东关", kind="社区"))
    assert "\ntown: 城关\n" in site_text(NewSite(title="东关", kind="社区", town="城关"))
