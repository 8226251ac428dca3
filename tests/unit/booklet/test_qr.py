"""QR codes: every one decodes (zxing-cpp, the decoder of many phone apps) to the address it was made for."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image

from builder.booklet.qr import board_files, find_font, qr_png, qr_svg, wrap

URL = "https://example.gov.cn/showcase/cases/fuxi-yehua/"
TITLE = "府西社区：以“府西夜话”听民意、解难题"


def decoded(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_png_code_decodes_to_its_address():
    assert decoded(qr_png(URL)) == [URL]


def test_the_inline_svg_is_sized_by_css_and_says_what_it_is():
    svg = qr_svg(URL, "“府西夜话”网页版的二维码")
    root = ET.fromstring(svg)
    assert root.tag == "svg" and "width" not in root.attrib and root.get("viewBox").startswith("0 0 ")
    assert root.get("role") == "img" and root.find("title").text == "“府西夜话”网页版的二维码"


def test_the_inline_svg_drawn_by_a_browser_decodes(page):
    page.set_content(f'<body style="margin:40px;background:#fff"><div style="width:300px">{qr_svg(URL)}</div></body>')
    assert decoded(page.screenshot()) == [URL]


def test_a_board_png_is_300_dpi_at_its_size_with_the_title_under_the_code():
    files = board_files(URL, TITLE, 100)
    image = Image.open(io.BytesIO(files.png))
    assert image.info["dpi"] == (300, 300) or tuple(round(d) for d in image.info["dpi"]) == (300, 300)
    assert 1100 <= image.width <= 1182                   # 100 mm at 300 dpi, whole pixels a module
    if files.font is not None:
        assert image.height > image.width                 # the title's lines under the code
    assert decoded(files.png) == [URL]


def test_a_board_svg_keeps_the_title_as_text_and_its_size_in_millimetres():
    files = board_files(URL, TITLE, 120)
    root = ET.fromstring(files.svg.split("\n", 1)[1])
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("width") == "120mm"
    assert "".join(t.text for t in root.iter(ns + "text")) == TITLE


def test_the_board_svg_drawn_by_a_browser_decodes(page, tmp_path):
    (tmp_path / "qr.svg").write_text(board_files(URL, TITLE, 80).svg, encoding="utf-8")
    (tmp_path / "board.html").write_text('<body style="margin:40px"><img src="qr.svg" style="width:360px"></body>',
                                         encoding="utf-8")
    page.goto((tmp_path / "board.html").as_uri())
    assert decoded(page.screenshot()) == [URL]


def test_a_title_is_wrapped_by_width_with_latin_letters_counting_half():
    assert wrap("一二三四五六七八九十", 4) == ["一二三四", "五六七八", "九十"]
    assert wrap("abcdefgh一二", 4) == ["abcdefgh", "一二"]
    assert len(wrap("字" * 100, 5)) == 4                  # at most four lines under a code


def test_a_chinese_font_is_found_on_this_machine():
    # CI installs fonts-wqy-microhei (see .ci/run); a PNG without a title would still decode.
    assert find_font() is not None
