"""What the lines of a document are, beyond its text: the title, the caption of each picture,
the 供稿/来源 line and a date line. Works on the tree of the document's HTML (word.read_docx,
then from_html.parse_html), takes those lines out of it and leaves the pictures as
<img src="photo-N.jpg"> in their places, each in a paragraph of its own so that it becomes a
figure; a picture that cannot be published is taken out and reported.

The conventions are those of township and village write-ups: the title in the Title style, or
a heading, or a short bold centred line at the top; a caption under its picture (图为…, 图1…,
▲…, the Caption style, or a short centred line), sometimes above it; 供稿：XX镇党委 and a date
(2025年6月12日, 二〇二五年六月十二日) on lines of their own.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from builder.importer import headings
from builder.importer.word import PICTURE_SRC, Picture

TITLE_MAX = 60                  # characters of a title found by its look (bold, centred, first line)
CAPTION_MAX = 80                # characters of a centred line taken for a caption by its place alone
_HEAD = re.compile(r"^h[1-6]$")
_CAPTION = re.compile(r"^\s*(?:[▲△]|图\s*为|图\s*[:：]|图\s*\d{1,3}(?!\d)|图\s*[一二三四五六七八九十]{1,3}(?=[\s:：、.．]))")
_SOURCE = re.compile(r"^[（(]?\s*(供稿|来源|供稿单位|报送单位|稿件来源|信息来源|撰稿单位)\s*[:：]\s*(.+?)\s*[）)]?$")
_UNIT_WORD = re.compile(r"供稿|供稿单位|报送单位|撰稿单位")       # a unit that sent the text in, not a citation
_SOURCE_AFTER = re.compile(r"^[（(]?\s*(.{2,30}?)\s*供稿\s*[）)]?$")
_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True)
class PlacedPicture:
    picture: Picture
    name: str                   # photo-1.jpg: its file in the case folder
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    title_from: str             # 'style', 'heading', 'bold', 'first_line', or '' when none was found
    source: str = ""            # 来源：… (a citation) -> source:
    unit: str = ""              # 供稿：XX镇党委 (the submitting unit) -> unit:
    date: dt.date | None = None     # from a line that is nothing but a date
    placed: tuple[PlacedPicture, ...] = ()
    left_out: tuple[tuple[Picture, str], ...] = ()     # pictures that cannot be published, with text near them
    opening: str = ""           # the title and the first paragraphs: where the model site is named
    first_paragraph: str = ""
    dates_in_text: tuple[dt.date, ...] = field(default_factory=tuple)


def lay_out(tree: BeautifulSoup, pictures: tuple[Picture, ...], box_lines: tuple[str, ...] = ()) -> Layout:
    """Find and take out the title, the source and date lines and the captions; place the
    pictures. `box_lines`: the text of the paragraphs that stood in text boxes, which is neither
    a title nor an opening paragraph."""
    _mark_text_boxes(tree, box_lines)
    title, title_from = _take_title(tree)
    source = unit = date = None
    for block in _blocks(tree):
        text = _text(block)
        if block.name == "p" and (source is None or unit is None):
            match, after = _SOURCE.match(text), _SOURCE_AFTER.match(text)
            is_unit = bool(after) or bool(match and _UNIT_WORD.fullmatch(match.group(1)))
            if (match or after) and (unit if is_unit else source) is None:
                value = (after.group(1) if after else match.group(2)).strip()
                if is_unit:
                    unit = value
                else:
                    source = value
                block.decompose()
                continue
        if date is None and block.name == "p" and (found := whole_date(text)):
            date = found
            block.decompose()
    placed, left_out = _place_pictures(tree, {p.number: p for p in pictures})
    paragraphs = [_text(b) for b in _blocks(tree) if b.name == "p" and not b.find("img") and _text(b)
                  and not _in_text_box(b)]      # a box beside the text is no opening
    first = next((p for p in paragraphs if len(p) >= 10 and headings.numbered_level(p) is None), "")
    opening = "\n".join([title] + paragraphs[:5])
    return Layout(title, title_from, source or "", unit or "", date, tuple(placed), tuple(left_out), opening, first,
                  tuple(dates_in(tree.get_text(" "))))


def _mark_text_boxes(tree: BeautifulSoup, box_lines: tuple[str, ...]) -> None:
    """Mark the paragraphs of the text boxes (matched by their text, in order)."""
    wanted = [re.sub(r"\s+", " ", line.replace("\u3000", " ")).strip() for line in box_lines]
    wanted = [line for line in wanted if line]
    marked = 0
    for block in _blocks(tree):
        if marked < len(wanted) and block.name == "p" and _text(block) == wanted[marked]:
            block["class"] = (block.get("class") or []) + ["showcase-text-box"]
            marked += 1


# --- the title ---------------------------------------------------------------------------------

def _take_title(tree: BeautifulSoup) -> tuple[str, str]:
    blocks = [b for b in _blocks(tree) if (_text(b) or b.find("img")) and not _in_text_box(b)]
    styled = [b for b in blocks if b.name == "h1" and "showcase-title" in (b.get("class") or [])]
    if styled:
        first = blocks.index(styled[0])
        parts = [styled[0]]
        for block in blocks[first + 1:]:        # a long title set in the Title style over two lines
            if block.name == "h1" and "showcase-title" in (block.get("class") or []):
                parts.append(block)
            else:
                break
        return _take(parts), "style"
    if blocks and _HEAD.match(blocks[0].name) and headings.numbered_level(_text(blocks[0])) is None:
        return _take([blocks[0]]), "heading"
    for block in blocks[:3]:
        if block.name != "p" or block.find("img"):
            break
        text = _text(block)
        if len(text) > TITLE_MAX or _ends_sentence(text):
            break
        if "showcase-centred" in (block.get("class") or []) and _all_bold(block) and not _metadata(text):
            return _take([block]), "bold"
    if len(blocks) > 1 and blocks[0].name == "p" and not blocks[0].find("img"):
        text = _text(blocks[0])
        if (text and len(text) <= TITLE_MAX and not _ends_sentence(text) and not _metadata(text)
                and headings.numbered_level(text) is None and not _CAPTION.match(text)):
            return _take([blocks[0]]), "first_line"
    return "", ""


def _take(blocks: list[Tag]) -> str:
    text = _join([_text(b) for b in blocks])
    for block in blocks:
        block.decompose()
    return text


def _join(parts: list[str]) -> str:
    """Lines of one title: nothing between Chinese, a space between Latin words."""
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out += " "
        out += part
    return out


def _metadata(text: str) -> bool:
    return bool(_SOURCE.match(text) or _SOURCE_AFTER.match(text) or whole_date(text))


def _ends_sentence(text: str) -> bool:
    return text[-1:] in "。！？；：，、.!?;:," or "。" in text


def _all_bold(block: Tag) -> bool:
    bold = "".join(s.get_text() for s in block.find_all("strong"))
    return bool(bold.strip()) and re.sub(r"\s", "", bold) == re.sub(r"\s", "", block.get_text())


# --- dates -------------------------------------------------------------------------------------

_YMD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_HAN_YMD = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def whole_date(text: str) -> dt.date | None:
    """The date of a line that holds nothing else: 2025年6月12日, 2025-06-12, 二〇二五年六月十二日."""
    text = text.strip(" \u3000")
    for pattern, read in ((_YMD, _arabic), (_ISO, _arabic), (_HAN_YMD, _han)):
        match = pattern.fullmatch(text)
        if match:
            return read(*match.groups())
    return None


def dates_in(text: str) -> list[dt.date]:
    """Every full date written in running text, in order."""
    found = [(m.start(), read(*m.groups())) for pattern, read in ((_YMD, _arabic), (_ISO, _arabic), (_HAN_YMD, _han))
             for m in pattern.finditer(text)]
    return [date for _, date in sorted(found, key=lambda f: f[0]) if date is not None]


def _arabic(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _han(year: str, month: str, day: str) -> dt.date | None:
    return _arabic("".join(str(_DIGITS[c]) for c in year), str(_han_number(month)), str(_han_number(day)))


def _han_number(text: str) -> int:
    """一 … 九, 十, 十二, 二十, 二十三, 三十一."""
    tens = re.fullmatch(r"([一二三四五六七八九]?)十([一二三四五六七八九]?)", text)
    if tens is None:
        return _DIGITS.get(text, 0)
    return (_DIGITS[tens.group(1)] if tens.group(1) else 1) * 10 + (_DIGITS[tens.group(2)] if tens.group(2) else 0)


# --- pictures and captions -----------------------------------------------------------------------

def _place_pictures(tree: BeautifulSoup, pictures: dict[int, Picture]) -> tuple[list[PlacedPicture], list[tuple[Picture, str]]]:
    for img in tree.find_all("img"):
        if not str(img.get("src") or "").startswith(PICTURE_SRC):
            img.decompose()                     # a picture only linked to a file elsewhere (counted by word)
    for block in list(_blocks(tree)):
        if block.find("img"):
            _split_around_pictures(tree, block)
    placed: list[PlacedPicture] = []
    left_out: list[tuple[Picture, str]] = []
    used: set[int] = set()
    blocks = _blocks(tree)
    for index, block in enumerate(blocks):
        img = block.find("img") if block.name == "p" else None
        if img is None or id(block) in used:
            continue
        picture = pictures[int(str(img["src"])[len(PICTURE_SRC):])]
        if not picture.suffix:
            left_out.append((picture, _near(blocks, index)))
            block.decompose()
            used.add(id(block))
            continue
        caption = ""
        below = blocks[index + 1] if index + 1 < len(blocks) else None
        above = blocks[index - 1] if index > 0 else None
        # A caption by its words or style below, then above; a centred line only below.
        candidates = [(below, False), (above, False), (below, True)]
        used_block = next((b for b, by_place in candidates if b is not None and id(b) not in used
                           and _is_caption(b, by_place)), None)
        if used_block is not None:
            caption = _caption_text(used_block)
        if used_block is not None:
            used.add(id(used_block))
            used_block.decompose()
        name = f"photo-{len(placed) + 1}.{picture.suffix}"
        img.attrs = {"src": name, "alt": ""}
        block.attrs = {}
        placed.append(PlacedPicture(picture, name, caption))
    for img in tree.find_all("img"):            # in a table or a list: kept there, named the same way
        src = str(img.get("src") or "")
        if src.startswith(PICTURE_SRC):
            picture = pictures[int(src[len(PICTURE_SRC):])]
            if picture.suffix:
                name = f"photo-{len(placed) + 1}.{picture.suffix}"
                img.attrs = {"src": name, "alt": ""}
                placed.append(PlacedPicture(picture, name))
            else:
                left_out.append((picture, _text(img.find_parent(["td", "li", "p"]) or img)))
                img.decompose()
    return placed, left_out


def _split_around_pictures(tree: BeautifulSoup, block: Tag) -> None:
    """<p>text<img>caption</p> -> <p>text</p><p><img></p><p>caption</p>: one picture a paragraph,
    so each becomes a figure and the text beside it a paragraph of its own."""
    if block.name != "p" or block.find_parent(["td", "th", "li"]):
        return
    pieces: list[Tag] = []
    current = tree.new_tag("p", attrs={"class": block.get("class") or []})
    for child in list(block.contents):
        if isinstance(child, Tag) and (child.name == "img" or child.find("img")):
            for img in ([child] if child.name == "img" else child.find_all("img")):
                pieces.append(current)
                figure = tree.new_tag("p")
                figure.append(img.extract())
                pieces.append(figure)
                current = tree.new_tag("p", attrs={"class": block.get("class") or []})
            if child.name != "img" and child.get_text().strip():
                current.append(child.extract())
        else:
            current.append(child.extract())
    pieces.append(current)
    for piece in pieces:
        if piece.find("img") or piece.get_text().strip(" \t\r\n\u3000\xa0"):
            block.insert_before(piece)
    block.decompose()


def _is_caption(block: Tag, by_place: bool) -> bool:
    """A caption by its words (图为…) or the Caption style; with `by_place`, a short centred line."""
    if block.name != "p" or block.find("img"):
        return False
    text = _text(block)
    if not text:
        return False
    classes = block.get("class") or []
    if not by_place:
        return "showcase-caption" in classes or bool(_CAPTION.match(text))
    return ("showcase-centred" in classes and len(text) <= CAPTION_MAX
            and headings.numbered_level(text) is None and not _metadata(text))


def _caption_text(block: Tag) -> str:
    return re.sub(r"^[▲△]\s*", "", _text(block))


def _near(blocks: list[Tag], index: int) -> str:
    """Text next to a picture, for a person to find it in the document."""
    for block in blocks[index + 1: index + 2] + blocks[max(0, index - 1): index]:
        text = _text(block)
        if text and block.name == "p" and not block.find("img"):
            return text[:30]
    return ""


# --- helpers -----------------------------------------------------------------------------------

def _in_text_box(block: Tag) -> bool:
    return "showcase-text-box" in (block.get("class") or [])


def _blocks(tree: BeautifulSoup) -> list[Tag]:
    """The top-level elements of the body, in order."""
    root = tree.body or tree
    return [child for child in root.children if isinstance(child, Tag)]


def _text(tag: Tag) -> str:
    text = "".join(s for s in tag.find_all(string=True) if isinstance(s, NavigableString))
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()
