"""An FTP server, or FTPS with `tls: true` (explicit TLS, the certificate checked; a self-signed
server's certificate is trusted by naming its file in `ca_cert:`). The standard library's ftplib:
each file goes up under a temporary name and is renamed over the old one."""
from __future__ import annotations

import contextlib
import ftplib
import io
import posixpath
import socket
import ssl
from pathlib import Path

from builder.errors import Problem
from builder.model import PublishTarget
from builder.publish.manifest import TEMP_DIR
from builder.publish.target import NETWORK_ERRORS, PublishFailed, Target, network_problem, problem


class _ReusingFTP_TLS(ftplib.FTP_TLS):
    """FTPS whose data connections resume the control connection's TLS session, as vsftpd,
    FileZilla Server and others require (ftplib does not do it by itself)."""

    def ntransfercmd(self, cmd, rest=None):  # noqa: ANN001 - ftplib's signature
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def _code(exc: BaseException) -> str:
    return str(exc)[:3]


class FtpTarget(Target):
    def __init__(self, settings: PublishTarget, secret: str, site_root: Path, timeout: float = 20.0):
        super().__init__(settings)
        self.secret, self.site_root, self.timeout = secret, site_root, timeout
        self.port = settings.port or 21
        self.ftp: ftplib.FTP | None = None
        self.root = ""
        self.folders: set[str] = set()

    @property
    def label(self) -> str:
        scheme = "ftps" if self.settings.tls else "ftp"
        path = self.settings.path if self.settings.path.startswith("/") else "/" + self.settings.path
        return f"{scheme}://{self.settings.user}@{self.settings.host}:{self.port}{path}"

    def connect(self) -> None:
        if self.settings.tls:
            context = ssl.create_default_context(
                cafile=str(self.site_root / self.settings.ca_cert) if self.settings.ca_cert else None)
            ftp: ftplib.FTP = _ReusingFTP_TLS(context=context, timeout=self.timeout, encoding="utf-8")
        else:
            ftp = ftplib.FTP(timeout=self.timeout, encoding="utf-8")
        try:
            ftp.connect(self.settings.host, self.port)
            ftp.login(self.settings.user, self.secret)        # FTP_TLS says AUTH TLS first
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            try:
                ftp.cwd(self.settings.path)
            except ftplib.error_perm as exc:
                raise PublishFailed(problem("publish_remote_folder_missing", self, None, path=self.settings.path)) from exc
            self.root = ftp.pwd()
        except BaseException:
            with contextlib.suppress(Exception):
                ftp.close()
            raise
        self.ftp = ftp

    def close(self) -> None:
        if self.ftp is not None:
            with contextlib.suppress(Exception):
                self.ftp.quit() if self.ftp.sock else None
            with contextlib.suppress(Exception):
                self.ftp.close()
        self.ftp = None
        self.folders.clear()

    def _client(self) -> ftplib.FTP:
        if self.ftp is None:
            raise ConnectionResetError("not connected")
        return self.ftp

    def _remote(self, rel: str) -> str:
        return posixpath.join(self.root, rel)

    def read(self, rel: str) -> bytes | None:
        out = io.BytesIO()
        try:
            self._client().retrbinary(f"RETR {self._remote(rel)}", out.write)
        except ftplib.error_perm as exc:
            if _code(exc) == "550":
                return None
            raise
        return out.getvalue()

    def _folder(self, rel_folder: str) -> None:
        if not rel_folder or rel_folder in self.folders:
            return
        self._folder(posixpath.dirname(rel_folder))
        try:
            self._client().mkd(self._remote(rel_folder))
        except ftplib.error_perm:
            pass                    # there already; if not, the upload into it says why
        self.folders.add(rel_folder)

    def write(self, rel: str, source: Path | bytes, temp: str) -> None:
        ftp = self._client()
        self._folder(TEMP_DIR)
        self._folder(posixpath.dirname(rel))
        temp_path, final = self._remote(f"{TEMP_DIR}/{temp}"), self._remote(rel)
        if isinstance(source, bytes):
            ftp.storbinary(f"STOR {temp_path}", io.BytesIO(source))
        else:
            with open(source, "rb") as file:
                ftp.storbinary(f"STOR {temp_path}", file, blocksize=1 << 16)
        try:
            ftp.rename(temp_path, final)
        except ftplib.error_perm:
            # Some servers (IIS) rename only onto a free name.
            with contextlib.suppress(ftplib.error_perm):
                ftp.delete(final)
            ftp.rename(temp_path, final)

    def delete(self, rel: str) -> None:
        try:
            self._client().delete(self._remote(rel))
        except ftplib.error_perm as exc:
            if _code(exc) != "550":
                raise

    def remove_empty_folders(self, folders: list[str]) -> None:
        for folder in folders:
            try:
                self._client().rmd(self._remote(folder))
                self.folders.discard(folder)
            except ftplib.error_perm:
                pass

    def clean_temp(self, token: str) -> None:
        ftp = self._client()
        try:
            names = [posixpath.basename(n) for n in ftp.nlst(self._remote(TEMP_DIR))]
        except ftplib.error_perm:
            return
        for name in names:
            if name.startswith(token):
                self.delete(f"{TEMP_DIR}/{name}")
        if all(name.startswith(token) for name in names):
            with contextlib.suppress(ftplib.error_perm):
                ftp.rmd(self._remote(TEMP_DIR))
                self.folders.discard(TEMP_DIR)

    # --- failures -----------------------------------------------------------------------------
    def transient(self, exc: BaseException) -> bool:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return False
        if isinstance(exc, ftplib.error_temp):
            return _code(exc) not in ("452",)                 # 452: no room on the server
        return isinstance(exc, (*NETWORK_ERRORS, ssl.SSLError, ftplib.error_reply, socket.error))

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        code = _code(exc) if isinstance(exc, ftplib.Error) else ""
        if isinstance(exc, ssl.SSLCertVerificationError):
            return problem("publish_certificate", self, rel, detail=exc.verify_message or str(exc))
        if code == "530" and rel is None:
            return problem("publish_auth_failed", self, None, user=self.settings.user)
        if code in ("452", "552"):
            return problem("publish_disk_full", self, rel)
        if code in ("550", "553", "532") and rel is not None:
            return problem("publish_no_permission", self, rel)
        if self.settings.tls and code and rel is None:
            return problem("publish_tls_refused", self, None, detail=str(exc))
        found = network_problem(exc, self, rel)
        if found is not None:
            return found
        return problem("publish_server_refused", self, rel, detail=str(exc) or type(exc).__name__)
