"""Raw HTML pasted into a case body runs nothing in a real browser: not on the built site, not in
the preview (its error page, and the draft page itself) and not in the check report. Every
construct the sanitiser removes is an error naming the file and line.

A script that ran would show itself in one of three ways, and each is watched: a window-level
flag (every payload sets window.__pwned, or top.__pwned from a frame), a dialog (alert), or a
request for a javascript: or data: address or to another host (all such requests are blocked
and recorded). After loading, every link and button of the body is clicked, so a javascript:
link that survived would run too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from builder.build import BuildOptions, build_site
from builder.errors import BuildError
from tests.conftest import case_md
from tests.integration.test_serve import start_server, stop_server
from tests.photos import jpeg_bytes

REL = "content/cases/unsafe/index.md"

# (what the author pasted, the error it must give; None: Markdown shows it as text, nothing is removed)
CONSTRUCTS = [
    ("<script>window.__pwned = 'script'; alert('script')</script>", "html_tag_removed"),
    ('<img src="nope.jpg" onerror="window.__pwned = \'onerror\'">', "html_attribute_removed"),
    ("[链接一](javascript:void(window.__pwned=3))", "html_link_removed"),
    ('<iframe src="javascript:void(top.__pwned=\'iframe\')"></iframe>', "html_tag_removed"),
    ('<iframe srcdoc="<script>top.__pwned=\'srcdoc\'</script>"></iframe>', "html_tag_removed"),
    ("<svg onload=\"window.__pwned='svg'\"><circle r=\"4\"/></svg>", "html_tag_removed"),
    ("<p style=\"background:url(javascript:void(window.__pwned='style'))\">样式段落</p>", "html_attribute_removed"),
    ("<p style=\"background:url(https://evil.example/track.png)\">外站背景</p>", "html_attribute_removed"),
    ('<a href="data:text/html,<script>alert(\'data\')</script>">数据链接</a>', "html_link_removed"),
    ("<form action=\"javascript:void(window.__pwned='form')\"><button>提交表单</button></form>", "html_tag_removed"),
    ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:void(window.__pwned='meta')\">", "html_tag_removed"),
    ("<a href=\"/cases/\" title='\"><script>window.__pwned=\"title\"</script>'>标题属性</a>", None),
    ("![引号\" onerror=\"window.__pwned='alt'](photo-1.jpg)", None),
    ("<img src=\"nope.jpg\" alt=\"x\"onerror=\"window.__pwned='quote'\">", None),
    ("<a href=\"javascript&#58;void(window.__pwned='entity')\">实体链接</a>", "html_link_removed"),
    ("[实体二](&#106;avascript&#58;void(window.__pwned=15))", "html_link_removed"),
    ("<a href=\"/cases/\" onmouseover=\"window.__pwned='hover'\">悬停链接</a>", "html_attribute_removed"),
]
# Published unsanitised, each of them (one per page) shows in Chromium as a flag, a dialog, a
# request to another host or a refusal on the console, but style="…url(javascript:…)" (today's
# browsers ignore it) and the three that Markdown already shows as text. That was checked by
# building them with the sanitiser switched off; a test cannot switch it off.

BODY = "## 基本情况\n\n正文第一段，安全的文字。\n\n" + "\n\n".join(c for c, _ in CONSTRUCTS) + "\n\n正文最后一段。\n"

SANITISER_CODES = {"html_tag_removed", "html_attribute_removed", "html_link_removed", "html_image_removed",
                   "html_altered", "foreign_resource"}

# Where Chromium's page may send requests: this machine only.
LOCAL = re.compile(r"^(http://127\.0\.0\.1:\d+/|file://)")


@pytest.fixture
def serve(tmp_path: Path):
    """serve(root) -> `showcase serve` running in a subprocess, stopped after the test."""
    started = []

    def start(root: Path, *args: str):
        started.append(start_server(root, tmp_path, *args))
        return started[-1]

    yield start
    for server in started:
        stop_server(server)


def make_unsafe_site(make_site, draft: bool) -> Path:
    front = {"draft": "true"} if draft else {}
    return make_site({REL: case_md(title="粘贴来的文章", body=BODY, **front),
                      "content/cases/unsafe/photo-1.jpg": jpeg_bytes((400, 300))})


def expected_errors(root: Path) -> list[tuple[int, str]]:
    lines = (root / REL).read_text(encoding="utf-8").split("\n")
    return [(lines.index(construct) + 1, code) for construct, code in CONSTRUCTS if code]


class Watch:
    """What a page did that only a script (or a removed construct) could make it do."""

    def __init__(self, page):
        self.page = page
        self.events: list[tuple[str, str]] = []
        self.address = ""                     # the page's own address, once loaded
        page.on("dialog", self._dialog)
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)
        page.context.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.events.append(("dialog", dialog.message))
        dialog.dismiss()

    def _console(self, message) -> None:
        """Chromium refuses some addresses itself ('Not allowed to navigate top frame to data
        URL', 'Refused to refresh … to a javascript: URL'): the page still asked for them."""
        if re.search(r"javascript:|data:|data url", message.text, re.I):
            self.events.append(("console", message.text))

    def _navigated(self, frame) -> None:
        if frame.url.lower().startswith(("javascript:", "data:")):
            self.events.append(("navigated", frame.url))
        elif self.address and frame == self.page.main_frame and frame.url != self.address:
            self.events.append(("left the page", frame.url))       # a refresh, a form sent…

    def _route(self, route) -> None:
        url = route.request.url
        if LOCAL.match(url):
            route.continue_()
        else:
            self.events.append(("request", url))
            route.abort()

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.address = self.page.url
        self._flag()
        self.poke()
        self._flag()

    def _flag(self) -> None:
        try:
            flag = self.page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
        except PlaywrightError as exc:
            self.events.append(("left the page", str(exc).splitlines()[0]))
            return
        if flag is not None:
            self.events.append(("flag", flag))

    def poke(self) -> None:
        """Hover over and click every link and button of the page's main text, but the site's
        own links (leaving the page proves nothing): a javascript: address left would run."""
        try:
            for element in self.page.query_selector_all("main a, main button, main input, main form"):
                element.hover(force=True, timeout=2000)
                if not (element.get_attribute("href") or "").startswith(("/", "http", "#", "..")):
                    element.click(force=True, no_wait_after=True, timeout=2000)
            self.page.wait_for_timeout(300)   # time for a handler to run, were there one (not a timing assertion)
        except PlaywrightError as exc:
            self.events.append(("left the page", str(exc).splitlines()[0]))

    def assert_nothing_ran(self) -> None:
        assert self.events == []
        unsafe = self.page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => /^on/i.test(a.name) || /^\\s*(javascript|data):/i.test(a.value))
                              .map(a => el.tagName + ' ' + a.name + '=' + a.value))""")
        assert unsafe == []
        assert self.page.evaluate("document.querySelectorAll('main :is(script, iframe, svg, form, object, embed, meta,"
                                  " link, base, style)').length") == 0


def own_scripts(page) -> list[str]:
    """The inline scripts on the page: the preview's reload script and the theme's, never the author's."""
    return page.evaluate("[...document.querySelectorAll('script')].map(s => s.textContent)")


