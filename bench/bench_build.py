#!/usr/bin/env python3
"""Build-time benchmark: showcase against Pelican, Hugo and a bare Markdown + Jinja2 loop.

    python bench/bench_build.py            # 1,000 and 5,000 cases (about 8 minutes on 2 cores)
    python bench/bench_build.py --quick    # 1,000 cases only (about 1.5 minutes)

Every tool gets the same corpus, made by ../shared/bench/gen_corpus.py (--photos-per-case 0),
converted to its own layout. Each measured command runs in a fresh helper process that reports
the wall time, the CPU time of the whole process tree, the largest RSS of any one process of the
command (getrusage RUSAGE_CHILDREN, in a helper of its own so earlier runs cannot raise it) and,
on Linux, the peak of the summed PSS of the whole process tree (sampled from /proc every 25 ms:
showcase's worker processes are counted with the main one, pages they share counted once).
"Peak memory" in the ratios is the larger of the two. Results go to stdout and
bench/results-build.md.

Not a test: nothing here asserts; the targets of issue 2 are printed as met / not met.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from _measure import Run, clear, hugo_binary, measure

REPO = Path(__file__).resolve().parent.parent
GEN_CORPUS = REPO.parent / "shared" / "bench" / "gen_corpus.py"
WORK = REPO / "bench" / "work"                    # git-ignored
RESULTS = REPO / "bench" / "results-build.md"

# --- results -------------------------------------------------------------------------------

@dataclass
class Result:
    tool: str
    mode: str            # 'cold' | 'warm'
    cases: int
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    @property
    def wall(self) -> float:
        return self.median("wall")

    @property
    def peak(self) -> int:
        return max(r.maxrss for r in self.runs)

    @property
    def tree(self) -> int:
        return max(r.tree_pss for r in self.runs)

    @property
    def memory(self) -> int:
        return max(self.peak, self.tree)


def repeat(tool: str, mode: str, cases: int, runs: int, cmd: list[str], cwd: Path,
           before=None) -> Result:
    result = Result(tool, mode, cases)
    for _ in range(runs):
        if before:
            before()
        result.runs.append(measure(cmd, cwd))
    spread = ", ".join(f"{r.wall:.2f}" for r in result.runs)
    print(f"  {tool:<10} {mode:<5} {cases:>5} cases: {result.wall:6.2f} s (runs {spread}), "
          f"cpu {result.median('cpu'):.2f} s, max RSS {result.peak / 2**20:.0f} MB, tree PSS {result.tree / 2**20:.0f} MB",
          flush=True)
    return result


# --- the corpus, and each tool's layout of it ------------------------------------------------

@dataclass
class Item:
    kind: str            # 'case' | 'site'
    slug: str
    meta: dict
    body: str


def make_corpus(cases: int) -> Path:
    target = WORK / f"corpus-{cases}"
    stamp = target / ".bench-stamp"
    wanted = f"{cases} {GEN_CORPUS.stat().st_mtime_ns}"
    if stamp.is_file() and stamp.read_text() == wanted:
        return target
    subprocess.run([sys.executable, str(GEN_CORPUS), str(target), "--cases", str(cases),
                    "--photos-per-case", "0"], check=True)
    stamp.write_text(wanted)
    return target


def read_corpus(corpus: Path) -> list[Item]:
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    items = []
    for kind, folder in (("site", "sites"), ("case", "cases")):
        for index in sorted((corpus / "content" / folder).glob("*/index.md")):
            text = index.read_text(encoding="utf-8")
            _, front, body = text.split("---\n", 2)
            items.append(Item(kind, index.parent.name, yaml.load(front, Loader=loader), body))
    return items


MD_EXTENSIONS = ["tables", "attr_list", "footnotes", "sane_lists", "toc"]

PELICAN_CONF = '''\
from markdown.extensions.toc import slugify_unicode
AUTHOR = "bench"
SITENAME = "基层治理示范案例库"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = 20
# One Atom feed of all articles, as showcase writes one feed.xml; no per-category/tag feeds.
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARTICLE_URL = "cases/{slug}/"
ARTICLE_SAVE_AS = "cases/{slug}/index.html"
PAGE_URL = "sites/{slug}/"
PAGE_SAVE_AS = "sites/{slug}/index.html"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.tables": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.footnotes": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"slugify": slugify_unicode},
    },
    "output_format": "html5",
}
'''


def pelican_site(items: list[Item], target: Path) -> Path:
    """content/*.md with Pelican metadata (articles = cases, pages = model sites)."""
    clear(target)
    (target / "content" / "pages").mkdir(parents=True)
    for item in items:
        m = item.meta
        one_line = lambda s: " ".join(str(s).split())
        if item.kind == "case":
            head = [f"Title: {one_line(m['title'])}", f"Date: {m['date']}", f"Category: {m['category']}",
                    f"Tags: {', '.join(m.get('tags', []))}", f"Slug: {item.slug}",
                    f"Summary: {one_line(m.get('summary', ''))}"]
            path = target / "content" / f"{item.slug}.md"
        else:
            head = [f"Title: {one_line(m['title'])}", f"Slug: {item.slug}",
                    f"Summary: {one_line(m.get('summary', ''))}"]
            path = target / "content" / "pages" / f"{item.slug}.md"
        path.write_text("\n".join(head) + "\n\n" + item.body.lstrip("\n"), encoding="utf-8")
    (target / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    return target


HUGO_CONF = '''\
baseURL = "https://example.org/"
languageCode = "zh-CN"
title = "基层治理示范案例库"
hasCJKLanguage = true
enableRobotsTXT = true
disableKinds = []
[pagination]
  pagerSize = 20
[taxonomies]
  category = "categories"
  tag = "tags"
[outputs]
  # One Atom-like feed (RSS) for the home page only, as showcase writes one feed.xml.
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "tags"
    weight = 1
[markup.goldmark.parser]
  autoHeadingIDType = "github"
[params]
  related = true
'''

HUGO_LAYOUTS = {
    "baseof.html": '''<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
''',
    "_partials/card.html": '''<article class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ range .GetTerms "categories" }}<span>{{ .LinkTitle }}</span>{{ end }} <time>{{ .Date.Format "2006年1月2日" }}</time></p>
<p>{{ .Summary }}</p></article>
''',
    "_partials/pager.html": '''{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}<nav class="pagination">
{{ with $p.Prev }}<a rel="prev" href="{{ .URL }}">上一页</a>{{ end }}
<ol>{{ range $p.Pagers }}<li><a href="{{ .URL }}">{{ .PageNumber }}</a></li>{{ end }}</ol>
{{ with $p.Next }}<a rel="next" href="{{ .URL }}">下一页</a>{{ end }}</nav>{{ end }}
''',
    "home.html": '''{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 8 (where site.RegularPages "Section" "cases") }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul>
{{ end }}
''',
    "single.html": '''{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl>{{ with .Params.site }}<dt>示范点</dt><dd>{{ . }}</dd>{{ end }}
<dt>类别</dt><dd>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>日期</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></dd>
<dt>标签</dt><dd>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ with .Params.summary }}<p class="lead">{{ . }}</p>{{ end }}
{{ .TableOfContents }}
<div class="prose">{{ .Content }}</div></article>
<nav>{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ if site.Params.related }}{{ with site.RegularPages.Related . | first 4 }}<section><h2>相关案例</h2><ul>{{ range . }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul></section>{{ end }}{{ end }}
{{ end }}
''',
    "list.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range (.Paginate .Pages).Pages }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul>
{{ partial "pager.html" . }}{{ end }}
''',
    "taxonomy.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
''',
    "term.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range (.Paginate .Pages).Pages }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul>
{{ partial "pager.html" . }}{{ end }}
''',
    "404.html": '''{{ define "main" }}<h1>404</h1>{{ end }}
''',
}


def hugo_site(items: list[Item], target: Path) -> Path:
    """Page bundles content/cases/<slug>/index.md and content/sites/<slug>/index.md, YAML front
    matter, and a minimal layouts/ (home, list, single, taxonomy, term)."""
    clear(target)
    for item in items:
        m = item.meta
        if item.kind == "case":
            front = {"title": m["title"], "date": str(m["date"]), "categories": [m["category"]],
                     "tags": list(m.get("tags", [])), "summary": m.get("summary", ""), "site": m.get("site", "")}
            folder = target / "content" / "cases" / item.slug
        else:
            front = {"title": m["title"], "summary": m.get("summary", "")}
            folder = target / "content" / "sites" / item.slug
        folder.mkdir(parents=True)
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()] + ["---"]
        (folder / "index.md").write_text("\n".join(lines) + "\n" + item.body, encoding="utf-8")
    (target / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
    (target / "norelated.toml").write_text("[params]\n  related = false\n", encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


# --- the bare loop baseline ------------------------------------------------------------------

def bare_loop(corpus: Path, out: Path) -> None:
    """Python-Markdown + Jinja2, one core: read, split front matter, YAML, Markdown, a trivial
    template, write. What any Python generator must at least do."""
    import jinja2
    import markdown
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    template = jinja2.Environment(autoescape=True).from_string(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>"
        "<body><h1>{{ title }}</h1><p>{{ date }} · {{ category }} · {{ tags | join('、') }}</p>"
        "<div class=\"prose\">{{ body }}</div></body></html>\n")
    md = markdown.Markdown(extensions=MD_EXTENSIONS, output_format="html")
    for index in sorted((corpus / "content" / "cases").glob("*/index.md")):
        _, front, body = index.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=loader)
        html = md.reset().convert(body)
        page = template.render(title=meta["title"], date=meta["date"], category=meta["category"],
                               tags=meta.get("tags", []), body=jinja2.utils.markupsafe.Markup(html))
        target = out / "cases" / index.parent.name / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")


