"""The converter skips inline patterns for a text none of them can match (content.markdown
_QuickInline): what it makes is what Python-Markdown's own inline processor makes, for any text."""
from __future__ import annotations

import markdown
from hypothesis import given, settings, strategies as st

from builder.content.markdown import _QuickInline, convert, make_converter

PIECES = ["党建引领", "网格", "，", "。", "“议事”", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "\\", "[", "]",
          "(", ")", "!", "<", ">", "&", ";", "&amp;", "#", "-", "1.", "|", ":", "{", "}", "^", "~", "@",
          "<b>", "</b>", "<br>", "[^1]", "[^1]: 注释", "![图](a.jpg)", "[链接](https://example.org/)",
          "<https://example.org/>", "a@b.cn", "&#20826;", "    代码", "> 引用", "## 标题", "| 表 | 格 |\n|---|---|\n| 1 | 2 |"]


def plain_converter() -> markdown.Markdown:
    converter = make_converter()
    converter.treeprocessors.register(markdown.treeprocessors.InlineProcessor(converter), "inline", 20)
    return converter


QUICK, PLAIN = make_converter(), plain_converter()


def test_the_quick_inline_processor_is_the_one_used():
    assert isinstance(QUICK.treeprocessors["inline"], _QuickInline)
    assert not isinstance(PLAIN.treeprocessors["inline"], _QuickInline)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_converts_as_python_markdown_converts_it(pieces):
    text = "".join(pieces)
    assert convert(QUICK, text) == convert(PLAIN, text)


PROSE = ["党建引领", "网格", "，", "。", "“议事”", " ", "\n", "\n\n", "1", "a", "#", "-", "|", ":", "{", "}", "^", "~", "@", "!", ">", ")"]
MARKUP = ["*", "**", "_", "__", "`", "\\", "[", "<", "&", "  \n", "&amp;", "<b>", "[^1]", "[x](y)", "<https://a.cn/>", "a@b.cn"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PROSE), max_size=12), st.sampled_from(MARKUP), st.lists(st.integers(0, 12), min_size=1, max_size=3))
def test_prose_with_one_kind_of_markup_converts_as_python_markdown_converts_it(prose, markup, places):
    for place in sorted(places, reverse=True):
        prose.insert(min(place, len(prose)), markup)
    text = "".join(prose)
    assert convert(QUICK, text) == convert(PLAIN, text)


def test_prose_with_no_markup_and_with_every_kind_of_markup():
    for text in ["西翟村把议事会开到田间地头，群众的事大家商量着办。",
                 "西翟村**把议事会**开到田间地头，_群众_的事`大家`商量着办。  \n第二行 &amp; <em>第三</em>\\*",
                 "见[链接](https://example.org/)和<https://example.org/>、脚注[^1]。\n\n[^1]: 注释",
                 "*党建引领*", "**网格**", "__议事__", "第一行  \n第二行", "a\\*b", "`代码`", "[链接](x)", "&amp;", "<b>议事</b>"]:
        assert convert(QUICK, text) == convert(PLAIN, text)
