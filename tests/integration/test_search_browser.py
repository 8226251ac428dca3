"""The search page in real Chromium: queries and filters typed into the page give exactly the
documents whose source text contains them (truth computed here from the Markdown and front
matter, not from the index), from a domain root, from file:// and under a subpath; nothing is
requested from another host, and a title full of markup stays text."""
from __future__ import annotations

import io
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from PIL import Image

from tests.conftest import SITE_YAML, run_cli

pytestmark = pytest.mark.browser

XSS_TITLE = '<img src=x onerror="window.__xss=1">测试标题</script><script>window.__xss=2</script>\'引号"'

SITES = {
    "xizhai-cun": ("西翟村", "村", "城关镇"),
    "xiaozhang-cun": ("小张村", "村", "马庄镇"),
    "fuxi-shequ": ("府西社区", "社区", "城关镇"),
}

# slug: front matter, body. Dates are in the past except the scheduled one.
CASES = {
    "bandenghui": ({"title": "西翟村“板凳会”化解邻里纠纷", "site": "xizhai-cun", "date": "2024-05-01",
                    "category": "农村", "tags": ["调解室", "人民调解"], "actions": ["平安建设"],
                    "summary": "西翟村把人民调解搬到村民家门口。"},
                   "## 主要做法\n\n调解员每周坐班，志愿服务队参与人民调解。\n\n- **板凳会**：干部和群众面对面。\n"),
    "cunqi-jiedui": ({"title": "小张村：村企结对壮大集体经济", "site": "xiaozhang-cun", "date": "2023-03-02",
                      "category": "农村", "tags": ["集体经济"], "actions": ["强村富民"],
                      "summary": "小张村与企业结对，集体收入翻番。"},
                     "村里成立合作社，统一销售。\n\n小张村的经验被周边村学习。\n"),
    "fuxi-yehua": ({"title": "府西夜话：把议事会开到居民身边", "site": "fuxi-shequ", "date": "2024-09-10",
                    "category": "社区", "tags": ["议事会"], "summary": "“府西夜话”每月一次，居民有事好商量。"},
                   "社区书记主持府西夜话，调解停车纠纷。\n"),
    "huxue": ({"title": "护学先锋岗守护上学路", "site": "fuxi-shequ", "date": "2023-11-20", "category": "社区",
               "tags": ["志愿服务"], "summary": "党员志愿者组成护学先锋岗。"},
              "每天早晚，护学先锋岗的志愿者在校门口执勤。志愿服务时长累计上千小时。\n"),
    "fullwidth": ({"title": "５Ｇ网格ＡＢＣ１２平台上线", "site": "xizhai-cun", "date": "2022-06-01",
                   "category": "农村", "tags": ["数字治理"], "summary": "平台名称为 Open Data 平台。"},
                  "ＡＢＣ１２ 与 abc12 混排，网格员用手机上报。\n"),
    "xss": ({"title": XSS_TITLE, "site": "xiaozhang-cun", "date": "2022-01-15", "category": "农村",
             "tags": ["<b>标签</b>"], "summary": "标题里有尖括号和引号，应当原样显示。"},
            "正文提到调解。\n"),
    "photo-case": ({"title": "文化广场建成", "site": "xiaozhang-cun", "date": "2021-08-08", "category": "农村",
                    "tags": ["文明实践"], "summary": "村里建起文化广场。",
                    "photos": [{"src": "photo-1.jpg", "caption": "合影专用词：广场上的村民"}]},
                   "广场每晚都有活动。\n"),
    "tiaojie-title": ({"title": "调解室里的老支书", "site": "xizhai-cun", "date": "2021-02-03", "category": "农村",
                       "tags": ["调解室"], "summary": "老支书退休后当上调解员。"},
                      "他说：调解要有耐心。\n"),
    "draft": ({"title": "草稿：尚未发布", "site": "xizhai-cun", "date": "2023-01-01", "category": "农村",
               "draft": True, "summary": "草稿专用词不应被搜到。"}, "草稿专用词。\n"),
    "future": ({"title": "定时发布的案例", "site": "fuxi-shequ", "date": "2099-01-01", "category": "社区",
                "summary": "未来专用词不应被搜到。"}, "未来专用词。\n"),
}

