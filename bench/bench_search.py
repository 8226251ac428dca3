#!/usr/bin/env python3
"""Search benchmark: showcase's own index against Pagefind 1.5.2 extended, side by side.

    python bench/bench_search.py [--cases 3000 5000] [--work DIR] [--out bench/results-search.md]

For each corpus size (gen_corpus.py, no photos): build the site with `showcase build`, then
  - index it with showcase's search stage alone (cold: no cache; warm: every document cached)
    and with Pagefind extended (`pagefind_extended`, from the pip package pagefind-bin-extended)
    over the whole output, as a user would run it, and over the document pages only
    (--glob '{cases,sites,pages}/*/index.html' --root-selector article: the same documents
    showcase indexes, without page chrome such as related-case lists); wall and CPU time and
    peak memory (max RSS) from /usr/bin/time;
  - in real Chromium (Debian's, through Playwright), against `python -m http.server`
    (no compression, so a file's size on disk is its download): the bytes a cold first query
    downloads, the time a query takes once its files are loaded, and the result set of every
    query in QUERIES, compared with the truth computed here from the Markdown sources
    (front matter and body lines, NFKC + lower case, substring, AND of terms).
Pagefind's query page uses its JS API only (no UI files), which keeps its byte count low.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Strings the generated corpus contains: village and community names, brands of work in quotes
# in the text, compound terms, 2- and 1-character queries, two-term AND, and one it lacks.
QUERIES = ["西翟村", "小张村", "府西社区", "红色网格", "四议两公开", "板凳会", "志愿服务", "矛盾纠纷", "养老服务",
           "调解", "养老", "村", "翟", "鑫", "西翟村 老年食堂", "红色网格 调解", "人民调解"]
COLD_QUERY = "志愿服务"

PF_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
const pf = await import("./pagefind/pagefind.js");
window.pfSearch = async (q, all) => {
  const t0 = performance.now();
  const r = await pf.search(q);
  const ms = performance.now() - t0;
  const take = all ? r.results : r.results.slice(0, 10);
  const data = await Promise.all(take.map(x => x.data()));
  return {count: r.results.length, ms, urls: data.map(d => d.url)};
};
window.pfReady = true;
</script>
"""


def run_timed(cmd: list[str], cwd: Path | None = None) -> dict:
    """Wall, user+sys CPU and max RSS of a command, by /usr/bin/time."""
    fmt = "BENCH %e %U %S %M"
    proc = subprocess.run(["/usr/bin/time", "-f", fmt, *cmd], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    line = [l for l in proc.stderr.splitlines() if l.startswith("BENCH ")][-1].split()
    return {"wall": float(line[1]), "cpu": float(line[2]) + float(line[3]), "rss_mb": int(line[4]) / 1024,
            "stdout": proc.stdout}


INDEX_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from builder.assemble import Selection, assemble
from builder.config import load_config
from builder.content.load import load_content
from builder.images.process import process_images
from builder.content.markdown import MarkdownCache
from builder.search.index import build_search_index
root = Path(sys.argv[1]); cache = Path(sys.argv[2]) if sys.argv[2] != "-" else None
site, _ = load_config(root)
content, _ = load_content(root, site, MarkdownCache(root / ".cache" / "markdown.json"))
model, _ = assemble(site, content, Selection())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t, c = time.perf_counter(), time.process_time()
index = build_search_index(model, cache)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "rss_before_mb": before,
                  "files": len(index.files), "bytes": sum(len(b) for b in index.files.values()), **index.stats}))
