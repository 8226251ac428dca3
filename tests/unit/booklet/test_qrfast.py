"""The site's quick QR codes (booklet.qrfast) are segno's own, byte for byte: every size of code
(versions 1 to 40, with and without version information and remainder bits), every mask,
addresses in byte, alphanumeric and numeric mode, and addresses with Chinese in them."""
from __future__ import annotations

import random

import pytest
import segno

from builder.booklet.qr import QUIET, qr_svg
from builder.booklet.qrfast import code_svg


def segno_svg(url: str, mask: int, error: str = "m") -> str:
    return segno.make(url, error=error, micro=False, mask=mask).svg_inline(omitsize=True, border=QUIET, svgclass="qr",
                                                                          lineclass=None)


def addresses() -> list[str]:
    rng = random.Random(12)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789-_/.:?=&%~"
    made = ["https://example.gov.cn/showcase/cases/fuxi-yehua/", "HTTPS://EXAMPLE.GOV.CN/A/", "1234567890",
            "https://example.gov.cn/showcase/cases/府西夜话/", "http://a"]
    for length in (1, 10, 20, 40, 60, 80, 100, 150, 200, 300, 500, 800, 1200, 2000, 2320):
        made.append("https://" + "".join(rng.choice(letters) for _ in range(length)))
    return made


@pytest.mark.parametrize("url", addresses(), ids=lambda url: f"{len(url)}-chars")
def test_a_quick_code_is_segnos_code_for_every_mask(url):
    for mask in range(8):
        assert code_svg(url, "m", mask, QUIET, "qr") == segno_svg(url, mask)


def test_other_error_levels_and_borders_too():
    url = "https://example.gov.cn/showcase/cases/fuxi-yehua/"
    for error in "lmqh":
        assert code_svg(url, error, 5, QUIET, "qr") == segno_svg(url, 5, error)
    assert code_svg(url, "m", 2, 2, "code") == segno.make(url, error="m", micro=False, mask=2).svg_inline(
        omitsize=True, border=2, svgclass="code", lineclass=None)


def test_the_pages_codes_are_made_the_quick_way_with_their_label():
    url = "https://example.gov.cn/showcase/cases/xizhai-cun/"
    svg = qr_svg(url, "扫码", quick=True)
    assert svg.startswith('<svg viewBox="0 0 ') and 'aria-label="扫码"' in svg
    plain = segno_svg(url, next(m for m in range(8) if code_svg(url, "m", m, QUIET, "qr") == svg.replace(
        ' role="img" aria-label="扫码"><title>扫码</title>', ">", 1)))
    assert svg == plain.replace(">", ' role="img" aria-label="扫码"><title>扫码</title>', 1)
