"""The check for a space between a Chinese character and a digit or a Latin letter: what it finds
in a line of Markdown, what it leaves alone, the fix it proposes, and the texts of site.yaml."""
from __future__ import annotations

import pytest

from builder.checks.spacing import check_spacing, site_lines
from builder.checks.text import TextLine
from builder.config import parse_config


def said(text: str, lang: str = "zh") -> list[str]:
    return [p.format(lang) for p in check_spacing([TextLine("a.md", 7, text, "body")])]


@pytest.mark.parametrize("text, context, fix", [
    ("柴家镇组织 11 名村工作大学生", "柴家镇组织 11 名村工作大…", "柴家镇组织11名村工作大…"),
    ("明确了 **25 项**工作任务", "明确了 **25 项**工作…", "明确了**25项**工作…"),
    ("组织 **25** 名党员", "组织 **25** 名党员", "组织**25**名党员"),
    ("群众可以使用 App 办理", "群众可以使用 App 办理", "群众可以使用App办理"),
    ("占比 50% 以上", "占比 50% 以上", "占比50%以上"),
    ("2024年 5月", "2024年 5月", "2024年5月"),
    ("见[西翟村](/sites/xizhai-cun/) 2024年的做法", "…ai-cun/) 2024年的做法", "…ai-cun/)2024年的做法"),
])
def test_a_space_beside_chinese_is_shown_in_its_context_with_the_fix(text, context, fix):
    found = check_spacing([TextLine("a.md", 7, text, "body")])
    assert [(p.line, p.code, p.is_error, p.params["context"], p.params["fix"]) for p in found] == [
        (7, "space_between_han", False, context, fix)]


@pytest.mark.parametrize("text", [
    "柴家镇组织11名村工作大学生", "1. 基本情况", "- **搭建议事平台。** 村里……", "Windows 10 and 2024",
    "访问 https://www.example.gov.cn/a 查看", "文件 `site.yaml` 里", "见[西翟村](/sites/xizhai-cun/)的做法",
    "党建 + 志愿服务", "“三会一课” 制度", "![议事会现场](photo-2.jpg)", "| 2024 | 西翟村 |",
])
def test_no_warning_where_no_space_touches_chinese_and_a_digit_or_letter(text):
    assert said(text) == []


def test_one_warning_a_line_counting_every_space_in_it_in_both_languages():
    assert said("组织 11 名党员，开展 3 次活动") == [
        "a.md:7: 警告：汉字与数字、英文字母之间多了空格：“组织 11 名党员，开…”应写作“组织11名党员，开…”（这一行共 4 处）\n"
        "    提示：中文里汉字与数字、英文字母之间不加空格，删去这些空格即可。"]
    assert said("组织 11 名党员", "en") == [
        "a.md:7: warning: a space between a Chinese character and a digit or a Latin letter: "
        "'组织 11 名党员' should be '组织11名党员' (2 on this line)\n"
        "    hint: Chinese puts no space between its characters and digits or Latin letters: delete these spaces."]


def test_the_texts_of_site_yaml_the_site_shows_are_read_on_their_own_lines():
    text = ("# 网站 2024 版\ntitle: 河津市 2024 年案例\ncategories: [农村]\nactions:\n  - name: 平安建设\n"
            "    description: 排查 5 类矛盾\nsites:\n  label: 典型单位\nfooter:\n  organiser: 河津市委组织部\n")
    site, problems = parse_config(text)
    assert problems == []
    found = check_spacing(site_lines(site, text.split("\n")))
    assert [(p.path, p.line, p.params["fix"]) for p in found] == [
        ("site.yaml", 2, "河津市2024年案例"), ("site.yaml", 6, "排查5类矛盾")]
