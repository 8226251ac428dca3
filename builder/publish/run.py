"""One publish to a target that keeps files (a folder, SFTP, FTP, S3), in the order that keeps
the public site whole at every moment:

1. read the target's manifest (and the journal of a publish that did not finish, if any);
2. plan: what is new, what changed, what the site no longer has;
3. write the journal, naming every file about to go up;
4. send new and changed files, stage by stage (manifest.upload_rank): photos and styles before
   the pages that use them, the home page last; each whole, under a temporary name first;
5. write the manifest, remove the journal;
6. remove what the site no longer has (pages first), and write the manifest again.

Stopped anywhere (the network drops, Ctrl+C), every file on the target is an old one or a new
one, never half of one, and no page links to a file that is not there yet. The journal tells the
next publish which files may be there without being in the manifest, so it finishes the job.
Passing network trouble is retried after a reconnection, waiting longer each time.
"""
from __future__ import annotations

import datetime as dt
import platform
import secrets
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, TypeVar

from builder.publish.manifest import (JOURNAL, MANIFEST, UNKNOWN, Entry, Journal, Plan, decode_manifest,
                                      encode_manifest, make_plan, stages)
from builder.publish.target import PublishFailed, Target, problem

T = TypeVar("T")
Progress = Callable[[int, int, int, int], None]     # (files sent, files to send, bytes sent, bytes to send)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True, slots=True)
class PublishOptions:
    dry_run: bool = False
    full: bool = False                                  # send every file, whatever the manifest says
    backoff: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)   # seconds before each retry after network trouble
    computer: str = field(default_factory=platform.node)
    busy_minutes: int = 15                              # another computer's journal younger than this: it is publishing now
    now: Callable[[], dt.datetime] = _now


@dataclass(frozen=True, slots=True)
class PublishResult:
    plan: Plan
    sent_bytes: int
    seconds: float
    unfinished: Journal | None = None       # an earlier publish that had not finished, finished by this one
    location: str = ""                      # where it went: the target's label, or the zip file written


class _Session:
    """Runs each operation on the target, reconnecting and retrying after network trouble."""

    def __init__(self, target: Target, backoff: tuple[float, ...]):
        self.target, self.backoff = target, backoff
        self.broken = False

    def run(self, action: Callable[[], T], rel: str | None) -> T:
        delays = iter(self.backoff)
        while True:
            try:
                if self.broken:
                    self.target.close()
                    self.target.connect()
                    self.broken = False
                return action()
            except PublishFailed:
                raise
            except Exception as exc:    # noqa: BLE001 - each kind of target says what its errors mean
                if not self.target.transient(exc):
                    raise PublishFailed(self.target.explain(exc, rel)) from exc
                delay = next(delays, None)
                if delay is None:
                    raise PublishFailed(problem("publish_connection_lost", self.target, rel)) from exc
                self.broken = True
                time.sleep(delay)


def remote_state(target: Target, session: _Session) -> tuple[dict[str, Entry], Journal | None]:
    """The target's manifest, with the files an unfinished publish may have left added as
    entries of unknown digest (sent again if the site has them, else removed)."""
    stored = session.run(lambda: target.read(MANIFEST), MANIFEST)
    remote: dict[str, Entry] = {}
    if stored is not None:
        try:
            remote = decode_manifest(stored)
        except ValueError:
            raise PublishFailed(problem("publish_manifest_damaged", target, MANIFEST)) from None
    written = session.run(lambda: target.read(JOURNAL), JOURNAL)
    journal = Journal.decode(written) if written is not None else None
    if journal is not None:
        for rel in journal.uploading:
            remote.setdefault(rel, Entry(UNKNOWN, -1))
    return remote, journal


def publish(target: Target, out_dir: Path, local: Mapping[str, Entry], options: PublishOptions = PublishOptions(),
            progress: Progress | None = None) -> PublishResult:
    """Make the target hold the files `local` (read from out_dir). Raises PublishFailed."""
    started = time.perf_counter()
    try:
        target.connect()
    except PublishFailed:
        target.close()
        raise
    except Exception as exc:            # noqa: BLE001 - said by the target
        target.close()
        raise PublishFailed(target.explain(exc, None)) from exc
    session = _Session(target, options.backoff)
    try:
        remote, journal = remote_state(target, session)
        plan = make_plan(local, remote, options.full)
        if options.dry_run or (plan.empty and journal is None):
            return PublishResult(plan, 0, time.perf_counter() - started, journal, target.label)
        if journal is not None:
            age = options.now() - journal.started
            if journal.by != options.computer and age < dt.timedelta(minutes=options.busy_minutes):
                raise PublishFailed(problem("publish_busy", target, None, by=journal.by,
                                            started=journal.started.strftime("%H:%M"), minutes=options.busy_minutes))
            session.run(lambda: target.clean_temp(journal.token), None)
        token = secrets.token_hex(6)
        sent = _send(target, session, out_dir, local, plan, options, progress, token)
        after = {**local, **{rel: remote[rel] for rel in plan.remove}}
        _store(target, session, MANIFEST, encode_manifest(after, options.now(), options.computer), token)
        session.run(lambda: target.delete(JOURNAL), JOURNAL)
        if plan.remove:
            for rel in plan.remove:
                session.run(lambda rel=rel: target.delete(rel), rel)
            folders = {rel.rsplit("/", 1)[0] for rel in plan.remove if "/" in rel}
            parents = {"/".join(f.split("/")[:n]) for f in folders for n in range(1, f.count("/") + 2)}
            session.run(lambda: target.remove_empty_folders(sorted(parents, key=lambda f: (-f.count("/"), f))), None)
            _store(target, session, MANIFEST, encode_manifest(local, options.now(), options.computer), token)
        session.run(lambda: target.clean_temp(token), None)
        return PublishResult(plan, sent, time.perf_counter() - started, journal, target.label)
    finally:
        target.close()


def _store(target: Target, session: _Session, rel: str, data: bytes, token: str) -> None:
    session.run(lambda: target.write(rel, data, f"{token}-{rel}.tmp"), rel)


def _send(target: Target, session: _Session, out_dir: Path, local: Mapping[str, Entry], plan: Plan,
          options: PublishOptions, progress: Progress | None, token: str) -> int:
    """Send the plan's files stage by stage; returns the bytes sent."""
    sends = plan.sends
    _store(target, session, JOURNAL, Journal(token, options.now(), options.computer, sends).encode(), token)
    total_bytes = sum(local[rel].size for rel in sends)
    done = [0, 0]
    if progress:
        progress(0, len(sends), 0, total_bytes)

    counting = threading.Lock()

    def send(rel: str, number: int) -> None:
        session.run(lambda: target.write(rel, out_dir / rel, f"{token}-{number}.tmp"), rel)
        with counting:
            done[0] += 1
            done[1] += local[rel].size
            if progress:
                progress(done[0], len(sends), done[1], total_bytes)

    number = 0
    for stage in stages(sends):
        if target.parallel > 1 and len(stage) > 1:
            with ThreadPoolExecutor(max_workers=target.parallel) as pool:
                futures = [pool.submit(send, rel, number + i) for i, rel in enumerate(stage)]
                try:
                    finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
                finally:                # a failure, or Ctrl+C: what has not started does not start
                    for future in futures:
                        future.cancel()
                for future in finished:
                    future.result()     # the first failure, raised here
        else:
            for i, rel in enumerate(stage):
                send(rel, number + i)
        number += len(stage)
    return done[1]
