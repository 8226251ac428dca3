"""`showcase import`: real Word documents, written in the test with python-docx (and, for what it
cannot write, the XML Word writes), become draft cases that build: every sentence of the
document exactly once, photos upright and without metadata, nothing half-made when it fails."""
from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import snapshot
from photos import RED, jpeg_bytes, metadata_in, png_bytes
from word_files import WordFile, compound_file, damaged_docx, docx_without

TITLE = "西翟村“基层智理”议事平台"
COMMENT = "请核实这个数字"
DELETED = "原来的说法"
SENTENCES = [
    "城关镇党委",                                          # the 供稿 line, now `unit:`
    "西翟村位于城关镇，全村共有村民一千余人。",
    "村里把议事协商作为基层治理的重要抓手。",
    "搭建“基层智理”议事平台",                              # a （一） heading
    "村两委每月召开一次议事会，",
    "群众提出的问题当场登记。",
    "每月召开一次议事会。",                                # a list
    "议事结果张榜公布。",
    "指标", "全年", "参会村民", "300人次",                   # a table
    "图为村民在议事会上发言。",                            # the phone photo's caption
    "图为议事平台的公示栏。",                              # the PNG's caption
    "议事会记录本",                                        # a Caption-style caption (of the third picture)
    "文本框里的一句话。",                                  # a text box
    "这句话带有一条批注。",
    "平台运行以来，矛盾纠纷明显减少。",                    # with a footnote
    "据村委会统计。",                                      # the footnote
    "修订时加上的一句。",                                  # a tracked insertion
    "村里的经验在全市农村推广。",
]


def case_material(title_in_style: bool = True) -> bytes:
    """The document of the issue: a title, 一、/（一） headings, bold, a list, a table, two
    photos with 图为… captions below them (one a phone JPEG turned by EXIF, with GPS), a caption
    in the Caption style, a text box, a comment, a tracked insertion and deletion, a footnote."""
    w = WordFile()
    if title_in_style:
        w.title(TITLE)
    else:
        w.para(("b", TITLE), centred=True)
    w.para("供稿：城关镇党委")
    w.para("一、基本情况")
    w.para("西翟村位于城关镇，全村共有村民一千余人。", indent=True)
    w.para(("b", "村里把议事协商作为基层治理的重要抓手。"), indent=True)
    w.empty()
    w.para("二、主要做法")
    w.para("（一）搭建“基层智理”议事平台")
    w.para("村两委每月召开一次议事会，", ("br", ""), "群众提出的问题当场", ("i", "登记"), "。")
    w.bullets("每月召开一次议事会。", "议事结果张榜公布。")
    w.table([["指标", "全年"], ["参会村民", "300人次"]])
    w.picture(jpeg_bytes((1200, 900), orientation=6, gps=True))
    w.para("图为村民在议事会上发言。", centred=True)
    w.picture(png_bytes("RGB", (480, 360)))
    w.para("图为议事平台的公示栏。")
    w.picture(jpeg_bytes((800, 600), orientation=1, gps=False, color=(30, 160, 90)))
    w.caption("议事会记录本")
    w.text_box("文本框里的一句话。")
    w.commented("这句话带有一条批注。", COMMENT)
    w.para("三、取得成效")
    w.footnote("平台运行以来，矛盾纠纷明显减少。", "据村委会统计。")
    w.tracked("", "修订时加上的一句。", DELETED, "")
    w.para("村里的经验在全市农村推广。")
    w.para("2025年6月12日")
    return w.data()


@pytest.fixture
def site(make_site):
    return make_site()


@pytest.fixture
def material(tmp_path) -> Path:
    path = tmp_path / "西翟村材料.docx"
    path.write_bytes(case_material())
    return path


