"""Stage 3b: photos -> renditions (JPEG + WebP at several widths, a share card), cached.

Runs after assemble, so only published documents' photos cost time and output paths follow
their page's URL. Work is cached in .cache/images/ by a digest of the source bytes and of every
parameter that affects the result; a rebuild with unchanged photos opens no image.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from builder.errors import Problem
from builder.model import Document, ImageSettings, Photo, Rendition, SiteModel
from builder.slugs import slugify

PIPELINE_VERSION = "img-1"
SHARE_SIZE = (1200, 630)


@dataclass(frozen=True, slots=True)
class Job:
    """Everything needed to make one photo's files; picklable for worker processes."""
    source: Path
    key: str
    widths: tuple[int, ...]
    quality: int
    webp_quality: int
    share: bool
    cache_dir: Path


@dataclass(frozen=True, slots=True)
class Made:
    key: str
    width: int            # displayed size of the original, after orientation
    height: int
    files: tuple[tuple[str, int, int, str], ...]     # (cache file name, width, height, format)
    share: tuple[str, int, int] | None
    error: str = ""


def process_images(root: Path, model: SiteModel, cache_dir: Path, workers: int | None = None
                   ) -> tuple[SiteModel, dict[str, Path], list[Problem]]:
    """Returns the model with renditions filled in, {output path: cache file}, problems."""
    settings = model.site.images
    docs = _documents(model)
    jobs: dict[str, Job] = {}
    photo_keys: dict[str, str] = {}
    problems: list[Problem] = []
    for doc, _ in docs:
        cover = doc.cover_photo()
        for photo in doc.photos:
            try:
                data = (root / photo.src).read_bytes()
            except OSError as exc:
                problems.append(Problem(photo.src, None, "file_unreadable", {"detail": exc.strerror or str(exc)}))
                continue
            key = _key(data, settings, share=photo is cover)
            photo_keys[photo.src] = key
            jobs.setdefault(key, Job(root / photo.src, key, settings.widths, settings.quality,
                                     settings.webp_quality, photo is cover, cache_dir))
    made = _run(list(jobs.values()), workers)
    outputs: dict[str, Path] = {}
    replaced: dict[str, Document] = {}
    for doc, url in docs:
        photos = []
        for photo in doc.photos:
            result = made.get(photo_keys.get(photo.src, ""))
            if result is None:
                continue
            if result.error:
                problems.append(Problem(photo.src, None, "image_broken", {"detail": result.error}))
                continue
            photos.append(_with_renditions(photo, result, url, cache_dir, outputs, settings.publish_originals, root))
        replaced[doc.source] = dataclasses.replace(doc, photos=tuple(photos))
    return _replace_docs(model, replaced), outputs, problems


def _documents(model: SiteModel) -> list[tuple[Document, str]]:
    return ([(c.doc, c.url) for c in model.cases] + [(s.doc, s.url) for s in model.sites]
            + [(p.doc, p.url) for p in model.pages])


def _key(data: bytes, settings: ImageSettings, share: bool) -> str:
    h = hashlib.sha256(data)
    h.update(repr((PIPELINE_VERSION, settings.widths, settings.quality, settings.webp_quality, share)).encode())
    return h.hexdigest()[:24]


def _with_renditions(photo: Photo, made: Made, url: str, cache_dir: Path, outputs: dict[str, Path],
                     publish_originals: bool, root: Path) -> Photo:
    stem = slugify(photo.name.rsplit(".", 1)[0]) or "photo"
    short = made.key[:8]
    renditions = []
    for name, width, height, fmt in made.files:
        out = f"{url}{stem}-{width}w.{short}.{'jpg' if fmt == 'jpeg' else 'webp'}"
        outputs[out] = cache_dir / name
        renditions.append(Rendition(out, width, height, fmt))
    share = None
    if made.share:
        name, width, height = made.share
        out = f"{url}{stem}-share.{short}.jpg"
        outputs[out] = cache_dir / name
        share = Rendition(out, width, height, "jpeg")
    if publish_originals:
        outputs[f"{url}{stem}-original.{short}{Path(photo.name).suffix.lower()}"] = root / photo.src
    return dataclasses.replace(photo, width=made.width, height=made.height,
                               renditions=tuple(renditions), share=share)


def _replace_docs(model: SiteModel, docs: dict[str, Document]) -> SiteModel:
    def swap(item):
        return dataclasses.replace(item, doc=docs.get(item.doc.source, item.doc))
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


def _run(jobs: list[Job], workers: int | None) -> dict[str, Made]:
    workers = workers if workers is not None else (os.cpu_count() or 1)
    done = {job.key: _cached(job) for job in jobs}
    todo = [job for job in jobs if done[job.key] is None]
    if len(todo) > 1 and workers > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            for made in pool.map(make_renditions, todo):
                done[made.key] = made
    else:
        for job in todo:
            done[job.key] = make_renditions(job)
    return done


def _names(job: Job, width: int) -> tuple[str, str]:
    return f"{job.key}-{width}.jpg", f"{job.key}-{width}.webp"


def _cached(job: Job) -> Made | None:
    """The finished result if every file of the job is in the cache."""
    meta = job.cache_dir / f"{job.key}.meta"
    try:
        width, height, *sizes = meta.read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return None
    files = []
    for item in sizes:
        name, w, h, fmt = item.split(",")
        if not (job.cache_dir / name).is_file():
            return None
        files.append((name, int(w), int(h), fmt))
    share = next(((n, w, h) for n, w, h, f in files if f == "share"), None)
    return Made(job.key, int(width), int(height), tuple(f for f in files if f[3] != "share"), share)


def make_renditions(job: Job) -> Made:
    """Decode once, orient, strip metadata, and write every size. Module-level for spawn."""
    try:
        with Image.open(job.source) as opened:
            opened.draft("RGB", (max(job.widths), max(job.widths)))
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad files
        return Made(job.key, 0, 0, (), None, error=f"{type(exc).__name__}: {exc}")
    job.cache_dir.mkdir(parents=True, exist_ok=True)
    width, height = image.size
    files = []
    for target in job.widths:
        if target > width and files:
            break
        size = fit_width((width, height), target)
        resized = image if size == image.size else image.resize(size, Image.LANCZOS)
        jpg, webp = _names(job, size[0])
        _save(resized, job.cache_dir / jpg, "JPEG", quality=job.quality, optimize=True, progressive=True)
        _save(resized, job.cache_dir / webp, "WEBP", quality=job.webp_quality, method=4)
        files += [(jpg, *size, "jpeg"), (webp, *size, "webp")]
    share = None
    if job.share:
        card = ImageOps.fit(image, SHARE_SIZE, Image.LANCZOS)
        name = f"{job.key}-share.jpg"
        _save(card, job.cache_dir / name, "JPEG", quality=job.quality, optimize=True, progressive=True)
        share = (name, *SHARE_SIZE)
    meta = [str(width), str(height)] + [",".join(map(str, f)) for f in files]
    if share:
        meta.append(f"{share[0]},{share[1]},{share[2]},share")
    _atomic_write(job.cache_dir / f"{job.key}.meta", " ".join(meta).encode())
    return Made(job.key, width, height, tuple(files), share)


def fit_width(size: tuple[int, int], target: int) -> tuple[int, int]:
    """Scale to `target` wide keeping the aspect ratio; never upscale."""
    width, height = size
    if target >= width:
        return size
    return target, max(1, round(height * target / width))


def _save(image: Image.Image, path: Path, fmt: str, **options) -> None:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)     # no exif=, icc_profile= or xmp=: nothing leaks
    _atomic_write(path, buffer.getvalue())


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
