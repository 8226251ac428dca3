"""Stage 1: site.yaml -> Site. Every field is checked; all problems are collected."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from builder.booklet import GROUP_BY
from builder.errors import Problem
from builder.i18n import Phrase
from builder.yamlio.fields import FieldReader, choice_params, describe, read_date, suggestion_params
from builder.model import (Action, BookletSettings, Footer, ImageSettings, ModelSiteSettings, NavItem, PublishSettings,
                           PublishTarget, ReviewSettings, SearchSettings, Site)
from builder.slugs import is_slug, slugify
from builder.yamlio.source import decode_source, parse_yaml

CONFIG_FILE = "site.yaml"
LANGUAGES = ("zh-CN", "en")
# The checks whose errors a site may turn into warnings (review: warnings: [...]), and those it
# may not: placeholders, template hints and unsafe HTML never reach the public site.
TURNABLE_RULES = ("body_too_short", "word_forbidden", "link_broken", "anchor_missing", "link_unpublished",
                  "body_photo_missing", "foreign_resource", "foreign_host", "photo_too_large")
FIXED_RULES = ("placeholder_left", "hint_left", "html_tag_removed", "html_attribute_removed", "html_link_removed",
               "html_image_removed", "html_altered")
SITE_KEYS = ("title", "subtitle", "description", "base_url", "language", "theme", "categories",
             "actions", "nav", "footer", "output_dir", "relative_urls", "paginate", "images",
             "search", "review", "publish", "sites", "booklet")
# The keys of each section (docs/guide.md's appendix lists every one; a test keeps it so).
SECTION_KEYS = {
    "actions": ("name", "description", "slug"),
    "nav": ("title", "url"),
    "footer": ("organiser", "icp", "police_filing", "site_code", "text"),
    "images": ("widths", "quality", "webp_quality", "publish_originals", "publish_unlisted", "share_image"),
    "search": ("enabled",),
    "review": ("words", "stages", "min_body_chars", "max_photo_mb", "stale_days", "warnings"),
    "publish": ("require_review", "targets"),
    "sites": ("label", "kinds"),
    "booklet": ("title", "subtitle", "organiser", "preface", "group_by", "month"),
}


def load_config(root: Path) -> tuple[Site, list[Problem]]:
    """Read and check site.yaml. Always returns a usable Site (defaults where fields are bad)."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Site(title=""), [Problem(CONFIG_FILE, None, "config_missing")]
    text, problems = decode_source(path.read_bytes(), CONFIG_FILE)
    if text is None:
        return Site(title=""), problems
    return parse_config(text)


def parse_config(text: str) -> tuple[Site, list[Problem]]:
    parsed, problems = parse_yaml(text, CONFIG_FILE)
    if parsed is None:
        return Site(title=""), problems
    if parsed.value is None:
        parsed = dataclasses.replace(parsed, value={})
    if not isinstance(parsed.value, dict):
        return Site(title=""), [Problem(CONFIG_FILE, 1, "not_a_mapping", {
            "what": "site.yaml", "got": describe(parsed.value)})]
    fields = FieldReader(parsed, CONFIG_FILE, problems)
    fields.check_keys(SITE_KEYS)
    site = Site(
        title=fields.str("title", required=True),
        subtitle=fields.str("subtitle"),
        description=fields.str("description"),
        base_url=_base_url(fields),
        language=_choice(fields, "language", LANGUAGES, "zh-CN"),
        theme=fields.str("theme", "default") or "default",
        categories=_categories(fields),
        actions=_actions(fields),
        nav=_nav(fields),
        footer=_footer(fields),
        output_dir=fields.str("output_dir", "output") or "output",
        relative_urls=fields.bool("relative_urls"),
        paginate=fields.int("paginate", 20, low=1, high=1000),
        images=_images(fields),
        search=_search(fields),
        review=_review(fields),
        publish=_publish(fields),
        sites=_sites(fields),
        booklet=_booklet(fields),
    )
    return site, problems


