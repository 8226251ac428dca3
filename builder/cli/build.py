"""`showcase build` and `showcase check`: the two commands that build the whole site, one writing
the output folder, the other writing nothing and inspecting everything; and the summary they
share of the cases a build leaves out."""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Sequence

from builder import unchanged
from builder.cli.console import Console, PhotoProgress, shown_file, shown_folder, timings
from builder.cli.options import EXIT_OK, EXIT_PROBLEMS, add_common, add_selection, build_options
from builder.errors import BuildError
from builder.i18n import Phrase
from builder.model import Site

# The build itself, the checks and the editors' status are imported where they are used: a
# build with nothing to do (builder.unchanged) never loads them.

HELD_BACK_SHOWN = 30


def register(sub: argparse._SubParsersAction) -> None:
    build = sub.add_parser("build", help="build the site into the output folder")
    add_common(build)
    add_selection(build)
    build.add_argument("--output", "-o", metavar="DIR", help="output folder (default: output_dir in site.yaml)")
    build.add_argument("--base-url", metavar="URL",
                       help="the address the site is published at, e.g. https://example.gov.cn/showcase/")
    build.add_argument("--relative", action="store_true",
                       help="relative links, so output/ also works opened from disk (file://)")
    build.set_defaults(run=cmd_build, doing="doing_build")

    check = sub.add_parser("check", help="check everything a build checks, writing nothing")
    add_common(check)
    add_selection(check)
    check.add_argument("--html", metavar="FILE", help="also write a report a reviewer can open in a browser")
    check.add_argument("--strict", action="store_true", help="fail (exit code 1) on warnings too")
    check.set_defaults(run=cmd_check, doing="doing_check")


# --- build -----------------------------------------------------------------------------------

def cmd_build(args: argparse.Namespace, console: Console) -> int:
    options = dataclasses.replace(build_options(args, write=True), progress=PhotoProgress(console))
    root = Path(args.source)
    same = _nothing_changed(root, options)
    if isinstance(same, unchanged.Unchanged):
        summary = same.summary
        _say_built(console, args, summary.cases, summary.sites, summary.pages, summary.files, 0, summary.files, 0,
                   same.seconds, same.out_dir, 0, summary.images_cached, 0.0, summary.held_back, summary.standing,
                   summary.site, summary.warnings, summary.preview, {"check": same.seconds})
        return EXIT_OK
    from builder.build import build_site
    try:
        result = build_site(root, options, looked=same)
    except BuildError as exc:
        # Only a failure while writing can have changed the output (the marker then says so).
        writing = any(p.code == "output_write_failed" for p in exc.problems)
        console.failed(exc.problems, "build_failed_writing" if writing else "build_failed")   # (with what became of the output)
        return EXIT_PROBLEMS
    model, stats = result.model, result.stats
    _say_built(console, args, len(model.cases), len(model.sites), len(model.pages), len(result.outputs),
               stats.written, stats.unchanged, stats.removed, result.seconds, result.out_dir, result.images_made,
               result.images_cached, result.timings.get("images", 0), model.held_back, model.standing, model.site,
               result.warnings, result.preview, result.timings)
    return EXIT_OK


def _nothing_changed(root: Path, options) -> unchanged.Unchanged | unchanged.Looked | None:
    """The last build's summary when no source changed since it (builder.unchanged), else what
    was seen (for the build to note), or None."""
    if not root.is_dir():
        return None
    root = root.resolve()
    key = unchanged.options_key(root, options.output, options.drafts, options.future, options.base_url,
                                options.relative)
    return unchanged.look(root, key, unchanged.packaged_themes_dir())


