"""`showcase booklet` (the case collection as PDF and Word) and `showcase qr` (a case's QR code
for a display board). The booklet is made from what a build publishes: the site is built in
memory (nothing written), so every problem a build reports stops the booklet too."""
from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from builder.booklet import GROUP_BY
from builder.cli.console import Console, shown_file
from builder.cli.options import EXIT_OK, EXIT_PROBLEMS, add_common
from builder.errors import WARNING, BuildError, Problem, errors_in
from builder.i18n import Phrase

if TYPE_CHECKING:                  # the model and the collection are loaded by the commands that use them
    from builder.booklet.groups import Booklet
    from builder.model import SiteModel

QR_SIZES_CM = (2.0, 200.0)


def register(sub: argparse._SubParsersAction) -> None:
    booklet = sub.add_parser("booklet", help="the case collection as PDF and Word, from the published cases")
    add_common(booklet)
    booklet.add_argument("--pdf", metavar="FILE", help="write the PDF here")
    booklet.add_argument("--docx", metavar="FILE", help="write the Word file here")
    booklet.add_argument("--by", choices=GROUP_BY, help="group the cases by category, special action or model site "
                                                        "(default: booklet: group_by in site.yaml, else category)")
    booklet.add_argument("--category", action="append", default=[], metavar="NAME", help="only this category (repeatable)")
    booklet.add_argument("--action", action="append", default=[], metavar="NAME", help="only this special action (repeatable)")
    booklet.add_argument("--site", action="append", default=[], metavar="NAME",
                         help="only this model site: folder name or name (repeatable)")
    booklet.add_argument("--since", metavar="DATE", help="only cases dated on or after YYYY-MM-DD")
    booklet.add_argument("--drafts", action="store_true",
                         help="a proof copy with every case, drafts and cases not yet reviewed too, marked on every page")
    booklet.add_argument("--title", help="the booklet's title (default: booklet: title in site.yaml)")
    booklet.add_argument("--subtitle", help="the subtitle on the cover")
    booklet.add_argument("--preface", metavar="PAGE", help="a page of content/pages/ to print as the preface")
    booklet.add_argument("--base-url", metavar="URL", help="the site's public address, for the QR codes")
    booklet.add_argument("--browser", metavar="PATH", help="the Edge, Chrome or Chromium program that makes the PDF")
    booklet.set_defaults(run=cmd_booklet, doing="doing_booklet")

    qr = sub.add_parser("qr", help="a case's QR code for a display board: a 300 dpi PNG and an SVG, the title under the code")
    add_common(qr)
    qr.add_argument("case", metavar="CASE", help="the case's folder name, or the path of its folder or index.md")
    qr.add_argument("--size", type=float, default=10.0, metavar="CM", help="width of the code in centimetres (default: 10)")
    qr.add_argument("--output", "-o", metavar="DIR", default=".", help="folder for the two files (default: current folder)")
    qr.add_argument("--base-url", metavar="URL", help="the site's public address (default: base_url in site.yaml)")
    qr.set_defaults(run=cmd_qr, doing="doing_qr")


# --- booklet -----------------------------------------------------------------------------------

