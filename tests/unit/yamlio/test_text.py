"""builder.yamlio.text: what `showcase new` and `showcase review` write into files people edit
must read back, through the loader the build uses, as exactly the value that was given."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.editors.newcase import NewCase, NewSite, case_text, site_text
from builder.yamlio.source import parse_yaml, split_front_matter
from builder.yamlio.text import flow_list, flow_mapping, quoted, scalar

# Any text a person could paste, lone surrogates aside (a UTF-8 file cannot hold them).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=16)


def read_back(yaml_text: str):
    parsed, problems = parse_yaml(yaml_text, "f.md")
    assert problems == [], [p.message("en") for p in problems]
    return parsed.value


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_any_text_reads_back_as_written_plain_quoted_in_a_list_and_in_a_mapping(value):
    assert read_back(f"k: {scalar(value)}\n") == {"k": value}
    assert read_back(f"k: {quoted(value)}\n") == {"k": value}
    assert read_back(f"k: {flow_list([value, value])}\n") == {"k": [value, value]}
    assert read_back(f"k:\n  - {flow_mapping({'by': value})}\n") == {"k": [{"by": value}]}


@pytest.mark.parametrize("value, written", [
    ("张三", '"张三"'),
    ("a\u2028b", '"a\\u2028b"'),          # LINE SEPARATOR, pasted from a Word document: YAML would fold it to a space
    ("a\u2029b", '"a\\u2029b"'),
    ("a\x85b", '"a\\u0085b"'),            # NEXT LINE: the same
    ("del\x7f", '"del\\u007f"'),          # a control character YAML refuses to read at all
    ("tab\tnew\nline", '"tab\\tnew\\nline"'),
    ("“引号”", '"“引号”"'),                # Chinese quotes stay readable
    ("emoji 😀", '"emoji 😀"'),
])
def test_quoted_text_escapes_only_what_yaml_cannot_hold_as_it_is(value, written):
    assert quoted(value) == written
    assert read_back(f"k: {written}\n") == {"k": value}


@pytest.mark.parametrize("value, written", [
    ("农村", "农村"), ("2025-01-01", '"2025-01-01"'), ("true", '"true"'), ("123", '"123"'),
    ("a: b", '"a: b"'), (" lead", '" lead"'), (dt.date(2025, 6, 1), "2025-06-01"), (7, "7"),
])
def test_scalars_are_plain_when_plain_reads_back_the_same_and_quoted_otherwise(value, written):
    assert scalar(value) == written


def front_of(text: str) -> dict:
    split, problems = split_front_matter(text, "index.md")
    assert problems == []
    return read_back(split.front)


@settings(max_examples=150, deadline=None)
@given(title=TEXT.filter(lambda t: t.strip()), category=TEXT, action=TEXT)
def test_a_new_case_file_reads_back_with_exactly_the_title_category_and_actions_given(title, category, action):
    case = NewCase(title=title, site="xizhai-cun", category=category, date=dt.date(2025, 6, 1), actions=(action,))
    front = front_of(case_text(case))
    assert (front["title"], front["category"], front["actions"], front["date"]) == (title, category, [action],
                                                                                    dt.date(2025, 6, 1))


@settings(max_examples=100, deadline=None)
@given(title=TEXT.filter(lambda t: t.strip()), town=TEXT.filter(lambda t: t.strip()))
def test_a_new_site_file_reads_back_with_exactly_the_title_and_town_given(title, town):
    front = front_of(site_text(NewSite(title=title, kind="村", town=town)))
    assert (front["title"], front["kind"], front["town"]) == (title, "村", town)