# --- a normal build --------------------------------------------------------------------------------

def test_a_build_fails_with_one_error_per_removed_construct_naming_its_file_and_line(make_site, cli):
    root = make_unsafe_site(make_site, draft=False)
    with pytest.raises(BuildError) as failed:
        build_site(root, BuildOptions(write=False, workers=1))
    ours = [(p.line, p.code) for p in failed.value.problems if p.path == REL and p.code in SANITISER_CODES]
    assert ours == expected_errors(root)
    result = cli("build", "--source", root)
    assert result.code == 1 and not (root / "output").exists()
    for problem in failed.value.problems:
        if problem.code in SANITISER_CODES:
            assert f"{REL}:{problem.line}: {problem.message()}\n" in result.out + result.err
    said = {p.line: p.message() for p in failed.value.problems if p.code in SANITISER_CODES}
    lines = [line for line, _ in expected_errors(root)]
    assert said[lines[0]] == "正文里的 HTML 标记 <script> 不能发布"
    assert said[lines[1]] == "正文里 <img> 标记的“onerror”属性不能发布"
    assert said[lines[2]] == "链接地址“javascript:void(window.__pwned=3)”不能发布"


# --- (1) the built site ----------------------------------------------------------------------------

@pytest.mark.browser
def test_a_draft_built_with_drafts_is_published_sanitised_and_runs_nothing(make_site, cli, static_server, page):
    root = make_unsafe_site(make_site, draft=True)
    result = cli("build", "--source", root, "--drafts")
    assert result.code == 0, result.out + result.err
    watch = Watch(page)
    watch.visit(static_server(root / "output") + "cases/unsafe/")
    watch.assert_nothing_ran()
    text = page.inner_text("main")
    assert "正文最后一段" in text and "样式段落" in text and "提交表单" not in text
    assert "onerror=\"window.__pwned='quote'\"" in text          # a quote Markdown shows as text, as written


# --- (2) the preview ---------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_previews_error_page_lists_the_constructs_as_text_and_runs_nothing(make_site, serve, page):
    root = make_unsafe_site(make_site, draft=False)
    server = serve(root)
    watch = Watch(page)
    watch.visit(server.base + "/cases/unsafe/")
    assert "网站没有更新" in page.title()
    text = page.inner_text("body")
    assert "正文里的 HTML 标记 <script> 不能发布" in text
    assert "链接地址“data:text/html,<script>alert('data')</script>”不能发布" in text
    for line, _ in expected_errors(root):
        assert f"第 {line} 行" in text
    watch.assert_nothing_ran()


@pytest.mark.browser
def test_the_preview_shows_a_draft_sanitised_and_runs_nothing(make_site, serve, page):
    root = make_unsafe_site(make_site, draft=True)
    server = serve(root)
    watch = Watch(page)
    watch.visit(server.base + "/cases/unsafe/")
    watch.assert_nothing_ran()
    assert "正文最后一段" in page.inner_text("main")
    assert not any("__pwned" in script for script in own_scripts(page))


# --- (3) the check report ----------------------------------------------------------------------------

@pytest.mark.browser
def test_the_check_report_lists_the_constructs_as_text_and_runs_nothing(make_site, cli, page, tmp_path):
    root = make_unsafe_site(make_site, draft=True)
    report = tmp_path / "report.html"
    result = cli("check", "--source", root, "--drafts", "--html", report)
    assert result.code == 1
    watch = Watch(page)
    watch.visit(report.as_uri())
    text = page.inner_text("body")
    assert "正文里的 HTML 标记 <svg> 不能发布" in text
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    for line, _ in expected_errors(root):
        assert f"第 {line} 行" in text
    watch.assert_nothing_ran()
