"""Two versions of one file, compared the way the form shows them, for the conflict dialog: the
fields whose values differ (标题: this one / that one), and the places in the text that differ,
each with the lines of both versions. The whole files, with their differing lines marked, come
along for whoever wants to see them."""
from __future__ import annotations

import difflib
from typing import Any

from builder import i18n
from builder.desk import form as forms
from builder.yamlio.edit import EditError


def compare(theirs: bytes, mine: bytes, kind: str, bundle: bool, lang: str) -> dict[str, Any]:
    a = theirs.decode("utf-8", "replace").splitlines()
    b = mine.decode("utf-8", "replace").splitlines()
    changed_a, changed_b = set(), set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed_a.update(range(i1, i2))
            changed_b.update(range(j1, j2))
    out: dict[str, Any] = {"theirs": a, "mine": b, "theirs_changed": sorted(changed_a), "mine_changed": sorted(changed_b),
                           "fields": [], "body": []}
    try:
        old, new = forms.load(theirs, kind, bundle), forms.load(mine, kind, bundle)
    except EditError:
        return out
    for f in forms.fields(kind, bundle):
        if old.values.get(f.name) != new.values.get(f.name) or old.locked.get(f.name) != new.locked.get(f.name):
            out["fields"].append({"field": f.name, "theirs": _shown(old.values.get(f.name), lang),
                                  "mine": _shown(new.values.get(f.name), lang)})
    x, y = old.body.split("\n"), new.body.split("\n")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes():
        if tag != "equal":
            out["body"].append({"line": j1 + 1, "theirs": "\n".join(x[i1:i2]), "mine": "\n".join(y[j1:j2])})
    return out


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return i18n.text("desk_yes" if value else "desk_no", lang)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "\n".join(p["src"] + (f" ({p['caption']})" if p.get("caption") else "") for p in value)
    if isinstance(value, list):
        return i18n.text("label_desk_list_separator", lang).join(value)
    return "" if value is None else str(value)
