"""The default theme in real headless Chromium: a phone-sized screen, no third-party request,
the large-text toggle, keyboard use, photos that load, and output opened from disk."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import SAMPLE_PAGES as PAGES

pytestmark = pytest.mark.browser


def test_pages_fit_a_phone_screen_and_request_nothing_from_other_hosts(page, served):
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname))
    failures = []
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 and not r.url.endswith("404.html") else None)
    for path in PAGES:
        page.goto(served + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert page.locator("h1").count() == 1, path
        assert page.locator("main h1" if path else "header h1").count() == 1, path     # home: the site's name
    assert hosts == {"127.0.0.1"}
    assert failures == []


def test_case_photos_load_in_the_right_size(page, served):
    page.goto(served + "cases/fuxi-yehua/")
    pictures = page.locator("main picture img")
    assert pictures.count() >= 2
    for index in range(pictures.count()):
        img = pictures.nth(index)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        assert img.get_attribute("alt")
        assert int(img.get_attribute("width")) > 0 and int(img.get_attribute("height")) > 0
    # the browser picked WebP from the <source>
    assert page.evaluate("document.querySelector('main picture img').currentSrc").endswith(".webp")


def test_large_text_toggle_is_remembered_across_pages(page, served):
    page.goto(served)
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggle = page.locator(".a11y-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size * 1.15
    page.goto(served + "cases/")
    assert page.evaluate("document.documentElement.classList.contains('large')")
    assert page.locator(".a11y-toggle").get_attribute("aria-pressed") == "true"
    page.locator(".a11y-toggle").click()
    page.goto(served)
    assert not page.evaluate("document.documentElement.classList.contains('large')")


def test_keyboard_users_can_skip_to_the_content(page, served):
    page.goto(served + "cases/fuxi-yehua/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0, "the focused skip link must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_relative_build_works_opened_from_disk(page, copy_site, cli):
    root = copy_site("basic")
    assert cli("build", "--source", root, "--relative").code == 0
    page.goto((root / "output/index.html").as_uri())
    page.locator("main a", has_text="府西社区“府西夜话”").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/fuxi-yehua/index.html")
    assert page.locator("main h1").inner_text() == "府西社区“府西夜话”"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") != "rgba(0, 0, 0, 0)"
