from builder.content import derive_summary, truncate_display


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
