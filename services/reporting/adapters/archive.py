"""Published reports in S3: a versioned bucket with object lock, so a published version never changes.

key: reports/<tenant>/<half-year>/<scope>.json      (scope: a unit id, or `all` for the tenant)
Publishing the same report again writes a new version of the same key; each version is read by its id.
"""

from __future__ import annotations

from services.shared.aws import client
from services.shared.errors import NotFound
from services.shared.settings import settings


def report_key(tenant_id: str, period: str, scope: str) -> str:
    return f"reports/{tenant_id}/{period}/{'all' if scope == '*' else scope}.json"


def _bucket() -> str:
    bucket = settings().reports_bucket
    if not bucket:
        raise RuntimeError("REPORTS_BUCKET is not set for this function")
    return bucket


def put(key: str, body: bytes) -> str:
    """Store a new version; its version id."""
    response = client("s3").put_object(
        Bucket=_bucket(), Key=key, Body=body, ContentType="application/json", ChecksumAlgorithm="SHA256"
    )
    return str(response["VersionId"])


def get(key: str, version_id: str) -> bytes:
    try:
        response = client("s3").get_object(Bucket=_bucket(), Key=key, VersionId=version_id)
    except client("s3").exceptions.NoSuchKey as error:
        raise NotFound("No such published report.") from error
    return bytes(response["Body"].read())
