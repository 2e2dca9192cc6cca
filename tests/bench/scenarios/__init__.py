"""What every service's scenarios of `make bench-ledger` share: the bench that makes requests through a
service's handlers (the API, and its consumer for what it learns from events), a clock to move, and the
shape of a service's entry: its API module, its wiring, and its table of scenarios."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from local.auth import LOCAL_INTEGRATIONS
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from services.shared.wiring import ServiceWiring
from tests.support import as_service, claims, http_event, integration_claims, sqs_event

TENANT = LOCAL_INTEGRATIONS[0].tenant_id  # the tenant the local learning portal pushes completions for


@dataclass
class Request:
    who: dict[str, str]
    path: dict[str, str] = field(default_factory=dict)
    body: Any = None
    csv: str | None = None


class Bench:
    """One service's handlers, called as Lambda calls them, for one tenant; and the service's clock."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.coordinator = claims("coord", TENANT, "coordinator", "admin")
        self.integration = integration_claims()
        self.year = datetime.now(UTC).year + 1
        self.now: datetime | None = None  # where a scenario moved the clock to; none: the service's epoch
        self.counter = 0

    def clock(self) -> datetime:
        return self.now or self.service.epoch or datetime.now(UTC)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def claims(self, person_id: str, *roles: str) -> dict[str, str]:
        return claims(person_id, TENANT, *roles)

    def handle(self, method: str, route: str, request: Request) -> Any:
        if request.csv is not None:
            event = http_event(method, route, request.who, raw_body=request.csv, headers={"content-type": "text/csv"})
            event["pathParameters"] = request.path or None
        else:
            event = http_event(method, route, request.who, request.body, path_parameters=request.path or None)
        with as_service(self.service.wiring):
            response = self.service.api.lambda_handler(event, None)
        assert response["statusCode"] < 300, (method, route, response["body"])
        return json.loads(response["body"]) if response.get("body") else None

    def call(self, method: str, route: str, who: dict[str, str] | None = None, body: Any = None, **path: str) -> Any:
        return self.handle(method, route, Request(who or self.coordinator, path, body))

    def tell(self, *events: DomainEvent) -> None:
        """Deliver other services' events to this one's consumer, in order, as one SQS batch."""
        assert self.service.subscribers is not None, f"{self.service.wiring.name} consumes no events"
        context = EventContext(tenant_id=TENANT, actor="system:bench", correlation_id=self.fresh("bench"))
        envelopes = [EventEnvelope.wrap(e, context) for e in events]
        # what the consumer prints (its metrics, which powertools prints a hundred at a time even when
        # disabled) is not the bench's output
        with as_service(self.service.wiring), redirect_stdout(io.StringIO()):
            answer = self.service.subscribers.lambda_handler(sqs_event(*envelopes), None)
        assert answer == {"batchItemFailures": []}, answer


Scenario = Callable[[Bench], Request]


@dataclass(frozen=True)
class Service:
    """A service as the bench measures it: every write route of `wiring` needs a scenario."""

    api: ModuleType
    wiring: ServiceWiring
    scenarios: Callable[[Bench], dict[str, Scenario]]  # route -> how to prepare one request of it
    clocks: tuple[ModuleType, ...]  # the modules whose `now` the service's code calls
    subscribers: ModuleType | None = None
    epoch: datetime | None = None  # the time when no scenario moves the clock; none: the real one
