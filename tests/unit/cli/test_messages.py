"""What the command line and the editors' commands say comes from the catalogue: every message
code they name is in it, and no Chinese sentence is left in their Python code."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import builder
from builder import i18n

BUILDER = Path(builder.__file__).resolve().parent
SOURCES = sorted([*(BUILDER / "cli").glob("*.py"), *(BUILDER / "editors").glob("*.py")])
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

# Calls whose first argument is a message code (Console, Conversation, i18n, EditError).
SPEAKING = {"say", "item", "always", "detail", "error", "text", "hint", "ask", "Phrase", "EditError"}
# Chinese that is data, not a message: characters a pattern matches.
DATA = {
    "builder/editors/newcase.py": ['[“\\"「『]([^”\\"」』]+)[”\\"」』]'],      # quotation marks around a title's phrase
    "builder/editors/prompts.py": ["[\\s,，、;；]+"],                          # what separates the numbers typed
}


def named_codes(tree: ast.AST) -> set[str]:
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in SPEAKING and node.args and isinstance(node.args[0], ast.Constant):
                codes.add(node.args[0].value)
            if name == "failed" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                codes.add(node.args[1].value)
            if name == "set_defaults":
                codes |= {k.value.value for k in node.keywords if k.arg == "doing" and isinstance(k.value, ast.Constant)}
    return codes


def chinese_literals(tree: ast.AST) -> list[str]:
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and HAN.search(node.value)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(BUILDER.parent).as_posix())
def test_every_message_code_named_is_in_both_catalogues(path):
    codes = named_codes(ast.parse(path.read_text(encoding="utf-8")))
    assert codes - set(i18n.catalogue("zh")) == set()
    assert codes - set(i18n.catalogue("en")) == set()


def test_the_search_finds_the_codes_of_a_known_module():
    assert {"build_done", "build_next", "check_passed", "held_back_item", "doing_build"} <= \
        named_codes(ast.parse((BUILDER / "cli/build.py").read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(BUILDER.parent).as_posix())
def test_no_chinese_sentence_is_left_in_the_code(path):
    rel = path.relative_to(BUILDER.parent).as_posix()
    assert chinese_literals(ast.parse(path.read_text(encoding="utf-8"))) == DATA.get(rel, [])
