"""`showcase new case` / `new site`: with options (scripted, no terminal), and answered question
by question in a real pseudo-terminal."""
from __future__ import annotations

import datetime as dt
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, snapshot

TODAY = dt.date.today().isoformat()


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


# --- with options ----------------------------------------------------------------------------

def test_new_case_with_options_writes_the_standard_template(make_site, cli):
    root = make_site()
    result = cli("new", "case", "--source", root, "--title", "西翟村“人居环境”整治: 三年行动", "--site", "xizhai-cun",
                 "--category", "农村", "--action", "平安建设", "--action", "强村富民", "--date", "2025-06-01")
    assert result.code == 0, result.err
    path = root / "content/cases/xizhai-renju-huanjing/index.md"
    assert front_matter(path) == {"title": "西翟村“人居环境”整治: 三年行动", "site": "xizhai-cun",
                                  "date": dt.date(2025, 6, 1), "category": "农村", "actions": ["平安建设", "强村富民"],
                                  "tags": [], "draft": True, "photos": None}
    text = path.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert [line for line in body.split("\n") if line.startswith("## ")] == [
        "## 基本情况", "## 主要做法", "## 取得成效", "## 经验启示"]
    assert body.count("【填写提示】") == 4
    assert "photos:\n  # 把照片放进本文件夹" in text and "  # - src: photo-1.jpg\n  #   caption: 照片说明文字\n" in text
    assert "已新建案例：" in result.out
    assert f"照片请放进这个文件夹：{path.parent}{os.sep}" in result.out
    assert "showcase serve" in result.out


