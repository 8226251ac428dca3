"""Markdown -> HTML for case bodies, with a digest-keyed cache and parallel cold runs.

Python-Markdown with tables, attr_list, toc (heading ids keep Chinese characters), footnotes,
sane_lists, and one extension of ours: an image standing alone in its paragraph becomes a
<figure> with a <figcaption>; the render stage later swaps in the responsive <picture>.
The HTML is then sanitised (builder.content.sanitize); what that removed is kept with it, so a
body taken from the cache is reported exactly as one converted again.
"""
from __future__ import annotations

import hashlib
import html as html_text
import os
import re
import xml.etree.ElementTree as etree
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from builder import i18n
from builder.content.sanitize import POLICY, Removal, clean
from builder.store.jsoncache import JsonCache

RENDERER_VERSION = "md-2"          # bump when the output for the same text changes (md-2: sanitised, plain-text toc)
PARALLEL_THRESHOLD = 150           # below this many conversions a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc: tuple[tuple[int, str, str], ...]     # (level, id, text), the text plain (not HTML)
    error: str = ""                           # set when Python-Markdown itself failed
    removed: tuple[Removal, ...] = ()         # what the sanitiser took out of the HTML


class _FigureProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _is_lone_image(child):
                    parent[index] = _figure(child[0])


def _is_lone_image(paragraph: etree.Element) -> bool:
    return (len(paragraph) == 1 and paragraph[0].tag == "img"
            and not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip())


def _figure(img: etree.Element) -> etree.Element:
    figure = etree.Element("figure", {"class": "figure", "data-photo": img.get("src", "")})
    img.tail = None
    figure.append(img)
    caption = img.get("title") or img.get("alt") or ""
    if caption:
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = caption
    return figure


class _FigureExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_FigureProcessor(md), "showcase_figures", 5)


# Every inline pattern of the converter below needs one of these characters to match: a backtick,
# a backslash, "[" (links, images, footnotes), "<" (autolinks, HTML), "&" (entities), "*" or "_"
# (emphasis), or two spaces before a line break; \x02/\x03 mark stashed HTML. Chinese prose
# mostly has none of them, and trying fifteen patterns on each text cost a quarter of the
# conversion.
_INLINE_PATTERNS = frozenset({"backtick", "escape", "footnote", "reference", "link", "image_link", "image_reference",
                              "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html",
                              "entity", "em_strong"})
_MAY_BE_INLINE = re.compile(r"[`\\\[<&*_\x02\x03]|  \n")


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline processor, which returns a text no pattern can match at once."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and not _MAY_BE_INLINE.search(data):
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


def make_converter(lang: str = "zh") -> markdown.Markdown:
    """Python-Markdown as case bodies are written; `lang`: the site's, for the footnotes' back links."""
    # Extensions as objects, not names: a name makes Python-Markdown look through every
    # installed package's entry points first (60 ms, paid by any build that converts a body).
    converter = markdown.Markdown(
        extensions=[TableExtension(), AttrListExtension(),
                    FootnoteExtension(BACKLINK_TITLE=i18n.text("footnote_backlink", lang)), SaneListExtension(),
                    TocExtension(slugify=slugify_unicode, permalink=False), _FigureExtension()],
        output_format="html",
    )
    # Only with exactly the patterns _MAY_BE_INLINE was written for (another Python-Markdown may add one).
    if {item.name for item in converter.inlinePatterns._priority} == _INLINE_PATTERNS:
        converter.treeprocessors.register(_QuickInline(converter), "inline", 20)
    return converter


def convert(converter: markdown.Markdown, text: str) -> Rendered:
    try:
        html = converter.reset().convert(text)
    except Exception as exc:  # noqa: BLE001 - reported as a problem with the file, not a crash
        return Rendered("", (), error=f"{type(exc).__name__}: {exc}")
    # Python-Markdown gives a heading's text HTML-escaped ('A &amp; B'); templates escape it again.
    toc = tuple((t["level"], t["id"], html_text.unescape(t["name"])) for t in _flatten(converter.toc_tokens))
    safe, removed = clean(html, text)
    return Rendered(safe, toc, removed=removed)


