"""Runs the stages in order. Nothing is written until the whole site is built.

For the preview, a build can hand over the pages of the files just edited before the rest is
done (ShowFirst): once photos are made, those pages are rendered from the whole new model by
the same render_site, so they are the bytes the build writes a moment later; then the search
index, every page, and the writing follow as always."""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from builder.assemble import Selection, assemble
from builder.config import load_config, with_overrides
from builder.content.load import ContentMemo, load_content
from builder.errors import BuildError, Problem, errors_in
from builder.content.frontmatter_cache import FrontMatterCache
from builder.content.sanitize import CODES as UNSAFE_HTML
from builder.gate.rules import content_problems, link_problems
from builder.gate.standing import held_by_default, standings
from builder.images.process import process_images
from builder.images.cache import DigestMemo, prune_cache
from builder.content.markdown import MarkdownCache
from builder.memory import release_free_memory
from builder.model import SiteModel
from builder import slugs
from builder.render.pages import make_env, pages_digest, render_site
from builder.store.saved_files import SavedFiles
from builder.search.index import index_files, plan_search_index
from builder.render.theme import Theme, load_theme, static_outputs
from builder.write import WriteStats, check_output_dir, write_outputs

CACHE_DIR = ".cache"
FOLLOW_ON = ("unknown_category", "unknown_action", "site_unpublished")   # not said while site.yaml is broken
SLUG_MEMO = "slugs.json"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    output: Path | None = None          # default: site.yaml output_dir, relative to the site
    base_url: str | None = None
    relative: bool | None = None
    drafts: bool = False
    future: bool = False
    preview: bool = False               # `serve`: mark drafts and unreviewed cases on the page
    write: bool = True                  # False for `check`
    gate: bool | None = None            # run the rules whose errors stop a build; None: when writing
                                        # (`check` writes nothing and runs every rule itself)
    workers: int | None = None          # None: every core
    use_cache: bool = True
    progress: Callable[[int, int], None] | None = None   # (photos done, photos to do) while images are made


@dataclass(frozen=True, slots=True)
class BuildResult:
    model: SiteModel
    outputs: dict[str, bytes | Path]
    out_dir: Path
    warnings: tuple[Problem, ...]
    stats: WriteStats | None
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    images_made: int = 0                # photos decoded by this build
    images_cached: int = 0              # photos taken whole from the cache
    preview: bool = False               # held-back items are in it (--drafts, --future, serve): not for publishing


@dataclass(frozen=True, slots=True)
class FirstPages:
    """The pages of the edited files, handed over while the build goes on."""
    pages: dict[str, bytes]             # output path -> page, as the build will write it
    files: dict[str, bytes | Path]      # those pages, and the photos and theme files they may ask for
    prefix: str                         # the site's base path


@dataclass(frozen=True, slots=True)
class ShowFirst:
    """Asks build_site for the pages made from `changed` before the rest (the preview)."""
    changed: Iterable[str]              # files that changed: absolute, or relative to the site
    show: Callable[[FirstPages], None]  # called once, on the building thread, if there are such pages
    limit: int = 8                      # more edited files than this: no pages first


class Session:
    """What a long-running caller (`showcase serve`) keeps from one build of a site to the next.
    Each thing is reused only while everything it was made from is unchanged, so a build with a
    session writes exactly what a build without one writes: the compiled templates, the
    documents (content.ContentMemo: a file is parsed again only when its bytes, or its folder's
    photo names, changed), and the Markdown and front matter caches, read from disk once.

    Reading the caches took 40 ms of every rebuild at 1,000 cases, before the edited page could
    be served. They are still saved after every build that writes (30-40 ms, once the edited
    page is out), so a preview stopped any way at all leaves them as a build would."""

    def __init__(self) -> None:
        self._env: tuple[tuple, jinja2.Environment] | None = None
        self._caches: tuple[Path | None, MarkdownCache, FrontMatterCache] | None = None
        self.content = ContentMemo()

    def caches(self, folder: Path | None) -> tuple[MarkdownCache, FrontMatterCache]:
        """The Markdown and front matter caches of `folder` (None: in memory only), read once.
        Each build marks again what it uses, so a save keeps what the last build used."""
        if self._caches is None or self._caches[0] != folder:
            self._caches = (folder, *_caches(folder))
        _, markdown, front_matter = self._caches
        markdown.used.clear()
        front_matter.used.clear()
        return markdown, front_matter

    def env(self, theme: Theme) -> jinja2.Environment:
        """The Jinja environment, with its compiled templates, while no template file changed."""
        key = template_files(theme)
        if self._env is None or self._env[0] != key:
            env = make_env(theme)
            env.auto_reload = False         # `key` covers every template file, new ones too
            self._env = (key, env)
        return self._env[1]


