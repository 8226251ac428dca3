"""Chinese that a person reads lives in the catalogue (builder/i18n/*.yaml), never in Python code.

Every string constant under builder/ that holds a CJK ideograph (U+3400–U+9FFF, U+F900–U+FAFF,
U+20000 and up) is a violation, unless it is data rather than a message:

- a docstring (comments are not in the syntax tree at all);
- a regular expression: the pattern argument of a re.* call, or a module constant used nowhere
  but inside such patterns (checks/text.py's character classes);
- one character compared with another or looked up in a table (a range bound such as
  '\\u4e00' <= char, a key of a table of readings): data about characters, not words;
- the value of one of the VOCABULARY constants below: words people write in their own files,
  which showcase recognises whatever language it speaks. Each entry says why; keep the list short.

Punctuation alone is not looked for: a string of it is a set of characters (sentence ends to cut
at, full-width forms to suggest), and a sentence always has ideographs. A stray '：' used to join
two parts of a sentence is therefore not caught here; every other message in code is.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import builder

BUILDER = Path(builder.__file__).resolve().parent
SOURCES = sorted(BUILDER.rglob("*.py"))
IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
RE_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}

# module:constant (Class.attribute inside a class) -> why its Chinese is data, not a message.
VOCABULARY = {
    "model.py:DEFAULT_SITE_KINDS": "the kinds of model site people write in front matter (kind: 村), unless site.yaml sets others",
    "slugs.py:_SUFFIXES": "the suffixes of Chinese place and unit names (村, 社区, …) the slug rules recognise",
    "model.py:ReviewSettings.stages": "the default review stages: reviewers type them (--stage 初审), site.yaml sets others",
    "checks/text.py:HINT_MARK": "the marker `showcase new` writes before each hint; the check looks for it in the text",
    "checks/rules.py:PLACEHOLDERS": "placeholders writers leave in a draft (XXX, 待核实); the gate looks for them in the text",
    "desk/recycle.py:RECYCLE_DIR": "the recycle folder's name at the site root, which people open in their file manager (named in the guide)",
}


def chinese_messages(source: str, module: str = "") -> list[tuple[int, str]]:
    """(line, literal) of every string constant in `source` with Chinese that is not data."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    exempt = _docstrings(tree) | _patterns(tree) | _vocabulary(tree, module)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and IDEOGRAPH.search(node.value)
                and id(node) not in exempt and not _a_character_looked_at(node, parents)):
            found.append((node.lineno, node.value))
    return sorted(found)


