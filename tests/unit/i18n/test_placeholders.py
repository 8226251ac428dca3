"""Every message's placeholders are names ({count}, {path}); a brace meant as text is written
doubled ({{ }}), or the message cannot be shown at all (a fuzz test found '{ }' in one)."""
from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

CATALOGUES = sorted((Path(__file__).resolve().parents[3] / "builder" / "i18n").glob("*.yaml"))


def messages(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for code, entry in data.items():
        texts = entry.values() if isinstance(entry, dict) else [entry]
        for text in texts:
            if isinstance(text, str):
                yield code, text


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.name)
def test_every_placeholder_is_a_name(catalogue):
    bad = []
    for code, text in messages(catalogue):
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as exc:
            bad.append((code, str(exc)))
            continue
        bad += [(code, name) for name in fields if not name.split(".")[0].split("[")[0].isidentifier()]
    assert bad == []
