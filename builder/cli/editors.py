"""The editors' commands: `new case`/`new site` (options, or questions in a terminal), `review`,
`status` and `init`. Builds nothing; what they write is done by builder.editors, this module
asks, says what was done and picks the exit code."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from builder.cli.console import Console, shown_file, site_relative
from builder.cli.options import EXIT_OK, EXIT_PROBLEMS, add_common, add_lang
from builder.errors import Problem
from builder.model import DEFAULT_SITE_KINDS as SITE_KINDS

# builder.config and builder.editors are imported by the commands that use them: `showcase
# build` with nothing to do (builder.unchanged) never loads them.


def register(sub: argparse._SubParsersAction) -> None:
    """`new`, `review`, `status` and `init` on the `showcase` subparsers."""
    new = sub.add_parser("new", help="create a new case or model site from the standard template")
    new_sub = new.add_subparsers(dest="what", metavar="WHAT", required=True)
    case = new_sub.add_parser("case", help="a new case (asks question by question when run in a terminal)")
    add_common(case)
    case.add_argument("--title", help="the case's title")
    case.add_argument("--site", help="the model site: its folder name or its title")
    case.add_argument("--category", help="one of the categories of site.yaml")
    case.add_argument("--action", action="append", metavar="ACTION",
                      help="a special action of site.yaml (repeatable)")
    case.add_argument("--date", help="date YYYY-MM-DD (default: today)")
    case.add_argument("--slug", help="folder name (default: made from the model site and the title)")
    case.set_defaults(run=cmd_new, doing="doing_new")
    site = new_sub.add_parser("site", help="a new model site (asks question by question when run in a terminal)")
    add_common(site)
    site.add_argument("--title", help="the model site's name")
    site.add_argument("--kind", help="one of `sites: kinds:` in site.yaml (by default: " + ", ".join(SITE_KINDS) + ")")
    site.add_argument("--town", help="the town or street it belongs to")
    site.add_argument("--slug", help="folder name (default: the pinyin of the name)")
    site.set_defaults(run=cmd_new, doing="doing_new")

    review = sub.add_parser("review", help="record the next review stage (review: stages: in site.yaml) in a case, "
                                           "model site or page; or show what changed since the last one (--diff)")
    add_common(review)
    review.add_argument("case", metavar="CASE",
                        help="the folder name, URL name or title of a case, model site or page, or the path of its file")
    review.add_argument("--stage", help="the stage, as named in review: stages: of site.yaml")
    review.add_argument("--by", metavar="NAME", help="the reviewer")
    review.add_argument("--date", help="date of the review YYYY-MM-DD (default: today)")
    review.add_argument("--diff", action="store_true",
                        help="show what changed since the last recorded stage; records nothing")
    review.set_defaults(run=cmd_review, doing="doing_review", parser=review)

    status = sub.add_parser("status", help="list every case with its draft and review state, newest first")
    add_common(status)
    status.set_defaults(run=cmd_status, doing="doing_status")

    init = sub.add_parser("init", help="create a new site with an example case, model site and page")
    init.add_argument("directory", metavar="DIR")
    add_lang(init)
    init.set_defaults(run=cmd_init, doing="doing_init")


# --- new -------------------------------------------------------------------------------------

def cmd_new(args: argparse.Namespace, console: Console) -> int:
    from builder.config import load_config
    from builder.editors import newcase, prompts
    root = Path(args.source)
    site, problems = load_config(root)
    if any(p.is_error for p in problems):
        console.failed(problems, "nothing_created")
        return EXIT_PROBLEMS
    sites = newcase.model_sites(root)
    talk = TerminalConversation(console) if stdin_is_terminal() else None
    today = dt.date.today()
    try:
        if args.what == "site":
            if talk and not (args.title and args.kind):
                answers, problems = prompts.interview_site(talk, sites, kinds=site.sites.kinds), []
                if answers is not None and args.slug:       # the folder the hint for a folder of photos names
                    answers = dataclasses.replace(answers, slug=args.slug)
            else:
                answers, problems = newcase.site_from_options(args.title, args.kind, args.town, args.slug, sites,
                                                              newcase.photo_folders(root, "sites"), site.sites.kinds)
            made, found = newcase.create_site(root, answers) if answers else (None, [])
        else:
            if talk and not (args.title and args.site and args.category):
                if not site.categories:
                    console.failed([Problem("site.yaml", None, "new_no_categories")], "nothing_created")
                    return EXIT_PROBLEMS
                answers, problems = prompts.interview_case(site, sites, talk, today, preset=_preset(args)), []
                if answers is not None and args.slug:       # the folder the hint for a folder of photos names
                    answers = dataclasses.replace(answers, slug=args.slug)
            else:
                answers, problems = newcase.case_from_options(site, sites, args.title, args.site, args.category,
                                                              args.action or [], args.date, args.slug, today,
                                                              newcase.photo_folders(root, "cases"))
            made, found = newcase.create_case(root, answers, sites) if answers else (None, [])
    except (EOFError, KeyboardInterrupt):
        console.error_gap()
        console.error("new_cancelled")
        return EXIT_PROBLEMS
    problems += found
    if made is None:
        console.failed(problems, "nothing_created")
        return EXIT_PROBLEMS
    console.gap()
    console.say("new_created_site" if args.what == "site" else "new_created_case", path=shown_file(made.path))
    if made.site:
        console.say("new_created_its_site", path=shown_file(made.site))
    console.say("new_photos_folder", folder=shown_file(made.folder) + os.sep)
    if args.what == "site":
        console.say("new_next_site")
    else:
        console.say("new_next_case", stage=site.review.stages[0] if site.review.stages else None)
    return EXIT_OK


def _preset(args: argparse.Namespace) -> dict[str, Any]:
    return {"title": args.title, "site": args.site, "category": args.category,
            "actions": args.action, "date": args.date}


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class TerminalConversation:
    """`showcase new`'s questions on the terminal (prompts.Conversation): asked on stdout,
    answered on stdin, in the console's language. Said even with -q: it is a conversation."""

    def __init__(self, console: Console):
        self.console = console

    def ask(self, code: str, /, **params: Any) -> str:
        prompt = self.console.text(code, **params)
        if prompt[-1:].isascii():       # 'Title: ', where a Chinese prompt ends in a full-width '：'
            prompt += " "
        self.console.out.write(prompt)
        self.console.out.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def say(self, code: str, /, **params: Any) -> None:
        print(self.console.text(code, **params), file=self.console.out, flush=True)

    def item(self, code: str, /, **params: Any) -> None:
        print("  " + self.console.text(code, **params), file=self.console.out, flush=True)

    def gap(self) -> None:
        print("", file=self.console.out, flush=True)


