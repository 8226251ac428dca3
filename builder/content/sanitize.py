"""Raw HTML in case, model site and page bodies: the allow-list, the sanitiser and the detector.

Markdown lets an author paste HTML, and a pasted article can carry a script. Every body's HTML
goes through nh3 (the binding to Ammonia, a sanitiser built on the HTML5 parser of the Servo
browser engine) with the allow-list below: what case texts need, and everything Python-Markdown
emits for our extensions. That is the safety net; what is published is always its output.

Above it, the detector says what the sanitiser took away, naming the construct and the line of
the body that wrote it, so the content stage reports an error instead of silently publishing a
text that differs from what the author wrote. It reads the HTML before and after with the
standard library's parser and compares tags and attributes; should that parser and Ammonia's
ever disagree about what a piece of markup is, the visible text still differs and the detector
reports the body as altered. Nothing here is trusted to be exhaustive except nh3's output.
"""
from __future__ import annotations

import ast
import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from builder.errors import Problem

# --- the allow-list --------------------------------------------------------------------------

# What case texts need (tables, figures, links, emphasis, sub- and superscripts, line breaks) and
# what Python-Markdown emits for tables, footnotes, toc, attr_list and sane_lists.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
# id: headings (toc), footnotes and attr_list; class: footnotes, our figures, attr_list.
ALLOWED_ATTRIBUTES = {
    "*": frozenset({"class", "id", "title", "align", "lang", "dir"}),
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "table": frozenset({"width"}),
    "figure": frozenset({"data-photo"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"style", "width", "colspan", "rowspan"}),
    "th": frozenset({"style", "width", "colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
}
# Pasted links often open in a new tab; browsers give such a tab no hold on this page.
ALLOWED_VALUES = {"a": {"target": frozenset({"_blank"})}}
# Links: web addresses, mail, telephone, and addresses without a scheme (this site's pages).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Python-Markdown aligns table columns with style="text-align: …"; nothing else may style.
STYLE_PROPERTIES = frozenset({"text-align"})
# Removed with everything inside them: code, or content that is not text for the reader.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "template", "textarea", "select", "svg", "math", "title", "xmp", "form",
})
_VOID = frozenset({"embed", "frame"})      # of those: no content, no end tag
URL_ATTRIBUTES = {("a", "href"), ("img", "src")}

# The cache key of rendered bodies includes this: another policy or another nh3 is another result.
POLICY = hashlib.sha256(json.dumps({
    "tags": sorted(ALLOWED_TAGS), "attributes": {k: sorted(v) for k, v in sorted(ALLOWED_ATTRIBUTES.items())},
    "values": {k: {n: sorted(v) for n, v in a.items()} for k, a in ALLOWED_VALUES.items()},
    "schemes": sorted(LINK_SCHEMES), "style": sorted(STYLE_PROPERTIES), "drop": sorted(DROPPED_WITH_CONTENT),
    "image": "local-only-1", "nh3": getattr(nh3, "__version__", ""),
}, sort_keys=True).encode("utf-8")).hexdigest()[:16]


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")


