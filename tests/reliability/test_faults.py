"""No event is lost and none acts twice, whichever step of the event path fails.

A realistic flow (enrolment's seat flow, and whatever the other services make of its events) runs once
without faults; then once per step it reached, with that step failing once: a request's transaction
(before it lands, or after, its answer lost), a stream function, the relay's PutEvents (whole, or one
entry), a rule's delivery (twice), a consumer, the mailer. After the retries AWS makes, every
service's state and everything sent equal the fault-free run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.reliability.pipeline import Pipeline, pipeline, steps
from tests.support import claims

pytestmark = [pytest.mark.reliability]

TENANT = "faults"
NEXT_YEAR = date.today().year + 1
COORDINATOR = claims("coord", TENANT, "coordinator")
PEOPLE = {
    "maja": {"name": "Maja Lind", "email": "maja@example.se", "roles": ["manager"]},
    "anna": {"name": "Anna Ek", "email": "anna@example.se", "manager_id": "maja"},
    "bo": {"name": "Bo Berg", "email": "bo@example.se", "manager_id": "maja"},
    "cilla": {"name": "Cilla Ahl", "email": "cilla@example.se", "manager_id": "maja"},
}


def seat_flow(p: Pipeline) -> None:
    """People, a programme and a two-seat session; three register, one cancels (the third is promoted),
    the session moves; a check-in is held; the managers' sick-leave rate is imported for the board."""
    for person_id, details in PEOPLE.items():
        assert (
            p.request(
                "enrolment",
                "PUT",
                "/people/{person_id}",
                COORDINATOR,
                details,
                path_parameters={"person_id": person_id},
            )[0]
            == 200
        )
    programme = {
        "programme_id": "f",
        "name": "Fördjupning",
        "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}],
    }
    assert p.request("enrolment", "POST", "/programmes", COORDINATOR, programme)[0] == 201
    session = {
        "stage_key": "f1",
        "starts_at": f"{NEXT_YEAR}-03-03T13:00",
        "ends_at": f"{NEXT_YEAR}-03-03T15:45",
        "capacity": 2,
    }
    status, created = p.request(
        "enrolment",
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        session,
        path_parameters={"programme_id": "f"},
    )
    assert status == 201
    ids = {"session_id": created["session_id"]}
    p.pump()  # the directory reaches the other services first, as it would in time
    for person_id in ("anna", "bo", "cilla"):
        status, _ = p.request(
            "enrolment", "POST", "/sessions/{session_id}/registrations", claims(person_id, TENANT), path_parameters=ids
        )
        assert status in (201, 409)  # 409: a retried request whose first attempt landed
    p.request(
        "enrolment",
        "DELETE",
        "/sessions/{session_id}/registrations/{person_id}",
        claims("anna", TENANT),
        path_parameters=ids | {"person_id": "anna"},
    )
    moved = {"starts_at": f"{NEXT_YEAR}-03-10T13:00", "ends_at": f"{NEXT_YEAR}-03-10T15:45"}
    assert p.request("enrolment", "PATCH", "/sessions/{session_id}", COORDINATOR, moved, path_parameters=ids)[0] == 200
    held = {"person_id": "bo", "held_on": f"{NEXT_YEAR - 1}-11-20", "focus_area": "Arbetsmiljö", "pulse": 4}
    assert p.request("checkins", "POST", "/checkins", claims("maja", TENANT, "manager"), held)[0] in (201, 409)
    figures = "unit_id,period,kind,key,value\n*,2026-H1,key_figure,sick_leave_rate,2.1\n"
    imported = {"raw_body": figures, "headers": {"content-type": "text/csv"}, "query": {"source": "Beslutsstöd"}}
    assert p.request("reporting", "POST", "/reports/imports", COORDINATOR, **imported)[0] == 200
    p.pump()


def run(fault: str | None) -> tuple[dict[str, list[str]], Any, set[str]]:
    with pipeline() as p:
        if fault:
            p.faults.arm(fault)
        seat_flow(p)
        assert not fault or p.faults.fired[fault] == 1, f"{fault} never happened"
        return p.state(), p.sent(), set(p.faults.seen)


@pytest.fixture(scope="module")
def fault_free() -> tuple[dict[str, list[str]], Any, set[str]]:
    return run(None)


def test_the_flow_takes_every_step_the_wiring_declares(fault_free: Any) -> None:
    """A service's new subscription or stream consumer is a step the flow must reach: extend it."""
    _, sent, seen = fault_free
    missing = sorted(set(steps()) - seen)
    assert missing == [], missing
    assert sent  # the flow tells people things


@pytest.mark.parametrize("step", steps())
def test_a_fault_at_any_step_changes_nothing_in_the_end(fault_free: Any, step: str) -> None:
    state, sent, _ = fault_free
    faulty_state, faulty_sent, _ = run(step)
    for service, items in state.items():
        assert faulty_state[service] == items, f"{service} differs"
    assert faulty_sent == sent
