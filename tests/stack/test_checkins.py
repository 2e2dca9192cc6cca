"""Check-ins over HTTP on the local stack: the directory reaches check-ins over the bus, a cycle is
started from the wheel, Q1 is booked (its calendar entry in the person's email) and completed with ratings and an action item, and Q2 shows it."""

import uuid
from typing import Any

import icalendar
import pytest

from tests.integration.notifications import emails, parts
from tests.stack.test_walking_skeleton import Client

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

WHEEL = {
    "wheel_id": "arbetsledare",
    "name": "Arbetsledaravstämningar",
    "appraisal_month": 1,
    "focus_areas": ["Arbetsmiljö", "Semesterplanering", "Introduktion", "Schemaläggning"],
    "questions": [{"key": "goal", "text": "Vad är ditt mål som arbetsledare?"}],
    "rating_items": [
        {"key": "leadership", "text": "Jag blir väl ledd", "indicator": "leadership"},
        {"key": "stress", "text": "Min stressnivå är rimlig", "indicator": "stress"},
    ],
}


def test_a_cycle_from_the_wheel_and_an_action_item_carried_from_q1_to_q2(stack: Any) -> None:
    tenant = f"checkins-{uuid.uuid4().hex[:8]}"
    coordinator = Client(stack, "coord", tenant, "coordinator")
    manager = Client(stack, "maja", tenant, "manager")
    anna = Client(stack, "anna", tenant, "participant")
    other_manager = Client(stack, "mats", tenant, "manager")
    body = {"name": "Anna Ek", "email": f"anna.{tenant}@example.se", "manager_id": "maja"}
    assert coordinator("PUT", "/people/anna", body).status_code == 200
    assert coordinator("POST", "/wheels", WHEEL).status_code == 201
    # her email at any hour, so that the test runs at night too (quiet hours would hold it till morning)
    awake = {"quiet_hours": {"start": "21:00", "end": "07:00", "enabled": False}}
    stack.wait_for(lambda: anna("PUT", "/me/preferences", awake).status_code == 200, timeout=30)

    # check-ins learns of anna and her line manager from enrolment's events, over the bus
    start = {"person_id": "anna", "wheel_id": "arbetsledare"}
    started = stack.wait_for(lambda: (r := manager("POST", "/cycles", start)).status_code == 201 and r.json())
    assert [c["kind"] for c in started["cycle"]["checkins"]] == ["appraisal", *["check-in"] * 4]
    assert manager("POST", "/cycles", start).status_code == 200  # once

    listed = anna("GET", "/people/anna/checkins").json()["items"]
    q1, q2 = sorted(listed, key=lambda c: c["due_on"])[1:3]
    assert (q1["focus_area"], q1["manager_id"], q1["status"]) == ("Arbetsmiljö", "maja", "planned")
    q1_path = f"/people/anna/checkins/{q1['checkin_id']}"
    year = q1["due_on"][:4]
    slot = {
        "starts_at": f"{year}-03-10T09:00",
        "ends_at": f"{year}-03-10T10:00",
        "video_url": "https://meet.example/q1",
    }
    booked = manager("POST", q1_path + "/schedule", slot)
    assert (booked.status_code, booked.json()["status"]) == (200, "scheduled")
    # the booking reaches anna's email with its calendar entry, through the bus and notifications
    invited = stack.wait_for(lambda: [e for e in emails(body["email"]) if "text/calendar" in parts(e)], timeout=30)
    calendar = icalendar.Calendar.from_ical(parts(invited[0])["text/calendar"])
    (entry,) = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), entry["SEQUENCE"]) == ("REQUEST", 0)
    assert entry.decoded("DTSTART").isoformat().startswith(f"{year}-03-10T0")  # 09:00 Stockholm
    assert "https://meet.example/q1" in str(entry.get("LOCATION", "")) + str(entry.get("DESCRIPTION", ""))
    assert anna("POST", q1_path + "/talking-points", {"text": "Semesterschemat"}).status_code == 201
    assert manager("POST", q1_path + "/notes", {"text": "Privat"}).status_code == 201

    completion = {
        "answers": {"goal": "Trygg sommarbemanning"},
        "ratings": {"leadership": 4, "stress": 2},
        "action_items": [{"text": "Boka introduktion för nya assistenter", "due_on": f"{year}-04-15"}],
    }
    held = manager("POST", q1_path + "/completion", completion)
    assert (held.status_code, held.json()["status"], held.json()["ratings"]) == (
        200,
        "completed",
        {"leadership": 4, "stress": 2},
    )

    q2_view = anna("GET", f"/people/anna/checkins/{q2['checkin_id']}")
    assert q2_view.status_code == 200, q2_view.text
    [item] = q2_view.json()["carried_action_items"]
    assert (item["text"], item["owner_id"], item["due_on"], item["agreed_in"]) == (
        "Boka introduktion för nya assistenter",
        "anna",
        f"{year}-04-15",
        q1["checkin_id"],
    )
    assert [p["text"] for p in q2_view.json()["carried_talking_points"]] == ["Semesterschemat"]
    assert q2_view.json()["notes"] == []  # the manager's private note is not hers
    assert [i["text"] for i in anna("GET", "/me/action-items").json()["items"]] == [item["text"]]
    assert other_manager("GET", q1_path).status_code == 403
    assert coordinator("GET", q1_path).status_code == 403
    assert coordinator("GET", "/checkins/figures", year=year).json()["positions"][1]["completed"] == 1
