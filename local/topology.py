"""Names and environments of the local AWS resources, derived from a service's wiring.

The CDK app names its resources from the same wiring; keep these two in step.
"""

from __future__ import annotations

import os

from local.auth import integration_clients
from services.shared.settings import INTEGRATION_CLIENTS
from services.shared.wiring import BucketSpec, ServiceWiring, Subscription

APP = "ledarlyft"
REGION = "eu-north-1"
ACCOUNT_ID = "123456789012"  # moto's default account: every ARN moto hands out carries it
BUS_NAME = APP
METRICS_NAMESPACE = "Ledarlyft"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
# A Lambda function's memory setting; reported by the fake context and the runtime environment.
FUNCTION_MEMORY_MB = 512
# Timeouts of the functions, as infra/settings.py sets them (API, event, job).
API_TIMEOUT_S = 10.0
EVENT_TIMEOUT_S = 30.0
JOB_TIMEOUT_S = 300.0
# AWS's advice, followed by the CDK app: six times the consumer's timeout.
QUEUE_VISIBILITY_TIMEOUT_S = int(6 * EVENT_TIMEOUT_S)
QUEUE_MAX_RECEIVES = 5  # deliveries of one message before the queue moves it to the dead-letter queue
STREAM_RETRY_ATTEMPTS = 5


def table_name(wiring: ServiceWiring) -> str:
    return f"{APP}-{wiring.name}"


def queue_name(wiring: ServiceWiring) -> str:
    return f"{APP}-{wiring.name}-events"


def dead_letter_queue_name(wiring: ServiceWiring) -> str:
    return f"{queue_name(wiring)}-dlq"


def rule_name(wiring: ServiceWiring, subscription: Subscription) -> str:
    return f"{APP}-{wiring.name}-{subscription.name}"


def bucket_name(spec: BucketSpec) -> str:
    return f"{APP}-local-{spec.name}"


def function_name(wiring: ServiceWiring) -> str:
    return f"{APP}-{wiring.name}"


def lambda_environment(wiring: ServiceWiring, aws_endpoint: str, public_url: str | None = None) -> dict[str, str]:
    """The whole environment of one of the service's functions: nothing of the developer's shell leaks in.

    `public_url`: where the gateway answers, for links in what the functions send (unsubscribe, feeds);
    without it they carry the deployed API's address."""
    return {
        # What the Lambda runtime sets itself. TZ=UTC as in Lambda, so code that leans on the
        # machine's local time fails here as it would in production.
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_LAMBDA_FUNCTION_NAME": function_name(wiring),
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(FUNCTION_MEMORY_MB),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "TZ": "UTC",
        "LANG": "en_US.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        # Every AWS call goes to the embedded AWS, with fake credentials and no profile from ~/.aws.
        "AWS_ENDPOINT_URL": aws_endpoint,
        **LOCAL_CREDENTIALS,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        # The function's own configuration, as the CDK app sets it.
        "SERVICE_NAME": wiring.name,
        "TABLE_NAME": table_name(wiring),
        "EVENT_BUS_NAME": BUS_NAME,
        "POWERTOOLS_SERVICE_NAME": wiring.name,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "POWERTOOLS_METRICS_DISABLED": "true",
        INTEGRATION_CLIENTS: integration_clients(),
        **{spec.environment_variable: bucket_name(spec) for spec in wiring.buckets},
        **wiring.environment,
        **({"PUBLIC_URL": public_url} if public_url else {}),
    }
