"""Messages of the editors' tools (`check`, `new`, `review`, `status`), in Chinese and English.

Same shape as builder/messages.py, which merges them into MESSAGES: code -> (zh message,
zh hint, en message, en hint). Kept apart so neither file grows past a readable size.
"""

EDITOR_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    # --- check: text -------------------------------------------------------------------------
    "wordlist_missing": (
        "找不到审校词表文件“{path}”",
        "请确认 site.yaml 中 review: words: 后面的文件名写对了，文件放在网站文件夹里；不需要自定义词表时删掉这一行，会使用 showcase 自带的词表。",
        "word list file '{path}' not found",
        "check the file name after review: words: in site.yaml; remove the line to use the word list that comes with showcase.",
    ),
    "wordlist_bad_line": (
        "词表这一行看不懂：“{text}”",
        "每行写“错误写法 => 正确写法”（箭头两边都要有内容），或者只写一个禁用词。",
        "cannot read this word list line: '{text}'",
        "write 'wrong => right' (something on both sides) or a single forbidden term.",
    ),
    "word_misspelt": (
        "可能有错别字“{word}”，应为“{fix}”：{context}",
        "请核对后改为“{fix}”；如果这里确实没有写错，可以忽略这条警告。",
        "possible misspelling '{word}', should be '{fix}': {context}",
        "change it to '{fix}', or ignore this warning if the text is right here.",
    ),
    "word_forbidden": (
        "出现了不允许发布的字词“{word}”：{context}",
        "请改写或删除这处文字。禁用词列在审校词表里（site.yaml 中 review: words: 指定的文件）。",
        "forbidden term '{word}': {context}",
        "rewrite or remove it. Forbidden terms are listed in the word list (review: words: in site.yaml).",
    ),
    "punct_half_width": (
        "汉字之间用了半角（英文）标点“{char}”，应为全角“{fix}”：{context}",
        "中文句子里请用全角标点：在中文输入法下重新输入“{fix}”。",
        "half-width '{char}' between Chinese characters, should be the full-width '{fix}': {context}",
        "use full-width punctuation in Chinese sentences: type '{fix}' with a Chinese input method.",
    ),
    "hint_left": (
        "正文里还留着填写提示：“{text}”",
        "这是新建案例时放的提示文字，请按提示写好这一节，然后删掉以“【填写提示】”开头的整行。",
        "a template hint is still in the text: '{text}'",
        "write this section as the hint says, then delete the whole line starting with 【填写提示】.",
    ),
    "section_empty": (
        "小标题“{heading}”下面没有内容",
        "请在这个小标题下面写上内容，或者删掉这个小标题。",
        "the section '{heading}' is empty",
        "write something under this heading, or remove it.",
    ),
    "body_too_short": (
        "正文只有 {count} 个字，少于要求的 {minimum} 个字",
        "典型案例一般要写清基本情况、主要做法、取得成效和经验启示；字数要求可在 site.yaml 的 review: min_body_chars: 中修改。",
        "the text has only {count} characters, fewer than the required {minimum}",
        "a case should cover the background, what was done, results and lessons; the minimum is review: min_body_chars: in site.yaml.",
    ),
    # --- check: links ------------------------------------------------------------------------
    "link_broken": (
        "{kind}“{url}”指向的页面不存在{suggestion_zh}",
        "站内链接请写成 /cases/文件夹名/ 、/sites/文件夹名/ 或 /pages/页面名/ 的形式；可以在浏览器预览中点一下这个链接试试。",
        "the {kind_en} '{url}' leads to a page that does not exist{suggestion_en}",
        "write links inside the site as /cases/folder/, /sites/folder/ or /pages/name/; try it in the preview.",
    ),
    "link_unpublished": (
        "链接“{url}”指向的案例“{title}”还没有发布（草稿、定时或待审），发布后的网站上这个链接会打不开",
        "等那个案例发布后再加这个链接，或者先发布那个案例。",
        "the link '{url}' leads to the case '{title}', which is not published (draft, scheduled or awaiting review)",
        "add the link once that case is published, or publish it first.",
    ),
    "anchor_missing": (
        "链接“{url}”中的“#{anchor}”在目标页面上找不到",
        "“#”后面应写目标页面中的小标题文字。这个页面可用的有：{headings}。",
        "the link '{url}' points at '#{anchor}', which is not on that page",
        "after # write a heading of the target page. Available: {headings_en}.",
    ),
    "body_photo_missing": (
        "正文中插入的图片“{value}”不在本文件夹里{suggestion_zh}",
        "请把图片放进与 index.md 相同的文件夹，并核对文件名，包括扩展名 .jpg/.png。",
        "the image '{value}' in the text is not in this folder{suggestion_en}",
        "put the photo in the same folder as index.md and check its file name and extension.",
    ),
    "foreign_resource": (
        "正文引用了其他网站的图片或文件：{url}",
        "本站承诺访问者的浏览器不向其他网站发出任何请求。请把图片下载下来放进本案例文件夹，再用 ![说明](文件名.jpg) 插入；普通的文字链接 [文字](网址) 不受影响。",
        "the text embeds a file from another site: {url}",
        "the site promises that browsers request nothing from other hosts: download the picture into the case folder and insert it with ![caption](file.jpg). Ordinary links are fine.",
    ),
    "foreign_host": (
        "页面会从其他网站（{host}）加载文件：{url}（共 {count} 处）",
        "本站承诺访问者的浏览器不向其他网站发出任何请求。这通常来自主题模板、样式表或 site.yaml 的设置，请把文件下载到网站的 static/ 文件夹里改用本站地址，或交给技术人员处理。",
        "pages load a file from another host ({host}): {url} ({count} places)",
        "the site promises that browsers request nothing from other hosts; copy the file into static/ and use the site's own address, or ask whoever maintains the theme.",
    ),
    # --- check: photos -----------------------------------------------------------------------
    "photo_no_caption": (
        "照片“{name}”没有说明文字",
        "在 photos: 中这张照片下面加一行 caption: 写明照片内容，例如 caption: 村民议事会现场。",
        "photo '{name}' has no caption",
        "add a line 'caption: …' under this photo in photos:.",
    ),
    "photo_unlisted": (
        "文件夹里的照片“{name}”没有写进 photos: 列表，因此没有说明文字",
        "在信息头的 photos: 下加两行：- src: {name} 和 caption: 照片说明；不想发布这张照片，就把它移出文件夹。",
        "the photo '{name}' in the folder is not listed in photos:, so it has no caption",
        "add '- src: {name}' and 'caption: …' under photos:, or move the photo out of the folder.",
    ),
    "photo_too_large": (
        "照片“{name}”有 {size} MB，超过了 {limit} MB 的上限",
        "请用手机相册的“编辑/导出”或电脑上的画图工具另存一份较小的图片（长边 3000 像素左右即可）替换它。上限可在 site.yaml 的 review: max_photo_mb: 中修改。",
        "photo '{name}' is {size} MB, more than the {limit} MB limit",
        "save a smaller copy (about 3000 pixels on the long side) and use that; the limit is review: max_photo_mb: in site.yaml.",
    ),
    "photo_too_small": (
        "照片“{name}”只有 {width}×{height} 像素，比网站最大的显示宽度 {need} 像素小，在大屏幕上会发虚",
        "如有原图，请换用原图（手机拍摄的原始照片一般足够大）；没有原图可以忽略这条警告。",
        "photo '{name}' is only {width}x{height} pixels, narrower than the largest display width of {need} pixels",
        "use the original photo if you have it; otherwise this warning can be ignored.",
    ),
    # --- check: the site ---------------------------------------------------------------------
    "empty_category": (
        "类别“{name}”下还没有已发布的案例，网站上这个栏目是空的",
        "发布一个属于这个类别的案例，或者从 site.yaml 的 categories 中暂时去掉它。",
        "the category '{name}' has no published case: its page is empty",
        "publish a case in it, or remove it from categories in site.yaml for now.",
    ),
    "empty_action": (
        "专项行动“{name}”下还没有已发布的案例，网站上这个栏目是空的",
        "发布一个属于这个专项行动的案例，或者从 site.yaml 的 actions 中暂时去掉它。",
        "the special action '{name}' has no published case: its page is empty",
        "publish a case in it, or remove it from actions in site.yaml for now.",
    ),
    "site_without_cases": (
        "示范点“{name}”还没有已发布的案例",
        "为这个示范点发布一个案例（showcase new case），或者暂时把这个示范点的文件夹移出 content/sites/。",
        "the model site '{name}' has no published case",
        "publish a case for it (showcase new case), or move its folder out of content/sites/ for now.",
    ),
    "stale_featured": (
        "这个推荐案例已发布 {days} 天，超过了 {limit} 天，还显示在首页上",
        "把 featured: true 改为 false，换推荐一个较新的案例；天数可在 site.yaml 的 review: stale_days: 中修改。",
        "this featured case is {days} days old (more than {limit}) and still on the home page",
        "set featured: false and feature a newer case; the limit is review: stale_days: in site.yaml.",
    ),
    "stale_latest": (
        "首页上最新的案例“{title}”也已是 {days} 天前（{date}）的了，超过了 {limit} 天",
        "网站很久没有更新，请及时发布新的案例。",
        "the newest case on the home page, '{title}', is {days} days old ({date}), more than {limit}",
        "the site has not been updated for a long time: publish new cases.",
    ),
    # --- new ---------------------------------------------------------------------------------
    "new_missing_options": (
        "没有在终端中运行，无法逐项询问；缺少选项：{options}",
        "请补上这些选项，例如 showcase new case --title \"案例标题\" --site xizhai-cun --category 农村；或直接在命令行窗口中运行 showcase new case，按提示逐项填写。",
        "not running in a terminal, so nothing can be asked; missing options: {options}",
        "pass them, e.g. showcase new case --title \"Title\" --site xizhai-cun --category 农村, or run it in a terminal to be asked.",
    ),
    "new_exists": (
        "文件夹 {path} 已经存在，为防止覆盖，没有新建",
        "请用 --slug 换一个网址名（只用小写英文字母、数字和短横线），或者先确认这个文件夹是不是已经写好的内容。",
        "the folder {path} already exists; nothing was created, so nothing is overwritten",
        "choose another slug with --slug (lowercase letters, digits, hyphens), or check what that folder holds.",
    ),
    "new_unknown_site": (
        "示范点“{value}”不存在{suggestion_zh}",
        "--site 写示范点的文件夹名或名称。现有：{allowed}。要新建示范点，请先运行 showcase new site。",
        "model site '{value}' does not exist{suggestion_en}",
        "--site takes a model site's folder name or title. Existing: {allowed_en}. Create one first with showcase new site.",
    ),
    "new_no_categories": (
        "site.yaml 中还没有定义任何类别（categories）",
        "请先在 site.yaml 中写上类别，例如 categories: [农村, 社区, 机关, 企业]。",
        "site.yaml declares no categories",
        "declare them first, e.g. categories: [农村, 社区, 机关, 企业].",
    ),
    "new_no_slug": (
        "无法从“{title}”生成网址名",
        "请用 --slug 指定一个网址名，只用小写英文字母、数字和短横线，例如 --slug xizhai-yishi。",
        "cannot make a slug from '{title}'",
        "pass --slug with lowercase letters, digits and hyphens, e.g. --slug xizhai-yishi.",
    ),
    # --- review ------------------------------------------------------------------------------
    "review_case_missing": (
        "找不到案例“{value}”{suggestion_zh}",
        "请写案例的文件夹名（content/cases/ 下的文件夹），或者文件夹的路径；运行 showcase status 可以查看全部案例。",
        "case '{value}' not found{suggestion_en}",
        "give the case's folder name under content/cases/, or its path; 'showcase status' lists them all.",
    ),
    "review_unknown_stage": (
        "审核环节“{stage}”不在设置的环节中{suggestion_zh}",
        "可用的环节（按顺序）：{stages}。环节名称可在 site.yaml 的 review: stages: 中修改。",
        "review stage '{stage}' is not one of the configured stages{suggestion_en}",
        "stages, in order: {stages_en} (review: stages: in site.yaml).",
    ),
    "review_already": (
        "“{stage}”已经记录过了（{by}，{date}），不能重复记录",
        "如需更正，请直接修改 index.md 信息头 review: 中的那一行。",
        "'{stage}' is already recorded ({by}, {date}); it cannot be recorded twice",
        "to correct it, edit that line of review: in the front matter of index.md.",
    ),
    "review_skip": (
        "不能跳过审核环节：“{stage}”之前还需要先完成“{waiting}”",
        "审核要按顺序进行：{stages}。请先记录“{waiting}”。",
        "a review stage cannot be skipped: '{waiting}' must be recorded before '{stage}'",
        "stages go in order: {stages}. Record '{waiting}' first.",
    ),
    "review_date_order": (
        "审核日期 {date} 早于上一环节“{previous}”的日期 {previous_date}",
        "请核对日期，用 --date 年-月-日 写明实际审核日期。",
        "review date {date} is before the date of the previous stage '{previous}' ({previous_date})",
        "check the date and pass the real one with --date YYYY-MM-DD.",
    ),
    "review_cannot_edit": (
        "无法自动修改信息头中的 review:（{detail}）",
        "请手动在信息头的 review: 下加一行：{entry}",
        "cannot edit review: in the front matter automatically ({detail})",
        "add this line under review: yourself: {entry}",
    ),
    "review_invalid": (
        "案例信息头有错误，先改正它才能记录审核",
        "运行 showcase check 查看具体问题。",
        "the case's front matter has errors; fix them before recording a review",
        "run showcase check to see them.",
    ),
}
