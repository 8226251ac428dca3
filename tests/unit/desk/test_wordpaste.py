"""builder.desk.wordpaste: text pasted from Word, WPS or a web page becomes clean Markdown by the
importer's conversion, with the pictures it carries saved as photos of the case; a Word document
given to the desk becomes a draft case, as `showcase import` makes it."""
from __future__ import annotations

import base64

import pytest
from conftest import case_md, snapshot
from photos import jpeg_bytes, png_bytes
from word_clipboard import PNG, WORD_HTML
from word_files import WordFile

from builder.desk.service import Service
from builder.desk.wordpaste import import_word, paste

CASE = "content/cases/yishi/index.md"


@pytest.fixture
def site(make_site):
    return make_site({CASE: case_md(title="西翟村议事平台")})


def test_word_html_pasted_becomes_clean_markdown_and_its_embedded_picture_a_photo(site):
    answer = paste(Service(site), "case", "yishi", {"html": WORD_HTML})
    assert answer.status == 200
    assert answer.body["markdown"] == ("## 一、基本情况\n\n村里搭建了**议事平台**。\n\n| 年份 | 纠纷 |\n| --- | --- |\n| 2024 | 12 |\n\n"
                                       "[中国政府网](https://www.gov.cn/)点我\n\n结束。\n\n![议事会现场](image-1.png)\n")
    assert answer.body["photos"] == ["image-1.png"]
    assert (site / "content/cases/yishi/image-1.png").read_bytes() == base64.b64decode(PNG)
    assert answer.body["message"] == ("有 1 张图片没能从剪贴板里取到（clip_image002.jpg）：请把图片另存到电脑上，"
                                      "再用“照片”里的“选择照片”添加。")


def test_a_pasted_picture_takes_a_free_name_and_something_that_is_no_picture_is_dropped(site):
    (site / "content/cases/yishi/image-1.png").write_bytes(png_bytes("RGB"))
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    html = f'<p>甲</p><img src="data:image/png;base64,{PNG}"><img src="data:image/png;base64,{fake}"><p>乙</p>'
    answer = paste(Service(site), "case", "yishi", {"html": html})
    assert answer.body["photos"] == ["image-1-2.png"]
    assert answer.body["markdown"] == "甲\n\n![](image-1-2.png)\n\n乙\n"


def test_pasting_writes_nothing_but_the_photos(site):
    before = snapshot(site / "content")
    paste(Service(site), "case", "yishi", {"html": "<p>正文</p>"})
    assert snapshot(site / "content") == before


def received(site, data: bytes):
    path = site / ".cache" / "desk" / "uploads" / "upload.part"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_word_document_becomes_a_draft_case_as_the_import_command_makes_it(site):
    w = WordFile()
    w.title("西翟村：搭建“基层智理”议事平台")
    w.heading("一、基本情况")
    w.para("西翟村位于城关镇，村里搭建了议事平台。")
    w.picture(jpeg_bytes((800, 600), orientation=6))
    w.para("图为议事会现场", centred=True)
    answer = import_word(Service(site), received(site, w.data()), "C:\\材料\\西翟村议事平台.docx", "", "")
    assert answer.status == 200, answer.body
    folder = site / "content/cases" / answer.body["name"]
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert 'title: "西翟村：搭建“基层智理”议事平台"' in text and "draft: true" in text
    assert "  - src: photo-1.jpg\n    caption: \"图为议事会现场\"\n" in text
    assert answer.body["guesses"][0] == "标题：西翟村：搭建“基层智理”议事平台（文档的“标题”样式）"
    assert answer.body["message"] == "已导入 西翟村议事平台.docx，新建了草稿案例。请对照原文档逐项核对。"
    assert not list((site / ".cache/desk/uploads").iterdir())


def test_a_document_that_names_no_model_site_asks_for_one(site):
    w = WordFile()
    w.title("某个做法")
    w.para("正文没有提到任何示范点。")
    before = snapshot(site / "content")
    answer = import_word(Service(site), received(site, w.data()), "材料.docx", "", "")
    assert answer.status == 400 and answer.body["ask_site"] is True
    assert snapshot(site / "content") == before
    answer = import_word(Service(site), received(site, w.data()), "材料.docx", "xizhai-cun", "")
    assert answer.status == 200


def test_a_file_that_is_not_a_word_document_is_refused(site):
    answer = import_word(Service(site), received(site, b"%PDF-1.4"), "材料.pdf", "", "")
    assert answer.status == 415 and "不是 Word 文档" in answer.body["message"]