def case_folder(root: Path) -> Path:
    folders = [p for p in (root / "content" / "cases").iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def front_and_body(index: Path) -> tuple[dict, str]:
    text = index.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def page_text(root: Path, folder: str) -> str:
    """The case page's own words: title, facts, body and captions (the summary above the body
    is left out: it repeats the first paragraph by design)."""
    page = (root / "output" / "cases" / folder / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article class=\"case\">(.*?)</article>", page, re.S).group(1)
    article = re.sub(r'<p class="lead">.*?</p>', "", article, flags=re.S)
    article = re.sub(r'alt="[^"]*"', "", article)
    return html.unescape(re.sub(r"<[^>]+>", "", article))


# --- the document of the issue ------------------------------------------------------------------

def test_the_document_becomes_a_draft_case_that_builds_with_every_sentence_once(cli, site, material):
    result = cli("import", material, "--source", site)
    assert result.code == 0, result.err
    folder = case_folder(site)
    front, body = front_and_body(folder / "index.md")
    assert front == {
        "title": TITLE, "site": "xizhai-cun", "date": __import__("datetime").date(2025, 6, 12), "category": "农村",
        "summary": "西翟村位于城关镇，全村共有村民一千余人。", "unit": "城关镇党委", "draft": True,
        "photos": [{"src": "photo-1.jpg", "caption": "图为村民在议事会上发言。"},
                   {"src": "photo-2.png", "caption": "图为议事平台的公示栏。"},
                   {"src": "photo-3.jpg", "caption": "议事会记录本"}]}
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", "photo-1.jpg", "photo-2.png", "photo-3.jpg"]
    assert cli("build", "--source", site, "--drafts", "-q").code == 0
    text = page_text(site, folder.name)
    for sentence in SENTENCES + [TITLE]:
        assert text.count(sentence) == 1, (sentence, text)
    assert COMMENT not in text and DELETED not in text and COMMENT not in body and DELETED not in body


def test_the_body_keeps_headings_bold_lists_tables_and_footnotes_as_markdown(cli, site, material):
    cli("import", material, "--source", site)
    _, body = front_and_body(case_folder(site) / "index.md")
    assert body == (
        "\n## 一、基本情况\n\n"
        "西翟村位于城关镇，全村共有村民一千余人。\n\n"
        "**村里把议事协商作为基层治理的重要抓手。**\n\n"
        "## 二、主要做法\n\n"
        "### （一）搭建“基层智理”议事平台\n\n"
        "村两委每月召开一次议事会，群众提出的问题当场*登记*。\n\n"
        "- 每月召开一次议事会。\n- 议事结果张榜公布。\n\n"
        "| 指标 | 全年 |\n| --- | --- |\n| 参会村民 | 300人次 |\n\n"
        "![](photo-1.jpg)\n\n"
        "![](photo-2.png)\n\n"
        "![](photo-3.jpg)\n\n"
        "文本框里的一句话。\n\n"
        "这句话带有一条批注。\n\n"
        "## 三、取得成效\n\n"
        "平台运行以来，矛盾纠纷明显减少。[^1]\n\n"
        "修订时加上的一句。\n\n"
        "村里的经验在全市农村推广。\n\n"
        "[^1]: 据村委会统计。\n")


def test_the_photos_come_out_upright_and_without_metadata(cli, site, material):
    cli("import", material, "--source", site)
    folder = case_folder(site)
    assert (folder / "photo-1.jpg").read_bytes() == jpeg_bytes((1200, 900), orientation=6, gps=True)   # as the document held it
    assert cli("build", "--source", site, "--drafts", "-q").code == 0
    out = site / "output" / "cases" / folder.name
    made = sorted(out.glob("photo-*.*"))
    assert made and all(metadata_in(p.read_bytes()) == [] for p in made)
    largest = max(out.glob("photo-1-*w.*.jpg"), key=lambda p: Image.open(p).size[0])
    with Image.open(largest) as image:
        width, height = image.size
        assert height > width                   # 1200x900 stored, turned a quarter by EXIF: portrait
        assert _near(image.getpixel((width - 5, 5)), RED)     # the stored top-left corner, now top-right


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def test_the_command_says_what_it_made_and_what_it_guessed(cli, site, material):
    result = cli("import", material, "--source", site)
    index = Path("content/cases") / case_folder(site).name / "index.md"
    out = result.out
    assert "已导入 " + str(material) + "，新建了草稿案例：" in out and str(index) in out
    assert "照片 3 张，已放进案例文件夹，按文档中的顺序列在 photos: 下。" in out
    for line in ["  标题：西翟村“基层智理”议事平台（文档的“标题”样式）",
                 "  示范点：西翟村（xizhai-cun）（文档开头提到了它）",
                 "  类别：农村（按示范点类型“村”推断）",
                 "  日期：2025-06-12（文档里单独一行的日期）",
                 "  报送单位：城关镇党委（文档里的“供稿”一行）",
                 "  摘要：西翟村位于城关镇，全村共有村民一千余人。（正文第一段）"]:
        assert line in out.splitlines(), line
    assert result.err.splitlines()[1:] == [
        f"{material}: 警告：文档里有 1 个文本框，其中的文字已放进正文里文本框所在的位置",
        "    提示：请在预览中核对这些文字放的位置是否合适。",
        f"{material}: 警告：文档里的 1 条批注没有导入",
        "    提示：批注是审稿意见，不属于正文；需要按批注修改的，请对照 Word 文档修改 index.md。",
        f"{material}: 警告：文档里有 2 处修订（修改痕迹），已按“全部接受”导入",
        "    提示：如有不该接受的修改，请对照 Word 文档修改 index.md。"]


def test_a_plain_bold_centred_first_line_is_the_title(cli, site, tmp_path):
    path = tmp_path / "材料.docx"
    path.write_bytes(case_material(title_in_style=False))
    result = cli("import", path, "--source", site)
    assert result.code == 0, result.err
    front, body = front_and_body(case_folder(site) / "index.md")
    assert front["title"] == TITLE and TITLE not in body
    assert "  标题：西翟村“基层智理”议事平台（文档开头居中加粗的一行）" in result.out.splitlines()


def test_options_win_over_what_the_document_says(cli, make_site, material):
    root = make_site({"content/sites/fuxi-shequ/index.md": "---\ntitle: 府西社区\nkind: 社区\n---\n\n府西社区。\n"})
    result = cli("import", material, "--source", root, "--site", "府西社区", "--category", "社区",
                 "--date", "2025年7月1日", "--slug", "fuxi-yishi")
    assert result.code == 0, result.err
    front, _ = front_and_body(root / "content" / "cases" / "fuxi-yishi" / "index.md")
    assert (front["site"], front["category"], str(front["date"])) == ("fuxi-shequ", "社区", "2025-07-01")
    assert "  示范点：府西社区（fuxi-shequ）（命令行指定）" in result.out.splitlines()


# --- documents without something -----------------------------------------------------------------

def test_a_document_without_a_title_is_named_after_its_file_with_a_warning(cli, site, tmp_path):
    w = WordFile()
    w.para("西翟村搭建议事平台以来，村民有事好商量，这是一段很长的开头，不像标题。")
    w.para("议事会每月召开一次。")
    path = tmp_path / "西翟村议事平台.docx"
    path.write_bytes(w.data())
    result = cli("import", path, "--source", site)
    assert result.code == 0, result.err
    front, body = front_and_body(case_folder(site) / "index.md")
    assert front["title"] == "西翟村议事平台"
    assert body == "\n西翟村搭建议事平台以来，村民有事好商量，这是一段很长的开头，不像标题。\n\n议事会每月召开一次。\n"
    assert f"{path}: 警告：文档里没有找到标题（“标题”样式、开头的标题或居中加粗的一行），暂用文件名“西翟村议事平台”作标题" in result.err


def test_a_document_naming_no_model_site_is_not_imported_and_says_to_use_site(cli, site, tmp_path):
    w = WordFile()
    w.title("某社区志愿服务")
    w.para("社区组织志愿者开展服务。")
    path = tmp_path / "a.docx"
    path.write_bytes(w.data())
    before = snapshot(site)
    result = cli("import", path, "--source", site)
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"{path}: 看不出这篇文档属于哪个示范点",
        "    提示：请加上 --site 指定示范点的文件夹名或名称，例如 --site xizhai-cun；现有：xizhai-cun。"
        "如果文档常用示范点的简称，可以把简称写进这个示范点 index.md 信息头 extra: 下的 aliases: 列表（见使用指南），以后就能自动认出。"]
    assert snapshot(site) == before