# --- one corpus size -------------------------------------------------------------------------

_STAGES = re.compile(r"([a-z_]+) ([0-9.]+) (?:s|秒)")


def stage_timings(output: str) -> dict[str, float]:
    for line in output.splitlines():
        if line.startswith("Stage timings:"):
            return {k: float(v) for k, v in _STAGES.findall(line)}
    return {}


def bench_size(cases: int, runs: int, slow_runs: int, tools: set[str]) -> dict[str, Result]:
    print(f"\n== {cases} cases", flush=True)
    corpus = make_corpus(cases)
    work = WORK / f"tools-{cases}"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Result] = {}

    if "showcase" in tools:
        out = work / "showcase-out"
        cmd = [sys.executable, "-m", "builder", "build", "--source", corpus, "--output", out, "--lang", "en", "-v"]
        results["showcase cold"] = repeat("showcase", "cold", cases, runs, cmd, REPO,
                                          before=lambda: clear(corpus / ".cache", out))
        results["showcase warm"] = repeat("showcase", "warm", cases, runs, cmd, REPO)

    if "bare" in tools:
        out = work / "bare-out"
        cmd = [sys.executable, Path(__file__).resolve(), "--bare-loop", corpus, out]
        results["bare"] = repeat("bare loop", "cold", cases, slow_runs, cmd, REPO, before=lambda: clear(out))

    items = None
    if "pelican" in tools:
        items = items or read_corpus(corpus)
        site = pelican_site(items, work / "pelican")
        pelican = shutil.which("pelican")
        cmd = [pelican, "content", "-o", "out", "-s", "pelicanconf.py", "-q"] if pelican else \
              [sys.executable, "-m", "pelican", "content", "-o", "out", "-s", "pelicanconf.py", "-q"]
        results["pelican"] = repeat("pelican", "cold", cases, slow_runs, cmd, site,
                                    before=lambda: clear(site / "out", site / "cache", site / "__pycache__"))

    if "hugo" in tools:
        items = items or read_corpus(corpus)
        site = hugo_site(items, work / "hugo")
        cmd = [hugo_binary(), "--quiet", "--cacheDir", site / "hugo_cache"]
        fresh = lambda: clear(site / "public", site / "resources", site / "hugo_cache")
        # Hugo's .Related scores every page sharing a tag: most of its time on this corpus (20 tags).
        # Measured both ways; showcase's targets are checked against the faster one.
        results["hugo"] = repeat("hugo", "cold", cases, runs, cmd + ["--config", "hugo.toml,norelated.toml"], site,
                                 before=fresh)
        results["hugo related"] = repeat("hugo+rel", "cold", cases, slow_runs, cmd, site, before=fresh)
    return results


