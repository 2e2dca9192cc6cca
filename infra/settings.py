"""Choices that hold for the whole app, named once."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

PROJECT = "ledarlyft"
DEFAULT_REGION = "eu-north-1"  # data stays in the EU/EEA; see the data-residency tag
DATA_RESIDENCY = "EU/EEA"
EVENT_BUS_NAME = "ledarlyft"
METRICS_NAMESPACE = "Ledarlyft"
LOG_LEVEL = "INFO"
LOG_RETENTION = logs.RetentionDays.ONE_MONTH  # logs may hold personal data: keep them no longer than needed
ARCHIVE_RETENTION = Duration.days(365)
# The web client's origins, the only ones a browser may call the API from (mobile apps need no CORS).
APP_ORIGINS = ("https://app.ledarlyft.se",)
API_RATE_LIMIT = 50  # requests per second, steady, for the whole stage
API_BURST_LIMIT = 100
DLQ_MAX_RECEIVE_COUNT = 5
STREAM_BATCH_SIZE = 100
STREAM_RETRY_ATTEMPTS = 5


@dataclass(frozen=True)
class LambdaPlatform:
    """Runtime and architecture of every function; the dependency layer is built for exactly these."""

    runtime: lambda_.Runtime
    architecture: lambda_.Architecture

    @property
    def python_version(self) -> str:
        return self.runtime.name.removeprefix("python")  # "python3.14" -> "3.14"

    @property
    def wheel_platform(self) -> str:
        """The platform `uv pip install --python-platform` picks wheels for."""
        machine = {"arm64": "aarch64", "x86_64": "x86_64"}[self.architecture.name]
        return f"{machine}-manylinux2014"


# The newest Python runtime aws-cdk-lib offers (cdk-nag's AwsSolutions-L1 asks for the latest);
# Graviton costs less per GB-second for the same work.
LAMBDA_PLATFORM = LambdaPlatform(runtime=lambda_.Runtime.PYTHON_3_14, architecture=lambda_.Architecture.ARM_64)


@dataclass(frozen=True)
class FunctionProfile:
    memory_mb: int
    timeout: Duration


# HTTP API integrations give up at 30 s; a request that takes longer than 10 s is a bug.
API_FUNCTION = FunctionProfile(memory_mb=512, timeout=Duration.seconds(10))
EVENT_FUNCTION = FunctionProfile(memory_mb=256, timeout=Duration.seconds(30))
JOB_FUNCTION = FunctionProfile(memory_mb=512, timeout=Duration.minutes(5))
