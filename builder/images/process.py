"""Stage 3b: photos -> renditions (JPEG + WebP at several widths, a share card), cached.

Runs after assemble, so only published documents' photos cost time and output paths follow
their page's URL. Each photo needs up to three products: its renditions, a 1200x630 share card
(covers only) and a clean original (only with `images.publish_originals`). Each product is
cached in .cache/images/ under a digest of the source bytes and of every parameter that
changes it (images_cache.py); a rebuild with unchanged photos opens no image, and reads no
photo either (the digest memo). What is missing is made by a pool of worker processes
(images_codec.make_files), as many at a time as cores and a memory budget allow.
"""
from __future__ import annotations

import contextlib
import dataclasses
import importlib.machinery
import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from builder.errors import ERROR, WARNING, Problem
from builder.i18n import Phrase
from builder.images.cache import (ORIGINAL, RENDITIONS, SHARE, DigestMemo, Entry, Job, Made, Params,
                                  entry_key, read_entry)
from builder.images.geometry import draft_request, draft_scale, memory_estimate
from builder.model import Document, Photo, Rendition, SiteModel
from builder.slugs import slugify

Progress = Callable[[int, int], None]       # (photos done, photos to do), from the main process
MEMORY_BUDGET = 768 * 2**20                 # for photos being decoded at once, all workers together
MAX_WORKERS = 8
SERIAL_PIXELS = 8_000_000                   # less decoding than this: starting workers costs more
STEM_LENGTH = 48


@dataclass(frozen=True, slots=True)
class ImageResult:
    model: SiteModel                        # photos with their renditions filled in
    outputs: dict[str, Path]                # output path -> file in the cache
    problems: tuple[Problem, ...]
    keys: frozenset[str]                    # cache entries this build uses (the rest may be pruned)
    made: int                               # photos decoded by this build
    cached: int                             # photos whose every product came from the cache


def process_images(root: Path, model: SiteModel, cache_dir: Path, workers: int | None = None,
                   progress: Progress | None = None, memo_path: Path | None = None,
                   mp_context: multiprocessing.context.BaseContext | None = None,
                   memo: DigestMemo | None = None) -> ImageResult:
    """`memo`: the photos' digests known so far (the build's review digests read them first);
    else read from `memo_path`. Saved either way."""
    settings = model.site.images
    params = Params(settings.widths, settings.quality, settings.webp_quality)
    docs = _documents(model)
    problems: list[Problem] = []
    needs = _needs(docs, settings.publish_originals)
    share_image = settings.share_image
    if share_image:
        path = (root / share_image).resolve()
        if path.is_file() and path.is_relative_to(root.resolve()):
            needs.setdefault(share_image, set()).add(SHARE)
        else:
            problems.append(Problem("site.yaml", None, "share_image_missing", {"path": share_image}))
            share_image = ""

    memo = memo if memo is not None else DigestMemo(memo_path)
    entries: dict[str, dict[str, Entry]] = {}
    jobs: list[tuple[str, Job]] = []
    for src in sorted(needs):
        try:
            digest = memo.digest(src, root / src)
        except OSError as exc:
            problems.append(Problem(src, None, "file_unreadable", {"detail": exc.strerror or str(exc)}))
            continue
        found = {p: read_entry(cache_dir, entry_key(p, digest, params), p) for p in needs[src]}
        entries[src] = {p: e for p, e in found.items() if e is not None}
        missing = tuple(sorted(p for p, e in found.items() if e is None))
        if missing:
            jobs.append((src, Job(root / src, digest, params, missing, cache_dir)))

    # A photo published only because images.publish_unlisted says so: broken, it is left out with a warning.
    chosen = {photo.src for doc, _ in docs for photo in doc.photos if photo.chosen}
    for src, made in zip([s for s, _ in jobs], run_jobs([j for _, j in jobs], workers, progress, mp_context)):
        if made.error:
            problems.append(Problem(src, None, "image_broken", {"detail": made.error},
                                    severity=ERROR if src in chosen or src == share_image else WARNING))
            del entries[src]
        else:
            entries[src].update({e.product: e for e in made.entries})
    memo.save()

    outputs: dict[str, Path] = {}
    replaced = {doc.source: _with_photos(doc, url, entries, cache_dir, outputs) for doc, url in docs}
    model = _replace_docs(model, replaced)
    if share_image and share_image in entries:
        card = _share_rendition(entries[share_image][SHARE], "static/", "site", cache_dir, outputs)
        model = dataclasses.replace(model, site=dataclasses.replace(
            model.site, images=dataclasses.replace(settings, share_image=card.path)))
    keys = frozenset(e.key for products in entries.values() for e in products.values())
    worked = {src for src, _ in jobs}
    return ImageResult(model, outputs, tuple(problems), keys, made=len(jobs),
                       cached=sum(1 for src in entries if src not in worked))