def test_a_model_site_is_recognised_by_an_alias(cli, make_site, tmp_path):
    root = make_site({"content/sites/hongda/index.md": "---\ntitle: 山西宏达钢铁集团\nkind: 企业\n"
                                                       "extra:\n  aliases: [宏达钢铁]\n---\n\n宏达。\n"})
    w = WordFile()
    w.title("宏达钢铁开展廉政警示教育")
    w.para("集团组织党员干部参观学习。")
    path = tmp_path / "hongda.docx"
    path.write_bytes(w.data())
    result = cli("import", path, "--source", root)
    assert result.code == 0, result.err
    front, _ = front_and_body(case_folder(root) / "index.md")
    assert (front["site"], front["category"]) == ("hongda", "企业")


# --- files that cannot be imported: a clear message, nothing made -----------------------------

def encrypted(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("mima123", out)
    return out.getvalue()


@pytest.mark.parametrize("name, data, first_line", [
    ("旧材料.doc", compound_file("WordDocument", "1Table"), "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，无法直接导入"),
    ("材料.wps", compound_file("WordDocument"), "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，无法直接导入"),
    ("损坏.docx", damaged_docx(case_material()), "这个文件已损坏，无法读取"),
    ("加密.docx", encrypted(case_material()), "这个文档设置了打开密码，无法导入"),
    ("表格.docx", docx_without(case_material(), "word/document.xml"), "这个文件不是 Word 文档（.docx）"),
], ids=["doc", "wps", "damaged", "password", "not-word"])
def test_a_file_that_is_not_a_readable_docx_gets_a_clear_message_and_nothing_is_made(cli, site, tmp_path, name, data, first_line):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(site)
    result = cli("import", path, "--source", site)
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == f"{path}: {first_line}"
    assert lines[1].startswith("    提示：") and lines[-1] == "没有导入任何文档：1 个问题。"
    assert snapshot(site) == before
    assert not (site / "content" / "cases").exists() or not any((site / "content" / "cases").iterdir())


def test_convert_without_libreoffice_says_so(cli, site, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))         # a machine where LibreOffice is not installed
    monkeypatch.delenv("PROGRAMFILES", raising=False)
    monkeypatch.delenv("PROGRAMFILES(X86)", raising=False)
    path = tmp_path / "旧材料.doc"
    path.write_bytes(compound_file("WordDocument"))
    result = cli("import", path, "--source", site, "--convert")
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"{path}: 本机没有安装 LibreOffice，无法用 --convert 转换",
        "    提示：请用 Word 或 WPS 打开它，“另存为”Word 文档（*.docx）后再导入；也可以安装免费的 LibreOffice 后再加 --convert。"]


