"""`showcase publish [NAME]`: build (incrementally), then put the site on a target of site.yaml,
uploading only what changed. Only a clean build goes out: any build error, a preview build, or
an output folder showcase did not make stops it before anything is sent. Secrets come from the
environment or are asked for at the terminal, never shown."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import os
import sys
import time
from pathlib import Path
from typing import Callable, Mapping, TYPE_CHECKING

from builder.cli.build import say_held_back
from builder.cli.console import Console, PhotoProgress
from builder.cli.options import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, add_common
from builder.errors import BuildError, Problem, errors_in
from builder.i18n import Phrase
from builder.model import PublishTarget

if TYPE_CHECKING:                  # the commands import what they use: `showcase build` loads none of it
    from builder.publish.run import PublishOptions, PublishResult

PLAN_SHOWN = 30                 # lines of each kind a dry run lists without -v
SECRET_WORDS = {"PASSWORD": "publish_secret_password", "PASSPHRASE": "publish_secret_passphrase",
                "ACCESS_KEY": "publish_secret_access_key", "SECRET_KEY": "publish_secret_secret_key"}


def register(sub: argparse._SubParsersAction) -> None:
    publish_cmd = sub.add_parser("publish", help="build, then upload what changed to a target of site.yaml (publish: targets:)")
    add_common(publish_cmd)
    publish_cmd.add_argument("target", nargs="?", metavar="NAME", help="the target's name (default: the first in site.yaml)")
    publish_cmd.add_argument("--dry-run", action="store_true",
                             help="list what would be uploaded, replaced and removed; change nothing")
    publish_cmd.add_argument("--full", action="store_true",
                             help="upload every file again, whatever the target's record of the last publish says")
    publish_cmd.set_defaults(run=cmd_publish, doing="doing_publish")


def cmd_publish(args: argparse.Namespace, console: Console,
                ask: Callable[[str], str] | None = None, options: PublishOptions | None = None) -> int:
    from builder.build import BuildOptions, CACHE_DIR, build_site
    from builder.config import load_config
    from builder.editors.status import held_back
    from builder.publish.gate import built_files, publishable
    from builder.publish.manifest import local_entries
    from builder.publish.run import PublishOptions, publish
    from builder.publish.target import PublishFailed
    from builder.publish.targets import check_local_folder, choose, open_target, public_url
    root = Path(args.source).resolve()
    site, problems = load_config(root)
    if errors_in(problems):
        console.failed(problems, "publish_build_failed")
        return EXIT_PROBLEMS
    chosen = choose(site, args.target)
    if isinstance(chosen, Problem):
        console.failed([chosen], "publish_not_done")
        return EXIT_PROBLEMS
    environ, problem = gather_secrets(chosen, console, ask, root)
    if problem is not None:
        console.failed([problem], "publish_not_done")
        return EXIT_PROBLEMS

    # The gate: a clean build of the public site, made now (only what changed is made again).
    output = root / CACHE_DIR / "publish" / chosen.name if chosen.relative else None
    try:
        result = build_site(root, BuildOptions(output=output, relative=True if chosen.relative else None,
                                               progress=PhotoProgress(console)))
    except BuildError as exc:
        console.failed(exc.problems, "publish_build_failed")
        return EXIT_PROBLEMS
    console.problems(result.warnings)
    if result.model.held_back:
        say_held_back(console, held_back(result.model))
        console.gap()
    out_dir = result.out_dir
    refusal = publishable(out_dir)
    if refusal is None and chosen.kind in ("folder", "zip"):
        refusal = check_local_folder(chosen, root, out_dir)
    if refusal is not None:
        console.failed([refusal], "publish_not_done")
        return EXIT_PROBLEMS

    local = local_entries(out_dir, built_files(out_dir), root / CACHE_DIR / "publish" / f"digests-{chosen.name}.json")
    target = open_target(chosen, root, site, environ)
    console.say("publish_to", target=chosen.name, where=target.label)
    progress = TransferProgress(console)
    options = dataclasses.replace(options or PublishOptions(), dry_run=args.dry_run, full=args.full)
    try:
        if chosen.kind == "zip":
            from builder.publish.archive import publish_zip
            outcome = publish_zip(target, out_dir, local, dt.date.today(), options, progress)
        else:
            outcome = publish(target, out_dir, local, options, progress)
    except PublishFailed as exc:
        progress.clear()
        console.problems([exc.problem])
        console.error("publish_failed")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        progress.clear()
        console.error_gap()
        console.error("publish_interrupted")
        return EXIT_INTERRUPTED
    progress.clear()
    report(console, chosen, outcome, public_url(chosen, site), args.dry_run)
    return EXIT_OK


def gather_secrets(target: PublishTarget, console: Console, ask: Callable[[str], str] | None,
                   root: Path | None = None) -> tuple[Mapping[str, str], Problem | None]:
    """The environment, with what is missing asked for at the terminal (without echo). `root`:
    the site folder, where a target's key file is looked at (is it encrypted?)."""
    from builder.publish.targets import missing_secrets
    environ = dict(os.environ)
    missing = missing_secrets(target, environ, root)
    if not missing:
        return environ, None
    if ask is None:
        if not sys.stdin.isatty():
            return environ, Problem("site.yaml", target.line, "publish_secret_missing",
                                    {"target": target.name, "variables": missing})
        ask = getpass.getpass
    where = open_target_label(target)
    for name in missing:
        what = Phrase(next(code for suffix, code in SECRET_WORDS.items() if name.endswith("_" + suffix)))
        question = console.text("publish_ask_secret", target=target.name, where=where, what=what)
        environ[name] = ask(question + " " if question[-1:].isascii() else question)   # a space after ':', not after '：' 
    return environ, None


