"""The page the preview shows instead of the site while the sources have problems.

Written for the person who edits the cases, not for a programmer: what happened in one
sentence, the reassurance that the page refreshes by itself once the file is saved correctly, then
each problem as a card (which file, which line, what is wrong, what to do).
Self-contained (inline style, no fonts, no scripts of its own), so it shows even when the
theme itself is what is broken.
"""
from __future__ import annotations

import html
from typing import Sequence

from builder.errors import Problem

TEXT = {
    "zh": {
        "title": "网站没有更新：发现 {n} 个问题",
        "lead": "您刚才保存的内容里有 {n} 个问题，所以预览还停在上一次的样子。请按下面的提示修改：",
        "file": "文件",
        "line": "第 {line} 行",
        "site": "整个网站（site.yaml 或命令行设置）",
        "hint": "怎么改：",
        "refresh": "改好并保存文件后，这个页面会自动刷新，不需要手动操作。",
        "warnings": "另外还有 {n} 条提醒（不影响预览）：",
        "lang": "zh-CN",
    },
    "en": {
        "title": "The site was not updated: {n} problem{s} found",
        "lead": "What you just saved has {n} problem{s}, so the preview still shows the previous version. Fix them as described below:",
        "file": "File",
        "line": "line {line}",
        "site": "the whole site (site.yaml or command-line settings)",
        "hint": "What to do: ",
        "refresh": "Once you save the file with the fix, this page refreshes by itself.",
        "warnings": "There are also {n} warning{s} (they do not stop the preview):",
        "lang": "en",
    },
}

STYLE = """
*{box-sizing:border-box}
html{background:#fbf7f2;color:#1f1f1f;font:18px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
body{margin:0;min-height:100vh}
header{background:#a4161a;color:#fff;padding:1.4rem 0}
header h1{margin:0 auto;max-width:52rem;padding:0 1.2rem;font-size:1.5rem;line-height:1.35}
main{margin:0 auto;max-width:52rem;padding:1.2rem}
.lead{font-size:1.05rem;margin:0 0 1rem}
ol{list-style:none;margin:0;padding:0;counter-reset:p}
li.problem{background:#fff;border:1px solid #e6d5c8;border-left:6px solid #a4161a;border-radius:6px;margin:0 0 1rem;padding:.9rem 1rem;counter-increment:p}
li.warning{border-left-color:#d9a400}
.where{margin:0 0 .4rem;font-size:.95rem;color:#555}
.where::before{content:counter(p) ". ";font-weight:700;color:#a4161a}
.path{display:inline-block;background:#fff3cd;color:#3d2e00;border:1px solid #d9a400;border-radius:4px;padding:0 .35rem;font-family:ui-monospace,Consolas,"Courier New",monospace;font-size:.95rem;word-break:break-all}
.line{font-weight:700;margin-left:.3rem}
.message{margin:0 0 .4rem;font-size:1.1rem;font-weight:700}
.hint{margin:0;color:#1d4d2c}
.hint b{color:#1d4d2c}
.refresh{margin:0 0 1.2rem;padding:.8rem 1rem;background:#e8f3ea;border-radius:6px;color:#1d4d2c;font-weight:700}
h2{font-size:1.05rem;margin:1.6rem 0 .6rem}
"""


def _text(lang: str) -> dict[str, str]:
    return TEXT["en" if lang.lower().startswith("en") else "zh"]


def error_page_title(count: int, lang: str = "zh") -> str:
    return _text(lang)["title"].format(n=count, s="" if count == 1 else "s")


def error_page(problems: Sequence[Problem], lang: str = "zh") -> str:
    """The whole page, as text. Errors first (they are why the site was not updated), then any
    warnings, each with its file highlighted, the line, the message and the hint."""
    text = _text(lang)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    n, s = len(errors), "" if len(errors) == 1 else "s"
    title = error_page_title(n, lang)
    parts = [
        "<!doctype html>",
        f'<html lang="{text["lang"]}">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>",
        '<body><header role="alert"><h1>' + html.escape(title) + "</h1></header><main>",
        f'<p class="lead">{html.escape(text["lead"].format(n=n, s=s))}</p>',
        f'<p class="refresh">{html.escape(text["refresh"])}</p>',
        '<ol class="problems">', *(_item(p, lang, text) for p in errors), "</ol>",
    ]
    if warnings:
        w, ws = len(warnings), "" if len(warnings) == 1 else "s"
        parts += [f"<h2>{html.escape(text['warnings'].format(n=w, s=ws))}</h2>",
                  '<ol class="warnings">', *(_item(p, lang, text) for p in warnings), "</ol>"]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _item(problem: Problem, lang: str, text: dict[str, str]) -> str:
    if problem.path:
        where = f'{text["file"]} <span class="path">{html.escape(problem.path)}</span>'
        if problem.line:
            where += f'<span class="line">{html.escape(text["line"].format(line=problem.line))}</span>'
    else:
        where = html.escape(text["site"])
    hint = problem.hint(lang)
    kind = "problem" if problem.is_error else "problem warning"
    return (f'<li class="{kind}"><p class="where">{where}</p>'
            f'<p class="message">{html.escape(problem.message(lang))}</p>'
            + (f'<p class="hint"><b>{html.escape(text["hint"])}</b>{html.escape(hint)}</p>' if hint else "")
            + "</li>")
