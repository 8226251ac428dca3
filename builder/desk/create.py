"""New cases, model sites and pages from the desk, made by the same code as `showcase new`
(editors.newcase): the standard template, a folder name from the title, nothing overwritten.
A case needs a title, a model site (an existing one, or a new one made with it) and a category;
the form opens on it at once, as a draft."""
from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.config import load_config
from builder.editors import newcase
from builder.slugs import slugify
from builder.yamlio.text import quoted

if TYPE_CHECKING:
    from builder.desk.service import Answer, Service

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _text(sent: dict, key: str) -> str:
    value = sent.get(key, "")
    return value.strip() if isinstance(value, str) and len(value) < 500 else ""


def create(service: Service, kind: str, sent: Any) -> Answer:
    from builder.desk.service import Answer, _problem_json
    if not isinstance(sent, dict):
        return service.refused(400, "desk_bad_request")
    root = service.root
    sites = newcase.model_sites(root)
    site, _ = load_config(root)
    kinds = site.sites.kinds
    if kind == "case":
        new_site = None
        if isinstance(sent.get("new_site"), dict):
            new_site, problems = newcase.site_from_options(_text(sent["new_site"], "title"), _text(sent["new_site"], "kind"),
                                                           _text(sent["new_site"], "town"), None, sites, kinds)
            if new_site is None:
                return Answer(400, {"message": service.text("desk_create_refused"),
                                    "problems": [_problem_json(p, service.lang) for p in problems]})
            sites = sites + [newcase.SiteChoice("-", new_site.title, new_site.town)]
        site_value = new_site.title if new_site else _text(sent, "site")
        case, problems = newcase.case_from_options(site, sites, _text(sent, "title"), site_value,
                                                   _text(sent, "category"), (), None, None, dt.date.today())
        if case is None:
            return Answer(400, {"message": service.text("desk_create_refused"),
                                "problems": [_problem_json(p, service.lang) for p in problems]})
        if new_site is not None:
            import dataclasses
            case = dataclasses.replace(case, new_site=new_site, site_title=new_site.title)
        made, problems = newcase.create_case(root, case, sites)
    elif kind == "site":
        new, problems = newcase.site_from_options(_text(sent, "title"), _text(sent, "kind"), _text(sent, "town"), None, sites, kinds)
        made, more = newcase.create_site(root, new) if new is not None else (None, [])
        problems = problems + more
    elif kind == "page":
        made, problems = _create_page(root, _text(sent, "title"))
    else:
        return service.refused(404, "desk_not_found")
    if made is None:
        return Answer(400, {"message": service.text("desk_create_refused"),
                            "problems": [_problem_json(p, service.lang) for p in problems]})
    return Answer(200, {"kind": kind, "name": made.folder.name})


def _create_page(root: Path, title: str) -> tuple[Any, list]:
    from builder.errors import Problem
    if not title:
        return None, [Problem("", None, "new_missing_options", {"options": "title"})]
    slug = newcase.free_slug(slugify(title) or "page", newcase.taken_slugs(root, "pages") |
                             {p.stem for p in (root / "content" / "pages").glob("*.md")})
    template = string.Template((TEMPLATES / "new-page.md").read_text(encoding="utf-8"))
    folder = root / "content" / "pages" / slug
    path, problems = newcase._write_new(root, folder, template.substitute(title=quoted(title)))
    return (newcase.Created(path=path, folder=folder) if path else None), problems
