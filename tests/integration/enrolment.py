"""Calls to the enrolment API through its Lambda handler, shared by the integration tests."""

import json
from datetime import date
from typing import Any

from services.enrolment import api
from services.enrolment.wiring import WIRING
from services.shared.store import from_dynamo
from tests.support import as_service, claims, http_event, response_json, table_name

NEXT_YEAR = date.today().year + 1
COORDINATOR = claims("coord", "humana", "coordinator")
PROGRAMME = {
    "programme_id": "supervisor-programme",
    "name": "Arbetsledarprogrammet",
    "stages": [
        {"key": "basen", "name": "Basen", "kind": "e-learning"},
        {"key": "fordjupning-1", "name": "Fördjupning 1", "kind": "instructor-led"},
    ],
}
SESSION = {
    "stage_key": "fordjupning-1",
    "starts_at": f"{NEXT_YEAR}-11-04T13:00:00",  # always after the switch to winter time
    "ends_at": f"{NEXT_YEAR}-11-04T15:45:00",
    "capacity": 2,
    "video_url": "https://meet.example/f1",
}


def call(method: str, route: str, who: Any, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    with as_service(WIRING):
        response = api.lambda_handler(http_event(method, route, who, body, **kwargs), None)
    return response["statusCode"], response_json(response)


def register(session_id: str, person: str, tenant: str = "humana") -> tuple[int, Any]:
    return call(
        "POST",
        "/sessions/{session_id}/registrations",
        claims(person, tenant),
        path_parameters={"session_id": session_id},
    )


def published(aws: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The enrolment service's committed events (its outbox), oldest first: (type, data)."""
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(WIRING))["Items"]]
    envelopes = sorted((json.loads(i["envelope"]) for i in items if i.get("kind") == "outbox"), key=lambda e: e["time"])
    return [(e["type"], e["data"]) for e in envelopes]
