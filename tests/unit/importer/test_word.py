"""Reading a .docx with mammoth: pictures in order, the marks people should know about, and the
reason a file cannot be read (real .docx files written with python-docx)."""
from __future__ import annotations

import io

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from photos import jpeg_bytes, png_bytes
from word_files import EMF_HEADER, WordFile, compound_file, damaged_docx, docx_without
from builder.importer.word import Unreadable, read_docx


def test_pictures_come_in_document_order_with_the_suffix_of_their_real_format():
    w = WordFile()
    w.picture(png_bytes("RGB"))
    w.para("文字。")
    w.picture(jpeg_bytes((300, 200)))
    w.metafile(EMF_HEADER)
    word = read_docx(w.data())
    assert [(p.number, p.suffix, p.kind) for p in word.pictures] == [(1, "png", "PNG"), (2, "jpg", "JPEG"), (3, "", "EMF")]
    assert word.pictures[1].data == jpeg_bytes((300, 200))
    assert word.html.count('<img src="word-picture:') == 3


def test_text_boxes_comments_and_tracked_changes_are_counted_once_each():
    w = WordFile()
    w.text_box("框里的字。", before="锚。")
    w.commented("有批注。", "批注")
    w.tracked("前", "加上", "删去", "后")
    word = read_docx(w.data())
    assert (word.text_boxes, word.comments, word.changes) == ((("框里的字。",),), 1, 2)
    assert "框里的字。" in word.html and "加上" in word.html and "删去" not in word.html and "批注</" not in word.html


def test_title_caption_and_centred_paragraphs_are_marked_for_the_layout():
    w = WordFile()
    w.title("标题")
    w.caption("题注")
    w.para("居中", centred=True)
    w.heading("小标题", 2)
    assert read_docx(w.data()).html == ('<h1 class="showcase-title">标题</h1><p class="showcase-caption">题注</p>'
                                        '<p class="showcase-centred">居中</p><h2>小标题</h2>')


def encrypt(data: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("mima", out)
    return out.getvalue()


@pytest.mark.parametrize("make, code", [
    (lambda good: compound_file("WordDocument", "1Table"), "import_old_format"),
    (lambda good: b"{\\rtf1\\ansi Hello}", "import_old_format"),
    (encrypt, "import_encrypted"),
    (damaged_docx, "import_damaged"),
    (lambda good: docx_without(good, "word/document.xml"), "import_not_word"),
    (lambda good: b"<html><body>not word</body></html>", "import_not_word"),
    (lambda good: b"", "import_not_word"),
], ids=["doc", "rtf", "password", "damaged", "no-document-part", "html", "empty"])
def test_a_file_that_is_no_readable_docx_says_why(make, code):
    w = WordFile()
    w.para("正文。")
    with pytest.raises(Unreadable) as raised:
        read_docx(make(w.data()))
    assert raised.value.code == code