def test_convert_turns_a_doc_into_a_case_with_libreoffice(cli, site, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LIBREOFFICE NOT INSTALLED: `showcase import --convert` is not tested here (apt-get install libreoffice-writer)")
    import subprocess
    docx = tmp_path / "src" / "材料.docx"
    docx.parent.mkdir()
    docx.write_bytes(case_material())
    subprocess.run([soffice, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(docx)],
                   check=True, timeout=300, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = cli("import", tmp_path / "材料.doc", "--source", site, "--convert")
    assert result.code == 0, result.err
    front, _ = front_and_body(case_folder(site) / "index.md")
    assert front["title"] == TITLE


# --- a folder --------------------------------------------------------------------------------------

def test_a_folder_is_imported_document_by_document_with_a_table(cli, site, tmp_path):
    folder = tmp_path / "来稿"
    folder.mkdir()
    (folder / "1 西翟村.docx").write_bytes(case_material())
    (folder / "2 旧稿.doc").write_bytes(compound_file("WordDocument"))
    (folder / "~$西翟村.docx").write_bytes(b"lock file of an open document")
    (folder / "说明.txt").write_text("不是文档", encoding="utf-8")
    result = cli("import", folder, "--source", site)
    assert result.code == 1                     # one was not imported
    case = case_folder(site).name
    assert case == "xizhai-jiceng-zhili"
    assert result.out.splitlines()[:5] == [
        "文件           案例文件夹           照片  提醒",
        "-------------  -------------------  ----  ----",
        "1 西翟村.docx  xizhai-jiceng-zhili  3     3",
        "2 旧稿.doc     未导入",
        ""]
    assert "共 2 个文档：导入 1 个，1 个未导入（原因见上）。" in result.out
    assert f"{folder / '2 旧稿.doc'}: 这是旧版 Word（.doc）或 WPS（.wps）格式的文件，无法直接导入" in result.err


def test_slug_with_a_folder_is_refused(cli, site, tmp_path):
    result = cli("import", tmp_path, "--source", site, "--slug", "abc")
    assert result.code == 1 and "--slug 只能在导入一个文档时使用" in result.err


def test_an_imported_case_is_never_written_over(cli, site, material):
    assert cli("import", material, "--source", site, "--slug", "yishi").code == 0
    first = snapshot(site)
    result = cli("import", material, "--source", site, "--slug", "yishi")
    assert result.code == 1
    assert "文件夹 content/cases/yishi/ 已经存在，为防止覆盖，没有导入" in result.err
    assert snapshot(site) == first
    assert cli("import", material, "--source", site).code == 0      # without --slug: a free folder name
    assert len([p for p in (site / "content" / "cases").iterdir()]) == 2


def test_bad_options_are_all_reported_before_anything_is_read(cli, site, material):
    result = cli("import", material, "--source", site, "--site", "东村", "--category", "乡村", "--date", "2025-13-01")
    assert result.code == 1
    assert "示范点“东村”不存在" in result.err and "类别“乡村”未在 site.yaml 的 categories 中定义" in result.err
    assert "日期“2025-13-01”不存在" in result.err and "没有导入任何文档：3 个问题。" in result.err


def test_english_output_holds_no_chinese_of_ours(cli, site, material):
    result = cli("import", material, "--source", site, "--lang", "en")
    assert result.code == 0
    ours = result.out.replace(str(material), "")
    for value in ("西翟村“基层智理”议事平台", "西翟村位于城关镇，全村共有村民一千余人。", "西翟村", "农村", "城关镇党委",
                  "'村'", "初审"):          # the document's words, the site's kind and review stage: data
        ours = ours.replace(value, "")
    assert not re.search(r"[\u3400-\u9fff]", ours), ours
    assert "  title: 西翟村“基层智理”议事平台 (the document's Title style)" in result.out.splitlines()
    assert not re.search(r"[\u3400-\u9fff]", result.err.replace(str(material), ""))
