"""The guide quotes what showcase prints: every line of its ```text blocks must be a line the
message catalogue can produce, so a reworded message cannot leave the guide saying something else."""
from __future__ import annotations

import functools
import re
import string
from pathlib import Path

import pytest

from builder import i18n

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"
ELLIPSIS = "……"
KINDS = "|".join(i18n.text(f"kind_{kind}", "zh") for kind in ("case", "site", "page"))
# Rows of the status table (a kind, a date for a case, then names): data, not messages.
STATUS_ROW = re.compile(rf"^(?:(?:{KINDS})\s+)?\d{{4}}-\d{{2}}-\d{{2}}  |^-{{4,}}  -{{4,}}|^(?:{KINDS})\s{{3,}}\S")
ITEM = re.compile(r"^\s*\d+\. \S")                                 # numbered choices of the `new` conversation: names
PATH = r"(?:\S+?(?::\d+)?: )?"                                    # content/cases/a/index.md:2:


def pattern_of(template: str) -> str:
    """A message template as a regular expression: each placeholder (plural or optional parts
    included) stands for any text."""
    out = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append("(?:.*?)" if spec.startswith("?") else "(?:.+?)")
    return "".join(out)


HAN = re.compile(r"[\u3400-\u9fff]")


def literal_part(template: str) -> str:
    """The Chinese words of a template, without its placeholders and punctuation."""
    return "".join(HAN.findall("".join(literal for literal, _, _, _ in string.Formatter().parse(template))))


@functools.cache
def catalogue_lines() -> re.Pattern:
    entries = i18n.catalogue("zh")
    warning, hint = re.escape(i18n.text("label_warning", "zh")), re.escape(i18n.text("label_hint", "zh"))
    # Templates that are all placeholder (a detail passed through) would match any line.
    templates = [t for e in entries.values() for t in _lines_of(e["message"]) if len(literal_part(t)) >= 2]
    hints = [e["hint"] for e in entries.values() if len(literal_part(e.get("hint", ""))) >= 2]
    # A question is followed on its line by what the person typed.
    messages = [pattern_of(t) + ("(?:.*)" if t.endswith(("：", "]：")) else "") for t in templates]
    message = "|".join(sorted(set(messages), key=len, reverse=True))
    hint_texts = "|".join(sorted({pattern_of(h) for h in hints}, key=len, reverse=True))
    # A line of a list (console.item) is indented by two spaces.
    return re.compile(rf"^(?:(?:  )?{PATH}(?:{warning})?(?:{message})|\s*{hint}(?:{hint_texts}))$")


def _lines_of(template: str) -> list[str]:
    """A message and, when it runs over several lines, each of its lines (indent dropped) that is a
    template of its own: the guide quotes a long message line by line."""
    parts = [template] + [part.strip() for part in template.split("\n")] if "\n" in template else [template]
    found = []
    for part in parts:
        try:
            list(string.Formatter().parse(part))
        except ValueError:
            continue                                              # a placeholder that spans lines
        found.append(part)
    return found


def text_blocks() -> list[tuple[int, str]]:
    lines, found, inside = GUIDE.read_text(encoding="utf-8").split("\n"), [], False
    for number, line in enumerate(lines, 1):
        if line.strip().startswith("```"):
            inside = line.strip() == "```text" if not inside else False
            continue
        if inside:
            found.append((number, line))
    return found


def test_the_guide_has_quoted_output_to_check():
    assert len(text_blocks()) > 20


@pytest.mark.parametrize("number, line", text_blocks(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_every_quoted_output_line_is_one_the_catalogue_can_produce(number, line):
    shown = line.strip()
    if not shown or shown.startswith(ELLIPSIS) or STATUS_ROW.match(shown) or ITEM.match(line):
        return
    columns = re.split(r"\s{2,}", shown)
    if len(columns) > 1 and all(column in WORDS for column in columns):
        return                                                    # a table's header: one word each
    assert catalogue_lines().match(shown), f"docs/guide.md:{number}: {line!r} is not a line showcase prints"


WORDS = {entry["message"] for entry in i18n.catalogue("zh").values()}


def test_the_guide_lists_every_site_yaml_key_and_every_rule_a_site_may_turn_into_a_warning():
    from builder.config import SECTION_KEYS, SITE_KEYS, TURNABLE_RULES
    text = GUIDE.read_text(encoding="utf-8")
    appendix = text[text.index("附录：site.yaml 的全部设置项\n"):]
    missing = [key for key in (*SITE_KEYS, *(k for keys in SECTION_KEYS.values() for k in keys))
               if f"`{key}`" not in appendix and f"{key}:" not in appendix]
    assert missing == []
    assert [rule for rule in TURNABLE_RULES if f"| `{rule}` |" not in text] == []
