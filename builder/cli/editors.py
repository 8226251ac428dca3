"""The editors' commands of `showcase`: check, new, review, status; and the list of cases a
build leaves out. Part of the command line (it prints and picks exit codes, like cli.py, which
registers these commands); kept apart so neither file grows past a readable size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from builder.errors import BuildError, Problem
from builder.model import SiteModel

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
HELD_BACK_SHOWN = 30


# --- check -----------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, console: Any, build_options: Any) -> int:
    from builder.build import build_site
    from builder.checks.report import render_report
    from builder.checks.run import check_site
    root = Path(args.source)
    outputs = None
    try:
        result = build_site(root, build_options)
        build_problems = list(result.warnings)
        outputs = result.outputs
    except BuildError as exc:
        build_problems = list(exc.problems)
    report = check_site(root, build_problems, outputs, drafts=args.drafts, future=args.future)
    console.problems(report.problems)
    if report.external_links:
        console.say(f"\n外部链接 {len(report.external_links)} 个（没有访问，请人工核对是否有效、内容是否合适）：",
                    f"\n{len(report.external_links)} external links (not fetched: check them by hand):")
        for link in report.external_links:
            where = link.path + (f":{link.line}" if link.line else "")
            console.say(f"  {where}  {link.url}", f"  {where}  {link.url}")
    held = held_back_rows(report.held_back, report.site, console.lang) if report.site else []
    if held:
        say_held_back(console, held)
    if args.html:
        target = Path(args.html)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_report(report, held, console.lang), encoding="utf-8", newline="\n")
        except OSError as exc:
            _error(console, f"无法写出检查报告 {target}：{exc.strerror or exc}",
                          f"Cannot write the report {target}: {exc.strerror or exc}")
            return EXIT_PROBLEMS
        console.say(f"检查报告：{_shown(target)}（用浏览器打开）", f"Report: {_shown(target)} (open it in a browser)")
    errors, warnings, c = len(report.errors), len(report.warnings), report.counts
    counted = (f"共检查 {c.get('cases', 0)} 个案例、{c.get('sites', 0)} 个示范点、{c.get('pages', 0)} 个页面、"
               f"{c.get('photos', 0)} 张图片、{c.get('internal_links', 0)} 个站内链接。") if c else ""
    counted_en = (f"Checked {c.get('cases', 0)} cases, {c.get('sites', 0)} model sites, {c.get('pages', 0)} pages, "
                  f"{c.get('photos', 0)} photos, {c.get('internal_links', 0)} internal links.") if c else ""
    if c.get("drafts_skipped"):
        counted += f"另有 {c['drafts_skipped']} 个草稿没有检查（加 --drafts 一起检查）。"
        counted_en += f" {c['drafts_skipped']} drafts not checked (add --drafts)."
    if errors:
        _error(console, f"检查未通过：{errors} 个错误，{warnings} 个警告。{counted}",
                      f"Check failed: {errors} errors, {warnings} warnings. {counted_en}")
        return EXIT_PROBLEMS
    if warnings and args.strict:
        _error(console, f"检查未通过（--strict 模式下警告也算问题）：{warnings} 个警告。{counted}",
                      f"Check failed (--strict counts warnings): {warnings} warnings. {counted_en}")
        return EXIT_PROBLEMS
    console.say(f"检查通过：没有错误，{warnings} 个警告。{counted}",
                f"Check passed: no errors, {warnings} warnings. {counted_en}")
    return EXIT_OK


# --- cases left out of a build ---------------------------------------------------------------

def held_back_rows(cases, site, lang: str = "zh", today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """(title, source, why) for each case a build leaves out."""
    from builder.editors.status import status_of
    today = today or dt.date.today()
    rows = []
    for case in cases:
        row = status_of(case, site, today)
        if row.state == "draft":
            why = "草稿（draft: true）" if lang == "zh" else "draft (draft: true)"
        elif row.state == "future":
            why = f"定时发布：{case.date.isoformat()} 才发布" if lang == "zh" else f"scheduled for {case.date.isoformat()}"
        elif row.state == "waiting":
            done = "、".join(row.done)
            why = (f"待{row.waiting}" + (f"（已{done}）" if done else "")) if lang == "zh" else \
                  f"awaiting {row.waiting}" + (f" ({', '.join(row.done)} done)" if row.done else "")
        else:
            why = "未发布" if lang == "zh" else "not published"
        rows.append((case.title, case.doc.source, why))
    return rows


def say_held_back(console: Any, rows: list[tuple[str, str, str]]) -> None:
    console.say(f"\n未发布 {len(rows)} 个案例：", f"\n{len(rows)} cases held back:")
    for title, source, why in rows[:HELD_BACK_SHOWN]:
        console.say(f"  - {title}（{source}）：{why}", f"  - {title} ({source}): {why}")
    if len(rows) > HELD_BACK_SHOWN:
        console.say(f"  ……另有 {len(rows) - HELD_BACK_SHOWN} 个；运行 showcase status 查看全部。",
                    f"  … and {len(rows) - HELD_BACK_SHOWN} more; run showcase status to see them all.")


def report_held_back(console: Any, model: SiteModel) -> None:
    """The build summary's list of what was left out, with the reason (and the stage waited for)."""
    if model.held_back:
        say_held_back(console, held_back_rows(model.held_back, model.site, console.lang))