# --- review ----------------------------------------------------------------------------------

def cmd_review(args: argparse.Namespace, console: Console) -> int:
    from builder.config import load_config
    from builder.editors import newcase
    from builder.editors.review import find_item, record
    if not args.diff and (args.stage is None or args.by is None):
        args.parser.error(console.text("review_needs_stage_and_by"))
    root = Path(args.source)
    site, problems = load_config(root)
    if any(p.is_error for p in problems):
        console.failed(problems, "review_not_recorded")
        return EXIT_PROBLEMS
    date, problems = newcase.date_option(args.date, dt.date.today())
    if date is None:
        console.failed(problems, "review_not_recorded")
        return EXIT_PROBLEMS
    path, problems = find_item(root, args.case)
    if path is None:
        console.failed(problems, "review_not_recorded")
        return EXIT_PROBLEMS
    shown = site_relative(path, root)
    if args.diff:
        return _show_diff(root, path, shown, site, console)
    recorded, problems = record(root, path, shown, args.stage, args.by, date, site)
    if recorded is None:
        console.failed(problems, "review_not_recorded_unchanged")
        return EXIT_PROBLEMS
    r = recorded.review
    console.say("review_recorded_again" if recorded.again else "review_recorded",
                stage=r.stage, by=r.by, date=r.date.isoformat(), path=shown)
    done = console.text("list_separator_entries").join(
        console.text("review_entry", stage=x.stage, by=x.by, date=x.date.isoformat()) for x in recorded.done)
    console.say("review_done", done=done)
    if recorded.waiting:
        console.say("review_still_to_come", waiting=recorded.waiting)
    else:
        console.say("review_complete")
        if recorded.draft:
            console.say("review_still_draft")
    return EXIT_OK


def _show_diff(root: Path, path: Path, shown: str, site, console: Console) -> int:
    from builder.editors.review import review_diff
    """`showcase review CASE --diff`: what changed since the latest recorded stage."""
    diff, problems = review_diff(root, path, shown, site)
    if diff is None:
        console.failed(problems, "review_diff_failed")
        return EXIT_PROBLEMS
    if diff.stage is None:
        console.say("review_diff_nothing_recorded", path=shown)
        return EXIT_OK
    when = {"stage": diff.stage, "date": diff.date.isoformat(), "path": shown}
    if not diff.stale:
        console.say("review_diff_unchanged", **when)
        return EXIT_OK
    if not diff.copy:
        console.say("review_diff_no_copy", **when)
        return EXIT_OK
    if not diff.changes:
        console.say("review_diff_photos_only", **when)
        return EXIT_OK
    console.say("review_diff_head", count=len(diff.changes), **when)
    for change in diff.changes:
        console.say("review_diff_at", line=change.line)
        for text in change.removed:
            console.item("review_diff_removed", text=text)
        for text in change.added:
            console.item("review_diff_added", text=text)
    return EXIT_OK


# --- status ----------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace, console: Console) -> int:
    from builder.editors.status import case_statuses, format_table
    root = Path(args.source)
    if not (root / "site.yaml").is_file():
        console.failed([Problem("site.yaml", None, "config_missing")], "status_cannot_list")
        return EXIT_PROBLEMS
    site, rows, problems = case_statuses(root)
    console.problems(problems)
    console.show(format_table(rows, site, console.lang))
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


# --- init ------------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace, console: Console) -> int:
    from builder.editors.scaffold import init_site
    target = Path(args.directory)
    problem = init_site(target, console.text("init_default_name"))
    if problem:
        console.failed([problem], "nothing_created")
        return EXIT_PROBLEMS
    console.say("init_done", path=str(target))
    return EXIT_OK
