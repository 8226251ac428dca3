"""The editing desk in real Chromium against a real `showcase serve`: a case made from nothing
through the form (every field, three photos, one of them a phone JPEG lying on its side with
GPS), then built and checked; the conflict flow; the three review stages; a page on another
site trying to post; leaving with unsaved changes; and every sample case opened and saved
through the form, byte-identical afterwards."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from conftest import REPO, case_md, run_cli, snapshot
from desk_server import start_desk, stop_desk
from photos import jpeg_bytes, metadata_in, png_bytes

from builder.desk import recycle

pytestmark = pytest.mark.browser
CASE = "content/cases/yishi/index.md"
TIMEOUT = 20_000


@pytest.fixture
def desk(tmp_path):
    started = []

    def start(root, *args):
        started.append(start_desk(root, tmp_path, *args))
        return started[-1]
    yield start
    for server in started:
        stop_desk(server)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def saved(page) -> None:
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#save-status")).to_have_text(re.compile("^(已保存|没有需要保存的修改)"))


def open_form(page, server, kind: str, name: str) -> None:
    page.goto(f"{server.base}/_edit/{kind}/{name}")
    page.get_by_role("button", name="保存", exact=True).wait_for()


# --- a case from nothing ---------------------------------------------------------------------

def test_a_case_made_from_nothing_in_the_form_is_written_builds_and_shows_its_photos_upright(desk, tab, make_site, tmp_path,
                                                                                             static_server):
    site = make_site()
    server = desk(site)
    photos = tmp_path / "phone"
    photos.mkdir()
    (photos / "IMG_2041.JPG").write_bytes(jpeg_bytes((1200, 900), orientation=6, gps=True, extras=True))   # held upright
    (photos / "IMG_2042.jpg").write_bytes(jpeg_bytes((1600, 1200), gps=True))
    (photos / "微信图片.png").write_bytes(png_bytes("RGB", (1200, 800)))

    tab.goto(server.base + "/_edit/")
    tab.get_by_role("button", name="新建案例").click()
    dialog = tab.get_by_role("dialog")
    dialog.get_by_label("标题", exact=True).fill("西翟村：组建“党员先锋岗”")
    dialog.get_by_label("示范点", exact=True).select_option(label="西翟村")
    dialog.get_by_label("类别", exact=True).select_option("农村")
    dialog.get_by_role("button", name="创建").click()
    tab.wait_for_url(re.compile(r"/_edit/case/"))
    name = tab.url.rsplit("/", 1)[-1]
    folder = site / "content" / "cases" / name

    tab.get_by_label("日期", exact=True).fill("2025年6月1日")
    tab.get_by_label("平安建设").check()
    tags = tab.get_by_label("标签", exact=True)
    for tag in ("先锋岗", "志愿服务"):
        tags.fill(tag)
        tags.press("Enter")
    tab.get_by_label("摘要", exact=True).fill("西翟村组建党员先锋岗，带头化解矛盾纠纷。")
    tab.get_by_label("来源", exact=True).fill("《河津：奋力争当排头兵》，本版文字 韩维元")
    tab.get_by_label("报送单位", exact=True).fill("河津市委组织部")
    tab.get_by_label("草稿", exact=False).uncheck()
    tab.get_by_label("推荐", exact=False).check()
    body = tab.get_by_role("textbox", name="正文", exact=True)
    body.fill("基本情况\n\n村里组建了党员先锋岗，共有党员二十名。\n\n主要做法\n\n党员轮流值守，先锋岗每周接待群众。\n")
    body.evaluate("area => area.setSelectionRange(0, 4)")
    tab.get_by_role("button", name="小标题").click()
    body.evaluate("area => { var i = area.value.indexOf('主要做法'); area.setSelectionRange(i, i + 4); }")
    tab.get_by_role("button", name="小标题").click()
    body.evaluate("area => { var i = area.value.indexOf('先锋岗每周'); area.setSelectionRange(i, i + 3); }")
    tab.get_by_role("button", name="加粗").click()

    tab.locator("#photo-input").set_input_files([photos / "IMG_2041.JPG", photos / "IMG_2042.jpg", photos / "微信图片.png"])
    cards = tab.locator(".card")
    cards.nth(2).wait_for()
    names = [cards.nth(i).get_attribute("data-src") for i in range(3)]
    assert sorted(names) == ["IMG_2041.JPG", "IMG_2042.jpg", "微信图片.png"]
    captions = {"IMG_2041.JPG": "党员先锋岗值守", "IMG_2042.jpg": "先锋岗接待群众", "微信图片.png": "先锋岗标牌"}
    for index, photo in enumerate(names):
        cards.nth(index).get_by_label("图片说明").fill(captions[photo])
    tab.locator(".card[data-src='IMG_2041.JPG']").get_by_label("摄影").fill("张三")
    for index, photo in enumerate(["IMG_2041.JPG", "IMG_2042.jpg", "微信图片.png"]):   # uploads end in any order
        while cards.nth(index).get_attribute("data-src") != photo:
            tab.locator(f".card[data-src='{photo}']").get_by_role("button", name="上移").click()
    tab.locator(".card[data-src='IMG_2042.jpg']").get_by_label("设为封面").check()
    upright = tab.locator(".card[data-src='IMG_2041.JPG'] img")
    expect(upright).to_have_js_property("complete", True)
    assert upright.evaluate("img => img.naturalHeight > img.naturalWidth > 0")      # shown as the phone was held
    tab.locator(".card[data-src='IMG_2041.JPG']").get_by_role("button", name="插入正文").click()
    saved(tab)

    text = (folder / "index.md").read_text(encoding="utf-8")
    front, body_text = text.split("\n---\n", 1)
    assert front == ('---\ntitle: "西翟村：组建“党员先锋岗”"\nsite: xizhai-cun\ndate: 2025-06-01\ncategory: 农村\n'
                     'actions: [平安建设]\ntags: [先锋岗, 志愿服务]                 # 标签，例如 [调解, 志愿服务]\n'
                     'summary: 西翟村组建党员先锋岗，带头化解矛盾纠纷。\nsource: 《河津：奋力争当排头兵》，本版文字 韩维元\n'
                     'unit: 河津市委组织部\ncover: IMG_2042.jpg\nfeatured: true\n'
                     'draft: false              # 草稿：写好并审核通过后改为 false，才会发布\n'
                     'photos:\n  # 把照片放进本文件夹，每张照片写两行（去掉行首的“# ”，短横线对齐）：\n'
                     '  # - src: photo-1.jpg\n  #   caption: 照片说明文字\n'
                     '  - src: IMG_2041.JPG\n    caption: 党员先锋岗值守\n    credit: 张三\n'
                     '  - src: IMG_2042.jpg\n    caption: 先锋岗接待群众\n  - src: 微信图片.png\n    caption: 先锋岗标牌')
    assert body_text == ("\n## 基本情况\n\n村里组建了党员先锋岗，共有党员二十名。\n\n## 主要做法\n\n党员轮流值守，**先锋岗**每周接待群众。\n\n"
                         "![党员先锋岗值守](IMG_2041.JPG)\n")
    assert (folder / "IMG_2041.JPG").read_bytes() == (photos / "IMG_2041.JPG").read_bytes()      # the original kept
    # The preview beside the editor shows the photo from the desk, upright.
    frame = tab.frame_locator(".preview-frame")
    frame.locator("figure img").wait_for()
    assert frame.locator("figcaption").inner_text() == "党员先锋岗值守"

    stop_desk(server)
    result = run_cli("build", "--source", site)
    assert result.code == 0, result.err
    page = (site / "output" / "cases").glob("*/index.html")
    html = next(p for p in page if "党员先锋岗" in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    assert html.count("先锋岗接待群众") >= 1 and "先锋岗标牌" in html
    www = static_server(site / "output")
    tab.goto(www + f"cases/{name}/")
    shown = tab.locator("img[alt='党员先锋岗值守']").first
    expect(shown).to_have_js_property("complete", True)
    assert shown.evaluate("img => img.naturalHeight > img.naturalWidth > 0")      # upright on the built page
    sideways = [p for p in (site / "output").rglob("*.jpg") if "img-2041" in p.name.lower() or "IMG_2041" in p.name]
    assert sideways
    for rendition in sideways:
        data = rendition.read_bytes()
        width, height = Image.open(io.BytesIO(data)).size
        assert height > width and metadata_in(data) == [], rendition.name


# --- conflicts -------------------------------------------------------------------------------

def test_a_file_changed_on_disk_meanwhile_is_not_overwritten_and_my_version_can_be_kept(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    open_form(tab, server, "case", "yishi")
    path = site / CASE
    path.write_text(case_md(title="西翟村议事平台", body="## 基本情况\n\n同事在记事本里改的正文。\n"), encoding="utf-8")
    theirs = path.read_bytes()
    tab.get_by_label("标题", exact=True).fill("我改的标题")
    tab.get_by_role("button", name="保存", exact=True).click()
    dialog = tab.get_by_role("dialog", name="文件在别处被修改过")
    dialog.wait_for()
    rows = [[cell.inner_text() for cell in row.locator("th, td").all()] for row in dialog.locator("tbody tr").all()]
    assert rows == [["标题", "西翟村议事平台", "我改的标题"],
                    ["正文\n您的版本第 3 行附近", "同事在记事本里改的正文。", "村里搭建了议事平台。"]]
    dialog.get_by_text("查看两个版本的完整文件").click()
    assert dialog.locator(".version").nth(1).locator("li.changed").count() == 2
    assert path.read_bytes() == theirs
    dialog.get_by_role("button", name="把我的版本另存一份，然后载入磁盘上的版本").click()
    tab.locator("#desk-toast").get_by_text("您的版本已另存为").wait_for()
    expect(tab.get_by_label("标题", exact=True)).to_have_value("西翟村议事平台")
    assert tab.get_by_role("textbox", name="正文", exact=True).input_value().startswith("## 基本情况\n\n同事在记事本里改的正文。")
    assert path.read_bytes() == theirs
    [kept] = recycle.entries(site)
    assert kept.what == "copy" and "title: 我改的标题" in (site / recycle.RECYCLE_DIR / kept.id / "index.md").read_text(encoding="utf-8")


# --- review ----------------------------------------------------------------------------------

def test_the_three_review_stages_are_recorded_from_the_form(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    open_form(tab, server, "case", "yishi")
    reviewer = tab.get_by_label("审核人")
    reviewer.fill("张三")
    tab.get_by_role("button", name="记录初审").click()
    tab.get_by_role("button", name="记录复审").wait_for()
    assert tab.get_by_label("审核人").input_value() == "张三"          # remembered by the browser
    for stage, by in (("复审", "李四"), ("终审", "王五")):
        tab.get_by_label("审核人").fill(by)
        tab.get_by_role("button", name=f"记录{stage}").click()
        tab.locator("#section-review td", has_text=by).wait_for()
    tab.get_by_text("三审已全部完成。").wait_for()
    today = dt.date.today().isoformat()
    text = re.sub(r"digest: \w+", "digest: …", (site / CASE).read_text(encoding="utf-8"))
    assert text.endswith(f"review:\n  - {{stage: 初审, by: 张三, date: {today}, digest: …}}\n"
                         f"  - {{stage: 复审, by: 李四, date: {today}, digest: …}}\n"
                         f"  - {{stage: 终审, by: 王五, date: {today}, digest: …}}\n---\n\n## 基本情况\n\n村里搭建了议事平台。\n")


def test_a_review_of_a_text_changed_since_shows_what_changed_and_asks_for_the_stage_again(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    open_form(tab, server, "case", "yishi")
    tab.get_by_label("审核人").fill("张三")
    tab.get_by_role("button", name="记录初审").click()
    tab.get_by_role("button", name="记录复审").wait_for()
    tab.get_by_role("textbox", name="正文", exact=True).fill("## 基本情况\n\n村里搭建了议事平台，每月开一次会。\n")
    saved(tab)
    stale = tab.locator("#section-review .stale")
    expect(stale).to_contain_text("审核后内容又改动过，需要重新审核（原来已过初审）")
    expect(stale).to_contain_text("正文第 3 行：原来是“村里搭建了议事平台。”，现在是“村里搭建了议事平台，每月开一次会。”")
    tab.get_by_role("button", name="记录初审").click()                 # the stage it fell back from, again
    tab.get_by_role("button", name="记录复审").wait_for()
    expect(tab.locator("#section-review .stale")).to_have_count(0)
    tab.goto(server.base + "/_edit/")
    expect(tab.get_by_role("row").nth(1)).to_contain_text("已初审")


def test_a_review_waits_for_unsaved_changes_to_be_saved(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    open_form(tab, server, "case", "yishi")
    before = (site / CASE).read_bytes()
    tab.get_by_label("标题", exact=True).fill("改了还没保存")
    tab.get_by_label("审核人").fill("张三")
    tab.get_by_role("button", name="记录初审").click()
    tab.get_by_text("请先保存修改，再记录审核。").wait_for()
    assert (site / CASE).read_bytes() == before


# --- safety ----------------------------------------------------------------------------------

def test_a_page_on_another_site_that_posts_to_the_desk_changes_nothing(desk, tab, make_site, static_server, tmp_path):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    evil = tmp_path / "evil"
    evil.mkdir()
    target = f"{server.base}/_edit/api/save/case/yishi"
    (evil / "index.html").write_text(f"""<!doctype html><meta charset="utf-8"><body>