# --- new -------------------------------------------------------------------------------------

def cmd_new(args: argparse.Namespace, console: Any) -> int:
    from builder.editors import newcase
    from builder.editors import prompts as newcase_prompts
    from builder.config import load_config
    root = Path(args.source)
    site, problems = load_config(root)
    if any(p.is_error for p in problems):
        _failed(console, problems, "没有新建任何文件", "Nothing was created")
        return EXIT_PROBLEMS
    sites = newcase.model_sites(root)
    interactive = _stdin_is_terminal()
    try:
        if args.what == "site":
            if interactive and not (args.title and args.kind):
                answers = newcase_prompts.interview_site(_ask(console), _say(console), sites)
                problems = []
            else:
                answers, problems = newcase.site_from_options(args.title, args.kind, args.town, args.slug, sites)
            made, found = (newcase.create_site(root, answers) if answers else (None, []))
        else:
            if interactive and not (args.title and args.site and args.category):
                if not site.categories:
                    _failed(console, [Problem("site.yaml", None, "new_no_categories")], "没有新建任何文件", "Nothing was created")
                    return EXIT_PROBLEMS
                answers = newcase_prompts.interview_case(site, sites, _ask(console), _say(console), dt.date.today(),
                                                 preset=_preset(args))
                problems = []
            else:
                answers, problems = newcase.case_from_options(site, sites, args.title, args.site, args.category,
                                                              args.action or [], args.date, args.slug, dt.date.today())
            made, found = (newcase.create_case(root, answers, sites) if answers else (None, []))
    except (EOFError, KeyboardInterrupt):
        _error(console, "\n已取消，没有新建任何文件。", "\nCancelled; nothing was created.")
        return EXIT_PROBLEMS
    problems += found
    if made is None:
        _failed(console, problems, "没有新建任何文件", "Nothing was created")
        return EXIT_PROBLEMS
    what = "示范点" if args.what == "site" else "案例"
    console.say(f"\n已新建{what}：{_shown(made.path)}", f"\nCreated: {_shown(made.path)}")
    if made.site:
        console.say(f"同时新建了示范点：{_shown(made.site)}", f"Also created the model site: {_shown(made.site)}")
    console.say(f"照片请放进这个文件夹：{_shown(made.folder)}{os.sep}", f"Put the photos in this folder: {_shown(made.folder)}{os.sep}")
    if args.what == "site":
        console.say("下一步：用记事本等文本编辑器打开 index.md，按“【填写提示】”写好介绍，然后删除提示行；\n"
                    "预览：showcase serve    自查：showcase check",
                    "Next: open index.md in a text editor, write the introduction, delete the hint line.\n"
                    "Preview: showcase serve    Check: showcase check")
    else:
        console.say("下一步：\n"
                    "  1. 用记事本等文本编辑器打开 index.md，按“【填写提示】”写好每一部分，写好后删除提示行；\n"
                    "  2. 把照片放进上面的文件夹，在 photos: 下为每张照片写上文件名和说明；\n"
                    "  3. 预览：showcase serve（草稿只在预览中显示，并标有“草稿”）；\n"
                    "  4. 自查：showcase check --drafts（草稿要加 --drafts）；审核：showcase review 文件夹名 --stage 初审 --by 姓名",
                    "Next:\n"
                    "  1. open index.md in a text editor, write each section and delete the hint lines;\n"
                    "  2. put the photos in the folder above and list each under photos: with a caption;\n"
                    "  3. preview: showcase serve (drafts show only in the preview, marked);\n"
                    "  4. check: showcase check --drafts (drafts need --drafts); review: showcase review FOLDER --stage 初审 --by NAME")
    return EXIT_OK


def _preset(args: argparse.Namespace) -> dict[str, Any]:
    return {"title": args.title, "site": args.site, "category": args.category,
            "actions": args.action, "date": args.date}


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _ask(console: Any):
    def ask(prompt: str) -> str:
        console.out.write(prompt)
        console.out.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")
    return ask


def _say(console: Any):
    return lambda text: print(text, file=console.out, flush=True)


# --- review ----------------------------------------------------------------------------------