def _caches(folder: Path | None) -> tuple[MarkdownCache, FrontMatterCache]:
    return (MarkdownCache(folder / "markdown.json" if folder else None),
            FrontMatterCache(folder / "front-matter.json" if folder else None))


def template_files(theme: Theme) -> tuple:
    """Every file a template lookup could find, with its time and size: a new file in the
    site's templates/ that overrides a theme template changes this as much as an edit does."""
    found = []
    for folder in theme.template_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = path.stat()
                found.append((path.as_posix(), info.st_mtime_ns, info.st_size))
    return tuple(str(d) for d in theme.template_dirs), tuple(found)


def build_site(root: Path, options: BuildOptions = BuildOptions(), session: Session | None = None,
               first: ShowFirst | None = None) -> BuildResult:
    """Build the site at `root`. Raises BuildError with every problem found. With `first`,
    the pages of the changed files are handed over as soon as they are rendered."""
    started = time.perf_counter()
    started_wall = time.time()
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    root = root.resolve()

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        return now

    if options.use_cache:
        slugs.load_memo(root / CACHE_DIR / SLUG_MEMO)
    site, found = load_config(root)
    problems += found
    # A broken site.yaml is reported on its own: what is read with its defaults in place of the
    # broken settings (categories, actions, the review rules) would only add follow-on errors.
    config_broken = bool(errors_in(found))
    site, found = with_overrides(site, options.base_url, options.relative)
    problems += found
    out_dir = (options.output or root / site.output_dir).resolve()
    if options.write:
        problems += check_output_dir(root, out_dir)
    theme, found = load_theme(root, site.theme)
    problems += found
    t = lap("config", started)

    cache_root = root / CACHE_DIR
    cache_dir = cache_root if options.use_cache else None
    markdown_cache, front_matter = session.caches(cache_dir) if session else _caches(cache_dir)
    content, found = load_content(root, site, markdown_cache, workers=options.workers, front_matter=front_matter,
                                  memo=session.content if session else None)
    problems += found
    if options.write and session is None and not errors_in(problems):
        # Saved now, while little else is in memory; what they hold is right whatever follows.
        # (The preview saves them at the end: its edited page is not kept waiting for them.)
        markdown_cache.save()
        front_matter.save()
        markdown_cache = front_matter = None
    t = lap("content", t)

    # A build that shows what a plain build holds back is a preview, wherever it is written:
    # every held-back page is marked, and the output folder's marker says it is not to be published.
    marked = options.preview or options.drafts or options.future
    today = dt.date.today()
    digests = DigestMemo(cache_root / "image-digests.json" if options.use_cache else None)
    standing = standings(root, site, content, today, digests)
    selection = Selection(drafts=options.drafts, future=options.future, today=today,
                          require_review=site.publish.require_review and not options.preview)
    model, found = assemble(site, content, selection, preview=marked, standing=standing)
    if marked:
        # Only a preview marks cases dated after today; a published page never depends on the day of the build.
        model = dataclasses.replace(model, today=today)
    problems += [p for p in found if not (config_broken and p.code in FOLLOW_ON)]
    exempt = held_by_default((*content.cases, *content.sites, *content.pages), standing, site, today)
    gate = options.write if options.gate is None else options.gate
    if gate:
        problems = [p for p in problems if not (p.code in UNSAFE_HTML and p.path in exempt)]
    if gate and not config_broken:
        problems += content_problems(root, model, exempt)
    t = lap("assemble", t)

    # Photos are looked at even when other files have problems, so that a broken photo is
    # reported together with them (and the work done is cached for the next build).
    assembled = model                   # the photos as the documents list them, broken ones too
    images = process_images(root, model, cache_root / "images", workers=options.workers, progress=options.progress,
                            memo=digests)
    model, image_files = images.model, images.outputs
    problems += images.problems
    t = lap("images", t)
    if errors_in(problems):
        if gate and not config_broken:      # all at once: the links too, to the pages the build would make
            problems += link_problems(root, assembled, None, exempt, theme)
        raise BuildError(problems)
    if session is None:
        slugs.release_dictionaries()    # every slug is made by now; the preview keeps them for its next build

    env = session.env(theme) if session else make_env(theme, cache_root if options.use_cache else None)
    assets, static_files = static_outputs(theme)
    if first is not None:
        pages = first_pages(model, theme, env, assets, first_sources(root, model, first.changed, first.limit))
        if pages:
            first.show(FirstPages(pages, {**static_files, **image_files, **pages}, model.site.base_path))
        t = lap("first", t)

    # The search index's version is a digest of its documents: known before the index is built,
    # after the preview's first pages (reading every document's text costs 0.1 s at 1,000 cases).
    plan = plan_search_index(model) if site.search.enabled else None
    if plan is not None:
        model = dataclasses.replace(model, search_version=plan.version)

    search_files: dict[str, bytes] = {}
    if plan is not None:
        search_files = index_files(plan, cache_root / "search" if options.use_cache else None).files
        plan = None                     # its documents' text is not needed any more
        release_free_memory()           # the index's working memory, before render forks its workers
        t = lap("search", t)

    # `showcase build` keeps the last pages made: a model and theme that are the same to the byte
    # (nothing changed since) give the same pages. The preview always follows a change.
    digest = pages_digest(model, theme, assets) if options.write and options.use_cache and session is None else None
    saved_pages = SavedFiles(cache_root / "pages" if digest else None, "pages")
    pages = saved_pages.get(digest) if digest else None
    if pages is None:
        pages, found = render_site(model, theme, env, assets, workers=options.workers)
        problems += found
        if digest and not found:
            saved_pages.put(digest, pages)
    t = lap("render", t)
    if errors_in(problems):
        raise BuildError(problems)

    outputs: dict[str, bytes | Path] = {**static_files, **image_files, **search_files, **pages}
    if gate:
        problems += link_problems(root, model, outputs, exempt, theme)
        t = lap("gate", t)
        if errors_in(problems):
            raise BuildError(problems)

    stats = None
    if options.write:
        stats = write_outputs(outputs, out_dir, preview=marked)
        if markdown_cache is not None:
            markdown_cache.save()
            front_matter.save()
        slugs.save_memo(cache_root / SLUG_MEMO)
        prune_cache(cache_root / "images", images.keys, older_than=started_wall)
        t = lap("write", t)
    return BuildResult(model=model, outputs=outputs, out_dir=out_dir,
                       warnings=tuple(p for p in problems if not p.is_error), stats=stats,
                       seconds=time.perf_counter() - started, timings=timings,
                       images_made=images.made, images_cached=images.cached, preview=marked)