def cmd_booklet(args: argparse.Namespace, console: Console) -> int:
    from builder.booklet.browser import BrowserError, find_browser
    from builder.booklet.docx import make_docx
    from builder.booklet.html import PrintSetup, wanted_photos
    from builder.booklet.pdf import make_pdf
    from builder.booklet.photos import make_print_photos
    from builder.build import BuildOptions, CACHE_DIR, build_site
    from builder.render.pages import make_env
    from builder.render.theme import load_theme
    root = Path(args.source)
    problems = _target_problems(args)
    if errors_in(problems):
        console.failed(problems, "booklet_failed")
        return EXIT_PROBLEMS
    options = BuildOptions(write=False, base_url=args.base_url, drafts=args.drafts, future=args.drafts,
                           preview=args.drafts)
    try:
        result = build_site(root, options)
    except BuildError as exc:
        console.failed(exc.problems, "booklet_failed")
        return EXIT_PROBLEMS
    model = result.model
    booklet, problems = _booklet(model, args)
    if errors_in(problems):
        console.failed(problems, "booklet_failed")
        return EXIT_PROBLEMS
    if not booklet.cases:
        console.failed([Problem("", None, "booklet_empty", {"drafts": None if args.drafts else Phrase("booklet_try_drafts")})], "booklet_failed")
        return EXIT_PROBLEMS
    if not model.site.base_url.startswith(("http://", "https://")):
        problems.append(Problem("site.yaml", None, "booklet_no_qr", {"value": model.site.base_url}, WARNING))

    title = booklet.title
    pdf_target, docx_target = _targets(args, title or model.site.title)
    theme, _ = load_theme(root.resolve(), model.site.theme)
    strings, found = theme.strings(model.site.language)
    problems += found
    photos, found = make_print_photos(root.resolve(), wanted_photos(booklet), root.resolve() / CACHE_DIR / "booklet")
    problems += found
    setup = PrintSetup(model, booklet, theme, make_env(theme), strings, result.outputs, photos)

    browser = None
    if pdf_target is not None:
        browser = find_browser(args.browser)
        if browser is None:
            code = "booklet_browser_missing" if args.browser or os.environ.get("SHOWCASE_BROWSER") else "booklet_no_browser"
            problems.append(Problem("", None, code, {"path": args.browser or os.environ.get("SHOWCASE_BROWSER", "")}))
    if errors_in(problems):
        console.failed(problems, "booklet_failed")
        return EXIT_PROBLEMS
    console.problems(problems)

    written: list[tuple[str, dict]] = []
    if docx_target is not None:
        data = make_docx(model, booklet, strings, photos)
        if not _write(docx_target, data, console):
            return EXIT_PROBLEMS
        written.append(("booklet_written_docx", {"path": shown_file(docx_target)}))
    if pdf_target is not None:
        console.say("booklet_printing", browser=str(browser))
        try:
            pdf = make_pdf(setup, browser)
        except BrowserError as exc:
            console.error(exc.reason, browser=str(browser), detail=exc.detail)
            return EXIT_PROBLEMS
        if not _write(pdf_target, pdf.data, console):
            return EXIT_PROBLEMS
        written.append(("booklet_written_pdf", {"path": shown_file(pdf_target), "pages": pdf.pages}))
    console.say("booklet_done", cases=len(booklet.cases), groups=len(booklet.groups),
                by=Phrase(f"booklet_by_{booklet.by}"), proof=Phrase("booklet_proof_note") if booklet.proof else None)
    for code, params in written:
        console.item(code, **params)
    return EXIT_OK


def _booklet(model: SiteModel, args: argparse.Namespace) -> tuple[Booklet, list[Problem]]:
    """The booklet the options ask for, and a problem for each option naming nothing."""
    from builder.booklet.groups import Filters, find_page, make_booklet
    from builder.yamlio.fields import choice_params, read_date, suggestion_params
    site, problems = model.site, []
    categories = [_known(c, site.categories, "booklet_unknown_category", problems) for c in args.category]
    actions = [_known(a, [x.name for x in site.actions], "booklet_unknown_action", problems) for a in args.action]
    by_title = {s.title: s.slug for s in model.sites}
    sites = [_known(by_title.get(s, s), [x.slug for x in model.sites], "booklet_unknown_site", problems)
             for s in args.site]
    since = None
    if args.since:
        since, meant = read_date(args.since)
        if since is None:
            problems.append(Problem("", None, "booklet_bad_since", {"value": args.since,
                                                                    "fixed": meant.isoformat() if meant else None}))
    preface_name = args.preface if args.preface is not None else site.booklet.preface
    preface = find_page(model, preface_name)
    if preface_name and preface is None:
        names = [p.doc.source.rsplit("/", 1)[-1].removesuffix(".md") for p in model.pages]
        line = None if args.preface is not None else site.booklet.lines.get("preface")
        problems.append(Problem("" if args.preface is not None else "site.yaml", line, "booklet_unknown_preface",
                                {"value": preface_name, **choice_params(names), **suggestion_params(preface_name, names)}))
    filters = Filters(categories=tuple(c for c in categories if c), actions=tuple(a for a in actions if a),
                      sites=tuple(s for s in sites if s), since=since)
    booklet = make_booklet(model, by=args.by or "", filters=filters, title=args.title, subtitle=args.subtitle,
                           preface=preface, month=site.booklet.month or dt.date.today(), proof=args.drafts)
    return booklet, problems