def _documents(model: SiteModel) -> list[tuple[Document, str]]:
    return ([(c.doc, c.url) for c in model.cases] + [(s.doc, s.url) for s in model.sites]
            + [(p.doc, p.url) for p in model.pages])


def _needs(docs: list[tuple[Document, str]], originals: bool) -> dict[str, set[str]]:
    """Source photo -> the products it needs."""
    needs: dict[str, set[str]] = {}
    for doc, _ in docs:
        cover = doc.cover_photo()
        for photo in doc.photos:
            products = needs.setdefault(photo.src, {RENDITIONS})
            if photo is cover:
                products.add(SHARE)
            if originals:
                products.add(ORIGINAL)
    return needs


# --- naming outputs --------------------------------------------------------------------------

def output_stem(name: str) -> str:
    """ASCII file name stem for a photo file name: '照片 1.jpg' -> 'zhaopian-1'. Two names with
    the same stem are told apart by the digest that follows it in every output name."""
    stem = slugify(PurePosixPath(name).stem)[:STEM_LENGTH].strip("-")
    return stem or "photo"


def _with_photos(doc: Document, url: str, entries: dict[str, dict[str, Entry]], cache_dir: Path,
                 outputs: dict[str, Path]) -> Document:
    if not doc.photos:
        return doc
    photos = []
    for photo in doc.photos:
        products = entries.get(photo.src)
        if not products or RENDITIONS not in products:
            continue                        # its problem is reported; the build will stop
        photos.append(_with_renditions(photo, products, url, cache_dir, outputs))
    return dataclasses.replace(doc, photos=tuple(photos))


def _with_renditions(photo: Photo, products: dict[str, Entry], url: str, cache_dir: Path,
                     outputs: dict[str, Path]) -> Photo:
    stem = output_stem(photo.name)
    entry = products[RENDITIONS]
    short = entry.key[:10]
    renditions = []
    for file in entry.files:
        out = f"{url}{stem}-{file.width}w.{short}.{'jpg' if file.format == 'jpeg' else file.format}"
        outputs[out] = cache_dir / file.name
        renditions.append(Rendition(out, file.width, file.height, file.format))
    share = _share_rendition(products[SHARE], url, stem, cache_dir, outputs) if SHARE in products else None
    original = None
    if ORIGINAL in products:
        file = products[ORIGINAL].files[0]
        suffix = "jpg" if file.format == "jpeg" else file.format
        original = Rendition(f"{url}{stem}-original.{products[ORIGINAL].key[:10]}.{suffix}", file.width, file.height, file.format)
        outputs[original.path] = cache_dir / file.name
    return dataclasses.replace(photo, width=entry.width, height=entry.height, renditions=tuple(renditions),
                               share=share, original=original)


def _share_rendition(entry: Entry, folder: str, stem: str, cache_dir: Path, outputs: dict[str, Path]) -> Rendition:
    file = entry.files[0]
    card = Rendition(f"{folder}{stem}-share.{entry.key[:10]}.jpg", file.width, file.height, "jpeg")
    outputs[card.path] = cache_dir / file.name
    return card


def _replace_docs(model: SiteModel, docs: dict[str, Document]) -> SiteModel:
    items = (*model.cases, *model.sites, *model.pages)
    if all(docs.get(item.doc.source, item.doc) is item.doc for item in items):
        return model                    # no photos: every document is as it was

    def swap(item):
        doc = docs.get(item.doc.source)
        return item if doc is None or doc is item.doc else dataclasses.replace(item, doc=doc)
    cases = tuple(swap(c) for c in model.cases)
    by_source = {c.doc.source: c for c in cases}
    sites = tuple(swap(s) for s in model.sites)
    return dataclasses.replace(
        model, cases=cases, sites=sites, pages=tuple(swap(p) for p in model.pages),
        sites_by_slug={s.slug: s for s in sites},
        cases_by_site={k: tuple(by_source[c.doc.source] for c in v) for k, v in model.cases_by_site.items()},
        taxonomies={k: tuple(dataclasses.replace(t, cases=tuple(by_source[c.doc.source] for c in t.cases))
                             for t in terms) for k, terms in model.taxonomies.items()},
    )


