"""One message catalogue per language: every sentence showcase says to a person.

zh.yaml and en.yaml map a message code to its text, or to `{message: …, hint: …}` where the hint
says what to do about it. Code never holds a sentence: it names a code and passes neutral values
(numbers, paths, names, lists, and Phrase: another entry, said in the same language). Imports
nothing of builder; everything else may import it.

Placeholders are str.format fields with names, plus two forms of our own in the format spec:

    {count:# problem|# problems}   a plural choice: the first form when the value is 1, else the
                                   second; '#' stands for the value. Chinese has no plural forms
                                   and writes "{count} 个问题".
    {suggestion:? — did you mean '#'?}
                                   the text, with '#' for the value, or nothing at all when the
                                   value is empty (None, '', an empty list) or not given.

A list is joined the language's way ("农村、社区" / "农村, 社区"); a long one is cut after
LIST_LIMIT names and says how many there are. Why a plain YAML file per language rather than
gettext: two languages, written by the developers themselves, plural forms that need one line of
code, and no compile step or extra tool in the way of a maintainer who edits a sentence.
"""
from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

LANGUAGES = ("zh", "en")
LIST_LIMIT = 12
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Phrase:
    """A neutral value that is itself a message: said in the language of the sentence it is in."""
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def language(tag: str | None) -> str:
    """'zh', 'zh-CN', 'en', 'en-GB' … -> 'zh' or 'en' (Chinese unless English is asked for)."""
    return "en" if (tag or "").lower().startswith("en") else "zh"


def text(code: str, lang: str = "zh", /, **params: Any) -> str:
    """The message `code` in `lang`, its placeholders filled."""
    return _fill(_entry(code, lang)["message"], lang, params)


def hint(code: str, lang: str = "zh", /, **params: Any) -> str:
    """What to do about message `code`, in `lang` ('' when the entry has no hint)."""
    template = _entry(code, lang).get("hint", "")
    return _fill(template, lang, params) if template else ""


def has(code: str) -> bool:
    return code in catalogue("zh")


def _entry(code: str, lang: str) -> dict[str, str]:
    try:
        return catalogue(language(lang))[code]
    except KeyError:
        raise KeyError(f"unknown message code {code!r}") from None


@functools.cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """code -> {'message': …, 'hint': …} for one language. Cached for the process: the files are
    read-only data of the installed package, the same for every site, build and test."""
    with open(_HERE / f"{lang}.yaml", encoding="utf-8") as file:
        raw = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {code: ({"message": entry} if isinstance(entry, str) else entry) for code, entry in raw.items()}


def placeholders(template: str) -> set[str]:
    """The names of the fields of a template (for the tests that compare languages)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _fill(template: str, lang: str, params: Mapping[str, Any]) -> str:
    return _Formatter(language(lang)).vformat(template, (), params)


_MISSING = object()


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(key, _MISSING) if isinstance(key, str) else super().get_value(key, args, kwargs)

    def format_field(self, value: Any, spec: str) -> str:
        if value is _MISSING:
            if spec.startswith("?"):        # an optional part nobody filled: left out
                return ""
            raise KeyError("a message was given no value for one of its placeholders")
        if spec.startswith("?"):
            return spec[1:].replace("#", self.say(value)) if value not in (None, "", (), []) else ""
        if "|" in spec:
            one, _, other = spec.partition("|")
            return (one if value == 1 else other).replace("#", self.say(value))
        return format(value, spec) if spec else self.say(value)

    def say(self, value: Any) -> str:
        if isinstance(value, Phrase):
            return text(value.code, self.lang, **value.params)
        if isinstance(value, (list, tuple)):
            return self.listing(value)
        return str(value)

    def listing(self, values: list | tuple) -> str:
        if not values:
            return text("list_none", self.lang)
        shown = text("list_separator", self.lang).join(self.say(v) for v in values[:LIST_LIMIT])
        return text("list_more", self.lang, shown=shown, count=len(values)) if len(values) > LIST_LIMIT else shown
