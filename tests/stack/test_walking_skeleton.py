"""One thin flow across all four services, over HTTP against the local stack (the README shows it as curl)."""

import uuid
from datetime import date
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

NEXT_YEAR = date.today().year + 1
pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


class Client:
    def __init__(self, stack: Any, sub: str, tenant: str, *roles: str) -> None:
        self.base = stack.base_url
        self.headers = {"Authorization": f"Bearer {stack.token(sub, tenant, list(roles))}"}

    def __call__(self, method: str, path: str, body: Any = None, **params: str) -> requests.Response:
        return requests.request(method, self.base + path, json=body, params=params, headers=self.headers, timeout=10)


def sent_to(address: str) -> list[str]:
    """The subjects of the emails SES sent to `address`: plain ones, and raw ones with a calendar entry."""
    subjects = []
    for sent in ses_backends[DEFAULT_ACCOUNT_ID]["eu-north-1"].sent_messages:
        if hasattr(sent, "raw_data"):
            message = message_from_string(sent.raw_data, _class=EmailMessage, policy=policy.default)
            if message["To"] == address:
                subjects.append(str(message["Subject"]))
        elif address in sent.destinations["ToAddresses"]:
            subjects.append(sent.subject)
    return subjects


def test_register_notify_check_in_and_report_across_all_four_services(stack: Any) -> None:
    tenant = f"skeleton-{uuid.uuid4().hex[:8]}"
    coordinator = Client(stack, "coord", tenant, "coordinator")
    anna, bo, cecilia = (Client(stack, name, tenant, "participant") for name in ("anna", "bo", "cecilia"))
    manager = Client(stack, "maja", tenant, "manager")
    board = Client(stack, "board", tenant, "board")
    anna_email = f"anna.{tenant}@example.se"
    for person_id, email in (("anna", anna_email), ("bo", None), ("cecilia", None)):
        body = {"name": person_id.title(), "email": email, "manager_id": "maja"}
        assert coordinator("PUT", f"/people/{person_id}", body).status_code == 200

    # 1. a programme with one instructor-led stage and a session with two seats
    programme = {"name": "Fördjupning", "stages": [{"key": "f1", "name": "Fördjupning 1", "kind": "instructor-led"}]}
    created = coordinator("POST", "/programmes", programme)
    assert created.status_code == 201, created.text
    session = coordinator(
        "POST",
        f"/programmes/{created.json()['programme_id']}/sessions",
        {
            "stage_key": "f1",
            "starts_at": f"{NEXT_YEAR}-12-03T13:00",
            "ends_at": f"{NEXT_YEAR}-12-03T15:45",
            "capacity": 2,
        },
    )
    assert session.status_code == 201, session.text
    session_id = session.json()["session_id"]
    # the directory reaches notifications through the bus before anna registers; she wants email at any hour
    awake = {"quiet_hours": {"start": "21:00", "end": "07:00", "enabled": False}}
    stack.wait_for(lambda: anna("PUT", "/me/preferences", awake).status_code == 200)

    # 2. a participant registers
    registered = anna("POST", f"/sessions/{session_id}/registrations")
    assert registered.status_code == 201, registered.text

    # 3. notifications confirms by email (SES) and in the in-app inbox
    stack.wait_for(lambda: len(sent_to(anna_email)) == 1)
    assert sent_to(anna_email) == ["Bekräftad plats: Fördjupning, Fördjupning 1"]
    inbox = anna("GET", "/me/notifications").json()["items"]
    assert [n["kind"] for n in inbox] == ["registration_confirmed"]

    # 4. her line manager (check-ins knows it from the directory's events) records a check-in with a pulse
    stack.wait_for(lambda: manager("GET", "/people/anna/checkins").status_code == 200)
    held = {"person_id": "anna", "held_on": "2026-11-20", "focus_area": "Arbetsmiljö", "pulse": 4}
    assert manager("POST", "/checkins", held).status_code == 201

    # 5. reporting has counted both for the half-year
    def summary() -> dict[str, Any]:
        response = board("GET", "/reports/summary", period="2026-H2")
        assert response.status_code == 200, response.text
        return dict(response.json())

    stack.wait_for(lambda: (summary()["registrations"], summary()["checkins_completed"]) == (1, 1))

    # a third participant finds the session full, and is put in line
    assert bo("POST", f"/sessions/{session_id}/registrations").json()["status"] == "confirmed"
    full = cecilia("POST", f"/sessions/{session_id}/registrations")
    assert (full.status_code, full.json()["status"], full.json()["ticket"]) == (201, "waitlisted", 1)

    # another tenant sees none of it
    outsider = Client(stack, "anna", f"other-{tenant}", "participant", "board", "coordinator")
    assert outsider("GET", f"/sessions/{session_id}").status_code == 404
    assert outsider("GET", "/me/notifications").json()["items"] == []
    assert outsider("GET", "/me/registrations").json()["items"] == []
    assert outsider("GET", "/reports/summary", period="2026-H2").json()["registrations"] == 0


def test_publishing_a_programme_invites_its_audience_over_the_bus(stack: Any) -> None:
    tenant = f"audience-{uuid.uuid4().hex[:8]}"
    coordinator = Client(stack, "coord", tenant, "coordinator")
    for unit_id, unit in (
        ("org", {"name": "Org", "kind": "organisation"}),
        ("syd", {"name": "Syd", "parent_id": "org"}),
    ):
        assert coordinator("PUT", f"/units/{unit_id}", unit).status_code == 200
    for person_id, unit_id in (("anna", "syd"), ("bo", "syd"), ("cecilia", "org")):
        body = {"name": person_id.title(), "email": f"{person_id}.{tenant}@example.se", "unit_id": unit_id}
        assert coordinator("PUT", f"/people/{person_id}", body).status_code == 200
    programme = {
        "name": "Handledarutbildning",
        "stages": [{"key": "grund", "name": "Grundutbildning", "kind": "instructor-led"}],
        "audience": {"unit_ids": ["syd"]},
    }
    assert coordinator("POST", "/programmes", programme).status_code == 201

    def subjects(person_id: str) -> list[str]:
        inbox = Client(stack, person_id, tenant, "participant")("GET", "/me/notifications").json()["items"]
        return [n["subject"] for n in inbox]

    stack.wait_for(lambda: subjects("anna") == subjects("bo") == ["Inbjudan: Handledarutbildning"])
    assert subjects("cecilia") == []  # outside the audience's unit
