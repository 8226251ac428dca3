"""What every command shares: the exit codes it ends with, the options every command takes
(--source, --lang, -q, -v), and the build options made from them."""
from __future__ import annotations

import argparse
from pathlib import Path

from builder.request import BuildOptions

EXIT_OK = 0             # done
EXIT_PROBLEMS = 1       # problems in the user's files, or a file that could not be read or written
EXIT_USAGE = 2          # a usage error (argparse's convention) ...
EXIT_INTERNAL = 2       # ... or a bug in showcase: said plainly, the traceback in a log file
EXIT_INTERRUPTED = 130  # stopped with Ctrl+C (128 + SIGINT, as shells report it)


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", "-s", default=".", metavar="DIR", help="site folder (default: current folder)")
    add_lang(parser)
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print problems only (and one line when new photos were processed)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print stage timings")


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default: zh)")


def add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include cases with draft: true")
    parser.add_argument("--future", action="store_true", help="include cases dated in the future")


def build_options(args: argparse.Namespace, write: bool) -> BuildOptions:
    return BuildOptions(output=Path(args.output) if getattr(args, "output", None) else None,
                        base_url=getattr(args, "base_url", None),
                        relative=True if getattr(args, "relative", False) else None,
                        drafts=args.drafts, future=args.future, write=write)
