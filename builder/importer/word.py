"""Reading a .docx: its text as HTML (mammoth) and its pictures in document order, or the reason
it cannot be read (a Word 97-2003 .doc or a .wps, a password, a damaged file).

Why mammoth: it turns Word's styles into meaning rather than looks (headings, lists, tables,
bold, italic, links, footnotes), accepts tracked changes (insertions kept, deletions gone),
leaves comments out, keeps the text of text boxes in its place, and hands over each picture in
order. What the HTML cannot say is passed to it by a document transform: which paragraphs are
the title, captions and centred lines (see STYLE_MAP). python-docx cannot read text boxes,
footnotes or tracked changes, and docx2python gives text without the structure, so neither is
needed at run time (the tests write their .docx files with python-docx).
"""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import mammoth
import mammoth.transforms
from PIL import Image

# An OLE2 compound file: a Word 97-2003 .doc, a WPS .wps, or a .docx encrypted with a password.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_UNPACKED = 2 * 1024 ** 3            # bytes: a larger "document" is a zip bomb, not a case
PICTURE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp",
                   "TIFF": "tif", "WEBP": "webp"}     # Pillow's name -> the suffix the build reads
PICTURE_SRC = "word-picture:"

STYLE_MAP = "\n".join([
    "p[style-name='showcase-title'] => h1.showcase-title:fresh",
    "p[style-name='showcase-caption'] => p.showcase-caption:fresh",
    "p[style-name='showcase-centred'] => p.showcase-centred:fresh",
    *(f"p[style-name='showcase-heading-{n}'] => h{n}:fresh" for n in range(1, 7)),
])
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"


class Unreadable(Exception):
    """The file is not a .docx this can read; `code` names the message that says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Picture:
    number: int                 # 1, 2, … in document order
    data: bytes
    content_type: str           # as the document declares it
    suffix: str                 # the file suffix its real format takes ('jpg', 'png', …); '' when Pillow cannot read it

    @property
    def kind(self) -> str:
        """How the picture's format is named to a person: 'EMF', 'WMF', 'JPEG' …"""
        sub = self.content_type.rpartition("/")[2].upper()
        return re.sub(r"^X-", "", sub) or "?"


@dataclass(frozen=True, slots=True)
class WordDocument:
    html: str                   # pictures as <img src="word-picture:N">
    pictures: tuple[Picture, ...]
    text_boxes: tuple[tuple[str, ...], ...]     # each text box's paragraphs, now in the body where the box was
    comments: int               # comments left out
    changes: int                # tracked insertions and deletions, taken as accepted
    linked: int                 # pictures only linked to a file elsewhere, not in the document


def read_docx(data: bytes) -> WordDocument:
    """The document's HTML and pictures; raises Unreadable with the reason when it has none."""
    package = _open_package(data)
    counts = _count_marks(package)
    pictures: list[Picture] = []
    linked = 0

    def picture(image) -> dict[str, str]:
        nonlocal linked
        try:
            with image.open() as stream:
                content = stream.read()
        except Exception:               # noqa: BLE001 - a linked file elsewhere, or a broken part: counted, said
            linked += 1
            return {"src": ""}
        pictures.append(Picture(len(pictures) + 1, content, image.content_type or "", _suffix(content)))
        return {"src": f"{PICTURE_SRC}{len(pictures)}"}

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         transform_document=mammoth.transforms.paragraph(_mark),
                                         convert_image=mammoth.images.img_element(picture),
                                         include_embedded_style_map=False, external_file_access=False)
    except Exception as exc:            # noqa: BLE001 - malformed XML inside a zip that looked right
        raise Unreadable("import_damaged") from exc
    return WordDocument(result.value, tuple(pictures), counts[0], counts[1], counts[2], linked)


def _open_package(data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE_SIGNATURE):
        raise Unreadable("import_encrypted" if ENCRYPTED_STREAM in data else "import_old_format")
    if data.lstrip()[:5] == b"{\\rtf":
        raise Unreadable("import_old_format")        # an RTF file named .doc: Word opens it, saves it as .docx
    if not data.startswith(b"PK"):
        raise Unreadable("import_not_word")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if package.testzip() is not None:
            raise Unreadable("import_damaged")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise Unreadable("import_damaged") from exc
    if "word/document.xml" not in names:
        raise Unreadable("import_not_word")
    if sum(item.file_size for item in package.infolist()) > MAX_UNPACKED:
        raise Unreadable("import_damaged")
    return package


def _count_marks(package: zipfile.ZipFile) -> tuple[tuple[tuple[str, ...], ...], int, int]:
    """The paragraphs of the text boxes (each box once: Word writes a box twice, as a shape and
    as its VML fallback, and mammoth reads the fallback), the comments, and the tracked
    insertions and deletions."""
    boxes: list[list[str]] = []
    comments = changes = 0
    choice_depth = box_depth = 0
    try:
        with package.open("word/document.xml") as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag
                if tag == _CHOICE:
                    choice_depth += 1 if event == "start" else -1
                elif choice_depth:
                    continue
                elif tag == f"{_W}txbxContent":
                    if event == "start" and not box_depth:
                        boxes.append([])
                    box_depth += 1 if event == "start" else -1
                elif event == "start" and tag == f"{_W}commentReference":
                    comments += 1
                elif event == "start" and tag in (f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo"):
                    changes += 1
                elif event == "end" and tag == f"{_W}p":
                    if box_depth:
                        boxes[-1].append("".join(t.text or "" for t in element.iter(f"{_W}t")))
                    element.clear()
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Unreadable("import_damaged") from exc
    return tuple(tuple(box) for box in boxes), comments, changes


def _mark(paragraph):
    """Name the paragraphs the layout needs by styles of our own (mapped in STYLE_MAP), whatever
    the document calls them: Title / 标题, Heading 1 / 标题 1, Caption / 题注, or centred."""
    name = (paragraph.style_name or "").strip()
    heading = re.fullmatch(r"(?:heading|标题)\s*([1-6])", name, re.I)
    if re.fullmatch(r"title|标题", name, re.I):
        style = "showcase-title"
    elif heading:
        style = f"showcase-heading-{heading.group(1)}"
    elif re.fullmatch(r"caption|题注", name, re.I):
        style = "showcase-caption"
    elif paragraph.alignment == "center" and paragraph.numbering is None:
        style = "showcase-centred"
    else:
        return paragraph
    return paragraph.copy(style_name=style, style_id=None)


def _suffix(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            if fmt in PICTURE_FORMATS:
                image.verify()
            return PICTURE_FORMATS.get(fmt, "")
    except Exception:                   # noqa: BLE001 - Pillow raises many kinds for what it cannot read
        return ""
