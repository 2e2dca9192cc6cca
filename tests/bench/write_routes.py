"""Every write route of a service through its Lambda handler, against moto in server mode: what a request
costs beside the DynamoDB calls it makes.

    make bench-ledger            # or: python -m tests.bench.write_routes [--requests 30] [--service enrolment]

Per route: the DynamoDB round trips of one request, named by operation, the median time of a request,
and the median time of the very same calls replayed bare (no handler, no validation, no domain code;
writes without their conditions, so they land again) against the same server in the same run. The
ratio of the two is what our code adds; above `LIMIT` the run fails.

Each request is prepared first (not timed), so that every route is measured doing its real work: a
registration takes a free seat, a cancellation promotes the next in line, an attendance mark completes
a stage.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from local.auth import LOCAL_INTEGRATIONS
from tests.bench.moto_server import Recorder, start_moto

LIMIT = 1.5
TENANT = LOCAL_INTEGRATIONS[0].tenant_id  # the tenant the local learning portal pushes completions for


@dataclass
class Request:
    who: dict[str, str]
    path: dict[str, str] = field(default_factory=dict)
    body: Any = None
    csv: str | None = None


@dataclass
class Measured:
    route: str
    timings: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)

    def line(self, count: int) -> str:
        median, bare = statistics.median(self.timings), statistics.median(self.bare)
        trips = ", ".join(f"{name} {n / count:g}" for name, n in sorted(self.calls.items()))
        total = sum(self.calls.values()) / count
        return f"{self.route:62} {total:6.1f} {median:9.2f} {bare:8.2f} {median / bare:6.2f}   {trips}"


class Bench:
    """A tenant's programmes, sessions and people, made through the API itself, and a clock to move."""

    def __init__(self, api: Any, wiring: Any, as_service: Any, claims: Any, http_event: Any) -> None:
        self.api, self.wiring, self.as_service, self.claims, self.http_event = (
            api,
            wiring,
            as_service,
            claims,
            http_event,
        )
        self.coordinator = claims("coord", TENANT, "coordinator", "admin")
        self.year = date.today().year + 1
        self.now: datetime | None = None
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def handle(self, method: str, route: str, request: Request) -> Any:
        if request.csv is not None:
            event = self.http_event(
                method, route, request.who, raw_body=request.csv, headers={"content-type": "text/csv"}
            )
            event["pathParameters"] = request.path or None
        else:
            event = self.http_event(method, route, request.who, request.body, path_parameters=request.path or None)
        with self.as_service(self.wiring):
            response = self.api.lambda_handler(event, None)
        assert response["statusCode"] < 300, (method, route, response["body"])
        return json.loads(response["body"]) if response.get("body") else None

    def call(self, method: str, route: str, who: dict[str, str] | None = None, body: Any = None, **path: str) -> Any:
        return self.handle(method, route, Request(who or self.coordinator, path, body))

    # --- what the scenarios need ---------------------------------------------------------------

    def person(self, manager: str | None = None) -> str:
        person_id = self.fresh("p")
        body = {"name": f"Person {person_id}", "email": f"{person_id}@example.se", "manager_id": manager}
        self.call("PUT", "/people/{person_id}", body=body, person_id=person_id)
        return person_id

    def programme(self, **extra: Any) -> str:
        programme_id = self.fresh("prog")
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
        self.call("POST", "/programmes", body=body)
        return programme_id

    def session(self, programme_id: str, capacity: int = 100, starts: datetime | None = None, **extra: Any) -> str:
        starts = starts or datetime(self.year, 3, 3, 12, tzinfo=UTC)
        body = {
            "stage_key": "day",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "capacity": capacity,
            "trainers": ["trainer"],
        } | extra
        return str(
            self.call("POST", "/programmes/{programme_id}/sessions", body=body, programme_id=programme_id)["session_id"]
        )

    def register(self, session_id: str, person_id: str) -> Any:
        return self.call(
            "POST", "/sessions/{session_id}/registrations", self.claims(person_id, TENANT), session_id=session_id
        )


Scenario = Callable[[Bench], Request]


