"""Site-wide checks of `showcase check`: empty sections (a category or model site without a
published case; an action without one is not: the programme has it, the theme says 暂无案例), stale cases on the home page, and references to other hosts
in the built pages and theme files (the site promises that a visitor's browser asks no one
but the site's own server for anything).
"""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlsplit

from builder.errors import WARNING, Problem
from builder.model import Site, SiteModel
from builder.render.pages import page_jobs
from builder.yamlio.source import parse_yaml

# The search index's shards: data showcase writes from the documents' text (checked as documents),
# loaded by the theme's search script; a text in them fetches nothing.
SEARCH_DATA = "search/"
# <link rel=…> values that make the browser fetch something.
FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload", "prefetch",
                 "modulepreload", "manifest", "dns-prefetch", "preconnect", "prerender"}
RESOURCE_ATTRS = {"img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
                  "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
                  "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
                  "image": ("href", "xlink:href"), "use": ("href", "xlink:href")}
_CSS_URL = re.compile(r"""url\(\s*['"]?\s*((?:https?:)?//[^'")\s]+)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+['"]((?:https?:)?//[^'"]+)['"]""", re.I)
_JS_FETCH = re.compile(r"""(?:\bimport\s*\(|\bfrom\s+|\bimport\s+|\bfetch\s*\(|\bimportScripts\s*\(|"""
                       r"""\.src\s*=\s*|\bnew\s+(?:Worker|SharedWorker|EventSource|WebSocket)\s*\(|"""
                       r"""\bsendBeacon\s*\(|\.open\s*\(\s*['"][A-Z]+['"]\s*,\s*)"""
                       r"""['"`]((?:https?:|wss?:)?//[^'"`\s]+)""")


# --- empty sections and stale cases ----------------------------------------------------------

def check_empty_sections(model: SiteModel, site_yaml_lines: list[str]) -> list[Problem]:
    problems = []
    declared = declared_lines(site_yaml_lines)
    # A special action is the programme's, whether or not the site has a case of it yet: the home
    # page leaves it out and the actions page says it has none. A category is the site's own.
    for term in model.taxonomies.get("categories", ()):
        if not term.cases:
            line = declared.get(("categories", term.name)) or _line_with(site_yaml_lines, term.name)
            problems.append(Problem("site.yaml", line, "empty_category", {"name": term.name}, severity=WARNING))
    for model_site in model.sites:
        if not model.cases_by_site.get(model_site.slug):
            problems.append(Problem(model_site.doc.source, None, "site_without_cases",
                                    {"name": model_site.title}, severity=WARNING))
    return problems


def check_stale(model: SiteModel, today: dt.date) -> list[Problem]:
    """Featured cases older than review.stale_days, and a home page whose newest case is."""
    limit = model.site.review.stale_days
    home = next((job for job in page_jobs(model) if job.template == "home.html"), None)
    if home is None:
        return []
    problems = []
    for case in home.vars.get("featured", ()):
        age = (today - case.date).days
        if age > limit:
            problems.append(Problem(case.doc.source, case.doc.line_of("featured"), "stale_featured",
                                    {"days": age, "limit": limit}, severity=WARNING))
    latest = home.vars.get("latest", ())
    if latest and (today - latest[0].date).days > limit:
        newest = latest[0]
        problems.append(Problem("", None, "stale_latest",
                                {"days": (today - newest.date).days, "limit": limit, "title": newest.title,
                                 "date": newest.date.isoformat()}, severity=WARNING))
    return problems


def declared_lines(site_yaml_lines: list[str]) -> dict[tuple[str, str], int]:
    """('categories', '农村') -> the line of site.yaml that declares it: not the first line that
    merely holds the word (the site's title, a comment, or a longer name such as 农村社区)."""
    parsed, _ = parse_yaml("\n".join(site_yaml_lines), "site.yaml")
    value = parsed.value if parsed is not None else None
    if not isinstance(value, dict):
        return {}
    found: dict[tuple[str, str], int] = {}
    for taxonomy, key in (("categories", None), ("actions", "name")):
        items = value.get(taxonomy)
        if isinstance(items, str):                  # `categories: 农村`, a list of one
            found[(taxonomy, items.strip())] = parsed.line(taxonomy)
            continue
        for index, item in enumerate(items if isinstance(items, list) else []):
            named = key is not None and isinstance(item, dict)
            name = item.get(key) if named else item
            line = parsed.line(taxonomy, index, key) if named else parsed.line(taxonomy, index)
            if name is not None and line:
                found.setdefault((taxonomy, str(name).strip()), line)
    return found


