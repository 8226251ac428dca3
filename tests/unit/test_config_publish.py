"""site.yaml `publish: targets:`: every kind read and checked, all problems at once, each with its
line; a password or key written there refused with the environment variable to use instead."""
from __future__ import annotations

import pytest

from builder.config import parse_config, secret_variables

HEAD = "title: t\ncategories: [a]\npublish:\n  targets:\n"


def codes(problems):
    return [p.code for p in problems]


def test_every_kind_of_target_is_read_with_its_fields():
    site, problems = parse_config(HEAD + """\
    - {name: usb, type: folder, path: "E:/案例库", relative: true}
    - {name: handover, type: zip, path: D:/交付, filename: 河津案例库}
    - {name: server, type: sftp, host: www.hejin.gov.cn, port: 2222, user: web, path: /var/www/showcase,
       host_key: "SHA256:71Hq54Lo+GnVNscT5f7kDmV6fotk7FM3zXb4VMbh8SU"}
    - {name: ftp, type: ftp, host: 10.0.0.5, user: web, path: /htdocs, tls: true, ca_cert: certs/server.pem}
    - {name: oss, type: s3, endpoint: "https://oss-cn-beijing.aliyuncs.com/", bucket: hejin, prefix: /showcase/,
       region: oss-cn-beijing, url: "https://hejin.oss-cn-beijing.aliyuncs.com/showcase"}
""")
    assert problems == []
    usb, handover, server, ftp, oss = site.publish.targets
    assert (usb.kind, usb.path, usb.relative) == ("folder", "E:/案例库", True)
    assert (handover.filename, handover.line) == ("河津案例库", 6)
    assert (server.port, server.host_key[:7], server.user) == (2222, "SHA256:", "web")
    assert (ftp.tls, ftp.ca_cert, ftp.port) == (True, "certs/server.pem", 0)
    assert (oss.endpoint, oss.prefix, oss.addressing) == ("https://oss-cn-beijing.aliyuncs.com", "showcase", "virtual")
    assert oss.url == "https://hejin.oss-cn-beijing.aliyuncs.com/showcase/"


def test_secrets_come_from_variables_named_after_the_target():
    site, _ = parse_config(HEAD + """\
    - {name: my-server, type: sftp, host: h, user: u, path: /w}
    - {name: keyed, type: sftp, host: h, user: u, path: /w, key: id_ed25519}
    - {name: oss, type: s3, endpoint: "https://x.cn", bucket: b}
    - {name: usb, type: folder, path: E:/}
""")
    assert [secret_variables(t) for t in site.publish.targets] == [
        ("SHOWCASE_MY_SERVER_PASSWORD",), ("SHOWCASE_KEYED_PASSPHRASE",),
        ("SHOWCASE_OSS_ACCESS_KEY", "SHOWCASE_OSS_SECRET_KEY"), ()]


@pytest.mark.parametrize("key", ["password", "Password", "secret_key", "access_key_id", "passphrase"])
def test_a_secret_in_site_yaml_is_refused_naming_the_variable_to_use(key):
    site, problems = parse_config(HEAD + f"    - name: server\n      type: ftp\n      host: h\n      user: u\n"
                                         f"      path: /w\n      {key}: hunter2\n")
    assert codes(problems) == ["publish_secret_in_config"]
    assert problems[0].line == 10
    assert "SHOWCASE_SERVER_PASSWORD" in problems[0].hint("zh") and "hunter2" not in problems[0].format("zh")
    assert "hunter2" not in repr(site.publish.targets)  # the model has no place for it; the error stops every command


def test_all_target_problems_are_reported_together_with_their_lines():
    _, problems = parse_config(HEAD + """\
    - {name: 服务器, type: sftp, host: h, user: u, path: /w}
    - {name: usb, type: folderr, path: E:/}
    - {name: box, type: s3, bucket: b, endpoint: "oss-cn-beijing.aliyuncs.com", addressing: host}
    - {name: box, type: ftp, host: h, user: u, path: /w, port: 70000, host_key: x}
    - {name: ssh, type: sftp, host_key: "ab:cd", path: /w}
""")
    found = sorted((p.line, p.code) for p in problems)
    assert found == [(5, "publish_bad_name"), (6, "bad_choice"), (7, "bad_choice"), (7, "bad_url"),
                     (8, "duplicate_name"), (8, "number_range"), (8, "unknown_key"), (9, "missing_key"),
                     (9, "missing_key"), (9, "publish_bad_host_key")]
    named = next(p for p in problems if p.code == "publish_bad_name")
    assert "例如“fuwuqi”" in named.message("zh")
    typo = next(p for p in problems if p.code == "bad_choice" and p.line == 6)
    assert "是不是“folder”" in typo.message("zh")
