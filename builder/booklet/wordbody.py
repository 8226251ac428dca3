"""A case's body (the HTML Markdown made) as Word paragraphs: headings in Word's heading styles
(so the navigation pane and a TOC field see them), paragraphs, lists, quotes, simple tables,
bold and italic, links as their text, and the case's photos at print size with captions.

The HTML is showcase's own Markdown output, never pasted HTML; anything else is kept as text.
Imports python-docx and the booklet's print photos; nothing of the build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable

from docx.document import Document as WordDocument
from docx.shared import Mm
from docx.text.paragraph import Paragraph

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "table", "tr",
          "td", "th", "thead", "tbody", "hr", "pre", "div", "figcaption"}
VOID = {"br", "img", "hr", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html_text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html_text)
    builder.close()
    return builder.root


# A photo of the case by its file name -> (image file, width in mm) or None; the figure is then
# left out (the build has already said why the photo is unusable).
PhotoLookup = Callable[[str], "tuple[str, float, str, str] | None"]     # (file, width mm, caption, credit)


class BodyWriter:
    """Writes the HTML of one body into `document`, headings shifted by `shift` levels (a
    case's ## sections become Heading 2 under the case's Heading 1)."""

    def __init__(self, document: WordDocument, photos: PhotoLookup, shift: int = 0,
                 caption_style: str = "Caption", photo_style: str = "Booklet Photo", credit_label: str = ""):
        self.doc, self.photos, self.shift = document, photos, shift
        self.caption_style, self.photo_style, self.credit_label = caption_style, photo_style, credit_label

    def write(self, html_text: str) -> None:
        for child in parse(html_text).children:
            self._block(child, list_level=0, numbered=False, quote=False)

    # --- blocks --------------------------------------------------------------------------------
    def _block(self, node: Node | str, list_level: int, numbered: bool, quote: bool) -> None:
        if isinstance(node, str):
            if node.strip():
                self._paragraph([node], quote=quote)
            return
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(9, max(2, int(tag[1]) + self.shift))
            paragraph = self.doc.add_paragraph(style=f"Heading {level}")
            self._inline(paragraph, node.children, {})
        elif tag == "p":
            self._paragraph(node.children, quote=quote)
        elif tag in ("ul", "ol"):
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    self._list_item(item, list_level, tag == "ol")
        elif tag == "blockquote":
            for child in node.children:
                self._block(child, list_level, numbered, quote=True)
        elif tag == "figure":
            self._figure(node)
        elif tag == "table":
            self._table(node)
        elif tag == "hr":
            self.doc.add_paragraph()
        elif tag == "pre":
            paragraph = self.doc.add_paragraph(style="Booklet Plain")
            run = paragraph.add_run(node.text().rstrip("\n"))
            run.font.name = "Consolas"
        elif tag == "img":
            self._figure(Node("figure", {"data-photo": node.attrs.get("src", "")}, [node]))
        elif tag in BLOCKS or tag == "section":
            for child in node.children:
                self._block(child, list_level, numbered, quote)
        else:
            self._paragraph([node], quote=quote)

    def _paragraph(self, children: list, quote: bool = False) -> Paragraph | None:
        if not any((c.strip() if isinstance(c, str) else True) for c in children):
            return None
        paragraph = self.doc.add_paragraph(style="Booklet Quote" if quote else None)
        self._inline(paragraph, children, {})
        return paragraph

    def _list_item(self, item: Node, level: int, numbered: bool) -> None:
        style = "List Number" if numbered else "List Bullet"
        if level:
            style += f" {min(3, level + 1)}"
        inline = [c for c in item.children if not (isinstance(c, Node) and c.tag in ("ul", "ol", "p"))]
        paragraph = self.doc.add_paragraph(style=style)
        for child in item.children:
            if isinstance(child, Node) and child.tag == "p":
                inline = inline + child.children
        self._inline(paragraph, inline, {})
        for child in item.children:
            if isinstance(child, Node) and child.tag in ("ul", "ol"):
                self._block(child, level + 1, child.tag == "ol", False)

    def _figure(self, node: Node) -> None:
        name = node.attrs.get("data-photo", "")
        caption_node = next((c for c in node.children if isinstance(c, Node) and c.tag == "figcaption"), None)
        found = self.photos(name)
        if found is None:
            return
        path, width_mm, caption, credit = found
        text = caption_node.text().strip() if caption_node else caption
        self.picture(path, width_mm, text, credit)

    def picture(self, path: str, width_mm: float, caption: str, credit: str) -> None:
        """A photo in a paragraph of its own, its caption (and credit) under it."""
        paragraph = self.doc.add_paragraph(style=self.photo_style)
        paragraph.add_run().add_picture(path, width=Mm(width_mm))
        if caption or credit:
            under = self.doc.add_paragraph(style=self.caption_style)
            under.add_run(caption)
            if credit:
                under.add_run(("\u3000" if caption else "") + self.credit_label + credit)

    def _table(self, node: Node) -> None:
        rows = [r for r in _descendants(node, "tr")]
        if not rows:
            return
        width = max(len([c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")]) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=max(1, width))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for c, cell in enumerate(cells):
                paragraph = table.cell(r, c).paragraphs[0]
                paragraph.style = self.doc.styles["Booklet Plain"]
                self._inline(paragraph, cell.children, {"bold": True} if cell.tag == "th" else {})

    # --- inline ----------------------------------------------------------------------------------
    def _inline(self, paragraph: Paragraph, children: list, marks: dict) -> None:
        for child in children:
            if isinstance(child, str):
                text = child.replace("\n", "")
                if text:
                    run = paragraph.add_run(text)
                    run.bold = marks.get("bold") or None
                    run.italic = marks.get("italic") or None
                    if marks.get("code"):
                        run.font.name = "Consolas"
                    if marks.get("sup"):
                        run.font.superscript = True
                    if marks.get("sub"):
                        run.font.subscript = True
                continue
            tag = child.tag
            if tag == "br":
                paragraph.add_run().add_break()
            elif tag in ("strong", "b"):
                self._inline(paragraph, child.children, {**marks, "bold": True})
            elif tag in ("em", "i"):
                self._inline(paragraph, child.children, {**marks, "italic": True})
            elif tag == "code":
                self._inline(paragraph, child.children, {**marks, "code": True})
            elif tag in ("sup", "sub"):
                self._inline(paragraph, child.children, {**marks, tag: True})
            elif tag == "img":
                continue                    # a picture inside a line of text: not in print
            else:
                self._inline(paragraph, child.children, marks)


def _descendants(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            else:
                found += _descendants(child, tag)
    return found
