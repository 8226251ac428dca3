import pytest

from builder.config import normalise_base_url, parse_config, with_overrides


def codes(problems):
    return [p.code for p in problems]


def test_a_minimal_config_gets_defaults():
    site, problems = parse_config("title: 示例\ncategories: [农村]\n")
    assert problems == []
    assert (site.base_url, site.language, site.theme, site.output_dir, site.paginate) == ("/", "zh-CN", "default", "output", 20)
    assert site.images.widths == (480, 960, 1600)


def test_unknown_key_is_an_error_with_a_suggestion_and_line():
    _, problems = parse_config("title: 示例\ncategories: [农村]\ntitel: x\n")
    assert codes(problems) == ["unknown_key"]
    assert problems[0].line == 3
    assert "是不是“title”" in problems[0].message("zh")
    assert "did you mean 'title'" in problems[0].message("en")


def test_all_config_problems_are_collected():
    text = "title: 示例\nbase_url: ftp://x\nlanguage: fr\npaginate: 0\ncategories: 农村\nfooter: [a]\nactions:\n  - description: x\n"
    _, problems = parse_config(text)
    assert sorted(codes(problems)) == sorted(["bad_url", "bad_choice", "number_range", "wrong_type", "missing_key"])
    assert len(problems) == 5


def test_actions_get_pinyin_slugs_unless_given():
    site, problems = parse_config("title: t\ncategories: [a]\nactions:\n  - name: 平安建设\n  - {name: 强村富民, slug: qiangcun}\n")
    assert problems == []
    assert [(a.name, a.slug) for a in site.actions] == [("平安建设", "pinganjianshe"), ("强村富民", "qiangcun")]


def test_nav_urls_are_site_relative():
    site, _ = parse_config("title: t\ncategories: [a]\nnav:\n  - {title: 案例, url: /cases/}\n  - {title: 外链, url: 'https://x.cn/'}\n")
    assert [n.url for n in site.nav] == ["cases/", "https://x.cn/"]


def test_base_url_is_normalised_and_overridable():
    assert normalise_base_url("https://example.gov.cn/showcase") == "https://example.gov.cn/showcase/"
    assert normalise_base_url("/sub") == "/sub/"
    assert normalise_base_url("example.gov.cn") is None
    site, _ = parse_config("title: t\ncategories: [a]\n")
    site, problems = with_overrides(site, base_url="https://x.cn/a/b")
    assert problems == [] and site.base_path == "/a/b/"


def test_site_yaml_that_is_not_a_mapping_is_a_problem():
    _, problems = parse_config("- a\n- b\n")
    assert codes(problems) == ["not_a_mapping"]


def test_quoted_dates_are_dates_and_impossible_ones_are_not():
    from builder.yamlio.fields import FieldReader
    from builder.yamlio.source import parse_yaml
    parsed, _ = parse_yaml('a: "2024-05-01"\nb: "2024-02-30"\nc: 2024/05/01\n', "f.md")
    problems = []
    fields = FieldReader(parsed, "f.md", problems)
    assert str(fields.date("a")) == "2024-05-01"
    assert fields.date("b") is None and fields.date("c") is None
    assert [p.line for p in problems] == [2, 3]


# --- what an editor reads about each part of site.yaml -----------------------------------------------

def printed(problems, lang="zh"):
    return [p.format(lang) for p in problems]


def test_without_site_yaml_the_problem_says_how_to_run_the_command(tmp_path):
    from builder.config import load_config
    site, problems = load_config(tmp_path)
    assert site.title == ""
    assert printed(problems) == ["site.yaml: 找不到网站配置文件 site.yaml\n"
                                 "    提示：请在网站文件夹中运行命令，或用 --source 指定网站文件夹；新建网站可运行 showcase init 文件夹名。"]


def test_a_site_yaml_saved_as_gbk_says_how_to_save_it_as_utf8(tmp_path):
    from builder.config import load_config
    (tmp_path / "site.yaml").write_bytes("title: 河津市案例库\ncategories: [农村]\n".encode("gbk"))
    _, problems = load_config(tmp_path)
    assert printed(problems) == ["site.yaml:1: 文件是 GBK（国标）编码，不是 UTF-8 编码\n"
                                 "    提示：请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。"]


def test_a_site_yaml_with_the_bom_windows_notepad_writes_is_read(tmp_path):
    from builder.config import load_config
    (tmp_path / "site.yaml").write_bytes("\ufefftitle: 河津市案例库\r\ncategories: [农村]\r\n".encode("utf-8"))
    site, problems = load_config(tmp_path)
    assert problems == [] and site.title == "河津市案例库" and site.categories == ("农村",)


