"""`showcase`: the parser (each group of commands registers its own), dispatch, and how the
process ends. Every way out says something; the exit code tells a script which way it was:

    0    done
    1    problems in the user's files (each listed with its file and line), or a file of theirs
         that could not be read or written (no permission, disk full, not UTF-8: named, with a hint)
    2    a usage error (argparse's convention: wrong option), or an internal error: a bug in
         showcase, said plainly, its traceback in .cache/logs/crash-….log whose path is printed
    130  stopped with Ctrl+C ("已停止" / "Stopped"), as a shell reports a command it interrupted
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from builder import __version__
from builder.cli import booklet, build, editors, importing, publish, serve
from builder.cli.console import Console
from builder.cli.crash import explain
from builder.cli.options import EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_USAGE

EXIT_CODES = """\
exit codes:
  0    done
  1    problems in the site's files (each listed), or a file that cannot be read or written
  2    usage error, or an internal error (its traceback goes to .cache/logs/, path printed)
  130  stopped with Ctrl+C
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Build a governance showcase website from Markdown case folders.")
    parser.add_argument("--version", action="version", version=f"showcase {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build.register(sub)
    serve.register(sub)
    editors.register(sub)
    importing.register(sub)
    publish.register(sub)
    booklet.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (argparse raises SystemExit for usage errors)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    console = Console(lang=args.lang, quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        return args.run(args, console)
    except BrokenPipeError:
        raise                       # the reader went away: run() ends quietly, nowhere to say more
    except KeyboardInterrupt:
        console.error_gap()
        console.error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:        # noqa: BLE001 - every way out says something (see the docstring)
        return explain(exc, args.doing, _site_root(args), console, argv)


def _site_root(args: argparse.Namespace) -> Path | None:
    """Where a crash log goes: the site's .cache/ (not for init: the new folder must stay as it was)."""
    folder = getattr(args, "source", None)
    return Path(folder) if folder else None


def run() -> NoReturn:
    """The console script (and python -m builder): main(), then leave at once. Everything is
    written and flushed by then; tearing down the interpreter's heap would only add a few
    tenths of a second after a big build."""
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_PROBLEMS        # the reader went away (showcase build | head -1): nowhere left to say more
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED     # before a command started (while loading): nothing to say yet
    os._exit(code)