def with_overrides(site: Site, base_url: str | None = None, relative: bool | None = None) -> tuple[Site, list[Problem]]:
    """Apply command-line settings, checked like the file's."""
    problems: list[Problem] = []
    if base_url is not None:
        normal = normalise_base_url(base_url)
        if normal is None:
            problems.append(Problem("", None, "bad_url", {"value": base_url}))
        else:
            site = dataclasses.replace(site, base_url=normal)
    if relative is not None:
        site = dataclasses.replace(site, relative_urls=relative)
    return site, problems


def normalise_base_url(value: str) -> str | None:
    """'https://x.gov.cn/show' -> 'https://x.gov.cn/show/'; '/' and '/sub/' are allowed too."""
    value = value.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            return None
    elif not value.startswith("/") or parts.netloc:
        return None
    return value if value.endswith("/") else value + "/"


def _base_url(fields: FieldReader) -> str:
    raw = fields.str("base_url", "/")
    normal = normalise_base_url(raw)
    if normal is None:
        fields.problem("base_url", "bad_url", value=raw)
        return "/"
    return normal


def _choice(fields: FieldReader, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = fields.str(key, default)
    if value not in allowed:
        fields.problem(key, "bad_choice", key=key, value=value, **choice_params(allowed),
                       **suggestion_params(value, allowed))
        return default
    return value


def _categories(fields: FieldReader) -> tuple[str, ...]:
    categories = fields.str_list("categories")
    if "categories" not in fields.mapping:
        fields.problem(None, "missing_key", key="categories")
    return categories


def _actions(fields: FieldReader) -> tuple[Action, ...]:
    actions: list[Action] = []
    for item in fields.list_of_mappings("actions", shorthand="name"):
        item.check_keys(SECTION_KEYS["actions"])
        name = item.str("name", required=True)
        slug = item.str("slug") or slugify(name)
        if name and not is_slug(slug):
            item.problem("slug", "bad_slug", value=slug)
        if name and any(a.name == name for a in actions):
            item.problem("name", "duplicate_name", key="actions", value=name)
            continue
        if name:
            actions.append(Action(name=name, description=item.str("description"), slug=slug))
    return tuple(actions)


# The site's own sections: a menu item for one of them may leave out its title, and shows the
# section's name (for /sites/, the `sites: label`) in the site's language.
SECTION_URLS = ("/", "/cases/", "/sites/", "/categories/", "/actions/", "/tags/", "/towns/", "/search/")


def _nav(fields: FieldReader) -> tuple[NavItem, ...]:
    items = []
    for item in fields.list_of_mappings("nav", shorthand="title"):
        item.check_keys(SECTION_KEYS["nav"])
        url = item.str("url", required=True)
        title = item.str("title", required=url not in SECTION_URLS)
        if url in SECTION_URLS and not title:
            items.append(NavItem(title="", url=url.lstrip("/")))
            continue
        if url and not url.startswith(("/", "http://", "https://")):
            item.problem("url", "bad_nav_url", value=url)
            continue
        if title and url:
            items.append(NavItem(title=title, url=url if url.startswith("http") else url.lstrip("/")))
    return tuple(items)


def _footer(fields: FieldReader) -> Footer:
    footer = fields.mapping_of("footer")
    if footer is None:
        return Footer()
    footer.check_keys(SECTION_KEYS["footer"])
    return Footer(organiser=footer.str("organiser"), icp=footer.str("icp"),
                  police_filing=footer.str("police_filing"), site_code=footer.str("site_code"),
                  text=footer.str("text"))


def _images(fields: FieldReader) -> ImageSettings:
    images = fields.mapping_of("images")
    if images is None:
        return ImageSettings()
    images.check_keys(SECTION_KEYS["images"])
    defaults = ImageSettings()          # (slots: the class attributes are descriptors, not defaults)
    widths = defaults.widths
    raw = images.raw("widths")
    if raw is not None:
        if isinstance(raw, list) and raw and all(isinstance(w, int) and not isinstance(w, bool)
                                                 and 64 <= w <= 8000 for w in raw):
            widths = tuple(sorted(set(raw)))
        else:
            images.problem("widths", "wrong_type", key="widths", expected=Phrase("type_widths"), got=str(raw),
                           example=Phrase("example_widths"))
    return ImageSettings(widths=widths,
                         quality=images.int("quality", defaults.quality, low=30, high=100),
                         webp_quality=images.int("webp_quality", defaults.webp_quality, low=30, high=100),
                         publish_originals=images.bool("publish_originals"),
                         publish_unlisted=images.bool("publish_unlisted"),
                         share_image=images.str("share_image").lstrip("/"))


def _search(fields: FieldReader) -> SearchSettings:
    search = fields.mapping_of("search")
    if search is None:
        return SearchSettings()
    search.check_keys(SECTION_KEYS["search"])
    return SearchSettings(enabled=search.bool("enabled", True))


def _review(fields: FieldReader) -> ReviewSettings:
    review = fields.mapping_of("review")
    if review is None:
        return ReviewSettings()
    review.check_keys(SECTION_KEYS["review"])
    default = ReviewSettings()
    warnings = []
    for name in review.str_list("warnings"):
        if name in TURNABLE_RULES:
            warnings.append(name)
        elif name in FIXED_RULES:
            review.problem("warnings", "rule_fixed", value=name)
        else:
            review.problem("warnings", "rule_unknown", value=name, **choice_params(TURNABLE_RULES),
                           **suggestion_params(name, TURNABLE_RULES))
    return ReviewSettings(words=review.str("words"), warnings=tuple(warnings),
                          stages=review.str_list("stages") or default.stages,
                          min_body_chars=review.int("min_body_chars", default.min_body_chars, low=0, high=100000),
                          max_photo_mb=review.number("max_photo_mb", default.max_photo_mb, 0.1, 1000),
                          stale_days=review.int("stale_days", default.stale_days, low=1, high=100000))


def _publish(fields: FieldReader) -> PublishSettings:
    publish = fields.mapping_of("publish")
    if publish is None:
        return PublishSettings()
    publish.check_keys(SECTION_KEYS["publish"])
    return PublishSettings(require_review=publish.bool("require_review"), targets=publish_targets(publish))


def _sites(fields: FieldReader) -> ModelSiteSettings:
    """`sites: {label: 典型单位, kinds: [村, 社区, …]}`: the word for model sites, their kinds in order."""
    sites = fields.mapping_of("sites")
    if sites is None:
        return ModelSiteSettings()
    sites.check_keys(SECTION_KEYS["sites"])
    kinds = sites.str_list("kinds")            # (a kind written twice is reported there)
    return ModelSiteSettings(label=sites.str("label").strip(), kinds=kinds or ModelSiteSettings().kinds)


# --- publish: targets (showcase publish; builder/publish/ does the work) ---------------------

TARGET_KINDS = ("folder", "zip", "sftp", "ftp", "s3")
TARGET_KEYS = {
    "folder": ("path", "relative"),
    "zip": ("path", "relative", "filename"),
    "sftp": ("host", "port", "user", "path", "host_key", "key"),
    "ftp": ("host", "port", "user", "path", "tls", "ca_cert"),
    "s3": ("endpoint", "bucket", "prefix", "region", "addressing"),
}
TARGET_REQUIRED = {"folder": ("path",), "zip": ("path",), "sftp": ("host", "user", "path"),
                   "ftp": ("host", "user", "path"), "s3": ("endpoint", "bucket")}
# Keys that would hold a secret: refused with the environment variable to use instead.
SECRET_KEYS = ("password", "passwd", "pass", "pwd", "passphrase", "secret", "secret_key", "secret_access_key",
               "access_key", "access_key_id", "access_key_secret", "token")
ADDRESSING = ("virtual", "path")


def secret_variables(target: PublishTarget) -> tuple[str, ...]:
    """The environment variables a target's secrets are read from: SHOWCASE_<NAME>_PASSWORD…"""
    stem = "SHOWCASE_" + target.name.upper().replace("-", "_") + "_"
    if target.kind == "s3":
        return (stem + "ACCESS_KEY", stem + "SECRET_KEY")
    if target.kind == "sftp" and target.key:
        return (stem + "PASSPHRASE",)
    if target.kind in ("sftp", "ftp"):
        return (stem + "PASSWORD",)
    return ()


def publish_targets(publish: FieldReader) -> tuple[PublishTarget, ...]:
    targets: list[PublishTarget] = []
    for item in publish.list_of_mappings("targets", shorthand="name"):
        name = item.str("name", required=True)
        if name and not is_slug(name):
            item.problem("name", "publish_bad_name", value=name, suggestion=slugify(name) if slugify(name) else None)
            name = ""
        if name and any(t.name == name for t in targets):
            item.problem("name", "duplicate_name", key="targets", value=name)
            name = ""
        kind = item.str("type", required=True)
        if kind and kind not in TARGET_KINDS:
            item.problem("type", "bad_choice", key="type", value=kind, **choice_params(TARGET_KINDS),
                         **suggestion_params(kind, TARGET_KINDS))
            kind = ""
        allowed = ("name", "type", "url") + TARGET_KEYS.get(kind, sum(TARGET_KEYS.values(), ()))
        secrets = [key for key in item.mapping if isinstance(key, str) and key.lower() in SECRET_KEYS]
        item.check_keys(allowed + tuple(secrets))
        target = _target(item, name, kind) if kind else None
        for key in secrets:
            shown = target or PublishTarget(name=name or "NAME", kind=kind or "sftp")
            item.problem(key, "publish_secret_in_config", key=key, variables=secret_variables(shown))
        if target and name:
            targets.append(target)
    return tuple(targets)


def _target(item: FieldReader, name: str, kind: str) -> PublishTarget:
    keys, required = TARGET_KEYS[kind], TARGET_REQUIRED[kind]

    def field(key: str) -> str:
        return item.str(key, required=key in required) if key in keys else ""

    url = item.str("url")
    if url and (normalise_base_url(url) is None or not url.startswith(("http://", "https://"))):
        item.problem("url", "bad_url", value=url)
        url = ""
    host_key = field("host_key")
    if host_key and not host_key.startswith(("SHA256:", "MD5:")):
        item.problem("host_key", "publish_bad_host_key", value=host_key)
        host_key = ""
    endpoint = field("endpoint")
    if endpoint and (urlsplit(endpoint).scheme not in ("http", "https") or not urlsplit(endpoint).netloc):
        item.problem("endpoint", "bad_url", value=endpoint)
    return PublishTarget(
        name=name, kind=kind, line=item.line(), url=normalise_base_url(url) if url else "",
        path=field("path"), relative=item.bool("relative") if "relative" in keys else False,
        filename=field("filename"), host=field("host"),
        port=item.int("port", 0, low=1, high=65535) if "port" in keys else 0,
        user=field("user"), host_key=host_key, key=field("key"),
        tls=item.bool("tls") if "tls" in keys else False, ca_cert=field("ca_cert"),
        endpoint=endpoint.rstrip("/"), bucket=field("bucket"), prefix=field("prefix").strip("/"),
        region=field("region"),
        addressing=_choice(item, "addressing", ADDRESSING, "virtual") if "addressing" in keys else "virtual")



# --- booklet: (showcase booklet and the /booklet/ page, issue 16) ------------------------------


def _booklet(fields: FieldReader) -> BookletSettings:
    """booklet: {title, subtitle, organiser, preface, group_by, month}. The preface page is
    looked up by `showcase booklet`, which knows the pages (config does not)."""
    booklet = fields.mapping_of("booklet")
    if booklet is None:
        return BookletSettings()
    booklet.check_keys(SECTION_KEYS["booklet"])
    return BookletSettings(title=booklet.str("title"), subtitle=booklet.str("subtitle"),
                           organiser=booklet.str("organiser"), preface=booklet.str("preface"),
                           group_by=_choice(booklet, "group_by", GROUP_BY, "category"),
                           month=_month(booklet), lines=booklet.lines())


def _month(fields: FieldReader) -> dt.date | None:
    """`month: 2026-12` (or a whole date) -> the first day of that month."""
    value = fields.raw("month")
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(value))
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    day, _ = read_date(str(value))
    if day is not None:
        return day.replace(day=1)
    fields.problem("month", "booklet_bad_month", value=value)
    return None
