"""Real Word documents for tests, made with python-docx the way Word and WPS write them.

python-docx writes styles, runs, lists, tables, pictures and comments; what it cannot make (a
text box, tracked changes, a footnote, a hyperlink, a picture in a format it does not know such
as EMF) is written here as the XML Word itself writes, into the same package: a .docx is a zip
of XML parts, and these are parts and elements of the published format (ECMA-376), not stand-ins.
"""
from __future__ import annotations

import io
import itertools
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# The smallest Windows metafile Word would embed: a placeable header and an empty record list.
EMF_HEADER = bytes.fromhex("01000000") + bytes(36) + b" EMF" + bytes(60)


class WordFile:
    """A document built paragraph by paragraph; `data()` is the bytes of the .docx."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.footnotes: list[str] = []
        self.ids = itertools.count(100)

    # --- text ---------------------------------------------------------------------------------

    def title(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1) -> Paragraph:
        return self.doc.add_heading(text, level)

    def para(self, *runs: str | tuple[str, str], centred: bool = False, style: str | None = None,
             indent: bool = False) -> Paragraph:
        """A paragraph of runs: 'text', ('b', 'bold'), ('i', 'italic'), ('br', '') for a manual
        line break. `indent`: begun with two full-width spaces, as people indent in Word."""
        paragraph = self.doc.add_paragraph(style=style)
        if indent:
            paragraph.add_run("\u3000\u3000")
        for run in runs:
            kind, text = ("", run) if isinstance(run, str) else run
            if kind == "br":
                paragraph.add_run().add_break()
                continue
            made = paragraph.add_run(text)
            made.bold = kind == "b" or None
            made.italic = kind == "i" or None
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def coloured(self, text: str) -> Paragraph:
        """A paragraph in a red 16-point 仿宋 font, as a township's template writes."""
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        run.font.name = "FangSong"
        run.font.size = docx.shared.Pt(16)
        run.font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
        return paragraph

    def empty(self) -> Paragraph:
        return self.doc.add_paragraph()

    def bullets(self, *items: str) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def numbered(self, *items: str) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Number")

    def table(self, rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value

    def caption(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Caption")

    # --- pictures -----------------------------------------------------------------------------

    def picture(self, data: bytes, width_cm: float = 12, centred: bool = True) -> Paragraph:
        """An inline picture, its bytes embedded as they are. Written directly rather than with
        python-docx's add_picture, whose own EXIF reader fails on a phone photo's EXIF."""
        from PIL import Image
        with Image.open(io.BytesIO(data)) as image:
            fmt, (w, h) = image.format, image.size
        ext, content_type = {"JPEG": ("jpeg", "image/jpeg"), "PNG": ("png", "image/png"),
                             "GIF": ("gif", "image/gif"), "BMP": ("bmp", "image/bmp")}[fmt]
        return self._picture(data, ext, content_type, Cm(width_cm), Emu(int(Cm(width_cm) * h / w)), centred)

    def metafile(self, data: bytes = EMF_HEADER, ext: str = "emf", content_type: str = "image/x-emf") -> Paragraph:
        """A picture in a format Pillow cannot read (EMF, WMF), as Word embeds a pasted chart."""
        return self._picture(data, ext, content_type, Cm(8), Cm(6), True)

    def _picture(self, data: bytes, ext: str, content_type: str, cx: int, cy: int, centred: bool) -> Paragraph:
        number = next(self.ids)
        part = Part(PackURI(f"/word/media/image{number}.{ext}"), content_type, data, self.doc.part.package)
        rid = self.doc.part.relate_to(part, RT.IMAGE)
        inline = CT_Inline.new_pic_inline(number, rid, f"image{number}.{ext}", Emu(cx), Emu(cy))
        paragraph = self.doc.add_paragraph()
        drawing = parse_xml(f'<w:drawing {XMLNS}/>')
        drawing.append(inline)
        paragraph.add_run()._r.append(drawing)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    # --- what python-docx cannot write --------------------------------------------------------

    def text_box(self, *lines: str, before: str = "") -> Paragraph:
        """A floating text box as Word 2010+ writes it: a DrawingML shape (mc:Choice) with the
        VML fallback (mc:Fallback) for older readers, both holding the same paragraphs,
        anchored in a paragraph whose own text is `before`."""
        inner = "".join(f"<w:p><w:r><w:t>{_escape(line)}</w:t></w:r></w:p>" for line in lines)
        shape_id = next(self.ids)
        xml = (
            f'<w:r {XMLNS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
            f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="2743200" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
            f'<wp:docPr id="{shape_id}" name="Text Box {shape_id}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="914400"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
            f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"/>'
            f'<v:shape id="Text Box {shape_id}" o:spid="_x0000_s{shape_id}" type="#_x0000_t202" style="width:216pt;height:72pt">'
            f'<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            f'</mc:AlternateContent></w:r>')
        paragraph = self.doc.add_paragraph(before)
        paragraph._p.append(parse_xml(xml))
        return paragraph

    def tracked(self, before: str, inserted: str, deleted: str, after: str) -> Paragraph:
        """A paragraph with a tracked insertion and a tracked deletion (修订) not yet accepted."""
        paragraph = self.doc.add_paragraph(before)
        date = 'w:author="审稿人" w:date="2025-06-10T09:00:00Z"'
        paragraph._p.append(parse_xml(f'<w:ins {XMLNS} w:id="{next(self.ids)}" {date}><w:r><w:t>{_escape(inserted)}</w:t></w:r></w:ins>'))
        paragraph._p.append(parse_xml(f'<w:del {XMLNS} w:id="{next(self.ids)}" {date}><w:r><w:delText>{_escape(deleted)}</w:delText></w:r></w:del>'))
        paragraph.add_run(after)
        return paragraph

    def commented(self, text: str, comment: str) -> Paragraph:
        """A paragraph with a comment (批注) on its whole text."""
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        self.doc.add_comment(run, text=comment, author="审稿人", initials="SG")
        return paragraph

    def footnote(self, text: str, note: str, after: str = "") -> Paragraph:
        """`text`, a footnote reference (脚注) whose note is `note`, then `after`."""
        self.footnotes.append(note)
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.append(parse_xml(
            f'<w:r {XMLNS}><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{len(self.footnotes)}"/></w:r>'))
        if after:
            paragraph.add_run(after)
        return paragraph

    def link(self, before: str, text: str, url: str, after: str = "") -> Paragraph:
        paragraph = self.doc.add_paragraph(before)
        rid = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        paragraph._p.append(parse_xml(f'<w:hyperlink {XMLNS} r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
                                      f'</w:rPr><w:t>{_escape(text)}</w:t></w:r></w:hyperlink>'))
        if after:
            paragraph.add_run(after)
        return paragraph

    # --- the file -----------------------------------------------------------------------------

    def data(self) -> bytes:
        if self.footnotes:
            notes = "".join(f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                            f'<w:r><w:t xml:space="preserve"> {_escape(note)}</w:t></w:r></w:p></w:footnote>'
                            for n, note in enumerate(self.footnotes, 1))
            blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {XMLNS}>'
                    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                    f'{notes}</w:footnotes>').encode("utf-8")
            part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, blob, self.doc.part.package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
            self.footnotes = []
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- files that are not a readable .docx ----------------------------------------------------------

# The signature of an OLE2 compound file: a Word 97-2003 .doc, a WPS .wps, or a .docx that Word
# encrypted with a password (the package then sits, encrypted, in a stream named EncryptedPackage).
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def compound_file(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file whose directory names `stream_names` (the header, one FAT
    sector, one directory sector): what the importer looks at to tell a .doc from an encrypted
    .docx. Real .doc files carry a 'WordDocument' stream; encrypted .docx files 'EncryptionInfo'
    and 'EncryptedPackage'."""
    import struct
    header = bytearray(512)
    header[0:8] = OLE_SIGNATURE
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)          # minor, major version 3, byte order, 512-byte sectors
    struct.pack_into("<H", header, 0x20, 6)                               # mini sector shift
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 0x1000)              # FAT sectors, first directory sector, -, mini cutoff
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)  # no mini FAT, no DIFAT
    header[0x4C:0x200] = b"\xff" * (0x200 - 0x4C)
    struct.pack_into("<I", header, 0x4C, 0)                               # the FAT is sector 0
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)               # sector 0: FAT; sector 1: directory, end
    directory = bytearray()
    names = ("Root Entry",) + stream_names
    for index, name in enumerate(names):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0:len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 0x40, len(encoded), 5 if index == 0 else 2, 1)
        # The root's child is the first stream; each stream's right sibling the next (a tree
        # leaning one way, which readers accept).
        last = 0xFFFFFFFF
        child = 1 if index == 0 and stream_names else last
        right = index + 1 if 0 < index < len(names) - 1 else last
        struct.pack_into("<III", entry, 0x44, last, right, child)
        struct.pack_into("<I", entry, 0x74, 0xFFFFFFFE)
        directory += entry
    directory += bytes(-len(directory) % 512)
    return bytes(header + fat + directory)


def damaged_docx(good: bytes) -> bytes:
    """A .docx cut off in the middle, as a broken download or a full USB stick leaves it."""
    return good[: len(good) // 2]


def docx_without(good: bytes, part: str) -> bytes:
    """A zip that is not a Word document any more: one of its parts removed."""
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item))
    return buffer.getvalue()
