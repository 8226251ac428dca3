"""Stage 2: content/**.md -> Case / ModelSite / Page, every front matter field checked.

Checks that need only one file happen here (types, dates, photo files exist); checks across
files (does the model site exist, is the slug taken) happen in assemble.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import html
import os
import re
import stat
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from builder.errors import WARNING, Problem
from builder.i18n import Phrase
from builder.yamlio.fields import FieldReader, choice_params, describe, suggestion_params
from builder.content.deferred import FEW, unread
from builder.content.digest import text_digest
from builder.content.markdown import MarkdownCache, Rendered, digest as markdown_key
from builder.content.sanitize import problems_of as unsafe_html_problems
from builder.model import (DEFAULT_SITE_KINDS, Case, Content, Document, Heading, ModelSite, Page, Photo, Rendition,
                           Review, Site)
from builder.slugs import is_slug, slugify
from builder.content.frontmatter_cache import FrontMatterCache
from builder.store.pickled import Pickled
from builder.store.state import is_racy, read_state, write_state
from builder.yamlio.source import Parsed, Split, decode_source, parse_yaml, split_front_matter

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff", ".bmp")
SITE_KINDS = DEFAULT_SITE_KINDS      # without `sites: kinds:` in site.yaml
CASE_KEYS = ("title", "site", "date", "category", "actions", "tags", "summary", "cover", "photos",
             "slug", "draft", "featured", "weight", "source", "unit", "extra", "review")
SITE_KEYS = ("title", "kind", "town", "summary", "cover", "photos", "slug", "weight", "draft", "extra", "review")
PAGE_KEYS = ("title", "summary", "cover", "photos", "slug", "weight", "draft", "extra", "review")
REVIEW_KEYS = ("stage", "by", "date", "digest")
PHOTO_KEYS = ("src", "caption", "credit")
SUMMARY_WIDTH = 240          # display width: a Chinese character counts 2, a Latin letter 1


@dataclass(frozen=True, slots=True)
class _Source:
    """One Markdown file, split and parsed, before its kind-specific fields are read."""
    path: str                    # site-relative
    fields: FieldReader
    body: str
    body_line: int


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What one Markdown file gave, with the problems found in it and the cache entries it used."""
    item: Case | ModelSite | Page | None         # None: not readable as a document (see read_problems)
    read_problems: tuple[Problem, ...]           # reading, splitting, parsing the front matter
    field_problems: tuple[Problem, ...]          # converting the Markdown, reading the fields
    markdown_key: str | None = None
    front_matter_key: str | None = None


_STORED = Pickled([_Loaded, Case, ModelSite, Page, Document, Heading, Photo, Rendition, Review, Problem, Phrase])


