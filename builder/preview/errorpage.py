"""The page the preview shows instead of the site while the sources have problems.

Written for the person who edits the cases, not for a programmer: what happened in one
sentence, the reassurance that the page refreshes by itself once the file is saved correctly, then
each problem as a card (which file, which line, what is wrong, what to do).
Self-contained (inline style, no fonts, no scripts of its own), so it shows even when the
theme itself is what is broken. Its words are the errorpage_* entries of the catalogue; every text
on it is escaped.
"""
from __future__ import annotations

from html import escape
from typing import Sequence

from builder import i18n
from builder.errors import Problem

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


def error_page_title(count: int, lang: str = "zh") -> str:
    return i18n.text("errorpage_title", lang, count=count)


def error_page(problems: Sequence[Problem], lang: str = "zh") -> str:
    """The whole page, as text. Errors first (they are why the site was not updated), then any
    warnings, each with its file highlighted, the line, the message and the hint."""
    lang = i18n.language(lang)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    title = escape(error_page_title(len(errors), lang))
    parts = [
        "<!doctype html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head>",
        f'<body><header role="alert"><h1>{title}</h1></header><main>',
        f'<p class="lead">{_say(lang, "errorpage_lead", count=len(errors))}</p>',
        f'<p class="refresh">{_say(lang, "errorpage_refresh")}</p>',
        '<ol class="problems">', *(_item(p, lang) for p in errors), "</ol>",
    ]
    if warnings:
        parts += [f"<h2>{_say(lang, 'errorpage_warnings', count=len(warnings))}</h2>",
                  '<ol class="warnings">', *(_item(p, lang) for p in warnings), "</ol>"]
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _say(lang: str, code: str, **params: object) -> str:
    """Message `code`, escaped as a whole: plain text, whatever values it quotes."""
    return escape(i18n.text(code, lang, **params))


def _item(problem: Problem, lang: str) -> str:
    if problem.path:
        where = f'{_say(lang, "errorpage_file")} <span class="path">{escape(problem.path)}</span>'
        if problem.line:
            where += f'<span class="line">{_say(lang, "errorpage_line", line=problem.line)}</span>'
    else:
        where = _say(lang, "errorpage_site")
    hint = problem.hint(lang)
    kind = "problem" if problem.is_error else "problem warning"
    return (f'<li class="{kind}"><p class="where">{where}</p>'
            f'<p class="message">{escape(problem.message(lang))}</p>'
            + (f'<p class="hint"><b>{_say(lang, "label_errorpage_hint")}</b>{escape(hint)}</p>' if hint else "")
            + "</li>")
