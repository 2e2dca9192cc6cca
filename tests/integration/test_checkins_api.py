"""A check-in held without the wheel, recorded by the line manager with a pulse (the walking skeleton's)."""

import json
from typing import Any

from services.checkins.wiring import WIRING
from services.shared.store import from_dynamo
from tests.integration.checkins import MANAGER, OTHER_MANAGER, call, person, tell
from tests.support import claims, table_name

HELD = {"person_id": "anna", "kind": "check-in", "focus_area": "Arbetsmiljö", "held_on": "2026-11-20", "pulse": 4}


def test_a_line_manager_records_a_checkin_and_its_event_leaves_the_notes_behind(aws: dict[str, Any]) -> None:
    tell(person("anna"))
    status, body = call("POST", "/checkins", MANAGER, {**HELD, "notes": "Anna vill gå Fördjupning 2."})
    assert status == 201
    assert (body["manager_id"], body["pulse"], body["status"], body["held_on"]) == (
        "maja",
        4,
        "completed",
        "2026-11-20",
    )
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]
    [outbox] = [i for i in items if i.get("kind") == "outbox"]
    envelope = json.loads(outbox["envelope"])
    assert (envelope["type"], envelope["actor"], envelope["data"]["pulse"]) == ("CheckInCompleted", "maja", 4)
    assert "Fördjupning 2" not in outbox["envelope"]
    # the notes are the manager's own, private note on it
    status, view = call(
        "GET",
        "/people/{person_id}/checkins/{checkin_id}",
        claims("anna", "humana"),
        path_parameters={"person_id": "anna", "checkin_id": body["checkin_id"]},
    )
    assert (status, view["notes"]) == (200, [])


def test_who_may_record_and_read_checkins(aws: dict[str, Any]) -> None:
    tell(person("anna"))
    assert call("POST", "/checkins", claims("anna", "humana"), HELD)[0] == 403
    assert call("POST", "/checkins", OTHER_MANAGER, HELD)[0] == 403  # not her line manager
    assert call("POST", "/checkins", MANAGER, HELD)[0] == 201
    route, anna = "/people/{person_id}/checkins", {"person_id": "anna"}
    status, own = call("GET", route, claims("anna", "humana"), path_parameters=anna)
    assert (status, [c["focus_area"] for c in own["items"]]) == (200, ["Arbetsmiljö"])
    assert call("GET", route, claims("bo", "humana"), path_parameters=anna)[0] == 403
    assert call("GET", route, OTHER_MANAGER, path_parameters=anna)[0] == 403  # any manager no longer reads anyone's
    assert call("GET", route, claims("maja", "gotland", "manager"), path_parameters=anna)[0] == 403
    # to another organisation's coordinator, anna is not there (not an empty list that answers for anyone)
    assert call("GET", route, claims("x", "gotland", "coordinator"), path_parameters=anna)[0] == 404


def test_a_pulse_outside_one_to_five_is_refused_by_name(aws: dict[str, Any]) -> None:
    status, body = call("POST", "/checkins", MANAGER, {**HELD, "pulse": 6})
    assert status == 422
    assert [f["field"] for f in body["error"]["fields"]] == ["body.pulse"]