class ContentMemo:
    """The documents of the previous build, each under everything content.py reads to make it:
    the kind and path of the file, its bytes, and for a bundle the names of the photos in its
    folder (the folder listing is all of the folder that becomes part of the Document). The
    settings it reads (memo_settings: the language, publish_unlisted, the model site kinds) are
    an input of load_content too: other settings empty the memo. So a
    document taken from the memo is the one reading the file again would give, problems and
    all; entries no build used are dropped.

    The preview's build.Session keeps one in memory; `showcase build` loads it from
    .cache/state/content-NN.marshal and saves the shards that changed (load/save). It also
    remembers each file's size and time (`seen`), so an unchanged file is not even read: a
    rebuild reads only what changed (store.state explains the racy-file rule), and lists a
    bundle's folder only when the folder's time changed."""

    SHARDS = 32             # files the memo is saved in: a rebuild after an edit writes one of them

    def __init__(self) -> None:
        self.settings: tuple | None = None   # memo_settings of the site the entries were made for
        self.entries: dict[tuple, _Loaded] = {}
        # rel -> (kind, size, mtime_ns, sha256, folder mtime_ns, photo names, when the build looked)
        self.seen: dict[str, tuple] = {}
        self.hits = 0                        # documents taken from the memo
        self.reads = 0                       # files read
        self.dirty: set[int] = set(range(self.SHARDS))   # shards to save

    @classmethod
    def shard(cls, rel: str) -> int:
        return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % cls.SHARDS

    def origins(self) -> list[tuple[Case | ModelSite | Page, bytes]]:
        """Each document of the last load_content with what wholly determines it (its key in
        the memo and the settings): for store.digest.Digester.remember."""
        return [(entry.item, repr((key, self.settings)).encode("utf-8", "surrogatepass"))
                for key, entry in self.entries.items() if entry.item is not None]

    @classmethod
    def load(cls, folder: Path | None) -> "ContentMemo":
        """The memo a previous build saved in `folder` (shard by shard: a missing or damaged
        shard only means its files are read again)."""
        memo = cls()
        if folder is None:
            return memo
        # Unpickling makes a million objects, none in a cycle, that live as long as the build:
        # the collector would walk them in every collection from here on (0.3-0.5 s of CPU in a
        # rebuild at 5,000 cases). So they are made with it off, then frozen out of its sight
        # (gc.freeze: they are still freed when unused, being acyclic). Only `showcase build`
        # loads the memo, once a process; the preview keeps its memo in a build.Session.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._load_shards(memo, folder)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    @classmethod
    def _load_shards(cls, memo: "ContentMemo", folder: Path) -> "ContentMemo":
        settings = set()
        for number in range(cls.SHARDS):
            payload = read_state(folder / f"content-{number:02}.marshal")
            try:
                made_for, seen, entries = payload
                entries = _STORED.loads(entries)
                hash(made_for)
            except Exception:  # noqa: BLE001 - a shard this version did not write: its files are read again
                continue
            settings.add(made_for)
            memo.seen.update(seen)
            memo.entries.update(entries)
            memo.dirty.discard(number)
        if len(settings) > 1:
            return cls()
        memo.settings = settings.pop() if settings else None
        return memo

    def save(self, folder: Path | None) -> None:
        """Save the shards that changed since the memo was loaded or last saved."""
        if folder is None or not self.dirty:
            return
        by_shard: dict[int, dict] = {n: {} for n in self.dirty}
        for key, entry in self.entries.items():
            number = self.shard(key[1])
            if number in by_shard:
                by_shard[number][key] = entry
        for number, entries in by_shard.items():
            seen = {rel: record for rel, record in self.seen.items() if self.shard(rel) == number}
            try:
                data = _STORED.dumps(entries)
            except Exception:  # noqa: BLE001 - a value pickle cannot take (YAML gives none we know of)
                continue
            write_state(folder / f"content-{number:02}.marshal", (self.settings, seen, data))
        self.dirty = set()


def memo_settings(site: Site) -> tuple:
    """The settings a document read from its file depends on (_load_files, _item)."""
    return (site.language, bool(site.images.publish_unlisted), tuple(site.sites.kinds))


def load_content(root: Path, site: Site, cache: MarkdownCache, workers: int | None = None,
                 front_matter: FrontMatterCache | None = None,
                 memo: ContentMemo | None = None) -> tuple[Content, list[Problem]]:
    problems: list[Problem] = []
    memo = memo if memo is not None else ContentMemo()
    settings = memo_settings(site)
    if memo.settings != settings:
        memo.settings, memo.entries, memo.seen, memo.dirty = settings, {}, {}, set(range(memo.SHARDS))
    content_dir = root / "content"
    statted: dict[str, os.stat_result] = {}
    case_files, site_files, page_files = _discover(root, content_dir, problems, statted)
    files = [(kind, rel) for kind, found in (("case", case_files), ("site", site_files), ("page", page_files))
             for rel in found]
    loaded = _load_files(root, files, memo, cache, workers, front_matter, site, statted)

    # Problems in the order of reading every file first, then of each file's fields.
    for entry in loaded:
        problems += entry.read_problems
    cases, sites, pages = [], [], []
    for entry in loaded:
        problems += entry.field_problems
        # What a build takes from the caches is what their next save keeps, memo or not.
        if entry.markdown_key is not None:
            cache.used.add(entry.markdown_key)
        if entry.front_matter_key is not None and front_matter is not None:
            front_matter.used.add(entry.front_matter_key)
        if isinstance(entry.item, Case):
            cases.append(entry.item)
        elif isinstance(entry.item, ModelSite):
            sites.append(entry.item)
        elif isinstance(entry.item, Page):
            pages.append(entry.item)
    return Content(cases=tuple(cases), sites=tuple(sites), pages=tuple(pages)), problems


