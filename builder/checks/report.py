"""The `showcase check --html FILE` report: one self-contained HTML page, grouped by file, for a
reviewer to open in any browser. No script, no font, no image, no request. Its words are the
report_* entries of the catalogue, in the language of `--lang`; every text is escaped.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from html import escape as e

from builder import i18n
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

# What was checked, in the order shown: report.counts key -> message.
COUNTED = {"cases": "report_cases", "sites": "report_sites", "pages": "report_pages", "photos": "report_photos",
           "internal_links": "report_internal_links", "external_links": "report_external_links"}


def render_report(report: CheckReport, held_back: list[tuple[str, str, str]], lang: str = "zh",
                  today: dt.date | None = None) -> str:
    """`held_back`: (title, source, reason) of each case the build leaves out."""
    lang = i18n.language(lang)
    say = functools.partial(_say, lang)
    title = report.site.title if report.site and report.site.title else ""
    errors, warnings = len(report.errors), len(report.warnings)
    verdict, said = ("bad", "report_bad") if errors else (("warn", "report_warn") if warnings else ("ok", "report_ok"))
    out = [f'<!doctype html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{say('report_title')}{(' - ' + e(title)) if title else ''}</title>",
           f"<style>{CSS}</style>\n</head>\n<body>\n<main>",
           f"<h1>{say('report_title')}</h1>",
           f'<p class="meta">{say("report_meta", site=title, date=(today or dt.date.today()).isoformat())}</p>',
           f'<p class="verdict {verdict}">{say(said)}</p>',
           '<ul class="summary">',
           _counted(lang, "report_errors", errors), _counted(lang, "report_warnings", warnings)]
    label = report.site.sites.label if report.site else ""
    for key, code in COUNTED.items():
        if key in report.counts:
            if key == "sites" and label:        # the site's own word for its model sites
                out.append(_counted(lang, "report_sites_labelled", report.counts[key], label=label))
            else:
                out.append(_counted(lang, code, report.counts[key]))
    out.append("</ul>")
    if not report.rendered:
        out.append(f'<p class="verdict warn">{say("report_not_rendered")}</p>')

    if report.problems:
        out.append(f"<h2>{say('report_problems')}</h2>")
        for path, problems in _by_file(report.problems):
            out.append(f"<h3>{e(path) if path else say('report_site_wide')}</h3>\n<ol class=\"problems\">")
            for problem in problems:
                out.append(_problem(problem, lang))
            out.append("</ol>")

    out.append(f"<h2>{say('report_external')}</h2>")
    if report.external_links:
        out.append(f"<table><tr><th>{say('report_file')}</th><th>{say('report_link')}</th>"
                   f"<th>{say('report_link_text')}</th></tr>")
        for link in report.external_links:
            where = link.path + (f":{link.line}" if link.line else "")
            out.append(f"<tr><td>{e(where)}</td><td>{e(link.url)}</td><td>{e(link.text)}</td></tr>")
        out.append("</table>")
    else:
        out.append(f"<p>{say('report_no_external')}</p>")

    if held_back:
        out.append(f"<h2>{say('report_held')}</h2>")
        out.append(f"<table><tr><th>{say('report_file')}</th><th>{say('report_reason')}</th></tr>")
        for case_title, source, reason in held_back:
            out.append(f"<tr><td>{e(case_title)}<br><small>{e(source)}</small></td><td>{e(reason)}</td></tr>")
        out.append("</table>")
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)


def _say(lang: str, code: str, **params: object) -> str:
    """Message `code`, escaped as a whole: our words and the user's values (a site title, a
    hint that quotes a file) alike are text, never markup."""
    return e(i18n.text(code, lang, **params))


def _counted(lang: str, code: str, count: int, **params: str) -> str:
    """'<li><strong>3</strong>个案例</li>': the number in bold where the message puts it (the first
    place its digits appear: no report_* count message has other digits before it)."""
    before, number, after = i18n.text(code, lang, count=count, **params).partition(str(count))
    return f"<li>{e(before)}<strong>{number}</strong>{e(after)}</li>"


def _by_file(problems: tuple[Problem, ...]) -> list[tuple[str, list[Problem]]]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[problem.path].append(problem)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def _problem(problem: Problem, lang: str) -> str:
    kind, badge = ("error", "report_error") if problem.is_error else ("warning", "report_warning")
    line = f'<span class="line">{_say(lang, "report_line", line=problem.line)}</span>' if problem.line else ""
    hint = problem.hint(lang)
    hint_html = f'<p class="hint">{_say(lang, "report_hint", hint=hint)}</p>' if hint else ""
    return (f'<li class="{kind}"><span class="badge">{_say(lang, badge)}</span>{line}'
            f"{e(problem.message(lang))}{hint_html}</li>")
