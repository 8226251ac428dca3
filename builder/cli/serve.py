"""`showcase serve`: the preview in the browser, and the words for what the preview server
reports to the terminal (the server itself prints nothing).

builder.preview.server is imported inside the two functions that use it, not at the top: it
loads tornado and asyncio, about a tenth of a second that every other command would pay at start."""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from builder.cli.build import counted_sites
from builder.cli.console import Console, timings
from builder.cli.options import EXIT_OK, EXIT_PROBLEMS, add_common
from builder.errors import Problem

if TYPE_CHECKING:
    from builder.preview.server import PortUnavailable

CHANGED_SHOWN = 3       # files named in the "changed" line; more are counted


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="preview the site in the browser; rebuilds and reloads on every save")
    add_common(serve)
    serve.add_argument("--port", "-p", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: the local network too)")
    serve.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                       help="show drafts and future cases, marked (default); --no-drafts: only what a build publishes")
    serve.add_argument("--open", action="store_true", help="open the preview in the web browser")
    serve.add_argument("--edit", action=argparse.BooleanOptionalAction, default=True,
                       help="the editing desk at /_edit/ (default); --no-edit: the preview only")
    serve.set_defaults(run=cmd_serve, doing="doing_serve", parser=serve)


def cmd_serve(args: argparse.Namespace, console: Console) -> int:
    if not 0 <= args.port <= 65535:
        args.parser.error(console.text("serve_bad_port", port=args.port))     # a usage error: exit code 2
    from builder.preview import server      # tornado: only for this command (see the docstring)
    root = Path(args.source)
    if not (root / "site.yaml").is_file():
        console.failed([Problem("site.yaml", None, "config_missing")])
        return EXIT_PROBLEMS
    options = server.ServeOptions(host=args.host, port=args.port, drafts=args.drafts, lang=args.lang,
                                  open_browser=args.open)
    desk = None
    if args.edit:
        from builder.desk.desk import Desk
        desk = Desk(root, args.lang, args.host)
    try:
        server.serve(root, options, ServeReport(console), desk)
    except server.PortUnavailable as exc:
        say_port_unavailable(console, exc)
        return EXIT_PROBLEMS
    console.say("serve_stopped")
    return EXIT_OK


def say_port_unavailable(console: Console, exc: PortUnavailable) -> None:
    if exc.in_use:
        console.error("serve_port_in_use", port=exc.port, free=exc.free)
    else:
        console.error("serve_cannot_listen", host=exc.host, port=exc.port, reason=exc.reason, free=exc.free)


class ServeReport:
    """Words the preview server's events for the terminal."""

    def __init__(self, console: Console):
        self.console = console
        self.warnings: tuple[Problem, ...] = ()

    def __call__(self, event: object) -> None:
        from builder.preview import server      # tornado: only for this command (see the docstring)
        c, now = self.console, time.strftime("%H:%M:%S")
        if isinstance(event, server.Listening):
            c.say("serve_listening", url=event.url)
            if event.desk_url:
                c.say("serve_desk", url=event.desk_url)
            if event.access_code:
                c.say("serve_access_code", code=event.access_code)
            if event.public:
                c.error("serve_public")
                if event.network_urls:
                    c.say("serve_network", urls="  ".join(event.network_urls))
        elif isinstance(event, server.Rebuilding):
            many = len(event.paths) > CHANGED_SHOWN
            c.say("serve_changed", time=now, paths=tuple(event.paths[:CHANGED_SHOWN]),
                  total=len(event.paths) if many else None)
        elif isinstance(event, server.Rebuilt):
            model, seconds = event.result.model, event.result.seconds
            if event.result.warnings != self.warnings:
                c.problems(event.result.warnings)
                self.warnings = event.result.warnings
            if event.first:
                c.say("serve_ready", time=now, cases=len(model.cases), sites=counted_sites(len(model.sites), model.site),
                      seconds=seconds)
            elif event.reloaded:
                c.say("serve_updated", time=now, seconds=seconds)
            else:
                c.say("serve_unchanged", time=now)
            c.detail("timings", timings=timings(event.result.timings))
        elif isinstance(event, server.BuildFailed):
            self.warnings = ()
            c.failed(event.problems, "serve_build_failed")   # serve_failed says what the preview shows
            c.error("serve_failed", time=now)
        elif isinstance(event, server.Crashed):
            print(event.detail, file=c.err, flush=True)
            c.error("serve_crashed", time=now)
