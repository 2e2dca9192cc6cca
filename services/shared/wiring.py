"""One declaration of a service's wiring, read by the CDK app and by the local stack.

A service declares here its table, the events it subscribes to, its schedules and its stream
consumers. Its HTTP routes are declared once, by the decorators of its resolver, and read from there.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

EVENT_SOURCE_PREFIX = "ledarlyft."
OUTBOX_KIND = "outbox"
CORRELATION_HEADER = "x-correlation-id"  # a caller's id for a request, echoed back and carried by its events
RELAY_HANDLER = "services.shared.relay.lambda_handler"


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    """Every table: string keys `pk`/`sk` that begin with the tenant, a TTL, and a stream of new images."""

    indexes: tuple[Index, ...] = ()
    partition_key: str = "pk"
    sort_key: str = "sk"
    ttl_attribute: str = "expires_at"

    def create_table_request(self, table_name: str) -> dict[str, Any]:
        """The CreateTable call for this spec: the local stack and the tests build tables from it."""
        key_names = {self.partition_key, self.sort_key} | {
            name for index in self.indexes for name in (index.partition_key, index.sort_key)
        }
        request: dict[str, Any] = {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in sorted(key_names)],
            "KeySchema": [
                {"AttributeName": self.partition_key, "KeyType": "HASH"},
                {"AttributeName": self.sort_key, "KeyType": "RANGE"},
            ],
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        }
        if self.indexes:
            request["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": [
                        {"AttributeName": index.partition_key, "KeyType": "HASH"},
                        {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in self.indexes
            ]
        return request


DEFAULT_BUS = "default"  # the account's own bus, where AWS services (SES, ...) publish their events


@dataclass(frozen=True)
class Subscription:
    """An EventBridge rule owned by the consuming service; matching events go to its queue.

    By default a rule on the platform's bus for a Ledarlyft service's events; `bus` and `full_source`
    name another bus and an event source outside Ledarlyft (SES: `bus=DEFAULT_BUS`, `source="aws.ses"`)."""

    name: str
    source: str  # a Ledarlyft service's name, or with `full_source` the whole source
    detail_types: tuple[str, ...]
    bus: str | None = None  # None: the platform's bus
    full_source: bool = False

    def pattern(self) -> dict[str, Any]:
        source = self.source if self.full_source else EVENT_SOURCE_PREFIX + self.source
        return {"source": [source], "detail-type": list(self.detail_types)}


@dataclass(frozen=True)
class Schedule:
    """An EventBridge Scheduler schedule; `cron` is the Scheduler's six-field cron, in `timezone`."""

    name: str
    cron: str
    description: str
    timezone: str = "Europe/Stockholm"

    @property
    def expression(self) -> str:
        return f"cron({self.cron})"


@dataclass(frozen=True)
class BucketSpec:
    """An S3 bucket for what must never change once written: versioned, with object lock (WORM).

    Writing again makes a new version; no version can be changed or deleted for `retention_days`.
    Only the service's own functions get access; they find the bucket's name in `environment_variable`.
    """

    name: str
    environment_variable: str
    retention_days: int = 3650


@dataclass(frozen=True)
class StreamConsumer:
    """A function fed by the table's stream, with a Lambda event-filter pattern on the records."""

    name: str
    handler: str
    filter_pattern: dict[str, Any]


def outbox_filter() -> dict[str, Any]:
    return {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": [OUTBOX_KIND]}}}}


@dataclass(frozen=True)
class CorsPolicy:
    """What a browser may send to the API and read back; the origins are the deployment's own."""

    methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
    headers: tuple[str, ...] = ("authorization", "content-type", CORRELATION_HEADER, "idempotency-key")
    exposed: tuple[str, ...] = (CORRELATION_HEADER,)
    max_age_seconds: int = 3600


CORS = CorsPolicy()


INTEGRATION_SCHEME = "integration"  # the OAuth 2.0 client-credentials scheme systems call with
COMPLETIONS_SCOPE = "ledarlyft/completions.write"  # a learning portal pushes course completions


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway syntax: /sessions/{session_id}
    scopes: tuple[str, ...] = ()  # an integration's route: only access tokens with one of these scopes

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


def integration_scopes(security: list[dict[str, list[str]]] | None) -> tuple[str, ...]:
    """The scopes a route's OpenAPI `security` asks of an integration; none for a person's route."""
    return tuple(scope for requirement in security or () for scope in requirement.get(INTEGRATION_SCHEME, ()))


@dataclass(frozen=True)
class ServiceWiring:
    name: str
    api_module: str | None = None  # module holding `app` (the resolver) and `lambda_handler`
    consumer_handler: str | None = None
    jobs_handler: str | None = None
    table: TableSpec = field(default_factory=TableSpec)
    subscriptions: tuple[Subscription, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    extra_stream_consumers: tuple[StreamConsumer, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    buckets: tuple[BucketSpec, ...] = ()

    @property
    def source(self) -> str:
        return EVENT_SOURCE_PREFIX + self.name

    @property
    def api_handler(self) -> str | None:
        return f"{self.api_module}.lambda_handler" if self.api_module else None

    @property
    def stream_consumers(self) -> tuple[StreamConsumer, ...]:
        relay = StreamConsumer(name="relay", handler=RELAY_HANDLER, filter_pattern=outbox_filter())
        return (relay, *self.extra_stream_consumers)

    def routes(self) -> tuple[Route, ...]:
        """The routes registered on the service's resolver, in API Gateway's path syntax."""
        if self.api_module is None:
            return ()
        resolver = importlib.import_module(self.api_module).app
        found = {
            Route(
                method=method,
                path=re.sub(r"<(\w+)>", r"{\1}", route.path),
                scopes=integration_scopes(route.security),
            )
            for route in resolver._static_routes + resolver._dynamic_routes
            for method in route.method.split(",")  # a route may serve several methods
            if route.path != "/openapi.json"
        }
        return tuple(sorted(found, key=lambda r: (r.path, r.method)))


def handler_target(dotted: str) -> tuple[str, str]:
    """'services.x.api.lambda_handler' -> ('services.x.api', 'lambda_handler')."""
    module, _, attribute = dotted.rpartition(".")
    return module, attribute