# A few more villages' cases, so that "村" needs "加载更多".
for n, day in enumerate(("2020-01-05", "2020-02-05", "2020-03-05", "2020-04-05", "2020-05-05")):
    CASES[f"filler-{n}"] = ({"title": f"第{n + 1}个村民议事日", "site": "xiaozhang-cun", "date": day, "category": "农村",
                             "summary": "村民代表议事。"}, "议事会上，村民举手表决。\n")

# A body longer than a region's stride (index.REGION), its term only at the end; another case has
# the term in its summary, which ranks above a body.
CASES["long-body"] = ({"title": "长篇记录", "site": "fuxi-shequ", "date": "2019-06-01", "category": "社区",
                       "summary": "一篇很长的记录。"},
                      "\n\n".join(["长文填充段落用于测试。" * 20] * 45) + "\n\n最后写到深处专用词。\n")
CASES["deep-summary"] = ({"title": "摘要里的词", "site": "fuxi-shequ", "date": "2019-05-01", "category": "社区",
                          "summary": "摘要写到深处专用词。"}, "正文很短。\n")

PAGES = {"guanyu": ({"title": "关于本站"}, "本站收录人民调解、志愿服务等案例。\n")}

QUERIES = ["西翟村", "小张村", "府西夜话", "护学先锋岗", "人民调解", "志愿服务", "调解", "村", "纠",
           "ABC12", "ａｂｃ１２", "abc", "5g", '"open data"', "调解 志愿服务", "村 合作社", "合影专用词",
           "草稿专用词", "未来专用词", "</script>", "<img", "引号", "<b>", "找不到的词"]
FILTERS = [{"category": "社区"}, {"tag": "调解室"}, {"year": "2023"}, {"site": "xizhai-cun"},
           {"town": "城关镇"}, {"action": "平安建设"}, {"q": "调解", "category": "农村"},
           {"q": "村", "site": "xiaozhang-cun", "year": "2023"}]
PINYIN = {"xizhai": "西翟", "xzc": "西翟", "xiaozhang": "小张", "fxsq": "府西"}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 60)).save(out, "JPEG")
    return out.getvalue()


def front(meta: dict) -> str:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + re.sub(r"^date: '(.*)'$", r"date: \1", text, flags=re.M) + "---\n\n"


def write_site(root: Path) -> None:
    files: dict[str, str | bytes] = {"site.yaml": SITE_YAML}
    for slug, (title, kind, town) in SITES.items():
        files[f"content/sites/{slug}/index.md"] = front({"title": title, "kind": kind, "town": town}) + f"{title}简介。\n"
    for slug, (meta, body) in CASES.items():
        files[f"content/cases/{slug}/index.md"] = front(meta) + body
        for photo in meta.get("photos", []):
            files[f"content/cases/{slug}/{photo['src']}"] = jpeg()
    for slug, (meta, body) in PAGES.items():
        files[f"content/pages/{slug}.md"] = front(meta) + body
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


# --- the truth, from the source text -------------------------------------------------------------

def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def markdown_lines(body: str) -> list[str]:
    lines = []
    for line in body.splitlines():
        line = re.sub(r"^(#+|-)\s+", "", line.strip()).replace("**", "")
        if line:
            lines.append(line)
    return lines


