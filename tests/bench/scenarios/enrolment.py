"""Enrolment's write routes for `make bench-ledger`: each prepared (untimed) so that it does its real work: a
registration takes a free seat, a cancellation promotes the next in line, an attendance mark completes a
stage. Its people, programmes and sessions are made through its own API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.enrolment import api
from services.enrolment.wiring import WIRING
from services.shared import timezones
from tests.bench.scenarios import Bench, Request, Scenario, Service


def new_person(b: Bench, manager: str | None = None) -> str:
    person_id = b.fresh("p")
    body = {"name": f"Person {person_id}", "email": f"{person_id}@example.se", "manager_id": manager}
    b.call("PUT", "/people/{person_id}", body=body, person_id=person_id)
    return person_id


def new_programme(b: Bench, **extra: Any) -> str:
    programme_id = b.fresh("prog")
    stages = [
        {
            "key": "base",
            "name": "Base",
            "kind": "e-learning",
            "courses": [
                {"key": "c1", "name": "C1", "external_id": f"{programme_id}-c1"},
                {"key": "c2", "name": "C2", "external_id": f"{programme_id}-c2"},
            ],
        },
        {"key": "day", "name": "Day", "kind": "instructor-led"},
    ]
    body = {"programme_id": programme_id, "name": f"Programme {programme_id}", "stages": stages} | extra
    b.call("POST", "/programmes", body=body)
    return programme_id


def new_session(b: Bench, programme_id: str, capacity: int = 100, starts: datetime | None = None, **extra: Any) -> str:
    starts = starts or datetime(b.year, 3, 3, 12, tzinfo=UTC)
    body = {
        "stage_key": "day",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "capacity": capacity,
        "trainers": ["trainer"],
    } | extra
    made = b.call("POST", "/programmes/{programme_id}/sessions", body=body, programme_id=programme_id)
    return str(made["session_id"])


def register(b: Bench, session_id: str, person_id: str) -> Any:
    return b.call("POST", "/sessions/{session_id}/registrations", b.claims(person_id), session_id=session_id)


def scenarios(b: Bench) -> dict[str, Scenario]:
    """Route -> how to prepare one request of it (made fresh each time, apart from what is shared)."""
    shared = new_programme(b)
    roomy = new_session(b, shared, capacity=10_000)
    started = datetime(b.year, 3, 3, 12, tzinfo=UTC)

    def attended_session() -> tuple[str, str]:
        """A person with a seat at a session that has started (the clock is moved for the request)."""
        programme = new_programme(b)
        session = new_session(b, programme, starts=started)
        person = new_person(b)
        register(b, session, person)
        return session, person

    def enrolled(programme: str) -> str:
        person = new_person(b)
        b.call("POST", "/programmes/{programme_id}/enrolments", b.claims(person), {}, programme_id=programme)
        return person

    def requested(programme: str) -> str:
        person = new_person(b, manager="mgr")
        b.call("POST", "/programmes/{programme_id}/enrolments", b.claims(person), {}, programme_id=programme)
        return person

    def full_with_line() -> tuple[str, str]:
        """A one-seat session, taken, and someone waiting: a cancellation promotes."""
        session = new_session(b, shared, capacity=1)
        holder = new_person(b)
        register(b, session, holder)
        register(b, session, new_person(b))
        return session, holder

    def offer() -> tuple[str, str]:
        session = new_session(b, shared, capacity=1, claim_window_minutes=60)
        holder, waiting = new_person(b), new_person(b)
        register(b, session, holder)
        register(b, session, waiting)
        b.call("DELETE", "/sessions/{session_id}/registrations/{person_id}", session_id=session, person_id=holder)
        return session, waiting

    approval = new_programme(b, requires_approval=True)
    credential_programme = new_programme(b, credential={"name": "Diplom"})

    def completed_with_credential() -> str:
        person = enrolled(credential_programme)
        for course in ("c1", "c2"):
            b.call(
                "POST",
                "/course-completions",
                b.integration,
                {"external_id": f"{credential_programme}-{course}", "person_id": person},
            )
        b.call(
            "POST",
            "/programmes/{programme_id}/enrolments/{person_id}/completions",
            body={"stage_key": "day"},
            programme_id=credential_programme,
            person_id=person,
        )
        return str(b.call("GET", "/me/credentials", b.claims(person))[0]["verification_code"])

    def code_of(session: str) -> str:
        return str(b.call("GET", "/sessions/{session_id}/attendance-code", session_id=session)["code"])

    def moved_clock(request: Request) -> Request:
        b.now = started + timedelta(minutes=5)
        return request

    def self_attendance() -> Request:
        session, person = attended_session()
        b.now = started + timedelta(minutes=5)
        return Request(b.claims(person), {"session_id": session}, {"code": code_of(session)})

    def evaluation() -> Request:
        session, person = attended_session()
        b.now = started + timedelta(minutes=5)
        b.call(
            "POST",
            "/sessions/{session_id}/attendance",
            body={"marks": [{"person_id": person, "attendance": "present"}]},
            session_id=session,
        )
        b.now = started + timedelta(hours=4)
        return Request(b.claims(person), {"session_id": session}, {"rating": 4, "comment": "Bra"})

    def units_csv() -> str:
        prefix = b.fresh("x")
        return "unit_id,name,kind,parent_id\n" + "".join(f"{prefix}-{n},Unit {n},unit,\n" for n in range(10))

    def people_csv() -> str:
        prefix = b.fresh("y")
        return "person_id,name\n" + "".join(f"{prefix}-{n},Imported {n}\n" for n in range(10))

    return {
        "PUT /people/{person_id}": lambda b: Request(b.coordinator, {"person_id": b.fresh("p")}, {"name": "Ny Person"}),
        "POST /people/{person_id}/departure": lambda b: Request(
            b.coordinator, {"person_id": new_person(b)}, {"left_on": f"{b.year}-01-31"}
        ),
        "PUT /units/{unit_id}": lambda b: Request(
            b.coordinator, {"unit_id": b.fresh("u")}, {"name": "Enhet", "permanent_employees": 20, "managers": 1}
        ),
        "POST /imports/units": lambda b: Request(b.coordinator, csv=units_csv()),
        "POST /imports/people": lambda b: Request(b.coordinator, csv=people_csv()),
        "POST /programmes": lambda b: Request(
            b.coordinator,
            body={
                "programme_id": b.fresh("new"),
                "name": "Ny",
                "stages": [{"key": "a", "name": "A", "kind": "instructor-led"}],
            },
        ),
        "PUT /programmes/{programme_id}": lambda b: Request(
            b.coordinator,
            {"programme_id": new_programme(b)},
            {"name": "Version 2", "stages": [{"key": "day", "name": "Day", "kind": "instructor-led"}]},
        ),
        "POST /programmes/{programme_id}/invitations": lambda b: Request(
            b.coordinator, {"programme_id": shared}, {"audience": {"roles": ["participant"]}}
        ),
        "POST /programmes/{programme_id}/enrolments": lambda b: Request(
            b.claims(new_person(b)), {"programme_id": shared}, {}
        ),
        "POST /programmes/{programme_id}/enrolments/{person_id}/decision": lambda b: Request(
            b.coordinator, {"programme_id": approval, "person_id": requested(approval)}, {"approve": True}
        ),
        "POST /programmes/{programme_id}/enrolments/{person_id}/withdrawal": lambda b: Request(
            b.coordinator, {"programme_id": approval, "person_id": requested(approval)}, {"reason": "byter tjänst"}
        ),
        "POST /programmes/{programme_id}/enrolments/{person_id}/completions": lambda b: Request(
            b.coordinator,
            {"programme_id": shared, "person_id": enrolled(shared)},
            {"stage_key": "base", "course_key": "c1"},
        ),
        "POST /course-completions": lambda b: Request(
            b.integration, body={"external_id": f"{shared}-c1", "person_id": new_person(b)}
        ),
        "POST /credentials/{code}/revocation": lambda b: Request(
            b.coordinator, {"code": completed_with_credential()}, {"reason": "utfärdat av misstag"}
        ),
        "POST /programmes/{programme_id}/sessions": lambda b: Request(
            b.coordinator,
            {"programme_id": shared},
            {
                "stage_key": "day",
                "starts_at": f"{b.year}-05-05T13:00",
                "ends_at": f"{b.year}-05-05T16:00",
                "capacity": 20,
            },
        ),
        "POST /programmes/{programme_id}/sessions/series": lambda b: Request(
            b.coordinator,
            {"programme_id": shared},
            {
                "first": {
                    "stage_key": "day",
                    "starts_at": f"{b.year}-05-05T13:00",
                    "ends_at": f"{b.year}-05-05T16:00",
                    "capacity": 20,
                },
                "every": "month",
                "occasions": 6,
            },
        ),
        "POST /sessions/{session_id}/invitations": lambda b: Request(
            b.coordinator, {"session_id": roomy}, {"audience": {"roles": ["participant"]}}
        ),
        "PATCH /sessions/{session_id}": lambda b: Request(
            b.coordinator, {"session_id": new_session(b, shared)}, {"capacity": 120, "location": "Solna"}
        ),
        "POST /sessions/{session_id}/cancellation": lambda b: Request(
            b.coordinator, {"session_id": new_session(b, shared)}, {"reason": "utbildaren är sjuk"}
        ),
        "POST /sessions/{session_id}/registrations": lambda b: Request(b.claims(new_person(b)), {"session_id": roomy}),
        "POST /sessions/{session_id}/registrations/{person_id}": lambda b: Request(
            b.coordinator, {"session_id": roomy, "person_id": new_person(b)}
        ),
        "DELETE /sessions/{session_id}/registrations/{person_id}": lambda b: Request(
            b.coordinator, dict(zip(("session_id", "person_id"), full_with_line(), strict=True))
        ),
        "POST /sessions/{session_id}/registrations/{person_id}/claim": lambda b: (
            lambda s, p: Request(b.claims(p), {"session_id": s, "person_id": p})
        )(*offer()),
        "PUT /sessions/{session_id}/registrations/{person_id}/needs": lambda b: (
            lambda p: (
                register(b, roomy, p),
                Request(b.claims(p), {"session_id": roomy, "person_id": p}, {"needs": "Vegetarisk"}),
            )[1]
        )(new_person(b)),
        "POST /sessions/{session_id}/attendance": lambda b: (
            lambda s, p: moved_clock(
                Request(b.coordinator, {"session_id": s}, {"marks": [{"person_id": p, "attendance": "present"}]})
            )
        )(*attended_session()),
        "POST /sessions/{session_id}/attendance/self": lambda b: self_attendance(),
        "POST /sessions/{session_id}/evaluations": lambda b: evaluation(),
    }


SERVICE = Service(api=api, wiring=WIRING, scenarios=scenarios, clocks=(timezones,))