def cmd_review(args: argparse.Namespace, console: Any) -> int:
    from builder.editors import review
    from builder.config import load_config
    from builder.editors.newcase import date_option
    root = Path(args.source)
    site, problems = load_config(root)
    if any(p.is_error for p in problems):
        _failed(console, problems, "没有记录审核", "No review recorded")
        return EXIT_PROBLEMS
    date, problems = date_option(args.date, dt.date.today())
    if date is None:
        _failed(console, problems, "没有记录审核", "No review recorded")
        return EXIT_PROBLEMS
    path, problems = review.find_case(root, args.case)
    if path is None:
        _failed(console, problems, "没有记录审核", "No review recorded")
        return EXIT_PROBLEMS
    shown = _relative(path, root)
    recorded, problems = review.record(path, shown, args.stage, args.by, date, site.review.stages)
    if recorded is None:
        _failed(console, problems, "没有记录审核，文件未改动", "No review recorded; the file is unchanged")
        return EXIT_PROBLEMS
    r = recorded.review
    console.say(f"已记录“{r.stage}”：{r.by}，{r.date.isoformat()}（{shown}）",
                f"Recorded '{r.stage}': {r.by}, {r.date.isoformat()} ({shown})")
    done = "；".join(f"{x.stage}（{x.by}，{x.date.isoformat()}）" for x in recorded.done)
    done_en = "; ".join(f"{x.stage} ({x.by}, {x.date.isoformat()})" for x in recorded.done)
    if recorded.waiting:
        console.say(f"已完成：{done}\n还需：{'、'.join(recorded.waiting)}",
                    f"Done: {done_en}\nStill to come: {', '.join(recorded.waiting)}")
    else:
        console.say(f"已完成：{done}\n全部审核环节已完成。", f"Done: {done_en}\nEvery review stage is recorded.")
        if recorded.draft:
            console.say("注意：这个案例还是草稿（draft: true），改为 draft: false 后才会发布。",
                        "Note: this case is still a draft (draft: true); set draft: false to publish it.")
    return EXIT_OK


# --- status ----------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace, console: Any) -> int:
    from builder.editors.status import case_statuses, format_table
    root = Path(args.source)
    if not (root / "site.yaml").is_file():
        _failed(console, [Problem("site.yaml", None, "config_missing")], "无法列出案例", "Cannot list the cases")
        return EXIT_PROBLEMS
    site, rows, problems = case_statuses(root)
    if problems:
        console.problems(problems)
    console.say(format_table(rows, site, console.lang), format_table(rows, site, console.lang))
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


# --- the parser ------------------------------------------------------------------------------

def add_editor_commands(sub: Any, common: Any) -> None:
    """Register `new`, `review` and `status` on the `showcase` subparsers."""
    new = sub.add_parser("new", help="create a new case or model site from the standard template")
    new_sub = new.add_subparsers(dest="what", metavar="WHAT", required=True)
    case = new_sub.add_parser("case", help="a new case (asks in Chinese when run in a terminal)")
    common(case)
    case.add_argument("--title", help="标题 / title")
    case.add_argument("--site", help="示范点的文件夹名或名称 / model site folder or title")
    case.add_argument("--category", help="类别 / category (one of site.yaml categories)")
    case.add_argument("--action", action="append", metavar="ACTION", help="专项行动，可写多次 / special action (repeatable)")
    case.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）/ date (default: today)")
    case.add_argument("--slug", help="文件夹名（网址名）/ folder name (default: made from the site and title)")
    case.set_defaults(run=cmd_new)
    site = new_sub.add_parser("site", help="a new model site (asks in Chinese when run in a terminal)")
    common(site)
    site.add_argument("--title", help="名称 / name")
    site.add_argument("--kind", help="类型：村、社区、机关、企业、学校、其他 / kind")
    site.add_argument("--town", help="所在乡镇（街道）/ town")
    site.add_argument("--slug", help="文件夹名（网址名）/ folder name (default: the pinyin of the name)")
    site.set_defaults(run=cmd_new)

    review = sub.add_parser("review", help="record a review stage (初审/复审/终审) in a case")
    common(review)
    review.add_argument("case", metavar="CASE", help="案例文件夹名或路径 / the case's folder name or path")
    review.add_argument("--stage", required=True, help="审核环节，例如 初审 / the stage, e.g. 初审")
    review.add_argument("--by", required=True, metavar="NAME", help="审核人 / reviewer")
    review.add_argument("--date", help="审核日期 YYYY-MM-DD（默认今天）/ date (default: today)")
    review.set_defaults(run=cmd_review)

    status = sub.add_parser("status", help="list every case with its draft and review state, newest first")
    common(status)
    status.set_defaults(run=cmd_status)


def add_check_options(check: Any) -> None:
    check.add_argument("--html", metavar="FILE", help="also write a report a reviewer can open in a browser")
    check.add_argument("--strict", action="store_true", help="fail (exit code 1) on warnings too")


def _error(console: Any, zh: str, en: str) -> None:
    print(zh if console.lang == "zh" else en, file=console.err, flush=True)


def _failed(console: Any, problems: list[Problem], zh: str, en: str) -> None:
    console.problems(problems)
    _error(console, f"{zh}：{len(problems)} 个问题。", f"{en}: {len(problems)} problem{'s' if len(problems) != 1 else ''}.")


# --- paths as the user sees them -------------------------------------------------------------

def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
