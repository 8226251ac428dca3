"""S3-compatible object storage (Aliyun OSS, Tencent COS, Huawei OBS, MinIO, SeaweedFS, AWS), with
boto3. An object is replaced whole by each upload, so no temporary name is needed; each is
sent with its Content-Type and Cache-Control, as the store will serve it. Several files go up at once: each
request waits on the store, not on the line."""
from __future__ import annotations

import ssl
from pathlib import Path

import boto3
import botocore.exceptions
from botocore.config import Config

from builder.errors import Problem
from builder.i18n import Phrase
from builder.model import PublishTarget
from builder.publish.target import NETWORK_ERRORS, PublishFailed, Target, cache_control, content_type, problem

AUTH_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSecurity", "AuthorizationHeaderMalformed",
              "InvalidToken", "ExpiredToken", "AccessKeyIdNotFound", "InvalidAccessKeyID"}
PASSING_CODES = {"RequestTimeout", "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed",
                 "Throttling", "ThrottlingException", "503", "500", "502", "504"}


def _code(exc: BaseException) -> str:
    if isinstance(exc, botocore.exceptions.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


class S3Target(Target):
    parallel = 8

    def __init__(self, settings: PublishTarget, access_key: str, secret_key: str, timeout: float = 20.0):
        super().__init__(settings)
        config = Config(s3={"addressing_style": settings.addressing}, signature_version="s3v4",
                        retries={"max_attempts": 1, "mode": "standard"},     # publish retries, after its own waits
                        connect_timeout=timeout, read_timeout=timeout * 3, max_pool_connections=self.parallel,
                        # Checksums only where S3 requires them: OSS, COS, OBS and older MinIO refuse the
                        # CRC32 headers newer boto3 sends by default.
                        request_checksum_calculation="when_required", response_checksum_validation="when_required")
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=settings.endpoint or None, region_name=settings.region or "us-east-1",
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, config=config)

    @property
    def label(self) -> str:
        prefix = f"/{self.settings.prefix}" if self.settings.prefix else ""
        return f"{self.settings.endpoint} s3://{self.settings.bucket}{prefix}"

    def _key(self, rel: str) -> str:
        return f"{self.settings.prefix}/{rel}" if self.settings.prefix else rel

    def connect(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.settings.bucket)
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in ("404", "NoSuchBucket"):
                raise PublishFailed(problem("publish_bucket_missing", self, None, bucket=self.settings.bucket)) from exc
            if _code(exc) == "403":
                return              # may be allowed to write without listing: the first read says more
            raise

    def close(self) -> None:
        pass                        # boto3 keeps its pool of connections; nothing to say goodbye to

    def read(self, rel: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.settings.bucket, Key=self._key(rel))
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return None
            raise
        return answer["Body"].read()

    def write(self, rel: str, source: Path | bytes, temp: str) -> None:
        data = source if isinstance(source, bytes) else source.read_bytes()
        self.client.put_object(Bucket=self.settings.bucket, Key=self._key(rel), Body=data,
                               ContentType="application/json" if rel.endswith(".json") else content_type(rel),
                               CacheControl=cache_control(rel))

    def delete(self, rel: str) -> None:
        self.client.delete_object(Bucket=self.settings.bucket, Key=self._key(rel))

    def transient(self, exc: BaseException) -> bool:
        if isinstance(exc, botocore.exceptions.SSLError):
            return False
        if isinstance(exc, (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError,
                            botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError,
                            *NETWORK_ERRORS)):
            return True
        if isinstance(exc, botocore.exceptions.HTTPClientError):
            return True
        return _code(exc) in PASSING_CODES

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        code = _code(exc)
        if isinstance(exc, botocore.exceptions.SSLError) or isinstance(getattr(exc, "__context__", None), ssl.SSLError):
            return problem("publish_certificate", self, rel, detail=str(exc))
        if code in AUTH_CODES:
            return problem("publish_s3_auth_failed", self, rel)
        if code in ("AccessDenied", "403", "AllAccessDisabled"):
            return problem("publish_s3_denied", self, rel, bucket=self.settings.bucket)
        if code in ("NoSuchBucket", "404") and rel is not None:
            return problem("publish_bucket_missing", self, rel, bucket=self.settings.bucket)
        if code in ("QuotaExceeded", "EntityTooLarge", "InsufficientStorage"):
            return problem("publish_disk_full", self, rel)
        if isinstance(exc, (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError)):
            return problem("publish_unreachable", self, rel, reason=problem_reason(exc))
        if self.transient(exc):
            return problem("publish_connection_lost", self, rel)
        if isinstance(exc, botocore.exceptions.ClientError):
            message = exc.response.get("Error", {}).get("Message", "")
            return problem("publish_server_refused", self, rel, detail=f"{code} {message}".strip())
        return problem("publish_server_refused", self, rel, detail=str(exc) or type(exc).__name__)


def problem_reason(exc: BaseException) -> Phrase:
    if isinstance(exc, botocore.exceptions.ConnectTimeoutError):
        return Phrase("publish_timed_out")
    return Phrase("publish_refused_connection")
