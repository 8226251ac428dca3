"""The desk as the preview server sees it: its routes, the 编辑 link it adds to previewed pages,
and what it learns from each good build.

    desk = Desk(root, lang, bind_host)
    serve(root, options, report, desk=desk)      # preview/server.py mounts desk.routes()
"""
from __future__ import annotations

import html
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from builder import i18n
from builder.config import load_config
from builder.desk import handlers
from builder.desk.guard import Guard
from builder.desk.service import Service
from builder.model import SiteModel
from builder.render.theme import load_theme

PREFIX = handlers.PREFIX


class Desk:
    def __init__(self, root: Path, lang: str, bind_host: str):
        self.lang = i18n.language(lang)
        self.service = Service(root, self.lang)
        self.guard = Guard(bind_host)
        self.pool = ThreadPoolExecutor(max_workers=6, thread_name_prefix="showcase-desk")

    @property
    def access_code(self) -> str | None:
        return self.guard.code

    def routes(self) -> list[tuple]:
        return handlers.routes(self)

    def built(self, model: SiteModel) -> None:
        self.service.built(model)

    def page_extra(self, rel: str) -> str:
        """The 编辑 link for a previewed page: to the form of the case, model site or page it
        shows, or to the desk's lists. Added to the page as it is served, never written into
        a build's output."""
        ref = self.service.page_ref(rel)
        if ref is not None:
            href, label = f"{PREFIX}{ref.kind}/{quote(ref.name, safe='')}", i18n.text("desk_edit_link", self.lang)
        else:
            href, label = PREFIX, i18n.text("desk_desk_link", self.lang)
        style = ("position:fixed;right:16px;bottom:16px;z-index:2147483647;padding:10px 18px;border-radius:24px;"
                 "background:#a40000;color:#fff;font:600 16px/1.2 system-ui,sans-serif;text-decoration:none;"
                 "box-shadow:0 2px 8px rgba(0,0,0,.3)")
        return f'<a id="showcase-edit" href="{html.escape(href)}" style="{style}">{html.escape(label)}</a>'

    def shell(self) -> str:
        """The desk's page: its words, in the chosen language, and the token for its writes."""
        strings = {code: entry["message"] for code, entry in i18n.catalogue(self.lang).items() if code.startswith(("desk_", "label_desk_"))}
        label = load_config(self.service.root)[0].sites.label
        if label and self.lang == "zh":      # the site's own word for its model sites (site.yaml `sites: label:`)
            word = i18n.text("desk_site_word", self.lang)
            strings = {code: text.replace(word, label) for code, text in strings.items()}
        data = json.dumps({"strings": strings, "token": self.guard.token, "lang": self.lang,
                           "needs_code": self.guard.code is not None, "prefix": PREFIX},
                          ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        lang = "zh-CN" if self.lang == "zh" else "en"
        title = html.escape(i18n.text("desk_title", self.lang))
        return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<title>{title}</title>\n<link rel="stylesheet" href="{PREFIX}static/desk.css">\n'
                f'<script id="desk-data" type="application/json">{data}</script>\n'
                + "".join(f'<script src="{PREFIX}static/{name}" defer></script>\n'
                          for name in handlers.STATIC_FILES if name.endswith(".js"))
                + '</head>\n<body>\n<div id="desk"></div>\n</body>\n</html>\n')

    def theme_css(self) -> bytes:
        """The site theme's style sheet, for the body's preview beside the editor."""
        root = self.service.root
        site, _ = load_config(root)
        theme, _ = load_theme(root, site.theme)
        if theme is None:
            return b""
        for name, path in theme.static_files():
            if name == "style.css":
                return path.read_bytes()
        return b""

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
