"""Telling many at once: who is invited when a programme or session is published, what they and the
people of a moved session are told."""

from datetime import UTC, datetime
from typing import Any

import pytest

from local.seeds import humana_programme
from services.enrolment import jobs
from services.enrolment.wiring import WIRING
from services.shared.envelope import EventContext
from tests.integration.enrolment import COORDINATOR, NEXT_YEAR, call, published, register
from tests.support import as_service, claims

PROGRAMME_ID = "arbetsledarprogrammet"
CONTEXT = EventContext(tenant_id="humana", actor="coord", correlation_id="c")
UNITS = {
    "humana": {"name": "Humana", "kind": "organisation"},
    "syd": {"name": "Region Syd", "kind": "department", "parent_id": "humana"},
    "syd-1": {"name": "Assistans Malmö", "parent_id": "syd"},
    "norr": {"name": "Region Norr", "kind": "department", "parent_id": "humana"},
}
PEOPLE = {
    "anna": {"unit_id": "syd-1"},
    "bo": {"unit_id": "norr"},
    "cilla": {"unit_id": "syd", "roles": ["participant", "manager"]},
    "dan": {"unit_id": "syd-1"},
    "eva": {"unit_id": "syd-1", "roles": ["trainer"]},
}


def invitations(aws: dict[str, Any]) -> list[tuple[str | None, list[str]]]:
    return [(d["session_id"], d["person_ids"]) for t, d in published(aws) if t == "InvitationsSent"]


def schedule(stage_key: str = "fordjupning-1", **extra: Any) -> str:
    body = {
        "stage_key": stage_key,
        "starts_at": f"{NEXT_YEAR}-03-03T13:00",
        "ends_at": f"{NEXT_YEAR}-03-03T15:45",
        "capacity": 20,
    }
    path = {"programme_id": PROGRAMME_ID}
    status, session = call(
        "POST", "/programmes/{programme_id}/sessions", COORDINATOR, body | extra, path_parameters=path
    )
    assert status == 201, session
    return str(session["session_id"])


def complete_base(person: str) -> None:
    enrol(person)
    path = {"programme_id": PROGRAMME_ID, "person_id": person}
    route = "/programmes/{programme_id}/enrolments/{person_id}/completions"
    status, body = call("POST", route, COORDINATOR, {"stage_key": "basen"}, path_parameters=path)
    assert status == 200, body


def enrol(person: str) -> None:
    path = {"programme_id": PROGRAMME_ID}
    status, body = call(
        "POST", "/programmes/{programme_id}/enrolments", COORDINATOR, {"person_id": person}, path_parameters=path
    )
    assert status == 201, body


@pytest.fixture
def directory(aws: dict[str, Any]) -> None:
    for unit_id, unit in UNITS.items():
        assert call("PUT", "/units/{unit_id}", COORDINATOR, unit, path_parameters={"unit_id": unit_id})[0] == 200
    for person_id, details in PEOPLE.items():
        body = {"name": person_id.title()} | details
        assert call("PUT", "/people/{person_id}", COORDINATOR, body, path_parameters={"person_id": person_id})[0] == 200
    departure = {"left_on": "2026-01-31"}
    assert (
        call("POST", "/people/{person_id}/departure", COORDINATOR, departure, path_parameters={"person_id": "dan"})[0]
        == 200
    )


def test_publishing_invites_the_audience_with_the_units_under_it_but_not_who_left(
    aws: dict[str, Any], directory: None
) -> None:
    programme = humana_programme() | {"audience": {"roles": ["participant"], "unit_ids": ["syd"]}}
    assert call("POST", "/programmes", COORDINATOR, programme)[0] == 201
    assert invitations(aws) == [(None, ["anna", "cilla"])]  # not bo (norr), dan (left), eva (trainer)

    path = {"programme_id": PROGRAMME_ID}
    assert call("PUT", "/programmes/{programme_id}", COORDINATOR, programme, path_parameters=path)[0] == 200
    assert len(invitations(aws)) == 1  # a new version with the same audience invites nobody again
    widened = programme | {"audience": {"roles": ["participant"]}}
    assert call("PUT", "/programmes/{programme_id}", COORDINATOR, widened, path_parameters=path)[0] == 200
    assert invitations(aws)[-1] == (None, ["bo"])  # only who is new in the audience
    unknown = programme | {"audience": {"unit_ids": ["syd", "atlantis"]}}
    status, body = call("PUT", "/programmes/{programme_id}", COORDINATOR, unknown, path_parameters=path)
    assert (status, body["error"]["fields"][0]["field"]) == (422, "audience.unit_ids.1")

    moved = {"name": "Bo", "unit_id": "syd-1"}
    assert call("PUT", "/people/{person_id}", COORDINATOR, moved, path_parameters={"person_id": "bo"})[0] == 200
    assert call("POST", "/programmes", COORDINATOR, programme | {"programme_id": "annat"})[0] == 201
    assert invitations(aws)[-1] == (None, ["anna", "bo", "cilla"])  # bo moved into syd, found by unit


