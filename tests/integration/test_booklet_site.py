"""The built site's /booklet/ pages and the case pages' print view, in real Chromium: what a
visitor sees on screen, and what comes out of the browser's own Print command."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

BASE = "https://example.gov.cn/showcase/"


def test_the_booklet_page_holds_every_published_case_grouped_by_category_with_a_contents(sample_url):
    html = (sample_url / "showcase/booklet/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h3 id="[^"]+-title" class="bk-case-title">(?:<span[^>]*>[^<]*</span>)?([^<]+)</h3>', html)
    groups = re.findall(r'<h2 id="group-[^"]+" class="bk-group-title">([^<]+)</h2>', html)
    assert groups == ["一、农村", "二、社区", "三、机关", "四、企业", "五、综合"]
    cases = sorted(p.parent.name for p in (sample_url / "showcase/cases").glob("*/index.html"))
    assert len(titles) == len(cases) == len(set(titles))
    assert html.count('class="bk-toc-title"') == len(cases)
    assert "创建概况" in html                                   # the preface named in site.yaml


def test_each_group_has_a_booklet_page_of_its_own(sample_url):
    html = (sample_url / "showcase/booklet/shequ/index.html").read_text(encoding="utf-8")
    assert "<title>河津市党建引领基层治理示范案例汇编 · 二、社区</title>" in html
    assert "府西社区：以“府西夜话”听民意、解难题" in html and "西翟村：坚持党建引领" not in html


def test_on_screen_the_booklet_reads_as_a_document_with_a_way_back_and_a_print_button(page, served):
    page.goto(served + "booklet/")
    assert page.locator(".bk-print").is_visible()
    assert page.locator(".bk-toolbar a").first.get_attribute("href") == "/showcase/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390       # no sideways scrolling on a phone
    assert page.locator(".bk-qr svg").first.get_attribute("role") == "img"    # each case's code, with its name


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_printed_from_the_browser_each_case_starts_a_page_under_the_running_header(browser, served, tmp_path):
    tab = browser.new_page()
    tab.goto(served + "booklet/nongcun/", wait_until="networkidle")
    tab.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    tab.wait_for_load_state("networkidle")
    (tmp_path / "p.pdf").write_bytes(tab.pdf(prefer_css_page_size=True, print_background=True))
    tab.close()
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(tmp_path / "p.pdf"), "-"], capture_output=True,
                           check=True).stdout.decode("utf-8").split("\f")
    pages = [p for p in pages if p.strip()]
    assert "河津市党建引领基层治理示范案例汇编" in re.sub(r"\s+", "", pages[0]) and "—" not in pages[0]   # the cover
    body = [p for p in pages[1:] if "典型单位：" in p]                              # the sample's own word
    assert body, "no case page"
    for text in pages[1:-1]:
        first = text.strip().splitlines()[0].strip()
        assert first == "河津市党建引领基层治理示范案例汇编", first              # the running header
        assert re.search(r"—\s*\d+\s*—\s*$", text.rstrip())                         # and the page number
    starts = [p for p in pages if re.search(r"^\s*典型单位：", p, re.M)]
    assert len(starts) == 7                                                         # the 7 rural cases, one a page


def test_a_case_page_printed_carries_a_qr_code_to_itself_that_the_screen_does_not_show(page, served):
    page.goto(served + "cases/fuxi-yehua/")
    assert not page.locator(".print-qr").is_visible()
    page.emulate_media(media="print")
    code = page.locator(".print-qr")
    assert code.is_visible()
    image = Image.open(__import__("io").BytesIO(code.screenshot()))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [BASE + "cases/fuxi-yehua/"]
