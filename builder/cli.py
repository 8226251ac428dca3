"""The `showcase` command. The only module that prints summaries and picks exit codes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence, TextIO

from builder import __version__
from builder.build import BuildOptions, build_site
from builder.errors import BuildError, Problem
from builder.scaffold import init_site

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Console:
    """Prints in the user's language, and survives consoles that cannot show every character
    (a Windows console in GBK cannot show some symbols: they become '?', not a crash)."""

    def __init__(self, lang: str = "zh", quiet: bool = False, verbose: bool = False,
                 out: TextIO | None = None, err: TextIO | None = None):
        self.lang, self.quiet, self.verbose = lang, quiet, verbose
        self.out = _tolerant(out or sys.stdout)
        self.err = _tolerant(err or sys.stderr)

    def zh(self) -> bool:
        return self.lang == "zh"

    def say(self, zh: str, en: str) -> None:
        if not self.quiet:
            print(zh if self.zh() else en, file=self.out, flush=True)

    def detail(self, zh: str, en: str) -> None:
        if self.verbose:
            print(zh if self.zh() else en, file=self.out, flush=True)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            print(problem.format(self.lang), file=self.err, flush=True)

    def failed(self, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        self.problems(problems)
        text = f"构建失败：{len(errors)} 个问题" if self.zh() else f"Build failed with {len(errors)} problem{'s' if len(errors) != 1 else ''}"
        print(text, file=self.err, flush=True)


def _tolerant(stream: TextIO) -> TextIO:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream


# --- commands --------------------------------------------------------------------------------

def cmd_build(args: argparse.Namespace, console: Console) -> int:
    options = _build_options(args, write=True)
    try:
        result = build_site(Path(args.source), options)
    except BuildError as exc:
        console.failed(exc.problems)
        return EXIT_PROBLEMS
    console.problems(result.warnings)
    model, stats = result.model, result.stats
    out = _shown_path(result.out_dir)
    console.say(
        f"构建完成：{len(model.cases)} 个案例、{len(model.sites)} 个示范点、{len(model.pages)} 个页面，"
        f"共 {len(result.outputs)} 个文件（新写入 {stats.written}，未变 {stats.unchanged}，删除 {stats.removed}），"
        f"用时 {result.seconds:.2f} 秒。\n输出文件夹：{out}",
        f"Built {len(model.cases)} cases, {len(model.sites)} model sites, {len(model.pages)} pages: "
        f"{len(result.outputs)} files ({stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed) "
        f"in {result.seconds:.2f} s.\nOutput folder: {out}")
    if model.held_back:
        console.say(f"未发布 {len(model.held_back)} 个案例（草稿、日期在未来或未完成审核）；用 showcase status 查看。",
                    f"{len(model.held_back)} cases held back (drafts, future dates or unreviewed); see 'showcase status'.")
    console.detail("各阶段用时：" + "，".join(f"{k} {v:.2f} 秒" for k, v in result.timings.items()),
                   "Stage timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    try:
        result = build_site(Path(args.source), _build_options(args, write=False))
    except BuildError as exc:
        console.failed(exc.problems)
        return EXIT_PROBLEMS
    console.problems(result.warnings)
    console.say(f"检查通过：{len(result.model.cases)} 个案例，没有错误，{len(result.warnings)} 个警告。",
                f"Check passed: {len(result.model.cases)} cases, no errors, {len(result.warnings)} warnings.")
    return EXIT_OK


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    target = Path(args.directory)
    problem = init_site(target)
    if problem:
        console.failed([problem])
        return EXIT_PROBLEMS
    console.say(f"已新建网站：{target}\n下一步：cd {target} 然后运行 showcase build",
                f"Created a new site in {target}\nNext: cd {target} and run showcase build")
    return EXIT_OK


def _build_options(args: argparse.Namespace, write: bool) -> BuildOptions:
    return BuildOptions(output=Path(args.output) if getattr(args, "output", None) else None,
                        base_url=getattr(args, "base_url", None),
                        relative=True if getattr(args, "relative", False) else None,
                        drafts=args.drafts, future=args.future, write=write)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(path)


# --- parser ----------------------------------------------------------------------------------

def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", "-s", default=".", metavar="DIR", help="site folder (default: current folder)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default: zh)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    parser.add_argument("-v", "--verbose", action="store_true", help="print stage timings")


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include cases with draft: true")
    parser.add_argument("--future", action="store_true", help="include cases dated in the future")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showcase", description="Build a governance showcase website from Markdown case folders.")
    parser.add_argument("--version", action="version", version=f"showcase {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="build the site into the output folder")
    _common(build)
    _selection(build)
    build.add_argument("--output", "-o", metavar="DIR", help="output folder (default: output_dir in site.yaml)")
    build.add_argument("--base-url", metavar="URL", help="the address the site is published at, e.g. https://example.gov.cn/showcase/")
    build.add_argument("--relative", action="store_true", help="relative links, so output/ also works opened from disk (file://)")
    build.set_defaults(run=cmd_build)

    check = sub.add_parser("check", help="check everything a build checks, writing nothing")
    _common(check)
    _selection(check)
    check.set_defaults(run=cmd_check)

    init = sub.add_parser("init", help="create a new site with an example case, model site and page")
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--lang", choices=("zh", "en"), default="zh")
    init.set_defaults(run=cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    console = Console(lang=args.lang, quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    return args.run(args, console)
