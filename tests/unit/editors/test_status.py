"""`showcase status` on a real site: the whole table as an editor sees it, in both languages."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SITE_YAML, case_md, record_review

from builder.editors.status import case_statuses, format_table

TODAY = dt.date(2025, 6, 1)
CASES = {
    "content/cases/yishi/index.md": case_md(title="西翟村“基层智理”议事平台与精神文明建设同步推进的做法", date="2025-05-01"),
    "content/cases/draft/index.md": case_md(title="草稿", date="2025-05-03", draft="true"),
    "content/cases/later/index.md": case_md(title="Later case", date="2025-07-01"),
    "content/cases/done/index.md": case_md(title="审完", date="2025-04-01"),
    "content/cases/edited/index.md": case_md(title="审完又改", date="2025-03-01"),
}


def reviewed(root):
    record_review(root, "content/cases/yishi/index.md", "初审", day="2025-05-02")
    record_review(root, "content/cases/done/index.md", "初审", "复审", "终审", day="2025-04-04")
    record_review(root, "content/cases/edited/index.md", "初审", "复审", "终审", day="2025-04-04")
    record_review(root, "content/sites/xizhai-cun/index.md", "初审", "复审", "终审", day="2025-04-04")
    edited = root / "content/cases/edited/index.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("议事平台。", "议事平台，每月开会。"), encoding="utf-8")
    return root


@pytest.fixture
def reviewed_site(make_site):
    return reviewed(make_site(CASES, site_yaml=SITE_YAML + "publish:\n  require_review: true\n"))


def test_status_lists_every_case_newest_first_in_aligned_columns(reviewed_site):
    site, rows, problems = case_statuses(reviewed_site, TODAY)
    assert problems == []
    assert format_table(rows, site) == "\n".join([
        "类型    日期        文件夹      标题                                   状态      审核",
        "------  ----------  ----------  -------------------------------------  --------  --------------------",
        "案例    2025-07-01  later       Later case                             定时发布  待初审",
        "案例    2025-05-03  draft       草稿                                   草稿      待初审",
        "案例    2025-05-01  yishi       西翟村“基层智理”议事平台与精神文明建…  待审      已初审，待复审",
        "案例    2025-04-01  done        审完                                   已发布    已审完",
        "案例    2025-03-01  edited      审完又改                               待审      改动后待重审（终审）",
        "示范点              xizhai-cun  西翟村                                 已发布    已审完",
        "",
        "共 5 个案例、1 个示范点、0 个页面：已发布 2，草稿 1，定时发布 1，待审 2。"])


def test_status_in_english_names_the_states_and_stages(reviewed_site):
    site, rows, _ = case_statuses(reviewed_site, TODAY)
    lines = format_table(rows, site, "en").split("\n")
    assert lines[0].split() == ["Kind", "Date", "Folder", "Title", "State", "Review"]
    assert [re.split(r"  +", line)[-2:] for line in lines[2:8]] == [
        ["scheduled", "awaiting 初审"], ["draft", "awaiting 初审"],
        ["awaiting review", "初审 done; awaiting 复审"], ["published", "reviewed"],
        ["awaiting review", "changed since 终审: to be reviewed again"], ["published", "reviewed"]]
    assert lines[-1] == "5 cases, 1 model site, 0 pages: 2 published, 1 draft, 1 scheduled, 2 awaiting review."


def test_states_follow_the_date_given_as_today(reviewed_site):
    site, rows, _ = case_statuses(reviewed_site, dt.date(2025, 7, 1))
    assert [(r.case.slug, r.state, r.waiting, r.done, r.fell_back_from) for r in rows] == [
        ("later", "waiting", "初审", (), None), ("draft", "draft", "初审", (), None),
        ("yishi", "waiting", "复审", ("初审",), None), ("done", "published", None, ("初审", "复审", "终审"), None),
        ("edited", "stale", "终审", ("初审", "复审"), "终审"), ("xizhai-cun", "published", None, ("初审", "复审", "终审"), None)]


def test_without_require_review_a_case_is_published_whatever_its_review_says(make_site):
    root = reviewed(make_site(CASES))
    site, rows, _ = case_statuses(root, TODAY)
    assert [r.state for r in rows] == ["future", "draft", "published", "published", "published", "published"]
    assert [r.fell_back_from for r in rows][4] == "终审"
    assert format_table(rows, site).split("\n")[6].endswith("已发布    改动后待重审（终审）")
    assert format_table(rows, site).split("\n")[-1] == (
        "共 5 个案例、1 个示范点、0 个页面：已发布 4，草稿 1，定时发布 1，待审 0。"
        "（site.yaml 未设置 publish: require_review: true，审核进度仅供参考，不影响发布。）")
    assert format_table(rows, site, "en").endswith(
        " (publish: require_review is off: reviews are shown but do not hold cases back.)")


def test_a_review_written_by_hand_without_its_digest_counts_as_stale(make_site):
    hand = "\n  - {stage: 初审, by: 甲, date: 2025-05-01}"
    root = make_site({"content/cases/a/index.md": case_md(review=hand)})
    _, rows, _ = case_statuses(root, TODAY)
    assert (rows[0].state, rows[0].waiting, rows[0].fell_back_from) == ("published", "初审", "初审")


def test_status_of_a_site_with_a_broken_case_lists_the_others_and_returns_the_problem(make_site):
    root = make_site({**CASES, "content/cases/broken/index.md": case_md(date="2025年6月1日")})
    site, rows, problems = case_statuses(root, TODAY)
    assert [p.format("zh").split("\n")[0] for p in problems] == [
        "content/cases/broken/index.md:4: 日期“2025年6月1日”格式不对，应为 年-月-日，请改为 2025-06-01"]
    assert {r.case.slug for r in rows} >= {"later", "draft", "yishi", "done"}


def test_an_empty_site_has_a_table_with_only_its_heading(make_site):
    root = make_site(with_model_site=False)
    site, rows, problems = case_statuses(root, TODAY)
    assert rows == [] and problems == []
    assert format_table(rows, site).split("\n")[:2] == ["类型  日期  文件夹  标题  状态  审核",
                                                         "----  ----  ------  ----  ----  ----"]
