"""The world the role-by-route matrix (test_access.py) asks its questions of: one tenant with a person, her
line manager, another manager, a session's trainer and another trainer, a coordinator, an admin and a board
member; her programmes, seats, needs, check-ins with notes, a mentoring pair, an introduction, notifications
and a published report; and another tenant with a coordinator of its own. Built through the services' own
routes, with the events carried between them (`Pipeline.pump`), on moto.

Free text that only some may read is made of distinctive markers (`MARKERS`), so that a body can be
searched for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3

from local import outbox
from services.registry import SERVICES
from services.shared.timezones import in_stockholm, now
from tests.reliability.pipeline import REGION, Pipeline
from tests.support import bucket_names, claims

TENANT, ELSEWHERE = "humana", "elsewhere"
TODAY = in_stockholm(now()).date()
NEXT_YEAR = TODAY.year + 1
ANNA_ID = "anna"  # the participant, whose data the matrix guards
ANNA_NAME = "Anna Ekwall"
NEED = "glutenfri"  # her dietary need at the session
MAJA_PRIVATE = "MAJAS-EGEN-ANTECKNING-7Q"  # the line manager's private note on anna's check-in
ANNA_PRIVATE = "ANNAS-EGEN-ANTECKNING-3K"  # anna's private note on the same check-in
SHARED_NOTE = "DELAD-ANTECKNING-5W"  # maja's note shared with anna
TALKING_POINT = "SAMTALSPUNKT-9X"  # anna's talking point
ANSWER = "SVAR-PA-FRAGAN-8T"  # anna's answer at her appraisal
ACTION_ITEM = "ATGARD-4M"  # the action item agreed there
MENTEE_NOTE = "MENTORSMOTE-PRIVAT-2R"  # anna's private note on a mentoring meeting

# (person id, tenant, roles, name) of everyone the world holds
PEOPLE = {
    "anna": (TENANT, "participant", ANNA_NAME),
    "maja": (TENANT, "manager", "Maja Lind"),
    "mats": (TENANT, "manager", "Mats Berg"),
    "tove": (TENANT, "trainer", "Tove Ring"),
    "tim": (TENANT, "trainer", "Tim Dahl"),
    "cora": (TENANT, "coordinator", "Cora Holm"),
    "adam": (TENANT, "admin", "Adam Sten"),
    "bea": (TENANT, "board", "Bea Nord"),
    "bo": (TENANT, "participant", "Bo Sand"),
    "mia": (TENANT, "participant", "Mia Ström"),
    "xena": (ELSEWHERE, "coordinator", "Xena Vik"),
}
MANAGERS = {"anna": "maja", "bo": "maja"}
COORDINATOR = claims("cora", TENANT, "coordinator")
WHEEL = {
    "wheel_id": "hjulet",
    "name": "Arbetsledaravstämningar",
    "appraisal_month": 1,
    "focus_areas": ["Arbetsmiljö", "Bemanning", "Introduktion", "Schema"],
    "questions": [{"key": "goal", "text": "Vilket är ditt mål?"}],
    "rating_items": [{"key": "stress", "text": "Min stress är rimlig", "indicator": "stress"}],
}
NEWCOMERS = {
    "follow_ups": [{"after_days": 14, "focus_area": "De första veckorna"}],
    "checklist": [{"key": "intro-1", "text": "Nycklar och larm"}, {"key": "intro-2", "text": "Schemat"}],
}
TEMPLATE = {"subject": "Plats: {{ stage_name }}", "text": "Vi ses {{ when }}.", "html": "<p>Vi ses {{ when }}.</p>"}
GOAL = {
    "label_sv": "Rimlig stressnivå",
    "label_en": "Reasonable stress",
    "baseline_period": "2025-H2",
    "target_period": "2027-H2",
    "target_value": 70,
}


def stage(key: str, kind: str = "instructor-led", **more: Any) -> dict[str, Any]:
    return {"key": key, "name": key.title(), "kind": kind, **more}


PROGRAMMES = [
    {  # anna's main programme: e-learning, two instructor-led stages
        "programme_id": "grund",
        "name": "Grundprogrammet",
        "stages": [
            stage(
                "basen",
                "e-learning",
                courses=[{"key": f"kurs-{n}", "name": f"Kurs {n}", "external_id": f"lms-{n}"} for n in (1, 2)],
            ),
            stage("f1"),
            stage("f2"),
        ],
        "audience": {"roles": ["participant"]},
    },
    {  # done by anna: her credential
        "programme_id": "intro",
        "name": "Introduktion",
        "stages": [stage("kurs", "e-learning", courses=[{"key": "k1", "name": "K1"}])],
        "credential": {"name": "Introducerad"},
    },
    {"programme_id": "extra", "name": "Extra", "stages": [stage("e1")], "audience": {"roles": ["participant"]}},
    {"programme_id": "godkannande", "name": "Med godkännande", "stages": [stage("g1")], "requires_approval": True},
    {"programme_id": "forum", "name": "Forum", "stages": [stage("forum", "forum")]},
]


@dataclass(frozen=True)
class World:
    """The ids the routes are asked about."""

    soon: str  # a session starting shortly (its sheet is open): anna has a seat and a need; tove trains
    attended: str  # another such session, which anna attended
    later: str  # a session next year that anna holds no seat in
    offered: str  # a forum occasion whose freed seat is offered to anna
    credential: str
    checkin: str  # anna's open check-in with maja: notes, a talking point, an action item carried over
    due_on: str  # that check-in's due day
    shared_note: str
    talking_point: str
    action_item: str
    pair: str
    notification: str
    feed: str  # anna's calendar feed's token
    unsubscribe: str  # the token of anna's unsubscribe link
    published: tuple[str, str]  # (period, version id) of a published board report


def who(person_id: str) -> dict[str, str]:
    tenant, role, _ = PEOPLE[person_id]
    return claims(person_id, tenant, role)


class Builder:
    """Requests through the pipeline that must succeed, by route key ('POST /cycles')."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.service = {r.route_key: w.name for w in SERVICES for r in w.routes()}

    def __call__(self, route_key: str, caller: dict[str, str], body: Any = None, **path: str) -> Any:
        method, route = route_key.split(" ")
        status, answer = self.pipeline.request(
            self.service[route_key], method, route, caller, body, path_parameters=path or None
        )
        assert status < 300, (route_key, status, answer)
        return answer


