"""Stage 4: model + theme -> {output path: bytes}. One Jinja environment, StrictUndefined.

Every page is described first (template, output path, variables), then rendered; a template
error is reported with the template's file and line and the content file being rendered.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Container, Iterable

import jinja2

from builder import i18n
from builder.booklet.groups import make_booklet
from builder.booklet.qr import qr_svg
from builder.errors import Problem
from builder.model import Case, Document, ModelSite, Photo, SiteModel
from builder.render import fragments as page_fragments
from builder.render.fragments import Fragment, PageFragments, fragment_id, previous_fragments
from builder.render.related import RelatedIndex, related_positions
from builder.render.parallel import render_all
from builder.render.trace import (Digester, ModelView, Recorder, TokenValues, note, page_key, recording_context,
                                  stable_reads, viewed)
from builder.store.state import code_version
from builder.render.theme import Theme
from builder.write import Stage, Staged

BOOKLET_TEMPLATE = "booklet/booklet.html"
BOOKLET_WHOLE_LIMIT = 150
TAXONOMY_TEMPLATES = {"categories": "list.html", "actions": "list.html", "tags": "list.html", "towns": "list.html"}
# Pages a site's own theme may not have (it was written before they existed): left out, not an error.
OPTIONAL_TEMPLATES = ("subscribe.html",)
# From this many pages to render, they go to the build's stage as they are made (render_site).
STAGE_FROM = 500
# From this many pages, their keys are made on every core (_unchanged): at 5,000 cases (7,100
# pages) 0.27 s in one process, 0.22-0.24 s on two; the fork and its copied pages cost the rest.
KEYS_PARALLEL_FROM = 4000


@dataclass(frozen=True, slots=True)
class PageJob:
    template: str
    path: str                       # output path, site-relative: 'cases/x/index.html'
    url: str                        # site-relative URL of the page: 'cases/x/'
    source: str                     # content file behind it, for error messages ('' for lists)
    vars: dict[str, Any] = field(default_factory=dict)


class Links:
    """Site-relative paths -> hrefs, for one page: rooted at base_url, or relative for file://."""

    def __init__(self, base_url: str, base_path: str, relative: bool, page_path: str):
        self.base_url = base_url
        self.base_path = base_path
        self.relative = relative
        self.page_dir = PurePosixPath(page_path).parent

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://", "mailto:", "tel:", "#", "data:")):
            return path
        path, _, fragment = path.lstrip("/").partition("#")
        if self.relative:
            target = path + "index.html" if path == "" or path.endswith("/") else path
            href = _relative(self.page_dir, PurePosixPath(target))
        else:
            href = self.base_path + path
        return href + ("#" + fragment if fragment else "")

    def absolute(self, path: str) -> str:
        """For feeds, sitemaps and share cards: absolute when base_url has a host."""
        if path.startswith(("http://", "https://")):
            return path
        if self.base_url.startswith(("http://", "https://")):
            return self.base_url + path.lstrip("/")
        return self.base_path + path.lstrip("/")


def _relative(start: PurePosixPath, target: PurePosixPath) -> str:
    start_parts = [p for p in start.parts if p not in (".", "")]
    target_parts = [p for p in target.parts if p not in (".", "")]
    common = 0
    while common < min(len(start_parts), len(target_parts) - 1) and start_parts[common] == target_parts[common]:
        common += 1
    up = [".."] * (len(start_parts) - common)
    return "/".join(up + target_parts[common:]) or "index.html"


