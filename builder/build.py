"""Runs the stages in order. Nothing is written until the whole site is built.

For the preview, a build can hand over the pages of the files just edited before the rest is
done (ShowFirst): once photos are made, those pages are rendered from the whole new model by
the same render_site, so they are the bytes the build writes a moment later; then the search
index, every page, and the writing follow as always."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from builder.assemble import Selection, assemble
from builder.config import load_config, with_overrides
from builder.content.load import ContentMemo, load_content
from builder.errors import BuildError, Problem, errors_in
from builder.content.deferred import DeferredFrontMatterCache, DeferredMarkdownCache
from builder.content.frontmatter_cache import FrontMatterCache
from builder.content.sanitize import CODES as UNSAFE_HTML
from builder.gate.memo import GateMemo
from builder.gate.rules import content_problems, link_problems
from builder.gate.standing import held_by_default, standings
from builder.images.process import process_images
from builder.images.cache import DigestMemo, prune_cache
from builder.content.markdown import MarkdownCache
from builder.memory import release_free_memory
from builder.model import SiteModel
from builder import slugs, unchanged
from builder.render.pages import PageMemo, base_digest, make_env, render_site
from builder.store.output_record import OutputRecord
from builder.store.state import code_version, read_state, write_state
from builder.search.incremental import SearchState, plan_index, update_index
from builder.store.digest import Digester
from builder.render.theme import Theme, load_theme, static_outputs
from builder.write import MARKER, Stage, Staged, WriteStats, check_output_dir, write_outputs
from builder.request import CACHE_DIR, BuildOptions  # noqa: F401 - BuildOptions: also builder.build's

FOLLOW_ON = ("unknown_category", "unknown_action", "site_unpublished")   # not said while site.yaml is broken
SLUG_MEMO = "slugs.json"
STATE_DIR = "state"                     # inside .cache/: what one build leaves for the next (store.state)
STAGE_DIR = "staging"                   # inside .cache/: the pages of a build being written (write.Stage)
STAGE_INDEX_FROM = 500          # a search index of this many files to write goes to the stage (_build)
QR_STATE = "qr.marshal"                 # inside STATE_DIR: QR codes made for the pages, by address and label


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
    pages_rendered: int = 0             # pages rendered by this build
    pages_kept: int = 0                 # pages whose inputs were unchanged: their files were kept
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
        self._record: OutputRecord | None = None
        self.search_state: SearchState | None = None      # the index the last build made (search.incremental)

    def output_record(self, out_dir: Path, state_dir: Path) -> OutputRecord:
        """What the last build left in `out_dir`: read from .cache/state/ once, then kept here."""
        if self._record is None or self._record.out_dir != out_dir:
            self._record = OutputRecord.load(out_dir, OutputRecord.file_for(state_dir, out_dir))
        return self._record

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
    """The caches of `folder`, read when a build first needs them (content.deferred)."""
    return (DeferredMarkdownCache(folder / "markdown.json" if folder else None),
            DeferredFrontMatterCache(folder / "front-matter.json" if folder else None))


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
               first: ShowFirst | None = None, looked: unchanged.Looked | None = None) -> BuildResult:
    """Build the site at `root`. Raises BuildError with every problem found. With `first`,
    the pages of the changed files are handed over as soon as they are rendered. `looked`: the
    sources as `showcase build` found them just before (unchanged.look), not scanned again."""
    # A build that writes renders many pages into a stage of its own (write.Stage), from where
    # they are moved into the output; whatever is left there goes when the build ends, any way.
    stage = None
    if options.write and options.use_cache:
        Stage.clear_old(root.resolve() / CACHE_DIR / STAGE_DIR)
        stage = Stage(root.resolve() / CACHE_DIR / STAGE_DIR)
    frozen = gc.get_freeze_count()
    try:
        return _build(root, options, session, first, looked, stage)
    finally:
        if stage is not None:
            stage.clear()
        # The content memo's objects were frozen out of the collector's sight for this build
        # (content.load): a caller that builds again and again (the desk, the tests) would
        # otherwise keep every build's garbage cycles for good.
        if gc.get_freeze_count() > frozen:
            gc.unfreeze()


def _build(root: Path, options: BuildOptions, session: Session | None, first: ShowFirst | None,
           looked: unchanged.Looked | None, stage: Stage | None) -> BuildResult:
    started = time.perf_counter()
    started_wall = time.time()
    looked_at = time.time_ns()          # before any file is read: see builder.unchanged
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
    # `showcase build` notes every source file's size and time, for the next build to see that
    # nothing changed without building (builder.unchanged).
    quick = options.write and options.use_cache and session is None
    tree = None
    if quick and looked is not None and looked.out_dir == out_dir and looked.tree is not None:
        looked_at, tree = looked.looked_at, looked.tree
    elif quick:
        tree = unchanged.fingerprint(root, out_dir, unchanged.packaged_themes_dir())
    t = lap("config", started)

    cache_root = root / CACHE_DIR
    cache_dir = cache_root if options.use_cache else None
    markdown_cache, front_matter = session.caches(cache_dir) if session else _caches(cache_dir)
    state_dir = cache_root / STATE_DIR if options.use_cache else None
    memo = session.content if session else ContentMemo.load(state_dir)
    content, found = load_content(root, site, markdown_cache, workers=options.workers, front_matter=front_matter,
                                  memo=memo)
    problems += found
    origins = memo.origins()
    if options.write and session is None and not errors_in(problems):
        # Saved now, while little else is in memory; what they hold is right whatever follows.
        # (The preview saves them at the end: its edited page is not kept waiting for them.)
        markdown_cache.save()
        front_matter.save()
        memo.save(state_dir)
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
    # What the gate found last time (gate.memo), for a build that leaves its state in .cache/.
    gate_memo = GateMemo.load(OutputRecord.file_for(state_dir, out_dir, "gate")) if gate and state_dir and options.write else None
    if gate and not config_broken:
        problems += content_problems(root, model, exempt, gate_memo, origins)
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

    # What the last build left in the output folder (store.output_record): pages and index
    # files whose inputs are unchanged are kept from there. `showcase check` writes nothing.
    record = None
    if options.write and options.use_cache:
        record = session.output_record(out_dir, state_dir) if session else \
            OutputRecord.load(out_dir, OutputRecord.file_for(state_dir, out_dir))
    kept: dict[str, tuple[int, int]] = {}
    digester = _digester(model, origins)    # values of the model, digested once for the search index and the pages
    origins = None

    # The search index's version is a digest of its documents: known before the index is built,
    # after the preview's first pages. Documents whose inputs are unchanged are not made again.
    search_files: dict[str, bytes | Path] = {}
    search_version = ""
    if site.search.enabled:
        state_file = OutputRecord.file_for(state_dir, out_dir, "search") if record else None
        previous = (session.search_state if session else SearchState.load(state_file)) if record else None
        planned = plan_index(model, digester, previous)
        model = dataclasses.replace(model, search_version=planned.plan.version)
        index, state = update_index(planned, cache_root / "search" if options.use_cache else None, previous,
                                    written=previous is not None and record.search == previous.version,
                                    intact=record.intact if record else lambda rel: False, out_dir=out_dir)
        made = index.files
        if stage is not None and len(made) >= STAGE_INDEX_FROM:
            # A big index goes to the stage now rather than being held while pages are rendered
            # (and shared with the render workers): 20,000 cases' is 290 MB.
            made = {rel: stage.keep(rel, data) for rel, data in made.items()}
        search_files = {**made, **{rel: out_dir / rel for rel in index.kept}}
        made = None
        kept.update(record.kept(index.kept) if record else {})
        search_version = index.version
        if session is not None:
            session.search_state = state
        elif record is not None and not (previous and (previous.version, previous.code) == (state.version, state.code)):
            state.save(state_file)
        planned = index = state = previous = None      # the posting lists are not needed any more
        release_free_memory()           # the index's working memory, before render forks its workers
        t = lap("search", t)

    # Pages whose inputs are what they were, and whose files are as the last build left them,
    # are not rendered again (render.trace).
    page_memo = None
    if record is not None:
        if record.qr is None:           # QR codes of the booklet's pages, by address (render.pages._qr)
            saved = read_state(state_dir / QR_STATE)
            record.qr = saved if type(saved) is dict else {}
        page_memo = PageMemo(base_digest(model, theme, assets), record.pages, related=record.related, qr=record.qr,
                             out_dir=out_dir)
    pages, found = render_site(model, theme, env, assets, workers=options.workers, memo=page_memo,
                               intact=record.intact if record else None, digester=digester, stage=stage)
    problems += found
    t = lap("render", t)
    if errors_in(problems):
        raise BuildError(problems)
    if page_memo is not None:
        kept.update(record.kept(page_memo.kept))
        pages.update((rel, out_dir / rel) for rel in page_memo.kept)

    outputs: dict[str, bytes | Path] = {**static_files, **image_files, **search_files, **pages}
    if gate:
        problems += link_problems(root, model, outputs, exempt, theme, gate_memo, page_memo.pages if page_memo else None)
        if gate_memo is not None:
            gate_memo.save()
        t = lap("gate", t)
        if errors_in(problems):
            raise BuildError(problems)

    stats = None
    if options.write:
        stats = write_outputs(outputs, out_dir, kept, preview=marked)
        # Staged pages were moved into the output: the result names them there.
        outputs.update((rel, out_dir / rel) for rel, source in outputs.items() if isinstance(source, Staged))
        if record is not None:
            record.files, record.pages, record.search = stats.files, page_memo.pages, search_version
            record.related = page_memo.related
            record.save()
            if page_memo.qr_made:
                record.qr.update(page_memo.qr_made)
                if len(record.qr) > 2 * len(outputs) + 1000:     # bounded: the codes of this build only
                    record.qr = {key: svg for key, svg in record.qr.items() if key in page_memo.qr_made}
                write_state(state_dir / QR_STATE, record.qr)
        if markdown_cache is not None:
            markdown_cache.save()
            front_matter.save()
        slugs.save_memo(cache_root / SLUG_MEMO)
        prune_cache(cache_root / "images", images.keys, older_than=started_wall)
        if tree is not None:
            summary = unchanged.Summary(len(model.cases), len(model.sites), len(model.pages), len(outputs),
                                        tuple(p for p in problems if not p.is_error), model.held_back,
                                        {item.doc.source: model.standing.get(item.doc.source) for item in model.held_back},
                                        model.site, images.cached, marked)
            unchanged.save(root, unchanged.options_key(root, options.output, options.drafts, options.future,
                                                      options.base_url, options.relative),
                           out_dir, looked_at, tree, {**stats.files, **_marker_stat(out_dir)}, summary, code_version())
        t = lap("write", t)
    return BuildResult(model=model, outputs=outputs, out_dir=out_dir,
                       warnings=tuple(p for p in problems if not p.is_error), stats=stats,
                       seconds=time.perf_counter() - started, timings=timings,
                       images_made=images.made, images_cached=images.cached, preview=marked,
                       pages_rendered=len(pages) - len(page_memo.kept if page_memo else ()),
                       pages_kept=len(page_memo.kept if page_memo else ()))


def _marker_stat(out_dir: Path) -> dict[str, tuple[int, int]]:
    """The output folder's marker (write.MARKER: complete? a preview?) as the build left it: the
    next `showcase build` takes the shortcut only if it is still so (another build with other
    options, say --drafts, may have rewritten only the marker)."""
    try:
        info = (out_dir / MARKER).stat()
    except OSError:
        return {}
    return {MARKER: (info.st_size, info.st_mtime_ns)}


def _digester(model: SiteModel, origins: list[tuple]) -> Digester:
    """A Digester that knows each document by what wholly determines it (content.ContentMemo's
    key), so that digesting a case does not read its body; a document that a later stage made
    anew (the images stage adds renditions to its photos) is known as derived from it."""
    digester = Digester()
    loaded = {}
    for item, origin in origins:
        digester.remember(item, origin)
        digester.remember(item.doc, origin + b"\0doc")
        loaded[item.doc.source] = item
    for item in (*model.cases, *model.held_back, *model.sites, *model.pages):
        base = loaded.get(item.doc.source)
        if base is not None and item is not base:
            digester.derived(item.doc, base.doc)
            digester.derived(item, base)
    return digester


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
