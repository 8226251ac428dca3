"""The message catalogues (builder/i18n/zh.yaml, en.yaml): every code in both languages with the
same placeholders, no code used that is not there, English free of Chinese, and the format's
own forms (plurals, optional parts, lists, phrases) doing what the module docstring says."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import builder
from builder import i18n
from builder.errors import Problem
from builder.i18n import Phrase

BUILDER = Path(builder.__file__).resolve().parent
ZH, EN = i18n.catalogue("zh"), i18n.catalogue("en")
SOURCES = sorted(BUILDER.rglob("*.py"))

# Calls that name a message code, and the position of the code among their arguments.
CODE_ARGUMENT = {"Problem": 2, "problem": 1, "Phrase": 0, "text": 0, "hint": 0}


def codes_used_in(path: Path) -> set[str]:
    """Message codes named by Problem(path, line, CODE, …), reader.problem(key, CODE, …),
    Phrase(CODE, …) and i18n.text(CODE, …) calls, where the code is written out."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = CODE_ARGUMENT.get(name)
        if position is None or len(node.args) <= position:
            continue
        argument = node.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.add(argument.value)
        elif isinstance(argument, ast.IfExp):
            found |= {n.value for n in (argument.body, argument.orelse) if isinstance(n, ast.Constant)}
    return found


def placeholders(entry: dict[str, str]) -> set[str]:
    return {name for text in entry.values() for name in i18n.placeholders(text)}


def test_the_search_for_codes_finds_the_codes_of_a_known_module():
    assert {"bad_date", "bad_date_fixable", "wrong_type", "unknown_key", "missing_key"} <= codes_used_in(BUILDER / "yamlio/fields.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(BUILDER).as_posix())
def test_every_code_a_module_names_is_in_the_catalogue(path):
    assert codes_used_in(path) - set(ZH) == set()


def test_both_languages_have_the_same_codes():
    assert set(ZH) == set(EN)


@pytest.mark.parametrize("code", sorted(ZH))
def test_both_languages_use_the_same_placeholders_and_the_same_parts(code):
    assert set(ZH[code]) == set(EN[code]) and placeholders(ZH[code]) == placeholders(EN[code])


# Chinese that an English text shows on purpose: what the user must type or will see in a file.
CHINESE_IN_ENGLISH = ("【填写提示】", "[农村, 社区, 机关, 企业]", "--category 农村", "西翟村“基层智理”议事平台",
                      "- 调解", "- 志愿服务", "[调解, 志愿服务]", "初审")
FRAGMENTS = ("label_", "list_")            # pieces of other messages, spaces included


@pytest.mark.parametrize("code", sorted(ZH))
def test_messages_have_no_stray_spaces_and_english_ones_no_chinese(code):
    for lang in (ZH, EN):
        assert code.startswith(FRAGMENTS) or all(text == text.strip() for text in lang[code].values())
    for text in EN[code].values():
        for quoted in CHINESE_IN_ENGLISH:
            text = text.replace(quoted, "")
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text), text


def test_an_unknown_code_is_refused_when_the_problem_is_made_not_when_it_is_printed():
    with pytest.raises(KeyError, match="no_such_code"):
        Problem("a.md", 1, "no_such_code")


@pytest.mark.parametrize("code", sorted(ZH))
def test_every_message_prints_in_both_languages_with_its_placeholders_filled(code):
    names = placeholders(ZH[code])
    for lang in ("zh", "en"):
        text = i18n.text(code, lang, **{name: 1 for name in names}) + i18n.hint(code, lang, **{name: 1 for name in names})
        assert not re.search(r"[{}]", text.replace("{ }", "")), text


# --- the format ---------------------------------------------------------------------------------

def test_a_plural_choice_takes_the_first_form_for_one_and_the_second_otherwise(monkeypatch):
    monkeypatch.setitem(i18n.catalogue("en"), "t", {"message": "{n:# problem|# problems} in {files:# file|# files}"})
    assert i18n.text("t", "en", n=1, files=3) == "1 problem in 3 files"
    assert i18n.text("t", "en", n=0, files=1) == "0 problems in 1 file"


def test_an_optional_part_shows_only_when_its_value_is_not_empty(monkeypatch):
    monkeypatch.setitem(i18n.catalogue("zh"), "t", {"message": "未知的“{key}”{suggestion:?——是不是“#”？}"})
    assert i18n.text("t", "zh", key="titel", suggestion="title") == "未知的“titel”——是不是“title”？"
    for empty in ("", None, (), []):
        assert i18n.text("t", "zh", key="titel", suggestion=empty) == "未知的“titel”"


def test_lists_are_joined_the_languages_way_and_long_ones_are_cut(monkeypatch):
    for lang in ("zh", "en"):
        monkeypatch.setitem(i18n.catalogue(lang), "t", {"message": "{allowed}"})
    assert i18n.text("t", "zh", allowed=("农村", "社区")) == "农村、社区"
    assert i18n.text("t", "en", allowed=["a", "b"]) == "a, b"
    assert i18n.text("t", "zh", allowed=()) == "（无）" and i18n.text("t", "en", allowed=[]) == "(none)"
    many = tuple(str(n) for n in range(20))
    assert i18n.text("t", "zh", allowed=many) == "、".join(many[:i18n.LIST_LIMIT]) + " 等 20 个"
    assert i18n.text("t", "en", allowed=many).endswith("11, … (20 in all)")


def test_a_phrase_is_said_in_the_language_of_the_sentence_it_is_in():
    problem = Problem("site.yaml", 1, "not_a_mapping", {"what": Phrase("what_front_matter"), "got": Phrase("value_list")})
    assert problem.message("zh") == "信息头应为“名称: 值”形式的若干项，现在是列表"
    assert problem.message("en") == "the front matter must be a set of 'key: value' fields, got a list"


def test_standard_format_specs_still_work():
    assert i18n.text("date_long", "zh", year=2025, month=6, day=1, month_name="June") == "2025年6月1日"
    assert i18n.placeholders("{a:.2f} {b:# x|# xs} {c:?#}") == {"a", "b", "c"}


def test_the_language_tag_of_a_site_picks_the_catalogue():
    assert [i18n.language(tag) for tag in ("zh-CN", "zh", "en", "en-GB", "", None, "fr")] == \
        ["zh", "zh", "en", "en", "zh", "zh", "zh"]


def test_the_catalogue_files_are_plain_utf8_yaml_with_no_duplicate_codes():
    for lang in ("zh", "en"):
        codes = re.findall(r"^([a-z0-9_]+):", (BUILDER / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"), re.M)
        assert len(codes) == len(set(codes)), {c for c in codes if codes.count(c) > 1}
