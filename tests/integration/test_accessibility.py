"""WCAG 2.1 A/AA checks with axe-core in real Chromium on the sample site's kinds of page.

axe-core comes from the npm registry (`.ci/run` installs it into tests/.node/); it is injected
into the page under test only, never shipped with the site."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SAMPLE_PAGES as PAGES

pytestmark = pytest.mark.browser

AXE = Path(os.environ.get("SHOWCASE_AXE", Path(__file__).resolve().parent.parent / ".node/node_modules/axe-core/axe.min.js"))


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core missing at {AXE}: .ci/run must install it")
        pytest.skip(f"ACCESSIBILITY TESTS SKIPPED: axe-core not found at {AXE} (npm install --prefix tests/.node axe-core@4)")
    return AXE


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_pages_have_no_wcag_a_or_aa_violations(page, served, axe_script, path, large):
    page.goto(served + path)
    if large:
        page.locator(".a11y-toggle").click()
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
    }""")
    assert result == []
