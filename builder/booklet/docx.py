"""`showcase booklet --docx`: the booklet as a Word file that offices edit further in Word or WPS.

Real styles throughout, so that Word's navigation pane, its TOC field and a later restyling
work: each case is one Heading 1 (its sections Heading 2 and 3), text in Normal (宋体 小四,
two-character first-line indent), captions in Caption (楷体 五号). Sections: the cover; the
front matter (preface, a TOC field that Word fills in with page numbers); the cases, numbered
from 1 with the booklet title as running header; the back cover with the organiser.
Imports python-docx, the model and the booklet's groups, photos, qr and wordbody.
"""
from __future__ import annotations

import io
from typing import Mapping

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from builder.booklet.groups import Booklet, numeral
from builder.booklet.photos import PrintPhoto
from builder.booklet.qr import qr_png
from builder.booklet.wordbody import BodyWriter
from builder.model import Case, Document as ContentDocument, SiteModel
from builder.render.pages import Links, date_text, gallery_photos

SERIF, SANS, KAI = "SimSun", "SimHei", "KaiTi"      # Word and WPS know them by these names too
LATIN = "Times New Roman"
RED = RGBColor(0xA4, 0x16, 0x1A)
GREY = RGBColor(0x4D, 0x4D, 0x4D)
TEXT_WIDTH_MM = 160