# --- report ----------------------------------------------------------------------------------

def mb(n: int) -> str:
    return f"{n / 2**20:.0f}" if n else "–"


def report(all_results: dict[int, dict[str, Result]], command: str, loads: dict[int, str], elapsed: float,
           failures: dict[int, str] | None = None) -> str:
    lines = ["# Build benchmark", "",
             f"`{command}` on "
             f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"{_versions()}.", "",
             "Wall and CPU seconds are medians (runs per row below); CPU is user + system time of the whole "
             "process tree. Max RSS is the largest single process; tree PSS is the sampled peak of the summed "
             "PSS of the command's process tree (worker processes included, shared pages once). "
             "Corpus: `gen_corpus.py --photos-per-case 0` (61 model sites + N cases), the same for every tool.", "",
             "| cases | tool | build | runs | wall s | CPU s | max RSS MB | tree PSS MB |",
             "|---:|---|---|---:|---:|---:|---:|---:|"]
    labels = {"showcase cold": ("showcase", "cold (no .cache, empty output)"),
              "showcase warm": ("showcase", "warm (nothing changed)"),
              "pelican": ("Pelican", "cold"), "hugo": ("Hugo", "cold, no related pages"),
              "hugo related": ("Hugo", "cold, with `.Related` (4 per case, by tags)"),
              "bare": ("bare Markdown+Jinja2 loop", "cold, 1 core")}
    for cases, results in all_results.items():
        for key, result in results.items():
            tool, mode = labels[key]
            lines.append(f"| {cases:,} | {tool} | {mode} | {len(result.runs)} | {result.wall:.2f} | "
                         f"{result.median('cpu'):.2f} | {mb(result.peak)} | {mb(result.tree)} |")
    lines += ["", "## Ratios and targets (issue 2)", ""]

    def ratio_line(text: str, value: float, target: str, met: bool | None, cpu: float | None = None) -> None:
        verdict = "" if met is None else (" — **met**" if met else " — **not met**")
        also = f"; by CPU seconds {cpu:.2f}x" if cpu is not None else ""
        lines.append(f"- {text}: {value:.2f}x (target {target}){verdict}{also}")

    def cpu(a: Result, b: Result) -> float:
        return a.median("cpu") / b.median("cpu")

    for cases, results in all_results.items():
        cold, warm = results.get("showcase cold"), results.get("showcase warm")
        pelican, hugo, bare = results.get("pelican"), results.get("hugo"), results.get("bare")
        lines += [f"**{cases:,} cases** (load average before / after: {loads.get(cases, '?')})", ""]
        if failures and cases in failures:
            lines += [f"- not measured: {failures[cases]}", ""]
        if cold and pelican:
            r = pelican.wall / cold.wall
            ratio_line("Pelican cold / showcase cold, wall (speed-up)", r, "≥ 3x at 1,000", r >= 3 if cases == 1000 else None,
                       cpu(pelican, cold))
        if warm and hugo:
            r = hugo.wall / warm.wall
            ratio_line("Hugo build / showcase warm rebuild, wall (speed-up)", r, "> 1x", r > 1, cpu(hugo, warm))
        if cold and hugo:
            ratio_line("Hugo build / showcase cold, wall", hugo.wall / cold.wall, "none", None, cpu(hugo, cold))
        if warm and results.get("hugo related"):
            rel = results["hugo related"]
            ratio_line("Hugo build with .Related / showcase warm rebuild, wall", rel.wall / warm.wall, "none", None,
                       cpu(rel, warm))
        if cold and bare:
            ratio_line("bare loop / showcase cold, wall", bare.wall / cold.wall, "none", None, cpu(bare, cold))
        if cold and hugo:
            peak = max(cold.memory, warm.memory if warm else 0)
            r = peak / hugo.memory
            ratio_line(f"showcase peak memory ({mb(peak)} MB, cold or warm) / Hugo's ({mb(hugo.memory)} MB)", r,
                       "< 1x at 5,000", r < 1 if cases == 5000 else None)
        for key in ("showcase cold", "showcase warm"):
            if key in results:
                median_run = sorted(results[key].runs, key=lambda r: r.wall)[(len(results[key].runs) - 1) // 2]
                stages = stage_timings(median_run.output)
                if stages:
                    lines.append(f"- {key}, stages of the median run: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
        lines.append("")
    lines.append(f"Whole benchmark: {elapsed / 60:.1f} minutes. The machine may be shared: compare CPU "
                 "seconds too when the load average was high.")
    return "\n".join(lines) + "\n"


def _versions() -> str:
    found = []
    for name in ("markdown", "jinja2", "pelican"):
        try:
            from importlib.metadata import version
            found.append(f"{name} {version(name)}")
        except Exception:  # noqa: BLE001 - informational only
            pass
    try:
        out = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout.split()
        found.append(f"hugo {out[1]}" if len(out) > 1 else "hugo")
    except (OSError, SystemExit):
        pass
    return ", ".join(found)


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (OSError, AttributeError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 cases only")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 1000,5000")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median); default 3")
    parser.add_argument("--slow-runs", type=int, default=None,
                        help="runs for Pelican and the bare loop (default: --runs at 1,000, 1 above)")
    parser.add_argument("--tools", default="showcase,hugo,pelican,bare", help="comma-separated subset")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Markdown report (default bench/results-build.md)")
    parser.add_argument("--bare-loop", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_loop:
        bare_loop(Path(args.bare_loop[0]), Path(args.bare_loop[1]))
        return
    if not GEN_CORPUS.is_file():
        raise SystemExit(f"corpus generator not found: {GEN_CORPUS}")
    sizes = args.sizes or ([1000] if args.quick else [1000, 5000])
    tools = set(args.tools.split(","))
    started = time.perf_counter()
    all_results, loads, failures = {}, {}, {}
    for cases in sizes:
        slow = args.slow_runs if args.slow_runs is not None else (args.runs if cases <= 1000 else 1)
        before = _load()
        try:
            all_results[cases] = bench_size(cases, args.runs, slow, tools)
        except SystemExit as failed:        # a command failed: report it, keep the other sizes
            print(failed, file=sys.stderr)
            all_results[cases], failures[cases] = {}, str(failed).splitlines()[0]
        loads[cases] = f"{before} / {_load()}"
    command = " ".join(["python bench/bench_build.py"] + sys.argv[1:])
    text = report(all_results, command, loads, time.perf_counter() - started, failures)
    print()
    print(text)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
