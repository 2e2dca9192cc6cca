"""What a first real run exposed: 404 for what does not exist, nothing written by a refused request,
and forums whose occasions are attended as often as one likes."""

from datetime import UTC, datetime
from typing import Any

import pytest

from services.enrolment.wiring import WIRING
from services.shared.store import from_dynamo
from tests.integration.enrolment import COORDINATOR, NEXT_YEAR, PROGRAMME, SESSION, call, published, register
from tests.support import claims, table_name

ANNA = claims("anna", "humana")
FORUM = {
    "programme_id": "forum",
    "name": "Arbetsledarforum",
    "stages": [{"key": "forum", "name": "Arbetsledarforum", "kind": "forum"}],
    "audience": {"roles": ["participant"]},
}


def items(aws: dict[str, Any]) -> list[dict[str, Any]]:
    return [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]


def person(person_id: str) -> None:
    status, _ = call(
        "PUT", "/people/{person_id}", COORDINATOR, {"name": person_id.title()}, path_parameters={"person_id": person_id}
    )
    assert status == 200


def test_what_does_not_exist_is_a_404_and_a_state_that_forbids_it_a_409(aws: dict[str, Any], session_id: str) -> None:
    programme = {"programme_id": "supervisor-programme", "person_id": "anna"}
    decision = call(
        "POST",
        "/programmes/{programme_id}/enrolments/{person_id}/decision",
        COORDINATOR,
        {"approve": True},
        path_parameters=programme,
    )
    assert (decision[0], decision[1]["error"]["fields"][0]["field"]) == (404, "path.person_id")
    withdrawal = call(
        "POST",
        "/programmes/{programme_id}/enrolments/{person_id}/withdrawal",
        COORDINATOR,
        {"reason": "byter tjänst"},
        path_parameters=programme,
    )
    assert withdrawal[0] == 404
    seat = {"session_id": session_id, "person_id": "anna"}
    needs = call(
        "PUT",
        "/sessions/{session_id}/registrations/{person_id}/needs",
        ANNA,
        {"needs": "Vegetarisk"},
        path_parameters=seat,
    )
    assert needs[0] == 404
    assert call("DELETE", "/sessions/{session_id}/registrations/{person_id}", ANNA, path_parameters=seat)[0] == 404
    assert call("POST", "/sessions/{session_id}/registrations/{person_id}/claim", ANNA, path_parameters=seat)[0] == 404

    # once there is one, a state that forbids the request is the conflict
    assert register(session_id, "anna")[0] == 201
    assert call("DELETE", "/sessions/{session_id}/registrations/{person_id}", ANNA, path_parameters=seat)[0] == 200
    cancelled_again = call("DELETE", "/sessions/{session_id}/registrations/{person_id}", ANNA, path_parameters=seat)
    assert (cancelled_again[0], cancelled_again[1]["error"]["code"]) == (409, "not_registered")
    needs = call(
        "PUT",
        "/sessions/{session_id}/registrations/{person_id}/needs",
        ANNA,
        {"needs": "Vegetarisk"},
        path_parameters=seat,
    )
    assert needs[0] == 409
    assert (
        call(
            "POST",
            "/programmes/{programme_id}/enrolments/{person_id}/decision",
            COORDINATOR,
            {"approve": True},
            path_parameters=programme,
        )[0]
        == 409
    )


def test_lists_under_something_that_does_not_exist_are_404s(aws: dict[str, Any], session_id: str) -> None:
    for route in ("/programmes/{programme_id}/sessions", "/programmes/{programme_id}/enrolments"):
        assert call("GET", route, COORDINATOR, path_parameters={"programme_id": "nowhere"})[0] == 404
        assert call("GET", route, COORDINATOR, path_parameters={"programme_id": "supervisor-programme"})[0] == 200
    assert (
        call("GET", "/sessions/{session_id}/registrations", COORDINATOR, path_parameters={"session_id": "nowhere"})[0]
        == 404
    )


def test_someone_the_directory_does_not_know_cannot_be_registered_or_enrolled(
    aws: dict[str, Any], session_id: str
) -> None:
    before = len(items(aws))
    status, body = call(
        "POST",
        "/sessions/{session_id}/registrations/{person_id}",
        COORDINATOR,
        path_parameters={"session_id": session_id, "person_id": "nobody"},
    )
    assert (status, body["error"]["code"]) == (404, "not_found")
    status, _ = call(
        "POST",
        "/programmes/{programme_id}/enrolments",
        COORDINATOR,
        {"person_id": "nobody"},
        path_parameters={"programme_id": "supervisor-programme"},
    )
    assert status == 404
    assert len(items(aws)) == before


def test_a_refused_registration_leaves_no_enrolment_behind(aws: dict[str, Any], session_id: str) -> None:
    # version 2 drops the stage of an existing session: registering for it must change nothing
    dropped = {**PROGRAMME, "stages": [PROGRAMME["stages"][0]]}
    assert (
        call(
            "PUT",
            "/programmes/{programme_id}",
            COORDINATOR,
            dropped,
            path_parameters={"programme_id": "supervisor-programme"},
        )[0]
        == 200
    )
    before = published(aws)

    status, body = register(session_id, "anna")

    assert (status, body["error"]["fields"][0]["field"]) == (404, "path.session_id")
    assert published(aws) == before  # no EnrolmentApproved announced either
    progress = {"programme_id": "supervisor-programme", "person_id": "anna"}
    assert call("GET", "/programmes/{programme_id}/enrolments/{person_id}", ANNA, path_parameters=progress)[0] == 404