def make_env(theme: Theme, cache_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment of a build. With `cache_dir`, compiled templates are kept there
    between builds (Jinja checks each against its source); the folder is named by the versions
    of showcase and Jinja, since the compiled code also depends on the options below."""
    bytecode = None
    if cache_dir is not None:
        bytecode = jinja2.FileSystemBytecodeCache(str(_bytecode_dir(cache_dir)))
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        # An environment lives for one build (or, in the preview, until a template file
        # changes): checking every template's mtime on each of thousands of loads is waste.
        auto_reload=False,
    )
    env.context_class = recording_context(HELPERS)     # notes what each page reads (render.trace)
    env.filters["date_text"] = lambda d, lang="zh-CN": date_text(d, lang)
    env.filters["iso_date"] = lambda d: d.isoformat()
    return env


def _bytecode_dir(cache_dir: Path) -> Path:
    from builder import __version__
    folder = cache_dir / f"jinja-{__version__}-{jinja2.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def date_text(date: dt.date, lang: str) -> str:
    return i18n.text("date_long", lang, year=date.year, month=i18n.Phrase(f"month_{date.month}"), day=date.day)


def record_key(record: tuple | None) -> bytes | None:
    """The key a page had when it was rendered, from its record in PageMemo.pages
    ((identity, reads, key, fragments)), or None."""
    key = record[2] if type(record) is tuple and len(record) >= 3 else None
    return key if type(key) is bytes else None


@dataclass
class PageMemo:
    """The pages of the previous build, each with what it read (render.trace), and the pages
    this build kept from it. `base` is the digest every page key starts from: a change of any
    template, UI string, asset, setting or of showcase itself gives a new base and so renders
    every page again."""
    base: bytes = b""
    pages: dict[str, tuple] = field(default_factory=dict)   # path -> (identity, (names, tokens), key)
    kept: set[str] = field(default_factory=set)              # paths not rendered by this build
    related: tuple | None = None                             # related.related_positions, made again if stale
    qr: dict[tuple, str] = field(default_factory=dict)       # (address, label) -> QR code SVG, of earlier builds
    qr_made: dict[tuple, str] = field(default_factory=dict)  # those this build made
    out_dir: Path | None = None                              # where the last build wrote the pages (render.fragments)


HELPERS = frozenset({"url", "absolute_url", "t", "asset", "asset_path", "body", "page_url", "source", "kept",
                     "link_scope", "model", "qr", "site_label", "sites_label"})


def base_digest(model: SiteModel, theme: Theme, assets: dict[str, str]) -> bytes:
    """What every page is made from besides its own lookups: showcase and its libraries
    (store.state.code_version), every template file of the theme and the site, the UI strings
    of the site's language, the theme's asset names and the site's settings."""
    digest = hashlib.blake2b(code_version().encode(), digest_size=20)
    digest.update(repr((sys.version_info[:2], sorted(assets.items()))).encode("utf-8"))
    for folder in theme.template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode("utf-8") + path.read_bytes())
    strings = theme.strings_file(model.site.language)
    digest.update(b"\0strings\0" + (strings.read_bytes() if strings else b""))
    digest.update(Digester().of(model.site))
    return digest.digest()


