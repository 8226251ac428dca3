"""Runs the stages in order. Nothing is written until the whole site is built."""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from builder.assemble import Selection, assemble
from builder.config import load_config, with_overrides
from builder.content import load_content
from builder.errors import BuildError, Problem, errors_in
from builder.frontmatter_cache import FrontMatterCache
from builder.images import process_images
from builder.images_cache import prune_cache
from builder.markdown_render import MarkdownCache
from builder.model import SiteModel
from builder.render import make_env, render_site
from builder.search import build_search_index
from builder.theme import Theme, load_theme, static_outputs
from builder.write import WriteStats, check_output_dir, write_outputs

CACHE_DIR = ".cache"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    output: Path | None = None          # default: site.yaml output_dir, relative to the site
    base_url: str | None = None
    relative: bool | None = None
    drafts: bool = False
    future: bool = False
    preview: bool = False               # `serve`: mark drafts and unreviewed cases on the page
    write: bool = True                  # False for `check`
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


class Session:
    """What a long-running caller (`showcase serve`) keeps from one build of a site to the next.
    Each thing is reused only while everything it was made from is unchanged, so a build with a
    session writes exactly what a build without one writes."""

    def __init__(self) -> None:
        self._env: tuple[tuple, jinja2.Environment] | None = None

    def env(self, theme: Theme) -> jinja2.Environment:
        """The Jinja environment, with its compiled templates, while no template file changed."""
        key = template_files(theme)
        if self._env is None or self._env[0] != key:
            env = make_env(theme)
            env.auto_reload = False         # `key` covers every template file, new ones too
            self._env = (key, env)
        return self._env[1]


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


def build_site(root: Path, options: BuildOptions = BuildOptions(), session: Session | None = None) -> BuildResult:
    """Build the site at `root`. Raises BuildError with every problem found."""
    started = time.perf_counter()
    started_wall = time.time()
    timings: dict[str, float] = {}
    problems: list[Problem] = []
    root = root.resolve()

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        return now

    site, found = load_config(root)
    problems += found
    site, found = with_overrides(site, options.base_url, options.relative)
    problems += found
    out_dir = (options.output or root / site.output_dir).resolve()
    if options.write:
        problems += check_output_dir(root, out_dir)
    theme, found = load_theme(root, site.theme)
    problems += found
    t = lap("config", started)

    cache_root = root / CACHE_DIR
    markdown_cache = MarkdownCache(cache_root / "markdown.json" if options.use_cache else None)
    front_matter = FrontMatterCache(cache_root / "front-matter.json" if options.use_cache else None)
    content, found = load_content(root, site, markdown_cache, workers=options.workers, front_matter=front_matter)
    problems += found
    t = lap("content", t)

    selection = Selection(drafts=options.drafts, future=options.future,
                          require_review=site.publish.require_review and not options.preview)
    model, found = assemble(site, content, selection, preview=options.preview)
    if options.preview:
        # Only the preview marks cases dated after today; a published page never depends on the day of the build.
        model = dataclasses.replace(model, today=dt.date.today())
    problems += found
    t = lap("assemble", t)

    # Photos are looked at even when other files have problems, so that a broken photo is
    # reported together with them (and the work done is cached for the next build).
    images = process_images(root, model, cache_root / "images", workers=options.workers, progress=options.progress,
                            memo_path=cache_root / "image-digests.json" if options.use_cache else None)
    model, image_files = images.model, images.outputs
    problems += images.problems
    t = lap("images", t)
    if errors_in(problems):
        raise BuildError(problems)

    search_files: dict[str, bytes] = {}
    if site.search.enabled:
        index = build_search_index(model, cache_root / "search" if options.use_cache else None)
        model, search_files = dataclasses.replace(model, search_version=index.version), index.files
        t = lap("search", t)

    assets, static_files = static_outputs(theme)
    pages, found = render_site(model, theme, session.env(theme) if session else make_env(theme), assets,
                               workers=options.workers)
    problems += found
    t = lap("render", t)
    if errors_in(problems):
        raise BuildError(problems)

    outputs: dict[str, bytes | Path] = {**static_files, **image_files, **search_files, **pages}
    stats = None
    if options.write:
        stats = write_outputs(outputs, out_dir)
        markdown_cache.save()
        front_matter.save()
        prune_cache(cache_root / "images", images.keys, older_than=started_wall)
        t = lap("write", t)
    return BuildResult(model=model, outputs=outputs, out_dir=out_dir,
                       warnings=tuple(p for p in problems if not p.is_error), stats=stats,
                       seconds=time.perf_counter() - started, timings=timings,
                       images_made=images.made, images_cached=images.cached)
