"""Builders of the events Lambda receives, and a switch between services' environments in one process."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from local.auth import LOCAL_INTEGRATIONS, Integration, integration_clients
from services.shared.envelope import EventEnvelope
from services.shared.settings import reread_environment
from services.shared.wiring import ServiceWiring

BUS = "ledarlyft"


def table_name(wiring: ServiceWiring) -> str:
    return f"ledarlyft-{wiring.name}"


def bucket_names(wiring: ServiceWiring) -> dict[str, str]:
    """Each bucket's environment variable and name."""
    return {spec.environment_variable: f"ledarlyft-{wiring.name}-{spec.name}" for spec in wiring.buckets}


@contextmanager
def as_service(wiring: ServiceWiring) -> Iterator[None]:
    """Run code with the environment the service's functions get in AWS."""
    saved = dict(os.environ)
    os.environ.update(
        SERVICE_NAME=wiring.name,
        TABLE_NAME=table_name(wiring),
        EVENT_BUS_NAME=BUS,
        INTEGRATION_CLIENTS=integration_clients(),
        **bucket_names(wiring),
        **wiring.environment,
    )
    reread_environment()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reread_environment()


def claims(person_id: str, tenant_id: str, *roles: str) -> dict[str, str]:
    return {"sub": person_id, "custom:tenant_id": tenant_id, "custom:roles": ",".join(roles or ("participant",))}


def integration_claims(client: Integration = LOCAL_INTEGRATIONS[0]) -> dict[str, str]:
    """A system's access token, as the authorizer passes it on (client credentials)."""
    return {
        "sub": client.client_id,
        "client_id": client.client_id,
        "token_use": "access",
        "scope": " ".join(client.scopes),
    }


def http_event(
    method: str,
    route: str,
    who: dict[str, str] | None,
    body: Any = None,
    *,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event, as the JWT authorizer passes it on."""
    path = route
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else None)
    return {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"content-type": "application/json", **(headers or {})},
        "queryStringParameters": query,
        "pathParameters": path_parameters,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "localhost",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "23/Nov/2026:12:00:00 +0000",
            "timeEpoch": 0,
            "authorizer": {"jwt": {"claims": who, "scopes": None}} if who else {},
        },
        "body": text,
        "isBase64Encoded": base64_body,
    }


def sqs_event(*envelopes: EventEnvelope) -> dict[str, Any]:
    """An SQS batch of EventBridge events, as a consumer's event source mapping delivers it."""
    records = []
    for envelope in envelopes:
        detail = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": envelope.type,
            "source": envelope.source,
            "time": envelope.time.isoformat(),
            "region": "eu-north-1",
            "resources": [],
            "detail": json.loads(envelope.model_dump_json()),
        }
        records.append(
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "r",
                "body": json.dumps(detail),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-north-1:123456789012:q",
                "awsRegion": "eu-north-1",
            }
        )
    return {"Records": records}


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


def stream_event(dynamodb_streams: Any, stream_arn: str) -> dict[str, Any]:
    """Every record on the table's stream so far, as the stream's event source mapping delivers them."""
    records: list[dict[str, Any]] = []
    for shard in dynamodb_streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = dynamodb_streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records.extend(dynamodb_streams.get_records(ShardIterator=iterator)["Records"])
    return {"Records": records}