def test_an_empty_site_yaml_asks_for_the_title_and_the_categories():
    site, problems = parse_config("")
    assert [p.message("zh") for p in problems] == ["缺少必填项“title”", "缺少必填项“categories”"]
    assert site.categories == ()


def test_a_yaml_mistake_in_site_yaml_names_its_line_in_both_languages():
    _, problems = parse_config("title: t\ncategories: [农村\nfooter: x\n")
    assert printed(problems) == ["site.yaml:3: 格式错误：方括号 [ ] 没有配对，或列表中的项之间缺少英文逗号\n"
                                 "    提示：检查这一行及上一行：冒号后要有空格，同一层级的缩进要对齐，含冒号或引号的文字请整体加英文引号。"]
    assert printed(problems, "en")[0].startswith(
        "site.yaml:3: YAML syntax error: square brackets [ ] do not pair up, or a comma is missing between items\n")


def test_image_widths_must_be_a_list_of_sensible_pixel_counts():
    site, problems = parse_config("title: t\ncategories: [a]\nimages:\n  widths: [10, 960]\n  quality: 10\n")
    assert printed(problems) == [
        "site.yaml:4: “widths”应为64 到 8000 之间的整数列表，现在是[10, 960]\n    提示：例如 widths: [480, 960, 1600]",
        "site.yaml:5: “quality”应在 30 到 100 之间，现在是 10\n    提示：请改成范围内的数字。"]
    assert printed(problems, "en")[0] == ("site.yaml:4: 'widths' must be a list of whole numbers between 64 and 8000, "
                                          "got [10, 960]\n    hint: e.g. widths: [480, 960, 1600]")
    assert (site.images.widths, site.images.quality) == ((480, 960, 1600), 82)


def test_image_widths_are_sorted_and_each_kept_once():
    site, problems = parse_config("title: t\ncategories: [a]\nimages:\n  widths: [1600, 480, 960, 480]\n"
                                  "  publish_originals: true\n  share_image: /share.jpg\n")
    assert problems == []
    assert (site.images.widths, site.images.publish_originals, site.images.share_image) == (
        (480, 960, 1600), True, "share.jpg")


def test_actions_written_twice_with_a_bad_slug_or_an_unknown_key_are_each_reported():
    text = ("title: t\ncategories: [a]\nactions:\n  - 平安建设\n  - name: 平安建设\n"
            "  - {name: 强村, slug: Qiang Cun}\n  - {name: 富民, colour: x}\n")
    site, problems = parse_config(text)
    assert printed(problems) == [
        "site.yaml:5: “actions”中的“平安建设”重复出现\n    提示：每个名称只写一次。",
        "site.yaml:6: 网址名（slug）“Qiang Cun”只能包含小写英文字母、数字和短横线\n"
        "    提示：例如 xizhai-cun；不写 slug 时会自动用文件夹名或其拼音。",
        "site.yaml:7: 未知的设置项“colour”\n    提示：可用的设置项：name, description, slug。自定义内容请写在 extra: 下面。"]
    assert [a.name for a in site.actions] == ["平安建设", "强村", "富民"]


def test_a_menu_address_that_is_neither_in_the_site_nor_a_full_url_says_how_to_write_both():
    site, problems = parse_config("title: t\ncategories: [a]\nnav:\n  - {title: 案例, url: cases/}\n"
                                  "  - {title: 首页, url: /}\n  - {title: 外链, url: 'http://x.cn/'}\n")
    assert printed(problems) == [
        "site.yaml:4: 菜单地址“cases/”格式不对：既不是本站页面的地址，也不是完整的网址\n"
        "    提示：本站页面写以 / 开头的地址，例如 /cases/ 或 /pages/guanyu/；其他网站写完整网址，以 http:// 或 https:// 开头。"]
    assert printed(problems, "en") == [
        "site.yaml:4: the menu address 'cases/' is neither an address in the site nor a full URL\n"
        "    hint: write a page of the site as /cases/ or /pages/guanyu/, another site as a full URL starting with "
        "http:// or https://."]
    assert [(n.title, n.url) for n in site.nav] == [("首页", ""), ("外链", "http://x.cn/")]


def test_a_menu_item_without_an_address_is_reported_on_its_line():
    _, problems = parse_config("title: t\ncategories: [a]\nnav:\n  - {title: 案例, url: /cases/}\n  - 关于\n")
    assert [(p.line, p.message("en")) for p in problems] == [(5, "missing required field 'url'")]


def test_a_misspelt_footer_key_gets_a_suggestion():
    _, problems = parse_config("title: t\ncategories: [a]\nfooter:\n  organizer: 河津市委组织部\n")
    assert printed(problems, "en") == [
        "site.yaml:4: unknown key 'organizer' — did you mean 'organiser'?\n"
        "    hint: known keys: organiser, icp, police_filing, site_code, text. Put free-form fields under extra:."]


