"""Review before publishing: `showcase review` edits only the review list (every other byte
stays), refuses to skip or repeat a stage; `build` with publish.require_review leaves unreviewed
cases out of every output; `serve`'s preview marks them; `showcase status` lists them."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build import BuildOptions, build_site
from tests.conftest import REPO, SITE_YAML, case_md, record_review, review_digest_of

CASE = "content/cases/yishi/index.md"

ODD = (
    "\ufeff---\r\n"
    "# 案例信息（这一行是注释）\r\n"
    "title: '西翟村：''基层智理''议事平台'   # 单引号里的单引号\r\n"
    "site: \"xizhai-cun\"\r\n"
    "date: 2024-05-01\r\n"
    "category: 农村\r\n"
    "tags: [ 调解 ,志愿服务 ]\r\n"
    "review:\r\n"
    "    -   {stage: 初审, by: '张三', date: 2024-05-02, digest: DIGEST}   # 同意\r\n"
    "# 照片在下面\r\n"
    "photos: []\r\n"
    "---\r\n"
    "\r\n"
    "## 基本情况\r\n"
    "\r\n"
    "正文。\r\n"
    "\r\n"
    "---\r\n"
    "\r\n"
    "分隔线之后的正文。\r\n"
)


def write(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_reviewed(root: Path, rel: str, text: str) -> tuple[Path, str, str]:
    """`text` with DIGEST in its review entries replaced by the file's digest, as if those
    stages had been recorded by `showcase review` (the digest leaves the review list out)."""
    path = write(root, rel, text.replace("DIGEST", "0").encode("utf-8"))
    digest = review_digest_of(root, rel)
    text = text.replace("DIGEST", digest)
    path.write_bytes(text.encode("utf-8"))
    return path, text, digest


# --- the edit --------------------------------------------------------------------------------

def test_review_inserts_one_line_and_keeps_every_other_byte(make_site, cli):
    root = make_site()
    path, odd, digest = write_reviewed(root, CASE, ODD)
    result = cli("review", "yishi", "--source", root, "--stage", "复审", "--by", "李四", "--date", "2024-05-03")
    assert result.code == 0, result.err
    expected = odd.replace("# 同意\r\n", f"# 同意\r\n    -   {{stage: 复审, by: 李四, date: 2024-05-03, digest: {digest}}}\r\n")
    assert path.read_bytes() == expected.encode("utf-8")
    assert (root / "content/cases/yishi/.reviewed.md").read_bytes() == expected.encode("utf-8")
    assert result.out == ("已记录“复审”：李四，2024-05-03（content/cases/yishi/index.md）\n"
                          "已完成：初审（张三，2024-05-02）；复审（李四，2024-05-03）\n"
                          "还需：终审\n")


def test_review_adds_the_list_at_the_end_of_the_front_matter_when_there_is_none(make_site, cli):
    root = make_site()
    original = case_md(body="## 基本情况\n\n正文。\n").replace("category: 农村\n", "category: 农村\n# 最后一行注释\n")
    path = write(root, CASE, original.encode("utf-8"))
    digest = review_digest_of(root, CASE)
    assert cli("review", CASE, "--source", root, "--stage", "初审", "--by", "张三", "--date", "2024-05-02").code == 0
    assert path.read_text(encoding="utf-8") == original.replace(
        "# 最后一行注释\n---\n", f"# 最后一行注释\nreview:\n  - {{stage: 初审, by: 张三, date: 2024-05-02, digest: {digest}}}\n---\n")


def test_review_extends_a_flow_list_and_a_block_list_in_their_own_style(make_site, cli):
    root = make_site()
    flow = case_md(review="[]")
    path = write(root, CASE, flow.encode("utf-8"))
    digest = review_digest_of(root, CASE)
    assert cli("review", "yishi", "--source", root, "--stage", "初审", "--by", "欧阳 娜娜", "--date", "2024-05-02").code == 0
    assert path.read_text(encoding="utf-8") == flow.replace(
        "review: []", f"review: [{{stage: 初审, by: 欧阳 娜娜, date: 2024-05-02, digest: {digest}}}]")

    block = case_md().replace("category: 农村\n", "category: 农村\nreview:\n- stage: 初审\n  by: 张三\n  date: 2024-05-02\n"
                                                  "  digest: DIGEST\n\ntags: [调解]\n")
    path, block, digest = write_reviewed(root, CASE, block)
    assert cli("review", "yishi", "--source", root, "--stage", "复审", "--by", "O'Neil: 李", "--date", "2024-05-03").code == 0
    assert path.read_text(encoding="utf-8") == block.replace(
        f"  digest: {digest}\n", f"  digest: {digest}\n- stage: 复审\n  by: \"O'Neil: 李\"\n  date: 2024-05-03\n  digest: {digest}\n")


def test_review_accepts_the_folder_path_the_file_path_and_a_slug(make_site, cli):
    root = make_site({"content/cases/folder-name/index.md": case_md(slug="own-slug"),
                      "content/cases/second/index.md": case_md(title="第二个"),
                      "content/cases/third/index.md": case_md(title="第三个")})
    assert cli("review", "own-slug", "--source", root, "--stage", "初审", "--by", "张三").code == 0
    assert cli("review", root / "content/cases/second", "--source", root, "--stage", "初审", "--by", "张三").code == 0
    assert cli("review", root / "content/cases/third/index.md", "--source", root, "--stage", "初审", "--by", "张三").code == 0
    for name in ("folder-name", "second", "third"):
        assert f"- {{stage: 初审, by: 张三, date: {dt.date.today().isoformat()}, digest: " in \
            (root / f"content/cases/{name}/index.md").read_text(encoding="utf-8")
    missing = cli("review", "secnd", "--source", root, "--stage", "初审", "--by", "张三")
    assert missing.code == 1
    assert "找不到案例“secnd”——是不是“second”？" in missing.err


# --- refusals --------------------------------------------------------------------------------

def test_review_refuses_to_skip_a_stage_or_record_one_twice(make_site, cli):
    root = make_site()
    path, odd, _ = write_reviewed(root, CASE, ODD)
    skip = cli("review", "yishi", "--source", root, "--stage", "终审", "--by", "王五")
    assert skip.code == 1
    assert "不能跳过审核环节：“终审”之前还需要先完成“复审”" in skip.err
    assert "没有记录审核，文件未改动：1 个问题。" in skip.err
    twice = cli("review", "yishi", "--source", root, "--stage", "初审", "--by", "赵六")
    assert twice.code == 1
    assert "content/cases/yishi/index.md:9: “初审”已经记录过了（张三，2024-05-02），不能重复记录" in twice.err
    early = cli("review", "yishi", "--source", root, "--stage", "复审", "--by", "李四", "--date", "2024-05-01")
    assert early.code == 1 and "审核日期 2024-05-01 早于上一环节“初审”的日期 2024-05-02" in early.err
    unknown = cli("review", "yishi", "--source", root, "--stage", "初审核", "--by", "李四")
    assert unknown.code == 1 and "审核环节“初审核”不在设置的环节中——是不是“初审”？" in unknown.err
    english = cli("review", "yishi", "--source", root, "--stage", "初审核", "--by", "李四", "--lang", "en")
    assert english.err.splitlines()[:2] == [
        "review stage '初审核' is not one of the configured stages — did you mean '初审'?",
        "    hint: stages, in order: 初审, 复审, 终审 (review: stages: in site.yaml)."]
    bad_date = cli("review", "yishi", "--source", root, "--stage", "复审", "--by", "李四", "--date", "5月3日")
    assert bad_date.code == 1 and "日期“5月3日”格式不对" in bad_date.err
    assert path.read_bytes() == odd.encode("utf-8")
    blank = cli("review", "yishi", "--source", root, "--stage", "复审", "--by", " ")
    assert blank.code == 1 and blank.err.startswith("审核人姓名不能为空\n")
    no_name = cli("review", "yishi", "--source", root, "--stage", "复审")
    assert no_name.code == 2 and "记录审核需要写明 --stage 环节 和 --by 姓名" in no_name.err
    assert path.read_bytes() == odd.encode("utf-8")


@pytest.mark.parametrize("written", ["2024/5/3", "20240503", "2024年5月3日"])
def test_a_review_date_written_the_way_people_write_dates_is_recorded_as_yyyy_mm_dd(make_site, cli, written):
    root = make_site()
    path, _, _ = write_reviewed(root, CASE, ODD)
    result = cli("review", "yishi", "--source", root, "--stage", "复审", "--by", "李四", "--date", written)
    assert result.code == 0, result.err
    assert "已记录“复审”：李四，2024-05-03" in result.out
    assert "date: 2024-05-03" in path.read_text(encoding="utf-8")


def test_review_of_a_broken_front_matter_changes_nothing(make_site, cli):
    root = make_site()
    broken = "---\ntitle: [坏\n---\n正文\n"
    path = write(root, CASE, broken.encode("utf-8"))
    result = cli("review", "yishi", "--source", root, "--stage", "初审", "--by", "张三")
    assert result.code == 1
    assert "content/cases/yishi/index.md:2: " in result.err
    assert "content/cases/yishi/index.md: 案例信息头有错误，先改正它才能记录审核" in result.err
    assert path.read_text(encoding="utf-8") == broken


def test_review_of_a_case_with_a_key_written_twice_changes_nothing(make_site, cli):
    root = make_site()
    twice = case_md(tags="[调解]", summary="摘要", source="[志愿服务]").replace("source:", "tags:")
    path = write(root, CASE, twice.encode("utf-8"))
    result = cli("review", "yishi", "--source", root, "--stage", "初审", "--by", "张三")
    assert result.code == 1
    assert "content/cases/yishi/index.md:8: “tags”写了两次（第 6 行和第 8 行），只能保留一个" in result.err
    assert "content/cases/yishi/index.md: 案例信息头有错误，先改正它才能记录审核" in result.err
    assert path.read_text(encoding="utf-8") == twice


def test_the_last_stage_says_the_review_is_complete_and_reminds_of_draft(make_site, cli):
    root = make_site(site_yaml=SITE_YAML.replace("review:\n", "review:\n  stages: [一审, 二审]\n"))
    write(root, CASE, case_md(draft="true").encode("utf-8"))
    record_review(root, CASE, "一审", by="张三", day="2024-05-02")
    result = cli("review", "yishi", "--source", root, "--stage", "二审", "--by", "李四", "--date", "2024-05-03")
    assert result.code == 0
    assert result.out == ("已记录“二审”：李四，2024-05-03（content/cases/yishi/index.md）\n"
                          "已完成：一审（张三，2024-05-02）；二审（李四，2024-05-03）\n"
                          "全部审核环节已完成。\n"
                          "注意：这个案例还是草稿（draft: true），改为 draft: false 后才会发布。\n")


# --- publishing only what is reviewed --------------------------------------------------------

def reviewed_site(make_site):
    root = make_site({
        "content/cases/done/index.md": case_md(title="审完的案例", date="2024-05-05"),
        "content/cases/half/index.md": case_md(title="审了一半", date="2024-05-04", tags="[半途标签]"),
        "content/cases/none/index.md": case_md(title="还没审", date="2024-05-03"),
        "content/cases/draft/index.md": case_md(title="草稿案例", draft="true", date="2024-05-02"),
    }, site_yaml=SITE_YAML + "publish:\n  require_review: true\n")
    record_review(root, "content/cases/done/index.md", "初审", "复审", "终审")
    record_review(root, "content/sites/xizhai-cun/index.md", "初审", "复审", "终审")
    record_review(root, "content/cases/half/index.md", "初审")
    return root


def test_build_publishes_only_reviewed_cases_and_says_what_each_other_waits_for(make_site, cli):
    root = reviewed_site(make_site)
    result = cli("build", "--source", root)
    assert result.code == 0, result.err
    assert "构建完成：1 个案例" in result.out
    assert ("\n未发布 3 项：\n"
            "  - 审了一半（content/cases/half/index.md）：待复审（已初审）\n"
            "  - 还没审（content/cases/none/index.md）：待初审\n"
            "  - 草稿案例（content/cases/draft/index.md）：草稿（draft: true）\n") in result.out
    out = root / "output"
    assert (out / "cases/done/index.html").is_file()
    for slug, title in (("half", "审了一半"), ("none", "还没审"), ("draft", "草稿案例")):
        assert not (out / "cases" / slug).exists()
        for rel in ("sitemap.xml", "feed.xml", "index.html", "cases/index.html"):
            text = (out / rel).read_text(encoding="utf-8")
            assert f"cases/{slug}/" not in text and title not in text, (rel, slug)
        for path in (out / "search").rglob("*") if (out / "search").is_dir() else ():
            if path.is_file():
                data = path.read_bytes()
                assert title.encode("utf-8") not in data and f"cases/{slug}/".encode() not in data, (path, slug)
    assert not (out / "tags").exists() or "半途标签" not in (out / "tags/index.html").read_text(encoding="utf-8")
    if (out / "search").is_dir():        # the absence above means something: the published case is there
        assert any("审完的案例".encode("utf-8") in p.read_bytes() for p in (out / "search").rglob("*") if p.is_file())


def test_the_preview_shows_unreviewed_cases_with_a_banner(make_site):
    root = reviewed_site(make_site)
    result = build_site(root, BuildOptions(write=False, preview=True, drafts=True, workers=1))
    half = result.outputs["cases/half/index.html"].decode("utf-8")
    assert '<p class="banner draft review" role="note">待审：这个案例还在等待“复审”，只在本机预览中显示，审核完成前不会发布。</p>' in half
    assert "待审：" not in result.outputs["cases/done/index.html"].decode("utf-8")
    draft = result.outputs["cases/draft/index.html"].decode("utf-8")
    assert "草稿：这个案例尚未正式发布" in draft and "等待“初审”" in draft


def test_without_require_review_there_is_no_review_banner(make_site):
    root = make_site({"content/cases/none/index.md": case_md(title="还没审")})
    result = build_site(root, BuildOptions(write=False, preview=True, drafts=True, workers=1))
    assert "待审：" not in result.outputs["cases/none/index.html"].decode("utf-8")


# --- status ----------------------------------------------------------------------------------

def test_status_lists_every_case_newest_first_with_its_state(make_site, cli):
    root = reviewed_site(make_site)
    result = cli("status", "--source", root)
    assert result.code == 0, result.err
    assert result.out == (
        "类型    日期        文件夹      标题        状态    审核\n"
        "------  ----------  ----------  ----------  ------  --------------\n"
        "案例    2024-05-05  done        审完的案例  已发布  已审完\n"
        "案例    2024-05-04  half        审了一半    待审    已初审，待复审\n"
        "案例    2024-05-03  none        还没审      待审    待初审\n"
        "案例    2024-05-02  draft       草稿案例    草稿    待初审\n"
        "示范点              xizhai-cun  西翟村      已发布  已审完\n"
        "\n"
        "共 4 个案例、1 个示范点、0 个页面：已发布 2，草稿 1，定时发布 0，待审 2。\n")


def test_status_without_require_review_says_reviews_do_not_hold_cases_back(make_site, cli):
    root = make_site({"content/cases/a/index.md": case_md(title="甲", date="2099-01-01")})
    result = cli("status", "--source", root)
    assert "案例    2099-01-01  a           甲      定时发布  待初审" in result.out
    assert "（site.yaml 未设置 publish: require_review: true，审核进度仅供参考，不影响发布。）" in result.out


def test_status_survives_a_gbk_console(make_site):
    root = make_site({"content/cases/a/index.md": case_md(title="点赞🙂案例")})
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "builder", "status", "--source", str(root)],
                          capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")
    assert "点赞?案例" in text and "共 1 个案例、1 个示范点、0 个页面：已发布 2" in text
