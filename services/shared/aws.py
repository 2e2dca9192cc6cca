"""boto3 clients, made once per process and only when first used (Lambda bills init time)."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_CONFIG)


def reset_clients() -> None:
    """For tests: clients made before a mock starts would talk to the real endpoint."""
    client.cache_clear()
