"""`--lang en`: every command speaks English, success and failure alike. The only Chinese left
is the user's own (titles, names, the categories and stages of site.yaml, what they typed) and
the words they must type, which the site's vocabulary defines (a model site's kind)."""
from __future__ import annotations

import re

import pytest
from conftest import KEPT_EN, SITE_YAML, case_md, record_review

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
# Everything Chinese the test sites hold or the tests type: the user's, not ours.
USERS = sorted({
    "测试案例库", "农村", "社区", "机关", "企业", "平安建设", "排查化解矛盾纠纷", "强村富民", "壮大集体经济",
    "西翟村议事平台", "西翟村", "城关镇", "基本情况", "村里搭建了议事平台", "乙案例", "草稿案例", "初审核", "初审", "复审",
    "终审", "张三", "李四", "审核人", "标题", "农业", "平安", "东关", "乡镇（街道）", "街道", "村", "学校", "其他", "关于", "正文", "5月3日",
}, key=len, reverse=True)


def assert_english(text: str) -> None:
    ours = text
    for words in USERS:
        ours = ours.replace(words, "")
    assert not HAN.search(ours), text


@pytest.fixture
def site(make_site):
    root = make_site({
        "content/cases/yishi/index.md": case_md(),
        "content/cases/b/index.md": case_md(title="乙案例", date="2024-05-02"),
        "content/cases/draft/index.md": case_md(title="草稿案例", draft="true", date="2024-05-03"),
        "content/pages/about.md": "---\ntitle: 关于\n---\n\n正文。\n",
    }, site_yaml=SITE_YAML + "publish:\n  require_review: true\n")
    record_review(root, "content/cases/yishi/index.md", "初审", by="张三", day="2024-05-02")
    for rel in ("content/sites/xizhai-cun/index.md", "content/pages/about.md"):
        record_review(root, rel, "初审", "复审", "终审", day="2024-05-02")
    return root


def run(cli, *args):
    result = cli(*args, "--lang", "en")
    assert_english(result.out + result.err)
    return result


def test_build_and_its_summary_and_timings(site, cli):
    result = run(cli, "build", "--source", site, "-v")
    assert result.code == 0, result.err
    assert result.out.startswith("Built 0 cases, 1 model site, 1 page: ")
    lines = result.out.splitlines()
    assert lines[3:7] == ["3 items held back:", "  - 草稿案例 (content/cases/draft/index.md): draft (draft: true)",
                          "  - 乙案例 (content/cases/b/index.md): awaiting 初审",
                          "  - 西翟村议事平台 (content/cases/yishi/index.md): awaiting 复审 (初审 done)"]
    assert "\nStage timings: config " in result.out


def test_a_failed_build(site, cli):
    (site / "content/cases/b/index.md").write_text(case_md(title="乙案例", date="2024/5/2", titel="x"), encoding="utf-8")
    result = run(cli, "build", "--source", site)
    assert result.code == 1 and result.err.endswith("Build failed with 2 problems\n" + KEPT_EN)


def test_check_passing_and_failing(site, cli, tmp_path):
    passed = run(cli, "check", "--source", site, "--html", tmp_path / "report.html")
    assert passed.code == 0 and "Check passed: no errors" in passed.out and "Report: " in passed.out
    (site / "content/cases/b/index.md").write_text(case_md(title="乙案例", date="2024/5/2"), encoding="utf-8")
    failed = run(cli, "check", "--source", site)
    assert failed.code == 1 and "Check failed: 1 error, " in failed.err


def test_status(site, cli):
    result = run(cli, "status", "--source", site)
    assert result.code == 0
    assert result.out.splitlines()[0].split() == ["Kind", "Date", "Folder", "Title", "State", "Review"]
    assert result.out.endswith("3 cases, 1 model site, 1 page: 2 published, 1 draft, 0 scheduled, 2 awaiting review.\n")


def test_review_recorded_and_refused(site, cli):
    recorded = run(cli, "review", "yishi", "--source", site, "--stage", "复审", "--by", "李四", "--date", "2024-05-03")
    assert recorded.code == 0
    assert recorded.out == ("Recorded '复审': 李四, 2024-05-03 (content/cases/yishi/index.md)\n"
                            "Done: 初审 (张三, 2024-05-02); 复审 (李四, 2024-05-03)\n"
                            "Still to come: 终审\n")
    complete = run(cli, "review", "yishi", "--source", site, "--stage", "终审", "--by", "李四", "--date", "2024-05-04")
    assert complete.out.endswith("Every review stage is recorded.\n")
    for args in (["yishi", "--stage", "初审", "--by", "张三"], ["b", "--stage", "终审", "--by", "张三"],
                 ["b", "--stage", "初审核", "--by", "张三"], ["nowhere", "--stage", "初审", "--by", "张三"],
                 ["b", "--stage", "初审", "--by", "张三", "--date", "5月3日"]):
        refused = run(cli, "review", *args, "--source", site)
        assert refused.code == 1 and refused.err.endswith(("1 problem.\n")), refused.err


def test_review_of_a_front_matter_it_will_not_edit(site, cli):
    (site / "content/cases/b/index.md").write_text(case_md(title="乙案例", review="~"), encoding="utf-8")
    result = run(cli, "review", "b", "--source", site, "--stage", "初审", "--by", "张三")
    assert result.code == 1
    assert "cannot edit review: in the front matter automatically (review is ~ or null: leave it empty instead)" in result.err


@pytest.mark.parametrize("args", [
    ["case", "--title", "标题"],
    ["case", "--title", "标题", "--site", "nowhere", "--category", "农业", "--action", "平安", "--date", "5月3日",
     "--slug", "Bad Slug"],
    ["site", "--title", "东关", "--kind", "街道"],
    ["site", "--title", "西翟村", "--kind", "村"],
])
def test_new_refusals(site, cli, args):
    result = run(cli, "new", *args, "--source", site)
    assert result.code == 1 and "Nothing was created: " in result.err


def test_new_with_options(site, cli):
    result = run(cli, "new", "case", "--source", site, "--title", "标题", "--site", "xizhai-cun", "--category", "农村")
    assert result.code == 0 and "Created the case: " in result.out
    assert "review: showcase review FOLDER --stage 初审 --by NAME" in result.out


def test_init_made_and_refused(tmp_path, cli):
    made = run(cli, "init", tmp_path / "new")
    assert made.code == 0 and made.out.startswith("Created a new site in ")
    refused = run(cli, "init", tmp_path / "new")
    assert refused.code == 1 and refused.err.endswith("Nothing was created: 1 problem.\n")


def test_a_command_outside_a_site(tmp_path, cli):
    for command in ("build", "check", "status", "serve"):
        result = run(cli, command, "--source", tmp_path)
        assert result.code == 1 and "site.yaml" in result.err
