"""One document in, one draft case out (or the problems that stopped it): read the file
(converting a .doc/.wps with LibreOffice when asked), read the document, settle the front matter
(options first, then what the document says, then a person's answer in a terminal), write the
case. The command line prints the Outcome; this module prints nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem
from builder.i18n import Phrase
from builder.importer import convert, questions
from builder.importer.document import Reading, read_document
from builder.importer.draft import Draft, write_draft
from builder.importer.guess import KnownSite, guess_category, guess_date, guess_site, guess_summary
from builder.importer.word import Unreadable
from builder.editors.prompts import Conversation
from builder.model import Site
from builder.yamlio.fields import choice_params


@dataclass(frozen=True, slots=True)
class Options:
    site: str | None = None
    category: str | None = None
    date: dt.date | None = None
    slug: str | None = None
    convert: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    shown: str                                  # the document, as the person named it
    index: Path | None = None                   # the new case's index.md
    draft: Draft | None = None
    guesses: tuple[tuple[str, object, Phrase | None], ...] = ()     # (message code, value, where it came from)
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()


def import_file(root: Path, path: Path, site: Site, sites: list[KnownSite], options: Options, today: dt.date,
                talk: Conversation | None = None) -> Outcome:
    shown = str(path)
    data, problem = _document_bytes(path, shown, options.convert)
    if problem is not None:
        return Outcome(shown, problems=(problem,))
    try:
        reading = read_document(data, shown, path.stem.strip() or path.name)
    except Unreadable as unreadable:
        code = unreadable.code
        if code == "import_not_word" and path.suffix.lower() in convert.OLD_SUFFIXES:
            code = "import_old_format"          # a .doc or .wps of a kind not recognised by its bytes
        return Outcome(shown, problems=(_unreadable(shown, code),))
    known, site_origin, problems = _settle_site(shown, reading, sites, options, talk)
    category, category_origin, found = _settle_category(shown, reading, site, known, options, talk)
    problems += found
    if known is None or category is None or problems:
        return Outcome(shown, warnings=reading.warnings, problems=tuple(problems))
    date = guess_date(reading.layout, today)
    when, date_origin = (options.date, "import_from_option") if options.date else (date.value, date.origin)
    draft = Draft(title=reading.title, site=known.choice.slug, site_title=known.choice.title, category=category,
                  date=when, body=reading.body, photos=reading.photos, summary=guess_summary(reading.layout),
                  source=reading.layout.source, unit=reading.layout.unit)
    folder = root / "content" / "cases" / options.slug if options.slug else None
    index, problems = write_draft(root, draft, folder)
    if index is None:
        return Outcome(shown, warnings=reading.warnings, problems=tuple(problems))
    site_value = Phrase("import_site_value", {"title": known.choice.title, "slug": known.choice.slug})
    guesses = [("import_guess_title", draft.title, Phrase(reading.title_from)),
               ("import_guess_site", site_value, Phrase(site_origin)),
               ("import_guess_category", category, category_origin),
               ("import_guess_date", when.isoformat(), Phrase(date_origin))]
    if draft.source:
        guesses.append(("import_guess_source", draft.source, Phrase("import_from_source_line")))
    if draft.unit:
        guesses.append(("import_guess_unit", draft.unit, Phrase("import_from_unit_line")))
    if draft.summary:
        guesses.append(("import_guess_summary", draft.summary, Phrase("import_from_first_paragraph")))
    return Outcome(shown, index, draft, tuple(guesses), reading.warnings)


def _settle_site(shown: str, reading: Reading, sites: list[KnownSite], options: Options,
                 talk: Conversation | None) -> tuple[KnownSite | None, str, list[Problem]]:
    """The model site: --site (checked by the command), the one the document names, or asked."""
    if not sites:
        return None, "", [Problem(shown, None, "import_no_sites")]
    known, named, origin = guess_site(options.site, reading.layout, sites)
    if known is not None:
        return known, "import_from_option" if options.site else origin, []
    if talk is not None:
        return questions.ask_site(talk, reading.title, named, sites), "import_from_answer", []
    slugs = [s.choice.slug for s in sites]
    return None, "", [Problem(shown, None, "import_site_unclear", {"named": [s.choice.title for s in named] or None,
                                                                  "example": slugs[0], **choice_params(slugs)})]


def _settle_category(shown: str, reading: Reading, site: Site, known: KnownSite | None, options: Options,
                     talk: Conversation | None) -> tuple[str | None, Phrase | None, list[Problem]]:
    """The category: --category (checked by the command), the one the model site's kind names, or asked."""
    if known is None and not options.category:
        return None, None, []                   # the site's problem is said; the category follows from it
    guessed = guess_category(options.category, site, known)
    if guessed is not None:
        origin = Phrase(guessed.origin, {"kind": known.kind if known else ""}) if guessed.origin else Phrase("import_from_option")
        return str(guessed.value), origin, []
    if talk is not None and site.categories:
        return questions.ask_category(talk, reading.title, site.categories), Phrase("import_from_answer"), []
    return None, None, [Problem(shown, None, "import_category_unclear", choice_params(site.categories))]


def _document_bytes(path: Path, shown: str, convert_old: bool) -> tuple[bytes, Problem | None]:
    if not path.is_file():
        return b"", Problem(shown, None, "import_no_such_file", {"path": shown})
    try:
        data = path.read_bytes()
    except OSError as exc:
        return b"", Problem(shown, None, "import_cannot_read", {"reason": exc.strerror or type(exc).__name__})
    if not convert_old or path.suffix.lower() not in convert.OLD_SUFFIXES or data.startswith(b"PK"):
        return data, None
    soffice = convert.find_soffice()
    if soffice is None:
        return b"", Problem(shown, None, "import_no_soffice")
    made = convert.convert_to_docx(path, soffice)
    if made is None:
        return b"", Problem(shown, None, "import_convert_failed")
    return made, None


def _unreadable(shown: str, code: str) -> Problem:
    params = {"soffice": True if convert.find_soffice() else None} if code == "import_old_format" else {}
    return Problem(shown, None, code, params)