def _strings_in(node: ast.AST) -> set[int]:
    return {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _pattern_arguments(tree: ast.Module) -> list[ast.AST]:
    """The pattern of every re.compile(…), re.sub(…), … call (not the replacement of re.sub)."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            found += node.args[:1] + [k.value for k in node.keywords if k.arg == "pattern"]
    return found


def _patterns(tree: ast.Module) -> set[int]:
    """Strings inside pattern arguments, and module constants used only inside patterns (or
    inside other such constants)."""
    arguments = _pattern_arguments(tree)
    constants = {target.id: statement.value for statement in tree.body if isinstance(statement, ast.Assign)
                 for target in statement.targets if isinstance(target, ast.Name)}
    uses: dict[str, list[ast.Name]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in constants:
            uses.setdefault(node.id, []).append(node)
    patterns: set[str] = set()
    while True:
        inside = {id(n) for root in arguments + [constants[name] for name in patterns] for n in ast.walk(root)}
        more = {name for name, loads in uses.items() if name not in patterns and all(id(n) in inside for n in loads)}
        if not more:
            break
        patterns |= more
    found = set()
    for root in arguments + [constants[name] for name in patterns]:
        found |= _strings_in(root)
    return found


def _vocabulary(tree: ast.Module, module: str) -> set[int]:
    found = set()
    scopes = [("", tree.body)] + [(node.name + ".", node.body) for node in tree.body if isinstance(node, ast.ClassDef)]
    for prefix, body in scopes:
        for statement in body:
            targets = statement.targets if isinstance(statement, ast.Assign) else (
                [statement.target] if isinstance(statement, ast.AnnAssign) and statement.value else [])
            for target in targets:
                if isinstance(target, ast.Name) and f"{module}:{prefix}{target.id}" in VOCABULARY:
                    found |= _strings_in(statement.value)
    return found


def _a_character_looked_at(node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    """One character in a comparison ('\\u4e00' <= char) or as the key of a table."""
    if len(node.value) != 1:
        return False
    parent = parents.get(node)
    return isinstance(parent, ast.Compare) or (isinstance(parent, ast.Dict) and any(k is node for k in parent.keys))


# --- the rule, on every module ------------------------------------------------------------------

@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(BUILDER).as_posix())
def test_a_module_holds_no_chinese_message(path):
    module = path.relative_to(BUILDER).as_posix()
    found = chinese_messages(path.read_text(encoding="utf-8"), module)
    assert not found, "Chinese messages in code; put them in builder/i18n/zh.yaml and en.yaml:\n" + "\n".join(
        f"builder/{module}:{line}: {_shown(literal)}" for line, literal in found)


def _shown(literal: str, width: int = 80) -> str:
    return repr(literal if len(literal) <= width else literal[:width] + "…")


def test_every_word_list_constant_still_exists():
    for entry in VOCABULARY:
        module, _, name = entry.partition(":")
        tree = ast.parse((BUILDER / module).read_text(encoding="utf-8"))
        assert _vocabulary(tree, module), f"{entry} is no longer in the code: remove it from VOCABULARY"


# --- the rule itself ----------------------------------------------------------------------------

def test_a_message_is_found_with_its_line():
    source = 'x = 1\nprint("网站没有更新")\nlabel = {"zh": "错误", "en": "error"}\n'
    assert chinese_messages(source) == [(2, "网站没有更新"), (3, "错误")]


def test_chinese_inside_an_f_string_is_found():
    assert chinese_messages('def f(n):\n    return f"共 {n} 个问题"\n') == [(2, " 个问题"), (2, "共 ")]


def test_docstrings_are_not_messages_but_other_lone_strings_are():
    source = ('"""模块说明。"""\ndef f():\n    """函数说明。"""\n    "不是文档"\n'
              'class C:\n    """类说明。"""\n')
    assert chinese_messages(source) == [(4, "不是文档")]


def test_regular_expression_patterns_are_data_but_replacements_are_not():
    source = ('import re\nDATE = re.compile(r"(\\d{4})年")\nre.sub("月", "／", "x")\nre.sub("月", "个月", "x")\n'
              're.search(pattern="日", string="x")\n')
    assert chinese_messages(source) == [(4, "个月")]


def test_a_constant_used_only_in_patterns_is_data_and_one_also_printed_is_not():
    source = ('import re\n_HAN = "[一-龥]"\n_OPEN = rf"{_HAN}[“（]"\nP = re.compile(rf"{_OPEN}x")\n'
              '_MARK = "【提示】"\nQ = re.compile(_MARK)\nprint(_MARK)\n')
    assert chinese_messages(source) == [(5, "【提示】")]


def test_single_characters_compared_or_looked_up_are_data():
    source = ('def han(c):\n    return "\\u4e00" <= c <= "\\u9fff"\nREADINGS = {"翟": "zhai"}\n'
              'ANSWER = "是"\nNAMES = {"zhai": "翟"}\n')
    assert chinese_messages(source) == [(4, "是"), (5, "翟")]


def test_the_word_lists_are_exempt_by_name_in_their_own_module_only():
    source = 'DEFAULT_SITE_KINDS = ("村", "社区")\nclass ReviewSettings:\n    stages: tuple = ("初审",)\n'
    assert chinese_messages(source, "model.py") == []
    assert chinese_messages(source, "content/load.py") == [(1, "村"), (1, "社区"), (3, "初审")]
    assert chinese_messages(source, "other.py") == [(1, "村"), (1, "社区"), (3, "初审")]
