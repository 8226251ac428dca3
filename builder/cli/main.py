"""The `showcase` command. The only module that prints summaries and picks exit codes."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path
from typing import NoReturn, Sequence, TextIO

from builder import __version__
from builder.build import BuildOptions, build_site
from builder.errors import BuildError, Problem
from builder.editors.scaffold import init_site

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

    def always(self, zh: str, en: str) -> None:
        print(zh if self.zh() else en, file=self.out, flush=True)

    def detail(self, zh: str, en: str) -> None:
        if self.verbose:
            print(zh if self.zh() else en, file=self.out, flush=True)

    def error(self, zh: str, en: str) -> None:
        print(zh if self.zh() else en, file=self.err, flush=True)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            print(problem.format(self.lang), file=self.err, flush=True)

    def failed(self, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        self.problems(problems)
        text = f"构建失败：{len(errors)} 个问题" if self.zh() else f"Build failed with {len(errors)} problem{'s' if len(errors) != 1 else ''}"
        print(text, file=self.err, flush=True)


class PhotoProgress:
    """Progress of the photo work on one updating line: only when many photos are new and
    stdout is a terminal; `-q`, pipes and CI logs get the summary line at the end instead."""

    MIN_PHOTOS = 4

    def __init__(self, console: Console, clock=time.monotonic):
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
        if done >= total:
            if self.width:
                print("\r" + " " * self.width + "\r", end="", file=self.console.out, flush=True)
            return
        left = ""
        if done:
            seconds = round((self.clock() - self.started) / done * (total - done))
            left = f"，预计还需 {seconds} 秒" if self.console.zh() else f", about {seconds} s left"
        text = f"处理图片 {done}/{total}{left}" if self.console.zh() else f"Processing photos {done}/{total}{left}"
        width = sum(2 if ord(char) >= 0x2E80 else 1 for char in text)
        print("\r" + text + " " * max(0, self.width - width), end="", file=self.console.out, flush=True)
        self.width = max(self.width, width)


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
    options = dataclasses.replace(_build_options(args, write=True), progress=PhotoProgress(console))
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
    if result.images_made or (result.images_cached and not console.quiet):
        # New photos get their one summary line even with -q (issue 3): it replaces the progress line.
        console.always(f"图片：新处理 {result.images_made} 张，{result.images_cached} 张未变（用缓存），"
                    f"用时 {result.timings.get('images', 0):.2f} 秒。",
                    f"Photos: {result.images_made} processed, {result.images_cached} unchanged (cached), "
                    f"in {result.timings.get('images', 0):.2f} s.")
    if model.held_back:
        from builder.cli.editors import report_held_back
        report_held_back(console, model)
    source = "" if Path(args.source).resolve() == Path.cwd().resolve() else f" --source {args.source}"
    console.say(f"预览：运行 showcase serve{source}，然后在浏览器打开 http://127.0.0.1:8000/ ；"
                f"发布：把 {out} 文件夹里的全部文件复制到网站服务器。",
                f"Preview: run showcase serve{source} and open http://127.0.0.1:8000/ ; "
                f"publish: copy everything in {out} to the web server.")
    console.detail("各阶段用时：" + "，".join(f"{k} {v:.2f} 秒" for k, v in result.timings.items()),
                   "Stage timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from builder.cli.editors import cmd_check as check    # the editors' commands live in cli_editors.py
    return check(args, console, _build_options(args, write=False))


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    target = Path(args.directory)
    problem = init_site(target)
    if problem:
        console.failed([problem])
        return EXIT_PROBLEMS
    console.say(f"已新建网站：{target}\n下一步：cd {target} 然后运行 showcase build",
                f"Created a new site in {target}\nNext: cd {target} and run showcase build")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, console: Console) -> int:
    from builder.preview import server as serve     # tornado loads only for this command
    root = Path(args.source)
    if not (root / "site.yaml").is_file():
        console.failed([Problem("site.yaml", None, "config_missing")])
        return EXIT_PROBLEMS
    options = serve.ServeOptions(host=args.host, port=args.port, drafts=args.drafts, lang=args.lang,
                                 open_browser=args.open)
    try:
        serve.serve(root, options, _ServeReport(console))
    except serve.PortUnavailable as exc:
        other = (f"\n请改用空闲的端口 {exc.free}：showcase serve --port {exc.free}" if exc.free else "")
        other_en = (f"\nUse a free port instead, {exc.free}: showcase serve --port {exc.free}" if exc.free else "")
        if exc.in_use:
            console.error(f"端口 {exc.port} 已被占用（也许另一个预览已经在运行）。{other}",
                          f"Port {exc.port} is already in use (perhaps another preview is running).{other_en}")
        else:
            console.error(f"无法在 {exc.host}:{exc.port} 上启动预览：{exc.reason}{other}",
                          f"Cannot start the preview on {exc.host}:{exc.port}: {exc.reason}{other_en}")
        return EXIT_PROBLEMS
    console.say("已停止预览。", "Preview stopped.")
    return EXIT_OK


class _ServeReport:
    """Words the preview server's events for the terminal."""

    def __init__(self, console: Console):
        self.console = console
        self.warnings: tuple[Problem, ...] = ()

    def __call__(self, event: object) -> None:
        from builder.preview import server as serve
        c, now = self.console, time.strftime("%H:%M:%S")
        if isinstance(event, serve.Listening):
            c.say(f"预览地址：{event.url}\n修改并保存文件后，浏览器里打开的页面会自动刷新。按 Ctrl+C 停止预览。",
                  f"Preview at {event.url}\nOpen pages refresh by themselves when you save a file. Press Ctrl+C to stop.")
            if event.public:
                c.error("注意：预览现在对局域网开放，同一网络里的其他设备（例如同事的手机）也能打开它，草稿也看得到。"
                        "用完请停止，或去掉 --host 只在本机预览。",
                        "Warning: the preview is now visible to the local network: other devices (a colleague's "
                        "phone, for instance) can open it, drafts included. Stop it when done, or drop --host.")
                if event.network_urls:
                    c.say("在同一网络的其他设备上打开：" + "  ".join(event.network_urls),
                          "On other devices of the same network, open: " + "  ".join(event.network_urls))
        elif isinstance(event, serve.Rebuilding):
            shown = "、".join(event.paths[:3]) + (f" 等 {len(event.paths)} 处" if len(event.paths) > 3 else "")
            shown_en = ", ".join(event.paths[:3]) + (f" and {len(event.paths) - 3} more" if len(event.paths) > 3 else "")
            c.say(f"[{now}] 已修改：{shown}，正在更新预览……", f"[{now}] Changed: {shown_en}; updating the preview…")
        elif isinstance(event, serve.Rebuilt):
            model, seconds = event.result.model, event.result.seconds
            if event.result.warnings != self.warnings:
                c.problems(event.result.warnings)
                self.warnings = event.result.warnings
            if event.first:
                c.say(f"[{now}] 预览已就绪：{len(model.cases)} 个案例、{len(model.sites)} 个示范点，用时 {seconds:.2f} 秒。",
                      f"[{now}] Preview ready: {len(model.cases)} cases, {len(model.sites)} model sites, in {seconds:.2f} s.")
            elif event.reloaded:
                c.say(f"[{now}] 预览已更新，用时 {seconds:.2f} 秒。", f"[{now}] Preview updated in {seconds:.2f} s.")
            else:
                c.say(f"[{now}] 页面没有变化。", f"[{now}] No page changed.")
            c.detail("各阶段用时：" + "，".join(f"{k} {v:.2f} 秒" for k, v in event.result.timings.items()),
                     "Stage timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in event.result.timings.items()))
        elif isinstance(event, serve.BuildFailed):
            self.warnings = ()
            c.failed(event.problems)
            c.error(f"[{now}] 预览页面上也列出了这些问题；改好并保存文件后，页面会自动刷新。",
                    f"[{now}] The preview page lists these problems too; it refreshes once the file is saved with the fix.")
        elif isinstance(event, serve.Crashed):
            print(event.detail, file=c.err, flush=True)
            c.error(f"[{now}] showcase 程序本身出错了（见上）。再次保存文件时预览会重试。",
                    f"[{now}] showcase itself failed (see above). The preview tries again when you save a file.")


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
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only (and one line when new photos were processed)")
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
    from builder.cli.editors import add_check_options, add_editor_commands
    add_check_options(check)
    add_editor_commands(sub, _common)

    serve = sub.add_parser("serve", help="preview the site in the browser; rebuilds and reloads on every save")
    _common(serve)
    serve.add_argument("--port", "-p", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: the local network too)")
    serve.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                       help="show drafts and future cases, marked (default); --no-drafts: only what a build publishes")
    serve.add_argument("--open", action="store_true", help="open the preview in the web browser")
    serve.set_defaults(run=cmd_serve)

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


def run() -> NoReturn:
    """The console script (and python -m builder): main(), then leave at once. Everything is
    written and flushed by then; tearing down the interpreter's heap would only add a few
    tenths of a second after a big build."""
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = 1                # the reader went away (showcase build | head -1): nowhere left to say more
    except (OSError, ValueError):
        code = 1
    os._exit(code)
