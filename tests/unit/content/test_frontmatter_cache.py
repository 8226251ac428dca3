import hashlib
import json
import shutil

import pytest
from conftest import SITE_YAML, case_md

from builder.content import frontmatter_cache
from builder.content.frontmatter_cache import FrontMatterCache
from builder.yamlio.source import parse_yaml

DOCS = [
    'title: "白塔村：平安建设"\nsite: baita-cun\ndate: 2024-04-05\ncategory: 农村\n'
    'actions:\n  - 平安守护\ntags: [养老, 数字治理]\nsummary: 一段话\nphotos: []\n',
    "title: x\nphotos:\n  - src: a.jpg\n    caption: 图一\n  - b.jpg\nweight: -3\nfeatured: true\ndraft: no\n",
    "title: x\nextra:\n  ratio: 0.25\n  big: 123456789012345678901234567890\n  none: ~\n  nested: {a: [1, 2, {b: 2024-01-02}]}\n",
    "",
    "# only a comment\n",
]
NOT_CACHED = [
    "base: &b {a: 1}\nother: *b\n",              # aliases: shared objects
    "title: x\n1: integer key\n",                  # a key JSON would turn into a string
    "when: 2024-01-02 10:00:00\n",                 # datetime, not date
    "data: !!binary aGVsbG8=\n",                   # bytes
    "n: .nan\n",
    "s: !!set {a, b}\n",
]


@pytest.mark.parametrize("text", DOCS + NOT_CACHED)
def test_a_cached_parse_is_exactly_the_parse(tmp_path, text):
    path = tmp_path / "fm.json"
    first = FrontMatterCache(path)
    expected = parse_yaml(text, "c.md", first_line=2)
    assert first.parse(text, "c.md", first_line=2) == expected
    first.save()
    again = FrontMatterCache(path)
    got = again.parse(text, "c.md", first_line=2)
    assert got == expected
    assert [type(v) for v in _walk(got[0].value)] == [type(v) for v in _walk(expected[0].value)]


@pytest.mark.parametrize("text", DOCS)
def test_plain_documents_are_stored(tmp_path, text):
    cache = FrontMatterCache(tmp_path / "fm.json")
    cache.parse(text, "c.md", first_line=2)
    assert len(cache.entries) == 1


@pytest.mark.parametrize("text", NOT_CACHED)
def test_documents_json_cannot_hold_exactly_are_not_stored(tmp_path, text):
    cache = FrontMatterCache(tmp_path / "fm.json")
    cache.parse(text, "c.md", first_line=2)
    assert cache.entries == {}


def test_the_line_offset_is_part_of_the_key(tmp_path):
    cache = FrontMatterCache(tmp_path / "fm.json")
    a, _ = cache.parse("title: x\n", "c.md", first_line=2)
    b, _ = cache.parse("title: x\n", "c.md", first_line=5)
    assert a.line("title") == 2 and b.line("title") == 5


def test_yaml_errors_are_reported_every_time_and_not_stored(tmp_path):
    cache = FrontMatterCache(tmp_path / "fm.json")
    for _ in range(2):
        parsed, problems = cache.parse("title: [unclosed\n", "c.md", first_line=2)
        assert parsed is None and problems and problems[0].path == "c.md"
    assert cache.entries == {}


def test_unused_entries_are_dropped_and_a_damaged_file_is_only_a_miss(tmp_path):
    path = tmp_path / "fm.json"
    cache = FrontMatterCache(path)
    cache.parse("title: a\n", "a.md")
    cache.parse("title: b\n", "b.md")
    cache.save()
    cache = FrontMatterCache(path)
    cache.parse("title: a\n", "a.md")
    cache.save()
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 1
    path.write_text("{not json", encoding="utf-8")
    assert FrontMatterCache(path).parse("title: a\n", "a.md") == parse_yaml("title: a\n", "a.md")
    path.write_text(json.dumps({k: "[1," for k in cache.entries}), encoding="utf-8")   # a damaged entry
    assert FrontMatterCache(path).parse("title: a\n", "a.md") == parse_yaml("title: a\n", "a.md")


TWICE = "title: 甲\ntags: [调解]\ntags: [志愿服务]\n"


def test_a_key_written_twice_is_reported_on_every_parse_and_never_stored(tmp_path):
    path = tmp_path / "fm.json"
    for _ in range(2):
        cache = FrontMatterCache(path)
        parsed, problems = cache.parse(TWICE, "c.md", first_line=2)
        assert [(p.line, p.code) for p in problems] == [(4, "duplicate_key")]
        assert parsed.value["tags"] == ["志愿服务"]
        cache.save()
    assert FrontMatterCache(path).entries == {}


def test_a_cache_saved_before_keys_written_twice_were_reported_does_not_hide_them(tmp_path):
    # What a build of the previous version stored for this text: its parse, without a problem.
    parsed, _ = parse_yaml(TWICE, "c.md", first_line=2)
    salt = frontmatter_cache._SALT.replace(frontmatter_cache.FORMAT, "fm-1", 1)
    old_key = hashlib.sha256(f"{salt}2\0{TWICE}".encode("utf-8")).hexdigest()[:32]
    path = tmp_path / "fm.json"
    path.write_text(json.dumps({old_key: frontmatter_cache._encode(parsed)}), encoding="utf-8")
    _, problems = FrontMatterCache(path).parse(TWICE, "c.md", first_line=2)
    assert [p.code for p in problems] == ["duplicate_key"]


@pytest.mark.parametrize("line", ["x", "5", [5], True, 5.0, None])
def test_a_hand_edited_line_number_in_the_cache_is_parsed_again_not_shown_or_a_crash(make_site, cli, line):
    root = make_site({"content/cases/a/index.md": case_md()})
    assert cli("build", "--source", root, "-q").code == 0
    path = root / ".cache" / "front-matter.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    for key, stored in entries.items():
        value, lines = json.loads(stored)
        lines = [[where, line if where == ["category"] else at] for where, at in lines]
        entries[key] = json.dumps([value, lines], ensure_ascii=False)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    # Two problems in the case file: one on the line of site:, one on the hand-edited line of category:.
    (root / "site.yaml").write_text(SITE_YAML.replace("[农村, ", "["), encoding="utf-8")
    shutil.rmtree(root / "content/sites/xizhai-cun")
    result = cli("build", "--source", root, "-q")
    assert result.code == 1
    assert result.err.splitlines()[::2] == [
        "content/cases/a/index.md:3: 示范点“xizhai-cun”不存在",
        "content/cases/a/index.md:5: 类别“农村”未在 site.yaml 的 categories 中定义",
        "构建失败：2 个问题"]


def _walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
