import base64
from typing import Any

import pytest

from services.enrolment.wiring import WIRING
from services.shared.store import from_dynamo
from tests.integration.enrolment import COORDINATOR, NEXT_YEAR, PROGRAMME, SESSION, call, register
from tests.support import claims, table_name


def outbox(aws: dict[str, Any]) -> list[dict[str, Any]]:
    items = aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]
    return [from_dynamo(i) for i in items if i.get("kind", {}).get("S") == "outbox"]


def test_session_times_are_entered_in_stockholm_and_stored_in_utc(session_id: str) -> None:
    status, body = call("GET", "/sessions/{session_id}", COORDINATOR, path_parameters={"session_id": session_id})
    assert status == 200
    assert body["starts_at"] == f"{NEXT_YEAR}-11-04T12:00:00Z"  # winter time: UTC+1
    assert body["starts_at_local"] == f"{NEXT_YEAR}-11-04T13:00:00+01:00"
    assert (body["capacity"], body["confirmed"], body["seats_left"]) == (2, 0, 2)


def test_registration_takes_a_seat_and_commits_its_event_with_it(aws: dict[str, Any], session_id: str) -> None:
    status, body = register(session_id, "anna")
    assert status == 201
    assert body["person_id"] == "anna" and body["status"] == "confirmed"
    events = [e for e in outbox(aws) if '"RegistrationConfirmed"' in e["envelope"]]
    assert len(events) == 1
    assert '"person_id":"anna"' in events[0]["envelope"]
    assert events[0]["pk"].startswith("T#humana#OUTBOX#")
    _, session = call("GET", "/sessions/{session_id}", COORDINATOR, path_parameters={"session_id": session_id})
    assert session["seats_left"] == 1


def test_one_active_registration_per_person_and_stage(session_id: str) -> None:
    assert register(session_id, "anna")[0] == 201
    status, body = register(session_id, "anna")
    assert (status, body["error"]["code"]) == (409, "already_registered")


def test_another_tenant_sees_nothing(session_id: str) -> None:
    status, body = call(
        "GET", "/sessions/{session_id}", claims("eve", "gotland"), path_parameters={"session_id": session_id}
    )
    assert (status, body["error"]["code"]) == (404, "not_found")
    assert register(session_id, "eve", tenant="gotland")[0] == 404
    status, page = call("GET", "/programmes", claims("eve", "gotland", "coordinator"))
    assert (status, page["items"]) == (200, [])


def test_roles_are_enforced(aws: dict[str, Any]) -> None:
    status, body = call("POST", "/programmes", claims("anna", "humana", "participant"), PROGRAMME)
    assert (status, body["error"]["code"]) == (403, "forbidden")
    status, body = call("POST", "/programmes", None, PROGRAMME)
    assert (status, body["error"]["code"]) == (401, "unauthenticated")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"raw_body": "{not json"}, "body"),
        ({"raw_body": base64.b64encode(b"\xff\xfe").decode(), "base64_body": True}, "body"),
    ],
)
def test_unreadable_bodies_are_400s_naming_the_body(aws: dict[str, Any], kwargs: dict[str, Any], field: str) -> None:
    status, body = call("POST", "/programmes", COORDINATOR, **kwargs)
    assert status == 400
    assert body["error"]["code"] == "unreadable_body"
    assert body["error"]["fields"][0]["field"] == field


def test_invalid_fields_are_named(aws: dict[str, Any]) -> None:
    bad = {**PROGRAMME, "stages": [{"key": "b", "name": "B", "kind": "e-learning", "requires": ["later"]}]}
    status, body = call("POST", "/programmes", COORDINATOR, bad)
    assert status == 422
    assert body["error"]["fields"] == [{"field": "body.stages.0.requires", "reason": "'later' is not an earlier stage"}]
    status, body = call("POST", "/programmes", COORDINATOR, {"name": "", "stages": []})
    assert status == 422
    assert {f["field"] for f in body["error"]["fields"]} == {"body.name", "body.stages"}


def test_a_session_must_end_after_it_starts(aws: dict[str, Any], session_id: str) -> None:
    status, body = call(
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        {**SESSION, "ends_at": f"{NEXT_YEAR}-11-04T12:00:00"},
        path_parameters={"programme_id": "supervisor-programme"},
    )
    assert status == 422
    assert body["error"]["fields"][0]["field"] == "body.ends_at"


def test_lists_are_paginated_with_an_opaque_cursor(aws: dict[str, Any]) -> None:
    for n in range(3):
        call("POST", "/programmes", COORDINATOR, {**PROGRAMME, "programme_id": f"p{n}", "name": f"P{n}"})
    status, first = call("GET", "/programmes", COORDINATOR, query={"limit": "2"})
    assert status == 200 and [p["name"] for p in first["items"]] == ["P0", "P1"]
    status, second = call("GET", "/programmes", COORDINATOR, query={"limit": "2", "cursor": first["next_cursor"]})
    assert [p["name"] for p in second["items"]] == ["P2"]
    status, body = call("GET", "/programmes", claims("eve", "gotland"), query={"cursor": first["next_cursor"]})
    assert (status, body["error"]["fields"][0]["field"]) == (400, "cursor")


def test_units_form_the_directory_hierarchy(aws: dict[str, Any]) -> None:
    gotland = claims("admin", "gotland", "admin")
    department = {"name": "Myndighetsavdelning", "kind": "department", "parent_id": "52"}
    unit = {"name": "Handläggarenheten", "parent_id": "52002", "permanent_employees": 20, "managers": 1}
    assert call("PUT", "/units/{unit_id}", gotland, department, path_parameters={"unit_id": "52002"})[0] == 200
    status, body = call("PUT", "/units/{unit_id}", gotland, unit, path_parameters={"unit_id": "5200202"})
    assert (status, body["kind"], body["full_time_equivalents"]) == (200, "unit", None)
    status, page = call("GET", "/units", gotland)
    assert [(u["unit_id"], u["parent_id"]) for u in page["items"]] == [("5200202", "52002"), ("52002", "52")]
    status, body = call("PUT", "/units/{unit_id}", gotland, {**unit, "managers": -1}, path_parameters={"unit_id": "x"})
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.managers")


def test_a_route_that_does_not_exist_is_a_404_not_a_500(aws: dict[str, Any]) -> None:
    status, body = call("POST", "/nowhere", COORDINATOR, {})
    assert (status, body["error"]["code"]) == (404, "not_found")
