"""Notifications over HTTP on the local stack: a person's choice of channel, and what reaches them on it."""

import uuid
from datetime import date
from typing import Any

import pytest
import requests
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from tests.integration.notifications import emails

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]
NEXT_YEAR = date.today().year + 1


class Client:
    def __init__(self, stack: Any, sub: str, tenant: str, *roles: str) -> None:
        self.base = stack.base_url
        self.headers = {"Authorization": f"Bearer {stack.token(sub, tenant, list(roles))}"}

    def __call__(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.base + path, json=body, headers=self.headers, timeout=30)


def texts_to(number: str) -> list[str]:
    return [text for to, text in sns_backends[DEFAULT_ACCOUNT_ID]["eu-north-1"].sms_messages.values() if to == number]


def test_a_person_chooses_sms_and_gets_an_offered_seat_by_sms_and_nothing_by_email(stack: Any) -> None:
    tenant = f"channels-{uuid.uuid4().hex[:8]}"
    coordinator = Client(stack, "coord", tenant, "coordinator")
    anna, bo = Client(stack, "anna", tenant, "participant"), Client(stack, "bo", tenant, "participant")
    anna_email, bo_email, anna_mobile = f"anna.{tenant}@example.se", f"bo.{tenant}@example.se", "+46701112233"
    assert coordinator("PUT", "/people/anna", {"name": "Anna", "email": anna_email, "mobile": "070-111 22 33"}).ok
    assert coordinator("PUT", "/people/bo", {"name": "Bo", "email": bo_email}).ok

    # anna wants her seats by SMS only; bo by email at any hour (so that the test runs at night too)
    sms_only = {"categories": {"seats": {"channels": ["sms"]}}}
    stack.wait_for(lambda: anna("PUT", "/me/preferences", sms_only).status_code == 200, timeout=30)
    awake = {"quiet_hours": {"start": "21:00", "end": "07:00", "enabled": False}}
    stack.wait_for(lambda: bo("PUT", "/me/preferences", awake).status_code == 200, timeout=30)
    assert anna("GET", "/me/preferences").json()["categories"]["seats"] == {
        "channels": ["sms"],
        "frequency": "immediate",
        "yours": True,
    }

    programme = {"name": "Forum", "stages": [{"key": "forum", "name": "Forum", "kind": "network"}]}
    programme_id = coordinator("POST", "/programmes", programme).json()["programme_id"]
    session = {"stage_key": "forum", "starts_at": f"{NEXT_YEAR}-02-10T13:00", "ends_at": f"{NEXT_YEAR}-02-10T14:00"}
    created = coordinator(
        "POST", f"/programmes/{programme_id}/sessions", session | {"capacity": 1, "claim_window_minutes": 60}
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["session_id"]

    assert bo("POST", f"/sessions/{session_id}/registrations").json()["status"] == "confirmed"
    assert anna("POST", f"/sessions/{session_id}/registrations").json()["status"] == "waitlisted"
    stack.wait_for(lambda: len(emails(bo_email)) == 1, timeout=30)
    assert bo("DELETE", f"/sessions/{session_id}/registrations/bo").status_code < 300
    # the freed seat is offered to anna: urgent (its claim window runs), so by SMS, her chosen channel
    stack.wait_for(lambda: len(texts_to(anna_mobile)) == 1, timeout=30)
    assert texts_to(anna_mobile)[0].startswith("Ledarlyft: en plats på Forum")
    kinds = [n["kind"] for n in anna("GET", "/me/notifications").json()["items"]]
    assert kinds == ["registration_offered", "registration_waitlisted"]
    assert emails(anna_email) == []  # email is off for her seats

    # bo's email carries its one-click unsubscribe, which works over the public route
    confirmation = next(e for e in emails(bo_email) if e["Subject"].startswith("Bekräftad plats"))
    link = str(confirmation["List-Unsubscribe"]).strip("<>")
    path = link[link.index("/public/unsubscribe/") :]
    one_click = {"content-type": "application/x-www-form-urlencoded"}  # what a mail client posts (RFC 8058)
    answer = requests.post(stack.base_url + path, data="List-Unsubscribe=One-Click", headers=one_click, timeout=10)
    assert answer.status_code == 200 and "text/html" in answer.headers["content-type"]
    assert bo("GET", "/me/preferences").json()["categories"]["seats"]["channels"] == ["sms"]  # email off, SMS kept
