"""Search, part 1: what a document says, as the search index sees it.

A published case, model site or page becomes a `SearchDoc`: its searchable text in four
*regions* of falling weight (title; site name and tags; summary and photo captions; body), the
facet values the filters use, and what a result shows. Pure functions of the model; the index
itself is built in search.py.

Normalisation is NFKC then lower case, so full-width ＡＢＣ１２ is ABC12 and 'Abc' is 'abc';
runs of white space become one space. The browser applies the same two steps to a query
(`String.prototype.normalize('NFKC').toLowerCase()`). Every field is normalised on its own
and fields never run into each other: a match never spans two tags, two paragraphs, or a
title and a summary.

Pinyin (pypinyin, titles and site names only): each Han character's readings come from
pypinyin's character table, tones removed. The first reading makes the main spelling;
a character with a second reading (翟: di, zhai) adds a short window of syllables around it
spelled with that reading, so `xizhai` and `xzc` find 西翟村 as well as `xidi`. A syllable
boundary is marked so that full-pinyin matches start at the start of a syllable.
"""
from __future__ import annotations

import functools
import html
import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from builder.model import Case, Document, ModelSite, Page, SiteModel

SEPARATOR = "\x00"          # joins the fields of a region in a layout; never indexed
REGIONS = ("title", "site_tags", "summary_captions", "body")
PINYIN_WINDOW = 3          # syllables kept on each side of a character read another way
MAX_VARIANTS = 8           # alternative-reading windows per field, at most

_SPACE = re.compile(r"\s+")
_BLOCK = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|tr|td|th"
                    r"|pre|div|section|hr|br)\b[^>]*>", re.I)
