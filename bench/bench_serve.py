#!/usr/bin/env python3
"""Live-preview benchmark: time from saving an edit to the new page being served.

    python bench/bench_serve.py                 # 1,000 cases, 15 Markdown edits, 3 new photos
    python bench/bench_serve.py --cases 200 --edits 5 --photos 1

On a site made by ../shared/bench/gen_corpus.py (--photos-per-case 0), starts
`python -m builder serve -v` in a subprocess, then, one at a time:

- rewrites one case's index.md with a new sentence and polls the case page until the sentence
  is served; the time from the file being closed to that answer is one sample;
- drops one new 4000x3000 phone photo (a fresh picture each time, so no cache can help) into a
  case folder with an atomic rename, and polls until the case page shows its renditions.

After each sample it also asks for /sitemap.xml, a page the preview never serves before the
whole build is published, so the next edit starts on an idle preview and the time until the
whole build is done is known as well. The server's CPU time (user + system, from /proc, Linux
only) is taken at the save, when the page is served and when the build is done: on a shared
machine CPU time says what the work costs, wall time also what the neighbours cost.

The preview's own per-build timings (printed with -v) are collected too, so the report can say
where the time goes: noticing the change (scan + settle), building, serving.
Results go to stdout and bench/results-serve.md. Not a test: nothing here asserts.
"""
from __future__ import annotations

import argparse
import io
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
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN_CORPUS = REPO.parent / "shared" / "bench" / "gen_corpus.py"
WORK = REPO / "bench" / "work"                    # git-ignored
RESULTS = REPO / "bench" / "results-serve.md"
TARGET_EDIT, TARGET_PHOTO = 0.300, 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")


