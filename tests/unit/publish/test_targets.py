"""Choosing a target, what secrets it still needs, where a folder target is, and what each
file is served as."""
from __future__ import annotations


import pytest

from builder.config import parse_config
from builder.publish.target import ASK_EACH_TIME, KEEP_A_YEAR, cache_control, content_type
from builder.publish.targets import check_local_folder, choose, local_folder, missing_secrets, public_url

SITE = """title: t
categories: [a]
base_url: https://www.hejin.gov.cn/showcase/
publish:
  targets:
    - {name: server, type: sftp, host: h, user: u, path: /w}
    - {name: usb, type: folder, path: ../usb}
    - {name: oss, type: s3, endpoint: "https://oss.example.cn", bucket: b, url: "https://cdn.example.cn/"}
"""


@pytest.fixture
def site():
    parsed, problems = parse_config(SITE)
    assert problems == []
    return parsed


def test_the_first_target_is_the_default_and_others_are_found_by_name(site):
    assert choose(site, None).name == "server"
    assert choose(site, "oss").kind == "s3"
    wrong = choose(site, "sever")
    assert wrong.code == "publish_unknown_target" and wrong.params["suggestion"] == "server"


def test_only_the_secrets_not_in_the_environment_are_missing(site):
    server, usb, oss = site.publish.targets
    assert missing_secrets(server, {}) == ["SHOWCASE_SERVER_PASSWORD"]
    assert missing_secrets(server, {"SHOWCASE_SERVER_PASSWORD": "x"}) == []
    assert missing_secrets(oss, {"SHOWCASE_OSS_ACCESS_KEY": "a"}) == ["SHOWCASE_OSS_SECRET_KEY"]
    assert missing_secrets(usb, {}) == []


def test_a_folder_target_is_found_from_the_site_and_may_not_be_its_own_folders(site, tmp_path):
    usb = site.publish.targets[1]
    root = tmp_path / "site"
    assert local_folder(usb, root) == (tmp_path / "usb").resolve()
    assert check_local_folder(usb, root, root / "output") is None
    for inside in ("output", "output/x", ".", "content/cases", ".cache/x"):
        bad = type(usb)(name="usb", kind="folder", path=inside)
        assert check_local_folder(bad, root, root / "output").code == "publish_folder_is_site", inside


def test_the_public_address_is_the_targets_url_else_a_full_base_url(site):
    server, usb, oss = site.publish.targets
    assert public_url(server, site) == "https://www.hejin.gov.cn/showcase/"
    assert public_url(oss, site) == "https://cdn.example.cn/"
    assert public_url(usb, site) == ""


@pytest.mark.parametrize("name, served_as", [
    ("index.html", "text/html; charset=utf-8"), ("static/site.1a.js", "text/javascript; charset=utf-8"),
    ("static/style.1a.css", "text/css; charset=utf-8"), ("cases/a/p-480w.1a.webp", "image/webp"),
    ("cases/a/p.JPG", "image/jpeg"), ("feed.xml", "application/xml; charset=utf-8"),
    ("static/favicon.svg", "image/svg+xml"), ("robots.txt", "text/plain; charset=utf-8"),
])
def test_each_file_is_stored_with_the_type_a_browser_needs(name, served_as):
    assert content_type(name) == served_as


@pytest.mark.parametrize("name, kept", [
    ("static/style.59b517add2.css", KEEP_A_YEAR), ("static/search.c99fb20a2b.js", KEEP_A_YEAR),
    ("cases/a/photo-1-480w.ae06bebb54.webp", KEEP_A_YEAR), ("cases/a/photo-1-share.7497e5b18a.jpg", KEEP_A_YEAR),
    ("index.html", ASK_EACH_TIME), ("cases/a/index.html", ASK_EACH_TIME), ("search/manifest.js", ASK_EACH_TIME),
    ("search/h/670d-52a1.js", ASK_EACH_TIME), ("static/favicon.svg", ASK_EACH_TIME), ("feed.xml", ASK_EACH_TIME),
    ("static/share-default.jpg", ASK_EACH_TIME), ("cases/a/photo.jpg", ASK_EACH_TIME),
    ("static/logo.59B517ADD2.png", ASK_EACH_TIME),          # not a fingerprint the build writes
])
def test_only_files_named_by_their_content_are_kept_by_browsers_without_asking(name, kept):
    assert cache_control(name) == kept


def test_a_key_file_says_itself_whether_it_has_a_passphrase(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
    from builder.publish.targets import key_is_encrypted
    ed, rs = ed25519.Ed25519PrivateKey.generate(), rsa.generate_private_key(public_exponent=65537, key_size=2048)
    locked, none = serialization.BestAvailableEncryption(b"pw"), serialization.NoEncryption()
    Encoding, Format = serialization.Encoding, serialization.PrivateFormat
    files = {
        "openssh-locked": (ed.private_bytes(Encoding.PEM, Format.OpenSSH, locked), True),
        "openssh-plain": (ed.private_bytes(Encoding.PEM, Format.OpenSSH, none), False),
        "pkcs8-locked": (rs.private_bytes(Encoding.PEM, Format.PKCS8, locked), True),
        "pkcs8-plain": (rs.private_bytes(Encoding.PEM, Format.PKCS8, none), False),
        "traditional-locked": (rs.private_bytes(Encoding.PEM, Format.TraditionalOpenSSL, locked), True),
        "traditional-plain": (rs.private_bytes(Encoding.PEM, Format.TraditionalOpenSSL, none), False),
        "not-a-key": ("-----BEGIN OPENSSH PRIVATE KEY-----\n不是密钥\n-----END OPENSSH PRIVATE KEY-----\n".encode(), False),
        "cut-short": (b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA/////w==\n-----END", False),
    }
    for name, (data, encrypted) in files.items():
        (tmp_path / name).write_bytes(data)
        assert key_is_encrypted(tmp_path / name) is encrypted, name
    assert key_is_encrypted(tmp_path / "missing") is False