def render_site(model: SiteModel, theme: Theme, env: jinja2.Environment, assets: dict[str, str],
                workers: int | None = 1, sources: Container[str] | None = None,
                memo: PageMemo | None = None, intact: Callable[[str], bool] | None = None,
                digester: Digester | None = None, stage: Stage | None = None) -> tuple[dict[str, bytes | Staged], list[Problem]]:
    """All pages of the site. `assets` maps theme asset names to their fingerprinted paths.
    `workers` > 1 (None: every core) renders big sites on several processes, same bytes.
    `sources`: only the home page and the pages made from these content files, each the same
    bytes as in the whole site (the preview serves them before the rest is rendered).
    `memo`: the previous build's pages; a page whose inputs are all the same (render.trace)
    and whose file is `intact` is not rendered but listed in memo.kept, and memo.pages becomes
    this build's record. Pages are returned for what was rendered. `stage`: when many pages
    are rendered, each is written there as soon as it is made (write.Stage) and returned as
    that file, so that no process holds them all."""
    strings, problems = theme.strings(model.site.language)
    if problems:
        return {}, problems
    if memo is not None:
        memo.related = related_positions(model.cases, memo.related)
    jobs = [job for job in page_jobs(model, sources, memo.related[1] if memo is not None else None)
            if job.template not in OPTIONAL_TEMPLATES or _has_template(env, job.template)]
    if sources is None:
        jobs.append(PageJob("sitemap.xml", "sitemap.xml", "sitemap.xml", "", {"entries": sitemap_entries(jobs)}))
    newest = model.cases[0].date if model.cases else dt.date(2000, 1, 1)
    shared = {"model": ModelView(model), "site": model.site, "lang": model.site.language, "updated": newest, "doc": None}
    fragments: dict[tuple, Fragment] = {}     # this build's memo of template fragments (see _page_helpers)

    todo, records = jobs, {}
    interned: dict[tuple, tuple] = {}
    global _qr_known
    _qr_known = memo.qr if memo is not None else {}
    _qr_made.clear()
    values = TokenValues(model, digester or Digester(), shared) if memo is not None else None
    if memo is not None:
        todo, records = _unchanged(jobs, values, memo, intact or (lambda path: False), workers)

    def render(job: PageJob) -> tuple[bytes, tuple] | Problem:
        # The 404 page is served at any address, so relative links cannot work there.
        relative = model.site.relative_urls and job.template != "404.html"
        links = Links(model.site.base_url, model.site.base_path, relative, job.path)
        page = _page_fragments(job, memo, intact) if values is not None else None
        helpers = _page_helpers(model, env, links, strings, assets, job, fragments, page, values)
        try:
            with Recorder() as reads:
                text = env.get_template(job.template).render({**shared, **helpers, **_viewed(job.vars)})
        except jinja2.TemplateError as exc:
            return _template_problem(exc, theme, job)
        made = dict(_qr_made)               # (in a forked worker, these come back with the page)
        _qr_made.clear()
        parts = None
        if page is not None:
            for fragment in page.made:
                reads.update(fragment.reads)
            if len(text) >= page_fragments.FRAGMENTS_FROM:
                parts = page_fragments.located(text, page.made, values.digester, page.scopes)
        return text.encode("utf-8"), stable_reads(reads), made, parts

    def render_to_stage(job: PageJob) -> tuple[Staged, tuple] | Problem:
        result = render(job)
        if isinstance(result, Problem):
            return result
        return (stage.keep(job.path, result[0]), *result[1:])

    outputs: dict[str, bytes | Staged] = {}
    problems: list[Problem] = []
    staged = stage is not None and len(todo) >= STAGE_FROM
    for job, result in zip(todo, render_all(render_to_stage if staged else render, todo, workers)):
        if isinstance(result, Problem):
            problems.append(result)
            continue
        outputs[job.path], (names, tokens), made, parts = result
        if memo is not None:
            memo.qr_made.update(made)
        if values is not None:
            key = page_key(memo.base, _identity(job), (names, tokens), values, job.vars)
            if key is not None:
                # Each token one object for all pages: the output record (marshal) then writes
                # a token met again as a reference, and loads in a few ms instead of 85.
                tokens = tuple([interned.setdefault(token, token) for token in tokens])
                if parts is not None:
                    parts = page_fragments.fragments_record(memo.base, parts, values, job.vars, interned)
                records[job.path] = (_identity(job), (interned.setdefault(names, names), tokens), key, parts)
    if memo is not None:
        memo.pages = records
    return outputs, problems


_qr_known: dict[tuple, str] = {}     # the QR codes of earlier builds (PageMemo.qr), for this render_site
_qr_made: dict[tuple, str] = {}      # made since the page being rendered began


def _qr(target: str, label: str) -> str:
    """qr_svg of a page's address, from the codes earlier builds made where it can: a booklet
    page shows hundreds of them (1.3 ms each), and is rendered again whenever one of its cases
    changes."""
    key = (target, label)
    svg = _qr_known.get(key)
    if svg is None:
        svg = _qr_known[key] = _qr_made[key] = qr_svg(target, label, quick=True)
    return svg