def test_a_csv_cell_too_large_to_read_is_a_422_naming_the_line(aws: dict[str, Any]) -> None:
    text = "unit_id,name\nu1," + "x" * 131_073 + "\n"
    status, body = call("POST", "/imports/units", COORDINATOR, raw_body=text, headers={"content-type": "text/csv"})
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body")
    assert "line 2" in body["error"]["fields"][0]["reason"]


def test_times_outside_this_century_are_refused(aws: dict[str, Any], session_id: str) -> None:
    body = {**SESSION, "starts_at": "0318-01-01T10:00", "ends_at": f"{NEXT_YEAR}-01-01T10:00"}
    status, error = call(
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        body,
        path_parameters={"programme_id": "supervisor-programme"},
    )
    assert (status, error["error"]["fields"][0]["field"]) == (422, "body.starts_at")
    status, error = call(
        "PATCH",
        "/sessions/{session_id}",
        COORDINATOR,
        {"ends_at": "2200-01-01T10:00"},
        path_parameters={"session_id": session_id},
    )
    assert (status, error["error"]["fields"][0]["field"]) == (422, "body.ends_at")


@pytest.fixture
def forum(aws: dict[str, Any]) -> list[str]:
    for name in ("anna", "bo"):
        person(name)
    assert call("POST", "/programmes", COORDINATOR, FORUM)[0] == 201
    first = {"stage_key": "forum", "starts_at": f"{NEXT_YEAR}-01-27T15:00", "ends_at": f"{NEXT_YEAR}-01-27T16:00"}
    series = {"first": first | {"capacity": 60}, "every": "month", "occasions": 3}
    status, sessions = call(
        "POST",
        "/programmes/{programme_id}/sessions/series",
        COORDINATOR,
        series,
        path_parameters={"programme_id": "forum"},
    )
    assert status == 201
    return [s["session_id"] for s in sessions]


def test_a_forum_is_attended_occasion_by_occasion_and_completes_nothing(
    aws: dict[str, Any], forum: list[str], clock: Any
) -> None:
    # seats at several occasions at once
    assert [register(session, "anna")[0] for session in forum] == [201, 201, 201]
    clock(datetime(NEXT_YEAR, 1, 27, 14, 10, tzinfo=UTC))
    marked = call(
        "POST",
        "/sessions/{session_id}/attendance",
        COORDINATOR,
        {"marks": [{"person_id": "anna", "attendance": "present"}]},
        path_parameters={"session_id": forum[0]},
    )
    assert marked[0] == 200
    types = [event_type for event_type, _ in published(aws)]
    assert types.count("AttendanceRecorded") == 1  # counted, per occasion
    assert "StageCompleted" not in types and "ProgrammeCompleted" not in types
    progress = {"programme_id": "forum", "person_id": "anna"}
    mine = call("GET", "/programmes/{programme_id}/enrolments/{person_id}", ANNA, path_parameters=progress)[1]
    assert (mine["enrolment"]["status"], mine["stages"][0]["state"]) == ("active", "open")
    # cancelling one occasion keeps the others
    seat = {"session_id": forum[1], "person_id": "anna"}
    assert call("DELETE", "/sessions/{session_id}/registrations/{person_id}", ANNA, path_parameters=seat)[0] == 200
    assert register(forum[1], "anna")[0] == 201


def test_a_forum_invites_each_occasion_not_the_programme(aws: dict[str, Any], forum: list[str]) -> None:
    invited = [(d["session_id"], d["person_ids"]) for t, d in published(aws) if t == "InvitationsSent"]
    # one invitation per occasion (the later ones go out in good time), none for the programme itself
    assert invited == [(forum[0], ["anna", "bo"])]
    assert register(forum[0], "anna")[0] == 201
    status, sent = call(
        "POST", "/sessions/{session_id}/invitations", COORDINATOR, {}, path_parameters={"session_id": forum[1]}
    )
    assert (status, sent["invited"]) == (200, 2)  # a seat at the first occasion does not skip her for the second


def test_a_request_named_by_an_idempotency_key_creates_once_however_often_it_is_sent(aws: dict[str, Any]) -> None:
    named = {"headers": {"idempotency-key": "8f14e45f"}}
    programme = {"name": "Fördjupning", "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}]}
    first = call("POST", "/programmes", COORDINATOR, programme, **named)
    again = call("POST", "/programmes", COORDINATOR, programme, **named)
    assert (first[0], again[0], again[1]["programme_id"]) == (201, 201, first[1]["programme_id"])
    assert len(call("GET", "/programmes", COORDINATOR)[1]["items"]) == 1

    path = {"programme_id": first[1]["programme_id"]}
    body = {**SESSION, "stage_key": "f1"}
    made = [
        call("POST", "/programmes/{programme_id}/sessions", COORDINATOR, body, path_parameters=path, **named)
        for _ in range(2)
    ]
    assert made[0][1]["session_id"] == made[1][1]["session_id"]
    unnamed = call("POST", "/programmes/{programme_id}/sessions", COORDINATOR, body, path_parameters=path)
    assert unnamed[1]["session_id"] != made[0][1]["session_id"]  # a request without a name is a new request
    sessions = call("GET", "/programmes/{programme_id}/sessions", COORDINATOR, path_parameters=path)[1]["items"]
    assert len(sessions) == 2
    assert [t for t, _ in published(aws)].count("SessionScheduled") == 2