def _say_built(console: Console, args: argparse.Namespace, cases: int, sites: int, pages: int, files: int,
               written: int, unchanged: int, removed: int, seconds: float, out_dir: Path, images_made: int,
               images_cached: int, images_seconds: float, held: Sequence, standing: dict, site: Site | None,
               warnings: Sequence, preview: bool, stage_timings: dict[str, float]) -> None:
    console.problems(warnings)
    out = shown_folder(out_dir)
    console.say("build_done", cases=cases, sites=counted_sites(sites, site), pages=pages, files=files,
                written=written, unchanged=unchanged, removed=removed, seconds=seconds, out=out)
    if images_made or (images_cached and not console.quiet):
        # New photos get their one summary line even with -q (issue 3): it replaces the progress line.
        console.always("build_photos", made=images_made, cached=images_cached, seconds=images_seconds)
    if held:
        from builder.editors.status import held_back_items
        say_held_back(console, held_back_items(held, standing))
    elsewhere = Path(args.source).resolve() != Path.cwd().resolve()
    if preview:                         # the last word: this output is not for the web server
        console.error_gap()
        console.error("build_preview_only", out=out,
                      flags=" ".join(f for f, on in (("--drafts", args.drafts), ("--future", args.future)) if on))
    else:
        console.say("build_next", source=args.source if elsewhere else None, out=out)
    console.detail("timings", timings=timings(stage_timings))


def counted_sites(count: int, site: Site | None) -> Phrase:
    """'18 个示范点', or with the site's own word for them (site.yaml `sites: label`) '18 个典型单位'."""
    label = site.sites.label if site else ""
    return Phrase("count_sites_labelled", {"count": count, "label": label}) if label else Phrase("count_sites", {"count": count})


def say_held_back(console: Console, rows: Sequence) -> None:
    """The summary's list of what was left out, with the reason (and the stage waited for)."""
    console.gap()
    console.say("held_back", count=len(rows))
    for row in rows[:HELD_BACK_SHOWN]:
        console.item("held_back_item", title=row.title, source=row.source, reason=row.reason)
    if len(rows) > HELD_BACK_SHOWN:
        console.item("held_back_more", count=len(rows) - HELD_BACK_SHOWN)


# --- check -----------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from builder.build import build_site
    from builder.checks.report import render_report
    from builder.checks.run import check_site
    from builder.editors.status import held_back_items
    root = Path(args.source)
    outputs = None
    try:
        result = build_site(root, build_options(args, write=False))
        build_problems = list(result.warnings)
        outputs = result.outputs
    except BuildError as exc:
        build_problems = list(exc.problems)
    report = check_site(root, build_problems, outputs, drafts=args.drafts, future=args.future)
    console.problems(report.problems)
    if report.external_links:
        console.gap()
        console.say("check_external_links", count=len(report.external_links))
        for link in report.external_links:
            console.item("check_external_link", where=link.path + (f":{link.line}" if link.line else ""), url=link.url)
    held = held_back_items(report.held_back, report.standing) if report.site else []
    if held:
        say_held_back(console, held)
    if args.html:
        target = Path(args.html)
        rows = [(row.title, row.source, console.phrase(row.reason)) for row in held]
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_report(report, rows, console.lang), encoding="utf-8", newline="\n")
        except OSError as exc:
            console.error("check_report_unwritable", path=str(target), reason=exc.strerror or str(exc))
            return EXIT_PROBLEMS
        console.say("check_report_written", path=shown_file(target))
    errors, warnings, c = len(report.errors), len(report.warnings), report.counts
    counted = Phrase("check_counted", {
        "cases": c.get("cases", 0), "sites": counted_sites(c.get("sites", 0), report.site), "pages": c.get("pages", 0),
        "photos": c.get("photos", 0), "links": c.get("internal_links", 0),
        "drafts": c.get("drafts_skipped") or None}) if c else None
    if errors:
        console.error("check_failed", errors=errors, warnings=warnings, counted=counted)
        return EXIT_PROBLEMS
    if warnings and args.strict:
        console.error("check_failed_strict", warnings=warnings, counted=counted)
        return EXIT_PROBLEMS
    console.say("check_passed", warnings=warnings, counted=counted)
    return EXIT_OK
