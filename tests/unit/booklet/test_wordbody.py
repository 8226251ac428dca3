"""A case's HTML as Word paragraphs, read back with python-docx as Word would show them."""
from __future__ import annotations

import io

import docx

from builder.booklet.docx import _styles
from builder.booklet.wordbody import BodyWriter


def written(html: str, shift: int = 0):
    document = docx.Document()
    _styles(document)
    BodyWriter(document, lambda name: None, shift=shift).write(html)
    out = io.BytesIO()
    document.save(out)
    return docx.Document(io.BytesIO(out.getvalue()))


def rows(document):
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_headings_keep_their_level_below_the_case_title_and_paragraphs_are_normal():
    document = written("<h2>基本情况</h2><p>村里搭建了议事平台。</p><h3>细节</h3><p>第二段。</p>")
    assert rows(document) == [("Heading 2", "基本情况"), ("Normal", "村里搭建了议事平台。"),
                              ("Heading 3", "细节"), ("Normal", "第二段。")]


def test_bold_and_italic_runs_are_kept_and_links_become_their_text():
    document = written('<p><strong>议事平台。</strong>村民<em>参与</em>，详见<a href="/cases/x/">另一案例</a>。</p>')
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in document.paragraphs[0].runs]
    assert runs == [("议事平台。", True, False), ("村民", False, False), ("参与", False, True),
                    ("，详见", False, False), ("另一案例", False, False), ("。", False, False)]


def test_lists_use_word_list_styles_with_nesting():
    document = written("<ul><li>一<ul><li>一之一</li></ul></li><li>二</li></ul><ol><li>甲</li></ol>")
    assert rows(document) == [("List Bullet", "一"), ("List Bullet 2", "一之一"), ("List Bullet", "二"),
                              ("List Number", "甲")]


def test_a_table_becomes_a_word_table_with_bold_header_cells():
    document = written("<table><thead><tr><th>项目</th><th>数量</th></tr></thead>"
                       "<tbody><tr><td>议事会</td><td>12</td></tr></tbody></table>")
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["项目", "数量"], ["议事会", "12"]]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_a_figure_whose_photo_is_unusable_is_left_out_and_stray_text_is_kept():
    document = written('<figure class="figure" data-photo="x.jpg"><img src="x.jpg"><figcaption>说明</figcaption>'
                       "</figure>散落的文字")
    assert rows(document) == [("Normal", "散落的文字")]
