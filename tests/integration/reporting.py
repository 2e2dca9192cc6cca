"""Builders of the events reporting consumes (from the producers' own contracts), and calls to its handlers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from services.checkins.contracts.events import CheckInCompleted, CycleStarted, PlannedCheckIn, Rating
from services.enrolment.contracts import events as enrolment
from services.reporting import api, jobs, subscribers
from services.reporting.wiring import WIRING as REPORTING
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from tests.support import as_service, claims, http_event, response_json, sqs_event

TENANT = "gotland"
BOARD = claims("board", TENANT, "board")
COORDINATOR = claims("coord", TENANT, "coordinator")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=UTC)


def wrap(event: DomainEvent, when: datetime, tenant: str = TENANT) -> EventEnvelope:
    context = EventContext(tenant_id=tenant, actor="someone", correlation_id="corr")
    return EventEnvelope.wrap(event, context).model_copy(update={"time": when})


def unit(unit_id: str, name: str, parent: str | None = None, when: str = "2024-01-01", **size: Any) -> EventEnvelope:
    event = enrolment.UnitUpserted(
        unit_id=unit_id,
        name=name,
        kind="department" if parent is None else "unit",
        parent_id=parent,
        permanent_employees=size.get("employees"),
        full_time_equivalents=None,
        average_age=None,
        managers=size.get("managers"),
        guideline_area=size.get("area"),
    )
    return wrap(event, at(when))


def person(person_id: str, unit_id: str | None, when: str = "2024-01-01", hour: int = 8) -> EventEnvelope:
    event = enrolment.PersonUpserted(
        person_id=person_id,
        name=f"Name of {person_id}",
        email=f"{person_id}@example.se",
        mobile=None,
        language="sv",
        unit_id=unit_id,
        manager_id=None,
        roles=["participant"],
    )
    return wrap(event, at(when, hour))


def enrolled(person_id: str, when: str, programme: str = "chefsprogram") -> EventEnvelope:
    event = enrolment.EnrolmentApproved(programme_id=programme, person_id=person_id, version=1, enrolled_by="c")
    return wrap(event, at(when))


def completed(person_id: str, when: str, programme: str = "chefsprogram") -> EventEnvelope:
    return wrap(enrolment.ProgrammeCompleted(programme_id=programme, person_id=person_id, version=1), at(when))


def credential(person_id: str, when: str, number: int = 1) -> EventEnvelope:
    event = enrolment.CredentialIssued(
        programme_id="chefsprogram",
        person_id=person_id,
        number=number,
        verification_code=f"v{number}",
        credential_name="Diplom",
        valid_until=None,
    )
    return wrap(event, at(when))


def checkin(
    person_id: str, held_on: str, ratings: dict[str, int] | None = None, *, on_time: bool = True, n: int = 0
) -> EventEnvelope:
    event = CheckInCompleted(
        checkin_id=f"{person_id}-{held_on}-{n}",
        cycle_id="cycle",
        person_id=person_id,
        manager_id="manager",
        kind="check-in",
        focus_area="Arbetsmiljö",
        due_on=date.fromisoformat(held_on),
        held_on=date.fromisoformat(held_on),
        on_time=on_time,
        ratings=[Rating(item_key=f"q-{k}", indicator=k, rating=v) for k, v in (ratings or {}).items()],
        action_items=0,
    )
    return wrap(event, at(held_on, 12))


def cycle(person_id: str, when: str, due: list[str]) -> EventEnvelope:
    event = CycleStarted(
        cycle_id=f"cycle-{person_id}",
        person_id=person_id,
        manager_id="manager",
        wheel_id="wheel",
        wheel_version=1,
        year=int(when[:4]),
        checkins=[
            PlannedCheckIn(
                checkin_id=f"{person_id}-{d}", kind="check-in", focus_area=None, due_on=date.fromisoformat(d)
            )
            for d in due
        ],
    )
    return wrap(event, at(when))


def consume(*envelopes: EventEnvelope) -> dict[str, Any]:
    with as_service(REPORTING):
        return dict(subscribers.lambda_handler(sqs_event(*envelopes), None))


def call(
    method: str, route: str, who: dict[str, str] | None, body: Any = None, **kwargs: Any
) -> tuple[int, Any, dict[str, Any]]:
    with as_service(REPORTING):
        response = api.lambda_handler(http_event(method, route, who, body, **kwargs), None)
    try:
        parsed = response_json(response)
    except ValueError:
        parsed = response.get("body")
    return response["statusCode"], parsed, response


def board(period: str, who: dict[str, str] = BOARD, **query: str) -> Any:
    status, body, _ = call("GET", "/reports/board", who, query={"period": period, **query})
    assert status == 200, body
    return body


def run_job(schedule: str) -> Any:
    with as_service(REPORTING):
        return jobs.lambda_handler({"schedule": schedule}, None)


def row(report: dict[str, Any], table: str, scope: str) -> dict[str, Any]:
    found = next(t for t in report["tables"] if t["key"] == table)
    return {
        k: (v["suppressed"] or v["value"])
        for k, v in next(r for r in found["rows"] if r["scope"] == scope)["cells"].items()
    }