def make_docx(model: SiteModel, booklet: Booklet, strings: Mapping[str, str],
              photos: Mapping[tuple[str, str], PrintPhoto]) -> bytes:
    def t(key: str, **params: object) -> str:
        text = strings.get(key, "")
        return text.format(**params) if params else text

    title = booklet.title or t("booklet_default_title", site=model.site.title)
    doc = Document()
    _styles(doc)
    doc.core_properties.title = title
    doc.core_properties.author = booklet.organiser or model.site.title
    doc.core_properties.subject = booklet.subtitle
    doc.core_properties.language = model.site.language
    links = Links(model.site.base_url, model.site.base_path, False, "booklet/index.html")

    cover = doc.sections[0]
    _page(cover)
    _cover(doc, booklet, title, t, model)

    front = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(front)
    _running(front, title, booklet, t, number_format="lowerRoman")
    if booklet.preface:
        doc.add_paragraph(booklet.preface.title, style="Booklet Part Title")
        _body(doc, booklet.preface.doc, photos, t)
        doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph(t("booklet_contents"), style="Booklet Part Title")
    _toc_field(doc, booklet, t)

    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(body)
    _running(body, title, booklet, t, number_format="decimal", start=1)
    for g, group in enumerate(booklet.groups):
        heading = doc.add_paragraph(t("booklet_group_title", number=numeral(group.number, t("booklet_digits")),
                                      name=group.name or t("booklet_group_other")), style="Booklet Group")
        heading.paragraph_format.page_break_before = g > 0
        if group.description:
            doc.add_paragraph(group.description, style="Booklet Note")
        for index, case in enumerate(group.cases):
            _case(doc, model, booklet, case, photos, t, links, first=index == 0)

    back = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(back)
    for part in (back.header, back.footer):
        part.is_linked_to_previous = False
    _valign(back, "bottom")
    if booklet.proof:
        doc.add_paragraph(t("booklet_proof"), style="Booklet Proof")
    doc.add_paragraph(title, style="Booklet Back")
    if booklet.organiser:
        doc.add_paragraph(t("organiser") + booklet.organiser, style="Booklet Back")
    doc.add_paragraph(t("booklet_month", year=booklet.month.year, month=booklet.month.month), style="Booklet Back")

    _update_fields_on_open(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- parts -------------------------------------------------------------------------------------

def _cover(doc, booklet: Booklet, title: str, t, model: SiteModel) -> None:
    _valign(doc.sections[0], "center")
    doc.add_paragraph(model.site.title, style="Booklet Cover Site")
    doc.add_paragraph(title, style="Booklet Cover Title")
    if booklet.subtitle:
        doc.add_paragraph(booklet.subtitle, style="Booklet Cover Subtitle")
    if booklet.proof:
        doc.add_paragraph(t("booklet_proof"), style="Booklet Proof")
    for _ in range(6):
        doc.add_paragraph(style="Booklet Cover Foot")
    if booklet.organiser:
        doc.add_paragraph(booklet.organiser, style="Booklet Cover Foot")
    doc.add_paragraph(t("booklet_month", year=booklet.month.year, month=booklet.month.month), style="Booklet Cover Foot")


def _toc_field(doc, booklet: Booklet, t) -> None:
    """A TOC field of the Heading 1 paragraphs (the cases). Until Word or WPS updates it, its
    result is the list of cases without page numbers and a line saying how to update it."""
    paragraphs = [doc.add_paragraph(t("booklet_toc_hint"), style="Booklet Note")]
    for case in booklet.cases:
        paragraphs.append(doc.add_paragraph(case.title, style="TOC 1"))
    first, last = paragraphs[0], paragraphs[-1]
    begin = [_fld("begin"), _instr(' TOC \\o "1-1" \\h \\z \\u '), _fld("separate")]
    for element in reversed(begin):
        first._p.insert(1 if first._p.pPr is not None else 0, element)
    last._p.append(_fld("end"))


def _fld(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")
    run.append(char)
    return run


def _instr(text: str):
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    run.append(instr)
    return run


def _case(doc, model: SiteModel, booklet: Booklet, case: Case, photos, t, links: Links, first: bool) -> None:
    heading = doc.add_paragraph(case.title, style="Heading 1")
    if first:
        heading.paragraph_format.page_break_before = False
    model_site = booklet.sites.get(case.site)
    facts = []
    if model_site:
        facts.append((model.site.sites.label or t("model_site"), model_site.title + (f"（{model_site.town}）" if model_site.town else "")))
    facts.append((t("category"), case.category))
    if case.actions:
        facts.append((t("actions"), t("booklet_list_separator").join(case.actions)))
    facts.append((t("date"), date_text(case.date, model.site.language)))
    if case.unit:
        facts.append((t("source_unit"), case.unit))
    if case.citation:
        facts.append((t("source"), case.citation))
    url = links.absolute(case.url)
    table = doc.add_table(rows=1, cols=2 if url.startswith(("http://", "https://")) else 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left = table.cell(0, 0)
    left.width = Mm(TEXT_WIDTH_MM - 30)
    for n, (label, value) in enumerate(facts):
        paragraph = left.paragraphs[0] if n == 0 else left.add_paragraph()
        paragraph.style = doc.styles["Booklet Facts"]
        paragraph.add_run(label + "：").bold = True
        paragraph.add_run(value)
    if len(table.columns) == 2:
        right = table.cell(0, 1)
        right.width = Mm(30)
        code = right.paragraphs[0]
        code.style = doc.styles["Booklet Photo"]
        code.add_run().add_picture(io.BytesIO(qr_png(url, scale=8)), width=Mm(24))
        right.add_paragraph(t("booklet_qr_caption"), style="Booklet QR Caption")
    if case.doc.summary:
        summary = doc.add_paragraph(style="Booklet Summary")
        summary.add_run(t("booklet_summary") + "：").bold = True
        summary.add_run(case.doc.summary)
    _body(doc, case.doc, photos, t)
    gallery = gallery_photos(case.doc)
    size = "pair" if len(gallery) > 1 else "large"
    writer = BodyWriter(doc, lambda name: None, credit_label=t("photo_credit"))
    for photo in gallery:
        made = photos.get((photo.src, size))
        if made:
            writer.picture(str(made.path), made.width_mm, photo.caption, photo.credit)


def _body(doc, content: ContentDocument, photos, t) -> None:
    by_name = {p.name: p for p in content.photos}

    def lookup(name: str):
        photo = by_name.get(name)
        made = photos.get((photo.src, "large")) if photo else None
        return (str(made.path), made.width_mm, photo.caption, photo.credit) if made else None

    BodyWriter(doc, lookup, shift=0, credit_label=t("photo_credit")).write(content.body_html)


# --- page set-up, headers and footers --------------------------------------------------------

def _page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin = section.right_margin = Mm(25)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)


def _running(section, title: str, booklet: Booklet, t, number_format: str, start: int | None = None) -> None:
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.text = title + (f"\u3000{t('booklet_proof_short')}" if booklet.proof else "")
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _border(header, "bottom")
    for run in header.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = GREY
    if number_format == "decimal":
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        footer._p.append(_fld("begin"))
        footer._p.append(_instr(" PAGE "))
        footer._p.append(_fld("separate"))
        footer.add_run("1")
        footer._p.append(_fld("end"))
        footer.add_run(" —")
        for run in footer.runs:
            run.font.size = Pt(9)
    number = OxmlElement("w:pgNumType")
    number.set(qn("w:fmt"), number_format)
    if start is not None:
        number.set(qn("w:start"), str(start))
    section._sectPr.append(number)


def _valign(section, where: str) -> None:
    element = OxmlElement("w:vAlign")
    element.set(qn("w:val"), where)
    section._sectPr.append(element)


def _border(paragraph, side: str) -> None:
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "999999")):
        line.set(qn(key), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _update_fields_on_open(doc) -> None:
    """Word (and WPS) fill in the table of contents when the file is opened."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


# --- styles ------------------------------------------------------------------------------------

def _fonts(style, east_asian: str, latin: str = LATIN) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _indent_chars(style, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), as Chinese Word documents set it."""
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        style.element.get_or_add_pPr().append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    return style


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, SERIF)
    normal.font.size = Pt(12)                                     # 小四
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.first_line_indent = Pt(24)            # two characters of 小四
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    _indent_chars(normal, 2)
    lang = normal.element.get_or_add_rPr()
    element = OxmlElement("w:lang")
    element.set(qn("w:eastAsia"), "zh-CN")
    lang.append(element)

    for level, size, align, before, after in ((1, 18, WD_ALIGN_PARAGRAPH.CENTER, 0, 12),    # 小二
                                              (2, 14, WD_ALIGN_PARAGRAPH.LEFT, 12, 4),      # 四号
                                              (3, 12, WD_ALIGN_PARAGRAPH.LEFT, 8, 2)):      # 小四
        style = styles[f"Heading {level}"]
        _fonts(style, SANS)
        style.font.size, style.font.bold, style.font.italic = Pt(size), True, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.alignment, fmt.keep_with_next, fmt.first_line_indent = align, True, Pt(0)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.3
        fmt.page_break_before = level == 1
        _indent_chars(style, 0)

    caption = styles["Caption"]
    _fonts(caption, KAI)
    caption.font.size, caption.font.bold, caption.font.italic = Pt(10.5), False, False    # 五号
    caption.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.space_after = Pt(8)
    _indent_chars(caption, 0)

    def add(name: str, east_asian: str = SERIF, size: float = 12, bold: bool = False, align=None,
            indent: bool = False, before: float = 0, after: float = 0, color: RGBColor | None = None,
            keep: bool = False, base: str = "Normal"):
        style = _paragraph_style(doc, name, base)
        _fonts(style, east_asian)
        style.font.size, style.font.bold = Pt(size), bold
        if color is not None:
            style.font.color.rgb = color
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = align
        if not indent:
            fmt.first_line_indent = Pt(0)
            _indent_chars(style, 0)
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), keep
        return style

    center = WD_ALIGN_PARAGRAPH.CENTER
    add("Booklet Cover Site", SANS, 14, align=center, after=60, color=RED)
    add("Booklet Cover Title", SANS, 26, bold=True, align=center, after=18)
    add("Booklet Cover Subtitle", KAI, 16, align=center, after=12)
    add("Booklet Cover Foot", SANS, 15, align=center, after=4)
    add("Booklet Part Title", SANS, 18, bold=True, align=center, before=6, after=18, keep=True)
    add("Booklet Group", SANS, 16, bold=True, after=6, color=RED, keep=True)
    add("Booklet Note", KAI, 12, after=8)
    add("Booklet Facts", SERIF, 10, color=GREY)
    add("Booklet Summary", KAI, 12, indent=True, before=8, after=8)
    add("Booklet Quote", KAI, 12, indent=True)
    add("Booklet Plain", SERIF, 10.5)
    add("Booklet Photo", SERIF, 12, align=center, before=6, keep=True)
    add("Booklet QR Caption", SERIF, 7.5, align=center)
    add("Booklet Back", SANS, 11, align=center, after=4, color=GREY)
    add("Booklet Proof", SANS, 12, bold=True, align=center, before=12, after=12, color=RED)
    toc = styles["TOC 1"] if "TOC 1" in [s.name for s in styles] else add("TOC 1")
    _fonts(toc, SERIF)
    toc.paragraph_format.first_line_indent = Pt(0)
    _indent_chars(toc, 0)