def documents() -> dict[str, dict]:
    """url -> {'fields': [...], 'facets': {...}} for every published document."""
    docs = {}
    for slug, (title, kind, town) in SITES.items():
        docs[f"sites/{slug}/"] = {"fields": [title, title, f"{title}简介。"], "facets": {"site": slug, "town": town},
                                  "pinyin": [title]}
    for slug, (meta, body) in PAGES.items():
        docs[f"pages/{slug}/"] = {"fields": [meta["title"], *markdown_lines(body)], "facets": {}, "pinyin": [meta["title"]]}
    for slug, (meta, body) in CASES.items():
        if meta.get("draft") or meta["date"] > "2090":
            continue
        site_title, _, town = SITES[meta["site"]]
        fields = [meta["title"], site_title, *meta.get("tags", []), meta.get("summary", ""),
                  *[p["caption"] for p in meta.get("photos", [])], *markdown_lines(body)]
        facets = {"category": meta["category"], "site": meta["site"], "town": town, "year": meta["date"][:4],
                  "tag": meta.get("tags", []), "action": meta.get("actions", [])}
        docs[f"cases/{slug}/"] = {"fields": fields, "facets": facets, "pinyin": [meta["title"], site_title]}
    return docs


def readings(char: str) -> list[str]:
    from pypinyin import Style, pinyin
    if not re.match(r"[\u3400-\u9fff]", char):
        return []
    return list(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))[:2]


def pinyin_hit(term: str, text: str) -> bool:
    """Full pinyin from a syllable start, or initials anywhere, of a run of Han characters,
    read with each character's first reading or one character with its second."""
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        spelled = [readings(c) for c in run]
        choices = [[r[0] for r in spelled]]
        choices += [[r[1] if i == j else spelled[j][0] for j in range(len(run))]
                    for i, r in enumerate(spelled) if len(r) > 1]
        for syllables in choices:
            if term in "".join(s[0] for s in syllables):
                return True
            if any("".join(syllables[i:]).startswith(term) for i in range(len(syllables))):
                return True
    return False


def terms_of(query: str) -> list[str]:
    query = norm(query)
    return [norm(a or b) for a, b in re.findall(r'"([^"]*)"|(\S+)', query) if norm(a or b)]


def truth(params: dict) -> set[str]:
    found = set()
    for url, doc in documents().items():
        ok = True
        for term in terms_of(params.get("q", "")):
            hit = any(term in norm(f) for f in doc["fields"])
            if re.fullmatch(r"[a-z]{2,}", term):
                hit = hit or any(pinyin_hit(term, p) for p in doc["pinyin"])
            ok = ok and hit
        for facet, value in params.items():
            if facet != "q":
                have = doc["facets"].get(facet)
                ok = ok and (value in have if isinstance(have, list) else value == have)
        if ok and (params.get("q", "").strip() or len(params) > 1 or "q" not in params):
            found.add(url)
    return found


# --- driving the page ----------------------------------------------------------------------------

def search_url(base: str, params: dict, relative: bool = False) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return base + ("search/index.html" if relative else "search/") + ("?" + query if query else "")


def results(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector("#search[data-state=done]")
    while page.is_visible("#search-more"):
        shown = page.get_attribute("#search-results", "data-shown")
        page.click("#search-more")
        page.wait_for_function(f"document.querySelector('#search-results').dataset.shown !== '{shown}'")
    return page.eval_on_selector_all("#search-results .search-result-title a", "els => els.map(a => a.getAttribute('href'))")


def to_site_urls(hrefs: list[str], prefix: str, relative: bool) -> list[str]:
    out = []
    for href in hrefs:
        assert href.startswith(prefix), href
        url = href[len(prefix):]
        if relative:
            assert url.endswith("index.html"), href
            url = url[: -len("index.html")]
        out.append(url)
    return out


@pytest.fixture(scope="module")
def built():
    # Not under pytest's basetemp: other pytest runs on the same machine prune old basetemps,
    # and these builds serve every test of the module.
    folder = Path(tempfile.mkdtemp(prefix="showcase-search-"))
    root = folder / "site"
    write_site(root)
    outputs = {}
    for name, args in (("root", []), ("relative", ["--relative"]), ("subpath", ["--base-url", "/sub/path/"])):
        out = root.parent / f"out-{name}" / ("sub/path" if name == "subpath" else "")
        result = run_cli("build", "--source", root, "--output", out, "-q", *args)
        assert result.code == 0, result.out + result.err
        outputs[name] = out
    yield outputs
    shutil.rmtree(folder, ignore_errors=True)


def watch_requests(page, allowed: tuple[str, ...]) -> list[str]:
    strays: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(allowed) else strays.append(r.url))
    return strays