def _line_with(lines: list[str], text: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if text in line and not line.lstrip().startswith("#"):
            return number
    return None


# --- references to other hosts ---------------------------------------------------------------

class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHING_RELS and values.get("href"):
                self.urls.append(values["href"])
        for attr in RESOURCE_ATTRS.get(tag, ()):
            value = values.get(attr, "")
            if attr == "srcset":
                self.urls += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            elif value:
                self.urls.append(value)
        if values.get("style"):
            self.urls += css_urls(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += css_urls(data)


def css_urls(text: str) -> list[str]:
    return [m.group(1) for m in _CSS_URL.finditer(text)] + [m.group(1) for m in _CSS_IMPORT.finditer(text)]


def fetched_urls(path: str, data: bytes) -> list[str]:
    """Addresses a browser would fetch while showing this output file (absolute ones only)."""
    if b"//" not in data:               # every absolute address has it: most search shards do not
        return []
    text = data.decode("utf-8", errors="replace")
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix in ("html", "htm"):
        parser = _Resources()
        parser.feed(text)
        parser.close()
        urls = parser.urls
    elif suffix == "css":
        urls = css_urls(text)
    elif suffix in ("js", "mjs"):
        urls = [m.group(1) for m in _JS_FETCH.finditer(text)]
    else:
        return []
    return [u for u in urls if u.lower().startswith(("http://", "https://", "//", "ws://", "wss://"))]


# An address of another host, where it could be (a first look, before parsing a page).
_ABSOLUTE = re.compile(r"""//([^/\s"'<>)\\?#]*)""")        # a literal start: fast to search for
_SCHEME = re.compile(r"(?:https?|wss?):$", re.I)
_VALUE_START = re.compile(r"""<([a-zA-Z][\w:-]*)\b[^<]*?\s([\w:-]+)\s*=\s*["']?\s*$""")
_AT_VALUE_START = re.compile(r"""=\s*["']?\s*$""")
# (tag, attribute) whose address a browser does not fetch; a tag of None: any tag.
_NOT_FETCHED = {("a", "href"), ("meta", "content"), (None, "xmlns"), ("form", "action"), ("blockquote", "cite"),
                ("q", "cite"), ("link", "canonical")}


def page_fetches_elsewhere(text: str, own_host: str) -> bool:
    """False when no address in the page can make a browser fetch from a host other than
    `own_host`: each absolute address is of the site's own host, a link (<a href>), a <meta>
    value, a namespace, or text outside any tag of a page without <style>. Otherwise True, and
    the page is parsed (fetched_urls). A page is thousands of times faster to look at this way,
    and every page a build writes is looked at."""
    styled = None
    for match in _ABSOLUTE.finditer(text):
        host = match.group(1).lower()
        if own_host and host == own_host:
            continue
        start = match.start()
        before = text[max(0, start - 300):start]
        scheme = _SCHEME.search(before)
        if scheme:
            before = before[:scheme.start()]
        lt, gt = before.rfind("<"), before.rfind(">")
        if _AT_VALUE_START.search(before):
            value = _VALUE_START.search(before[lt:]) if lt >= 0 else None
            if value is None:
                return True
            tag, attr = value.group(1).lower(), value.group(2).lower()
            if (tag, attr) in _NOT_FETCHED or (None, attr) in _NOT_FETCHED or attr.startswith("xmlns:"):
                continue
            return True
        if lt > gt:                           # inside a tag, not at the start of a value (srcset, style)
            return True
        if styled is None:
            styled = "<style" in text.lower()
        if styled:                            # text, but maybe a style sheet's
            return True
    return False


def fetched_elsewhere(path: str, data: bytes | Path, own_host: str) -> tuple[str, ...]:
    """The absolute addresses the output file `path` (its bytes, or the file holding them) makes
    a browser fetch: () for a page in which none can be of another host than `own_host`, and for
    a file that cannot be read."""
    try:
        raw = data if isinstance(data, bytes) else data.read_bytes()
    except OSError:
        return ()
    if path.lower().endswith((".html", ".htm")) and not page_fetches_elsewhere(raw.decode("utf-8", "replace"), own_host):
        return ()
    return tuple(fetched_urls(path, raw))


def check_hosts(site: Site, outputs: Mapping[str, bytes | Path], sources: Mapping[str, str],
                already: set[str], fetched: Callable[[str, bytes | Path, str], tuple[str, ...]] = fetched_elsewhere
                ) -> list[Problem]:
    """One problem per address of another host, at the theme file it comes from where known
    (`sources`: output path -> source file), else at the first output page that holds it.
    `already`: addresses reported against a content file, not repeated here. `fetched`: what
    fetched_elsewhere says of a file (the gate passes one that remembers kept pages)."""
    own = urlsplit(site.base_url).netloc.lower()
    first: dict[str, tuple[str, int]] = {}
    for path in sorted(outputs):
        if not path.lower().endswith((".html", ".htm", ".css", ".js", ".mjs")):
            continue
        if path.startswith(SEARCH_DATA) and path.endswith(".js"):
            continue
        for url in fetched(path, outputs[path], own):
            host = urlsplit(url if "//" in url else "//" + url).netloc.lower()
            if (own and host == own) or url in already:
                continue
            where, count = first.get(url, (path, 0))
            first[url] = (where, count + 1)
    problems = []
    for url, (path, count) in sorted(first.items()):
        host = urlsplit(url).netloc or url
        shown = sources.get(path) or f"{site.output_dir}/{path}"
        problems.append(Problem(shown, None, "foreign_host", {"url": url, "host": host, "count": count}))
    return problems
