"""From site.yaml's `publish: targets:` to a target ready to connect: which one, its secrets
(from the environment; the command line asks for what is missing), and the checks that need
the site (a folder target must not be the site's own folders)."""
from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Mapping

from builder.config import secret_variables
from builder.errors import Problem
from builder.model import PublishTarget, Site
from builder.publish.target import Target
from builder.yamlio.fields import suggestion

CONFIG_FILE = "site.yaml"


def choose(site: Site, name: str | None) -> PublishTarget | Problem:
    """The target called `name`, or the first one when no name is given."""
    targets = site.publish.targets
    if not targets:
        return Problem(CONFIG_FILE, None, "publish_no_targets")
    if name is None:
        return targets[0]
    for target in targets:
        if target.name == name:
            return target
    names = [t.name for t in targets]
    return Problem("", None, "publish_unknown_target", {"value": name, "suggestion": suggestion(name, names),
                                                         "allowed": names})


def missing_secrets(target: PublishTarget, environ: Mapping[str, str] = os.environ,
                    root: Path | None = None) -> list[str]:
    """The environment variables a target needs that are not set. A key file (`key:`, relative
    to the site folder `root`) needs its passphrase only when it says it is encrypted."""
    if target.kind == "sftp" and target.key and (root is None or not key_is_encrypted(root / target.key)):
        return []
    return [name for name in secret_variables(target) if not environ.get(name)]


def key_is_encrypted(path: Path) -> bool:
    """Does the private key file ask for a passphrase? Read from the file itself, not by trying
    it (paramiko's answer to a missing passphrase differs from version to version): an OpenSSH
    key names its cipher ('none' when it has no passphrase), a PEM key says ENCRYPTED. A file
    that cannot be read as either is not: connecting says what is wrong with it."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    if "-----BEGIN OPENSSH PRIVATE KEY-----" in text:
        body = text.split("-----BEGIN OPENSSH PRIVATE KEY-----", 1)[1].split("-----END", 1)[0]
        try:
            blob = base64.b64decode("".join(body.split()))
        except ValueError:
            return False
        magic = b"openssh-key-v1\0"
        if not blob.startswith(magic) or len(blob) < len(magic) + 4:
            return False
        size = int.from_bytes(blob[len(magic):len(magic) + 4], "big")
        cipher = blob[len(magic) + 4:len(magic) + 4 + size]
        # A damaged file (a cipher name cut short, or not a name) is not taken for an encrypted key.
        plain_name = cipher.replace(b"-", b"").replace(b"@", b"").replace(b".", b"")
        return 0 < size == len(cipher) <= 64 and plain_name.isalnum() and cipher != b"none"
    return "-----BEGIN ENCRYPTED PRIVATE KEY-----" in text or "Proc-Type: 4,ENCRYPTED" in text


def local_folder(target: PublishTarget, root: Path) -> Path:
    """A folder or zip target's folder: as written, or relative to the site's folder."""
    path = Path(os.path.expanduser(target.path))
    return (path if path.is_absolute() else root / path).resolve()


def check_local_folder(target: PublishTarget, root: Path, out_dir: Path) -> Problem | None:
    """A folder target may not be the output folder, hold the site, or lie inside its sources."""
    folder, root, out_dir = local_folder(target, root), root.resolve(), out_dir.resolve()
    sources = [root / name for name in ("content", "themes", "templates", "static", ".cache")]
    if (folder == out_dir or folder.is_relative_to(out_dir) or out_dir.is_relative_to(folder)
            or root.is_relative_to(folder) or any(folder.is_relative_to(s) for s in sources)):
        return Problem(CONFIG_FILE, target.line, "publish_folder_is_site", {"target": target.name, "path": str(folder)})
    return None


def open_target(target: PublishTarget, root: Path, site: Site, environ: Mapping[str, str] = os.environ) -> Target:
    """The Target for `target`, its secrets taken from `environ`. Each kind's module is imported
    only when used: paramiko and boto3 take a second to load, which no other command should pay."""
    names = secret_variables(target)
    values = [environ.get(name, "") for name in names]
    if target.kind == "folder":
        from builder.publish.folder import FolderTarget
        return FolderTarget(target, local_folder(target, root))
    if target.kind == "zip":
        from builder.publish.archive import ZipTarget, zip_stem
        return ZipTarget(target, local_folder(target, root), zip_stem(target, site.title))
    if target.kind == "sftp":
        from builder.publish.sftp import SftpTarget
        return SftpTarget(target, values[0], root)
    if target.kind == "ftp":
        from builder.publish.ftp import FtpTarget
        return FtpTarget(target, values[0], root)
    from builder.publish.s3 import S3Target
    return S3Target(target, values[0], values[1])


def public_url(target: PublishTarget, site: Site) -> str:
    """Where people will see what was published: the target's `url:`, else base_url when it is
    a full address; '' when neither says (a folder, a zip)."""
    if target.url:
        return target.url
    if target.kind in ("sftp", "ftp", "s3") and site.base_url.startswith(("http://", "https://")):
        return site.base_url
    return ""
