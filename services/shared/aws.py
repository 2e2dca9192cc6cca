"""AWS clients, made once per process and only when first used (Lambda bills init time).

botocore directly, not boto3: boto3's package import pulls in s3transfer, about 240 ms of every
cold start, for nothing these functions use.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config
from botocore.session import get_session

# Retried calls carry the same idempotency token (TransactWriteItems' ClientRequestToken).
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


@cache
def client(service: str) -> Any:
    return get_session().create_client(service, config=_CONFIG)


def reset_clients() -> None:
    """For tests: clients made before a mock starts would talk to the real endpoint."""
    client.cache_clear()
