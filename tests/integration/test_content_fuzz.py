"""Random bytes, random YAML and random Markdown fed to the content loader: the answer is
always a clean list of problems or a document, never a traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from builder.assemble import assemble
from builder.config import parse_config
from builder.content.load import ContentMemo, load_content
from builder.errors import Problem
from builder.content.markdown import MarkdownCache

SITE, _ = parse_config("title: t\ncategories: [农村, 社区]\nactions:\n  - name: 平安建设\n")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20), st.dates().map(str))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
front_keys = st.sampled_from(["title", "site", "date", "category", "actions", "tags", "summary", "cover",
                              "photos", "slug", "draft", "featured", "weight", "source", "extra", "review", "titel"])
front_matter = st.dictionaries(front_keys, yaml_values, max_size=8)
markdown_text = st.lists(st.sampled_from([
    "# 标题", "## 基本情况", "段落文字。", "![图](a.jpg)", "![](../x.png)", "[链接](/cases/x/)", "| a | b |\n| - | - |\n| 1 | 2 |",
    "[^1]", "[^1]: 注释", "- 列表", "1. 列表", "```\ncode\n```", "<script>alert(1)</script>", "{: #id .cls }",
    "---", "***", "> 引用", "    缩进", "\t", "&amp;", "<div>", "**粗", "`", "\\",
]) | st.text(max_size=30), max_size=12).map("\n\n".join)


def load_one(root: Path, data: bytes) -> tuple[object, list[Problem]]:
    case = root / "content/cases/fuzz"
    if case.exists():
        shutil.rmtree(case)
    case.mkdir(parents=True)
    (case / "index.md").write_bytes(data)
    content, problems = load_content(root, SITE, MarkdownCache(None), workers=1)
    assert all(isinstance(p, Problem) for p in problems)
    memo = ContentMemo()                                  # what the preview keeps: the same answer
    for _ in range(2):
        assert load_content(root, SITE, MarkdownCache(None), workers=1, memo=memo) == (content, problems)
    for problem in problems:
        problem.format("zh"), problem.format("en")        # every problem prints in both languages
    model, more = assemble(SITE, content)
    for problem in more:
        problem.format("zh")
    return content, problems


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(tmp_path, data):
    load_one(tmp_path, data)


@FUZZ
@given(fields=front_matter, body=markdown_text)
def test_random_front_matter_and_markdown_give_problems_or_a_case(tmp_path, fields, body):
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    content, problems = load_one(tmp_path, text.encode("utf-8"))
    if not problems:
        assert len(content.cases) == 1


@FUZZ
@given(front=st.text(max_size=200), body=markdown_text)
def test_random_yaml_text_never_crashes_the_loader(tmp_path, front, body):
    load_one(tmp_path, ("---\n" + front + "\n---\n" + body).encode("utf-8", "surrogatepass"))
