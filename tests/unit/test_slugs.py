import pytest

from builder.slugs import is_slug, slugify


@pytest.mark.parametrize("name, place, slug", [
    ("西翟村", True, "xizhai-cun"),          # 翟 read as in names, suffix a word of its own
    ("府西社区", True, "fuxi-shequ"),
    ("城区街道", True, "chengqu-jiedao"),
    ("农村", False, "nongcun"),              # a term, not a place: one word
    ("和美乡村", False, "hemeixiangcun"),
    ("护学先锋岗", False, "huxuexianfenggang"),
    ("xizhai-cun", False, "xizhai-cun"),     # ASCII slugs stay as they are
    ("Hello World", False, "hello-world"),
    ("ＡＢＣ１２", False, "abc12"),           # full-width letters normalised
    ("A村 1号", False, "acun-1hao"),
    ("——", False, ""),
])
def test_slugify_turns_names_into_ascii_slugs(name, place, slug):
    assert slugify(name, place=place) == slug


def test_slugify_always_gives_a_valid_slug_or_nothing():
    for name in ["“五色工作法”", "调解室（一）", "a--b", " 空格 ", "李家堡村"]:
        slug = slugify(name, place=True)
        assert slug == "" or is_slug(slug), (name, slug)


# --- the memo kept in .cache/slugs.json ------------------------------------------------------------

def test_the_memo_is_saved_with_the_version_it_was_made_by_and_read_back(tmp_path):
    import json
    from builder.slugs import _memo_version, load_memo, save_memo
    slug = slugify("记忆测试村", place=True)
    path = tmp_path / ".cache" / "slugs.json"
    save_memo(path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == _memo_version()
    assert stored["slugs"]["p:记忆测试村"] == slug == "jiyiceshi-cun"
    assert list(stored["slugs"]) == sorted(stored["slugs"])          # the same file for the same names
    load_memo(path)
    assert slugify("记忆测试村", place=True) == slug


def test_an_unchanged_memo_is_not_written_again(tmp_path):
    import json
    from builder.slugs import save_memo
    path = tmp_path / "slugs.json"
    save_memo(path)
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    pretty = path.read_text(encoding="utf-8")
    save_memo(path)
    assert path.read_text(encoding="utf-8") == pretty


@pytest.mark.parametrize("stored", ['{"version": "slug-0/0", "slugs": {"t:旧版本词": "wrong"}}',
                                    '{"version": 1, "slugs": []}', "[1, 2]", "{broken", ""])
def test_a_memo_of_another_version_or_damaged_is_ignored(tmp_path, stored):
    from builder.slugs import load_memo
    path = tmp_path / "slugs.json"
    path.write_text(stored, encoding="utf-8")
    load_memo(path)
    assert slugify("旧版本词") == "jiubanbenci"


def test_one_sites_memo_file_never_answers_for_another_sites_build(tmp_path):
    import json
    from builder.slugs import _memo_version, load_memo
    edited = tmp_path / "a" / "slugs.json"            # a hand-edited (or damaged) memo of site a
    edited.parent.mkdir()
    edited.write_text(json.dumps({"version": _memo_version(), "slugs": {"t:隔离测试词": "wrong"}}), encoding="utf-8")
    load_memo(edited)
    assert slugify("隔离测试词") == "wrong"              # site a's own file is trusted, like its other caches
    load_memo(tmp_path / "b" / "slugs.json")          # site b has no memo yet
    assert slugify("隔离测试词") == "geliceshici"


@pytest.mark.parametrize("damaged", [b"{broken", b"", "{\"版本\": 1}".encode("gbk")])
def test_a_damaged_memo_is_written_anew_on_save(tmp_path, damaged):
    import json
    from builder.slugs import _memo_version, save_memo
    path = tmp_path / "slugs.json"
    path.write_bytes(damaged)
    save_memo(path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == _memo_version()


def test_a_memo_that_cannot_be_saved_costs_only_time(tmp_path):
    from builder.slugs import save_memo
    path = tmp_path / "slugs.json"
    path.mkdir()                                    # a folder in the way
    save_memo(path)
    assert path.is_dir() and not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("name, slug", [("调解室（一）", "tiaojieshi-yi"), ("“五色工作法”", "wusegongzuofa"),
                                        ("李家堡村", "lijiabao-cun"), ("城东社区居委会", "chengdongshequ-juweihui")])
def test_place_names_split_off_only_their_last_administrative_word(name, slug):
    assert slugify(name, place=True) == slug


def test_pypinyin_is_let_go_after_the_slugs_and_loaded_again_when_a_new_name_needs_it():
    import sys
    from builder import slugs
    assert slugs._slugify("议事厅") == "yishiting"
    assert "pypinyin" in sys.modules
    slugs.release_dictionaries()
    assert not [name for name in sys.modules if name.startswith("pypinyin")]
    assert slugs._slugify("调解室") == "tiaojieshi"


def test_the_search_reads_pypinyin_s_character_table_without_importing_the_package():
    import sys
    from builder import slugs
    from builder.search.text import _character_table
    slugs.release_dictionaries()
    table = _character_table()
    assert "pypinyin" not in sys.modules
    assert table[ord("翟")] == "dí,zhái" and len(table) > 40_000