def _viewed(variables: dict[str, Any]) -> dict[str, Any]:
    """A page's variables as its templates get them: cases and terms as views (render.trace)."""
    return {name: viewed(value) for name, value in variables.items()}


def _identity(job: PageJob) -> tuple:
    return (job.template, job.path, job.url, job.source)


def _unchanged(jobs: list[PageJob], values: TokenValues, memo: PageMemo, intact: Callable[[str], bool],
               workers: int | None = 1) -> tuple[list[PageJob], dict[str, tuple]]:
    """(the jobs to render, the records of the pages kept): a page is kept when its key, made
    from this build's values of what it read last time, is the key it had, and its file is as
    the last build left it. Many pages' keys are made on every core (`workers`, as render_all)."""
    def same(job: PageJob) -> bool:
        before = memo.pages.get(job.path)
        identity = _identity(job)
        if before is None or before[0] != identity:
            return False
        key = page_key(memo.base, identity, before[1], values, job.vars)
        return key is not None and key == before[2] and intact(job.path)

    todo, records = [], {}
    memo.kept = set()
    for job, kept in zip(jobs, render_all(same, jobs, workers if len(jobs) >= KEYS_PARALLEL_FROM else 1)):
        if kept:
            records[job.path] = memo.pages[job.path]
            memo.kept.add(job.path)
        else:
            todo.append(job)
    return todo, records


