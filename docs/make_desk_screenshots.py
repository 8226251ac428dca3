"""Regenerate the editing desk's screenshots in docs/img/ (desk-*.png) from the sample site.

    python docs/make_desk_screenshots.py

Copies the sample site to a temporary folder, starts `showcase serve` on it, makes a new case
through the desk (as a user would: 新建案例, the standard template, problems beside the text),
and photographs the desk in headless Chromium at 1366x768, an office screen: the case list,
a case's form, the text editor with its preview, the photos, problems beside a field, the
conflict dialog, and a previewed page with its 编辑 button. Same palette reduction as
make_screenshots.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_screenshots import CHROMIUM, CHROMIUM_ARGS, OUT, REPO, free_port, optimise  # noqa: E402

SCREEN = {"width": 1366, "height": 768}
CASE = "xizhai-jiceng-zhili"


def start(site: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--source", str(site), "--port", str(port)],
                            cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=60).close()
            return proc, base
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise
            time.sleep(0.2)


def shoot(page, name: str, target=None) -> None:
    page.evaluate("document.fonts.ready")
    data = (target or page).screenshot()
    (OUT / name).write_bytes(optimise(data))
    print(f"{name}: {len((OUT / name).read_bytes()) // 1024} KB")


def photograph(site: Path, base: str) -> None:
    from playwright.sync_api import expect, sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=SCREEN, locale="zh-CN", device_scale_factor=1)
        context.set_default_timeout(60_000)
        page = context.new_page()

        page.goto(base + "/_edit/")
        page.get_by_role("row").nth(5).wait_for()
        shoot(page, "desk-list.png")

        page.get_by_role("button", name="新建案例").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("标题", exact=True).fill("西翟村：推行“人居环境”整治三年行动")
        dialog.get_by_label("典型单位", exact=True).select_option(label="西翟村")     # the sample's word (site.yaml sites: label)
        dialog.get_by_label("类别", exact=True).select_option("农村")
        shoot(page, "desk-new.png")
        dialog.get_by_role("button", name="创建").click()
        page.wait_for_url("**/_edit/case/**")
        page.locator(".problem").first.wait_for()
        page.locator("#section-body").evaluate(
            "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 110)")
        shoot(page, "desk-problems.png")

        page.goto(f"{base}/_edit/case/{CASE}")
        page.get_by_role("button", name="保存", exact=True).wait_for()
        shoot(page, "desk-form.png")
        body = page.locator("#section-body")
        page.frame_locator(".preview-frame").locator("figure img").wait_for()
        body.scroll_into_view_if_needed()
        shoot(page, "desk-body.png", body)
        photos = page.locator("#section-photos")
        photos.scroll_into_view_if_needed()
        expect(photos.locator(".card img").last).to_have_js_property("complete", True)
        shoot(page, "desk-photos.png", photos)

        index = site / "content/cases" / CASE / "index.md"
        index.write_text(index.read_text(encoding="utf-8").replace("（据报道摘编）", "（据报道摘编，同事已核对）"), encoding="utf-8")
        page.get_by_label("标题", exact=True).fill("西翟村：坚持党建引领，建设和美乡村（修改稿）")
        page.get_by_role("button", name="保存", exact=True).click()
        conflict = page.get_by_role("dialog", name="文件在别处被修改过")
        conflict.wait_for()
        shoot(page, "desk-conflict.png")
        conflict.get_by_role("button", name="放弃我的修改，载入磁盘上的版本").click()

        preview = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        preview.goto(f"{base}/cases/{CASE}/")
        preview.locator("#showcase-edit").wait_for()
        shoot(preview, "desk-edit-link-phone.png")
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="showcase-desk-shots-") as tmp:
        site = Path(tmp) / "sample"
        site.mkdir()
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
        shutil.copytree(REPO / "content", site / "content")
        if (REPO / ".cache").is_dir():
            shutil.copytree(REPO / ".cache", site / ".cache")
        proc, base = start(site)
        try:
            OUT.mkdir(parents=True, exist_ok=True)
            photograph(site, base)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