def load_one(root: Path, rel: str, site: Site) -> tuple[Case | ModelSite | Page | None, list[Problem]]:
    """One case, model site or page file (`rel`, site-relative), read as load_content reads it:
    for `showcase review`, which records the digest of what it approves."""
    kind = "case" if rel.startswith("content/cases/") else "site" if rel.startswith("content/sites/") else "page"
    entry = _load_files(root, [(kind, rel)], ContentMemo(), MarkdownCache(None), 1, None, site)[0]
    return entry.item, list(entry.read_problems) + list(entry.field_problems)


def _load_files(root: Path, files: list[tuple[str, str]], memo: ContentMemo, cache: MarkdownCache,
                workers: int | None, front_matter: FrontMatterCache | None, site: Site,
                statted: dict[str, os.stat_result] | None = None) -> list[_Loaded]:
    """Each file from the memo, or read, converted (all Markdown at once) and checked.
    `statted`: rel -> os.stat of the files discovery looked at already (taken before any read)."""
    statted = statted or {}
    lang = site.language
    loaded: list[_Loaded | None] = []
    used: dict[tuple, _Loaded] = {}
    seen: dict[str, tuple] = {}
    looked_at = time.time_ns()
    warm = bool(memo.entries)
    todo: list[tuple[int, tuple, _Source | None, list[Problem], list[str]]] = []
    for kind, rel in files:
        path = os.path.join(root, rel)
        before = memo.seen.get(rel)
        try:
            info = statted.get(rel) or os.stat(path)
            on_disk = folder_time = None
            if rel.endswith("/index.md"):
                folder = os.path.dirname(path)
                folder_time = os.stat(folder).st_mtime_ns
                if before and before[4] == folder_time and not is_racy(folder_time, before[6]):
                    on_disk = before[5]
                else:
                    on_disk = _photo_names(folder)
            if (before and before[0] == kind and before[1] == info.st_size and before[2] == info.st_mtime_ns
                    and not is_racy(info.st_mtime_ns, before[6]) and (kind, rel, before[3], on_disk) in memo.entries):
                sha = before[3]                  # unchanged since the last build looked: not read again
                if folder_time == before[4]:
                    seen[rel] = before
                else:                            # the folder changed, not its photos: noted again
                    seen[rel] = (*before[:4], folder_time, on_disk, looked_at)
                    memo.dirty.add(memo.shard(rel))
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
                sha = hashlib.sha256(data).digest()
                memo.reads += 1
                seen[rel] = (kind, info.st_size, info.st_mtime_ns, sha, folder_time, on_disk, looked_at)
                memo.dirty.add(memo.shard(rel))
        except OSError as exc:
            loaded.append(_Loaded(None, (Problem(rel, None, "file_unreadable", {"detail": exc.strerror or str(exc)}),), ()))
            continue
        key = (kind, rel, sha, on_disk)
        if key in memo.entries:
            memo.hits += 1
            used[key] = memo.entries[key]
            loaded.append(used[key])
            continue
        found: list[Problem] = []
        front_keys: list[str] = []
        # After a build, a few changed files are parsed without the cache, which is then not
        # read at all (content.deferred); a first build fills the caches.
        direct = warm and unread(front_matter) and len(todo) < FEW
        split = _split_source(rel, data, found)
        todo.append((len(loaded), key, split, found, _noting_parse(front_matter, front_keys, direct), front_keys))
        loaded.append(None)

    # The bodies are converted (on every core, for many) while the front matter is read here.
    converter = MarkdownCache(None) if warm and unread(cache) and len(todo) <= FEW else cache
    converted = converter.render_later([split.body for _, _, split, _, _, _ in todo if split is not None], workers, lang)
    sources = [_parsed_source(key[1], split, found, parse) if split is not None else None
               for _, key, split, found, parse, _ in todo]
    rendered = iter(converted())
    for (at, key, split, found, _, front_keys), source in zip(todo, sources):
        front_key = front_keys[0] if front_keys else None
        body = next(rendered) if split is not None else None
        if source is None:
            loaded[at] = used[key] = _Loaded(None, tuple(found), (), None, front_key)
            continue
        read_problems = tuple(found)
        found.clear()                       # the file's FieldReader goes on adding to `found`
        item = _item(key[0], source, body, key[3], found, site.images.publish_unlisted, site.sites.kinds)
        loaded[at] = used[key] = _Loaded(item, read_problems, tuple(found), markdown_key(source.body, lang), front_key)
    memo.dirty.update(memo.shard(rel) for rel in memo.seen.keys() - seen.keys())
    memo.entries, memo.seen = used, seen
    return loaded