def test_review_and_publish_settings_are_read_and_checked():
    site, problems = parse_config("title: t\ncategories: [a]\nreview:\n  stages: [一审, 二审]\n  max_photo_mb: 0\n"
                                  "  stale_days: 30\n  min_body_chars: 50\npublish:\n  require_review: true\n")
    assert printed(problems) == ["site.yaml:5: “max_photo_mb”应在 0.1 到 1000 之间，现在是 0\n    提示：请改成范围内的数字。"]
    assert (site.review.stages, site.review.max_photo_mb, site.review.stale_days, site.review.min_body_chars) == (
        ("一审", "二审"), 20.0, 30, 50)
    assert site.publish.require_review is True


def test_an_empty_list_of_review_stages_keeps_the_three_standard_stages():
    site, problems = parse_config("title: t\ncategories: [a]\nreview:\n  stages: []\n")
    assert problems == [] and site.review.stages == ("初审", "复审", "终审")


def test_a_language_that_is_not_offered_lists_those_that_are():
    site, problems = parse_config("title: t\ncategories: [a]\nlanguage: fr\n")
    assert printed(problems) == ["site.yaml:3: “language”的值“fr”不在可选范围内\n    提示：可选的值：zh-CN、en。"]
    assert site.language == "zh-CN"


def test_an_empty_theme_or_output_folder_means_the_default():
    site, problems = parse_config("title: t\ncategories: [a]\ntheme: ''\noutput_dir: ''\n")
    assert problems == [] and (site.theme, site.output_dir) == ("default", "output")


def test_a_base_url_given_on_the_command_line_is_checked_like_the_files():
    site, _ = parse_config("title: t\ncategories: [a]\n")
    same, problems = with_overrides(site, base_url="ftp://example.gov.cn/")
    assert same == site
    assert printed(problems) == ["网址“ftp://example.gov.cn/”格式不对\n"
                                 "    提示：请写完整的网址，以 http:// 或 https:// 开头并以 / 结尾，例如 https://example.gov.cn/showcase/；"
                                 "只在本机预览可写 /。"]
    relative, problems = with_overrides(site, relative=True)
    assert problems == [] and relative.relative_urls is True


@pytest.mark.parametrize("value, normal", [
    ("https://example.gov.cn", "https://example.gov.cn/"), ("http://example.gov.cn/a/b/", "http://example.gov.cn/a/b/"),
    ("/", "/"), (" /show ", "/show/"), ("", None), ("ftp://x.cn/", None), ("https://", None),
    ("https://x.cn/?a=1", None), ("https://x.cn/#top", None), ("//x.cn/", None), ("show/", None),
])
def test_base_urls_that_are_accepted_and_refused(value, normal):
    assert normalise_base_url(value) == normal


# --- what the site calls its model sites (sites:) and the menu's own sections -------------------

def test_the_word_for_model_sites_and_their_kinds_are_read_in_the_order_written():
    site, problems = parse_config("title: t\ncategories: [a]\nsites:\n  label: 典型单位\n  kinds: [村, 乡镇（街道）, 企业]\n")
    assert problems == []
    assert (site.sites.label, site.sites.kinds) == ("典型单位", ("村", "乡镇（街道）", "企业"))


def test_without_a_sites_section_the_theme_names_model_sites_and_the_standard_kinds_apply():
    site, _ = parse_config("title: t\ncategories: [a]\n")
    assert site.sites.label == ""
    assert site.sites.kinds == ("村", "社区", "乡镇（街道）", "机关", "企业", "学校", "其他")


def test_a_misspelt_key_or_a_kind_written_twice_under_sites_is_reported_on_its_line():
    site, problems = parse_config("title: t\ncategories: [a]\nsites:\n  lable: 典型单位\n  kinds: [村, 社区, 村]\n")
    assert printed(problems) == [
        "site.yaml:4: 未知的设置项“lable”——是不是“label”？\n    提示：可用的设置项：label, kinds。自定义内容请写在 extra: 下面。",
        "site.yaml:5: “kinds”中的“村”重复出现\n    提示：每个名称只写一次。"]
    assert site.sites.kinds == ("村", "社区")


def test_a_menu_item_for_one_of_the_sites_own_sections_may_leave_out_its_title_another_may_not():
    site, problems = parse_config("title: t\ncategories: [a]\nnav:\n  - {url: /sites/}\n  - {url: /pages/about/}\n")
    assert [(n.title, n.url) for n in site.nav] == [("", "sites/")]
    assert [(p.line, p.message("en")) for p in problems] == [(5, "missing required field 'title'")]