def scenarios(b: Bench) -> dict[str, Scenario]:
    """Route -> how to prepare one request of it (made fresh each time, apart from what is shared)."""
    shared = b.programme()
    roomy = b.session(shared, capacity=10_000)
    started = datetime(b.year, 3, 3, 12, tzinfo=UTC)

    def attended_session() -> tuple[str, str]:
        """A person with a seat at a session that has started (the clock is moved for the request)."""
        programme = b.programme()
        session = b.session(programme, starts=started)
        person = b.person()
        b.register(session, person)
        return session, person

    def enrolled(programme: str) -> str:
        person = b.person()
        b.call("POST", "/programmes/{programme_id}/enrolments", b.claims(person, TENANT), {}, programme_id=programme)
        return person

    def requested(programme: str) -> str:
        person = b.person(manager="mgr")
        b.call("POST", "/programmes/{programme_id}/enrolments", b.claims(person, TENANT), {}, programme_id=programme)
        return person

    def full_with_line() -> tuple[str, str]:
        """A one-seat session, taken, and someone waiting: a cancellation promotes."""
        session = b.session(shared, capacity=1)
        holder = b.person()
        b.register(session, holder)
        b.register(session, b.person())
        return session, holder

    def offer() -> tuple[str, str]:
        session = b.session(shared, capacity=1, claim_window_minutes=60)
        holder, waiting = b.person(), b.person()
        b.register(session, holder)
        b.register(session, waiting)
        b.call("DELETE", "/sessions/{session_id}/registrations/{person_id}", session_id=session, person_id=holder)
        return session, waiting

    approval = b.programme(requires_approval=True)
    credential_programme = b.programme(credential={"name": "Diplom"})

    def completed_with_credential() -> str:
        person = enrolled(credential_programme)
        for course in ("c1", "c2"):
            b.call(
                "POST",
                "/course-completions",
                INTEGRATION,
                {"external_id": f"{credential_programme}-{course}", "person_id": person},
            )
        b.call(
            "POST",
            "/programmes/{programme_id}/enrolments/{person_id}/completions",
            body={"stage_key": "day"},
            programme_id=credential_programme,
            person_id=person,
        )
        return str(b.call("GET", "/me/credentials", b.claims(person, TENANT))[0]["verification_code"])

    def code_of(session: str) -> str:
        return str(b.call("GET", "/sessions/{session_id}/attendance-code", session_id=session)["code"])

    def moved_clock(request: Request) -> Request:
        b.now = started + timedelta(minutes=5)
        return request

    def self_attendance() -> Request:
        session, person = attended_session()
        b.now = started + timedelta(minutes=5)
        return Request(b.claims(person, TENANT), {"session_id": session}, {"code": code_of(session)})

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
        return Request(b.claims(person, TENANT), {"session_id": session}, {"rating": 4, "comment": "Bra"})

    def units_csv() -> str:
        prefix = b.fresh("x")
        return "unit_id,name,kind,parent_id\n" + "".join(f"{prefix}-{n},Unit {n},unit,\n" for n in range(10))

    def people_csv() -> str:
        prefix = b.fresh("y")
        return "person_id,name\n" + "".join(f"{prefix}-{n},Imported {n}\n" for n in range(10))

    return {
        "PUT /people/{person_id}": lambda b: Request(b.coordinator, {"person_id": b.fresh("p")}, {"name": "Ny Person"}),
        "POST /people/{person_id}/departure": lambda b: Request(
            b.coordinator, {"person_id": b.person()}, {"left_on": f"{b.year}-01-31"}
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
            {"programme_id": b.programme()},
            {"name": "Version 2", "stages": [{"key": "day", "name": "Day", "kind": "instructor-led"}]},
        ),
        "POST /programmes/{programme_id}/invitations": lambda b: Request(
            b.coordinator, {"programme_id": shared}, {"audience": {"roles": ["participant"]}}
        ),
        "POST /programmes/{programme_id}/enrolments": lambda b: Request(
            b.claims(b.person(), TENANT), {"programme_id": shared}, {}
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
            INTEGRATION, body={"external_id": f"{shared}-c1", "person_id": b.person()}
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
            b.coordinator, {"session_id": b.session(shared)}, {"capacity": 120, "location": "Solna"}
        ),
        "POST /sessions/{session_id}/cancellation": lambda b: Request(
            b.coordinator, {"session_id": b.session(shared)}, {"reason": "utbildaren är sjuk"}
        ),
        "POST /sessions/{session_id}/registrations": lambda b: Request(
            b.claims(b.person(), TENANT), {"session_id": roomy}
        ),
        "POST /sessions/{session_id}/registrations/{person_id}": lambda b: Request(
            b.coordinator, {"session_id": roomy, "person_id": b.person()}
        ),
        "DELETE /sessions/{session_id}/registrations/{person_id}": lambda b: Request(
            b.coordinator, dict(zip(("session_id", "person_id"), full_with_line(), strict=True))
        ),
        "POST /sessions/{session_id}/registrations/{person_id}/claim": lambda b: (
            lambda s, p: Request(b.claims(p, TENANT), {"session_id": s, "person_id": p})
        )(*offer()),
        "PUT /sessions/{session_id}/registrations/{person_id}/needs": lambda b: (
            lambda p: (
                b.register(roomy, p),
                Request(b.claims(p, TENANT), {"session_id": roomy, "person_id": p}, {"needs": "Vegetarisk"}),
            )[1]
        )(b.person()),
        "POST /sessions/{session_id}/attendance": lambda b: (
            lambda s, p: moved_clock(
                Request(b.coordinator, {"session_id": s}, {"marks": [{"person_id": p, "attendance": "present"}]})
            )
        )(*attended_session()),
        "POST /sessions/{session_id}/attendance/self": lambda b: self_attendance(),
        "POST /sessions/{session_id}/evaluations": lambda b: evaluation(),
    }