def _item(kind: str, source: _Source, body: Rendered, on_disk: tuple[str, ...] | None,
          problems: list[Problem], publish_unlisted: bool = False,
          site_kinds: tuple[str, ...] = DEFAULT_SITE_KINDS) -> Case | ModelSite | Page:
    if body.error:
        problems.append(Problem(source.path, source.body_line, "markdown_failed", {"detail": body.error}))
    problems += unsafe_html_problems(body.removed, source.path, source.body_line)
    toc = tuple(Heading(level, id_, text) for level, id_, text in body.toc)
    keys = {"case": CASE_KEYS, "site": SITE_KEYS, "page": PAGE_KEYS}[kind]
    doc = _document(source, body.html, toc, keys, on_disk, place=kind == "site", publish_unlisted=publish_unlisted)
    if kind == "case":
        return _case(doc, source.fields)
    if kind == "site":
        return _model_site(doc, source.fields, site_kinds)
    return Page(doc=doc, draft=source.fields.bool("draft"), reviews=read_review_list(source.fields))


def _noting_parse(front_matter: FrontMatterCache | None, keys: list[str],
                  direct: bool = False) -> Callable[..., tuple[Parsed | None, list[Problem]]]:
    """parse_yaml, through the front matter cache when there is one (unless `direct`), noting
    the cache key."""
    if front_matter is None:
        return parse_yaml

    def parse(text: str, source: str, first_line: int = 1) -> tuple[Parsed | None, list[Problem]]:
        keys.append(front_matter.key(text, first_line))
        if direct:
            return parse_yaml(text, source, first_line=first_line)
        return front_matter.parse(text, source, first_line=first_line)
    return parse


# --- discovery -------------------------------------------------------------------------------

def _discover(root: Path, content_dir: Path, problems: list[Problem],
              statted: dict[str, os.stat_result] | None = None) -> tuple[list[str], list[str], list[str]]:
    """The site-relative paths of the case, model site and page files. Strings and os calls
    rather than Path objects: this runs over every bundle on every rebuild of the preview.
    Each bundle's index.md is statted once: into `statted`, for _load_files."""
    statted = statted if statted is not None else {}
    def bundles(section: str) -> list[str]:
        folder = content_dir / section
        found = []
        for name, is_dir in _sorted_typed_entries(folder):
            rel = f"content/{section}/{name}"
            if is_dir:
                info = _stat_file(os.path.join(folder, name, "index.md"))
                if info is not None:
                    found.append(rel + "/index.md")
                    statted[rel + "/index.md"] = info
                else:
                    problems.extend(_folder_without_index(os.path.join(folder, name), rel, section))
            elif _suffix(name).lower() == ".md":
                problems.append(Problem(rel, None, "stray_markdown"))
        return found

    pages_dir = content_dir / "pages"
    pages = [p for p in _sorted_entries(pages_dir) if p.is_file() and p.suffix.lower() == ".md"]
    pages += [p / "index.md" for p in _sorted_entries(pages_dir) if p.is_dir() and (p / "index.md").is_file()]
    return bundles("cases"), bundles("sites"), [_rel(root, p) for p in sorted(pages)]


