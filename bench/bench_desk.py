#!/usr/bin/env python3
"""Editing-desk benchmark, in real Chromium against a real `showcase serve`:

    python bench/bench_desk.py                  # 1,000 cases, 7 saves, 3 batches of ten photos
    python bench/bench_desk.py --cases 200 --saves 3 --batches 1

1. Save -> preview reloaded. One window shows a case's preview page, another the case's form in
   the desk. The form's text gets a new sentence and 保存 is clicked; the time is taken from the
   click until the preview tab has reloaded by itself (LiveReload) and shows the sentence.
   The peer, in the same run and on the same page: the same kind of change written straight
   into index.md, as a text editor saves it, until the preview tab shows it. The difference is
   what the desk adds (its request, the form's edit, the atomic write). Target: under 1 s.
2. Ten 4000x3000 phone photos (fresh pictures, 3-5 MB each, so no cache helps) given to the
   form's photo input at once (what a drop does: the same handler), until all ten thumbnails are
   shown (loaded, non-zero size). Target: within 5 s. The time until the ten uploads are done
   is given too.

Corpus: ../shared/bench/gen_corpus.py (--photos-per-case 0), as bench_serve.py makes it. The
load average is reported: on a shared machine wall time also says what the neighbours cost.
Results go to stdout and bench/results-desk.md. Not a test: nothing here asserts.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import REPO, WORK, _load, fetch, free_port, make_site, photo_bytes  # noqa: E402

RESULTS = REPO / "bench" / "results-desk.md"
CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
TARGET_SAVE, TARGET_PHOTOS = 1.0, 5.0


def wait_text(page, text: str, since: float, limit: float = 60.0) -> float:
    page.get_by_text(text).first.wait_for(timeout=limit * 1000)
    return time.perf_counter() - since


def idle(base: str) -> None:
    """Wait until the preview's build is done: /sitemap.xml is held until the whole build is
    published, so the next change starts on an idle preview (as bench_serve.py does)."""
    fetch(base + "/sitemap.xml")


def thumbnails_shown(page) -> int:
    return page.locator(".card .thumb img").evaluate_all(
        "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--batches", type=int, default=3)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    WORK.mkdir(parents=True, exist_ok=True)
    site = make_site(args.cases)
    load_before = _load()
    port = free_port()
    log = (WORK / "desk.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", str(site), "--port", str(port)],
                              cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    slugs = sorted(p.name for p in (site / "content/cases").iterdir())
    slug = slugs[len(slugs) // 2]
    index = site / "content/cases" / slug / "index.md"
    saves, editor_saves, batches, uploads = [], [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            # Two windows side by side, as a user works: a tab in the background of the same window
            # would have its timers throttled by Chromium and reload late.
            windows = [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(2)]
            for window in windows:
                window.set_default_timeout(180_000)
            preview, form = windows[0].new_page(), windows[1].new_page()
            preview.goto(f"{base}/cases/{slug}/")             # waits for the first build
            form.goto(f"{base}/_edit/case/{slug}")
            form.get_by_role("button", name="保存", exact=True).wait_for()
            body = form.get_by_role("textbox", name="正文", exact=True)
            for n in range(args.saves):
                marker = f"编辑台基准第{n}次{random.randrange(10 ** 9)}"
                body.fill(body.input_value() + f"\n{marker}\n")
                time.sleep(0.8)                                 # the live check settles
                idle(base)
                start = time.perf_counter()
                form.get_by_role("button", name="保存", exact=True).click()
                saves.append(wait_text(preview, marker, start))
                time.sleep(0.8)
                idle(base)
                marker = f"编辑器基准第{n}次{random.randrange(10 ** 9)}"
                text = index.read_text(encoding="utf-8")
                start = time.perf_counter()
                index.write_text(text + f"\n{marker}\n", encoding="utf-8")
                editor_saves.append(wait_text(preview, marker, start))
                idle(base)
                form.reload()                                    # the file changed under the form
                form.get_by_role("button", name="保存", exact=True).wait_for()
                body = form.get_by_role("textbox", name="正文", exact=True)
                print(f"save {n + 1}: desk {saves[-1] * 1000:5.0f} ms, editor {editor_saves[-1] * 1000:5.0f} ms")

            pictures = WORK / "desk-photos"
            for batch in range(args.batches):
                folder = pictures / str(batch)
                folder.mkdir(parents=True, exist_ok=True)
                files = []
                for n in range(10):
                    path = folder / f"IMG_{batch}{n:03d}.jpg"
                    path.write_bytes(photo_bytes(1000 * batch + n + random.randrange(10 ** 6)))
                    files.append(path)
                form.goto(f"{base}/_edit/case/{slugs[batch]}")
                form.get_by_role("button", name="保存", exact=True).wait_for()
                idle(base)
                start = time.perf_counter()
                form.locator("#photo-input").set_input_files(files)
                uploaded = None
                while thumbnails_shown(form) < 10:
                    if uploaded is None and form.locator(".uploads li").count() == 0 and form.locator(".card").count() >= 10:
                        uploaded = time.perf_counter() - start
                    if time.perf_counter() - start > 120:
                        raise SystemExit("gave up waiting for the thumbnails")
                    time.sleep(0.02)
                batches.append(time.perf_counter() - start)
                uploads.append(uploaded or batches[-1])
                print(f"photos {batch + 1}: ten thumbnails in {batches[-1]:.2f} s (uploads done at {uploads[-1]:.2f} s)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    report(args, saves, editor_saves, batches, uploads, load_before, _load())


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"


def _s(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def report(args, saves, editor_saves, batches, uploads, load_before, load_after) -> None:
    ratio = statistics.median(saves) / statistics.median(editor_saves)
    lines = [
        "# Editing desk: save -> preview reloaded, ten photos -> thumbnails",
        "",
        f"`python bench/bench_desk.py --cases {args.cases} --saves {args.saves} --batches {args.batches}` "
        f"on {platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()}, Chromium headless; "
        f"load average {load_before} before, {load_after} after. Median (min–max).",
        "",
        "| what | median (min–max) | target | |",
        "|---|---|---|---|",
        f"| save in the desk → the case's preview tab reloaded and showing it | {_ms(saves)} | 1 s | "
        f"{'met' if statistics.median(saves) < TARGET_SAVE else 'NOT met'} |",
        f"| peer: the same change saved by a text editor → preview tab showing it | {_ms(editor_saves)} | | |",
        f"| ratio desk / editor | {ratio:.2f} | | |",
        f"| ten 4000x3000 photos given at once → all ten thumbnails shown | {_s(batches)} | 5 s | "
        f"{'met' if statistics.median(batches) < TARGET_PHOTOS else 'NOT met'} |",
        f"| of which: the ten uploads done | {_s(uploads)} | | |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
