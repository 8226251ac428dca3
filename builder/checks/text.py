"""Text checks of `showcase check`: the word list, half-width punctuation inside Chinese
sentences, template hints left in, empty sections, too-short case bodies.

Every check reads lines of the source file, so a problem names the line the editor must change
(the body's line inside the file, not inside the body).
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from builder.config import CONFIG_FILE
from builder.errors import WARNING, Problem
from builder.model import Case, Document, Site
from builder.yamlio.source import decode_source

PACKAGED_WORDLIST = Path(__file__).resolve().parent / "wordlist.txt"
HINT_MARK = "【填写提示】"           # what `showcase new` writes under each heading
CONTEXT = 8                          # characters shown either side of a hit


@dataclass(frozen=True, slots=True)
class Word:
    wrong: str
    right: str | None                # None: a term that must not appear at all
    line: int


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text to check, and where it is."""
    path: str
    line: int | None
    text: str
    where: str                       # 'title' | 'summary' | 'caption' | 'body'


# --- the word list ---------------------------------------------------------------------------

def parse_wordlist(text: str, source: str) -> tuple[list[Word], list[Problem]]:
    """`wrong => right` lines and bare forbidden terms; '#' starts a comment line."""
    words: list[Word] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" in line:
            wrong, _, right = (part.strip() for part in line.partition("=>"))
            if not wrong or not right or "=>" in right:
                problems.append(Problem(source, number, "wordlist_bad_line", {"text": line}))
                continue
            words.append(Word(wrong, right, number))
        else:
            words.append(Word(line, None, number))
    return words, problems


def load_words(root: Path, site: Site, site_yaml_lines: list[str]) -> tuple[list[Word], list[Problem]]:
    """The site's word list (review.words), or the starter list shipped with showcase."""
    if not site.review.words:
        return parse_wordlist(PACKAGED_WORDLIST.read_text(encoding="utf-8"), "showcase:wordlist.txt")
    path = root / site.review.words
    line = next((n for n, text in enumerate(site_yaml_lines, 1) if text.strip().startswith("words:")
                 or "words:" in text and site.review.words in text), None)
    if not path.is_file():
        return [], [Problem(CONFIG_FILE, line, "wordlist_missing", {"path": site.review.words})]
    text, found = decode_source(path.read_bytes(), site.review.words)
    if text is None:
        return [], found
    return parse_wordlist(text, site.review.words)


def check_words(lines: Iterable[TextLine], words: list[Word]) -> list[Problem]:
    problems = []
    if not words:
        return problems
    anywhere = finder(tuple(w.wrong for w in words))
    for item in lines:
        if anywhere(item.text) is None:       # most lines hold none of the words: one search each
            continue
        for word in words:
            start = item.text.find(word.wrong)
            if start < 0:
                continue
            count = item.text.count(word.wrong)
            context = snippet(item.text, start, len(word.wrong))
            if word.right is None:
                problems.append(Problem(item.path, item.line, "word_forbidden",
                                        {"word": word.wrong, "context": context, "count": count}))
            else:
                problems.append(Problem(item.path, item.line, "word_misspelt",
                                        {"word": word.wrong, "fix": word.right, "context": context},
                                        severity=WARNING))
    return problems