def _stat_file(path: str) -> os.stat_result | None:
    """os.stat of a regular file (as os.path.isfile sees it), else None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _folder_without_index(path: str, rel: str, section: str) -> list[Problem]:
    """A folder of content/cases/ or content/sites/ without index.md is never passed over in
    silence: it names what it holds instead (Notepad's index.md.txt, a 案例.md, only photos)."""
    try:
        names = sorted(n for n in os.listdir(path) if not n.startswith((".", "_")))
    except OSError:
        return []
    if not names:
        return []
    folder = rel.rsplit("/", 1)[-1]
    texts = [n for n in names if _suffix(n).lower() in (".md", ".txt", ".markdown") or n.lower().startswith("index.")]
    notepad = [n for n in texts if n.lower().startswith("index.") or n.lower().endswith(".md.txt")]
    if notepad:
        return [Problem(f"{rel}/{notepad[0]}", None, "index_saved_as_txt", {"name": notepad[0]})]
    markdown = [n for n in texts if _suffix(n).lower() in (".md", ".markdown")]
    if markdown:
        return [Problem(f"{rel}/{markdown[0]}", None, "index_misnamed", {"name": markdown[0], "count": len(markdown)})]
    photos = [n for n in names if _suffix(n).lower() in IMAGE_SUFFIXES]
    kind = "case" if section == "cases" else "site"
    if len(photos) == len(names):
        return [Problem(rel, None, "folder_only_photos", {"count": len(photos), "folder": folder,
                                                          "command": Phrase(f"new_{kind}_command")}, severity=WARNING)]
    return [Problem(rel, None, "case_without_index", {"found": tuple(names)})]


def _sorted_entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "_")))


def _sorted_typed_entries(folder: Path) -> list[tuple[str, bool]]:
    """The names in `folder` with is_dir() for each, from one os.scandir (no stat per entry), in
    the order of _sorted_entries (Path order: by name, case-insensitive where the OS is)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as scan:
        entries = [(e.name, e.is_dir()) for e in scan if not e.name.startswith((".", "_"))]
    return sorted(entries, key=lambda entry: os.path.normcase(entry[0]))


def _suffix(name: str) -> str:
    """PurePath(name).suffix, without making a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read_source(rel: str, data: bytes, problems: list[Problem],
                 parse: Callable[..., tuple[Parsed | None, list[Problem]]] = parse_yaml) -> _Source | None:
    split = _split_source(rel, data, problems)
    return _parsed_source(rel, split, problems, parse) if split is not None else None


def _split_source(rel: str, data: bytes, problems: list[Problem]) -> Split | None:
    """A file's text cut into its front matter and its body, or None (the problems say why)."""
    text, found = decode_source(data, rel)
    problems.extend(found)
    if text is None:
        return None
    split, found = split_front_matter(text, rel)
    problems.extend(found)
    return split


def _parsed_source(rel: str, split: Split, problems: list[Problem],
                   parse: Callable[..., tuple[Parsed | None, list[Problem]]] = parse_yaml) -> _Source | None:
    """The front matter read, with the body, or None (the problems say why)."""
    parsed, found = parse(split.front, rel, first_line=split.front_line)
    problems.extend(found)
    if parsed is None:
        return None
    if parsed.value is None:
        parsed = dataclasses.replace(parsed, value={})
    if not isinstance(parsed.value, dict):
        problems.append(Problem(rel, split.front_line, "not_a_mapping", {
            "what": Phrase("what_front_matter"), "got": describe(parsed.value)}))
        return None
    return _Source(rel, FieldReader(parsed, rel, problems), split.body, split.body_line)


# --- documents -------------------------------------------------------------------------------

