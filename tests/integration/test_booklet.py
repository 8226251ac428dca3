"""`showcase booklet` on the sample site, read back the way a reader, a print shop and an office
would: the PDF with pypdf and poppler's pdftotext, pdffonts and pdfimages, its QR codes with
zxing-cpp from the pages as poppler draws them; the Word file with python-docx."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import zxingcpp
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import REPO, case_md, run_cli

BASE = "https://example.gov.cn/showcase/"
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed (apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def sample(tmp_path_factory, request) -> Path:
    root = tmp_path_factory.mktemp("booklet") / "sample"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(request.getfixturevalue("sample_cache"), root / ".cache")
    return root


@pytest.fixture(scope="module")
def made(sample, browser_path, tmp_path_factory):
    """The sample's booklet as PDF and Word, made once for the tests of this module."""
    out = tmp_path_factory.mktemp("made")
    result = run_cli("booklet", "--source", sample, "--base-url", BASE, "--pdf", out / "汇编.pdf",
                     "--docx", out / "汇编.docx", "--browser", browser_path)
    assert result.code == 0, result.err
    return result, out / "汇编.pdf", out / "汇编.docx"


@pytest.fixture(scope="module")
def model(sample):
    from builder.booklet.groups import make_booklet
    from builder.build import BuildOptions, build_site
    built = build_site(sample, BuildOptions(write=False, base_url=BASE))
    return built.model, make_booklet(built.model)


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], capture_output=True, check=True
                          ).stdout.decode("utf-8")


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


# --- the PDF ---------------------------------------------------------------------------------------

def test_the_command_says_what_it_made(made, model):
    result, pdf, docx_file = made
    pages = len(PdfReader(pdf).pages)
    assert result.out.splitlines()[-3:] == [
        f"案例汇编已生成：{len(model[1].cases)} 个案例，按类别分为 {len(model[1].groups)} 组。",
        f"  Word 文件：{docx_file}", f"  PDF 文件：{pdf}（共 {pages} 页）"]


def test_the_pdf_has_one_bookmark_per_case_in_booklet_order_under_its_group(made, model):
    reader = PdfReader(made[1])
    marks = outline(reader)
    booklet = model[1]
    assert [title for depth, title, _ in marks if depth == 1] == [c.title for c in booklet.cases]
    assert [title for depth, title, _ in marks if depth == 0] == [
        "创建概况", "目录", *[f"{'一二三四五六七八九'[g.number - 1]}、{g.name}" for g in booklet.groups]]


def test_each_case_bookmark_points_at_the_page_its_title_is_printed_on(made, model):
    # pypdf reads the fonts' ToUnicode tables only: the radicals a CJK font shares with
    # characters (⻰ for 龙) must have been mapped to the characters (see booklet/tounicode.py).
    reader = PdfReader(made[1])
    for depth, title, page in outline(reader):
        if depth == 1:
            assert normal(title) in normal(reader.pages[page].extract_text()), title


@needs_poppler
def test_the_contents_page_numbers_are_the_pages_where_the_cases_start(made, model):
    reader = PdfReader(made[1])
    labels = reader.page_labels
    starts = {title: labels[page] for depth, title, page in outline(reader) if depth == 1}
    toc_page = next(page for depth, title, page in outline(reader) if title == "目录")
    text = pdftotext(made[1], "-layout", "-f", str(toc_page + 1), "-l", str(toc_page + 1))
    listed = {}
    for line in text.splitlines():
        match = re.match(r"\s*(\S.*?)\s*[.·…\s]*\s(\d+)\s*$", line)
        if match and "：" in match.group(1):
            listed[normal(match.group(1))] = match.group(2)
    assert listed == {normal(title): page for title, page in starts.items()}
    assert len(listed) == len(model[1].cases)


