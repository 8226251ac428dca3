"""`showcase new`'s conversation, answered by a script: what it asks and says, in both
languages, and what it makes of the answers. (A real terminal: tests/integration/test_new.py.)"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SITE_YAML

from builder import i18n
from builder.config import parse_config
from builder.editors.newcase import SiteChoice
from builder.editors.prompts import interview_case, interview_site

TODAY = dt.date(2025, 6, 1)
SITE, _ = parse_config(SITE_YAML)
SITES = [SiteChoice("fuxi-shequ", "府西社区", "城区街道"), SiteChoice("xizhai-cun", "西翟村", "城关镇")]
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


class Scripted:
    """A person answering from a list; `lines` is what the terminal would show."""

    def __init__(self, answers: list[str], lang: str = "zh"):
        self.answers, self.lang, self.lines = iter(answers), lang, []

    def ask(self, code: str, /, **params) -> str:
        self.lines.append("? " + i18n.text(code, self.lang, **params))
        return next(self.answers)

    def say(self, code: str, /, **params) -> None:
        self.lines.append(i18n.text(code, self.lang, **params))

    def item(self, code: str, /, **params) -> None:
        self.lines.append("  " + i18n.text(code, self.lang, **params))

    def gap(self) -> None:
        self.lines.append("")


def test_the_conversation_takes_a_date_written_another_way_and_says_how_it_is_recorded():
    talk = Scripted(["明天", "2025/6/12"])
    preset = {"title": "标题", "site": "xizhai-cun", "category": "农村", "actions": ["平安建设"], "date": "6月12日"}
    case = interview_case(SITE, SITES, talk, TODAY, preset=preset)
    assert case.date == dt.date(2025, 6, 12)
    said = [line for line in talk.lines if line and not line.startswith("?")]
    assert said[1:] == ["日期格式不对，请写成 年-月-日，例如 2025-06-01；直接按回车表示今天。",
                        "日期格式不对，请写成 年-月-日，例如 2025-06-01；直接按回车表示今天。",
                        "日期按 2025-06-12 记录。"]


def test_a_whole_case_conversation_reads_as_it_did_in_chinese():
    talk = Scripted(["", "西翟村“人居环境”整治", "9", "2", "1", "1，2", ""])
    case = interview_case(SITE, SITES, talk, TODAY)
    assert (case.title, case.site, case.category, case.actions, case.date) == \
        ("西翟村“人居环境”整治", "xizhai-cun", "农村", ("平安建设", "强村富民"), TODAY)
    assert talk.lines == [
        "新建典型案例。按提示逐项填写，直接按回车表示使用方括号里的默认值；按 Ctrl+C 可随时取消。",
        "? 案例标题：", "这一项必须填写。", "? 案例标题：",
        "", "这个案例属于哪个示范点？", "   1. 府西社区（城区街道）", "   2. 西翟村（城关镇）", "   0. 新建一个示范点",
        "? 请输入编号：", "没有编号“9”，请输入 0 到 2 之间的数字。", "? 请输入编号：",
        "", "类别：", "   1. 农村", "   2. 社区", "   3. 机关", "   4. 企业", "? 请输入编号：",
        "", "专项行动（可多选，编号之间用空格或逗号隔开；都不属于就直接按回车）：", "   1. 平安建设", "   2. 强村富民",
        "? 请输入编号：",
        "", f"? 发布日期 [{TODAY.isoformat()}]："]


def test_the_conversation_in_english_has_no_chinese_but_the_site_s_own_names():
    talk = Scripted(["A title", "0", "西翟村", "New place", "x", "2", "", "社区", "7", "", "2025年6月3日"], lang="en")
    case = interview_case(SITE, SITES, talk, TODAY)
    assert (case.site_title, case.new_site.kind, case.category, case.date) == ("New place", "社区", "社区", dt.date(2025, 6, 3))
    ours = "\n".join(talk.lines)
    for name in ("府西社区", "城区街道", "西翟村", "城关镇", "农村", "社区", "机关", "企业", "平安建设", "强村富民", "村",
                 "学校", "其他", "乡镇（街道）"):
        ours = ours.replace(name, "")
    assert not HAN.search(ours), ours
    assert "? Model site name:" in talk.lines and "There is already a model site '西翟村': choose another name " \
        "(or press Ctrl+C to cancel)." in talk.lines
    assert "There is no '7': type numbers from 1 to 2, or press Enter to skip." in talk.lines
    assert talk.lines[-1] == "The date is recorded as 2025-06-03."


def test_a_new_model_site_is_asked_for_its_name_kind_and_town():
    talk = Scripted(["东关社区", "2", "城关街道"])
    site = interview_site(talk, SITES)
    assert (site.title, site.kind, site.town) == ("东关社区", "社区", "城关街道")
    assert talk.lines[:2] == ["新建示范点。按提示逐项填写；按 Ctrl+C 可随时取消。", "? 示范点名称（例如 西翟村）："]
    assert talk.lines[-2:] == ["", "? 所在乡镇（街道）（可不填，直接按回车）："]


def test_a_site_without_categories_is_refused_before_anything_is_asked():
    bare, _ = parse_config("title: t\ncategories: []\n")
    with pytest.raises(ValueError):
        interview_case(bare, SITES, Scripted([]), TODAY)