def _document(source: _Source, body_html: str, toc: tuple[Heading, ...], keys: tuple[str, ...],
              on_disk: tuple[str, ...] | None, place: bool = False, publish_unlisted: bool = False) -> Document:
    """`on_disk`: the photo files in a bundle's folder (None for a single-file page)."""
    fields = source.fields
    fields.check_keys(keys)
    bundle = source.path.rsplit("/", 1)[0]
    is_bundle = source.path.endswith("/index.md")
    slug = fields.str("slug")
    if slug and not is_slug(slug):
        fields.problem("slug", "bad_slug", value=slug)
        slug = ""
    name = bundle.rsplit("/", 1)[-1] if is_bundle else source.path.rsplit("/", 1)[-1][:-3]
    cover = fields.str("cover")
    on_disk = on_disk or ()
    if cover and cover not in on_disk:
        fields.problem("cover", "photo_missing", value=cover, **suggestion_params(cover, on_disk))
        cover = ""
    if is_bundle:
        photos, unused = _photos(fields, bundle, on_disk, cover, body_photo_names(body_html), publish_unlisted)
    else:
        photos, unused = _photos_without_bundle(fields), ()
    extra = fields.raw("extra")
    if extra is not None and not isinstance(extra, dict):
        fields.mapping_of("extra")     # records the problem
        extra = None
    summary = fields.str("summary") or derive_summary(body_html)
    return Document(
        source=source.path, slug=slug or slugify(name, place=place) or "item", title=fields.str("title", required=True),
        summary=summary, body_md=source.body, body_html=body_html, body_line=source.body_line, toc=toc,
        photos=photos, cover=cover, weight=fields.int("weight"), extra=extra or {}, lines=fields.lines(),
        text_digest=text_digest(fields.mapping, source.body), unused_photos=unused, front_end=source.body_line - 1,
    )


def _photo_names(folder: str) -> tuple[str, ...]:
    """The photo files in a bundle's folder, in the order people number them: photo-2 before photo-10."""
    with os.scandir(folder) as scan:
        names = [e.name for e in scan if _suffix(e.name).lower() in IMAGE_SUFFIXES and e.is_file()]
    return tuple(sorted(names, key=natural_key))


def natural_key(name: str) -> tuple:
    """'照片10.jpg' -> ('照片', 10, '.jpg'): numbers compare as numbers, the rest as text."""
    parts = re.split(r"(\d+)", name.lower())
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in parts) + (name,)


_BODY_IMG = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


def body_photo_names(body_html: str) -> frozenset[str]:
    """The file names of the bundle photos a body shows ('photo-1.jpg'; not links elsewhere)."""
    names = set()
    for match in _BODY_IMG.finditer(body_html):
        value = unquote(html.unescape(match.group(1))).strip()
        if value and "/" not in value and ":" not in value and not value.startswith(("#", "?")):
            names.add(value)
    return frozenset(names)


def _photos(fields: FieldReader, bundle: str, on_disk: tuple[str, ...], cover: str, in_body: frozenset[str],
            publish_unlisted: bool) -> tuple[tuple[Photo, ...], tuple[str, ...]]:
    """(the photos the document publishes, the names of the other photo files in its folder).
    Published: those listed in `photos:` (with their captions, in that order), then the cover
    and those the body shows, then, with images.publish_unlisted, every other one."""
    listed: list[Photo] = []
    for index, item in enumerate(fields.list_of_mappings("photos", shorthand="src")):
        item.check_keys(PHOTO_KEYS)
        name = item.str("src", required=True).replace("\\", "/")
        if name.startswith("./"):
            name = name[2:]
        line = item.line("src") or item.line()
        if not name:
            continue
        if "/" in name or name.startswith(".."):
            item.problem("src", "photo_outside_bundle", value=name)
            continue
        if name not in on_disk:
            item.problem("src", "photo_missing", value=name, **suggestion_params(name, on_disk))
            continue
        if any(p.name == name for p in listed):
            item.problem("src", "duplicate_name", key="photos", value=name)
            continue
        listed.append(Photo(src=f"{bundle}/{name}", name=name, caption=item.str("caption"),
                            credit=item.str("credit"), listed=True, line=line, caption_line=item.line("caption")))
    names = {p.name for p in listed}
    chosen = [Photo(src=f"{bundle}/{n}", name=n, listed=False) for n in on_disk
              if n not in names and (n == cover or n in in_body)]
    names.update(p.name for p in chosen)
    rest = tuple(n for n in on_disk if n not in names)
    if publish_unlisted:
        others = [Photo(src=f"{bundle}/{n}", name=n, listed=False, chosen=False) for n in rest]
        return tuple(listed + chosen + others), ()
    return tuple(listed + chosen), rest