def test_printed_page_numbers_start_at_1_on_the_first_case_and_the_viewer_shows_them(made):
    reader = PdfReader(made[1])
    first_case = next(page for depth, title, page in outline(reader) if depth == 1)
    labels = reader.page_labels
    assert labels[0] == "封面" and labels[1] == "i" and labels[first_case] == "1" and labels[-1] == "封底"
    assert normal(reader.pages[first_case].extract_text()).endswith("—1—")


@needs_poppler
def test_every_case_title_and_photo_caption_is_in_the_text_a_reader_can_search(made, model):
    text = normal(pdftotext(made[1]))
    for case in model[1].cases:
        assert normal(case.title) in text
        for photo in case.doc.photos:
            if photo.caption:
                assert normal(photo.caption) in text, (case.title, photo.caption)


@needs_poppler
def test_the_cover_and_the_back_cover_carry_the_title_the_organiser_and_the_month(made, model):
    cover = pdftotext(made[1], "-f", "1", "-l", "1")
    pages = len(PdfReader(made[1]).pages)
    back = pdftotext(made[1], "-f", str(pages), "-l", str(pages))
    for text in (cover, back):
        assert "河津市党建引领基层治理示范案例汇编" in normal(text)
        assert "示例站点（内容整理自公开报道）" in text
        assert re.search(r"\d{4}年\d{1,2}月", text)
    assert "创建新时代党建引领基层治理示范区" in cover


@needs_poppler
def test_every_font_is_embedded(made):
    listing = subprocess.run(["pdffonts", str(made[1])], capture_output=True, check=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", r) for r in rows)
    assert all(re.search(r"\syes\s+(yes|no)\s+yes\s+\d+\s+\d+$", r) for r in rows), listing   # embedded, with Unicode


@needs_poppler
def test_photos_are_printed_at_300_dpi_of_their_printed_size(made):
    listing = subprocess.run(["pdfimages", "-list", str(made[1])], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert len(rows) >= 30
    for row in rows:
        assert 295 <= int(row[12]) <= 305 and 295 <= int(row[13]) <= 305, row


def test_every_photo_is_upright_as_on_the_site(made, sample):
    """Each photo in the PDF looks like one of the site's renditions (made upright and tested
    so by the images stage); the sample's fuxi-yehua/photo-2.jpg is stored turned, EXIF 6."""
    from builder.build import BuildOptions, build_site
    built = build_site(sample, BuildOptions(write=False))
    site_photos = [Path(built.outputs[r.path]) for c in built.model.cases for p in c.doc.photos
                   for r in [p.largest()] if r]
    thumbs = [_thumb(Image.open(path)) for path in site_photos]
    reader = PdfReader(made[1])
    seen = 0
    for page in reader.pages:
        for image in page.images:
            if image.image.width < 200:
                continue
            thumb = _thumb(image.image)
            best = min(_difference(thumb, other) for other in thumbs)
            turned = min(_difference(_thumb(image.image.rotate(90, expand=True)), other) for other in thumbs)
            assert best < 8 and best < turned, (best, turned)
            seen += 1
    assert seen >= 30


def _thumb(image: Image.Image) -> Image.Image:
    return image.convert("L").resize((24, 24), Image.Resampling.BOX)


def _difference(a: Image.Image, b: Image.Image) -> float:
    histogram = ImageChops.difference(a, b).histogram()
    return sum(value * count for value, count in enumerate(histogram)) / (24 * 24)


@needs_poppler
def test_every_qr_code_in_the_pdf_decodes_to_its_case_s_address(made, model, tmp_path):
    reader = PdfReader(made[1])
    starts = [page for depth, _, page in outline(reader) if depth == 1]
    found = []
    for page in starts:
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page + 1), "-l", str(page + 1), str(made[1]),
                        str(tmp_path / "p")], check=True)
        image = Image.open(next(tmp_path.glob("p*.png")))
        found += [r.text for r in zxingcpp.read_barcodes(image)]
        for png in tmp_path.glob("p*.png"):
            png.unlink()
    assert found == [BASE + c.url for c in model[1].cases]