def _known(value: str, allowed: list | tuple, code: str, problems: list[Problem]) -> str | None:
    from builder.yamlio.fields import choice_params, suggestion_params
    if value in allowed:
        return value
    problems.append(Problem("", None, code, {"value": value, **choice_params(allowed),
                                             **suggestion_params(value, allowed)}))
    return None


def _target_problems(args: argparse.Namespace) -> list[Problem]:
    problems = []
    for option, value, suffix in (("--pdf", args.pdf, ".pdf"), ("--docx", args.docx, ".docx")):
        if value is not None and Path(value).suffix.lower() != suffix:
            problems.append(Problem("", None, "booklet_wrong_suffix", {"option": option, "path": value, "suffix": suffix}))
    return problems


def _targets(args: argparse.Namespace, title: str) -> tuple[Path | None, Path | None]:
    """--pdf and --docx; with neither, both, named after the booklet, in the current folder."""
    if args.pdf is None and args.docx is None:
        stem = _file_name(title)
        return Path(stem + ".pdf"), Path(stem + ".docx")
    return (Path(args.pdf) if args.pdf else None), (Path(args.docx) if args.docx else None)


def _file_name(title: str) -> str:
    """A title as a file name Windows accepts: no \\ / : * ? " < > |, at most 80 characters."""
    cleaned = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in title).strip(" .")
    return cleaned[:80] or "booklet"


def _write(target: Path, data: bytes, console: Console) -> bool:
    """Written under a temporary name, then renamed over the target: a file open in a reader
    (Windows refuses the rename) is left whole, and the user is told to close it."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, target)
        return True
    except OSError as exc:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass
        console.error("booklet_unwritable", path=str(target), reason=exc.strerror or str(exc))
        return False


# --- qr ----------------------------------------------------------------------------------------

def cmd_qr(args: argparse.Namespace, console: Console) -> int:
    from builder.assemble import held_reason
    from builder.booklet.qr import board_files
    from builder.config import with_overrides
    from builder.editors.review import find_case
    from builder.editors.status import case_statuses
    root = Path(args.source)
    low, high = QR_SIZES_CM
    if not low <= args.size <= high:
        console.failed([Problem("", None, "qr_bad_size", {"value": f"{args.size:g}", "low": f"{low:g}",
                                                          "high": f"{high:g}"})], "qr_failed")
        return EXIT_PROBLEMS
    site, rows, problems = case_statuses(root)
    if args.base_url:
        site, found = with_overrides(site, args.base_url)
        problems += found
    if errors_in(problems):
        console.failed(problems, "qr_failed")
        return EXIT_PROBLEMS
    path, found = find_case(root, args.case)
    row = None
    if path is not None:
        source = path.resolve()
        row = next((r for r in rows if (root / r.case.doc.source).resolve() == source), None)
    if row is None:
        console.failed(found or [Problem("", None, "review_case_missing", {"value": args.case})], "qr_failed")
        return EXIT_PROBLEMS
    if not site.base_url.startswith(("http://", "https://")):
        console.failed([Problem("site.yaml", None, "qr_no_base_url", {"value": site.base_url})], "qr_failed")
        return EXIT_PROBLEMS
    case = row.case
    url = site.base_url + case.url
    files = board_files(url, case.title, args.size * 10)
    out = Path(args.output)
    stem = case.doc.bundle_dir.rsplit("/", 1)[-1] + "-qr"
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    if not (_write(png, files.png, console) and _write(svg, files.svg.encode("utf-8"), console)):
        return EXIT_PROBLEMS
    if row.state != "published":
        console.problems([Problem(case.doc.source, None, "qr_not_published",
                                  {"title": case.title, "reason": held_reason(case, row.standing)}, WARNING)])
    if files.font is None:
        console.problems([Problem("", None, "qr_no_font", {}, WARNING)])
    console.say("qr_done", title=case.title, url=url)
    console.item("qr_written", png=shown_file(png), svg=shown_file(svg), size=f"{args.size:g}",
                 width=files.width, height=files.height)
    return EXIT_OK