_DROP = re.compile(r'<(sup|a) [^>]*class="footnote-(?:ref|backref)"[^>]*>.*?</\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


@dataclass(frozen=True, slots=True)
class Facets:
    category: str = ""
    actions: tuple[str, ...] = ()
    site: str = ""             # model site slug
    town: str = ""
    tags: tuple[str, ...] = ()
    year: str = ""


@dataclass(frozen=True, slots=True)
class SearchDoc:
    kind: str                                   # 'site' | 'page' | 'case'
    url: str                                    # site-relative: 'cases/x/'
    title: str
    site_name: str
    date: str                                   # ISO date, '' for model sites and pages
    category: str
    thumb: str                                  # site-relative path of a small JPEG, or ''
    regions: tuple[tuple[str, ...], ...]        # original text per region, one entry a field
    facets: Facets
    thumb_webp: str = ""                        # the same picture as WebP, or ''

    @property
    def pinyin_fields(self) -> tuple[str, ...]:
        """Title and site name: the only fields searched by pinyin."""
        return (self.title, self.site_name if self.site_name != self.title else "")


@functools.cache          # a constant table of the Unicode standard, the same for every site
def _bmp_nfkc() -> tuple[dict[str, str], re.Pattern]:
    """NFKC of every Basic Multilingual Plane character that NFKC changes (about 5,000), and a
    pattern matching any of them."""
    table = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        value = unicodedata.normalize("NFKC", chr(code))
        if value != chr(code):
            table[chr(code)] = value
    return table, re.compile("[" + "".join(re.escape(c) for c in table) + "]")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalize(text: str) -> str:
    """NFKC, lower case, white space collapsed: the form both the index and queries use.

    Character by character NFKC followed by NFC is exactly NFKC of the whole string (canonical
    equivalence survives concatenation), and the NFC step is skipped when its quick check
    passes, which it does for Chinese text. Only the characters NFKC changes (full-width
    letters and punctuation, a few percent of Chinese text) are looked up: ten times faster
    than NFKC on every field, three times faster than str.translate with the whole table."""
    if text.isascii():
        return " ".join(text.lower().split()).replace("\x00", "")
    if len(text) < 512 or _ASTRAL.search(text):
        # A short text (a title) needs no table (making it costs 0.1 s): the same result.
        mapped = unicodedata.normalize("NFKC", text)
    else:
        table, pattern = _bmp_nfkc()
        mapped = pattern.sub(lambda match: table[match.group()], text)
    if not unicodedata.is_normalized("NFC", mapped):
        mapped = unicodedata.normalize("NFC", mapped)
    return " ".join(mapped.lower().split()).replace("\x00", "")


def body_blocks(body_html: str) -> tuple[str, ...]:
    """The visible text of a rendered body, one entry per block (paragraph, heading, item…)."""
    text = _DROP.sub("", body_html)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return tuple(line for line in (_SPACE.sub(" ", part).strip() for part in text.split("\n")) if line)


def search_docs(model: SiteModel) -> tuple[SearchDoc, ...]:
    """Every published document in index order (SearchItems)."""
    items = SearchItems.of(model)
    return tuple(items.make(n) for n in range(len(items)))


@dataclass(frozen=True, slots=True)
class SearchItems:
    """Every published document in index order: model sites, pages, then cases newest first (so
    that a lower number means newer among cases, the tie-break of the ranking), on the same day
    by weight and address: not by title as lists are, so that an edited title does not renumber
    documents (which would change every posting list of the documents moved). A document's
    SearchDoc is made only when asked for: search.incremental makes only those whose inputs
    changed since the last build. Nothing per document is made to list them (a build of
    thousands of cases would spend its time in the garbage collector walking the model)."""
    model: SiteModel
    cases: tuple[Case, ...]             # in index order

    @classmethod
    def of(cls, model: SiteModel) -> "SearchItems":
        cases = sorted(model.cases, key=_url)           # stable sorts on plain keys: no tuple per case
        cases.sort(key=_weight)
        cases.sort(key=_newest_first)
        return cls(model, tuple(cases))

    def __len__(self) -> int:
        return len(self.model.sites) + len(self.model.pages) + len(self.cases)

    def urls(self) -> tuple[str, ...]:
        model = self.model
        return tuple([*(s.url for s in model.sites), *(p.url for p in model.pages), *(c.url for c in self.cases)])

    def inputs(self, digest: Callable[[object], bytes]) -> tuple[bytes, ...]:
        """Everything each document's SearchDoc is made from, digested by `digest` (store.digest)."""
        model, by_slug = self.model, self.model.sites_by_slug
        out = [b"s" + digest(s) for s in model.sites] + [b"p" + digest(p) for p in model.pages]
        for case in self.cases:
            site = by_slug.get(case.site)
            out.append(b"c" + digest(case) + (digest(site.title) + digest(site.town) if site else b"-"))
        return tuple(out)

    def make(self, number: int) -> SearchDoc:
        sites, pages = self.model.sites, self.model.pages
        if number < len(sites):
            return site_doc(sites[number])
        number -= len(sites)
        if number < len(pages):
            return page_doc(pages[number])
        case = self.cases[number - len(pages)]
        return case_doc(case, self.model.sites_by_slug.get(case.site))


def _url(case: Case) -> str:
    return case.url


def _weight(case: Case) -> int:
    return case.doc.weight


def _newest_first(case: Case) -> int:
    return -case.date.toordinal()


def site_doc(model_site: ModelSite) -> SearchDoc:
    doc = model_site.doc
    return SearchDoc(kind="site", url=model_site.url, title=doc.title, site_name=doc.title, date="",
                     category=model_site.kind, thumb=_thumb(doc), thumb_webp=_thumb(doc, "webp"),
                     regions=_regions(doc, (doc.title,)), facets=Facets(site=model_site.slug, town=model_site.town))


def page_doc(page: Page) -> SearchDoc:
    doc = page.doc
    return SearchDoc(kind="page", url=page.url, title=doc.title, site_name="", date="", category="",
                     thumb=_thumb(doc), thumb_webp=_thumb(doc, "webp"), regions=_regions(doc, ()), facets=Facets())


def case_doc(case: Case, model_site: ModelSite | None) -> SearchDoc:
    site_name = model_site.title if model_site else ""
    return SearchDoc(
        kind="case", url=case.url, title=case.title, site_name=site_name, date=case.date.isoformat(),
        category=case.category, thumb=_thumb(case.doc), thumb_webp=_thumb(case.doc, "webp"),
        regions=_regions(case.doc, (site_name, *case.tags) if site_name else case.tags),
        facets=Facets(category=case.category, actions=case.actions, site=case.site,
                      town=model_site.town if model_site else "", tags=case.tags, year=str(case.date.year)))


def _regions(doc: Document, site_tags: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    captions = tuple(p.caption for p in doc.photos if p.caption)
    clean = lambda fields: tuple(f for f in (_SPACE.sub(" ", x).strip() for x in fields) if f)  # noqa: E731
    return (clean((doc.title,)), clean(site_tags), clean((doc.summary, *captions)), body_blocks(doc.body_html))


def _thumb(doc: Document, fmt: str = "jpeg") -> str:
    photo = doc.cover_photo()
    rendition = photo.smallest(fmt) if photo else None
    return rendition.path if rendition else ""


# --- pinyin ------------------------------------------------------------------------------------

def make_reader() -> Callable[[str], tuple[str, ...]]:
    """char -> its toneless readings (at most two), from pypinyin's character table; () for
    non-Han. The table is read on the first Han character, so a build whose documents all come
    from the cache never reads it."""
    seen: dict[str, tuple[str, ...]] = {}
    table: list[dict] = []

    def readings(char: str) -> tuple[str, ...]:
        found = seen.get(char)
        if found is None:
            if not table and _HAN.match(char):
                table.append(_character_table())
            raw = table[0].get(ord(char), "") if _HAN.match(char) else ""
            found = tuple(dict.fromkeys(r.translate(_TONES) for r in raw.split(",") if r))[:2]
            seen[char] = found
        return found
    return readings


def _character_table() -> dict[int, str]:
    """pypinyin's table of every character's readings ('xī,xǐ'), read from the package's data
    file without importing the package: importing it loads its phrase dictionaries too (0.4 s,
    57 MB) that the index does not use. Through the import if the file is not where it was."""
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            try:
                return {int(code): value for code, value in json.loads(path.read_text(encoding="utf-8")).items()}
            except (OSError, ValueError):
                break
    from pypinyin.pinyin_dict import pinyin_dict
    return pinyin_dict


def pinyin_segments(text: str, readings: Callable[[str], tuple[str, ...]]) -> tuple[list[list[str]], list[str]]:
    """(full, initials): each a list of segments; a full segment is a list of syllables.

    Runs of Han characters make segments; anything else breaks them. Each run gives its main
    spelling, then one window per character with a second reading.
    """
    full: list[list[str]] = []
    initials: list[str] = []
    runs: list[list[tuple[str, ...]]] = [[]]
    for char in normalize(text):
        found = readings(char)
        if found:
            runs[-1].append(found)
        elif runs[-1]:
            runs.append([])
    variants = 0
    for run in runs:
        if not run:
            continue
        main = [r[0] for r in run]
        full.append(main)
        initials.append("".join(s[0] for s in main))
        for at, found in enumerate(run):
            if len(found) < 2 or variants >= MAX_VARIANTS:
                continue
            variants += 1
            low, high = max(0, at - PINYIN_WINDOW), min(len(run), at + PINYIN_WINDOW + 1)
            window = main[low:at] + [found[1]] + main[at + 1:high]
            full.append(window)
            if found[1][0] != found[0][0]:
                initials.append("".join(s[0] for s in window))
    return full, initials
