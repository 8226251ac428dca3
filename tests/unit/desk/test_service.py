"""builder.desk.service on real site folders: saving (and refusing to save over a change made
elsewhere), photos arriving and leaving through the recycle folder, new documents, reviews, and
problems placed beside their fields in the build's own words."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import case_md, snapshot
from photos import jpeg_bytes

from builder.desk import recycle
from builder.desk.service import Service

CASE = "content/cases/yishi/index.md"


@pytest.fixture
def site(make_site):
    return make_site({
        CASE: case_md(title="西翟村议事平台", tags="[议事]", photos="\n  - src: a.jpg\n    caption: 议事会"),
        "content/cases/yishi/a.jpg": jpeg_bytes((400, 300)),
        "content/cases/yishi/b.jpg": jpeg_bytes((400, 300)),
        "content/pages/about.md": "---\ntitle: 关于\n---\n\n关于本站。\n",
    })


def opened(service: Service, kind: str = "case", name: str = "yishi") -> dict:
    answer = service.document(kind, name)
    assert answer.status == 200, answer.body
    return answer.body


def sent(doc: dict, **values) -> dict:
    return {"digest": doc["digest"], "values": {**doc["values"], **values}, "body": doc["body"], "remove": []}


def test_a_form_saved_unchanged_writes_nothing(site):
    service = Service(site)
    before = snapshot(site)
    answer = service.save("case", "yishi", sent(opened(service)))
    assert answer.status == 200 and answer.body["changed"] is False
    assert snapshot(site) == before


def test_a_saved_title_is_in_the_file_and_the_answer_carries_the_new_digest(site):
    service = Service(site)
    doc = opened(service)
    answer = service.save("case", "yishi", sent(doc, title="西翟村“议事平台”"))
    assert answer.status == 200 and answer.body["changed"] is True
    text = (site / CASE).read_text(encoding="utf-8")
    assert "title: 西翟村“议事平台”\n" in text              # unquoted, as the title it replaces was
    assert answer.body["digest"] == opened(service)["digest"] != doc["digest"]


def test_a_file_changed_on_disk_after_the_form_was_opened_is_not_saved_over(site):
    service = Service(site)
    doc = opened(service)
    path = site / CASE
    path.write_text(path.read_text(encoding="utf-8").replace("村里搭建了议事平台。", "同事改过的正文。"), encoding="utf-8")
    theirs = path.read_bytes()
    answer = service.save("case", "yishi", sent(doc, title="我的标题"))
    assert answer.status == 409
    assert path.read_bytes() == theirs
    assert "同事改过的正文。" in answer.body["theirs"]
    assert 'title: "我的标题"' in answer.body["mine"] or "title: 我的标题" in answer.body["mine"]
    assert answer.body["mine_changed"] and answer.body["theirs_changed"]


def test_keeping_my_version_puts_it_in_the_recycle_folder_where_it_can_be_restored_over_theirs(site):
    service = Service(site)
    doc = opened(service)
    path = site / CASE
    path.write_text(path.read_text(encoding="utf-8") + "\n同事加的一段。\n", encoding="utf-8")
    theirs = path.read_bytes()
    kept = service.keep_copy("case", "yishi", sent(doc, title="我的标题"))
    assert kept.status == 200 and kept.body["kept"].startswith(recycle.RECYCLE_DIR + "/")
    assert path.read_bytes() == theirs
    mine = (site / kept.body["kept"]).read_text(encoding="utf-8")
    assert "我的标题" in mine and "同事加的一段。" not in mine
    [item] = recycle.entries(site)
    assert item.what == "copy"
    assert service.restore({"id": item.id}).status == 200
    assert path.read_text(encoding="utf-8") == mine
    assert [i.what for i in recycle.entries(site)] == ["replaced"]          # theirs kept in turn
    assert (site / recycle.RECYCLE_DIR / recycle.entries(site)[0].id / "index.md").read_bytes() == theirs


def test_a_removed_photo_goes_to_the_recycle_folder_on_save_and_comes_back_on_restore(site):
    service = Service(site)
    doc = opened(service)
    photo = (site / "content/cases/yishi/a.jpg").read_bytes()
    answer = service.save("case", "yishi", {**sent(doc, photos=[], cover=""), "remove": ["a.jpg"]})
    assert answer.status == 200 and answer.body["recycled"] == ["a.jpg"]
    assert not (site / "content/cases/yishi/a.jpg").exists()
    assert "a.jpg" not in (site / CASE).read_text(encoding="utf-8")
    [item] = recycle.entries(site)
    assert (item.what, item.origin, item.name) == ("photo", "content/cases/yishi/a.jpg", "a.jpg")
    restored = service.restore({"id": item.id})
    assert restored.status == 200 and (site / "content/cases/yishi/a.jpg").read_bytes() == photo
    assert recycle.entries(site) == [] and not any((site / recycle.RECYCLE_DIR).iterdir())


def test_a_photo_still_listed_or_outside_the_folder_is_never_removed(site):
    service = Service(site)
    doc = opened(service)
    answer = service.save("case", "yishi", {**sent(doc), "remove": ["a.jpg", "../about.md", "../../site.yaml", "nothing.jpg"]})
    assert answer.body["recycled"] == []
    assert (site / "content/cases/yishi/a.jpg").exists() and (site / "site.yaml").exists()


@pytest.mark.parametrize("name", ["..", "../cases/yishi", "yishi/../yishi", "YISHI", "", "/etc", "yishi\x00"])
def test_a_name_that_is_not_one_of_the_folders_finds_nothing(site, name):
    service = Service(site)
    assert service.document("case", name).status == 404
    assert service.save("case", name, {"digest": "x", "values": {}}).status == 404


def test_the_folders_other_photos_are_offered_and_the_preview_shows_them_from_the_desk(site):
    service = Service(site)
    path = site / CASE
    path.write_text(path.read_text(encoding="utf-8") + "\n![议事会](a.jpg)\n", encoding="utf-8")
    doc = opened(service)
    assert doc["folder_photos"] == ["a.jpg", "b.jpg"]
    assert '<img alt="议事会" src="/_edit/api/thumb/case/yishi/a.jpg?w=960">' in doc["preview"]


def test_problems_are_placed_beside_their_fields_in_the_builds_words(site):
    service = Service(site)
    doc = opened(service)
    answer = service.check("case", "yishi", {"values": {**doc["values"], "category": "农业", "date": "2025/6/1",
                                                      "photos": [{"src": "a.jpg", "caption": "", "credit": ""},
                                                                 {"src": "c.jpg", "caption": "", "credit": ""}]},
                                            "body": "## 基本情况\n\n【填写提示】写好后删除本行。\n"})
    by_field = {}
    for problem in answer.body["problems"]:
        by_field.setdefault(problem["field"], []).append(problem["message"] + " / " + problem["hint"])
    assert by_field["category"] == ["类别“农业”未在 site.yaml 的 categories 中定义 / "
                                    "可用的类别：农村、社区、机关、企业。如需新类别，请先加到 site.yaml 的 categories 里。"]
    assert "date" not in by_field            # 2025/6/1 is the date 2025-06-01, written so when saved
    assert any("c.jpg" in m for m in by_field["photos.1"])
    assert any("填写提示" in m for m in by_field["body"])
    assert answer.body["body_line"] == 12                  # the first line of the text area, in the file
    assert (site / CASE).read_text(encoding="utf-8") == case_md(title="西翟村议事平台", tags="[议事]",
                                                               photos="\n  - src: a.jpg\n    caption: 议事会")


def test_a_file_the_form_cannot_read_is_shown_with_the_builds_problems(site):
    (site / CASE).write_text("---\ntitle: [不完整\n---\n正文\n", encoding="utf-8")
    doc = opened(Service(site))
    assert doc["editable"] is False
    assert doc["problems"] and doc["problems"][0]["line"] == 2
    listed = Service(site).listing().body["cases"]
    assert [(c["name"], c["state"]) for c in listed] == [("yishi", "desk_state_unreadable")]


def test_the_list_says_where_each_case_stands(site, make_site):
    service = Service(site)
    [row] = service.listing().body["cases"]
    assert (row["title"], row["site_title"], row["date"], row["category"], row["state_label"]) == (
        "西翟村议事平台", "西翟村", "2024-05-01", "农村", "待审")
    assert service.listing().body["options"]["tags"] == ["议事"]


def test_a_new_case_is_made_from_the_standard_template_as_a_draft(site):
    service = Service(site)
    answer = service.create("case", {"title": "西翟村“党员先锋岗”", "site": "xizhai-cun", "category": "农村"})
    assert answer.status == 200, answer.body
    text = (site / "content/cases" / answer.body["name"] / "index.md").read_text(encoding="utf-8")
    assert 'title: "西翟村“党员先锋岗”"' in text and "draft: true" in text and "## 主要做法" in text
    assert opened(service, "case", answer.body["name"])["values"]["draft"] is True


def test_a_new_case_can_bring_its_new_model_site(site):
    service = Service(site)
    answer = service.create("case", {"title": "龙门村集体经济", "site": "", "category": "农村",
                                     "new_site": {"title": "龙门村", "kind": "村", "town": "清涧街道"}})
    assert answer.status == 200, answer.body
    assert "site: longmen-cun" in (site / "content/cases" / answer.body["name"] / "index.md").read_text(encoding="utf-8")
    assert (site / "content/sites/longmen-cun/index.md").is_file()


def test_a_new_case_without_a_title_says_what_is_missing_and_makes_nothing(site):
    before = snapshot(site)
    answer = Service(site).create("case", {"title": " ", "site": "xizhai-cun", "category": "农村"})
    assert answer.status == 400 and answer.body["problems"]
    assert snapshot(site) == before


def test_a_new_page_gets_a_folder_for_its_photos(site):
    answer = Service(site).create("page", {"title": "创建概况"})
    assert answer.status == 200
    assert (site / "content/pages" / answer.body["name"] / "index.md").read_text(encoding="utf-8").startswith(
        '---\ntitle: "创建概况"\n')


def test_a_deleted_case_goes_whole_to_the_recycle_folder(site):
    service = Service(site)
    before = snapshot(site / "content/cases/yishi")
    answer = service.delete("case", "yishi", {"digest": opened(service)["digest"]})
    assert answer.status == 200
    assert not (site / "content/cases/yishi").exists()
    [item] = recycle.entries(site)
    assert snapshot(site / recycle.RECYCLE_DIR / item.id / "yishi") == before
    assert json.loads((site / recycle.RECYCLE_DIR / item.id / recycle.MANIFEST).read_text(encoding="utf-8"))["title"] == "西翟村议事平台"
    assert service.restore({"id": item.id}).status == 200
    assert snapshot(site / "content/cases/yishi") == before


def test_a_model_site_with_cases_is_not_deleted(site):
    service = Service(site)
    answer = service.delete("site", "xizhai-cun", {"digest": opened(service, "site", "xizhai-cun")["digest"]})
    assert answer.status == 409 and "西翟村议事平台" in answer.body["message"]
    assert (site / "content/sites/xizhai-cun/index.md").is_file()


def test_a_case_restored_over_a_folder_of_the_same_name_stays_in_the_recycle_folder(site):
    service = Service(site)
    service.delete("case", "yishi", {"digest": opened(service)["digest"]})
    (site / "content/cases/yishi").mkdir()
    [item] = recycle.entries(site)
    answer = service.restore({"id": item.id})
    assert answer.status == 409 and "content/cases/yishi" in answer.body["message"]
    assert recycle.entries(site) == [item]


def test_the_three_review_stages_are_recorded_in_order_as_showcase_review_does(site):
    service = Service(site)
    day = dt.date(2025, 6, 1)
    for stage, by in (("初审", "张三"), ("复审", "李四"), ("终审", "王五")):
        answer = service.review("case", "yishi", {"stage": stage, "by": by, "digest": opened(service)["digest"]}, today=day)
        assert answer.status == 200, answer.body
    review = opened(service)["review"]
    assert [(r["stage"], r["by"], r["date"]) for r in review["done"]] == [
        ("初审", "张三", "2025-06-01"), ("复审", "李四", "2025-06-01"), ("终审", "王五", "2025-06-01")]
    assert review["next"] is None


def test_a_review_that_skips_a_stage_or_has_no_name_is_refused_and_nothing_written(site):
    service = Service(site)
    before = snapshot(site)
    digest = opened(service)["digest"]
    skipped = service.review("case", "yishi", {"stage": "复审", "by": "李四", "digest": digest})
    assert skipped.status == 400 and "初审" in skipped.body["problems"][0]["message"]
    assert service.review("case", "yishi", {"stage": "初审", "by": "  ", "digest": digest}).status == 400
    assert service.review("case", "yishi", {"stage": "初审", "by": "张三", "digest": "old"}).status == 409
    assert snapshot(site) == before


def test_a_text_changed_after_its_review_is_shown_stale_with_what_changed(site):
    service = Service(site)
    assert service.review("case", "yishi", {"stage": "初审", "by": "张三", "digest": opened(service)["digest"]}).status == 200
    doc = opened(service)
    service.save("case", "yishi", {**sent(doc, title="西翟村议事平台（修改）"), "body": "## 基本情况\n\n村里每月开一次会。\n"})
    review = opened(service)["review"]
    assert review["next"] == "初审"
    assert review["stale"] == {"stage": "初审", "changes": [
        "标题：原来是“西翟村议事平台”，现在是“西翟村议事平台（修改）”",
        "正文第 3 行：原来是“村里搭建了议事平台。”，现在是“村里每月开一次会。”"]}
    [row] = service.listing().body["cases"]
    assert row["state_label"] == "改动后待重审"


def test_model_sites_and_pages_are_reviewed_and_drafted_like_cases(site):
    service = Service(site)
    doc = opened(service, "site", "xizhai-cun")
    assert "draft" in [f["name"] for f in doc["fields"]] and doc["review"]["next"] == "初审"
    answer = service.review("site", "xizhai-cun", {"stage": "初审", "by": "张三", "digest": doc["digest"]})
    assert answer.status == 200 and answer.body["review"]["next"] == "复审"
    made = service.create("page", {"title": "创建概况"})
    assert opened(service, "page", made.body["name"])["values"]["draft"] is True
    listed = {row["name"]: row["state_label"] for row in service.listing().body["pages"]}
    assert listed == {"about": "待审", made.body["name"]: "草稿"}