# --- running the workers ---------------------------------------------------------------------

def run_jobs(jobs: list[Job], workers: int | None = None, progress: Progress | None = None,
             mp_context: multiprocessing.context.BaseContext | None = None) -> list[Made]:
    """Results in the order of `jobs`. Several at a time in worker processes (spawned, so the
    same on every OS and safe in a program with threads, like `serve`), as many as the cores
    and MEMORY_BUDGET allow: a 50-megapixel photo may run alone."""
    if not jobs:
        return []
    # Pillow and the codecs only when a photo is to be made: a build whose photos are all
    # cached never loads them (30 ms).
    from builder.images.codec import make_files
    report = progress or (lambda done, total: None)
    report(0, len(jobs))
    count = min(workers if workers is not None else _cores(), len(jobs), MAX_WORKERS)
    sizes = [decoded_size(job) for job in jobs] if count > 1 else []
    if workers is None and sum(pixels for pixels, _ in sizes) < SERIAL_PIXELS:
        count = 1
    if count <= 1:
        results = []
        for job in jobs:
            results.append(make_files(job))
            report(len(results), len(jobs))
        return results
    context = mp_context or multiprocessing.get_context("spawn")
    costs = [memory_estimate((pixels, 1), bands) for pixels, bands in sizes]
    results: dict[int, Made] = {}
    pending = deque(range(len(jobs)))
    crashed: list[int] = []
    with _workers_skip_main_script(), ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        running: dict[Future, int] = {}
        used = 0
        while pending or running:
            while pending and len(running) < count and (not running or used + costs[pending[0]] <= MEMORY_BUDGET):
                index = pending.popleft()
                running[pool.submit(make_files, jobs[index])] = index
                used += costs[index]
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                index = running.pop(future)
                used -= costs[index]
                try:
                    results[index] = future.result()
                    report(len(results), len(jobs))
                except BrokenProcessPool:
                    crashed.append(index)
            if crashed:
                crashed.extend(pending)
                crashed.extend(running.values())
                break
    for index in sorted(set(crashed)):
        results[index] = _run_alone(jobs[index], context)
        report(len(results), len(jobs))
    return [results[i] for i in range(len(jobs))]


def _run_alone(job: Job, context: multiprocessing.context.BaseContext) -> Made:
    """After a worker died (a decoder crash, or killed for memory), each job not yet done runs
    in a pool of its own, so that only the photo that kills its worker is reported."""
    from builder.images.codec import make_files
    with _workers_skip_main_script(), ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(make_files, job).result()
        except BrokenProcessPool:
            return Made(job.source, job.digest, error=Phrase("image_worker_died"))


@contextlib.contextmanager
def _workers_skip_main_script():
    """A spawned worker first runs the parent's main script again (so that functions defined
    there can be unpickled). The `showcase` script imports the whole program: 1 s and 90 MB in
    every worker, which needs only images_codec. Naming the main module the way `python -m`
    does makes multiprocessing skip it (spawn.py leaves '*.__main__' modules alone)."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = importlib.machinery.ModuleSpec("builder.__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


def decoded_size(job: Job) -> tuple[int, int]:
    """(pixels, bands) the worker will decode for this job, from the image header alone."""
    from PIL import Image
    from builder.images.codec import JPEG_FORMATS, heif_supported
    heif_supported()
    try:
        with Image.open(job.source) as image:
            size, bands, fmt = image.size, len(image.getbands()), image.format
            orientation = image.getexif().get(0x0112, 1) if fmt in JPEG_FORMATS else 1
    except Exception:  # noqa: BLE001 - the worker reports what is wrong with the file
        return 1, 3
    scale = 1
    if fmt in JPEG_FORMATS:
        # A JPEG original is stripped byte by byte, so it never needs a full-size decode.
        scale = draft_scale(size, draft_request(size, orientation, max(job.params.widths), SHARE in job.products))
    return -(-size[0] // scale) * -(-size[1] // scale), bands


def estimate_memory(job: Job) -> int:
    """Peak bytes one worker needs for this job."""
    pixels, bands = decoded_size(job)
    return memory_estimate((pixels, 1), bands)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