def first_sources(root: Path, model: SiteModel, changed: Iterable[str], limit: int) -> set[str]:
    """The content files whose pages a change of `changed` may alter directly: a changed file
    itself, and a bundle's index.md for anything changed in its folder (a photo added). Empty
    when there are more than `limit` of them (a folder copied in: build everything at once)."""
    candidates = set()
    for name in changed:
        path = Path(name)
        if path.is_absolute():
            try:
                path = path.relative_to(root)
            except ValueError:
                continue
        rel = path.as_posix()
        parts = rel.split("/")
        candidates.add(rel)
        candidates.update("/".join(parts[:n]) + "/index.md" for n in range(1, len(parts) + 1))
    sources = {item.doc.source for item in (*model.cases, *model.sites, *model.pages)} & candidates
    return sources if len(sources) <= limit else set()


def first_pages(model: SiteModel, theme: Theme, env: jinja2.Environment, assets: dict[str, str],
                sources: set[str]) -> dict[str, bytes]:
    """The home page and the pages of `sources`, as the whole build renders them, or nothing.
    The search index's version is not known yet: a page that shows it is left out (rendered
    with two versions, it differs), so whatever is returned is final."""
    if not sources:
        return {}
    pages, problems = render_site(model, theme, env, assets, sources=sources)
    if problems:
        return {}                       # the whole render reports them
    if model.site.search.enabled:
        other, _ = render_site(dataclasses.replace(model, search_version="0" * 12), theme, env, assets, sources=sources)
        pages = {path: page for path, page in pages.items() if other.get(path) == page}
    return pages
