"""HTML -> clean Markdown for a case body: what Word, WPS, a web page or mammoth (a .docx) gives.

The HTML is untrusted (pasted from anywhere, or made from a document anyone could have written),
so the conversion is an allow-list: only text, headings, paragraphs, lists, tables, bold, italic,
links and pictures come out, as Markdown syntax written by us. Scripts, styles, frames, forms and
hidden elements are dropped with their content; a link survives only with an http(s), mailto or
site-relative address; a picture only as a data: image (its bytes are returned) or a reference
(returned for the caller to fetch or ask for); text that would read as HTML or as a Markdown
link is escaped, so nothing in the result is raw HTML. Fonts, colours, sizes, underlines, empty
paragraphs, manual line breaks and the full-width spaces people indent with are removed.

Word's own dialect is understood: its list paragraphs (mso-list) become lists, or headings where
the number is 一、/（一）; its footnotes and mammoth's become Markdown footnotes ([^1]); the
conventional numbered lines (一、基本情况, （一）…, 1. …) that stand alone become headings, and the
headings are renumbered so the top one is ## (the page's own title is the h1).

Built on BeautifulSoup (html.parser, from the standard library) and markdownify.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Callable

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import ATX, MarkdownConverter

from builder.importer import headings

# Elements dropped together with everything inside them.
DROPPED = {"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
           "applet", "svg", "math", "canvas", "audio", "video", "form", "input", "button", "select",
           "textarea", "head", "title", "meta", "link", "base", "xml", "param", "source", "track", "map"}
BLOCKS = {"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt",
          "caption", "figcaption", "center", "section", "article", "body", "[document]", "table", "tr",
          "ul", "ol", "dl", "figure", "header", "footer", "main", "aside", "nav", "pre", "hr"}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif",
               "image/webp": "webp", "image/bmp": "bmp"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
SOFT_BREAK = "\ue000"       # a line break inside a paragraph, until we know what stood either side
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


@dataclass(frozen=True, slots=True)
class FoundImage:
    """A picture of the HTML, as the Markdown now names it: `![…](name)`."""
    name: str                  # the file name written in the Markdown
    data: bytes | None         # the picture's bytes, from a data: URL; None when only referenced
    media_type: str = ""       # 'image/png', … ('' when not known)
    reference: str = ""        # where it was referenced, when not embedded: 'file:///C:/…', 'https://…', 'photo-1.jpg'


@dataclass(frozen=True, slots=True)
class Converted:
    markdown: str              # ends with one newline, or is '' for HTML without text
    images: tuple[FoundImage, ...] = ()


def html_to_markdown(html: str, image_name: Callable[[int, str], str] | None = None) -> Converted:
    """Clean Markdown for a case body from untrusted HTML (pasted from Word, WPS or a web page).

    `html` may be a whole page or a fragment, as a browser's clipboard gives it (text/html).
    `image_name(number, media_type)` names the pictures (numbered from 1 in the order they
    appear; media_type such as 'image/png', or '' when unknown); by default 'image-1.png' and so
    on. A picture referenced by a plain file name (photo-1.jpg) keeps that name.

    Returns the Markdown and every picture kept, with its bytes where the HTML embedded them
    (data: URLs) and the address it used otherwise (file:///…, which a browser cannot read, or
    http(s)://…, which the published site must not load): the caller saves or asks for those.
    """
    return tree_to_markdown(parse_html(html), image_name)


def parse_html(html: str) -> BeautifulSoup:
    """The HTML as a tree, with what must never come through already gone (see DROPPED)."""
    html = re.sub(r"<!--\[if[^\]]*\]>.*?<!\[endif\]-->", "", html, flags=re.S | re.I)   # Word's VML and the like
    html = re.sub(r"<!\[(?:if[^\]]*|endif)\]>", "", html, flags=re.I)                     # <![if !supportLists]>
    tree = _parsed(html)
    for node in tree.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in tree.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in DROPPED or ":" in tag.name and tag.name != "o:p" or _hidden(tag):
            tag.decompose()
    for tag in tree.find_all("o:p"):
        tag.unwrap()
    return tree


def _parsed(html: str) -> BeautifulSoup:
    """html.parser gives up on some malformed markup ('<![a]…'): then such declarations are read
    as text, and failing that everything is."""
    for attempt in (html, re.sub(r"<!(?!--)", "&lt;!", html), html.replace("<", "&lt;")):
        try:
            return BeautifulSoup(attempt, "html.parser")
        except Exception:               # noqa: BLE001 - AssertionError, ParserRejectedMarkup, … from the parser
            continue
    return BeautifulSoup("", "html.parser")


def _hidden(tag: Tag) -> bool:
    style = _style(tag)
    return ("display:none" in style or "visibility:hidden" in style or "mso-hide:all" in style
            or tag.has_attr("hidden"))


def _style(tag: Tag) -> str:
    return re.sub(r"\s+", "", str(tag.get("style") or "")).lower()


def tree_to_markdown(tree: BeautifulSoup, image_name: Callable[[int, str], str] | None = None) -> Converted:
    """Markdown from a tree made by parse_html (and perhaps rearranged by the caller)."""
    _word_lists(tree)
    _inline_styles(tree)
    notes = _footnotes(tree)
    _links(tree)
    images = _images(tree, image_name or _default_name)
    _soft_breaks(tree)
    headings.promote(tree)
    _drop_empty(tree)
    markdown = _Converter().convert_soup(tree)
    if notes:
        markdown += "\n\n" + "\n\n".join(f"[^{label}]: {text}" for label, text in notes)
    return Converted(_tidy(markdown), tuple(images))


def _default_name(number: int, media_type: str) -> str:
    return f"image-{number}.{IMAGE_TYPES.get(media_type, 'jpg')}"


# --- Word's and the web's ways of saying things ----------------------------------------------------

def _word_lists(tree: BeautifulSoup) -> None:
    """Word's list paragraphs (style="mso-list:l0 level1 lfo1", the number in a span marked
    mso-list:Ignore) as <ul>/<ol>; a Chinese number (一、, （一）) stays in the text instead, as
    such paragraphs are headings more often than not."""
    run: list[tuple[Tag, int, bool]] = []
    for paragraph in tree.find_all("p"):
        match = re.search(r"mso-list:\s*l\d+\s+level(\d)", str(paragraph.get("style") or ""))
        if not match:
            continue
        marker = "".join(span.get_text() for span in paragraph.find_all("span", style=re.compile(r"mso-list:\s*ignore", re.I)))
        for span in paragraph.find_all("span", style=re.compile(r"mso-list:\s*ignore", re.I)):
            span.decompose()
        marker = marker.replace("\xa0", " ").strip()
        if headings.is_chinese_number(marker):
            paragraph.insert(0, NavigableString(marker))
            continue
        # 1. 1) a. (1) are numbers; o § · and the letters Wingdings bullets come as are bullets
        ordered = bool(re.fullmatch(r"\d{1,3}[.)、．]?|[A-Za-z]{1,3}[.)]|[(（][0-9A-Za-z]{1,3}[)）]", marker))
        run.append((paragraph, int(match.group(1)), ordered))
    groups: list[list[tuple[Tag, int, bool]]] = []
    for item in run:
        if groups and _next_block(groups[-1][-1][0]) is item[0]:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        _make_list(tree, group)


def _next_block(tag: Tag) -> Tag | None:
    sibling = tag.next_sibling
    while isinstance(sibling, NavigableString) and not sibling.strip():
        sibling = sibling.next_sibling
    return sibling if isinstance(sibling, Tag) else None


def _make_list(tree: BeautifulSoup, group: list[tuple[Tag, int, bool]]) -> None:
    first = group[0][0]
    top = tree.new_tag("ol" if group[0][2] else "ul")
    first.insert_before(top)
    stack = [(group[0][1], top)]
    for paragraph, level, ordered in group:
        while len(stack) > 1 and level < stack[-1][0]:
            stack.pop()
        if level > stack[-1][0] and stack[-1][1].contents:
            nested = tree.new_tag("ol" if ordered else "ul")
            stack[-1][1].contents[-1].append(nested)
            stack.append((level, nested))
        item = tree.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        stack[-1][1].append(item)
        paragraph.decompose()


def _inline_styles(tree: BeautifulSoup) -> None:
    """Bold and italic said with CSS (web pages, WPS, Google Docs) as <strong>/<em>; Google
    Docs' <b style="font-weight:normal"> wrapper unwrapped; underline, fonts and spans gone;
    superscript and subscript digits (m², CO₂) as the characters they are."""
    for tag in tree.find_all(["b", "strong"]):
        if re.search(r"font-weight:(normal|[1-4]00)\b", _style(tag)):
            tag.unwrap()
    for tag in tree.find_all(["span", "font"]):
        style = _style(tag)
        if re.search(r"font-weight:(bold|bolder|[6-9]00)\b", style):
            tag.name = "strong"
        elif "font-style:italic" in style:
            tag.name = "em"
        else:
            tag.unwrap()
    for tag in tree.find_all(["b", "i", "u", "ins", "mark", "small", "big", "abbr", "cite", "dfn", "time", "label", "center"]):
        if tag.name == "b":
            tag.name = "strong"
        elif tag.name == "i":
            tag.name = "em"
        elif tag.name == "center":
            tag.name = "div"
        else:
            tag.unwrap()
    for tag in tree.find_all(["s", "strike", "del"]):
        tag.decompose()                         # struck out is deleted: as Word's accepted changes
    for tag in tree.find_all(["sup", "sub"]):
        if tag.find("a") is None:
            text = tag.get_text()
            table = _SUPERSCRIPT if tag.name == "sup" else _SUBSCRIPT
            tag.replace_with(text.translate(table) if re.fullmatch(r"[0-9+\-=()]{1,4}", text) else text)
    for heading in tree.find_all(re.compile(r"^h[1-6]$")):
        for tag in heading.find_all(["strong", "em"]):
            tag.unwrap()
    for tag in tree.find_all(["strong", "em"]):
        _merge_with_next(tag)


def _merge_with_next(tag: Tag) -> None:
    """<strong>a</strong><strong>b</strong> (Word splits runs) as one: else '**a****b**'."""
    following = tag.next_sibling
    while isinstance(following, Tag) and following.name == tag.name:
        for child in list(following.contents):
            tag.append(child.extract())
        following.decompose()
        following = tag.next_sibling
    if isinstance(tag.parent, Tag) and tag.parent.name == tag.name:
        tag.unwrap()


_NOTE_REF = re.compile(r"#(footnote|endnote)-(\d+)$|#_(ftn|edn)(\d+)$")


def _footnotes(tree: BeautifulSoup) -> list[tuple[str, str]]:
    """Footnote references as [^1] and their texts, numbered in the order they are referred to.
    Two dialects: mammoth's (<a href="#footnote-1">, <li id="footnote-1">) and Word's pasted
    HTML (<a href="#_ftn1">, <div style="mso-element:footnote" id="ftn1">)."""
    notes: list[tuple[str, str]] = []
    bodies = {}
    for li in tree.find_all("li", id=re.compile(r"^(footnote|endnote)-\d+$")):
        bodies[li["id"]] = li
    for div in tree.find_all("div", style=re.compile(r"mso-element:\s*(footnote|endnote)\b")):
        if div.get("id"):
            bodies["_" + div["id"]] = div
    for ref in tree.find_all("a", href=_NOTE_REF):
        match = _NOTE_REF.search(ref["href"])
        key = f"{match.group(1)}-{match.group(2)}" if match.group(1) else f"_{match.group(3)}{match.group(4)}"
        body = bodies.get(key)
        if body is None:
            ref.unwrap()
            continue
        label = str(len(notes) + 1)
        for back in body.find_all("a", href=re.compile(r"^#")):
            back.decompose()                    # the ↑ back link, or Word's [1] before the text
        text = _note_text(body)
        notes.append((label, text))
        holder = ref.parent if ref.parent and ref.parent.name in ("sup", "span") and ref.parent.get_text() == ref.get_text() else ref
        while holder.parent and holder.parent.name == "sup" and holder.parent.get_text() == ref.get_text():
            holder = holder.parent
        holder.replace_with(NavigableString(f"\ue001{label}\ue002"))
    for body in bodies.values():
        list_parent = body.parent
        body.decompose()
        if list_parent is not None and list_parent.name in ("ol", "ul") and not list_parent.find("li"):
            list_parent.decompose()
    for container in tree.find_all("div", style=re.compile(r"mso-element:\s*(footnote|endnote)-list")):
        container.decompose()
    return notes


def _note_text(body: Tag) -> str:
    inner = BeautifulSoup("", "html.parser")
    for child in list(body.contents):
        inner.append(child.extract())
    _soft_breaks(inner)
    text = _Converter().convert_soup(inner)
    return _tidy(re.sub(r"\s*\n\s*", " ", text)).strip()


def _links(tree: BeautifulSoup) -> None:
    """Keep a link only to an http(s) or mailto address or a site path; the text always stays."""
    for tag in tree.find_all("a"):
        href = re.sub(r"[\t\r\n]|^[\x00-\x20]+|[\x00-\x20]+$", "", str(tag.get("href") or ""))   # as a browser reads it
        if href.lower().startswith(LINK_SCHEMES) or re.match(r"^/(?!/)", href):
            tag.attrs = {"href": re.sub(r"[()<>\"'\s]", lambda m: "%%%02X" % ord(m.group(0)), href)}
        else:
            tag.unwrap()


def _images(tree: BeautifulSoup, name: Callable[[int, str], str]) -> list[FoundImage]:
    found: list[FoundImage] = []
    for tag in tree.find_all("img"):
        src = str(tag.get("src") or "").strip()
        alt = re.sub(r"[\[\]()<>\\*_`\s]+", " ", str(tag.get("alt") or "")).strip()
        image = _image(src, len(found) + 1, name)
        if image is None:
            tag.decompose()
            continue
        found.append(image)
        tag.attrs = {"src": image.name, "alt": alt}
        if tag.parent is None or tag.parent.name in ("[document]", "body", "div", "section", "article", "center"):
            tag.wrap(tree.new_tag("p"))         # a picture between paragraphs: a paragraph (a figure) of its own
    return found


def _image(src: str, number: int, name: Callable[[int, str], str]) -> FoundImage | None:
    data_url = re.fullmatch(r"data:(image/[a-z+.-]+)(?:;[^,;]*)*;base64,(.*)", src, re.S | re.I)
    if data_url:
        media_type = data_url.group(1).lower()
        if media_type not in IMAGE_TYPES:
            return None
        try:
            data = base64.b64decode(re.sub(r"\s+", "", data_url.group(2)), validate=True)
        except (binascii.Error, ValueError):
            return None
        return FoundImage(name(number, media_type), data, media_type)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(?:jpe?g|png|gif|webp|bmp|heic|heif|tiff?)", src, re.I):
        return FoundImage(src, None, _type_of(src), src)
    if re.match(r"(?:https?|file)://", src, re.I) or (src and not re.match(r"[a-z][a-z0-9+.-]*:", src, re.I)):
        media_type = _type_of(src)
        return FoundImage(name(number, media_type), None, media_type, src)
    return None                                 # javascript:, vbscript:, data: that is no picture, nothing


def _type_of(address: str) -> str:
    suffix = re.search(r"\.([A-Za-z]{3,4})(?:[?#]|$)", address)
    ext = suffix.group(1).lower() if suffix else ""
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
            "webp": "image/webp", "bmp": "image/bmp"}.get(ext, "")


# --- white space -------------------------------------------------------------------------------

def _soft_breaks(tree: BeautifulSoup) -> None:
    """<br> and the line breaks of the HTML source inside a paragraph become SOFT_BREAK, decided
    at the end: nothing between Chinese characters, a space between Latin words."""
    for br in tree.find_all("br"):
        br.replace_with(NavigableString(SOFT_BREAK))
    for text in tree.find_all(string=True):
        if isinstance(text, NavigableString) and not text.find_parent("pre") and re.search(r"[\r\n]", text):
            text.replace_with(NavigableString(re.sub(r"[ \t]*[\r\n]+[ \t]*", SOFT_BREAK, str(text))))


def _drop_empty(tree: BeautifulSoup) -> None:
    """Paragraphs and headings with nothing in them (Word's empty lines, a lone &nbsp;)."""
    for tag in tree.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em"]):
        if not tag.decomposed and not tag.find("img") and not _visible(tag.get_text()):
            tag.decompose()


def _visible(text: str) -> bool:
    return bool(text.replace(SOFT_BREAK, "").strip(" \t\r\n\xa0\u3000\u200b\ufeff"))


def _tidy(markdown: str) -> str:
    """The finishing touches no HTML element owns: line breaks inside paragraphs, indenting
    spaces, runs of empty lines, footnote marks."""
    markdown = re.sub(rf"(?<=[{_CJK}])[ \t]*{SOFT_BREAK}+[ \t]*|[ \t]*{SOFT_BREAK}+[ \t]*(?=[{_CJK}])", "", markdown)
    markdown = re.sub(rf"[ \t]*{SOFT_BREAK}+[ \t]*", " ", markdown)
    markdown = markdown.replace("\ue001", "[^").replace("\ue002", "]")
    markdown = markdown.replace("\xa0", " ")
    markdown = re.sub(r"[ \t]*\n", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    return markdown + "\n" if markdown else ""


# --- the Markdown --------------------------------------------------------------------------------

class _Converter(MarkdownConverter):
    """markdownify, set the way case bodies are written (# headings, - lists, ** bold), with an
    escaping of our own: nothing the HTML said as text may come out as HTML or a link."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        table_infer_header = True
        escape_underscores = False             # '_' inside a word is not emphasis in Python-Markdown

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")
        text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
        text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text)
        text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
        text = re.sub(r"\](?=[(\[:])", "\\]", text)
        text = re.sub(r"\[(?=\^)", "\\[", text)
        if "td" in parent_tags or "th" in parent_tags:
            text = text.replace("|", "\\|")
        return text

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        return super().process_text(NavigableString(str(el).replace("\xa0", " ")) if "\xa0" in el else el,
                                    parent_tags)

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_p(el, _line_start(_trim(text)), parent_tags)

    convert_div = convert_p

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """An item, its further lines indented by four spaces: Python-Markdown nests no less."""
        text = _trim(text)
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "")
            bullet = f"{(int(start) if start.isdigit() else 1) + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        first, *rest = text.split("\n")
        return "\n".join([f"{bullet} {first}"] + [("    " + line) if line.strip() else "" for line in rest]) + "\n"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_hN(n, el, _trim(text), parent_tags)

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return super().convert_td(el, _trim(text.replace(SOFT_BREAK, " ")), parent_tags)

    convert_th = convert_td

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n"                          # a rule in Word is decoration; --- would be a Markdown rule

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = el.get("href")
        if href and text.strip() and text.replace("\\", "") == href:
            return f"<{href}>"
        return super().convert_a(el, text, parent_tags)


def _trim(text: str) -> str:
    return text.strip(" \t\r\n\u3000\xa0" + SOFT_BREAK)


def _line_start(text: str) -> str:
    """A paragraph that begins like Markdown syntax (#, >, - , + , ===) is said as text."""
    return re.sub(r"^(#|>|[-+=](?=\s|$)|=+$)", r"\\\1", text)