def _flatten(tokens: list[dict]) -> list[dict]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(_flatten(token.get("children", [])))
    return out


def digest(text: str, lang: str = "zh") -> str:
    """The cache key of `text`'s HTML: the text, the language, and how it is converted and sanitised."""
    salt = RENDERER_VERSION + "\0" + POLICY + "\0" + i18n.language(lang)
    return hashlib.sha256((salt + "\0" + text).encode("utf-8")).hexdigest()[:32]


class MarkdownCache(JsonCache):
    """One JSON file of digest -> rendered HTML; entries not used by a build are dropped."""

    def valid(self, entry: Any) -> bool:
        """[html, [[level, id, text], ...], [[kind, tag, name, value, line], ...]], as render_all
        stores it; a damaged entry is rendered again."""
        return (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and isinstance(entry[1], list) and all(_is_toc_item(item) for item in entry[1])
                and isinstance(entry[2], list) and all(_is_removal(item) for item in entry[2]))

    def render_all(self, texts: list[str], workers: int | None = None, lang: str = "zh") -> list[Rendered]:
        return self.render_later(texts, workers, lang)()

    def render_later(self, texts: list[str], workers: int | None = None,
                     lang: str = "zh") -> Callable[[], list[Rendered]]:
        """render_all in two steps: the conversions start now (on other processes when there are
        many), and calling the result waits for them, so the caller can work meanwhile (the
        content stage reads the front matter while the bodies are converted)."""
        keys = [digest(t, lang) for t in texts]
        self.used.update(keys)
        missing = {k: t for k, t in zip(keys, texts) if k not in self.entries}
        converted = _start_converting(list(missing.values()), workers, lang) if missing else None
        return lambda: self._finish(keys, missing, converted)

    def _finish(self, keys: list[str], missing: dict[str, str],
                converted: Callable[[], list[Rendered]] | None) -> list[Rendered]:
        if converted is not None:
            failed: dict[str, Rendered] = {}
            for key, rendered in zip(missing, converted()):
                if rendered.error:
                    failed[key] = rendered
                else:
                    self.entries[key] = [rendered.html, [list(t) for t in rendered.toc],
                                         [[r.kind, r.tag, r.name, r.value, r.line] for r in rendered.removed]]
            self.dirty = True
            if failed:
                return [failed[k] if k in failed else self._cached(k) for k in keys]
        return [self._cached(k) for k in keys]

    def _cached(self, key: str) -> Rendered:
        html, toc, removed = self.entries[key]
        return Rendered(html, tuple(tuple(t) for t in toc), removed=tuple(Removal(*r) for r in removed))


def _is_toc_item(item: Any) -> bool:
    return (isinstance(item, list) and len(item) == 3 and type(item[0]) is int
            and isinstance(item[1], str) and isinstance(item[2], str))


def _is_removal(item: Any) -> bool:
    return (isinstance(item, list) and len(item) == 5 and all(isinstance(v, str) for v in item[:4])
            and type(item[4]) is int and item[4] >= 0)


def _start_converting(texts: list[str], workers: int | None, lang: str = "zh") -> Callable[[], list[Rendered]]:
    """Start converting `texts`; the returned function waits for the results, in order. Few
    texts (or one core) are converted when the results are asked for, in this process."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(texts) < PARALLEL_THRESHOLD:
        return lambda: [convert(converter, t) for converter in [make_converter(lang)] for t in texts]
    chunk = max(1, len(texts) // (workers * 4))
    batches = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    # The spawn start method (Windows, and macOS by default) re-imports this module in each
    # worker: _convert_batch is module-level so it pickles by name.
    pool = ProcessPoolExecutor(max_workers=workers)
    futures = [pool.submit(_convert_batch, batch, lang) for batch in batches]

    def results() -> list[Rendered]:
        try:
            return [r for future in futures for r in future.result()]
        finally:
            # Joined before anything else runs: the render stage forks only while no other
            # thread (such as this pool's manager) is running.
            pool.shutdown(wait=True, cancel_futures=True)
    return results


def _convert_batch(texts: list[str], lang: str) -> list[Rendered]:
    converter = make_converter(lang)
    return [convert(converter, t) for t in texts]
