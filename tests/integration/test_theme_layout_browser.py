"""The default theme's layout in real headless Chromium (issue 17): nothing wider than a phone's
screen in normal or large text, every menu item in sight, no title or heading line holding one
character alone, no photo taller than the screen, no space between Chinese and a digit in what a
reader sees, and case pages that print."""
from __future__ import annotations

import re

import pytest
from conftest import SAMPLE_PAGES, SITE_YAML, case_md
from photos import jpeg_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAGES = SAMPLE_PAGES + ["cases/xizhai-jiceng-zhili/", "cases/lugang-huxue-xianfeng/", "sites/chaijia-zhen/",
                        "pages/guanyu/", "actions/touyan-peiyu/", "towns/", "search/?q=调解"]
HAN_SPACE_DIGIT = re.compile(r"[\u3400-\u9fff][ \u00a0]+[0-9]|[0-9][ \u00a0]+[\u3400-\u9fff]")

# Every visible element whose box reaches past the left or right edge of the window, unless it is
# inside something that scrolls or clips sideways on purpose (a wide table scrolls in its box).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const clipped = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, .skip-link, script, style, noscript')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.left < -0.5 || box.right > width + 0.5) && !clipped(el))
      found.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return found;
}"""

# The lines of an element's text, as laid out: the characters grouped by the top of their box.
LINES = """el => {
  const node = [...el.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const text = node.textContent, tops = new Map(), range = document.createRange();
  for (let i = 0; i < text.length; i++) {
    if (!text[i].trim()) continue;
    range.setStart(node, i); range.setEnd(node, i + 1);
    const top = Math.round(range.getClientRects()[0].top);
    tops.set(top, (tops.get(top) || '') + text[i]);
  }
  return [...tops.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
}"""


@pytest.fixture
def tab(browser):
    """tab(viewport, large) -> a page in a fresh context, in large text if asked."""
    contexts = []

    def make(viewport=PHONE, large=False):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        if large:
            context.add_init_script("localStorage.setItem('showcase-large', '1')")
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_no_element_reaches_past_a_phone_screen_and_no_chinese_is_spaced_from_a_digit(tab, served, large):
    page = tab(PHONE, large)
    for path in PAGES:
        page.goto(served + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.classList.contains('large')") == large
        assert page.evaluate(OVERFLOWING) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        seen = page.evaluate("document.body.innerText")
        assert not HAN_SPACE_DIGIT.search(seen), (path, HAN_SPACE_DIGIT.search(seen).group(0))


# What a reader meets besides the page's text: what the browser shows or reads out of attributes,
# what a share shows (description, og:), the sentences the search script fills in (a number each).
SHOWN = """() => {
  const found = [];
  for (const el of document.querySelectorAll('[alt], [placeholder], [title], [aria-label]'))
    for (const name of ['alt', 'placeholder', 'title', 'aria-label']) if (el.hasAttribute(name)) found.push(el.getAttribute(name));
  for (const meta of document.querySelectorAll('meta[name=description], meta[property^="og:"]')) found.push(meta.content);
  for (const el of document.querySelectorAll('*')) for (const a of el.attributes)
    if (a.name.startsWith('data-t-')) found.push(a.value.replace(/\\{\\w+\\}/g, '1'));
  return [document.title, document.body.innerText, ...found].join('\\n');
}"""


def test_no_visible_text_of_any_page_of_the_sample_puts_a_space_between_chinese_and_a_digit(tab, served, sample_url):
    page = tab(DESKTOP)
    page.route(re.compile(r".*\.(jpg|webp)$"), lambda route: route.abort())       # text only: faster
    pages = sorted(p.relative_to(sample_url / "showcase").as_posix() for p in (sample_url / "showcase").rglob("*.html"))
    assert len(pages) > 80
    found = []
    for path in pages:
        page.goto(served + path, wait_until="domcontentloaded")
        found += [(path, m.group(0)) for m in HAN_SPACE_DIGIT.finditer(page.evaluate(SHOWN))]
    assert found == []


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_every_menu_item_is_in_sight_on_a_phone_without_scrolling_sideways(tab, served, large):
    page = tab(PHONE, large)
    page.goto(served + "cases/")
    items = page.locator(".site-nav a")
    assert items.all_inner_texts() == ["首页", "案例", "典型单位", "创建概况", "关于本站"]
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], items.nth(index).inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav ul')).overflowX") == "visible"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_no_line_of_the_site_title_or_a_page_heading_holds_one_character_alone(tab, served, viewport, large):
    page = tab(viewport, large)
    for path, selector in [("", ".brand-title"), ("cases/", ".brand-title"),
                           ("cases/xiaozhang-cunqi-jiedui/", "main h1"), ("sites/pinpai-tiaojieshi/", "main h1")]:
        page.goto(served + path)
        lines = page.locator(selector).first.evaluate(LINES)
        assert min(len(line) for line in lines) >= 2, (path, selector, lines)


@pytest.mark.parametrize("width", [360, 390, 412])
def test_on_a_phone_the_sites_name_has_the_whole_width_and_stays_on_one_line(tab, served, width):
    page = tab({"width": width, "height": 800})
    page.goto(served + "cases/")
    assert page.locator(".brand-title").first.evaluate(LINES) == ["河津市党建引领基层治理示范案例"]
    toggle, search = page.locator(".a11y-toggle").bounding_box(), page.locator(".header-search").bounding_box()
    assert toggle["y"] >= search["y"] and toggle["x"] >= search["x"] + search["width"]    # beside the search box
    assert toggle["x"] + toggle["width"] <= width


def test_on_a_phone_a_heading_breaks_after_its_punctuation_not_inside_a_word(tab, served):
    page = tab(PHONE)
    page.goto(served + "cases/")
    title = page.locator(".card-title a", has_text="西翟村")
    assert title.evaluate(LINES) == ["西翟村：坚持党建引领，", "建设和美乡村"]      # not 坚持党建|引领


def test_the_home_page_names_the_site_once_and_leaves_out_an_action_without_cases(tab, served):
    page = tab(DESKTOP)
    page.goto(served)
    assert page.locator("h1").inner_text().split("\n") == ["河津市党建引领基层治理示范案例",
                                                           "创建新时代党建引领基层治理示范区 · 示例展示站"]
    assert page.get_by_text("创建新时代党建引领基层治理示范区 · 示例展示站").count() == 1
    assert page.locator(".stats li").all_inner_texts() == ["18\n案例", "18\n典型单位", "6\n专项行动"]
    assert page.locator(".action-name").all_inner_texts() == ["理论武装", "强村富民", "文明乡风", "平安建设", "夯实基础"]
    page.goto(served + "actions/")
    assert page.locator(".term-list li", has_text="头雁培育").locator(".count").inner_text() == "暂无案例"


def test_case_pages_offer_printing_and_print_the_case_without_the_sites_controls(tab, served):
    page = tab(DESKTOP)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; }")
    page.goto(served + "cases/fuxi-yehua/")
    button = page.get_by_role("button", name="打印本页")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".header-search", ".a11y-toggle", ".print-button", ".breadcrumb", ".prev-next",
                   ".footer-subscribe"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".brand-title", "main h1", ".facts", ".prose", "main figure img"):
        assert page.locator(shown).first.is_visible(), shown
    page.emulate_media(media="screen")
    assert page.locator(".site-nav").is_visible()


def test_without_javascript_no_print_button_is_offered(browser, served):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "cases/fuxi-yehua/")
    assert page.locator(".print-button").count() == 1 and not page.locator(".print-button").is_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_a_portrait_photo_in_the_body_is_never_taller_than_the_screen(tab, make_site, cli, static_server, viewport, large):
    body = "## 基本情况\n\n村里搭建了议事平台。\n\n![议事会现场](tall.jpg)\n\n议事会每月召开一次。\n"
    root = make_site({"content/cases/yishi/index.md": case_md(body=body),
                      "content/cases/yishi/tall.jpg": jpeg_bytes((1200, 2400), gps=False)}, site_yaml=SITE_YAML)
    assert cli("build", "--source", root, "-q").code == 0
    page = tab(viewport, large)
    page.goto(static_server(root / "output") + "cases/yishi/")
    image = page.locator(".prose figure img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    box = image.bounding_box()
    assert box["height"] <= viewport["height"] * 0.86
    assert abs(box["width"] / box["height"] - 0.5) < 0.01            # narrower, not squeezed
    column = page.locator(".prose").bounding_box()
    assert abs((box["x"] - column["x"]) - (column["x"] + column["width"] - box["x"] - box["width"])) <= 1     # centred


def test_the_footer_offers_a_plain_page_about_subscribing_with_the_feeds_full_address(tab, served):
    page = tab(PHONE)
    page.goto(served)
    page.locator(".site-footer").get_by_role("link", name="订阅更新").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "RSS订阅说明"
    address = page.locator(".feed-address a")
    assert address.inner_text() == served + "feed.xml"
    assert page.request.get(address.evaluate("a => a.href")).ok