INTEGRATION: dict[str, str] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--route", help="only the routes containing this text")
    options = parser.parse_args()
    server = start_moto()
    host, port = server.get_host_and_port()
    # imported after the environment is set: the handlers read their settings once
    from services.enrolment import api
    from services.enrolment.wiring import WIRING
    from services.shared import timezones
    from services.shared.aws import client
    from tests.support import as_service, claims, http_event, integration_claims, table_name

    INTEGRATION.update(integration_claims())
    dynamodb = client("dynamodb")
    dynamodb.create_table(**WIRING.table.create_table_request(table_name(WIRING)))
    recorder = Recorder(dynamodb)
    bench = Bench(api, WIRING, as_service, claims, http_event)
    real_now = timezones.now
    timezones.now = lambda: bench.now or real_now()  # type: ignore[assignment]
    prepared = scenarios(bench)
    declared = {f"{r.method} {r.path}" for r in WIRING.routes() if r.method != "GET"}
    assert set(prepared) == declared, f"write routes without a scenario: {sorted(declared - set(prepared))}"

    results = []
    for route in sorted(prepared):
        if options.route and options.route not in route:
            continue
        method, path = route.split(" ", 1)
        measured = Measured(route)
        recordings = []
        for _ in range(options.requests):
            bench.now = None
            request = prepared[route](bench)
            recorder.start()
            started = time.perf_counter()
            bench.handle(method, path, request)
            measured.timings.append((time.perf_counter() - started) * 1000)
            calls = recorder.stop()
            measured.calls.update(name for name, _ in calls)
            recordings.append(calls)
        for calls in recordings:
            started = time.perf_counter()
            recorder.replay(calls)
            measured.bare.append((time.perf_counter() - started) * 1000)
        results.append(measured)

    print(f"{options.requests} requests per route, enrolment's handler against moto in server mode on {host}:{port}")
    print(f"{'route':62} {'trips':>6} {'median ms':>9} {'bare ms':>8} {'ratio':>6}   round trips per request")
    for measured in results:
        print(measured.line(options.requests))
    server.stop()
    over = [m.route for m in results if statistics.median(m.timings) / statistics.median(m.bare) > LIMIT]
    if over:
        raise SystemExit(f"above {LIMIT} times the bare calls: {', '.join(over)}")


if __name__ == "__main__":
    main()
