"""Regenerate the screenshots in docs/img/ from the sample site.

    python docs/make_screenshots.py

Copies the sample site (site.yaml, content/) to a temporary folder, builds it, adds a draft
case with `showcase new case` and builds a preview of it, writes a `showcase check --html`
report, serves the lot with `python -m http.server` on 127.0.0.1, and photographs the pages in
headless Chromium (Debian's /usr/bin/chromium driven by Playwright; see /work/shared/BROWSER.md
for the packages); then makes the sample's booklet with `showcase booklet` and draws its cover,
contents and first case with poppler's pdftoppm (apt-get install poppler-utils). PNGs are 390 px wide (a phone) or 1280 px (a desktop), reduced to a palette
of 256 colours, so each is small enough to keep in the repository.
"""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "img"
CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NEW_CASE = "xizhai-renju-huanjing"

# (file name, URL path under the server root, viewport, full page?)
SHOTS = [
    ("home-phone.png", "site/", PHONE, False),
    ("home-desktop.png", "site/", DESKTOP, False),
    ("case-phone.png", "site/cases/xizhai-jiceng-zhili/", PHONE, True),
    ("sites-phone.png", "site/sites/", PHONE, False),
    ("preview-draft-phone.png", f"preview/cases/{NEW_CASE}/", PHONE, False),
    ("check-report.png", "report.html", {"width": 1280, "height": 900}, False),
    ("booklet-phone.png", "site/booklet/", PHONE, False),
]
# Pages of the sample's booklet PDF (`showcase booklet`), drawn by poppler's pdftoppm:
# (file name, which page: 'cover', 'contents' or 'first case').
BOOKLET_PAGES = [("booklet-cover.png", "cover"), ("booklet-contents.png", "contents"), ("booklet-case.png", "first case")]


def showcase(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL)


def prepare(work: Path) -> None:
    site = work / "sample"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    if (REPO / ".cache").is_dir():                       # photo renditions already made: faster
        shutil.copytree(REPO / ".cache", site / ".cache")
    # Built for the sub-paths the pages are served at: /site/ and /preview/.
    built = showcase("build", "--output", str(work / "site"), "--base-url", "/site/", "-q", cwd=site)
    assert built.returncode == 0, built.stderr

    made = showcase("new", "case", "--title", "西翟村“人居环境”整治三年行动", "--site", "xizhai-cun",
                    "--category", "农村", "--action", "文明乡风", cwd=site)
    assert made.returncode == 0, made.stderr
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\npublish:\n  require_review: true\n", encoding="utf-8")
    sys.path.insert(0, str(REPO))
    from builder.build import BuildOptions, build_site
    build_site(site, BuildOptions(output=work / "preview", base_url="/preview/", preview=True, drafts=True))
    showcase("check", "--drafts", "--html", str(work / "report.html"), "-q", cwd=site)


def booklet_pages(work: Path) -> None:
    """The sample's booklet as a PDF (the draft added above left out), and three of its pages."""
    from pypdf import PdfReader
    site = work / "sample"
    shutil.rmtree(site / "content" / "cases" / NEW_CASE)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")           # without the require_review added above
    pdf = work / "booklet.pdf"
    made = showcase("booklet", "--pdf", str(pdf), "--base-url", "https://www.example.gov.cn/showcase/", cwd=site)
    assert made.returncode == 0, made.stderr
    reader = PdfReader(pdf)
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    first_case = next(reader.get_destination_page_number(item[0]) for item in reader.outline if isinstance(item, list))
    pages = {"cover": 0, "contents": marks["目录"], "first case": first_case}
    for name, which in BOOKLET_PAGES:
        number = pages[which] + 1
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(work / "page")], check=True)
        (OUT / name).write_bytes(optimise((work / "page.png").read_bytes()))
        print(f"{name}: {len((OUT / name).read_bytes()) // 1024} KB")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(base, timeout=2).close()
            return proc, base
        except OSError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise
            time.sleep(0.1)


def optimise(png: bytes) -> bytes:
    """256-colour palette, the way screenshots of flat pages lose nothing visible."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def photograph(base: str) -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, viewport, full in SHOTS:
            context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
            page = context.new_page()
            page.on("request", lambda request: _only_local(request.url))
            page.goto(base + path, wait_until="networkidle")
            if full:                     # lazy pictures below the first screen load only when scrolled to
                page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
                page.wait_for_load_state("networkidle")
                page.wait_for_function("[...document.images].every(i => i.complete)")
            page.evaluate("document.fonts.ready")
            data = page.screenshot(full_page=full)
            (OUT / name).write_bytes(optimise(data))
            print(f"{name}: {len((OUT / name).read_bytes()) // 1024} KB")
            context.close()
        browser.close()


def _only_local(url: str) -> None:
    if not url.startswith(("http://127.0.0.1:", "data:", "about:")):
        raise SystemExit(f"the page asked another host for {url}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="showcase-shots-") as tmp:
        work = Path(tmp)
        prepare(work)
        proc, base = serve(work)
        try:
            photograph(base)
            booklet_pages(work)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
