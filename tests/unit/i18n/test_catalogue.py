"""The message catalogue (builder/messages.py and messages_editors.py): every problem a user can
meet has both languages, the two say the same things, and no code is used that is not there."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from conftest import SITE_MD, SITE_YAML, case_md

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


SOURCES = sorted(BUILDER.rglob("*.py"))


def test_the_search_for_codes_finds_the_codes_of_a_known_module():
    assert {"bad_date", "bad_date_fixable", "wrong_type", "unknown_key", "missing_key"} <= codes_used_in(BUILDER / "yamlio/fields.py")


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


# --- what a reader of English sees ------------------------------------------------------------

# Params a module fills with Chinese: a Chinese literal, a list joined with 、, or choice_list().
def chinese_params(path: Path) -> list[tuple[str, str, int]]:
    """(code, param, line) of each Chinese value given to a Problem(…) or reader.problem(…)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = {"Problem": 2, "problem": 1}.get(name)
        if position is None or len(node.args) <= position or not isinstance(node.args[position], ast.Constant):
            continue
        code = node.args[position].value
        given = [(k.value, v) for k, v in zip(node.args[3].keys, node.args[3].values) if isinstance(k, ast.Constant)] \
            if name == "Problem" and len(node.args) > 3 and isinstance(node.args[3], ast.Dict) else []
        given += [(k.arg, k.value) for k in node.keywords if k.arg]
        for param, value in given:
            if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and re.search(r"[\u3000-\u9fff]", n.value)
                   or isinstance(n, ast.Name) and n.id == "choice_list" for n in ast.walk(value)):
                found.append((code, param, node.lineno))
    return found


def test_the_search_for_chinese_params_finds_them():
    assert ("wrong_type", "expected") in {(code, param) for code, param, _ in chinese_params(BUILDER / "config.py")}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_chinese_value_fills_a_placeholder_of_the_english_message_or_hint(path):
    used_in_english = [(code, param, line) for code, param, line in chinese_params(path)
                       if code in MESSAGES and param in {name for text in MESSAGES[code][2:]
                                                         for _, name, _, _ in string.Formatter().parse(text) if name}]
    assert used_in_english == []


def test_an_english_build_names_the_wrong_things_in_english_and_lists_choices_with_commas(make_site, cli):
    root = make_site({
        "content/sites/dongguan/index.md": SITE_MD.replace("kind: 村", "kind: 街道"),
        "content/cases/a/index.md": "---\n- 一\n- 二\n---\n",
        "content/cases/b/index.md": case_md(site="西翟", category="农业", actions="[平安]"),
    }, site_yaml=SITE_YAML + "language: zh\n")
    result = cli("build", "--source", root, "--lang", "en")
    assert result.code == 1
    assert result.err == (
        "content/cases/a/index.md:2: the front matter must be a set of 'key: value' fields, got a list\n"
        "    hint: write one field per line, e.g. title: My title.\n"
        "content/cases/b/index.md:3: model site '西翟' does not exist\n"
        "    hint: site must be the folder name (slug) of a model site under content/sites/. Existing: dongguan, xizhai-cun.\n"
        "content/cases/b/index.md:5: category '农业' is not declared in site.yaml categories\n"
        "    hint: declared categories: 农村, 社区, 机关, 企业. Add new ones to categories in site.yaml first.\n"
        "content/cases/b/index.md:6: special action '平安' is not declared in site.yaml actions — did you mean '平安建设'?\n"
        "    hint: declared actions: 平安建设, 强村富民.\n"
        "content/sites/dongguan/index.md:3: 'kind' is '街道', which is not one of the allowed values\n"
        "    hint: allowed values: 村, 社区, 机关, 企业, 学校, 其他.\n"
        "site.yaml:9: 'language' is 'zh', which is not one of the allowed values\n"
        "    hint: allowed values: zh-CN, en.\n"
        "Build failed with 6 problems\n")
    chinese = cli("build", "--source", root)
    assert chinese.err.splitlines()[:2] == ["content/cases/a/index.md:2: 信息头应为“名称: 值”形式的若干项，现在是列表",
                                            "    提示：每行写一项，例如 title: 标题。"]
    assert "    提示：可用的类别：农村、社区、机关、企业。如需新类别，请先加到 site.yaml 的 categories 里。" in chinese.err


@pytest.mark.parametrize("text, got", [("just words\n", "'just words'"), ("42\n", "'42'")])
def test_a_site_yaml_that_is_not_fields_says_what_it_is_in_english(make_site, cli, text, got):
    result = cli("build", "--source", make_site(site_yaml=text), "--lang", "en")
    assert result.err.splitlines()[0] == f"site.yaml:1: site.yaml must be a set of 'key: value' fields, got {got}"