def test_every_query_and_filter_finds_exactly_the_documents_that_contain_it(built, page, static_server):
    base = static_server(built["root"])
    strays = watch_requests(page, (base, "data:"))
    for params in [{"q": q} for q in QUERIES] + FILTERS:
        got = to_site_urls(results(page, search_url(base, params)), "/", False)
        assert len(got) == len(set(got)), params
        assert set(got) == truth(params), params
    assert strays == []


def test_pinyin_and_initials_find_titles_and_site_names(built, page, static_server):
    base = static_server(built["root"])
    for query, name in PINYIN.items():
        got = set(to_site_urls(results(page, search_url(base, {"q": query})), "/", False))
        assert got == truth({"q": query}), query
        assert {url for url, doc in documents().items() if any(name in p for p in doc["pinyin"])} <= got
    got = set(to_site_urls(results(page, search_url(base, {"q": "xizhai"})), "/", False))
    assert "sites/xizhai-cun/" in got and "cases/bandenghui/" in got


def test_title_matches_rank_first_and_excerpts_mark_the_match(built, page, static_server):
    base = static_server(built["root"])
    page.goto(search_url(base, {"q": "调解"}))
    page.wait_for_selector("#search[data-state=done]")
    titles = page.eval_on_selector_all(".search-result-title", "els => els.map(e => e.textContent)")
    in_title = [t for t in titles if "调解" in t]
    assert titles[: len(in_title)] == in_title
    assert page.eval_on_selector_all(".search-results mark", "els => els.map(e => e.textContent)")[:1] == ["调解"]
    assert page.inner_text("#search-status") == f"找到{len(truth({'q': '调解'}))}条结果"
    page.goto(search_url(base, {"q": "西翟村"}))
    page.wait_for_selector("#search[data-state=done]")
    assert page.get_attribute(".search-result-title a", "href") == "/sites/xizhai-cun/"


def test_a_match_deep_in_a_long_body_ranks_as_a_body_match(built, page, static_server):
    base = static_server(built["root"])
    for query in ("深处", "深处专用"):          # a per-document key, and positions
        got = to_site_urls(results(page, search_url(base, {"q": query})), "/", False)
        assert got == ["cases/deep-summary/", "cases/long-body/"], query


def test_a_title_full_of_markup_is_shown_as_text_and_never_runs(built, page, static_server):
    base = static_server(built["root"])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(search_url(base, {"q": "测试标题"}))
    page.wait_for_selector("#search[data-state=done]")
    assert page.inner_text(".search-result-title") == XSS_TITLE
    assert page.evaluate("window.__xss") is None
    assert page.locator(".search-results img:not(.search-thumb)").count() == 0
    assert page.locator("#search script").count() == 0
    assert dialogs == []
    for path in (built["root"] / "search").rglob("*.js"):
        data = path.read_bytes()
        assert b"<" not in data and b">" not in data, path


def test_drafts_and_scheduled_cases_are_not_in_the_index(built):
    text = b"".join(p.read_bytes() for p in (built["root"] / "search").rglob("*.js")).decode("utf-8")
    assert "草稿专用词" not in text and "未来专用词" not in text
    assert "\\u003c/script\\u003e" in text


