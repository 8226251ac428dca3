"""The title, captions, 供稿 and date lines of a document, found by the conventions of
township write-ups (documents written with python-docx, read as the importer reads them)."""
from __future__ import annotations

import datetime as dt

import pytest

from photos import jpeg_bytes
from word_files import WordFile
from builder.importer.document import read_document
from builder.importer.layout import dates_in, whole_date


def read(w: WordFile):
    return read_document(w.data(), "a.docx", "文件名")


@pytest.mark.parametrize("text, date", [
    ("2025年6月12日", dt.date(2025, 6, 12)), ("2025 年 6 月 1 号", dt.date(2025, 6, 1)), ("2025-06-12", dt.date(2025, 6, 12)),
    ("2025/6/2", dt.date(2025, 6, 2)), ("二〇二五年六月十二日", dt.date(2025, 6, 12)), ("二○二四年十二月三十一日", dt.date(2024, 12, 31)),
    ("二〇二五年十月二十日", dt.date(2025, 10, 20)), ("2025年2月30日", None), ("2025年6月12日召开", None), ("2025年6月", None),
])
def test_a_line_that_is_only_a_date_is_read(text, date):
    assert whole_date(text) == date


def test_dates_in_running_text_are_found_in_order():
    assert dates_in("2024年3月1日起，2023-05-06 以来，二〇二二年一月一日") == [
        dt.date(2024, 3, 1), dt.date(2023, 5, 6), dt.date(2022, 1, 1)]


@pytest.mark.parametrize("build, title, origin", [
    (lambda w: (w.title("西翟村议事"), w.title("平台建设")), "西翟村议事平台建设", "import_title_style"),
    (lambda w: w.heading("西翟村议事平台", 1), "西翟村议事平台", "import_title_heading"),
    (lambda w: (w.para("供稿：城关镇"), w.para(("b", "西翟村议事平台"), centred=True)), "西翟村议事平台", "import_title_bold"),
    (lambda w: w.para("西翟村议事平台"), "西翟村议事平台", "import_title_first_line"),
    (lambda w: w.para("一、基本情况"), "文件名", "import_title_file_name"),
    (lambda w: w.para("西翟村搭建了议事平台。"), "文件名", "import_title_file_name"),
], ids=["title-style-two-lines", "heading", "bold-centred", "first-line", "numbered-first-line", "sentence"])
def test_the_title_is_found_by_style_heading_bold_centred_line_or_first_line(build, title, origin):
    w = WordFile()
    build(w)
    w.para("村里每月召开一次议事会，群众有事好商量。")
    reading = read(w)
    assert (reading.title, reading.title_from) == (title, origin)
    assert (title in reading.body) is (origin == "import_title_file_name" and title != "文件名")


@pytest.mark.parametrize("caption_paragraph, caption", [
    (lambda w: w.para("图为议事现场。"), "图为议事现场。"),
    (lambda w: w.para("图1 议事现场"), "图1 议事现场"),
    (lambda w: w.para("图：议事现场"), "图：议事现场"),
    (lambda w: w.para("▲村民在议事会上发言。"), "村民在议事会上发言。"),
    (lambda w: w.caption("议事现场"), "议事现场"),
    (lambda w: w.para("议事现场", centred=True), "议事现场"),
    (lambda w: w.para("村里的议事会每月召开一次，群众踊跃参加。"), ""),
], ids=["tu-wei", "tu-1", "tu-colon", "triangle", "caption-style", "centred", "plain-paragraph"])
def test_the_caption_below_a_picture_is_taken_out_of_the_body(caption_paragraph, caption):
    w = WordFile()
    w.title("标题")
    w.picture(jpeg_bytes((300, 200)))
    caption_paragraph(w)
    reading = read(w)
    assert [(p.name, p.caption) for p in reading.photos] == [("photo-1.jpg", caption)]
    assert reading.body.startswith("![](photo-1.jpg)\n")
    assert (caption in reading.body) is (caption == "")


def test_a_caption_by_its_words_above_the_picture_wins_over_a_centred_line_below():
    w = WordFile()
    w.title("标题")
    w.para("图为议事现场。")
    w.picture(jpeg_bytes((300, 200)))
    w.para("居中的一行正文", centred=True)
    reading = read(w)
    assert [p.caption for p in reading.photos] == ["图为议事现场。"]
    assert reading.body == "![](photo-1.jpg)\n\n居中的一行正文\n"


def test_a_centred_line_above_a_picture_is_not_its_caption():
    w = WordFile()
    w.title("标题")
    w.para("居中的一行正文", centred=True)
    w.picture(jpeg_bytes((300, 200)))
    w.para("后面的正文，比较长的一段话。")
    reading = read(w)
    assert [p.caption for p in reading.photos] == [""]


def test_a_picture_inside_a_paragraph_of_text_gets_a_paragraph_of_its_own_and_its_caption():
    w = WordFile()
    w.title("标题")
    p = w.para("前面的文字。")
    p.add_run().add_break()
    w.doc.paragraphs[-1]._p.append(w.picture(jpeg_bytes((300, 200)))._p.r_lst[0])
    w.doc.paragraphs[-1]._p.getparent().remove(w.doc.paragraphs[-1]._p)
    p.add_run().add_break()
    p.add_run("图为议事现场。")
    reading = read(w)
    assert reading.body == "前面的文字。\n\n![](photo-1.jpg)\n"
    assert [x.caption for x in reading.photos] == ["图为议事现场。"]


def test_unit_source_and_date_lines_are_taken_out_but_other_lines_stay():
    w = WordFile()
    w.title("标题")
    w.para("（供稿：城关镇党委）")
    w.para("来源：河津日报")
    w.para("供稿：另一个单位")
    w.para("2025年6月12日，村里召开议事会。")
    w.para("二〇二五年六月十二日")
    reading = read(w)
    layout = reading.layout
    assert (layout.unit, layout.source, layout.date) == ("城关镇党委", "河津日报", dt.date(2025, 6, 12))
    assert reading.body == "供稿：另一个单位\n\n2025年6月12日，村里召开议事会。\n"


def test_an_emf_picture_is_reported_and_its_caption_stays_in_the_body():
    w = WordFile()
    w.title("标题")
    w.metafile()
    w.para("图为议事流程图。")
    reading = read(w)
    assert reading.photos == ()
    assert reading.body == "图为议事流程图。\n"
    assert [(p.code, p.params) for p in reading.warnings] == [
        ("import_picture_unreadable", {"number": 1, "kind": "EMF", "near": "图为议事流程图。"})]
