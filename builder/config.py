"""Stage 1: site.yaml -> Site. Every field is checked; all problems are collected."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

from builder.errors import Problem
from builder.i18n import Phrase
from builder.yamlio.fields import FieldReader, choice_params, describe, suggestion_params
from builder.model import (Action, Footer, ImageSettings, NavItem, PublishSettings, ReviewSettings,
                           SearchSettings, Site)
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
             "search", "review", "publish")
# The keys of each section (docs/guide.md's appendix lists every one; a test keeps it so).
SECTION_KEYS = {
    "actions": ("name", "description", "slug"),
    "nav": ("title", "url"),
    "footer": ("organiser", "icp", "police_filing", "site_code", "text"),
    "images": ("widths", "quality", "webp_quality", "publish_originals", "publish_unlisted", "share_image"),
    "search": ("enabled",),
    "review": ("words", "stages", "min_body_chars", "max_photo_mb", "stale_days", "warnings"),
    "publish": ("require_review",),
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


def _nav(fields: FieldReader) -> tuple[NavItem, ...]:
    items = []
    for item in fields.list_of_mappings("nav", shorthand="title"):
        item.check_keys(SECTION_KEYS["nav"])
        title, url = item.str("title", required=True), item.str("url", required=True)
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
    return PublishSettings(require_review=publish.bool("require_review"))
