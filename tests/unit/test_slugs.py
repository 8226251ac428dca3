import pytest

from builder.slugs import is_slug, slugify


@pytest.mark.parametrize("name, place, slug", [
    ("西翟村", True, "xizhai-cun"),          # 翟 read as in names, suffix a word of its own
    ("府西社区", True, "fuxi-shequ"),
    ("城区街道", True, "chengqu-jiedao"),
    ("农村", False, "nongcun"),              # a term, not a place: one word
    ("和美乡村", False, "hemeixiangcun"),
    ("护学先锋岗", False, "huxuexianfenggang"),
    ("xizhai-cun", False, "xizhai-cun"),     # ASCII slugs stay as they are
    ("Hello World", False, "hello-world"),
    ("ＡＢＣ１２", False, "abc12"),           # full-width letters normalised
    ("A村 1号", False, "acun-1hao"),
    ("——", False, ""),
])
def test_slugify_turns_names_into_ascii_slugs(name, place, slug):
    assert slugify(name, place=place) == slug


def test_slugify_always_gives_a_valid_slug_or_nothing():
    for name in ["“五色工作法”", "调解室（一）", "a--b", " 空格 ", "李家堡村"]:
        slug = slugify(name, place=True)
        assert slug == "" or is_slug(slug), (name, slug)
