"""Printing for people: every line is a message of the catalogue, said in the language chosen with
--lang, and a console that cannot show a character (a Windows console in GBK) gets '?' for it
instead of a crash. Also the one updating line of progress while photos are made."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from builder import i18n
from builder.errors import Problem
from builder.i18n import Phrase


class Console:
    """`say` for what was done (stdout, silent with -q), `error` for what went wrong (stderr, with
    the message's hint), `detail` for -v. Each takes a message code and its named values."""

    def __init__(self, lang: str = "zh", quiet: bool = False, verbose: bool = False,
                 out: TextIO | None = None, err: TextIO | None = None):
        self.lang, self.quiet, self.verbose = i18n.language(lang), quiet, verbose
        self.out = _tolerant(out or sys.stdout)
        self.err = _tolerant(err or sys.stderr)

    def text(self, code: str, /, **params: Any) -> str:
        """The message in the console's language, for a caller that lays it out itself."""
        return i18n.text(code, self.lang, **params)

    def phrase(self, phrase: Phrase) -> str:
        return i18n.text(phrase.code, self.lang, **phrase.params)

    def say(self, code: str, /, **params: Any) -> None:
        if not self.quiet:
            self._print(self.text(code, **params))

    def item(self, code: str, /, **params: Any) -> None:
        """A line of a list, indented under the line that introduced it."""
        if not self.quiet:
            self._print("  " + self.text(code, **params))

    def gap(self) -> None:
        """An empty line before a new part of the summary."""
        if not self.quiet:
            self._print("")

    def always(self, code: str, /, **params: Any) -> None:
        """Said even with -q (the one line about new photos replaces the progress line)."""
        self._print(self.text(code, **params))

    def detail(self, code: str, /, **params: Any) -> None:
        if self.verbose:
            self._print(self.text(code, **params))

    def show(self, text: str) -> None:
        """Text already worded from the catalogue (a table), as it is."""
        if not self.quiet:
            self._print(text)

    def error(self, code: str, /, **params: Any) -> None:
        """On stderr: the message, then its hint on an indented line like a problem's."""
        text = self.text(code, **params)
        hint = i18n.hint(code, self.lang, **params)
        if hint:
            text += "\n    " + i18n.text("label_hint", self.lang) + hint
        print(text, file=self.err, flush=True)

    def error_gap(self) -> None:
        print("", file=self.err, flush=True)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            print(problem.format(self.lang), file=self.err, flush=True)

    def failed(self, problems: Sequence[Problem], code: str = "build_failed") -> None:
        """Every problem, then one line that says what did not happen and how many problems stopped it."""
        self.problems(problems)
        self.error(code, count=sum(1 for p in problems if p.is_error))

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _tolerant(stream: TextIO) -> TextIO:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream


def shown_folder(path: Path) -> str:
    """An output folder as the user sees it: relative to where they are when it is below it."""
    try:
        return str(path.relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(path)


def shown_file(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def site_relative(path: Path, root: Path) -> str:
    """A file of the site as problems name it: relative to the site root, '/'-separated."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def timings(seconds: dict[str, float]) -> tuple[Phrase, ...]:
    """The -v line's stage timings, each said in the console's language."""
    return tuple(Phrase("timing", {"stage": stage, "seconds": spent}) for stage, spent in seconds.items())


class PhotoProgress:
    """Progress of the photo work on one updating line: only when many photos are new and
    stdout is a terminal; `-q`, pipes and CI logs get the summary line at the end instead."""

    MIN_PHOTOS = 4

    def __init__(self, console: Console, clock: Callable[[], float] = time.monotonic):
        self.console, self.clock = console, clock
        self.started = 0.0
        self.width = 0          # columns of the line on screen, to blank it out (no ANSI codes:
                                # an old Windows console would print them)
        isatty = getattr(console.out, "isatty", None)
        self.live = not console.quiet and bool(isatty and isatty())

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            self.started = self.clock()
        if not self.live or total < self.MIN_PHOTOS:
            return
        out = self.console.out
        if done >= total:
            if self.width:
                print("\r" + " " * self.width + "\r", end="", file=out, flush=True)
            return
        seconds = round((self.clock() - self.started) / done * (total - done)) if done else None
        text = self.console.text("photos_progress", done=done, total=total, seconds=seconds)
        width = sum(2 if ord(char) >= 0x2E80 else 1 for char in text)
        print("\r" + text + " " * max(0, self.width - width), end="", file=out, flush=True)
        self.width = max(self.width, width)