@functools.lru_cache(maxsize=8)
def finder(wrong: tuple[str, ...]):
    """One search for any of the words (longest first), instead of one search per word and line."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(wrong), key=len, reverse=True))).search


def snippet(text: str, start: int, length: int) -> str:
    before = text[max(0, start - CONTEXT):start]
    after = text[start + length:start + length + CONTEXT]
    head = "…" if start > CONTEXT else ""
    tail = "…" if start + length + CONTEXT < len(text) else ""
    return f"{head}{before}{text[start:start + length]}{after}{tail}".strip()


# --- punctuation -----------------------------------------------------------------------------

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_HAN_OR_CLOSE = r"[\u3400-\u9fff\uf900-\ufaff”’）》】」』]"
_HAN_OR_OPEN = r"[\u3400-\u9fff\uf900-\ufaff“‘（《【「『]"
# ',;:?!' with Chinese on both sides (a space may follow); '(' between Chinese and Chinese; ')' likewise.
_HALF_PUNCT = re.compile(rf"(?<={_HAN_OR_CLOSE})([,;:?!]) ?(?={_HAN_OR_OPEN})"
                         rf"|(?<={_HAN})(\()(?={_HAN})|(?<={_HAN})(\))(?={_HAN_OR_OPEN}|[，。；：、！？]|$)")
# Parts of a Markdown line that are not prose: link targets, inline code, HTML tags, URLs.
_NOT_PROSE = re.compile(r"\]\([^)]*\)|`[^`]*`|<[^>]+>|https?://\S+")


def check_punctuation(lines: Iterable[TextLine]) -> list[Problem]:
    problems = []
    for item in lines:
        prose = _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), item.text)
        seen: set[str] = set()
        for match in _HALF_PUNCT.finditer(prose):
            char = next(g for g in match.groups() if g)
            if char in seen:
                continue
            seen.add(char)
            count = sum(1 for m in _HALF_PUNCT.finditer(prose) if char in m.groups())
            problems.append(Problem(item.path, item.line, "punct_half_width",
                                    {"char": char, "fix": FULL_WIDTH[char], "count": count,
                                     "context": snippet(item.text, match.start(), len(match.group(0)))},
                                    severity=WARNING))
    return problems


# --- lines of a document ---------------------------------------------------------------------

def document_lines(doc: Document, file_lines: list[str] = ()) -> Iterator[TextLine]:
    """The title, the summary written in front matter, photo captions, and the body's prose lines."""
    if doc.title:
        yield TextLine(doc.source, doc.line_of("title"), doc.title, "title")
    if "summary" in doc.lines:
        yield TextLine(doc.source, doc.line_of("summary"), doc.summary, "summary")
    for photo in doc.photos:
        if photo.caption:
            line = photo.caption_line or caption_line(list(file_lines), photo.line, photo.caption)
            yield TextLine(doc.source, line, photo.caption, "caption")
    for number, text in body_lines(doc):
        yield TextLine(doc.source, number, text, "body")


def body_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(file line, text) of the body, without fenced code blocks."""
    fence = None
    for index, text in enumerate(doc.body_md.split("\n")):
        stripped = text.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if text.strip():
            yield doc.body_line + index, text


def caption_line(file_lines: list[str], photo_line: int | None, caption: str) -> int | None:
    """The line of a photo's caption: the first line from the photo's entry that holds it."""
    if photo_line is None:
        return None
    probe = caption[:12]
    for number in range(photo_line, min(photo_line + 6, len(file_lines) + 1)):
        if probe in file_lines[number - 1]:
            return number
    return photo_line


# --- hints, sections, length -----------------------------------------------------------------

def check_hints(doc: Document) -> list[Problem]:
    if HINT_MARK not in doc.body_md:
        return []
    return [Problem(doc.source, number, "hint_left", {"text": _short(text.strip(), 24)})
            for number, text in body_lines(doc) if HINT_MARK in text]


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length] + "…"


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def check_sections(doc: Document) -> list[Problem]:
    """A heading followed by nothing before the next heading of the same or a higher level."""
    headings: list[tuple[int, int, str, bool]] = []       # (level, line, title, has content)
    for number, text in body_lines(doc):
        match = _HEADING.match(text)
        if match:
            headings.append((len(match.group(1)), number, match.group(2), False))
        elif headings:              # a hint line counts: hint_left already reports it
            level, line, title, _ = headings[-1]
            headings[-1] = (level, line, title, True)
    problems = []
    for index, (level, line, title, has_content) in enumerate(headings):
        following = headings[index + 1] if index + 1 < len(headings) else None
        if not has_content and (following is None or following[0] <= level):
            problems.append(Problem(doc.source, line, "section_empty", {"heading": title}, severity=WARNING))
    return problems


_TAG = re.compile(r"<[^>]+>")


def visible_chars(doc: Document) -> int:
    """Characters a reader sees in the body, not counting spaces and hint lines."""
    text = html.unescape(_TAG.sub("", doc.body_html))
    text = "\n".join(line for line in text.split("\n") if HINT_MARK not in line)
    return len(re.sub(r"\s+", "", text))


def check_length(item: Case | Document, minimum: int) -> list[Problem]:
    """A case body shorter than review.min_body_chars: an error, which a site may make a warning."""
    doc = item.doc if isinstance(item, Case) else item
    if not minimum:
        return []
    count = visible_chars(doc)
    if count < minimum:
        first = next(body_lines(doc), (doc.body_line, ""))[0]
        return [Problem(doc.source, first, "body_too_short", {"count": count, "minimum": minimum})]
    return []