def test_a_session_invites_only_those_for_whom_its_stage_is_open_and_who_hold_no_seat(
    aws: dict[str, Any], directory: None
) -> None:
    programme = humana_programme() | {"audience": {"roles": ["participant"]}}
    assert call("POST", "/programmes", COORDINATOR, programme)[0] == 201
    complete_base("anna")
    call(
        "POST",
        "/programmes/{programme_id}/enrolments",
        COORDINATOR,
        {"person_id": "bo"},
        path_parameters={"programme_id": PROGRAMME_ID},
    )
    first = schedule()
    # bo's deep dive is locked, cilla is not enrolled and would need the base too
    assert invitations(aws)[-1] == (first, ["anna"])

    assert register(first, "anna")[0] == 201
    complete_base("bo")
    note = {"note": "Sista anmälningsdag är fredag."}
    status, body = call(
        "POST", "/sessions/{session_id}/invitations", COORDINATOR, note, path_parameters={"session_id": first}
    )
    assert (status, body) == (200, {"invited": 1})
    assert invitations(aws)[-1] == (first, ["bo"])  # anna holds a seat already
    assert published(aws)[-1][1]["note"] == "Sista anmälningsdag är fredag."

    opens = f"{NEXT_YEAR}-02-01T08:00"
    schedule(audience={"unit_ids": ["norr"]}, registration_opens_at=opens)  # the session's own audience
    assert invitations(aws)[-1][1] == ["bo"]
    assert published(aws)[-1][1]["registration_opens_at"] == f"{NEXT_YEAR}-02-01T07:00:00Z"


def test_a_coordinator_invites_again_those_not_yet_enrolled(aws: dict[str, Any], directory: None) -> None:
    assert call("POST", "/programmes", COORDINATOR, humana_programme())[0] == 201
    assert invitations(aws) == []  # no audience: nobody is invited
    path = {"programme_id": PROGRAMME_ID}
    route = "/programmes/{programme_id}/invitations"
    status, body = call("POST", route, COORDINATOR, {}, path_parameters=path)
    assert (status, body["error"]["fields"]) == (422, [{"field": "body.audience", "reason": "is required here"}])

    complete_base("anna")
    status, body = call("POST", route, COORDINATOR, {"audience": {"unit_ids": ["syd-1"]}}, path_parameters=path)
    assert (status, body) == (200, {"invited": 1})
    assert invitations(aws) == [(None, ["eva"])]  # anna is enrolled, dan left

    unknown = {"audience": {"unit_ids": ["syd", "atlantis"]}}
    status, body = call("POST", route, COORDINATOR, unknown, path_parameters=path)
    assert (status, body["error"]["fields"]) == (
        422,
        [{"field": "audience.unit_ids.1", "reason": "is not a unit of the organisation"}],
    )
    assert call("POST", route, claims("anna", "humana"), {}, path_parameters=path)[0] == 403


def test_a_programme_naming_an_unknown_unit_is_refused_and_nothing_is_written(
    aws: dict[str, Any], directory: None
) -> None:
    programme = humana_programme() | {"audience": {"unit_ids": ["atlantis"]}}
    status, body = call("POST", "/programmes", COORDINATOR, programme)
    assert (status, body["error"]["fields"][0]["field"]) == (422, "audience.unit_ids.0")
    assert (
        call("GET", "/programmes/{programme_id}", COORDINATOR, path_parameters={"programme_id": PROGRAMME_ID})[0] == 404
    )


def test_no_invitations_to_a_cancelled_session(aws: dict[str, Any], directory: None) -> None:
    assert call("POST", "/programmes", COORDINATOR, humana_programme())[0] == 201
    session_id = schedule()
    path = {"session_id": session_id}
    assert (
        call("POST", "/sessions/{session_id}/cancellation", COORDINATOR, {"reason": "sjuk"}, path_parameters=path)[0]
        == 200
    )
    status, body = call(
        "POST", "/sessions/{session_id}/invitations", COORDINATOR, {"audience": {}}, path_parameters=path
    )
    assert status == 409, body


def test_a_monthly_forum_invites_for_its_first_occasion_now_and_the_others_in_good_time(
    aws: dict[str, Any], directory: None, clock: Any
) -> None:
    forum = {
        "programme_id": "arbetsledarforum",
        "name": "Arbetsledarforum",
        "stages": [{"key": "forum", "name": "Forum", "kind": "network"}],
        "audience": {"roles": ["participant"]},
    }
    assert call("POST", "/programmes", COORDINATOR, forum)[0] == 201
    first = {"stage_key": "forum", "starts_at": f"{NEXT_YEAR}-02-10T13:00", "ends_at": f"{NEXT_YEAR}-02-10T14:00"}
    series = {"first": first | {"capacity": 40, "video_url": "https://meet.example/forum"}, "every": "month"}
    path = {"programme_id": "arbetsledarforum"}
    status, sessions = call(
        "POST",
        "/programmes/{programme_id}/sessions/series",
        COORDINATOR,
        series | {"occasions": 3},
        path_parameters=path,
    )
    assert status == 201, sessions
    assert [s["starts_at_local"][:16] for s in sessions] == [
        f"{NEXT_YEAR}-02-10T13:00",
        f"{NEXT_YEAR}-03-10T13:00",
        f"{NEXT_YEAR}-04-10T13:00",
    ]
    everyone = ["anna", "bo", "cilla"]
    # one invitation per occasion: a forum is not enrolled in, its first occasion is invited at once
    assert invitations(aws) == [(sessions[0]["session_id"], everyone)]

    def invite_due() -> int:
        with as_service(WIRING):
            return int(jobs.lambda_handler({"schedule": "session-invitations"}, None)["done"])

    clock(datetime(NEXT_YEAR, 2, 23, 6, tzinfo=UTC))  # 15 days before the second occasion
    assert invite_due() == 0
    clock(datetime(NEXT_YEAR, 2, 24, 6, tzinfo=UTC))  # 14 days before
    assert invite_due() == 3
    assert invite_due() == 0  # once
    assert invitations(aws)[-1] == (sessions[1]["session_id"], everyone)

    status, body = call(
        "POST",
        "/programmes/{programme_id}/sessions/series",
        COORDINATOR,
        series | {"occasions": 30},
        path_parameters=path,
    )
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.occasions")
