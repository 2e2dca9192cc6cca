"""Calls to the check-ins service through its handlers (API, consumer, jobs), shared by its integration tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.checkins import api, jobs, subscribers
from services.checkins.wiring import WIRING
from services.enrolment.contracts.events import ManagerChanged, PersonLeft, PersonUpserted, UnitUpserted
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from services.shared.store import from_dynamo
from tests.support import as_service, claims, http_event, response_json, sqs_event, table_name

TENANT = "humana"
COORDINATOR = claims("coord", TENANT, "coordinator")
MANAGER = claims("maja", TENANT, "manager")
OTHER_MANAGER = claims("mats", TENANT, "manager")
ANNA = claims("anna", TENANT, "participant")
BOARD = claims("board", TENANT, "board")
TODAY = date(2026, 12, 1)  # a cycle started today is next year's: the appraisal month of this one is past
WHEEL = {
    "wheel_id": "arbetsledare",
    "name": "Arbetsledaravstämningar",
    "appraisal_month": 1,
    "focus_areas": ["Arbetsmiljö", "Semesterplanering och bemanning", "Introduktion av ny assistent", "Schemaläggning"],
    "questions": [
        {"key": "goal", "text": "Vilket är ditt mål som arbetsledare?"},
        {"key": "group", "text": "Hur mår arbetsgruppen?"},
    ],
    "rating_items": [
        {"key": "led-well", "text": "Jag blir väl ledd", "indicator": "leadership"},
        {"key": "stress", "text": "Min stress är rimlig", "indicator": "stress"},
    ],
}
DIRECTORY_CONTEXT = EventContext(tenant_id=TENANT, actor="coord", correlation_id="directory")


def call(method: str, route: str, who: Any, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    with as_service(WIRING):
        response = api.lambda_handler(http_event(method, route, who, body, **kwargs), None)
    return response["statusCode"], response_json(response)


def ok(method: str, route: str, who: Any, body: Any = None, **path: str) -> Any:
    """A call that must succeed; path parameters by name."""
    status, answer = call(method, route, who, body, path_parameters=path or None)
    assert status < 300, (status, answer)
    return answer


def tell(*events: DomainEvent, at: datetime | None = None) -> dict[str, Any]:
    """Deliver enrolment's events to the check-ins consumer, as the queue would."""
    envelopes = [EventEnvelope.wrap(e, DIRECTORY_CONTEXT) for e in events]
    if at is not None:
        envelopes = [e.model_copy(update={"time": at}) for e in envelopes]
    with as_service(WIRING):
        return dict(subscribers.lambda_handler(sqs_event(*envelopes), None))


def person(person_id: str, manager_id: str | None = "maja", **fields: Any) -> PersonUpserted:
    record: dict[str, Any] = {
        "person_id": person_id,
        "name": person_id.title(),
        "email": f"{person_id}@example.se",
        "mobile": None,
        "language": "sv",
        "unit_id": None,
        "manager_id": manager_id,
        "roles": ["participant"],
    }
    return PersonUpserted(**(record | fields))


def unit(unit_id: str, parent_id: str | None = None) -> UnitUpserted:
    return UnitUpserted(
        unit_id=unit_id,
        name=unit_id.title(),
        kind="unit",
        parent_id=parent_id,
        permanent_employees=None,
        full_time_equivalents=None,
        average_age=None,
        managers=None,
        guideline_area=None,
    )


def new_manager(person_id: str, previous: str | None, manager_id: str | None) -> ManagerChanged:
    return ManagerChanged(person_id=person_id, previous_manager_id=previous, manager_id=manager_id)


def left(person_id: str, on: date) -> PersonLeft:
    return PersonLeft(person_id=person_id, left_on=on)


def run_job(schedule: str) -> dict[str, Any]:
    with as_service(WIRING):
        return dict(jobs.lambda_handler({"schedule": schedule}, None))


def published(aws: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The check-ins service's committed events (its outbox), oldest first: (type, data)."""
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]
    envelopes = sorted((json.loads(i["envelope"]) for i in items if i.get("kind") == "outbox"), key=lambda e: e["time"])
    return [(e["type"], e["data"]) for e in envelopes]


def table_items(aws: dict[str, Any]) -> list[dict[str, Any]]:
    return [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]


class Clock:
    """The check-ins handlers' clock: `clock.set(day)` (09:00 UTC that day), `clock.advance(days)`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.moment = datetime(2026, 12, 1, 9, tzinfo=UTC)
        for module in ("services.checkins.routes", "services.checkins.jobs", "services.checkins.subscribers"):
            monkeypatch.setattr(f"{module}.now", lambda: self.moment)

    def set(self, day: date) -> None:
        self.moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)

    @property
    def today(self) -> date:
        return self.moment.date()


def started_cycle(person_id: str = "anna") -> dict[str, Any]:
    """Publish the wheel (once) and start the person's cycle: the cycle and its check-ins' states."""
    call("POST", "/wheels", COORDINATOR, WHEEL)
    return dict(ok("POST", "/cycles", COORDINATOR, {"person_id": person_id, "wheel_id": "arbetsledare"}))


def checkins_of(person_id: str, who: Any = COORDINATOR) -> list[dict[str, Any]]:
    """A person's check-ins, first due first."""
    items = ok("GET", "/people/{person_id}/checkins", who, person_id=person_id)["items"]
    return sorted(items, key=lambda c: c["due_on"])


def one(person_id: str, checkin_id: str, who: Any) -> tuple[int, Any]:
    return call(
        "GET",
        "/people/{person_id}/checkins/{checkin_id}",
        who,
        path_parameters={"person_id": person_id, "checkin_id": checkin_id},
    )


def on(checkin: dict[str, Any], action: str, who: Any, body: Any = None, **more: str) -> tuple[int, Any]:
    """POST/PATCH to a route under one check-in: `on(c, "POST /completion", MANAGER, {...})`."""
    method, tail = action.split(" ", 1)
    path = {"person_id": checkin["person_id"], "checkin_id": checkin["checkin_id"], **more}
    return call(method, "/people/{person_id}/checkins/{checkin_id}" + tail, who, body, path_parameters=path)