def test_a_new_case_builds_cleanly_and_check_asks_only_for_the_text(make_site, cli):
    root = make_site()
    assert cli("new", "case", "--source", root, "--title", "西翟村议事平台", "--site", "西翟村",
               "--category", "农村").code == 0
    build = cli("build", "--source", root, "--drafts", "-q")
    assert build.code == 0, build.err
    page = (root / "output/cases/xizhai-yishi-pingtai/index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"基本情况\">基本情况</h2>" in page
    assert cli("build", "--source", root, "-q").code == 0                     # a draft: left out, no error
    assert not (root / "output/cases/xizhai-yishi-pingtai").exists()
    check = cli("check", "--source", root, "--drafts")
    found = [line for line in check.err.splitlines() if line.startswith("content/cases/")]
    assert found == [
        "content/cases/xizhai-yishi-pingtai/index.md:20: 正文里还留着填写提示：“【填写提示】用一两段话介绍背景：在哪里、从什么时…”",
        "content/cases/xizhai-yishi-pingtai/index.md:24: 正文里还留着填写提示：“【填写提示】分条写出具体做法，每条以加粗的小标题…”",
        "content/cases/xizhai-yishi-pingtai/index.md:28: 正文里还留着填写提示：“【填写提示】写明取得的成效，数字要准确、有出处。…”",
        "content/cases/xizhai-yishi-pingtai/index.md:32: 正文里还留着填写提示：“【填写提示】用两三句话总结可以推广的经验。写好后…”"]
    assert check.code == 1


def test_the_slug_comes_from_the_model_site_and_the_title_and_never_overwrites(make_site, cli):
    root = make_site({"content/cases/xizhai-yishi-pingtai/index.md": "---\ntitle: 旧的\n---\n"})
    before = snapshot(root)
    args = ("new", "case", "--source", root, "--title", "西翟村议事平台", "--site", "xizhai-cun", "--category", "农村")
    assert cli(*args).code == 0
    assert (root / "content/cases/xizhai-yishi-pingtai-2/index.md").is_file()
    assert snapshot(root)["content/cases/xizhai-yishi-pingtai/index.md"] == before["content/cases/xizhai-yishi-pingtai/index.md"]
    taken = cli(*args, "--slug", "xizhai-yishi-pingtai")
    assert taken.code == 1
    assert "文件夹 content/cases/xizhai-yishi-pingtai/ 已经存在，为防止覆盖，没有新建" in taken.err
    assert "没有新建任何文件：1 个问题。" in taken.err


def test_without_a_terminal_missing_options_are_an_error(make_site, cli):
    root = make_site()
    before = snapshot(root)
    result = cli("new", "case", "--source", root, "--title", "只写了标题")
    assert result.code == 1
    assert "没有在终端中运行，无法逐项询问；缺少选项：--site --category" in result.err
    assert snapshot(root) == before


def test_wrong_options_are_all_reported_with_suggestions(make_site, cli):
    root = make_site()
    result = cli("new", "case", "--source", root, "--title", "标题", "--site", "xizhai", "--category", "农业",
                 "--action", "平安", "--date", "2025-02-30", "--slug", "Bad Slug")
    assert result.code == 1
    assert "示范点“xizhai”不存在——是不是“xizhai-cun”？" in result.err
    assert "类别“农业”未在 site.yaml 的 categories 中定义" in result.err
    assert "专项行动“平安”未在 site.yaml 的 actions 中定义——是不是“平安建设”？" in result.err
    assert "日期“2025-02-30”不存在：2025 年 2 月只有 28 天，没有 30 日" in result.err
    assert "网址名（slug）“Bad Slug”只能包含小写英文字母、数字和短横线" in result.err
    assert "没有新建任何文件：5 个问题。" in result.err


@pytest.mark.parametrize("written", ["2025年6月1日", "20250601", "2025/6/1"])
def test_a_date_written_the_way_people_write_dates_is_written_into_the_file_as_the_build_takes_it(make_site, cli, written):
    root = make_site()
    result = cli("new", "case", "--source", root, "--title", "标题", "--site", "xizhai-cun", "--category", "农村",
                 "--date", written, "--slug", "biaoti")
    assert result.code == 0, result.err
    assert front_matter(root / "content/cases/biaoti/index.md")["date"] == dt.date(2025, 6, 1)
    assert "date: 2025-06-01" in (root / "content/cases/biaoti/index.md").read_text(encoding="utf-8")

def test_new_site_with_options(make_site, cli):
    root = make_site()
    result = cli("new", "site", "--source", root, "--title", "东关社区", "--kind", "社区", "--town", "城关街道")
    assert result.code == 0, result.err
    path = root / "content/sites/dongguan-shequ/index.md"
    assert front_matter(path) == {"title": "东关社区", "kind": "社区", "town": "城关街道", "draft": True, "photos": None}
    assert "【填写提示】" in path.read_text(encoding="utf-8")
    again = cli("new", "site", "--source", root, "--title", "东关社区", "--kind", "社区", "--slug", "dongguan-shequ")
    assert again.code == 1 and "已经存在" in again.err
    same = cli("new", "site", "--source", root, "--title", "西翟村", "--kind", "村")
    assert same.code == 1 and "文件夹 content/sites/xizhai-cun/ 已经存在" in same.err
    bad = cli("new", "site", "--source", root, "--title", "东关", "--kind", "街道")
    assert bad.code == 1 and "“kind”的值“街道”不在可选范围内" in bad.err
    case = cli("new", "case", "--source", root, "--title", "东关社区“邻里节”", "--site", "东关社区", "--category", "社区")
    assert case.code == 0
    assert front_matter(root / "content/cases/dongguan-linli-jie/index.md")["site"] == "dongguan-shequ"


def test_new_outside_a_site_says_where_to_run_it(tmp_path, cli):
    result = cli("new", "case", "--source", tmp_path, "--title", "x", "--site", "y", "--category", "z")
    assert result.code == 1
    assert "找不到网站配置文件 site.yaml" in result.err


# --- in a terminal ---------------------------------------------------------------------------

class Terminal:
    """`python -m builder ...` on a pseudo-terminal: read until a prompt, then type."""

    def __init__(self, *args: str, cwd: Path):
        self.master, slave = pty.openpty()
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen([sys.executable, "-m", "builder", *args], stdin=slave, stdout=slave,
                                     stderr=slave, cwd=cwd, env=env, close_fds=True)
        os.close(slave)
        self.seen = b""

    def expect(self, text: str, timeout: float = 15.0) -> str:
        wanted = text.encode("utf-8")
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {text!r}; got:\n{self.seen.decode('utf-8', 'replace')}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:          # the child closed the terminal
                    chunk = b""
                if not chunk:
                    if wanted not in self.seen:
                        raise AssertionError(f"ended before {text!r}:\n{self.seen.decode('utf-8', 'replace')}")
                self.seen += chunk
        before, _, self.seen = self.seen.partition(wanted)
        return before.decode("utf-8", "replace")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8") + b"\n")

    def finish(self) -> tuple[int, str]:
        rest = b""
        while True:
            ready, _, _ = select.select([self.master], [], [], 10)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            rest += chunk
        code = self.proc.wait(timeout=10)
        os.close(self.master)
        return code, (self.seen + rest).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_new_case_asks_question_by_question_in_a_terminal(make_site):
    root = make_site({"content/sites/dongguan/index.md": "---\ntitle: 东关社区\nkind: 社区\n---\n\n简介。\n"})
    term = Terminal("new", "case", "--source", str(root), cwd=root)
    term.expect("案例标题：")
    term.type("")
    term.expect("这一项必须填写。")
    term.type("西翟村“人居环境”整治")
    listing = term.expect("请输入编号：")
    assert " 1. 东关社区\r\n" in listing and " 2. 西翟村（城关镇）\r\n" in listing and "0. 新建一个示范点" in listing
    term.type("9")
    term.expect("没有编号“9”，请输入 0 到 2 之间的数字。")
    term.expect("请输入编号：")
    term.type("2")
    categories = term.expect("请输入编号：")
    assert " 1. 农村\r\n" in categories and " 4. 企业\r\n" in categories
    term.type("1")
    term.expect("请输入编号：")          # special actions
    term.type("1，2")
    term.expect(f"发布日期 [{TODAY}]：")
    term.type("")
    code, rest = term.finish()
    assert code == 0, rest
    assert "已新建案例：content/cases/xizhai-renju-huanjing/index.md" in rest.replace(os.sep, "/")
    assert front_matter(root / "content/cases/xizhai-renju-huanjing/index.md") == {
        "title": "西翟村“人居环境”整治", "site": "xizhai-cun", "date": dt.date.today(), "category": "农村",
        "actions": ["平安建设", "强村富民"], "tags": [], "draft": True, "photos": None}


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_new_case_can_create_its_model_site_in_the_same_conversation(make_site, cli):
    root = make_site()
    term = Terminal("new", "case", "--source", str(root), "--title", "东关社区“邻里节”", cwd=root)
    term.expect("请输入编号：")          # the title was given as an option: not asked
    term.type("0")
    term.expect("示范点名称（例如 西翟村）：")
    term.type("西翟村")
    term.expect("已经有示范点“西翟村”了")
    term.expect("示范点名称（例如 西翟村）：")
    term.type("东关社区")
    term.expect("请输入编号：")          # kind
    term.type("2")
    term.expect("所在乡镇（街道）（可不填，直接按回车）：")
    term.type("城关街道")
    term.expect("请输入编号：")          # category
    term.type("社区")
    term.expect("请输入编号：")          # actions: none
    term.type("")
    term.expect("发布日期")
    term.type("2025/6/1")
    term.expect("日期按 2025-06-01 记录。")
    code, rest = term.finish()
    assert code == 0, rest
    assert front_matter(root / "content/sites/dongguan-shequ/index.md") == {
        "title": "东关社区", "kind": "社区", "town": "城关街道", "draft": True, "photos": None}
    case = front_matter(root / "content/cases/dongguan-linli-jie/index.md")
    assert (case["site"], case["date"], case["category"], case["actions"]) == ("dongguan-shequ", dt.date(2025, 6, 1), "社区", [])
    assert "同时新建了示范点" in rest
    assert cli("build", "--source", root, "--drafts", "-q").code == 0


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_leaving_the_conversation_creates_nothing(make_site):
    root = make_site()
    before = snapshot(root)
    term = Terminal("new", "case", "--source", str(root), cwd=root)
    term.expect("案例标题：")
    os.write(term.master, b"\x04")                # Ctrl+D at the start of a line: end of input
    code, rest = term.finish()
    assert code == 1
    assert "已取消，没有新建任何文件。" in rest
    assert snapshot(root) == before


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_the_conversation_speaks_english_with_lang_en(make_site):
    root = make_site()
    term = Terminal("new", "case", "--source", str(root), "--lang", "en", cwd=root)
    said = []
    for prompt, answer in (("Case title: ", "Model village"), ("Number: ", "1"), ("Number: ", "1"), ("Number: ", ""),
                           (f"Date [{TODAY}]: ", "")):
        said.append(term.expect(prompt) + prompt)
        term.type(answer)
    code, rest = term.finish()
    said.append(rest)
    assert code == 0, rest
    assert " 1. 西翟村 (城关镇)\r\n" in said[1] and " 0. a new model site\r\n" in said[1]
    assert "Created the case: content/cases/" in rest.replace(os.sep, "/")
    ours = "".join(said)
    for users in ("西翟村", "城关镇", "农村", "社区", "机关", "企业", "平安建设", "强村富民", "初审"):
        ours = ours.replace(users, "")
    assert not re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", ours), ours


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_leaving_the_english_conversation_says_so_in_english(make_site):
    root = make_site()
    term = Terminal("new", "site", "--source", str(root), "--lang", "en", cwd=root)
    term.expect("Model site name: ")
    os.write(term.master, b"\x04")
    code, rest = term.finish()
    assert code == 1 and "Cancelled; nothing was created." in rest


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are a POSIX feature")
def test_the_conversation_fills_the_folder_of_photos_that_slug_names(make_site):
    from photos import jpeg_bytes
    root = make_site({"content/cases/西翟村照片/手机 1.jpg": jpeg_bytes((64, 48))})
    term = Terminal("new", "case", "--source", str(root), "--slug", "西翟村照片", cwd=root)
    term.expect("案例标题：")
    term.type("西翟村议事平台")
    term.expect("请输入编号：")
    term.type("1")                      # the model site
    term.expect("请输入编号：")
    term.type("1")                      # the category
    term.expect("请输入编号：")
    term.type("")                       # no special action
    term.expect("发布日期")
    term.type("")
    code, rest = term.finish()
    assert code == 0, rest
    assert front_matter(root / "content/cases/西翟村照片/index.md")["photos"] == [{"src": "手机 1.jpg", "caption": ""}]
