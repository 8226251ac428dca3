"""An SFTP server (paramiko): the server's identity is checked before any password is sent, each
file goes up under a temporary name and is renamed over the old one (POSIX rename where the
server offers it, as OpenSSH does)."""
from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import logging
import posixpath
import socket
import stat
from pathlib import Path

import paramiko

from builder.errors import Problem
from builder.model import PublishTarget
from builder.publish.manifest import TEMP_DIR
from builder.publish.target import NETWORK_ERRORS, PublishFailed, Target, network_problem, problem
from builder.publish.targets import key_is_encrypted

# paramiko logs each failed negotiation with a traceback; what went wrong is said as a Problem instead.
logging.getLogger("paramiko").addHandler(logging.NullHandler())
logging.getLogger("paramiko").propagate = False

KEY_TYPES = ("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")


def fingerprint(key: paramiko.PKey, kind: str = "SHA256") -> str:
    """As `ssh-keygen -l` shows it: 'SHA256:…' (or 'MD5:aa:bb:…' as older servers show it)."""
    if kind == "MD5":
        return "MD5:" + ":".join(f"{b:02x}" for b in hashlib.md5(key.asbytes()).digest())
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


class SftpTarget(Target):
    def __init__(self, settings: PublishTarget, secret: str, site_root: Path, timeout: float = 20.0,
                 known_hosts: Path | None = None):
        super().__init__(settings)
        self.secret, self.site_root, self.timeout = secret, site_root, timeout
        self.known_hosts = known_hosts if known_hosts is not None else Path.home() / ".ssh" / "known_hosts"
        self.port = settings.port or 22
        self.transport: paramiko.Transport | None = None
        self.sftp: paramiko.SFTPClient | None = None
        self.folders: set[str] = set()
        self.posix_rename = True

    @property
    def label(self) -> str:
        return f"sftp://{self.settings.user}@{self.settings.host}:{self.port}{_shown(self.settings.path)}"

    # --- connecting ---------------------------------------------------------------------------
    def _transport(self, key_type: str | None = None) -> paramiko.Transport:
        sock = socket.create_connection((self.settings.host, self.port), timeout=self.timeout)
        transport = paramiko.Transport(sock)
        if key_type:
            transport.get_security_options().key_types = [key_type]
        try:
            transport.start_client(timeout=self.timeout)
        except BaseException:
            transport.close()
            raise
        return transport

    def _verified_transport(self) -> paramiko.Transport:
        """A connection to a server whose key is the one site.yaml (or known_hosts) names; else
        PublishFailed, before anything secret is sent."""
        transport = self._transport()
        key = transport.get_remote_server_key()
        expected = self.settings.host_key or self._known_fingerprint(key)
        kind = "MD5" if expected.startswith("MD5:") else "SHA256"
        if fingerprint(key, kind) == expected:
            return transport
        transport.close()
        # A server has keys of several kinds; the one written down may not be the one offered first.
        for key_type in KEY_TYPES if expected else ():
            if key_type == key.get_name():
                continue
            try:
                other = self._transport(key_type)
            except Exception:           # noqa: BLE001 - the server has no key of this kind
                continue
            if fingerprint(other.get_remote_server_key(), kind) == expected:
                return other
            other.close()
        if not expected:
            raise PublishFailed(problem("publish_host_unknown", self, None, host=self.settings.host,
                                        fingerprint=fingerprint(key)))
        raise PublishFailed(problem("publish_host_key_changed", self, None, host=self.settings.host,
                                    expected=expected, fingerprint=fingerprint(key, kind)))

    def _known_fingerprint(self, key: paramiko.PKey) -> str:
        """The fingerprint ~/.ssh/known_hosts records for this server (of the kind offered), or ''."""
        try:
            known = paramiko.HostKeys(str(self.known_hosts)) if self.known_hosts.is_file() else paramiko.HostKeys()
        except (OSError, paramiko.SSHException):
            return ""
        name = self.settings.host if self.port == 22 else f"[{self.settings.host}]:{self.port}"
        keys = known.lookup(name) or {}
        recorded = keys.get(key.get_name())
        return fingerprint(recorded) if recorded is not None else ""

    def connect(self) -> None:
        transport = self._verified_transport()
        try:
            if self.settings.key:
                path = self.site_root / self.settings.key
                try:
                    # (positional: paramiko 5 renamed the argument from passphrase to password)
                    pkey = paramiko.PKey.from_path(path, self.secret.encode() if self.secret else None)
                except (OSError, paramiko.SSHException, ValueError, TypeError) as exc:
                    # paramiko's own words for a missing or wrong passphrase vary by version (and
                    # are English): the key file itself says whether it has one.
                    if key_is_encrypted(path):
                        code = "publish_key_passphrase_wrong" if self.secret else "publish_key_needs_passphrase"
                        raise PublishFailed(problem(code, self, None, path=str(path))) from exc
                    raise PublishFailed(problem("publish_key_unreadable", self, None, path=str(path),
                                                detail=str(exc) or type(exc).__name__)) from exc
                transport.auth_publickey(self.settings.user, pkey)
            else:
                transport.auth_password(self.settings.user, self.secret)
            self.sftp = paramiko.SFTPClient.from_transport(transport)
            self.sftp.get_channel().settimeout(self.timeout)
        except BaseException:
            transport.close()
            raise
        self.transport = transport
        try:
            mode = self.sftp.stat(self._remote("")).st_mode
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                raise PublishFailed(problem("publish_remote_folder_missing", self, None, path=self.settings.path)) from exc
            raise
        if mode is not None and not stat.S_ISDIR(mode):
            raise PublishFailed(problem("publish_remote_folder_missing", self, None, path=self.settings.path))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.sftp is not None:
                self.sftp.close()
        with contextlib.suppress(Exception):
            if self.transport is not None:
                self.transport.close()
        self.sftp = self.transport = None
        self.folders.clear()

    # --- files --------------------------------------------------------------------------------
    def _remote(self, rel: str) -> str:
        return posixpath.join(self.settings.path, rel) if rel else self.settings.path

    def _client(self) -> paramiko.SFTPClient:
        if self.sftp is None:
            raise ConnectionResetError("not connected")
        return self.sftp

    def read(self, rel: str) -> bytes | None:
        try:
            with self._client().open(self._remote(rel), "rb") as file:
                return file.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise

    def _folder(self, rel_folder: str) -> None:
        """Make the folder (and those above it) unless it is known to be there."""
        if not rel_folder or rel_folder in self.folders:
            return
        parent = posixpath.dirname(rel_folder)
        self._folder(parent)
        client = self._client()
        try:
            client.mkdir(self._remote(rel_folder))
        except OSError:
            client.stat(self._remote(rel_folder))     # there already (else: this says why not)
        self.folders.add(rel_folder)

    def write(self, rel: str, source: Path | bytes, temp: str) -> None:
        client = self._client()
        self._folder(TEMP_DIR)
        self._folder(posixpath.dirname(rel))
        temp_path, final = self._remote(f"{TEMP_DIR}/{temp}"), self._remote(rel)
        with client.open(temp_path, "wb") as out:
            out.set_pipelined(True)
            if isinstance(source, bytes):
                out.write(source)
            else:
                with open(source, "rb") as file:
                    for block in iter(lambda: file.read(1 << 18), b""):
                        out.write(block)
        if self.posix_rename:
            try:
                client.posix_rename(temp_path, final)
                return
            except OSError as exc:
                if exc.errno is not None:
                    raise
                self.posix_rename = False       # not offered: a plain rename, which needs the name free
        with contextlib.suppress(FileNotFoundError):
            client.remove(final)
        client.rename(temp_path, final)

    def delete(self, rel: str) -> None:
        try:
            self._client().remove(self._remote(rel))
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError) and exc.errno != errno.ENOENT:
                raise

    def remove_empty_folders(self, folders: list[str]) -> None:
        for folder in folders:
            try:
                self._client().rmdir(self._remote(folder))
                self.folders.discard(folder)
            except OSError:
                pass                    # not empty (or not ours to judge): left

    def clean_temp(self, token: str) -> None:
        client = self._client()
        try:
            names = client.listdir(self._remote(TEMP_DIR))
        except OSError:
            return
        for name in names:
            if name.startswith(token):
                self.delete(f"{TEMP_DIR}/{name}")
        if all(name.startswith(token) for name in names):
            with contextlib.suppress(OSError):
                client.rmdir(self._remote(TEMP_DIR))
                self.folders.discard(TEMP_DIR)

    # --- failures -----------------------------------------------------------------------------
    def transient(self, exc: BaseException) -> bool:
        if isinstance(exc, (paramiko.AuthenticationException, paramiko.BadHostKeyException)):
            return False
        if isinstance(exc, (paramiko.SSHException, *NETWORK_ERRORS)):
            return True
        return isinstance(exc, OSError) and (self.transport is None or not self.transport.is_active())

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        if isinstance(exc, paramiko.AuthenticationException):
            code = "publish_key_refused" if self.settings.key else "publish_auth_failed"
            return problem(code, self, None, user=self.settings.user)
        found = network_problem(exc, self, rel)
        if found is not None:
            return found
        if isinstance(exc, PermissionError) or (isinstance(exc, OSError) and exc.errno == errno.EACCES):
            return problem("publish_no_permission", self, rel)
        if isinstance(exc, paramiko.SSHException):
            return problem("publish_connection_lost", self, rel)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return problem("publish_server_refused", self, rel, detail=detail or type(exc).__name__)


def _shown(path: str) -> str:
    return path if path.startswith("/") else "/" + path
