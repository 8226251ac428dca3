"""The message catalogue (builder/messages.py and messages_editors.py): every problem a user can
meet has both languages, the two say the same things, and no code is used that is not there."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import builder
from builder.errors import Problem
from builder.messages import MESSAGES
from builder.messages_editors import EDITOR_MESSAGES

BUILDER = Path(builder.__file__).resolve().parent


def placeholders(template: str) -> set[str]:
    """'{key}' and '{suggestion_zh}' -> {'key', 'suggestion'}: a language's variant counts as the same."""
    return {re.sub(r"_(zh|en)$", "", name) for _, name, _, _ in string.Formatter().parse(template) if name}


def codes_used_in(path: Path) -> set[str]:
    """Message codes named by Problem(path, line, CODE, …) and reader.problem(key, CODE, …) calls."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = {"Problem": 2, "problem": 1}.get(name)
        if position is None or len(node.args) <= position:
            continue
        found |= {n.value for n in ast.walk(node.args[position]) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return found


SOURCES = sorted(BUILDER.glob("*.py"))


def test_the_search_for_codes_finds_the_codes_of_a_known_module():
    assert {"bad_date", "bad_date_fixable", "wrong_type", "unknown_key", "missing_key"} <= codes_used_in(BUILDER / "fields.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_code_a_module_reports_is_in_the_catalogue(path):
    assert codes_used_in(path) - set(MESSAGES) == set()


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_use_the_same_placeholders(code):
    zh_message, zh_hint, en_message, en_hint = MESSAGES[code]
    assert placeholders(zh_message) | placeholders(zh_hint) == placeholders(en_message) | placeholders(en_hint)


# Chinese that an English text shows on purpose: what the user must type or will see in a file.
CHINESE_IN_ENGLISH = ("【填写提示】", "[农村, 社区, 机关, 企业]", "--category 农村")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_messages_have_no_stray_spaces_and_english_ones_no_chinese(code):
    texts = MESSAGES[code]
    assert all(text == text.strip() for text in texts)
    for text in texts[2:]:
        for quoted in CHINESE_IN_ENGLISH:
            text = text.replace(quoted, "")
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text)


def test_no_editor_message_is_silently_shadowed_by_a_build_message_of_the_same_code():
    tree = ast.parse((BUILDER / "messages.py").read_text(encoding="utf-8"))
    literal = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                   and getattr(node.target, "id", "") == "MESSAGES")
    build_codes = {key.value for key in literal.keys}
    assert build_codes & set(EDITOR_MESSAGES) == set()
    assert set(MESSAGES) == build_codes | set(EDITOR_MESSAGES)


def test_an_unknown_code_is_refused_when_the_problem_is_made_not_when_it_is_printed():
    with pytest.raises(KeyError, match="no_such_code"):
        Problem("a.md", 1, "no_such_code")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_prints_in_both_languages_with_its_placeholders_filled(code):
    names = {name for text in MESSAGES[code] for _, name, _, _ in string.Formatter().parse(text) if name}
    problem = Problem("content/cases/a/index.md", 3, code, {name: f"<{name}>" for name in names})
    for lang in ("zh", "en"):
        text = problem.format(lang)
        assert text.startswith("content/cases/a/index.md:3: ")
        assert not re.search(r"[{}]", text), text
