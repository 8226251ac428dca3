"""The `showcase check --html FILE` report: one self-contained HTML page, in Chinese, grouped by
file, for a reviewer to open in any browser. No script, no font, no image, no request.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

from builder.checks.run import CheckReport
from builder.errors import Problem

CSS = """
body{font:16px/1.7 -apple-system,"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;color:#222;margin:0;background:#f6f6f4}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid #a4161a;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.4rem 0 .4rem;word-break:break-all}
.meta{color:#555;margin:0 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.summary li{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.4rem .8rem}
.summary strong{font-size:1.3rem;margin-right:.2rem}
.verdict{padding:.8rem 1rem;border-radius:.4rem;font-weight:700}
.verdict.ok{background:#e6f4ea;color:#1e5b2e}.verdict.bad{background:#fde8e8;color:#8a1c1c}.verdict.warn{background:#fff3cd;color:#5c4400}
ol.problems{list-style:none;padding:0;margin:0}
ol.problems li{background:#fff;border:1px solid #ddd;border-left:5px solid #d9a400;border-radius:.3rem;padding:.5rem .8rem;margin:.4rem 0}
ol.problems li.error{border-left-color:#c0262d}
.badge{display:inline-block;font-size:.8rem;font-weight:700;padding:0 .4rem;border-radius:.2rem;margin-right:.4rem;background:#d9a400;color:#fff}
.error .badge{background:#c0262d}
.line{color:#555;margin-right:.4rem}.hint{color:#444;margin:.2rem 0 0;font-size:.92rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f0efe9}
@media print{body{background:#fff}main{max-width:none}}
"""

LABELS = {
    "zh": {"title": "网站自查报告", "generated": "生成日期", "site": "网站", "errors": "个错误", "warnings": "个警告",
           "cases": "个案例", "sites": "个示范点", "pages": "个页面", "photos": "张图片", "internal_links": "个站内链接",
           "external_links": "个外部链接", "ok": "没有发现问题。", "bad": "发现错误：请改正后再发布。",
           "warn": "没有错误，有一些警告：请逐条核对。", "problems": "问题清单（按文件）", "site_wide": "整个网站",
           "line": "第 {line} 行", "error": "错误", "warning": "警告", "hint": "提示：",
           "external": "外部链接（未访问，请人工核对链接是否有效、内容是否合适）", "file": "文件", "link": "链接",
           "text": "链接文字", "none": "没有外部链接。", "held": "未发布的案例", "reason": "原因",
           "not_rendered": "注意：构建没有完成，页面没有生成，因此本次没有检查页面是否引用其他网站的文件；改正错误后请再检查一次。"},
    "en": {"title": "Site self-inspection report", "generated": "Generated", "site": "Site", "errors": "errors",
           "warnings": "warnings", "cases": "cases", "sites": "model sites", "pages": "pages", "photos": "photos",
           "internal_links": "internal links", "external_links": "external links", "ok": "No problems found.",
           "bad": "Errors found: fix them before publishing.", "warn": "No errors, some warnings: check each one.",
           "problems": "Problems by file", "site_wide": "The whole site", "line": "line {line}", "error": "error",
           "warning": "warning", "hint": "Hint: ", "external": "External links (not fetched: check them by hand)",
           "file": "File", "link": "Link", "text": "Link text", "none": "No external links.",
           "held": "Cases not published", "reason": "Reason",
           "not_rendered": "Note: the build did not finish, so pages were not scanned for files from other hosts; check again once the errors are fixed."},
}


def render_report(report: CheckReport, held_back: list[tuple[str, str, str]], lang: str = "zh",
                  today: dt.date | None = None) -> str:
    """`held_back`: (title, source, reason) of each case the build leaves out."""
    lang = "en" if lang == "en" else "zh"
    L = LABELS[lang]
    e = html.escape
    title = report.site.title if report.site and report.site.title else ""
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = ("bad", L["bad"]) if errors else (("warn", L["warn"]) if warnings else ("ok", L["ok"]))
    out = [f'<!doctype html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(L['title'])}{(' - ' + e(title)) if title else ''}</title>",
           f"<style>{CSS}</style>\n</head>\n<body>\n<main>",
           f"<h1>{e(L['title'])}</h1>",
           f'<p class="meta">{e(L["site"])}：{e(title)}　{e(L["generated"])}：{(today or dt.date.today()).isoformat()}</p>'
           if lang == "zh" else f'<p class="meta">{e(L["site"])}: {e(title)} · {e(L["generated"])}: {(today or dt.date.today()).isoformat()}</p>',
           f'<p class="verdict {verdict[0]}">{e(verdict[1])}</p>',
           '<ul class="summary">',
           f"<li><strong>{errors}</strong>{e(L['errors'])}</li>", f"<li><strong>{warnings}</strong>{e(L['warnings'])}</li>"]
    for key in ("cases", "sites", "pages", "photos", "internal_links", "external_links"):
        if key in report.counts:
            out.append(f"<li><strong>{report.counts[key]}</strong>{e(L[key])}</li>")
    out.append("</ul>")
    if not report.rendered:
        out.append(f'<p class="verdict warn">{e(L["not_rendered"])}</p>')

    if report.problems:
        out.append(f"<h2>{e(L['problems'])}</h2>")
        for path, problems in _by_file(report.problems):
            out.append(f"<h3>{e(path or L['site_wide'])}</h3>\n<ol class=\"problems\">")
            for problem in problems:
                out.append(_problem(problem, lang, L))
            out.append("</ol>")

    out.append(f"<h2>{e(L['external'])}</h2>")
    if report.external_links:
        out.append(f"<table><tr><th>{e(L['file'])}</th><th>{e(L['link'])}</th><th>{e(L['text'])}</th></tr>")
        for link in report.external_links:
            where = link.path + (f":{link.line}" if link.line else "")
            out.append(f"<tr><td>{e(where)}</td><td>{e(link.url)}</td><td>{e(link.text)}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{e(L['none'])}</p>")

    if held_back:
        out.append(f"<h2>{e(L['held'])}</h2>")
        out.append(f"<table><tr><th>{e(L['file'])}</th><th>{e(L['reason'])}</th></tr>")
        for case_title, source, reason in held_back:
            out.append(f"<tr><td>{e(case_title)}<br><small>{e(source)}</small></td><td>{e(reason)}</td></tr>")
        out.append("</table>")
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)


def _by_file(problems: tuple[Problem, ...]) -> list[tuple[str, list[Problem]]]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[problem.path].append(problem)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def _problem(problem: Problem, lang: str, L: dict[str, str]) -> str:
    e = html.escape
    kind = "error" if problem.is_error else "warning"
    line = f'<span class="line">{e(L["line"].format(line=problem.line))}</span>' if problem.line else ""
    hint = problem.hint(lang)
    hint_html = f'<p class="hint">{e(L["hint"])}{e(hint)}</p>' if hint else ""
    return (f'<li class="{kind}"><span class="badge">{e(L[kind])}</span>{line}{e(problem.message(lang))}'
            f"{hint_html}</li>")