<form id="f" method="post" action="{target}" enctype="text/plain">
<input name='{{"digest":"x","values":{{"title":"被篡改","x":"' value='"}}}}'></form>
<script>
fetch("{target}", {{method: "POST", mode: "no-cors", body: JSON.stringify({{digest: "x", values: {{title: "被篡改"}}}})}})
  .catch(function () {{}}).then(function () {{ document.getElementById("f").submit(); }});
</script></body>""", encoding="utf-8")
    before = snapshot(site / "content")
    responses = []
    tab.on("response", lambda r: responses.append(r.status) if "/_edit/api/" in r.url else None)
    tab.goto(static_server(evil))
    tab.wait_for_url(re.compile("/_edit/api/save"))
    assert responses and set(responses) == {403}
    assert snapshot(site / "content") == before


def test_leaving_with_unsaved_changes_asks_first(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site)
    open_form(tab, server, "case", "yishi")
    asked = []
    tab.on("dialog", lambda d: (asked.append(d.type), d.dismiss() if d.type == "confirm" else d.accept()))
    tab.get_by_label("标题", exact=True).fill("改了还没保存")
    tab.get_by_role("link", name="← 返回案例列表").click()             # inside the desk: a confirm
    assert asked == ["confirm"] and "/_edit/case/yishi" in tab.url
    tab.close(run_before_unload=True)                                      # closing the tab: the browser asks
    tab.wait_for_event("close")
    assert asked == ["confirm", "beforeunload"]


def test_on_the_network_the_desk_opens_only_with_the_code_from_the_terminal(desk, tab, make_site):
    site = make_site({CASE: case_md(title="西翟村议事平台")})
    server = desk(site, "--host", "0.0.0.0")
    code = re.search(r"编辑台访问码：(\d{6})", server.output()).group(1)
    tab.goto(server.base + "/_edit/case/yishi")
    tab.get_by_role("heading", name="请输入访问码").wait_for()
    assert tab.get_by_label("标题", exact=True).count() == 0          # nothing of the case is shown
    field = tab.get_by_label("访问码（6 位数字）")
    field.fill("000000" if code != "000000" else "111111")
    tab.get_by_role("button", name="进入编辑台").click()
    tab.get_by_text("访问码不对").wait_for()
    field.fill(code)
    tab.get_by_role("button", name="进入编辑台").click()
    expect(tab.get_by_label("标题", exact=True)).to_have_value("西翟村议事平台")


# --- every sample file through the form ------------------------------------------------------

def test_every_sample_case_opened_and_saved_in_the_form_stays_byte_identical(desk, tab, copy_site):
    """Every case, and a model site and a page, through the browser (every sample file goes
    through the same form code without a browser in tests/unit/desk/test_form.py)."""
    site = copy_site("sample")
    server = desk(site)
    before = snapshot(site / "content")
    listed = server.get_json("/_edit/api/list").json()
    documents = [("case", row["name"]) for row in listed["cases"]] + [("site", "xizhai-cun"), ("page", "guanyu")]
    assert len(documents) == 20
    for kind, name in documents:
        open_form(tab, server, kind, name)
        saved(tab)
        assert tab.locator("#save-status").inner_text() == "没有需要保存的修改", (kind, name)
    assert snapshot(site / "content") == before


# --- Word, WPS, web pages --------------------------------------------------------------------

def test_text_copied_from_a_word_document_is_pasted_as_clean_text_with_its_picture(desk, browser, make_site):
    from word_clipboard import WORD_HTML
    site = make_site({CASE: case_md(title="西翟村议事平台", body="")})
    server = desk(site)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    open_form(tab, server, "case", "yishi")
    body = tab.get_by_role("textbox", name="正文", exact=True)
    body.click()
    body.evaluate("""(area, html) => navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], {type: "text/html"}), "text/plain": new Blob(["纯文本"], {type: "text/plain"})})])""",
                  WORD_HTML)
    body.press("Control+V")
    expect(body).to_have_value(re.compile("议事会现场"))
    assert body.input_value() == ("## 一、基本情况\n\n村里搭建了**议事平台**。\n\n| 年份 | 纠纷 |\n| --- | --- |\n| 2024 | 12 |\n\n"
                                  "[中国政府网](https://www.gov.cn/)点我\n\n结束。\n\n![议事会现场](image-1.png)\n")
    tab.locator(".card[data-src='image-1.png']").wait_for()
    tab.locator("#desk-toast").get_by_text("没能从剪贴板里取到").wait_for()
    saved(tab)
    text = (site / CASE).read_text(encoding="utf-8")
    assert "  - src: image-1.png\n" in text and text.endswith("![议事会现场](image-1.png)\n")
    context.close()


def test_a_word_document_imported_from_the_list_opens_as_a_draft_case(desk, tab, make_site, tmp_path):
    from word_files import WordFile
    site = make_site()
    server = desk(site)
    w = WordFile()
    w.title("西翟村：搭建“基层智理”议事平台")
    w.heading("一、基本情况")
    w.para("西翟村位于城关镇，村里搭建了议事平台。")
    w.picture(jpeg_bytes((800, 600), orientation=6))
    w.para("图为议事会现场", centred=True)
    document = tmp_path / "西翟村议事平台.docx"
    document.write_bytes(w.data())
    tab.goto(server.base + "/_edit/")
    tab.get_by_role("button", name="导入 Word 文档").click()
    dialog = tab.get_by_role("dialog", name="导入 Word 文档")
    dialog.get_by_label("Word 文档").set_input_files(document)
    dialog.get_by_role("button", name="导入").click()
    tab.wait_for_url(re.compile(r"/_edit/case/"))
    notes = tab.locator(".import-notes")
    expect(notes).to_contain_text("已导入 西翟村议事平台.docx，新建了草稿案例")
    expect(notes).to_contain_text("标题：西翟村：搭建“基层智理”议事平台")
    expect(tab.get_by_label("标题", exact=True)).to_have_value("西翟村：搭建“基层智理”议事平台")
    expect(tab.locator(".card .field input").first).to_have_value("图为议事会现场")
    assert tab.get_by_label("草稿", exact=False).is_checked()


# --- accessibility ---------------------------------------------------------------------------

AXE = Path(os.environ.get("SHOWCASE_AXE", REPO / "tests/.node/node_modules/axe-core/axe.min.js"))


@pytest.mark.parametrize("path", ["/_edit/", "/_edit/sites", "/_edit/case/yishi", "/_edit/site/xizhai-cun", "/_edit/recycle"])
def test_the_desk_has_no_wcag_a_or_aa_violations(desk, browser, make_site, path):
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core missing at {AXE}: .ci/run must install it")
        pytest.skip(f"ACCESSIBILITY TESTS SKIPPED: axe-core not found at {AXE}")
    site = make_site({CASE: case_md(title="西翟村议事平台", photos="\n  - src: a.jpg\n    caption: 议事会",
                                    body="## 基本情况\n\n【填写提示】写好后删除本行。\n"),
                      "content/cases/yishi/a.jpg": jpeg_bytes((400, 300))})
    server = desk(site)
    # axe is injected as a script of the page: the desk's own policy would (rightly) refuse it.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True)
    tab = context.new_page()
    tab.goto(server.base + path)
    tab.locator("main h1").wait_for()
    if "/case/" in path:
        tab.locator(".problem").first.wait_for()            # problems shown beside their fields
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
    }""")
    context.close()
    assert result == []
