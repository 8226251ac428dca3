"""builder.cli.console: every line said by message code in the chosen language, -q and -v
respected, problems and their count on stderr, and a console that cannot show a character."""
from __future__ import annotations

import io

from builder.cli.console import Console, timings
from builder.errors import WARNING, Problem
from builder.i18n import Phrase
from tests.conftest import KEPT_EN


def console(lang="zh", **options):
    out, err = io.StringIO(), io.StringIO()
    return Console(lang=lang, out=out, err=err, **options), out, err


def test_say_item_and_gap_print_on_stdout_in_the_chosen_language():
    c, out, err = console("en")
    c.say("held_back", count=1)
    c.item("held_back_item", title="西翟村", source="content/cases/a/index.md", reason="x")
    c.gap()
    assert out.getvalue() == "1 item held back:\n  - 西翟村 (content/cases/a/index.md): x\n\n"
    assert err.getvalue() == ""


def test_quiet_keeps_only_what_must_be_said_and_verbose_adds_the_details():
    c, out, _ = console(quiet=True)
    c.say("serve_stopped")
    c.item("serve_stopped")
    c.gap()
    c.show("表格")
    c.detail("timings", timings=timings({"config": 0.5}))
    c.always("build_photos", made=1, cached=0, seconds=0.25)
    assert out.getvalue() == "图片：新处理 1 张，0 张未变（用缓存），用时 0.25 秒。\n"
    c, out, _ = console(verbose=True)
    c.detail("timings", timings=timings({"config": 0.5, "write": 1.25}))
    assert out.getvalue() == "各阶段用时：config 0.50 秒、write 1.25 秒\n"


def test_an_error_goes_to_stderr_with_its_hint_indented_like_a_problem_s():
    c, out, err = console("en")
    c.error("crash_disk_full", doing=Phrase("doing_build"), path="output/index.html")
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        "While building the site: the disk is full, cannot write output/index.html",
        "    hint: free some disk space (empty the recycle bin, or delete the site's .cache folder: "
        "it is rebuilt by itself), then try again."]


def test_failed_lists_every_problem_then_counts_the_errors_with_english_plurals():
    error = Problem("a.md", 2, "bad_date", {"value": "x"})
    warning = Problem("b.md", None, "empty_value", {"key": "tags"}, severity=WARNING)
    for problems, last in (([error], "Build failed with 1 problem"), ([error, error, warning], "Build failed with 2 problems")):
        c, _, err = console("en")
        c.failed(problems)
        assert err.getvalue().splitlines()[-2:] == [last, KEPT_EN.rstrip("\n")]
    c, _, err = console()
    c.failed([error], "nothing_created")
    assert err.getvalue().splitlines()[-1] == "没有新建任何文件：1 个问题。"


def test_the_language_tag_picks_the_catalogue():
    assert console("en-GB")[0].lang == "en" and console("zh-CN")[0].lang == "zh"


def test_a_console_that_cannot_show_a_character_shows_a_question_mark_instead_of_failing():
    raw = io.BytesIO()
    gbk = io.TextIOWrapper(raw, encoding="gbk")
    c = Console(out=gbk, err=gbk)
    c.say("new_created_case", path="content/cases/\u2764/index.md")
    gbk.flush()
    assert raw.getvalue().decode("gbk") == "已新建案例：content/cases/?/index.md\n"
