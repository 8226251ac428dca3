"""Stage 3 on real sites read from files: which cases are published, in what order, what each
taxonomy holds and at which address, and what an editor reads about a wrong reference."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import SITE_YAML, case_md, record_review

from builder.assemble import Selection, assemble
from builder.config import load_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache
from builder.gate.standing import standings

TODAY = dt.date(2025, 6, 1)
REVIEWED = "\n  - {stage: 初审, by: 甲, date: 2025-05-01}\n  - {stage: 复审, by: 乙, date: 2025-05-02}" \
           "\n  - {stage: 终审, by: 丙, date: 2025-05-03}"
SECOND_SITE = "---\ntitle: 府西社区\nkind: 社区\ntown: 城区街道\n---\n\n简介。\n"
SITE_MD_AGAIN = "---\ntitle: 西翟村\nkind: 村\n---\n\n同名的另一个示范点。\n"
FIRST_SITE_WITH_TOWN = "---\ntitle: 西翟村\nkind: 村\ntown: 城关镇\n---\n\n简介。\n"


def assembled(root: Path, **selection):
    site, problems = load_config(root)
    assert problems == []
    content, problems = load_content(root, site, MarkdownCache(None), workers=1)
    model, found = assemble(site, content, Selection(today=TODAY, **selection),
                            standing=standings(root, site, content, TODAY))
    return model, problems + found


def printed(problems, lang="zh"):
    return [p.format(lang) for p in problems]


# --- references ------------------------------------------------------------------------------------

def test_a_model_site_written_by_its_title_is_that_model_site(make_site):
    root = make_site({"content/cases/a/index.md": case_md(site="西翟村")})
    model, problems = assembled(root)
    assert problems == []
    assert [c.site for c in model.cases] == ["xizhai-cun"]
    assert [c.title for c in model.cases_by_site["xizhai-cun"]] == ["西翟村议事平台"]


def test_a_title_two_model_sites_share_names_neither(make_site):
    root = make_site({"content/cases/a/index.md": case_md(site="西翟村"),
                      "content/sites/xizhai-2/index.md": SITE_MD_AGAIN})
    _, problems = assembled(root)
    assert printed(problems) == [
        "content/cases/a/index.md:3: 有几个示范点都叫“西翟村”，无法确定是哪一个\n"
        "    提示：请写示范点的文件夹名：xizhai-2、xizhai-cun。"]


def test_a_misspelt_model_site_gets_the_closest_folder_name(make_site):
    root = make_site({"content/cases/a/index.md": case_md(site="xizhai-cn"),
                      "content/sites/fuxi-shequ/index.md": SECOND_SITE})
    _, problems = assembled(root)
    assert [p.message("zh") for p in problems] == ["示范点“xizhai-cn”不存在——是不是“xizhai-cun”？"]
    assert problems[0].hint("zh").endswith("现有：fuxi-shequ、xizhai-cun。")


def test_an_undeclared_category_and_action_are_reported_on_their_lines(make_site):
    root = make_site({"content/cases/a/index.md": case_md(category="农业", actions="[平安建设, 强村]")})
    _, problems = assembled(root)
    assert printed(problems) == [
        "content/cases/a/index.md:5: 类别“农业”未在 site.yaml 的 categories 中定义\n"
        "    提示：可用的类别：农村、社区、机关、企业。如需新类别，请先加到 site.yaml 的 categories 里。",
        "content/cases/a/index.md:6: 专项行动“强村”未在 site.yaml 的 actions 中定义——是不是“强村富民”？\n"
        "    提示：可用的专项行动：平安建设、强村富民。"]


def test_an_explicit_slug_that_takes_another_folders_address_is_the_one_reported(make_site):
    root = make_site({"content/cases/good/index.md": case_md(title="先有的"),
                      "content/cases/a-new-one/index.md": case_md(title="后来的", slug="good")})
    _, problems = assembled(root)
    assert printed(problems) == [
        "content/cases/a-new-one/index.md:6: 与 content/cases/good/index.md 生成同一个网址 /cases/good/\n"
        "    提示：两个内容的网址名（slug）相同。请修改其中一个的文件夹名，或在信息头中写不同的 slug:。"]


def test_two_chinese_folder_names_with_the_same_pinyin_clash_and_say_so(make_site):
    root = make_site({"content/cases/议事/index.md": case_md(title="甲"),
                      "content/cases/异事/index.md": case_md(title="乙")})
    _, problems = assembled(root)
    assert [p.code for p in problems] == ["duplicate_url"]
    assert {problems[0].path, problems[0].params["other"]} == {"content/cases/议事/index.md", "content/cases/异事/index.md"}
    assert problems[0].params["url"] == "/cases/yishi/"


def test_a_draft_with_an_unknown_site_is_still_reported(make_site):
    root = make_site({"content/cases/a/index.md": case_md(site="nowhere", draft="true")})
    _, problems = assembled(root)
    assert [p.code for p in problems] == ["unknown_site"]


# --- what is published -----------------------------------------------------------------------------

@pytest.fixture
def mixed(make_site):
    root = make_site({
        "content/cases/published/index.md": case_md(title="已发布", date="2025-05-01"),
        "content/cases/draft/index.md": case_md(title="草稿", date="2025-05-01", draft="true"),
        "content/cases/later/index.md": case_md(title="定时", date="2025-06-02"),
        "content/cases/today/index.md": case_md(title="今天", date="2025-06-01"),
        "content/cases/reviewed/index.md": case_md(title="审完", date="2025-04-01"),
    })
    record_review(root, "content/cases/reviewed/index.md", "初审", "复审", "终审")
    record_review(root, "content/sites/xizhai-cun/index.md", "初审", "复审", "终审")
    return root


def test_drafts_and_cases_dated_after_today_are_held_back(mixed):
    model, problems = assembled(mixed)
    assert problems == []
    assert [c.title for c in model.cases] == ["今天", "已发布", "审完"]
    assert [c.title for c in model.held_back] == ["定时", "草稿"]


def test_drafts_and_future_cases_are_published_when_asked_for(mixed):
    model, _ = assembled(mixed, drafts=True, future=True)
    assert [c.title for c in model.cases] == ["定时", "今天", "已发布", "草稿", "审完"]
    assert model.held_back == ()


def test_with_review_required_only_cases_through_the_last_stage_are_published(mixed):
    model, _ = assembled(mixed, require_review=True)
    assert [c.title for c in model.cases] == ["审完"]
    assert [c.title for c in model.held_back] == ["定时", "今天", "已发布", "草稿"]
    assert [s.title for s in model.sites] == ["西翟村"]


def test_with_review_required_an_unreviewed_model_site_is_held_back_and_its_published_case_is_a_problem(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="审完")})
    record_review(root, "content/cases/a/index.md", "初审", "复审", "终审")
    (root / "site.yaml").write_text(SITE_YAML + "publish:\n  require_review: true\n", encoding="utf-8")
    model, problems = assembled(root, require_review=True)
    assert [c.title for c in model.cases] == ["审完"] and model.sites == ()
    assert [i.title for i in model.held_back] == ["西翟村"]
    assert printed(problems) == [
        "content/cases/a/index.md:3: 示范点“西翟村”还没有发布（待初审），这个案例发布后会链接到一个不存在的页面\n"
        "    提示：先发布这个示范点（content/sites/xizhai-cun/index.md：草稿请删去 draft: true，待审请完成审核），"
        "或者把这个案例也暂时设为草稿（draft: true）。"]


def test_a_draft_model_site_and_page_are_held_back_and_leave_the_menu(make_site):
    root = make_site({"content/cases/a/index.md": case_md(draft="true"),
                      "content/sites/xizhai-cun/index.md": "---\ntitle: 西翟村\nkind: 村\ndraft: true\n---\n\n简介。\n",
                      "content/pages/about.md": "---\ntitle: 关于\ndraft: true\n---\n\n介绍。\n",
                      "content/pages/other.md": "---\ntitle: 其他\n---\n\n介绍。\n"},
                     site_yaml=SITE_YAML + "nav:\n  - {title: 关于, url: /pages/about/}\n  - {title: 其他, url: /pages/other}\n")
    model, problems = assembled(root)
    assert problems == []
    assert (model.cases, model.sites, [p.title for p in model.pages]) == ((), (), ["其他"])
    assert [i.title for i in model.held_back] == ["西翟村议事平台", "西翟村", "关于"]
    assert [n.title for n in model.site.nav] == ["其他"]
    drafts, _ = assembled(root, drafts=True)
    assert [p.title for p in drafts.pages] == ["关于", "其他"] and [n.title for n in drafts.site.nav] == ["关于", "其他"]


def test_two_published_cases_with_one_title_are_a_warning(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="议事平台"),
                      "content/cases/b/index.md": case_md(title="议事平台"),
                      "content/cases/c/index.md": case_md(title="议事平台", draft="true")})
    _, problems = assembled(root)
    assert printed(problems) == [
        "content/cases/b/index.md:2: 警告：与 content/cases/a/index.md 的标题相同（“议事平台”）\n"
        "    提示：读者在列表和搜索结果里分不清这两个案例，请把其中一个的标题改得更具体。"]


def test_cases_of_the_same_day_go_by_weight_then_title(make_site):
    root = make_site({"content/cases/c/index.md": case_md(title="丙", weight="1"),
                      "content/cases/b/index.md": case_md(title="乙"),
                      "content/cases/a/index.md": case_md(title="甲"),
                      "content/cases/old/index.md": case_md(title="旧", date="2020-01-01", weight="-5"),
                      "content/cases/new/index.md": case_md(title="新", date="2025-01-01", weight="9")})
    model, _ = assembled(root)
    assert [c.title for c in model.cases] == ["新", "乙", "甲", "丙", "旧"]


def test_model_sites_and_pages_go_by_weight_then_title(make_site):
    root = make_site({"content/sites/fuxi-shequ/index.md": SECOND_SITE.replace("town:", "weight: -1\ntown:"),
                      "content/pages/b.md": "---\ntitle: 乙页\n---\n",
                      "content/pages/a.md": "---\ntitle: 甲页\nweight: 2\n---\n",
                      "content/pages/c.md": "---\ntitle: 丙页\n---\n"})
    model, _ = assembled(root)
    assert [s.title for s in model.sites] == ["府西社区", "西翟村"]
    assert [p.title for p in model.pages] == ["丙页", "乙页", "甲页"]


def test_each_model_site_lists_its_published_cases_and_an_empty_one_none(make_site):
    root = make_site({"content/sites/fuxi-shequ/index.md": SECOND_SITE,
                      "content/cases/a/index.md": case_md(title="甲"),
                      "content/cases/b/index.md": case_md(title="乙", draft="true")})
    model, _ = assembled(root)
    assert {slug: [c.title for c in cases] for slug, cases in model.cases_by_site.items()} == {
        "xizhai-cun": ["甲"], "fuxi-shequ": []}
    assert model.sites_by_slug["fuxi-shequ"].town == "城区街道"


# --- taxonomies --------------------------------------------------------------------------------------

def terms(model, taxonomy):
    return [(t.name, t.slug, [c.title for c in t.cases]) for t in model.taxonomies[taxonomy]]


def test_declared_categories_and_actions_keep_their_order_and_appear_when_empty(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="甲", category="社区", actions="[强村富民]")})
    model, _ = assembled(root)
    assert terms(model, "categories") == [("农村", "nongcun", []), ("社区", "shequ", ["甲"]),
                                          ("机关", "jiguan", []), ("企业", "qiye", [])]
    assert terms(model, "actions") == [("平安建设", "pinganjianshe", []), ("强村富民", "qiangcunfumin", ["甲"])]
    assert [t.description for t in model.taxonomies["actions"]] == ["排查化解矛盾纠纷", "壮大集体经济"]
    assert model.taxonomies["actions"][1].url == "actions/qiangcunfumin/"


def test_an_action_keeps_the_slug_declared_for_it(make_site):
    yaml_text = SITE_YAML.replace("  - name: 平安建设\n", "  - name: 平安建设\n    slug: ping-an\n")
    root = make_site({"content/cases/a/index.md": case_md(actions="[平安建设]")}, site_yaml=yaml_text)
    model, _ = assembled(root)
    assert [t.url for t in model.taxonomies["actions"]] == ["actions/ping-an/", "actions/qiangcunfumin/"]


def test_tags_go_by_how_many_cases_use_them_then_by_name(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="甲", tags="[养老, 调解]"),
                      "content/cases/b/index.md": case_md(title="乙", tags="[调解, 志愿服务]"),
                      "content/cases/c/index.md": case_md(title="丙", tags="[调解]", draft="true")})
    model, _ = assembled(root)
    assert [(name, cases) for name, _, cases in terms(model, "tags")] == [
        ("调解", ["乙", "甲"]), ("养老", ["甲"]), ("志愿服务", ["乙"])]     # a draft's tag is not counted


def test_homophone_tags_get_addresses_of_their_own(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="甲", tags="[调解, 调节]")})
    model, _ = assembled(root)
    slugs = {name: slug for name, slug, _ in terms(model, "tags")}
    assert slugs["调节"] == "tiaojie" and slugs["调解"].startswith("tiaojie-") and len(slugs["调解"]) == len("tiaojie-") + 6
    again, _ = assembled(root)
    assert {name: slug for name, slug, _ in terms(again, "tags")} == slugs          # the same every build


def test_a_tag_with_nothing_to_spell_gets_a_usable_address(make_site):
    root = make_site({"content/cases/a/index.md": case_md(tags="['——']")})
    model, _ = assembled(root)
    assert terms(model, "tags") == [("——", "term", ["西翟村议事平台"])]


def test_towns_come_from_the_model_sites_of_published_cases(make_site):
    root = make_site({"content/sites/xizhai-cun/index.md": FIRST_SITE_WITH_TOWN,
                      "content/sites/fuxi-shequ/index.md": SECOND_SITE,
                      "content/cases/a/index.md": case_md(title="甲"),
                      "content/cases/b/index.md": case_md(title="乙", site="fuxi-shequ"),
                      "content/cases/c/index.md": case_md(title="丙", site="fuxi-shequ")})
    model, _ = assembled(root)
    assert terms(model, "towns") == [("城区街道", "chengqujiedao", ["丙", "乙"]), ("城关镇", "chengguanzhen", ["甲"])]
    assert model.term("towns", "城关镇").url == "towns/chengguanzhen/"
    assert model.term("towns", "没有") is None
