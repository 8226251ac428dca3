"""`showcase import FILE.docx` and `showcase import FOLDER`: Word documents become draft cases.
The work is builder.importer's; this module checks the options, asks in a terminal when a
document does not say its model site or category, says what was made and what to check, and
picks the exit code (1 when any document was not imported)."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from builder.cli.console import Console, shown_file
from builder.cli.editors import TerminalConversation, stdin_is_terminal
from builder.cli.options import EXIT_OK, EXIT_PROBLEMS, add_common
from builder.errors import Problem

if TYPE_CHECKING:                  # the commands import what they use: `showcase build` loads none of it
    from builder.importer.run import Options, Outcome

WORD_SUFFIXES = (".docx", ".docm")
NAME_WIDTH = 40                 # display columns of a file name in the folder table


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="make draft cases of Word documents (.docx), with their photos")
    parser.add_argument("path", metavar="FILE_OR_FOLDER", help="a .docx file, or a folder: every .docx in it")
    add_common(parser)
    parser.add_argument("--site", help="the model site: its folder name or its name (default: the one the document names)")
    parser.add_argument("--category", help="one of the categories of site.yaml (default: from the model site's kind)")
    parser.add_argument("--date", help="date YYYY-MM-DD (default: the date written in the document, else today)")
    parser.add_argument("--slug", help="folder name of the new case (one document only)")
    parser.add_argument("--convert", action="store_true",
                        help="convert .doc and .wps files with LibreOffice (soffice --headless) where it is installed")
    parser.set_defaults(run=cmd_import, doing="doing_import")


def cmd_import(args: argparse.Namespace, console: Console) -> int:
    from builder.config import load_config
    from builder.importer.guess import known_sites
    from builder.importer.run import import_file
    root = Path(args.source)
    site, problems = load_config(root)
    if any(p.is_error for p in problems):
        console.failed(problems, "import_nothing_created")
        return EXIT_PROBLEMS
    target = Path(args.path)
    files, problems = _documents(target, args.slug)
    sites = known_sites(root)
    options, found = _options(args, site, sites)
    problems += found
    if problems:
        console.failed(problems, "import_nothing_created")
        return EXIT_PROBLEMS
    talk = TerminalConversation(console) if stdin_is_terminal() else None
    today = dt.date.today()
    outcomes = [import_file(root, path, site, sites, options, today, talk) for path in files]
    if target.is_dir():
        _say_table(console, outcomes)
    else:
        _say_one(console, outcomes[0], site.review.stages)
    return EXIT_OK if all(o.index for o in outcomes) else EXIT_PROBLEMS


def _documents(target: Path, slug: str | None) -> tuple[list[Path], list[Problem]]:
    from builder.importer.convert import OLD_SUFFIXES
    if target.is_dir():
        if slug:
            return [], [Problem("", None, "import_slug_for_one")]
        files = sorted(p for p in target.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
                       and p.suffix.lower() in WORD_SUFFIXES + OLD_SUFFIXES)       # ~$: Word's lock file
        if not files:
            return [], [Problem(str(target), None, "import_folder_empty", {"path": str(target)})]
        return files, []
    if not target.is_file():
        return [], [Problem(str(target), None, "import_no_such_file", {"path": str(target)})]
    return [target], []


def _options(args: argparse.Namespace, site, sites) -> tuple[Options, list[Problem]]:
    """The options, each checked once for every document: a model site that exists, a category
    of site.yaml, a real date, a folder name that is a slug."""
    from builder.editors import newcase
    from builder.importer.run import Options
    from builder.slugs import is_slug
    from builder.yamlio.fields import choice_params, suggestion_params
    problems: list[Problem] = []
    if args.site:
        names = [n for s in sites for n in (s.choice.slug, *s.names)]
        if args.site.strip() not in names:
            slugs = [s.choice.slug for s in sites]
            problems.append(Problem("", None, "new_unknown_site", {"value": args.site, **choice_params(slugs),
                                                                  **suggestion_params(args.site, names)}))
    if args.category and args.category.strip() not in site.categories:
        problems.append(Problem("", None, "unknown_category", {"value": args.category, **choice_params(site.categories),
                                                               **suggestion_params(args.category, site.categories)}))
    date = None
    if args.date:
        date, found = newcase.date_option(args.date, dt.date.today())
        problems += found
    if args.slug and not is_slug(args.slug):
        problems.append(Problem("", None, "bad_slug", {"value": args.slug}))
    return Options(args.site, args.category, date, args.slug, args.convert), problems


def _say_one(console: Console, outcome: Outcome, stages: tuple[str, ...]) -> None:
    if outcome.index is None:
        console.failed(list(outcome.problems) + list(outcome.warnings), "import_nothing_created")
        return
    console.say("import_done", file=outcome.shown, path=shown_file(outcome.index))
    _say_photos(console, outcome)
    console.gap()
    console.say("import_check")
    for code, value, origin in outcome.guesses:
        console.item(code, value=value, origin=origin)
    console.gap()
    console.say("import_next", stage=stages[0] if stages else None)
    if outcome.warnings:
        console.error_gap()
        console.problems(outcome.warnings)


def _say_photos(console: Console, outcome: Outcome) -> None:
    photos = outcome.draft.photos if outcome.draft else ()
    if photos:
        uncaptioned = sum(1 for p in photos if not p.caption)
        console.say("import_photos", count=len(photos), uncaptioned=uncaptioned or None)
    else:
        console.say("import_no_photos")


def _say_table(console: Console, outcomes: list[Outcome]) -> None:
    from builder.content.load import truncate_display
    head = tuple(console.text(f"import_table_{c}") for c in ("file", "case", "photos", "warnings"))
    rows = [head]
    for o in outcomes:
        name = truncate_display(Path(o.shown).name, NAME_WIDTH)
        if o.index is None:
            rows.append((name, console.text("import_table_not_imported"), "", ""))
        else:
            rows.append((name, o.index.parent.name, str(len(o.draft.photos)), str(len(o.warnings)) if o.warnings else ""))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(text + " " * (widths[i] - _width(text)) for i, text in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    console.show("\n".join(lines))
    for o in outcomes:
        if o.problems or o.warnings:
            console.error_gap()
            console.problems(list(o.problems) + list(o.warnings))
    failed = sum(1 for o in outcomes if o.index is None)
    console.gap()
    console.say("import_summary", count=len(outcomes), done=len(outcomes) - failed, failed=failed or None)
    if failed < len(outcomes):
        console.say("import_next", stage=None)


def _width(text: str) -> int:
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)