def _photos_without_bundle(fields: FieldReader) -> tuple[Photo, ...]:
    """A page that is a single .md file has no folder for photos."""
    for item in fields.list_of_mappings("photos", shorthand="src"):
        name = item.str("src")
        if name:
            item.problem("src", "photo_in_single_page", value=name)
    return ()


def _case(doc: Document, fields: FieldReader) -> Case:
    return Case(
        doc=doc,
        site=fields.str("site", required=True),
        date=fields.date("date", required=True) or dt.date(1970, 1, 1),
        category=fields.str("category", required=True),
        actions=fields.str_list("actions"),
        tags=fields.str_list("tags"),
        draft=fields.bool("draft"),
        featured=fields.bool("featured"),
        citation=fields.str("source"),
        unit=fields.str("unit"),
        reviews=read_review_list(fields),
    )


def read_review_list(fields: FieldReader) -> tuple[Review, ...]:
    """The `review:` list of a front matter (also read by `showcase review`)."""
    reviews = []
    for item in fields.list_of_mappings("review", shorthand="stage"):
        item.check_keys(REVIEW_KEYS)
        stage, by, date = item.str("stage", required=True), item.str("by", required=True), item.date("date", required=True)
        digest = item.str("digest")
        if stage and by and date:
            reviews.append(Review(stage=stage, by=by, date=date, line=item.line(), digest=digest))
    return tuple(reviews)


def _model_site(doc: Document, fields: FieldReader, kinds: tuple[str, ...]) -> ModelSite:
    kind = fields.str("kind", required=True)
    if kind and kind not in kinds:
        fields.problem("kind", "bad_choice", key="kind", value=kind, **choice_params(kinds),
                       **suggestion_params(kind, kinds))
    return ModelSite(doc=doc, kind=kind, town=fields.str("town"), draft=fields.bool("draft"),
                     reviews=read_review_list(fields))


# --- summaries -------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = "。！？；!?;"


def derive_summary(body_html: str, width: int = SUMMARY_WIDTH) -> str:
    """The first paragraph as plain text, cut to `width` display columns at a sentence end."""
    for match in _PARAGRAPH.finditer(body_html):
        text = html.unescape(_TAG.sub("", match.group(1))).strip()
        text = re.sub(r"\s+", " ", text)
        if text:
            return truncate_display(text, width)
    return ""


def display_width(char: str) -> int:
    return 2 if ord(char) >= 0x2E80 else 1


def truncate_display(text: str, width: int, measure: Callable[[str], int] = display_width) -> str:
    used, cut = 0, len(text)
    for index, char in enumerate(text):
        used += measure(char)
        if used > width:
            cut = index
            break
    else:
        return text
    head = text[:cut]
    # Prefer a sentence end in the last 40%; then, for Latin text, a word boundary.
    sentence = max(head.rfind(ch) for ch in _SENTENCE_END)
    if sentence >= cut * 0.6:
        return head[: sentence + 1]
    if head and head[-1].isascii() and " " in head[int(cut * 0.6):]:
        head = head[: head.rfind(" ")]
    return head.rstrip("，、,;；：: ") + "…"



def read_document(root: Path, rel: str, data: bytes, kind: str, site: Site,
                  cache: MarkdownCache) -> tuple[Case | ModelSite | Page | None, list[Problem]]:
    """The file `rel` as if it held `data`, read exactly as a build reads it (the editing desk
    checks a form this way before it is saved). `kind`: 'case', 'site' or 'page'."""
    problems: list[Problem] = []
    source = _read_source(rel, data, problems)
    if source is None:
        return None, problems
    folder = os.path.join(root, os.path.dirname(rel))
    on_disk = _photo_names(folder) if rel.endswith("/index.md") and os.path.isdir(folder) else None
    body = cache.render_all([source.body], 1, site.language)[0]
    return _item(kind, source, body, on_disk, problems, site.images.publish_unlisted, site.sites.kinds), problems