# --- the Word file ---------------------------------------------------------------------------------

def test_the_word_file_has_one_heading_1_per_case_in_order(made, model):
    document = docx.Document(made[2])
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [c.title for c in model[1].cases]
    assert {p.style.name for p in document.paragraphs} >= {"Heading 2", "Normal", "Caption", "TOC 1"}


def test_the_word_file_s_captions_and_table_of_contents_field_are_there(made, model):
    document = docx.Document(made[2])
    captions = {p.text.split("\u3000")[0] for p in document.paragraphs if p.style.name == "Caption"}
    for case in model[1].cases:
        for photo in case.doc.photos:
            if photo.caption:
                assert photo.caption in captions
    xml = document.element.xml
    assert 'TOC \\o "1-1"' in xml and "w:fldChar" in xml
    assert document.settings.element.xml.count("updateFields") == 1


def test_every_qr_code_in_the_word_file_decodes_to_a_case_s_address(made, model):
    document = docx.Document(made[2])
    found = set()
    for rel in document.part.rels.values():
        if "image" in rel.reltype:
            image = Image.open(io.BytesIO(rel.target_part.blob))
            found |= {r.text for r in zxingcpp.read_barcodes(image)}
    assert found == {BASE + c.url for c in model[1].cases}


# --- a proof copy, and what is refused ------------------------------------------------------------

@needs_poppler
def test_a_proof_copy_takes_the_drafts_and_says_so_on_every_page(sample, browser_path, tmp_path):
    draft = sample / "content/cases/caogao-anli"
    draft.mkdir()
    (draft / "index.md").write_text(case_md("待审的草稿案例", site="xizhai-cun", date="2026-01-01", draft="true"),
                                    encoding="utf-8")
    try:
        plain = run_cli("booklet", "--source", sample, "--docx", tmp_path / "a.docx")
        proof = run_cli("booklet", "--source", sample, "--drafts", "--category", "农村", "--pdf", tmp_path / "p.pdf",
                        "--browser", browser_path)
    finally:
        shutil.rmtree(draft)
    assert plain.code == 0 and "待审的草稿案例" not in [p.text for p in docx.Document(tmp_path / "a.docx").paragraphs]
    assert proof.code == 0, proof.err
    assert "校样，含尚未发布的案例，每页都有标注" in proof.out
    reader = PdfReader(tmp_path / "p.pdf")
    assert any(normal("待审的草稿案例") in normal(page.extract_text()) for page in reader.pages)
    for number in range(1, len(reader.pages) + 1):
        assert "校样" in pdftotext(tmp_path / "p.pdf", "-f", str(number), "-l", str(number)), number
    # base_url of the sample is "/": no QR code, and the command says why
    assert "汇编里没有二维码：网站地址 base_url 是“/”，不是完整网址" in proof.err


def test_options_that_name_nothing_are_all_reported_at_once_and_nothing_is_written(sample, tmp_path):
    result = run_cli("booklet", "--source", sample, "--category", "农业", "--action", "平安", "--site", "西翟",
                     "--since", "2025/1/1", "--preface", "qianyan", "--docx", tmp_path / "a.docx")
    assert result.code == 1 and not (tmp_path / "a.docx").exists()
    lines = result.err.splitlines()
    assert "没有类别“农业”" in lines
    assert "没有专项行动“平安”——是不是“平安建设”？" in lines
    assert any(l.startswith("没有示范点“西翟”") for l in lines)
    assert "--since 的日期“2025/1/1”格式不对，应为 年-月-日，请改为 2025-01-01" in lines
    assert any(l.startswith("找不到作为前言的页面“qianyan”") for l in lines)
    assert lines[-1] == "案例汇编没有生成：5 个问题"


