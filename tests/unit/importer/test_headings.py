"""The numbered lines of Chinese official writing as headings, and the renumbering of levels."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from builder.importer.headings import is_chinese_number, numbered_level, promote


@pytest.mark.parametrize("text, level", [
    ("一、基本情况", 2), ("十二、其他", 2), ("二．主要做法", 2),
    ("（一）搭建议事平台", 3), ("(三) 建立机制", 3),
    ("1. 理论武装", 4), ("2、强村富民", 4), ("12．夯实基础", 4),
    ("（1）村民议事", 5), ("(2)张榜公布", 5),
    ("一、基本情况。", None),                       # a sentence, not a heading
    ("（一）搭建平台。村里每月开一次会", None),     # a lead-in followed by text
    ("1.5万元用于修路", None),                      # a number, not a heading number
    ("一、" + "很长" * 16, None),                   # longer than a heading
    ("基本情况", None), ("一、", None), ("2025年", None),
])
def test_a_numbered_line_is_a_heading_of_its_level_only_when_short_and_not_a_sentence(text, level):
    assert numbered_level(text) == level


@pytest.mark.parametrize("marker, chinese", [("一、", True), ("（二）", True), ("1.", False), ("·", False), ("(1)", False)])
def test_chinese_list_numbers_are_told_from_others(marker, chinese):
    assert is_chinese_number(marker) is chinese


def promoted(html: str) -> str:
    tree = BeautifulSoup(html, "html.parser")
    promote(tree)
    return str(tree)


def test_levels_in_use_are_renumbered_from_two_without_gaps():
    assert promoted("<p>一、甲</p><p>文。</p><p>1. 乙</p><p>文。</p>") == "<h2>一、甲</h2><p>文。</p><h3>1. 乙</h3><p>文。</p>"
    assert promoted("<p>（一）甲</p><p>文。</p>") == "<h2>（一）甲</h2><p>文。</p>"
    assert promoted("<h4>甲</h4><p>文。</p><h6>乙</h6>") == "<h2>甲</h2><p>文。</p><h3>乙</h3>"


def test_a_styled_heading_with_a_number_takes_the_numbers_level():
    assert promoted("<h1>一、甲</h1><p>文。</p><h1>（一）乙</h1><p>文。</p>") == "<h2>一、甲</h2><p>文。</p><h3>（一）乙</h3><p>文。</p>"


def test_numbered_lines_in_a_row_are_a_list_and_lines_in_tables_stay():
    assert promoted("<p>1. 甲</p><p>2. 乙</p>") == "<p>1. 甲</p><p>2. 乙</p>"
    assert promoted("<table><tr><td><p>一、甲</p></td></tr></table>") == "<table><tr><td><p>一、甲</p></td></tr></table>"
