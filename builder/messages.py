"""Every message a user can see about their sources, in Chinese and English.

code: (zh message, zh hint, en message, en hint). Messages say what is wrong; hints say what
to do about it, in words a non-programmer can act on. Placeholders use str.format names.
"""

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    # --- files and encodings -------------------------------------------------------------
    "file_unreadable": (
        "无法读取文件：{detail}",
        "请确认文件存在、没有被其他程序占用。",
        "cannot read the file: {detail}",
        "check that the file exists and is not locked by another program.",
    ),
    "not_utf8": (
        "文件不是 UTF-8 编码（第 {line} 行附近有无法识别的字节）",
        "请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。",
        "the file is not UTF-8 encoded (undecodable bytes near line {line})",
        "open it in a text editor and save it again with the UTF-8 encoding.",
    ),
    "not_utf8_gbk": (
        "文件是 GBK（国标）编码，不是 UTF-8 编码",
        "请用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存。",
        "the file is GBK encoded, not UTF-8",
        "open it in a text editor and save it again with the UTF-8 encoding.",
    ),
    # --- YAML and front matter ----------------------------------------------------------
    "yaml_too_deep": (
        "列表和设置套了太多层（超过 {depth} 层）",
        "案例的信息头只需要两三层；请检查是不是多打了方括号或花括号，或者缩进越来越深。",
        "lists and mappings nest more than {depth} levels deep",
        "a case's front matter needs two or three levels; look for extra brackets or braces, or ever deeper indentation.",
    ),
    "yaml_syntax": (
        "格式错误：{detail_zh}",
        "检查这一行及上一行：冒号后要有空格，同一层级的缩进要对齐，含冒号或引号的文字请整体加英文引号。",
        "YAML syntax error: {detail}",
        "check this line and the one above: a space after each colon, aligned indentation, and quotes around text that contains a colon.",
    ),
    "front_matter_missing": (
        "文件开头缺少以 --- 开始的信息头",
        "文件第一行应为 ---，接着写 title: 等信息，再用一行 --- 结束，然后才是正文。",
        "the file does not start with a front matter block (---)",
        "the first line must be ---, then the fields (title: …), then a closing --- line, then the text.",
    ),
    "front_matter_unclosed": (
        "信息头没有结束：找不到第二行 ---",
        "在信息头最后一项之后单独加一行 ---，再写正文。",
        "the front matter is not closed: no second --- line",
        "add a line with just --- after the last field, before the text.",
    ),
    "not_a_mapping": (
        "{what}应为“名称: 值”形式的若干项，现在是{got}",
        "每行写一项，例如 title: 标题。",
        "{what_en} must be a set of 'key: value' fields, got {got_en}",
        "write one field per line, e.g. title: My title.",
    ),
    "duplicate_key_one_line": (
        "“{key}”在这一行里写了两次，只能保留一个",
        "删掉其中一个“{key}: …”，或把两处的内容合并到一处。",
        "'{key}' is written twice on this line; keep one",
        "delete one of the two '{key}: …', or merge what they hold into one.",
    ),
    "duplicate_key": (
        "“{key}”写了两次（第 {first} 行和第 {line} 行），只能保留一个",
        "把两处“{key}”的内容合并到一处（例如把标签都写进同一个列表），再删掉多余的那一行。",
        "'{key}' is written twice (lines {first} and {line}); keep one",
        "merge the two '{key}' into one (e.g. all the tags in one list) and delete the other line.",
    ),
    "unknown_key": (
        "未知的设置项“{key}”{suggestion_zh}",
        "可用的设置项：{allowed}。自定义内容请写在 extra: 下面。",
        "unknown key '{key}'{suggestion_en}",
        "known keys: {allowed}. Put free-form fields under extra:.",
    ),
    "missing_key": (
        "缺少必填项“{key}”",
        "请在这一项中加上一行 {key}: …（案例文件写在开头两行 --- 之间）",
        "missing required field '{key}'",
        "add a line '{key}: …' to the front matter.",
    ),
    "wrong_type": (
        "“{key}”应为{expected}，现在是{got}",
        "{example}",
        "'{key}' must be {expected_en}, got {got_en}",
        "{example_en}",
    ),
    "empty_value": (
        "“{key}”不能为空",
        "请填写内容，或删除这一行。",
        "'{key}' must not be empty",
        "fill it in, or remove the line.",
    ),
    "bad_date": (
        "日期“{value}”格式不对，应为 年-月-日（例如 2025-06-12）",
        "请改为 YYYY-MM-DD 形式，月和日用两位数字，中间用英文短横线。",
        "date '{value}' is not in the form YYYY-MM-DD (e.g. 2025-06-12)",
        "write the date as YYYY-MM-DD.",
    ),
    "bad_date_fixable": (
        "日期“{value}”格式不对，应为 年-月-日，请改为 {fixed}",
        "把这一行改成 {key}: {fixed}（月和日用两位数字，中间用英文短横线）。",
        "date '{value}' is not in the form YYYY-MM-DD: write it as {fixed}",
        "change the line to {key}: {fixed} (two digits for month and day, joined by hyphens).",
    ),
    "bad_choice": (
        "“{key}”的值“{value}”不在可选范围内{suggestion_zh}",
        "可选的值：{allowed}。",
        "'{key}' is '{value}', which is not one of the allowed values{suggestion_en}",
        "allowed values: {allowed_en}.",
    ),
    "bad_url": (
        "网址“{value}”格式不对",
        "请写完整的网址，以 http:// 或 https:// 开头并以 / 结尾，例如 https://example.gov.cn/showcase/；只在本机预览可写 /。",
        "'{value}' is not a valid URL",
        "write a full URL starting with http:// or https:// and ending with /, e.g. https://example.gov.cn/showcase/, or just /.",
    ),
    "bad_nav_url": (
        "菜单地址“{value}”格式不对：既不是本站页面的地址，也不是完整的网址",
        "本站页面写以 / 开头的地址，例如 /cases/ 或 /pages/guanyu/；其他网站写完整网址，以 http:// 或 https:// 开头。",
        "the menu address '{value}' is neither an address in the site nor a full URL",
        "write a page of the site as /cases/ or /pages/guanyu/, another site as a full URL starting with http:// or https://.",
    ),
    "bad_slug": (
        "网址名（slug）“{value}”只能包含小写英文字母、数字和短横线",
        "例如 xizhai-cun；不写 slug 时会自动用文件夹名或其拼音。",
        "slug '{value}' may only contain lowercase letters, digits and hyphens",
        "e.g. xizhai-cun; without slug: the folder name (or its pinyin) is used.",
    ),
    "duplicate_name": (
        "“{key}”中的“{value}”重复出现",
        "每个名称只写一次。",
        "'{value}' appears twice in '{key}'",
        "list each name once.",
    ),
    "number_range": (
        "“{key}”应在 {low} 到 {high} 之间，现在是 {value}",
        "请改成范围内的数字。",
        "'{key}' must be between {low} and {high}, got {value}",
        "use a number in that range.",
    ),
    # --- site.yaml -----------------------------------------------------------------------
    "config_missing": (
        "找不到网站配置文件 site.yaml",
        "请在网站文件夹中运行命令，或用 --source 指定网站文件夹；新建网站可运行 showcase init 文件夹名。",
        "no site.yaml found",
        "run the command in the site folder, pass --source DIR, or create a site with 'showcase init DIR'.",
    ),
    "theme_missing": (
        "找不到主题“{theme}”",
        "主题应位于 themes/{theme}/ 文件夹；不确定时把 theme 改为 default。",
        "theme '{theme}' not found",
        "a theme lives in themes/{theme}/; use theme: default if unsure.",
    ),
    # --- content ------------------------------------------------------------------------
    "unknown_site": (
        "示范点“{value}”不存在{suggestion_zh}",
        "site 应填写 content/sites/ 下某个示范点的文件夹名（网址名）。现有：{allowed}。",
        "model site '{value}' does not exist{suggestion_en}",
        "site must be the folder name (slug) of a model site under content/sites/. Existing: {allowed_en}.",
    ),
    "unknown_category": (
        "类别“{value}”未在 site.yaml 的 categories 中定义{suggestion_zh}",
        "可用的类别：{allowed}。如需新类别，请先加到 site.yaml 的 categories 里。",
        "category '{value}' is not declared in site.yaml categories{suggestion_en}",
        "declared categories: {allowed_en}. Add new ones to categories in site.yaml first.",
    ),
    "unknown_action": (
        "专项行动“{value}”未在 site.yaml 的 actions 中定义{suggestion_zh}",
        "可用的专项行动：{allowed}。",
        "special action '{value}' is not declared in site.yaml actions{suggestion_en}",
        "declared actions: {allowed_en}.",
    ),
    "photo_missing": (
        "图片“{value}”不存在{suggestion_zh}",
        "请把图片放进本案例的文件夹（与 index.md 同一文件夹），并核对文件名，包括扩展名 .jpg/.png。",
        "photo '{value}' not found{suggestion_en}",
        "put the photo in the same folder as index.md and check the file name and extension.",
    ),
    "photo_outside_bundle": (
        "图片路径“{value}”指向了案例文件夹之外",
        "只写文件名即可，例如 photo-1.jpg，并把图片放进本案例的文件夹。",
        "photo path '{value}' points outside the case folder",
        "write just the file name (photo-1.jpg) and keep the photo in the case folder.",
    ),
    "duplicate_url": (
        "与 {other} 生成同一个网址 {url}",
        "两个内容的网址名（slug）相同。请修改其中一个的文件夹名，或在信息头中写不同的 slug:。",
        "maps to the same URL {url} as {other}",
        "give one of them another folder name or an explicit slug:.",
    ),
    "case_without_index": (
        "案例文件夹中没有 index.md",
        "每个案例文件夹里要有一个 index.md 文件；可运行 showcase new case 生成。",
        "the case folder has no index.md",
        "each case folder needs an index.md; 'showcase new case' creates one.",
    ),
    "stray_markdown": (
        "这个 Markdown 文件不会被发布：只有 index.md 会被当作案例或示范点",
        "把它改名为 index.md，或移到自己的文件夹里。",
        "this Markdown file is not published: only index.md is read in a case or site folder",
        "rename it to index.md or move it into a folder of its own.",
    ),
    "markdown_failed": (
        "正文无法转换：{detail}",
        "检查正文中的特殊符号和表格格式。",
        "the text could not be converted: {detail}",
        "check special characters and tables in the text.",
    ),
    # --- images -------------------------------------------------------------------------
    "image_broken": (
        "图片已损坏或格式不支持（{detail}）",
        "请用手机或电脑重新导出为 JPG 或 PNG 格式，再放回原处；如果不需要这张图片，把它移出案例文件夹。",
        "the image is damaged or not in a supported format ({detail_en})",
        "export it again as JPG or PNG and put it back; if the picture is not needed, move it out of the case folder.",
    ),
    "share_image_missing": (
        "images.share_image 设置的分享图片 {path} 不存在",
        "把图片放到网站文件夹里，并在 site.yaml 中写它相对网站文件夹的路径，例如 share_image: share.jpg；不需要时删掉这一行。",
        "the share picture {path} set by images.share_image does not exist",
        "put the picture in the site folder and give its path from there in site.yaml, e.g. share_image: share.jpg; or remove the line.",
    ),
    # --- templates ----------------------------------------------------------------------
    "template_error": (
        "模板错误：{detail}（正在生成 {page}）",
        "这是主题模板的问题；如果你没有改过模板，请把这条信息发给技术人员。",
        "template error: {detail} (while rendering {page})",
        "this is a problem in a theme template; report it to whoever maintains the theme.",
    ),
    # --- output folder ------------------------------------------------------------------
    "output_not_ours": (
        "输出文件夹 {path} 已有其他文件，且不是 showcase 生成的，为防止误删，拒绝写入",
        "请换一个输出文件夹（--output 或 site.yaml 中的 output_dir），或先手动清空这个文件夹。",
        "the output folder {path} holds files that showcase did not create; refusing to write there",
        "choose another output folder (--output or output_dir in site.yaml), or empty it yourself.",
    ),
    "output_is_source": (
        "输出文件夹 {path} {relation}，生成时会覆盖源文件，拒绝写入",
        "请把输出文件夹设为网站文件夹里单独的子文件夹，例如 output。",
        "the output folder {path} {relation_en}; writing there would overwrite sources",
        "use a separate sub-folder of the site, such as output.",
    ),
    "init_not_empty": (
        "文件夹 {path} 已存在且不是空的，为防止覆盖，没有新建网站",
        "请换一个新的文件夹名，例如 showcase init 我的案例库。",
        "the folder {path} exists and is not empty; nothing was created",
        "choose a new folder name.",
    ),
    "output_write_failed": (
        "写入输出文件失败：{detail}",
        "请检查磁盘空间，并确认输出文件夹没有被其他程序（如资源管理器预览）占用。",
        "could not write the output: {detail}",
        "check free disk space and that no other program holds the output folder open.",
    ),
    # --- preview (showcase serve) ----------------------------------------------------------
    "internal_error": (
        "showcase 程序本身出错了：{detail}",
        "这不是您文件里的问题。请把终端窗口里的全部错误信息发给技术人员；再次保存文件时预览会重试。",
        "showcase itself failed: {detail}",
        "this is not a problem in your files. Send the whole error from the terminal to whoever maintains showcase; the preview tries again when you save a file.",
    ),
}

# The editors' tools (check, new, review, status) keep their messages in a file of their own.
from builder.messages_editors import EDITOR_MESSAGES  # noqa: E402

MESSAGES.update({code: text for code, text in EDITOR_MESSAGES.items() if code not in MESSAGES})
