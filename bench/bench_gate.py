#!/usr/bin/env python3
"""What the publishing gate costs a rebuild: `showcase build` of this tree against the same
command of an earlier commit (default: the merge base with main), side by side in one run.

    python bench/bench_gate.py                 # the sample site and a 1,000-case corpus, 5 runs each
    python bench/bench_gate.py --before REF --runs 7

For each site: a warm rebuild (nothing changed since the last build) and a rebuild after one
case's text changed, each the median wall time of --runs builds in fresh processes, alternating
between the two trees. The earlier tree is exported with `git archive` into bench/work/ (git-
ignored); each tree builds its own copy of each site, so neither reads the other's cache.
Not a test: nothing is asserted. Results go to stdout as a table of seconds and ratios.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "gate"
GEN_CORPUS = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def export(ref: str) -> Path:
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", ref], check=True, capture_output=True,
                            text=True).stdout.strip()
    target = WORK / f"tree-{commit[:10]}"
    if not target.is_dir():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def sites() -> dict[str, Path]:
    found = {"sample": WORK / "sample"}
    if not found["sample"].is_dir():
        found["sample"].mkdir(parents=True)
        shutil.copy(REPO / "site.yaml", found["sample"] / "site.yaml")
        shutil.copytree(REPO / "content", found["sample"] / "content")
    corpus = WORK / "corpus-1000"
    if GEN_CORPUS.is_file():
        if not corpus.is_dir():
            subprocess.run([sys.executable, str(GEN_CORPUS), str(corpus), "--cases", "1000", "--photos-per-case", "0"],
                           check=True, capture_output=True)
        found["corpus-1000"] = corpus
    return found


def build(tree: Path, site: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "builder", "build", "--source", str(site), "-q"],
                          env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True)
    spent = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed with {tree}: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return spent


def edit(site: Path, number: int) -> None:
    """Change one case's text a little (a different word each time)."""
    case = sorted((site / "content/cases").glob("*/index.md"))[0]
    text = case.read_text(encoding="utf-8")
    marker = "\n\n（本段为测速修改）"
    text = text.split(marker)[0] + marker + "甲乙丙丁戊己庚辛"[number % 8] + "\n"
    case.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="main", help="the earlier commit or branch (default: main)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    trees = {"before": export(args.before), "after": REPO}
    rows = []
    for name, source in sites().items():
        copies = {}
        for label, tree in trees.items():
            copy = WORK / f"{name}-{label}"
            if copy.exists():
                shutil.rmtree(copy)
            shutil.copytree(source, copy)
            build(tree, copy)                       # cold, and it fills the caches
            copies[label] = copy
        for mode in ("warm", "one edit"):
            times: dict[str, list[float]] = {label: [] for label in trees}
            for run in range(args.runs):
                for label, tree in trees.items():
                    if mode == "one edit":
                        edit(copies[label], run)
                    times[label].append(build(tree, copies[label]))
            before, after = (statistics.median(times[label]) for label in ("before", "after"))
            rows.append((name, mode, before, after))
    print(f"| site | rebuild | before ({args.before}) s | after s | after / before |")
    print("|---|---|---|---|---|")
    for name, mode, before, after in rows:
        print(f"| {name} | {mode} | {before:.2f} | {after:.2f} | {after / before:.2f} |")


if __name__ == "__main__":
    main()