def wait_until_served(url: str, marker: str, since: float, poll: float, limit: float = 120.0) -> float:
    """Seconds from `since` until a GET of `url` contains `marker`."""
    while True:
        if marker in fetch(url):
            return time.perf_counter() - since
        if time.perf_counter() - since > limit:
            raise SystemExit(f"gave up: {marker!r} not served at {url} after {limit:.0f} s")
        time.sleep(poll)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid` so far (Linux), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sample:
    """One change: seconds (and server CPU seconds) until the page was served and until the
    whole build was published."""

    def __init__(self, pid: int):
        self.pid = pid
        self.start = time.perf_counter()
        self.cpu_start = cpu_seconds(pid)
        self.served = self.done = 0.0
        self.cpu_served = self.cpu_done = None

    def _cpu(self) -> float | None:
        now = cpu_seconds(self.pid)
        return None if now is None or self.cpu_start is None else now - self.cpu_start

    def wait_served(self, url: str, marker: str, poll: float) -> None:
        self.served = wait_until_served(url, marker, self.start, poll)
        self.cpu_served = self._cpu()

    def wait_done(self, base: str) -> None:
        fetch(base + "sitemap.xml")          # held by the preview until the whole build is published
        self.done = time.perf_counter() - self.start
        self.cpu_done = self._cpu()


def make_site(cases: int) -> Path:
    pristine = WORK / f"serve-corpus-{cases}"
    if not (pristine / "site.yaml").is_file():
        shutil.rmtree(pristine, ignore_errors=True)
        subprocess.run([sys.executable, str(GEN_CORPUS), str(pristine), "--cases", str(cases),
                        "--photos-per-case", "0"], check=True, stdout=subprocess.DEVNULL)
    site = WORK / f"serve-site-{cases}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pristine, site)
    return site


def photo_bytes(seed: int) -> bytes:
    """A fresh 4000x3000 JPEG with a phone photo's amount of detail (3-5 MB)."""
    from PIL import Image, ImageDraw, ImageFilter
    rng = random.Random(seed)
    small = Image.effect_noise((500, 375), 60 + seed % 20).convert("RGB")
    image = small.resize((4000, 3000), Image.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(4000), rng.randrange(3000)
        draw.rectangle((x, y, x + rng.randrange(50, 900), y + rng.randrange(50, 600)),
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    noise = Image.effect_noise((4000, 3000), 25).convert("RGB")
    image = Image.blend(image, noise, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def case_text(original: str, sentence: str) -> str:
    head, sep, body = original.partition("\n---\n")
    return f"{head}{sep}\n{sentence}\n{body}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--poll", type=float, default=0.01, help="seconds between requests while waiting")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    site = make_site(args.cases)
    load_before = _load()
    port = free_port()
    log_path = WORK / "serve.log"
    log = log_path.open("wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "-v", "--source", str(site), "--port", str(port)],
                              cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        slugs = sorted(p.name for p in (site / "content/cases").iterdir())
        slug = slugs[len(slugs) // 2]
        url = f"http://127.0.0.1:{port}/cases/{slug}/"
        time.sleep(0.2)
        while True:
            try:
                fetch(url)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(log_path.read_text(encoding="utf-8", errors="replace"))
                time.sleep(0.05)
        first_build = time.perf_counter() - started
        print(f"first (cold) build and start: {first_build:.1f} s")

        index = site / "content/cases" / slug / "index.md"
        original = index.read_text(encoding="utf-8")
        base = f"http://127.0.0.1:{port}/"
        edits: list[Sample] = []
        for n in range(args.edits):
            marker = f"基准测试第{n}次修改{random.randrange(10**9)}"
            time.sleep(0.5)                            # let the previous build's echoes settle
            text = case_text(original, marker)
            sample = Sample(server.pid)
            index.write_text(text, encoding="utf-8")
            sample.start = time.perf_counter()         # from the file being closed
            sample.wait_served(url, marker, args.poll)
            sample.wait_done(base)
            edits.append(sample)
            print(f"edit {n + 1:2}: {sample.served * 1000:6.0f} ms served, {sample.done * 1000:6.0f} ms built"
                  + (f", CPU {sample.cpu_served * 1000:5.0f} / {sample.cpu_done * 1000:5.0f} ms"
                     if sample.cpu_done is not None else ""))

        photos: list[Sample] = []
        for n in range(args.photos):
            data = photo_bytes(n)
            name = f"benchphoto{n}{random.randrange(10**6)}"
            staging = WORK / f"{name}.jpg"
            staging.write_bytes(data)
            time.sleep(0.5)
            sample = Sample(server.pid)
            os.replace(staging, site / "content/cases" / slug / f"{name}.jpg")   # appears complete
            sample.start = time.perf_counter()
            sample.wait_served(url, f"{name}-480w.", args.poll)
            sample.wait_done(base)
            photos.append(sample)
            print(f"photo {n + 1}: {sample.served:.2f} s served, {sample.done:.2f} s built"
                  + (f", CPU {sample.cpu_served:.2f} / {sample.cpu_done:.2f} s" if sample.cpu_done is not None else "")
                  + f"  ({len(data) / 1e6:.1f} MB)")
        # The last build's timings are printed just after it is published: wait for them.
        expected = 1 + len(edits) + len(photos)
        deadline = time.perf_counter() + 10
        while (log_path.read_text(encoding="utf-8", errors="replace").count("各阶段用时") < expected
               and time.perf_counter() < deadline):
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    output = log_path.read_text(encoding="utf-8", errors="replace")
    updates = [float(m) for m in re.findall(r"预览已更新，用时 ([\d.]+) 秒", output)]
    stages = re.findall(r"各阶段用时：(.*)", output)
    report(args, site, first_build, edits, photos, updates, stages, load_before, _load())


def _load() -> str:
    try:
        return "%.1f" % os.getloadavg()[0]
    except (AttributeError, OSError):      # Windows
        return "?"


def _first_pages(stages: list[str]) -> list[float]:
    """Seconds from the start of a build until its first pages were handed to the preview: the
    stage laps up to and including 'first' (builds without that lap are left out)."""
    found = []
    for line in stages:
        laps = re.findall(r"(\w+) ([\d.]+) 秒", line)
        names = [name for name, _ in laps]
        if "first" in names:
            found.append(sum(float(v) for _, v in laps[:names.index("first") + 1]))
    return found


def _row(what: str, values: list[float], unit: str, target: float | None = None) -> str:
    def shown(v: float) -> str:
        return f"{v * 1000:.0f} ms" if unit == "ms" else f"{v:.2f} s"
    met = "" if target is None else ("met" if statistics.median(values) < target else "NOT met")
    return (f"| {what} | {shown(statistics.median(values))} | {shown(min(values))} | {shown(max(values))} | "
            f"{shown(target) if target is not None else ''} | {met} |")


def report(args, site, first_build, edits, photos, updates, stages, load_before, load_after) -> None:
    edit_builds = updates[:len(edits)]
    photo_builds = updates[len(edits):len(edits) + len(photos)]
    edit_stages, photo_stages = stages[1:1 + len(edits)], stages[1 + len(edits):1 + len(edits) + len(photos)]
    lines = [
        "# Live preview: from saving to being served",
        "",
        f"`python bench/bench_serve.py --cases {args.cases} --edits {args.edits} --photos {args.photos}` "
        f"on {platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; load average {load_before} before, {load_after} after "
        "(a machine shared with other jobs: above the core count, every wall-clock figure is inflated; "
        "CPU is the server process's user + system time over the same span).",
        "",
        f"Site: gen_corpus.py --cases {args.cases} --photos-per-case 0. Server: `showcase serve` as shipped.",
        "",
        "| what | median | min | max | target | |",
        "|---|---:|---:|---:|---:|---|",
        _row(f"Markdown edit → new text served ({len(edits)} edits)", [e.served for e in edits], "ms", TARGET_EDIT),
    ]
    if edits and edits[0].cpu_served is not None:
        lines.append(_row("　CPU of the server meanwhile", [e.cpu_served for e in edits], "ms"))
    lines.append(_row("Markdown edit → whole build published", [e.done for e in edits], "ms"))
    if edits and edits[0].cpu_done is not None:
        lines.append(_row("　CPU of the server meanwhile", [e.cpu_done for e in edits], "ms"))
    if photos:
        lines.append(_row(f"new 4000x3000 photo → renditions served ({len(photos)} photos)",
                          [p.served for p in photos], "s", TARGET_PHOTO))
        if photos[0].cpu_served is not None:
            lines.append(_row("　CPU of the server meanwhile", [p.cpu_served for p in photos], "s"))
        lines.append(_row("new photo → whole build published", [p.done for p in photos], "s"))
        if photos[0].cpu_done is not None:
            lines.append(_row("　CPU of the server meanwhile", [p.cpu_done for p in photos], "s"))
    if first := _first_pages(edit_stages):
        lines.append(_row("of which build start → edited page ready, per edit", first, "ms"))
    if edit_builds:
        lines.append(_row("of which build_site, per edit", edit_builds, "ms"))
    if first := _first_pages(photo_stages):
        lines.append(_row("of which build start → page ready, per photo", first, "s"))
    if photo_builds:
        lines.append(_row("of which build_site, per photo", photo_builds, "s"))
    lines += ["", f"First (cold) build and start: {first_build:.1f} s.", ""]
    if stages:
        lines += ["Stage timings of the builds after edits, then after photos (from `showcase serve -v`):", "", "```"]
        lines += edit_stages[:3] + photo_stages
        lines += ["```", ""]
    text = "\n".join(lines)
    print(text)
    marker = "<!-- measured -->"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    analysis = old.split(marker, 1)[1] if marker in old else "\n"
    RESULTS.write_text(text + "\n" + marker + analysis, encoding="utf-8")


if __name__ == "__main__":
    main()
