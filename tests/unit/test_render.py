import datetime as dt

import pytest

from builder.model import Document, Photo, Rendition
from builder.render import Links, date_text, rewrite_body


@pytest.mark.parametrize("page, target, href", [
    ("index.html", "", "index.html"),
    ("index.html", "cases/", "cases/index.html"),
    ("cases/a/index.html", "cases/b/", "../b/index.html"),
    ("cases/a/index.html", "", "../../index.html"),
    ("cases/a/index.html", "static/style.css", "../../static/style.css"),
    ("tags/x/page/2/index.html", "tags/x/", "../../index.html"),
    ("404.html", "cases/", "cases/index.html"),
])
def test_relative_links_work_from_disk(page, target, href):
    assert Links("/", "/", True, page).url(target) == href


def test_rooted_links_carry_the_base_path():
    links = Links("https://x.gov.cn/show/", "/show/", False, "cases/a/index.html")
    assert links.url("cases/b/") == "/show/cases/b/"
    assert links.url("/cases/b/#做法") == "/show/cases/b/#做法"
    assert links.url("https://other.cn/") == "https://other.cn/"
    assert links.absolute("feed.xml") == "https://x.gov.cn/show/feed.xml"


def test_dates_read_the_chinese_way():
    assert date_text(dt.date(2025, 6, 12), "zh-CN") == "2025年6月12日"
    assert date_text(dt.date(2025, 6, 12), "en") == "June 12, 2025"


def test_body_rewrites_rooted_links_and_bundle_figures():
    photo = Photo(src="content/cases/a/p.jpg", name="p.jpg", caption="说明",
                  renditions=(Rendition("cases/a/p-480w.x.jpg", 480, 360, "jpeg"),))
    doc = Document(source="content/cases/a/index.md", slug="a", title="t", photos=(photo,),
                   body_html='<p><a href="/cases/b/">b</a></p><figure class="figure" data-photo="p.jpg">'
                             '<img alt="图注" src="p.jpg" /><figcaption>图注</figcaption></figure>')
    links = Links("/sub/", "/sub/", False, "cases/a/index.html")
    out = rewrite_body(doc, links, lambda p, caption: f"<picture:{p.name}:{caption}>")
    assert '<a href="/sub/cases/b/">b</a>' in out
    assert "<picture:p.jpg:图注>" in out