def stockholm(minutes_from_now: int) -> str:
    return in_stockholm(now() + timedelta(minutes=minutes_from_now)).strftime("%Y-%m-%dT%H:%M")


def buckets() -> None:
    """The reporting archive's buckets (the pipeline provisions tables, queues and the bus)."""
    s3 = boto3.client("s3", region_name=REGION)
    for wiring in SERVICES:
        for bucket in bucket_names(wiring).values():
            location = {"LocationConstraint": REGION}
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=location, ObjectLockEnabledForBucket=True)


def build(pipeline: Pipeline) -> World:
    buckets()
    do = Builder(pipeline)
    do("PUT /newcomers/settings", COORDINATOR, NEWCOMERS)  # before anna arrives: she is a newcomer
    do("POST /wheels", COORDINATOR, WHEEL)
    do("PUT /units/{unit_id}", COORDINATOR, {"name": "Enhet Norr"}, unit_id="norr")
    for person_id, (tenant, role, name) in PEOPLE.items():
        details = {"name": name, "email": f"{person_id}@example.se", "roles": [role], "unit_id": "norr"}
        if person_id in MANAGERS:
            details |= {"manager_id": MANAGERS[person_id]}
        if person_id == ANNA_ID:
            details |= {"employment_start": in_stockholm(now()).date().isoformat()}
        coordinator = COORDINATOR if tenant == TENANT else who("xena")
        do(
            "PUT /people/{person_id}",
            coordinator,
            details | {"unit_id": None} if tenant != TENANT else details,
            person_id=person_id,
        )
    for programme in PROGRAMMES:
        do("POST /programmes", COORDINATOR, programme)
    session = {"capacity": 10, "trainers": ["tove"], "claim_window_minutes": 600}
    soon = do(
        "POST /programmes/{programme_id}/sessions",
        COORDINATOR,
        session | {"stage_key": "f1", "starts_at": stockholm(20), "ends_at": stockholm(120)},
        programme_id="grund",
    )["session_id"]
    attended = do(
        "POST /programmes/{programme_id}/sessions",
        COORDINATOR,
        session | {"stage_key": "f2", "starts_at": stockholm(20), "ends_at": stockholm(120)},
        programme_id="grund",
    )["session_id"]
    next_year = now().year + 1
    later = do(
        "POST /programmes/{programme_id}/sessions",
        COORDINATOR,
        session | {"stage_key": "e1", "starts_at": f"{next_year}-03-03T13:00", "ends_at": f"{next_year}-03-03T15:00"},
        programme_id="extra",
    )["session_id"]
    offered = do(
        "POST /programmes/{programme_id}/sessions",
        COORDINATOR,
        session
        | {
            "capacity": 1,
            "stage_key": "forum",
            "starts_at": f"{next_year}-04-03T13:00",
            "ends_at": f"{next_year}-04-03T14:00",
        },
        programme_id="forum",
    )["session_id"]
    pipeline.pump()  # the directory reaches check-ins and notifications

    anna, maja = who("anna"), who("maja")
    # seats: anna at the two sessions about to start (a need at one, attended the other); a freed seat offered
    do("POST /sessions/{session_id}/registrations", anna, session_id=soon)
    do(
        "PUT /sessions/{session_id}/registrations/{person_id}/needs",
        anna,
        {"needs": NEED},
        session_id=soon,
        person_id="anna",
    )
    do("POST /sessions/{session_id}/registrations", anna, session_id=attended)
    marks = {"marks": [{"person_id": "anna", "attendance": "present"}]}
    do("POST /sessions/{session_id}/attendance", who("tove"), marks, session_id=attended)
    do("POST /sessions/{session_id}/registrations", who("bo"), session_id=offered)
    do("POST /sessions/{session_id}/registrations", anna, session_id=offered)
    do("DELETE /sessions/{session_id}/registrations/{person_id}", who("bo"), session_id=offered, person_id="bo")
    # a credential, and an enrolment waiting for maja's approval
    completion = {"stage_key": "kurs", "course_key": "k1"}
    do("POST /programmes/{programme_id}/enrolments", COORDINATOR, {"person_id": "anna"}, programme_id="intro")
    do(
        "POST /programmes/{programme_id}/enrolments/{person_id}/completions",
        COORDINATOR,
        completion,
        programme_id="intro",
        person_id="anna",
    )
    do("POST /programmes/{programme_id}/enrolments", anna, {}, programme_id="godkannande")
    # check-ins: her appraisal held (an answer, an action item), then notes and a talking point on the next
    do("POST /cycles", COORDINATOR, {"person_id": "anna", "wheel_id": "hjulet"})
    listed = do("GET /people/{person_id}/checkins", anna, person_id="anna")["items"]
    wheel = {c["position"]: c["checkin_id"] for c in listed if c["cycle_id"]}
    appraisal, checkin = wheel[0], wheel[1]
    due_on = next(c["due_on"] for c in listed if c["checkin_id"] == checkin)
    on = {"person_id": "anna"}
    point = do(
        "POST /people/{person_id}/checkins/{checkin_id}/talking-points",
        anna,
        {"text": "inte nu"},
        checkin_id=appraisal,
        **on,
    )
    held = {
        "answers": {"goal": ANSWER},
        "ratings": {"stress": 4},
        "action_items": [{"text": ACTION_ITEM}],
    }
    do("POST /people/{person_id}/checkins/{checkin_id}/completion", maja, held, checkin_id=appraisal, **on)
    notes = "POST /people/{person_id}/checkins/{checkin_id}/notes"
    do(notes, maja, {"text": MAJA_PRIVATE}, checkin_id=checkin, **on)
    shared = do(notes, maja, {"text": SHARED_NOTE, "shared": True}, checkin_id=checkin, **on)
    do(notes, anna, {"text": ANNA_PRIVATE}, checkin_id=checkin, **on)
    point = do(
        "POST /people/{person_id}/checkins/{checkin_id}/talking-points",
        anna,
        {"text": TALKING_POINT},
        checkin_id=checkin,
        **on,
    )
    today = in_stockholm(now()).date()
    pair_in = {"mentor_id": "mia", "mentee_id": "anna", "starts_on": today.isoformat(), "ends_on": f"{next_year}-06-30"}
    pair = do("POST /mentoring-pairs", COORDINATOR, pair_in)["pair_id"]
    meeting = {"held_on": today.isoformat(), "duration_minutes": 30, "note": MENTEE_NOTE}
    do("POST /mentoring-pairs/{pair_id}/meetings", anna, meeting, pair_id=pair)
    # notifications: everyone's calendar feed, a tenant's own template; the report: a goal, a publication
    feeds = {person_id: do("POST /me/calendar-feed", who(person_id))["url"] for person_id in PEOPLE}
    kind = {"kind": "RegistrationConfirmed", "language": "sv"}
    do("PUT /notifications/templates/{kind}/{language}", COORDINATOR, TEMPLATE, **kind)
    do("PUT /reports/goals/{indicator}", COORDINATOR, GOAL, indicator="stress")
    period = "2026-H2"
    version = do("POST /reports/published", COORDINATOR, {"period": period})
    pipeline.pump()  # what was done reaches notifications and reporting; the mailer sends
    link = str(outbox.sent("anna@example.se")["emails"][0]["headers"]["List-Unsubscribe"]).strip("<>")
    return World(
        soon=soon,
        attended=attended,
        later=later,
        offered=offered,
        credential=do("GET /me/credentials", anna)[0]["verification_code"],
        checkin=checkin,
        due_on=due_on,
        shared_note=shared["note_id"],
        talking_point=point["talking_point_id"],
        action_item=do("GET /me/action-items", anna)["items"][0]["action_item_id"],
        pair=pair,
        notification=do("GET /me/notifications", anna)["items"][0]["notification_id"],
        feed=feeds["anna"].rsplit("/", 1)[1],
        unsubscribe=link.split("/")[-2],
        published=(period, version["version_id"]),
    )
