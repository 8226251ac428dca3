"""A zip file of the whole site, named with the day (河津案例库-2025-06-01.zip), for handing over.

The archive carries its own manifest, so the next publish compares the site with the newest
archive of the folder: nothing changed, nothing written; else a new archive, written under a
temporary name and renamed when complete (a stopped publish leaves no half archive). Earlier
archives and anything else in the folder are left as they are.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import time
import zipfile
from pathlib import Path
from typing import Mapping

from builder.errors import Problem
from builder.model import PublishTarget
from builder.publish.manifest import MANIFEST, Entry, decode_manifest, encode_manifest, make_plan, upload_rank
from builder.publish.run import Progress, PublishOptions, PublishResult
from builder.publish.target import PublishFailed, Target, local_problem, problem

STORED = (".jpg", ".jpeg", ".webp", ".png", ".woff2", ".zip", ".gz")     # compressed already
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def zip_stem(settings: PublishTarget, site_title: str) -> str:
    """The file name before the date: `filename:`, else the site's title, made safe for Windows."""
    stem = UNSAFE.sub("", settings.filename or site_title).strip(".")
    return stem or "showcase"


class ZipTarget(Target):
    def __init__(self, settings: PublishTarget, root: Path, stem: str):
        super().__init__(settings)
        self.root, self.stem = root, stem

    @property
    def label(self) -> str:
        return str(self.root)

    def name_for(self, day: dt.date) -> Path:
        return self.root / f"{self.stem}-{day.isoformat()}.zip"

    def latest(self) -> tuple[Path, dict[str, Entry]] | None:
        """The newest archive of this site in the folder, and its manifest."""
        pattern = re.compile(re.escape(self.stem) + r"-(\d{4}-\d{2}-\d{2})\.zip")
        found = sorted((p for p in self.root.glob(f"{self.stem}-*.zip") if pattern.fullmatch(p.name)),
                       key=lambda p: p.name, reverse=True)
        for path in found:
            try:
                with zipfile.ZipFile(path) as archive:
                    return path, decode_manifest(archive.read(MANIFEST))
            except (OSError, KeyError, ValueError, zipfile.BadZipFile):
                continue                # not one of ours, or damaged: the next older one
        return None

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        if isinstance(exc, FileNotFoundError) and rel is None:
            return problem("publish_folder_missing", self, None, path=str(self.root.parent))
        if isinstance(exc, OSError):
            return local_problem(exc, self, rel)
        return super().explain(exc, rel)


def publish_zip(target: ZipTarget, out_dir: Path, local: Mapping[str, Entry], today: dt.date,
                options: PublishOptions = PublishOptions(), progress: Progress | None = None) -> PublishResult:
    started = time.perf_counter()
    try:
        if not target.root.parent.is_dir():
            raise FileNotFoundError(2, "missing", str(target.root.parent))
        previous = target.latest() if target.root.is_dir() else None
    except OSError as exc:
        raise PublishFailed(target.explain(exc, None)) from exc
    plan = make_plan(local, previous[1] if previous else {}, options.full)
    final = target.name_for(today)
    if options.dry_run or plan.empty:
        shown = final if options.dry_run or previous is None else previous[0]
        return PublishResult(plan, 0, time.perf_counter() - started, None, str(shown))
    try:
        target.root.mkdir(exist_ok=True)
    except OSError as exc:
        raise PublishFailed(target.explain(exc, None)) from exc
    temp = target.root / f".{final.name}.{secrets.token_hex(6)}.tmp"
    order = sorted(local, key=upload_rank)
    total = sum(local[rel].size for rel in order)
    done = 0
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    rel = None
    try:
        with zipfile.ZipFile(temp, "w") as archive:
            if progress:
                progress(0, len(order), 0, total)
            for number, rel in enumerate(order, 1):
                info = zipfile.ZipInfo(rel, date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_STORED if rel.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
                with open(out_dir / rel, "rb") as source, archive.open(info, "w") as out:
                    shutil.copyfileobj(source, out, 1 << 18)
                done += local[rel].size
                if progress:
                    progress(number, len(order), done, total)
            rel = MANIFEST
            info = zipfile.ZipInfo(MANIFEST, date_time=stamp)
            info.external_attr = 0o644 << 16
            archive.writestr(info, encode_manifest(local, options.now(), options.computer), zipfile.ZIP_DEFLATED)
        rel = None
        os.replace(temp, final)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise PublishFailed(target.explain(exc, rel or final.name)) from exc
        raise
    return PublishResult(plan, total, time.perf_counter() - started, None, str(final))
