"""`showcase init`: a new site that builds, checks without errors, and never overwrites a folder."""
from __future__ import annotations


from builder.editors.scaffold import init_site, starter_files
from tests.conftest import REPO, run_cli, snapshot

STARTER = ["content/cases/example-case/index.md", "content/pages/about.md",
           "content/sites/example-village/index.md", "site.yaml", "wordlist.txt"]


def test_init_creates_the_folder_and_its_parents_with_the_starter_files(tmp_path):
    target = tmp_path / "县委组织部" / "案例库"
    assert init_site(target) is None
    assert sorted(snapshot(target)) == STARTER


def test_init_fills_a_folder_that_exists_but_is_empty(tmp_path):
    assert init_site(tmp_path) is None
    assert sorted(snapshot(tmp_path)) == STARTER


def test_the_starter_word_list_is_the_packaged_one(tmp_path):
    init_site(tmp_path)
    assert (tmp_path / "wordlist.txt").read_bytes() == (REPO / "builder/checks/wordlist.txt").read_bytes()


def test_the_example_case_names_the_example_model_site_and_a_category_of_site_yaml(tmp_path):
    init_site(tmp_path)
    case = (tmp_path / "content/cases/example-case/index.md").read_text(encoding="utf-8")
    assert "\nsite: example-village\n" in case and "\ncategory: 农村\n" in case
    assert "categories: [农村, 社区, 机关, 企业]" in (tmp_path / "site.yaml").read_text(encoding="utf-8")


def test_init_refuses_a_folder_with_anything_in_it_and_suggests_one_that_is_free(tmp_path):
    (tmp_path / "报告.docx").write_text("x", encoding="utf-8")
    (tmp_path.parent / f"{tmp_path.name}-2").mkdir(exist_ok=True)
    before = snapshot(tmp_path)
    problem = init_site(tmp_path, "我的案例库")
    assert problem.format() == (f"文件夹 {tmp_path} 已存在且不是空的，为防止覆盖，没有新建网站\n"
                                f"    提示：请换一个还不存在的文件夹，例如 showcase init {tmp_path.parent / (tmp_path.name + '-3')}")
    assert snapshot(tmp_path) == before


def test_init_of_the_current_folder_in_use_suggests_a_new_folder_inside_it(tmp_path, monkeypatch):
    (tmp_path / "报告.docx").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", ".")
    assert result.code == 1
    assert "提示：请换一个还不存在的文件夹，例如 showcase init 我的案例库\n" in result.err
    assert run_cli("init", "我的案例库").code == 0                  # the hint works


def test_init_refuses_a_site_and_a_folder_inside_a_site_with_a_place_outside_it(tmp_path, monkeypatch):
    site = tmp_path / "案例库"
    assert run_cli("init", site).code == 0
    before = snapshot(tmp_path)
    again = run_cli("init", site)
    assert again.code == 1 and f"{site} 已经是一个网站了（里面有 site.yaml），没有新建" in again.err
    monkeypatch.chdir(site)
    inside = run_cli("init", "新网站")
    assert inside.code == 1
    assert inside.err.splitlines()[:2] == [
        f"新网站 在已有的网站 {site} 里面，网站里不能再建网站，没有新建",
        f"    提示：请建在那个网站的文件夹之外，例如 showcase init {tmp_path / '新网站'}"]
    assert snapshot(tmp_path) == before
    assert run_cli("init", tmp_path / "新网站").code == 0          # the hint works


def test_init_refuses_a_folder_holding_only_a_hidden_file(tmp_path):
    (tmp_path / ".git").mkdir()
    assert init_site(tmp_path).code == "init_not_empty"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git"]


def test_init_refuses_a_path_that_is_a_file(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("不要覆盖我", encoding="utf-8")
    assert init_site(target).code == "init_not_empty"
    assert target.read_text(encoding="utf-8") == "不要覆盖我"


# --- through the command -----------------------------------------------------------------------

def test_the_command_says_where_the_site_is_and_what_to_do_next(tmp_path):
    target = tmp_path / "新网站"
    result = run_cli("init", target)
    assert (result.code, result.err) == (0, "")
    assert result.out == f"已新建网站：{target}\n下一步：cd {target} 然后运行 showcase build\n"


def test_the_command_refuses_a_folder_in_use_with_exit_code_1(tmp_path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    result = run_cli("init", tmp_path)
    assert result.code == 1
    assert f"文件夹 {tmp_path} 已存在且不是空的" in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_new_site_publishes_nothing_until_its_examples_are_rewritten(tmp_path):
    target = tmp_path / "新网站"
    run_cli("init", target)
    result = run_cli("build", "--source", target)
    assert result.code == 0, result.err
    out = target / "output"
    assert not (out / "cases/example-case").exists() and not (out / "sites/example-village").exists()
    assert not (out / "pages/about").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "示例案例" not in home and "/pages/about/" not in home       # the menu leaves the draft page out
    assert "未发布 3 项：" in result.out and "草稿（draft: true）" in result.out


def test_a_new_site_builds_its_examples_when_drafts_are_asked_for(tmp_path):
    target = tmp_path / "新网站"
    run_cli("init", target)
    result = run_cli("build", "--source", target, "--drafts")
    assert result.code == 0, result.err
    out = target / "output"
    case = (out / "cases/example-case/index.html").read_text(encoding="utf-8")
    assert "示例案例：村级调解室化解邻里纠纷" in case and "草稿：这个案例尚未正式发布" in case
    assert "草稿：这个页面尚未正式发布" in (out / "sites/example-village/index.html").read_text(encoding="utf-8")
    assert "本站展示党建引领基层治理示范点的典型案例" in (out / "pages/about/index.html").read_text(encoding="utf-8")


def test_a_new_site_passes_the_check_with_warnings_only(tmp_path):
    target = tmp_path / "新网站"
    run_cli("init", target)
    result = run_cli("check", "--source", target)
    assert result.code == 0, result.err
    assert "检查通过：没有错误" in result.out
    assert "site.yaml:17: 警告：菜单项“关于”指向的页面“关于本站”还没有发布，网站的菜单里暂时不显示这一项" in result.err
    assert "个站内链接" in result.out                        # the menu of site.yaml was checked too
    assert run_cli("check", "--source", target, "--strict").code == 1
    drafts = run_cli("check", "--source", target, "--drafts")
    assert drafts.code == 1                                  # the example's text is too short to publish
    assert "content/cases/example-case/index.md:12: 正文只有" in drafts.err


def test_the_starter_files_are_the_packaged_starter_folder_copied_as_it_is(tmp_path):
    init_site(tmp_path)
    files = starter_files()
    assert sorted(files) == STARTER
    for rel, source in files.items():
        assert (tmp_path / rel).read_bytes() == source.read_bytes()