def is_local(url: str) -> bool:
    """Does a browser read `url` from this site? 'photo-1.jpg', '/static/a.png': yes;
    'https://…', '//host/…', '\\\\host\\…', 'data:…', 'javascript:…': no. Browsers strip
    surrounding blanks and control characters and ignore tabs and line breaks inside."""
    url = _IGNORED_IN_URLS.sub("", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                             "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \t\n\r"))
    if _SCHEME.match(url):
        return False
    return not (len(url) >= 2 and url[0] in "/\\" and url[1] in "/\\")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Images only from this site: a photo of the folder or a file of the site's static/."""
    if tag == "img" and attribute == "src" and not is_local(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    tag_attribute_values={tag: {name: set(values) for name, values in allowed.items()}
                          for tag, allowed in ALLOWED_VALUES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(LINK_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,
    strip_comments=True,
)


def sanitise(body_html: str) -> str:
    """The HTML that may be published: only what the allow-list allows. Comments are dropped
    too (an author's note to self is not for the public), which the detector does not report."""
    return _CLEANER.clean(body_html)


# --- the detector ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Removal:
    """One construct the sanitiser took away, and the line of the body that wrote it."""
    kind: str          # "tag", "attribute", "link", "image", "remote_image" or "altered"
    tag: str = ""      # the element ("script"; for an attribute, the element it was on)
    name: str = ""     # the attribute ("onerror")
    value: str = ""    # the address of a link or image, or the altered text
    line: int = 0      # 0-based, in the body


def clean(body_html: str, body: str) -> tuple[str, tuple[Removal, ...]]:
    """(the sanitised HTML, what was removed) of the HTML that Markdown made of `body`."""
    safe = sanitise(body_html)
    if safe == body_html:
        return safe, ()
    return safe, removals(body_html, safe, body)


def removals(before: str, after: str, body: str) -> tuple[Removal, ...]:
    """What is in `before` and not in `after` (the sanitiser's output), each with its body line."""
    seen, kept = _Scan.of(before), _Scan.of(after)
    kept_attributes = Counter(item[1:] for item in kept.items if item[0] == "attribute")
    found: list[tuple[str, str, str, str]] = []
    for item in seen.items:                        # in the order of the text
        if item[0] == "tag":
            if item[1] not in ALLOWED_TAGS:
                found.append(("tag", item[1], "", ""))
            continue
        _, tag, name, value = item
        if kept_attributes[(tag, name, value)] > 0:
            kept_attributes[(tag, name, value)] -= 1
        elif (tag, name) in URL_ATTRIBUTES:
            kind = "link" if tag == "a" else ("remote_image" if _is_web(value) else "image")
            found.append((kind, tag, name, value))
        else:
            found.append(("attribute", tag, name, value))
    if not found:
        altered = _html_text(seen.stuck) if seen.stuck else _altered_text(seen, kept)
        if altered:
            found.append(("altered", "", "", altered))
    return _locate(found, body)


class _Scan(HTMLParser):
    """Start tags and attributes (values decoded; styles in a canonical form) in the order they
    come, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, ...]] = []          # ("tag", tag) and ("attribute", tag, name, value)
        self.text: list[str] = []
        self._inside = ""      # the open element that goes with its content (<svg>, <iframe>…)
        self.stuck = ""        # the markup this parser could not read, if any

    @classmethod
    def of(cls, markup: str) -> _Scan:
        """The scan of `markup`; what came before a declaration this parser gives up on (Python
        3.11's raises on '<![x'), with `stuck` set to where it stopped."""
        scan = cls()
        try:
            scan.feed(markup)
            scan.close()
        except AssertionError as exc:      # "expected name token at '<![图](photo-1.jpg)'"
            _, _, quoted = str(exc).partition(" at ")
            try:
                scan.stuck = str(ast.literal_eval(quoted))
            except (ValueError, SyntaxError):
                scan.stuck = markup[:40]
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in DROPPED_WITH_CONTENT and tag not in _VOID and not self._inside:
            self._inside = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)       # <svg/>: nothing inside

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._inside:
            return                    # inside <svg>, <iframe>…: gone with it, said once
        self.items.append(("tag", tag))
        if tag not in ALLOWED_TAGS:
            return                    # the element goes, and its attributes with it: said once
        for name, value in attrs:
            value = value or ""
            self.items.append(("attribute", tag, name, _style(value) if name == "style" else value))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside = ""

    def handle_data(self, data: str) -> None:
        if not self._inside:
            self.text.append(data)


def _style(value: str) -> str:
    """'text-align: left;' and nh3's 'text-align:left' are the same declaration."""
    declarations = []
    for part in value.split(";"):
        prop, colon, val = part.partition(":")
        if prop.strip() or val.strip():
            declarations.append(f"{prop.strip().lower()}{colon}{_BLANKS.sub('', val)}")
    return ";".join(declarations)


def _is_web(url: str) -> bool:
    url = _IGNORED_IN_URLS.sub("", url.strip()).lower()
    return url.startswith(("http:", "https:")) or (len(url) >= 2 and url[0] in "/\\" and url[1] in "/\\")


_BLANKS = re.compile(r"\s+")


def _html_text(markup: str) -> str:
    """A piece of markup as the text a line of the body shows (decoded, one line)."""
    return _BLANKS.sub(" ", html.unescape(markup)).strip()


def _altered_text(seen: _Scan, kept: _Scan) -> str:
    """A piece of text that the sanitised HTML does not show as written, or '' when it shows
    every character of the text and no other. Text lost or text gained is what two parsers
    that disagree about a piece of markup (a comment, say) leave behind."""
    before = _BLANKS.sub("", "".join(seen.text))
    after = _BLANKS.sub("", "".join(kept.text))
    if Counter(before) == Counter(after):
        return ""
    for pieces, other in ((seen.text, after), (kept.text, before)):
        for piece in pieces:
            piece = _BLANKS.sub(" ", piece).strip()
            if piece and _BLANKS.sub("", piece) not in other:
                return piece[:60]
    return (before or after)[:60]


# --- which line ------------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+).+?\1")


def _without_code(line: str) -> str:
    """A line with its inline code blanked out: a `<script>` shown as code is text, and is not
    the line that wrote a script when another line has one."""
    return _CODE_SPAN.sub("", line)


def _patterns(kind: str, tag: str, name: str, value: str) -> list[tuple[re.Pattern, bool]]:
    """What to look for in a line (lower case), the most telling first, each with whether to
    look in the line with its character references decoded (an address may be written with
    them; a tag or an attribute name may not)."""
    if kind == "tag":
        return [(re.compile(r"<\s*" + re.escape(tag) + r"(?![\w-])"), False)]
    if kind == "attribute":
        return [(re.compile(r"(?<![\w-])" + re.escape(name) + r"\s*="), False),
                (re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"), False)]
    if kind == "altered":
        return [(re.compile(re.escape(value.lower()[:40])), True)]
    patterns = []
    stripped = value.strip().lower()
    if stripped:
        # Written as a Markdown link or image, a link definition, or an attribute; else anywhere.
        where = r"(?:\]\(\s*<?|\]:\s*<?|" + re.escape(name) + r"\s*=\s*[\"']?)"
        patterns += [(re.compile(where + re.escape(stripped)), True), (re.compile(re.escape(stripped)), True)]
    scheme = _SCHEME.match(_IGNORED_IN_URLS.sub("", stripped))
    if scheme:
        patterns.append((re.compile(re.escape(scheme.group(0))), True))
    return patterns


def _locate(found: list[tuple[str, str, str, str]], body: str) -> tuple[Removal, ...]:
    """Each removal with the line that wrote it. The removals come in the order of the HTML,
    which is that of the text (but for footnotes and link definitions): each is found at the
    first place after the previous one's that shows it and is not taken by the same construct
    already, else at the first such place anywhere; outside inline code, when any line shows
    it there. The first line of the body when no line shows it (an address reached through
    entities, say)."""
    lines = body.lower().split("\n")
    views = {(code, decode): [html.unescape(line) if decode else line
                              for line in (lines if code else map(_without_code, lines))]
             for code in (False, True) for decode in (False, True)}
    places: dict[tuple[str, bool], list[tuple[int, int]]] = {}     # (pattern, decode) -> (line, column) of each match
    left: dict[tuple, list[tuple[int, int]]] = {}                  # construct -> its places not yet taken
    cursor = (-1, 0)
    out: dict[Removal, None] = {}
    for kind, tag, name, value in found:
        line = 0
        for pattern, decode in _patterns(kind, tag, name, value):
            key = (pattern.pattern, decode)
            if key not in places:
                places[key] = next((found_at for found_at in (
                    [(i, m.start()) for i, text in enumerate(views[(code, decode)]) for m in pattern.finditer(text)]
                    for code in (False, True)) if found_at), [])
            if not places[key]:
                continue
            free = left.setdefault((kind, tag, name, value, key), list(places[key]))
            place = next((p for p in free if p > cursor), free[0] if free else places[key][-1])
            if place in free:
                free.remove(place)
            cursor, line = place, place[0]
            break
        out[Removal(kind, tag, name, value, line)] = None
    return tuple(sorted(out, key=lambda removal: removal.line))

# --- problems --------------------------------------------------------------------------------

_EMPTY_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                             "param", "source", "track", "wbr"})
SHOWN_WIDTH = 80          # an address in a message is cut here (a data: address can be megabytes)


# What problems_of reports: rules on what a page publishes, so (like the gate's rules) they do not
# stop a build for an item it holds back anyway; the item's page, if a preview shows it, is sanitised.
CODES = frozenset({"html_tag_removed", "html_attribute_removed", "html_link_removed", "foreign_resource",
                   "html_image_removed", "html_altered"})


def problems_of(removed: tuple[Removal, ...], path: str, body_line: int) -> list[Problem]:
    """One error per construct the sanitiser removed, at its line of the file."""
    problems = []
    for removal in removed:
        line = body_line + removal.line
        shown = _shown(removal.value)
        if removal.kind == "tag":
            closing = "" if removal.tag in _EMPTY_ELEMENTS else f"</{removal.tag}>"
            problems.append(Problem(path, line, "html_tag_removed", {"tag": removal.tag, "closing": closing}))
        elif removal.kind == "attribute":
            problems.append(Problem(path, line, "html_attribute_removed", {"tag": removal.tag, "attribute": removal.name}))
        elif removal.kind == "link":
            problems.append(Problem(path, line, "html_link_removed", {"url": shown}))
        elif removal.kind == "remote_image":
            host = _host(removal.value)
            problems.append(Problem(path, line, "foreign_resource", {"url": shown, "host": host}))
        elif removal.kind == "image":
            problems.append(Problem(path, line, "html_image_removed", {"url": shown}))
        else:
            problems.append(Problem(path, line, "html_altered", {"text": shown}))
    return problems


def _shown(value: str) -> str:
    value = _BLANKS.sub(" ", value).strip()
    return value if len(value) <= SHOWN_WIDTH else value[:SHOWN_WIDTH - 1] + "…"


def _host(url: str) -> str:
    try:
        return urlsplit(url.strip().replace("\\", "/")).netloc or _shown(url)
    except ValueError:
        return _shown(url)
