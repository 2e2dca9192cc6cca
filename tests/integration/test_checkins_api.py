import json
from typing import Any

from services.checkins import api
from services.checkins.wiring import WIRING
from services.shared.store import from_dynamo
from tests.support import as_service, claims, http_event, response_json, table_name

MANAGER = claims("maja", "humana", "manager")
HELD = {"person_id": "anna", "kind": "check-in", "focus_area": "Arbetsmiljö", "held_on": "2026-11-20", "pulse": 4}


def call(method: str, route: str, who: Any, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    with as_service(WIRING):
        response = api.lambda_handler(http_event(method, route, who, body, **kwargs), None)
    return response["statusCode"], response_json(response)


def test_a_manager_records_a_checkin_and_its_event_leaves_the_notes_behind(aws: dict[str, Any]) -> None:
    status, body = call("POST", "/checkins", MANAGER, {**HELD, "notes": "Anna vill gå Fördjupning 2."})
    assert status == 201
    assert (body["manager_id"], body["pulse"]) == ("maja", 4)
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]
    [outbox] = [i for i in items if i.get("kind") == "outbox"]
    envelope = json.loads(outbox["envelope"])
    assert (envelope["type"], envelope["actor"], envelope["data"]["pulse"]) == ("CheckInCompleted", "maja", 4)
    assert "notes" not in envelope["data"]


def test_who_may_record_and_read_checkins(aws: dict[str, Any]) -> None:
    assert call("POST", "/checkins", claims("anna", "humana"), HELD)[0] == 403
    assert call("POST", "/checkins", MANAGER, HELD)[0] == 201
    route, anna = "/people/{person_id}/checkins", {"person_id": "anna"}
    status, own = call("GET", route, claims("anna", "humana"), path_parameters=anna)
    assert (status, [c["focus_area"] for c in own["items"]]) == (200, ["Arbetsmiljö"])
    assert call("GET", route, claims("bo", "humana"), path_parameters=anna)[0] == 403
    status, other_tenant = call("GET", route, claims("x", "gotland", "manager"), path_parameters=anna)
    assert (status, other_tenant["items"]) == (200, [])


def test_a_pulse_outside_one_to_five_is_refused_by_name(aws: dict[str, Any]) -> None:
    status, body = call("POST", "/checkins", MANAGER, {**HELD, "pulse": 6})
    assert status == 422
    assert [f["field"] for f in body["error"]["fields"]] == ["body.pulse"]
