from builder.content.load import derive_summary, truncate_display


def test_summary_is_the_first_paragraph_as_text():
    html = "<h2>基本情况</h2>\n<p>村里<strong>搭建</strong>了平台。</p><p>第二段。</p>"
    assert derive_summary(html) == "村里搭建了平台。"


def test_summary_skips_figures_and_unescapes():
    html = '<figure class="figure" data-photo="a.jpg"><img src="a.jpg"></figure><p>A &amp; B</p>'
    assert derive_summary(html) == "A & B"


def test_long_chinese_summary_is_cut_at_a_sentence_end():
    text = "第一句话比较长一些，" * 8 + "。" + "后面还有很多很多的内容" * 10
    cut = truncate_display(text, 200)
    assert cut.endswith("。") and len(cut) <= 100


def test_long_text_without_sentence_end_gets_an_ellipsis():
    cut = truncate_display("字" * 300, 240)
    assert cut == "字" * 120 + "…"


def test_latin_text_is_cut_at_a_word_boundary():
    cut = truncate_display("word " * 100, 50)
    assert cut.endswith("…") and not cut[:-1].endswith("wor")


# --- the memo a preview keeps between builds -----------------------------------------------------

BROKEN = {
    "content/cases/a/index.md": "---\ntitel: x\ndate: 2024/1/2\ncover: nope.jpg\nphotos:\n  - src: missing.jpg\n  - a.jpg\n"
                                "  - a.jpg\nslug: Bad Slug\n---\n\n![x](a.jpg)\n\n正文。\n",
    "content/cases/a/a.jpg": b"not really a photo",
    "content/cases/b/index.md": "---\ntitle: [unclosed\n---\n\n正文。\n",
    "content/cases/c/index.md": "no front matter\n",
    "content/cases/d/other.md": "x",
    "content/cases/stray.md": "x",
    "content/pages/single.md": "---\ntitle: 页面\nphotos: [x.jpg]\n---\n\n页面。\n",
}


def _load(root, memo=None):
    from builder.config import load_config
    from builder.content.load import load_content
    from builder.content.markdown import MarkdownCache
    site, _ = load_config(root)
    return load_content(root, site, MarkdownCache(None), workers=1, memo=memo)


def test_documents_from_the_memo_are_what_reading_the_files_again_gives_problems_and_all(make_site):
    from conftest import case_md
    from builder.content.load import ContentMemo
    root = make_site({**BROKEN, "content/cases/e/index.md": case_md(title="好的")})
    memo = ContentMemo()
    fresh = _load(root, memo)
    assert len(fresh[1]) > 10 and memo.hits == 0
    again = _load(root, memo)
    assert again == fresh and memo.hits == 6          # 4 cases, 1 model site, 1 page
    assert again[1] == _load(root)[1]                 # problems in the same order too


def test_the_memo_reads_again_only_what_changed_and_a_new_photo_changes_its_bundle(make_site):
    from conftest import case_md
    from builder.content.load import ContentMemo
    root = make_site({"content/cases/a/index.md": case_md(title="甲"), "content/cases/b/index.md": case_md(title="乙")})
    memo = ContentMemo()
    _load(root, memo)
    (root / "content/cases/a/index.md").write_text(case_md(title="甲改"), encoding="utf-8")
    (root / "content/cases/b/new.jpg").write_bytes(b"jpeg")
    memo.hits = 0
    content, problems = _load(root, memo)
    assert memo.hits == 1                             # only the model site came from the memo
    assert [c.title for c in content.cases] == ["甲改", "乙"]
    assert content.cases[1].doc.unused_photos == ("new.jpg",)    # in the folder, not chosen: not published
    assert (content, problems) == _load(root)


def test_another_site_language_empties_the_memo_and_other_settings_do_not(make_site):
    from conftest import case_md
    from builder.config import parse_config
    from builder.content.load import ContentMemo, load_content
    from builder.content.markdown import MarkdownCache
    root = make_site({"content/cases/a/index.md": case_md()})
    memo = ContentMemo()
    for settings in ("title: 一\n", "title: 二\n", "title: 二\nlanguage: en\n"):
        site, _ = parse_config(settings)
        load_content(root, site, MarkdownCache(None), workers=1, memo=memo)
    assert memo.hits == 2       # the second build took both documents; the English one none


def test_loading_the_saved_memo_leaves_the_collector_on_and_its_documents_out_of_its_sight(make_site, tmp_path):
    import gc
    from conftest import case_md
    from builder.content.load import ContentMemo
    root = make_site({"content/cases/a/index.md": case_md(title="甲")})
    memo = ContentMemo()
    first = _load(root, memo)
    memo.save(tmp_path / "state")
    try:
        loaded = ContentMemo.load(tmp_path / "state")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0 and not any(gc.is_tracked(e) and e in gc.get_objects(0)
                                                     for e in loaded.entries.values())
        assert _load(root, loaded) == first and loaded.hits == 2
    finally:
        gc.unfreeze()


def test_photos_found_in_a_folder_are_in_the_order_people_number_them():
    from builder.content.load import natural_key
    names = ["photo-10.jpg", "photo-2.jpg", "photo-1.jpg", "照片 3.jpg", "a.png"]
    assert sorted(names, key=natural_key) == ["a.png", "photo-1.jpg", "photo-2.jpg", "photo-10.jpg", "照片 3.jpg"]


# --- model sites' kinds and a case's source --------------------------------------------------------

def test_a_model_sites_kind_is_one_of_those_of_site_yaml_listed_in_their_order(make_site):
    from conftest import SITE_YAML
    root = make_site({"content/sites/chaijia/index.md": "---\ntitle: 柴家镇\nkind: 乡镇\n---\n\n简介。\n"},
                     site_yaml=SITE_YAML + "sites:\n  kinds: [村, 乡镇（街道）, 其他]\n")
    content, problems = _load(root)
    assert [p.format("zh") for p in problems] == [
        "content/sites/chaijia/index.md:3: “kind”的值“乡镇”不在可选范围内\n    提示：可选的值：村、乡镇（街道）、其他。"]
    assert sorted(s.kind for s in content.sites) == ["乡镇", "村"]


def test_a_township_is_a_kind_of_model_site_by_default(make_site):
    root = make_site({"content/sites/chaijia/index.md": "---\ntitle: 柴家镇\nkind: 乡镇（街道）\n---\n\n简介。\n"})
    content, problems = _load(root)
    assert problems == [] and {s.title: s.kind for s in content.sites}["柴家镇"] == "乡镇（街道）"


def test_source_is_where_the_text_comes_from_and_unit_who_submitted_it(make_site):
    from conftest import case_md
    root = make_site({"content/cases/a/index.md": case_md(
        source="\"《河津：奋力争当排头兵》，本版文字 韩维元\"", unit="河津市委组织部")})
    content, problems = _load(root)
    assert problems == []
    assert (content.cases[0].citation, content.cases[0].unit) == ("《河津：奋力争当排头兵》，本版文字 韩维元", "河津市委组织部")