def _has_template(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    return True


def _page_fragments(job: PageJob, memo: PageMemo, intact: Callable[[str], bool] | None) -> PageFragments:
    """The fragments the page being rendered may take from its old file (render.fragments)."""
    old = previous_fragments(memo.pages.get(job.path), _identity(job))
    if not old or memo.out_dir is None or intact is None or not intact(job.path):
        return PageFragments(memo.base)
    return PageFragments(memo.base, old, memo.out_dir / job.path)


def _page_helpers(model: SiteModel, env: jinja2.Environment, links: Links, strings: dict[str, str],
                  assets: dict[str, str], job: PageJob, fragments: dict[tuple, Fragment],
                  page: PageFragments | None = None, values: TokenValues | None = None) -> dict[str, Any]:
    def t(key: str, **params: Any) -> str:
        if key not in strings:
            raise jinja2.UndefinedError(f"the theme has no UI string '{key}'")
        return strings[key].format(**params) if params else strings[key]

    def asset(name: str) -> str:
        if name not in assets:
            raise jinja2.UndefinedError(f"the theme has no static file '{name}'")
        return links.url(assets[name])

    def body(doc: Document, shift: int = 0) -> jinja2.utils.markupsafe.Markup:
        """The body as HTML; `shift` moves its headings down (2: h2 -> h4) under a page's own."""
        html_text = rewrite_body(doc, links, lambda photo, caption: _picture(env, photo, caption, helpers))
        return jinja2.utils.markupsafe.Markup(shift_headings(html_text, shift) if shift else html_text)

    def qr(path: str, label: str = "") -> jinja2.utils.markupsafe.Markup | str:
        """A QR code (inline SVG) to the page at `path`: only when base_url has a host to point at."""
        target = links.absolute(path)
        return jinja2.utils.markupsafe.Markup(_qr(target, label)) if target.startswith(("http://", "https://")) else ""

    def asset_path(name: str) -> str:
        asset(name)
        return assets[name]

    @jinja2.pass_context
    def kept(context: jinja2.runtime.Context, key: tuple, make: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """make(*args, **kwargs), made once per build for each key: a fragment of a template
        (a case's card) that appears on many pages and depends only on what its key names.
        What making it read counts for every page it appears on (render.trace). On a page
        that keeps its fragments apart (render.fragments), it may come from the page's old file."""
        if page is None or page.depth:
            found = fragments.get(key)
            if found is None:
                with Recorder() as reads:
                    made = make(*args, **kwargs)
                found = fragments[key] = Fragment(made, frozenset(reads))
            else:
                note(found.reads)
            return found.value
        found = fragments.get(key)
        if found is None:
            # What names the fragment (render.fragments.fragment_id), digested only if needed:
            # to look for it in the old file now, or once the page turns out big enough to record it.
            named = (key, args, kwargs, tuple(context.vars.items()))
            fid = fragment_id(values.digester, *named, page.scopes) if page.old else None
            again = page.reuse(fid, values, job.vars)
            if again is not None:
                found = Fragment(jinja2.utils.markupsafe.Markup(again[0]), again[1], fid, again[2], digest=again[3])
            else:
                page.depth += 1
                try:
                    with Recorder(alone=True) as reads:
                        made = make(*args, **kwargs)
                finally:
                    page.depth -= 1
                found = Fragment(made, frozenset(reads), fid, None, named)
            fragments[key] = found
        page.made.append(found)
        return found.value

    # Links are the same on every page unless they are relative, when they depend on the page's
    # folder: `link_scope` names it, for keys of kept fragments.
    link_scope = str(links.page_dir) if links.relative else ""
    # What the site calls its model sites (site.yaml `sites: label`), else the theme's word for them.
    label = model.site.sites.label
    helpers = {"url": links.url, "absolute_url": links.absolute, "t": t, "asset": asset, "asset_path": asset_path, "body": body,
               "page_url": job.url, "source": job.source, "kept": kept, "link_scope": link_scope, "qr": qr,
               "site_label": label or t("model_site"), "sites_label": label or t("sites")}
    return helpers


def _picture(env: jinja2.Environment, photo: Photo, caption: str, helpers: dict[str, Any]) -> str:
    module = env.get_template("partials/picture.html").make_module(vars=helpers)
    return str(module.picture(photo, caption=caption, lazy=True))


_FIGURE = re.compile(r'<figure class="figure" data-photo="([^"]*)">(.*?)</figure>', re.S)
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_ROOTED = re.compile(r'(href|src)="/(?!/)([^"]*)"')
_LOCAL_IMG = re.compile(r'<img([^>]*?) src="([^":/?#]+)"')


def rewrite_body(doc: Document, links: Links, picture: Callable[[Photo, str], str]) -> str:
    """Turn body figures of bundle photos into <picture>, and '/x/' links into this page's links."""
    photos = {p.name: p for p in doc.photos}

    def figure(match: re.Match) -> str:
        photo = photos.get(html.unescape(match.group(1)))
        if photo is None or not photo.renditions:
            return match.group(0)
        caption = _CAPTION.search(match.group(2))
        text = html.unescape(re.sub(r"<[^>]+>", "", caption.group(1))) if caption else photo.caption
        return picture(photo, text)

    def inline(match: re.Match) -> str:
        photo = photos.get(html.unescape(match.group(2)))
        rendition = photo.largest() if photo else None
        return f'<img{match.group(1)} src="{links.url(rendition.path)}"' if rendition else match.group(0)

    # Rooted links first: the picture markup added after them is already in this page's form.
    text = _ROOTED.sub(lambda m: f'{m.group(1)}="{html.escape(links.url(html.unescape(m.group(2))))}"', doc.body_html)
    text = _FIGURE.sub(figure, text)
    return _LOCAL_IMG.sub(inline, text)


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def shift_headings(html_text: str, by: int) -> str:
    """<h2> -> <h(2+by)>, never below h6: a document's body set inside a page with headings of its own."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + by)}", html_text)


def _template_problem(exc: jinja2.TemplateError, theme: Theme, job: PageJob) -> Problem:
    path, line = theme.locate(exc)
    detail = getattr(exc, "message", None) or str(exc)
    return Problem(path, line, "template_error", {"detail": detail, "page": job.source or "/" + job.url})


# --- the pages of a site ---------------------------------------------------------------------

def page_jobs(model: SiteModel, sources: Container[str] | None = None,
              related: tuple | None = None) -> Iterable[PageJob]:
    """Every page of the site; with `sources`, only the home page and the pages made from those
    content files (nothing is computed for the others). `related`: each case's related cases,
    as positions in model.cases (related.related_positions), if already known."""
    site = model.site
    yield PageJob("home.html", "index.html", "", "", {"featured": _featured(model), "latest": model.cases[:8]})
    if sources is not None:
        yield from _case_jobs(model, sources)
        yield from _site_jobs(model, sources)
        yield from _free_page_jobs(model, sources)
        return
    yield from _paginated("list.html", "cases/", list(model.cases), site.paginate, "", {"term": None})
    yield from _case_jobs(model, related=related)
    yield PageJob("sites.html", "sites/index.html", "sites/", "", {"groups": site_groups(model)})
    yield from _site_jobs(model)
    yield from _free_page_jobs(model)
    for taxonomy, terms in model.taxonomies.items():
        yield PageJob("terms.html", f"{taxonomy}/index.html", f"{taxonomy}/", "", {"taxonomy": taxonomy, "terms": terms})
        for term in terms:
            yield from _paginated(TAXONOMY_TEMPLATES[taxonomy], term.url, list(term.cases), site.paginate, "",
                                  {"term": term})
    yield from _booklet_jobs(model)
    if site.search.enabled:
        yield PageJob("search.html", "search/index.html", "search/", "", {})
    yield PageJob("404.html", "404.html", "404.html", "", {})
    yield PageJob("feed.xml", "feed.xml", "feed.xml", "", {"entries": model.cases[:50]})
    yield PageJob("subscribe.html", "subscribe/index.html", "subscribe/", "", {})
    yield PageJob("robots.txt", "robots.txt", "robots.txt", "", {})


def _case_jobs(model: SiteModel, sources: Container[str] | None = None,
               related: tuple | None = None) -> Iterable[PageJob]:
    index_of = RelatedIndex(model.cases) if related is None else None
    cases = model.cases
    for index, case in enumerate(cases):
        if sources is not None and case.doc.source not in sources:
            continue
        yield PageJob("case.html", f"{case.url}index.html", case.url, case.doc.source, {
            "case": case, "doc": case.doc, "model_site": model.sites_by_slug.get(case.site),
            "newer": model.cases[index - 1] if index > 0 else None,
            "older": model.cases[index + 1] if index + 1 < len(model.cases) else None,
            "related": index_of.related(case) if index_of else tuple(cases[n] for n in related[index]),
            "gallery_photos": gallery_photos(case.doc),
        })


def _site_jobs(model: SiteModel, sources: Container[str] | None = None) -> Iterable[PageJob]:
    for model_site in model.sites:
        if sources is None or model_site.doc.source in sources:
            yield PageJob("site.html", f"{model_site.url}index.html", model_site.url, model_site.doc.source,
                          {"model_site": model_site, "doc": model_site.doc, "gallery_photos": gallery_photos(model_site.doc),
                           "cases": model.cases_by_site.get(model_site.slug, ())})


def _free_page_jobs(model: SiteModel, sources: Container[str] | None = None) -> Iterable[PageJob]:
    for page in model.pages:
        if sources is None or page.doc.source in sources:
            yield PageJob("page.html", f"{page.url}index.html", page.url, page.doc.source,
                          {"page": page, "doc": page.doc, "gallery_photos": gallery_photos(page.doc)})


def site_groups(model: SiteModel) -> tuple[tuple[str, tuple[ModelSite, ...]], ...]:
    """The model sites by kind, the kinds in the order of site.yaml's `sites: kinds:` (a kind
    not declared there, which the build has reported, last); inside a kind, in the sites' order."""
    kinds = model.site.sites.kinds
    by_kind: dict[str, list[ModelSite]] = {}
    for model_site in model.sites:
        by_kind.setdefault(model_site.kind, []).append(model_site)
    order = sorted(by_kind, key=lambda kind: (kinds.index(kind) if kind in kinds else len(kinds), kind))
    return tuple((kind, tuple(by_kind[kind])) for kind in order)

def _booklet_jobs(model: SiteModel) -> Iterable[PageJob]:
    """/booklet/: the printable case collection of the whole site, and /booklet/<group>/ each
    group's. Above BOOKLET_WHOLE_LIMIT cases /booklet/ is the cover and the contents, linking to
    the groups' pages: a page of every case would be megabytes that no one prints from a browser."""
    booklet = make_booklet(model)
    # Only cases that have a gallery: the template takes () for the others, and every booklet
    # page's key reads this (5,000 empty entries cost 30 ms a build).
    galleries = {case.slug: photos for case in booklet.cases if (photos := gallery_photos(case.doc))}
    whole = len(booklet.cases) <= BOOKLET_WHOLE_LIMIT
    parts = ("cover", "front", "body", "back")
    # The groups' cases as views (render.trace): a page counts each case by what it reads of it,
    # so that the contents (titles) are not made again when only a case's body changed.
    booklet = dataclasses.replace(booklet, groups=tuple(dataclasses.replace(group, cases=viewed(group.cases))
                                                        for group in booklet.groups))
    common = {"booklet": booklet, "mode": "site", "parts": parts, "group": None, "toc_pages": None,
              "galleries": galleries, "print_photos": {}, "in_groups": False}
    yield PageJob(BOOKLET_TEMPLATE, "booklet/index.html", "booklet/", "",
                  common if whole else {**common, "parts": ("cover", "front"), "in_groups": True})
    for group in booklet.groups:
        url = f"booklet/{group.slug}/"
        yield PageJob(BOOKLET_TEMPLATE, f"{url}index.html", url, "",
                      {**common, "booklet": dataclasses.replace(booklet, groups=(group,)), "group": group})


def _featured(model: SiteModel) -> tuple[Case, ...]:
    featured = [c for c in model.cases if c.featured]
    return tuple(sorted(featured, key=lambda c: (c.doc.weight, -c.date.toordinal(), c.title)))[:6]


def _paginated(template: str, url: str, cases: list[Case], per_page: int, source: str,
               extra: dict[str, Any]) -> Iterable[PageJob]:
    total = max(1, -(-len(cases) // per_page))
    # A tuple, shared by the pages of the list: the Digester keeps its digest (store.digest).
    urls = (url, *(f"{url}page/{n}/" for n in range(2, total + 1)))
    for number in range(1, total + 1):
        pager = {"number": number, "total": total, "urls": urls,
                 "prev": urls[number - 2] if number > 1 else None,
                 "next": urls[number] if number < total else None}
        yield PageJob(template, f"{urls[number - 1]}index.html", urls[number - 1], source,
                      {**extra, "cases": cases[(number - 1) * per_page: number * per_page],
                       "all_count": len(cases), "pager": pager})


def gallery_photos(doc: Document) -> tuple[Photo, ...]:
    """The photos not already shown in the body, in front matter order, then file names."""
    if not doc.photos:
        return ()
    in_body = set(html.unescape(name) for name in _FIGURE_NAMES.findall(doc.body_html))
    return tuple(p for p in doc.photos if p.name not in in_body and p.renditions)


_FIGURE_NAMES = re.compile(r'<figure class="figure" data-photo="([^"]*)">')


def related_cases(case: Case, model: SiteModel, limit: int = 4) -> tuple[Case, ...]:
    """Same model site first, then most shared tags, then newest (see builder.render.related).
    For one case; page_jobs builds the index once for all of them."""
    return RelatedIndex(model.cases).related(case, limit)


def sitemap_entries(jobs: list[PageJob]) -> list[tuple[str, dt.date | None]]:
    """Every HTML page but the 404 page, with the case date where a page is a case."""
    entries = []
    for job in jobs:
        if job.path.endswith(".html") and job.template != "404.html":
            case = job.vars.get("case")
            entries.append((job.url, case.date if case else None))
    return entries