def test_a_file_name_with_the_wrong_ending_is_refused_before_anything_is_done(sample, tmp_path):
    target = tmp_path / "index.md"
    target.write_text("keep me", encoding="utf-8")
    result = run_cli("booklet", "--source", sample, "--pdf", target)
    assert result.code == 1 and target.read_text(encoding="utf-8") == "keep me"
    assert f"--pdf 后面的文件名应以 .pdf 结尾，现在是 {target}" in result.err


def test_filters_that_keep_no_case_say_what_goes_into_a_booklet(sample, tmp_path):
    result = run_cli("booklet", "--source", sample, "--since", "2099-01-01", "--docx", tmp_path / "a.docx")
    assert result.code == 1
    assert "没有可以编入汇编的案例" in result.err and "或者加上 --drafts 生成含全部案例的校样" in result.err


def test_a_browser_that_is_not_there_is_named_and_nothing_is_written(sample, tmp_path):
    result = run_cli("booklet", "--source", sample, "--pdf", tmp_path / "a.pdf", "--browser", tmp_path / "msedge.exe")
    assert result.code == 1 and not (tmp_path / "a.pdf").exists()
    assert f"找不到浏览器程序“{tmp_path / 'msedge.exe'}”" in result.err


def test_without_any_browser_the_message_says_what_to_install(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SHOWCASE_BROWSER", raising=False)
    result = run_cli("booklet", "--source", sample, "--pdf", tmp_path / "a.pdf")
    assert result.code == 1
    assert "找不到可以生成 PDF 的浏览器" in result.err and "sudo apt install chromium" in result.err
    english = run_cli("booklet", "--source", sample, "--pdf", tmp_path / "a.pdf", "--lang", "en")
    assert "No browser was found to make the PDF" in english.err
    assert not re.search(r"[\u4e00-\u9fff]", english.err.replace(str(sample), ""))


# --- showcase qr -------------------------------------------------------------------------------------

def test_qr_writes_a_board_png_and_svg_that_decode_to_the_case_s_address(sample, tmp_path):
    result = run_cli("qr", "fuxi-yehua", "--source", sample, "--base-url", BASE, "--size", "12", "-o", tmp_path)
    assert result.code == 0, result.err
    png = Image.open(tmp_path / "fuxi-yehua-qr.png")
    assert [r.text for r in zxingcpp.read_barcodes(png)] == [BASE + "cases/fuxi-yehua/"]
    assert 1300 <= png.width <= 1418                          # 12 cm at 300 dpi
    assert "府西社区：以“府西夜话”听民意、解难题" in "".join(
        re.findall(r">([^<]+)</text>", (tmp_path / "fuxi-yehua-qr.svg").read_text(encoding="utf-8")))
    assert result.out.splitlines()[0] == f"二维码：“府西社区：以“府西夜话”听民意、解难题”→ {BASE}cases/fuxi-yehua/"


def test_qr_without_a_public_address_says_where_to_write_it(sample, tmp_path):
    result = run_cli("qr", "fuxi-yehua", "--source", sample, "-o", tmp_path)
    assert result.code == 1 and not list(tmp_path.iterdir())
    assert "site.yaml: 生成二维码需要网站的正式地址，site.yaml 的 base_url 现在是“/”" in result.err


def test_qr_of_an_unknown_case_suggests_the_closest_folder(sample, tmp_path):
    result = run_cli("qr", "fuxi-yehau", "--source", sample, "--base-url", BASE, "-o", tmp_path)
    assert result.code == 1 and "找不到案例“fuxi-yehau”——是不是“fuxi-yehua”？" in result.err


def test_qr_of_a_draft_warns_that_the_code_leads_nowhere_yet(make_site, tmp_path):
    root = make_site({"content/cases/a/index.md": case_md(draft="true")})
    result = run_cli("qr", "a", "--source", root, "--base-url", BASE, "-o", tmp_path)
    assert result.code == 0
    assert "还没有发布" in result.err and (tmp_path / "a-qr.png").is_file()