def test_live_counts_follow_the_query_and_the_other_filters(built, page, static_server):
    base = static_server(built["root"])
    page.goto(search_url(base, {"q": "调解"}))
    page.wait_for_selector("#search[data-state=done]")
    page.click("#search-filters-box summary")
    page.wait_for_function("document.querySelectorAll('#search-category option').length > 1")
    page.wait_for_selector("#search[data-state=done]")
    labels = page.eval_on_selector_all("#search-category option", "els => els.map(e => e.textContent)")
    expected = len(truth({"q": "调解", "category": "农村"}))
    assert f"农村 ({expected})" in labels
    page.select_option("#search-category", "社区")
    page.wait_for_function("location.search.indexOf('category=') >= 0")
    page.wait_for_selector("#search[data-state=done]")
    assert set(to_site_urls(page.eval_on_selector_all(".search-result-title a", "els => els.map(a => a.getAttribute('href'))"),
                            "/", False)) == truth({"q": "调解", "category": "社区"})


def test_typing_searches_keeps_the_query_in_the_address_and_back_returns(built, page, static_server):
    base = static_server(built["root"])
    page.goto(base + "search/")
    page.wait_for_selector("#search[data-state=done]")
    page.fill("#search-q", "府西夜话")
    page.wait_for_function("location.search.indexOf('q=') >= 0")
    page.wait_for_selector("#search[data-state=done] .search-result")
    assert "q=%E5%BA%9C%E8%A5%BF%E5%A4%9C%E8%AF%9D" in page.url
    page.fill("#search-q", "小张村")
    page.press("#search-q", "Enter")
    page.wait_for_function("decodeURIComponent(location.search).indexOf('小张村') >= 0")
    page.go_back()
    page.wait_for_function("document.getElementById('search-q').value === '府西夜话'")
    page.wait_for_selector("#search[data-state=done]")
    assert set(to_site_urls(page.eval_on_selector_all(".search-result-title a", "els => els.map(a => a.getAttribute('href'))"),
                            "/", False)) == truth({"q": "府西夜话"})


def test_the_header_box_leads_to_the_search_page_with_the_query(built, page, static_server):
    base = static_server(built["root"])
    page.goto(base + "cases/")
    page.fill("#header-q", "人民调解")
    page.press("#header-q", "Enter")
    page.wait_for_selector("#search[data-state=done]")
    assert page.input_value("#search-q") == "人民调解"
    assert page.get_attribute("#search-q", "type") == "search"
    assert page.get_attribute("#search-status", "aria-live") == "polite"
    assert page.locator("label[for=search-q]").count() == 1


def test_search_works_from_a_folder_opened_from_disk(built, page):
    folder = built["relative"]
    prefix = folder.as_uri() + "/"
    strays = watch_requests(page, ("file://", "data:"))
    for params in [{"q": "西翟村"}, {"q": "调解 志愿服务"}, {"q": "xzc"}, {"category": "社区"}]:
        got = to_site_urls(results(page, search_url(prefix, params, relative=True)), "../", True)
        assert set(got) == truth(params), params
    page.goto(prefix + "cases/index.html")
    page.fill("#header-q", "护学先锋岗")
    page.press("#header-q", "Enter")
    page.wait_for_selector("#search[data-state=done] .search-result")
    assert page.url.startswith(prefix + "search/index.html?q=")
    assert to_site_urls(page.eval_on_selector_all(".search-result-title a", "els => els.map(a => a.getAttribute('href'))"),
                        "../", True) == ["cases/huxue/"]
    assert strays == []


def test_search_works_under_a_subpath(built, page, static_server):
    base = static_server(built["subpath"].parent.parent) + "sub/path/"
    strays = watch_requests(page, (base.split("/sub/")[0] + "/", "data:"))
    for params in [{"q": "府西夜话"}, {"q": "村", "year": "2023"}, {"q": "xizhai"}]:
        got = to_site_urls(results(page, search_url(base, params)), "/sub/path/", False)
        assert set(got) == truth(params), params
    assert strays == []