def open_target_label(target: PublishTarget) -> str:
    """The label of a target before it is opened (what the question names)."""
    if target.kind == "s3":
        return f"{target.endpoint}/{target.bucket}"
    return f"{target.user}@{target.host}"


def report(console: Console, target: PublishTarget, outcome: PublishResult, url: str, dry_run: bool) -> None:
    plan = outcome.plan
    if dry_run:
        console.say("publish_dry_run", upload=len(plan.upload), replace=len(plan.replace), remove=len(plan.remove),
                    unchanged=len(plan.unchanged))
        for code, paths in (("publish_plan_upload", plan.upload), ("publish_plan_replace", plan.replace),
                            ("publish_plan_remove", plan.remove)):
            shown = paths if console.verbose else paths[:PLAN_SHOWN]
            for path in shown:
                console.item(code, path=path)
            if len(paths) > len(shown):
                console.item("publish_plan_more", count=len(paths) - len(shown))
        return
    if outcome.unfinished is not None:
        console.say("publish_finished_earlier", by=outcome.unfinished.by,
                    started=outcome.unfinished.started.strftime("%Y-%m-%d %H:%M"))
    if plan.empty and not outcome.sent_bytes:
        console.say("publish_nothing", target=target.name, unchanged=len(plan.unchanged))
    else:
        console.say("publish_done", upload=len(plan.upload), replace=len(plan.replace), remove=len(plan.remove),
                    unchanged=len(plan.unchanged), size=outcome.sent_bytes / 1e6, seconds=outcome.seconds)
    if target.kind == "zip":
        console.say("publish_zip_written", path=outcome.location)
    elif target.kind == "folder":
        console.say("publish_folder_written", path=outcome.location)
        if target.relative:
            console.say("publish_folder_open")
    if url:
        console.say("publish_url", url=url)


class TransferProgress:
    """Files and bytes sent, on one updating line, only in a terminal (like the photos' line)."""

    def __init__(self, console: Console, every: float = 0.1):
        self.console, self.every = console, every
        self.width, self.shown_at = 0, 0.0
        isatty = getattr(console.out, "isatty", None)
        self.live = not console.quiet and bool(isatty and isatty())

    def __call__(self, done: int, total: int, sent: int, size: int) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if done < total and now - self.shown_at < self.every:
            return
        self.shown_at = now
        text = self.console.text("publish_progress", done=done, total=total, sent=sent / 1e6, size=size / 1e6)
        width = sum(2 if ord(char) >= 0x2E80 else 1 for char in text)
        print("\r" + text + " " * max(0, self.width - width), end="", file=self.console.out, flush=True)
        self.width = max(self.width, width)

    def clear(self) -> None:
        if self.live and self.width:
            print("\r" + " " * self.width + "\r", end="", file=self.console.out, flush=True)
            self.width = 0