"""


def showcase_index(site: Path, warm: bool) -> dict:
    cache = site / ".cache" / "search-bench"
    if not warm:
        shutil.rmtree(cache, ignore_errors=True)
    else:
        subprocess.run([sys.executable, "-c", INDEX_SCRIPT, str(site), str(cache)], check=True, capture_output=True)
    timed = run_timed([sys.executable, "-c", INDEX_SCRIPT, str(site), str(cache) if warm else "-"])
    return {**timed, **json.loads(timed["stdout"].strip().splitlines()[-1])}


def pagefind_binary() -> str:
    import pagefind_bin_extended
    return str(Path(pagefind_bin_extended.__file__).parent / "pagefind_extended")


def pagefind_index(output: Path, documents_only: bool, bundle: str) -> dict:
    shutil.rmtree(output / bundle, ignore_errors=True)
    cmd = [pagefind_binary(), "--site", str(output), "--output-subdir", bundle, "--quiet"]
    if documents_only:
        cmd += ["--glob", "{cases,sites,pages}/*/index.html", "--root-selector", "article"]
    timed = run_timed(cmd)
    files = [p for p in (output / bundle).rglob("*") if p.is_file()]
    return {**timed, "files": len(files), "bytes": sum(p.stat().st_size for p in files)}


# --- truth from the sources --------------------------------------------------------------------

def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def split_front(text: str) -> tuple[dict, str]:
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta) or {}, body


def body_lines(body: str) -> list[str]:
    out = []
    for line in body.splitlines():
        line = re.sub(r"^(#+|-)\s+", "", line.strip()).replace("**", "")
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
        if line:
            out.append(norm(line))
    return out


def source_documents(site: Path) -> dict[str, list[str]]:
    """url -> normalised fields, for every case, model site and page, from the Markdown."""
    docs: dict[str, list[str]] = {}
    names = {}
    for path in sorted((site / "content" / "sites").glob("*/index.md")):
        meta, body = split_front(path.read_text(encoding="utf-8"))
        names[path.parent.name] = meta["title"]
        docs[f"sites/{path.parent.name}/"] = [norm(meta["title"]), norm(meta.get("summary", "")), *body_lines(body)]
    for path in sorted((site / "content" / "cases").glob("*/index.md")):
        meta, body = split_front(path.read_text(encoding="utf-8"))
        if meta.get("draft"):
            continue
        fields = [meta["title"], names.get(meta["site"], ""), *meta.get("tags", []), meta.get("summary", ""),
                  *[p.get("caption", "") for p in meta.get("photos") or []]]
        docs[f"cases/{path.parent.name}/"] = [norm(f) for f in fields if f] + body_lines(body)
    for path in sorted((site / "content" / "pages").glob("*.md")) if (site / "content" / "pages").is_dir() else []:
        meta, body = split_front(path.read_text(encoding="utf-8"))
        docs[f"pages/{path.stem}/"] = [norm(meta["title"]), *body_lines(body)]
    return docs


def truth(docs: dict[str, list[str]], query: str) -> set[str]:
    terms = [norm(t) for t in query.split() if norm(t)]
    return {url for url, fields in docs.items() if all(any(t in f for f in fields) for t in terms)}


# --- the browser -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.proc = subprocess.Popen([sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
                                      "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}/"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base, timeout=2).close()
                break
            except OSError:
                time.sleep(0.05)

    def size_of(self, url: str) -> int:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
        file = self.folder / path
        if file.is_dir():
            file = file / "index.html"
        return file.stat().st_size if file.is_file() else 0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def measure_browser(output: Path, ids_to_urls: list[str], docs: dict[str, list[str]], bundle: str) -> dict:
    from playwright.sync_api import sync_playwright
    (output / "pf-bench.html").write_text(PF_PAGE.replace("./pagefind/", f"./{bundle}/"), encoding="utf-8")
    server = Server(output)
    out: dict = {"queries": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            def cold(url_path: str, action) -> tuple[int, int, list[str]]:
                context = browser.new_context()
                page = context.new_page()
                requested: list[str] = []
                page.on("requestfinished", lambda r: requested.append(r.url))
                page.goto(server.base + url_path)
                action(page)
                page.wait_for_timeout(300)
                context.close()
                sizes = [server.size_of(u) for u in requested]
                def is_search_file(url: str) -> bool:
                    path = urllib.parse.urlsplit(url).path
                    return (f"/{bundle}/" in path or (path.endswith(".js") and
                            ("/search/" in path or path.rsplit("/", 1)[-1].startswith("search."))))
                search_only = [server.size_of(u) for u in requested if is_search_file(u)]
                return sum(sizes), sum(search_only), requested

            def showcase_wait(page):
                page.wait_for_selector("#search[data-state=done]", timeout=120000)

            def pf_wait(page):
                page.wait_for_function("window.pfReady === true", timeout=60000)
                page.evaluate(f"pfSearch({json.dumps(COLD_QUERY)}, false)")

            total, search_only, requested = cold("search/?q=" + urllib.parse.quote(COLD_QUERY), showcase_wait)
            out["showcase_cold"] = {"total": total, "search": search_only, "requests": len(requested)}
            total, search_only, requested = cold("pf-bench.html", pf_wait)
            out["pagefind_cold"] = {"total": total, "search": search_only, "requests": len(requested)}

            page = browser.new_page()
            page.goto(server.base + "search/")
            page.wait_for_selector("#search[data-ready='1']", timeout=60000)
            for query in QUERIES:
                page.fill("#search-q", query)
                page.press("#search-q", "Enter")
                page.wait_for_function(f"showcaseSearch.state.query === {json.dumps(query)}", timeout=120000)
                page.wait_for_selector("#search[data-state=done]", timeout=120000)
                state = page.evaluate("showcaseSearch.state")
                got = {ids_to_urls[i] for i in state["results"]}
                out["queries"].setdefault(query, {})["showcase"] = (got, state["ms"])
            # The filters opened: facets.js is loaded, and every answer then carries live counts.
            page.click("#search-filters-box summary")
            page.wait_for_function("document.querySelectorAll('#search-category option').length > 1", timeout=60000)
            for query in ("村", "志愿服务", "西翟村 老年食堂"):
                page.fill("#search-q", query)
                page.press("#search-q", "Enter")
                page.wait_for_function(f"showcaseSearch.state.query === {json.dumps(query)}", timeout=120000)
                page.wait_for_selector("#search[data-state=done]", timeout=120000)
                out.setdefault("with_counts", {})[query] = page.evaluate("showcaseSearch.state.ms")
            page.select_option("#search-category", "农村")
            page.wait_for_function("location.search.indexOf('category=') >= 0", timeout=60000)
            page.wait_for_selector("#search[data-state=done]", timeout=120000)
            out["with_counts"]["西翟村 老年食堂 + category 农村"] = page.evaluate("showcaseSearch.state.ms")
            pf = browser.new_page()
            pf.goto(server.base + "pf-bench.html")
            pf.wait_for_function("window.pfReady === true", timeout=60000)
            for query in QUERIES:
                first = pf.evaluate(f"pfSearch({json.dumps(query)}, true)")
                again = pf.evaluate(f"pfSearch({json.dumps(query)}, false)")
                got = {urllib.parse.unquote(u).lstrip("/") for u in first["urls"]}
                out["queries"][query]["pagefind"] = (got, again["ms"])
            browser.close()
    finally:
        server.stop()
        (output / "pf-bench.html").unlink(missing_ok=True)
    for query, found in out["queries"].items():
        found["truth"] = truth(docs, query)
    return out


# --- the run -----------------------------------------------------------------------------------

def prepare(work: Path, cases: int) -> Path:
    site = work / f"corpus-{cases}"
    if not (site / "site.yaml").is_file():
        subprocess.run([sys.executable, str(GEN), str(site), "--cases", str(cases), "--photos-per-case", "0"],
                       check=True, capture_output=True)
    build = run_timed([sys.executable, "-m", "builder", "build", "--source", str(site), "-q"], cwd=REPO)
    print(f"  showcase build of {cases} cases: {build['wall']:.1f} s", file=sys.stderr)
    return site


def ids_to_urls(site: Path) -> list[str]:
    """The document numbers of the index -> URLs (read from the index's own document files)."""
    folder = site / "output" / "search" / "d"
    urls = []
    for n in range(len(list(folder.glob("*.js")))):
        text = (folder / f"{n}.js").read_text(encoding="utf-8")
        urls.append(json.loads(text[text.index(",") + 1: text.rindex(")")])[2])
    return urls


def index_files(folder: Path) -> dict:
    sizes = {p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*.js")}
    buckets = [v for k, v in sizes.items() if k.startswith("k/")]
    heavy = [v for k, v in sizes.items() if k.startswith("h/")]
    docs = [v for k, v in sizes.items() if k.startswith("d/")]
    return {"manifest": sizes["manifest.js"], "facets": sizes["facets.js"], "buckets": len(buckets),
            "bucket_median": statistics.median(buckets), "bucket_max": max(buckets), "heavy": len(heavy),
            "heavy_median": statistics.median(heavy) if heavy else 0, "heavy_max": max(heavy, default=0),
            "docs": len(docs), "doc_median": statistics.median(docs), "total": sum(sizes.values())}


def pr(got: set[str], want: set[str]) -> tuple[float, float]:
    hit = len(got & want)
    return (hit / len(got) if got else (1.0 if not want else 0.0)), (hit / len(want) if want else 1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[3000, 5000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/showcase-bench-search"))
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results-search.md")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    for cases in args.cases:
        print(f"corpus of {cases} cases", file=sys.stderr)
        site = prepare(args.work, cases)
        output = site / "output"
        row = {"showcase_cold": showcase_index(site, warm=False), "showcase_warm": showcase_index(site, warm=True),
               "pagefind_all": pagefind_index(output, documents_only=False, bundle="pagefind-all"),
               "pagefind_docs": pagefind_index(output, documents_only=True, bundle="pagefind")}
        shutil.rmtree(output / "pagefind-all", ignore_errors=True)
        for name in ("showcase_cold", "showcase_warm", "pagefind_all", "pagefind_docs"):
            r = row[name]
            print(f"  {name}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss_mb']:.0f} MB", file=sys.stderr)
        if cases == max(args.cases):
            row["browser"] = measure_browser(output, ids_to_urls(site), source_documents(site), "pagefind")
        row["files"] = index_files(output / "search")
        results[cases] = row
    report = render(results)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(results: dict) -> str:
    lines = ["# Search benchmark: showcase vs Pagefind 1.5.2 extended", "",
             "Made by `python bench/bench_search.py` on this project's 2-core machine (shared with other work, so",
             "absolute times vary from run to run; both tools ran in the same run, one after the other). Corpora from",
             "`shared/bench/gen_corpus.py --photos-per-case 0`. Pagefind runs twice: over the whole output folder (as a",
             "user would run it) and over the document pages only (`--glob '{cases,sites,pages}/*/index.html'",
             "--root-selector article`: the documents showcase indexes, without page chrome); the browser figures use",
             "the document-pages bundle. Times and memory from `/usr/bin/time`; showcase's figures are its search stage",
             "alone (the process also holds the loaded site model: its RSS before indexing is given). Wall times",
             "include waiting for a CPU while other work runs on the machine; CPU time is the steadier comparison.", "",
             "Design in brief (builder/search.py has the whole of it): no word segmentation. Per document, each",
             "character (count and best field), each character pair (the same, and every position) and the pinyin of",
             "titles and site names are indexed; a term of 3+ characters is answered exactly from the positions of the",
             "pairs that cover it, so no text is downloaded to check a match. Keys are hashed into ~12 KB bucket files;",
             "a key with a long posting list is a file of its own. A query loads the small manifest, at most",
             "⌈n/2⌉ + 1 posting files per n-character term, and one small file per result shown (10 at a time).", "",
             "## Indexing", "",
             "| cases | indexer | wall s | CPU s | peak RSS MB | files | MB on disk |", "|---|---|---|---|---|---|---|"]
    for cases, row in results.items():
        for name, label in (("showcase_cold", "showcase, cold (no cache)"), ("showcase_warm", "showcase, all cached"),
                            ("pagefind_all", "Pagefind, whole output"), ("pagefind_docs", "Pagefind, document pages")):
            r = row[name]
            wall = r.get("seconds", r["wall"])
            cpu = r["cpu"]
            rss = f"{r['rss_mb']:.0f}" + (f" (model {r['rss_before_mb']:.0f})" if "rss_before_mb" in r else "")
            lines.append(f"| {cases} | {label} | {wall:.2f} | {cpu:.2f} | {rss} | {r['files']} | {r['bytes'] / 1e6:.1f} |")
    lines += ["", "Ratios (showcase cold / Pagefind whole output):", ""]
    for cases, row in results.items():
        s, p = row["showcase_cold"], row["pagefind_all"]
        q = row["pagefind_docs"]
        lines.append(f"- {cases} cases: wall {s['seconds'] / p['wall']:.2f}, CPU {s['cpu'] / p['cpu']:.2f}, "
                     f"memory {s['rss_mb'] / p['rss_mb']:.2f}; against Pagefind on document pages only: "
                     f"wall {s['seconds'] / q['wall']:.2f}, CPU {s['cpu'] / q['cpu']:.2f}")
    lines += ["", "## Index files", "",
              "| cases | manifest KB | facets KB | buckets (median / max KB) | own-file keys (median / max KB) | document files (median KB) | total MB |",
              "|---|---|---|---|---|---|---|"]
    for cases, row in results.items():
        f = row["files"]
        lines.append(f"| {cases} | {f['manifest'] / 1024:.1f} | {f['facets'] / 1024:.1f} | {f['buckets']} "
                     f"({f['bucket_median'] / 1024:.1f} / {f['bucket_max'] / 1024:.1f}) | {f['heavy']} "
                     f"({f['heavy_median'] / 1024:.1f} / {f['heavy_max'] / 1024:.1f}) | {f['docs']} "
                     f"({f['doc_median'] / 1024:.1f}) | {f['total'] / 1e6:.1f} |")
    browser = next((row["browser"] for row in results.values() if "browser" in row), None)
    if browser:
        cases = max(results)
        sc, pc = browser["showcase_cold"], browser["pagefind_cold"]
        lines += ["", f"## Cold first query at {cases} cases (“{COLD_QUERY}”, real Chromium, http.server, sizes on disk)", "",
                  "| | search files KB | everything requested KB | requests |", "|---|---|---|---|",
                  f"| showcase (search page, first 10 results with excerpts) | {sc['search'] / 1024:.0f} | {sc['total'] / 1024:.0f} | {sc['requests']} |",
                  f"| Pagefind (JS API, first 10 results' data) | {pc['search'] / 1024:.0f} | {pc['total'] / 1024:.0f} | {pc['requests']} |",
                  "", "“search files”: the index, the search script and (Pagefind) its WebAssembly; “everything”: also the",
                  "HTML page, stylesheet and other page assets.", "",
                  f"## Queries at {cases} cases: precision / recall against substring truth, and time per query", "",
                  "Time: showcase, computing the answer (decoding postings, matching, ranking, live facet counts) once its",
                  "files are loaded; Pagefind, `pagefind.search()` repeated once its chunks are loaded.", "",
                  "| query | truth | showcase found | P | R | ms | Pagefind found | P | R | ms |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        sms, pms = [], []
        for query, found in browser["queries"].items():
            want = found["truth"]
            sgot, sm = found["showcase"]
            pgot, pm = found["pagefind"]
            sp, sr = pr(sgot, want)
            pp, prr = pr(pgot, want)
            sms.append(sm)
            pms.append(pm)
            lines.append(f"| {query} | {len(want)} | {len(sgot)} | {sp:.0%} | {sr:.0%} | {sm:.1f} | {len(pgot)} | {pp:.0%} | {prr:.0%} | {pm:.1f} |")
        lines += ["", f"Median time per query: showcase {statistics.median(sms):.1f} ms (max {max(sms):.1f}), "
                      f"Pagefind {statistics.median(pms):.1f} ms (max {max(pms):.1f}).", "",
                  "With the filters opened (search/facets.js loaded, every answer also counts each filter value): "
                  + ", ".join(f"{q} {ms:.1f} ms" for q, ms in browser.get("with_counts", {}).items()) + "."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
