"""Nobody reads or does what is not theirs: every route of every service, asked by each of ten roles.

`ACCESS` declares, for each route the wiring holds (`services.registry.SERVICES`, each wiring's
`routes()`), who gets a 2xx; the others get 403, or 404 where they are told that a thing is not there
for them (declared as `absent`). A route without a row, or a row without a route, fails the test.

The roles: the participant (anna) herself, her line manager (maja), another manager, the trainer of her
session (tove), another trainer, a coordinator, an admin, a board member, a learning portal's
client-credentials token (scope ledarlyft/completions.write), and another tenant's coordinator. That
last one is a coordinator of an organisation where none of our things exist: where a route names one of
them it is 404 (never a 403 that would tell it exists), where a coordinator is refused anyway 403, and
where a route names nothing (lists, settings, an upsert) it is the 2xx of their own, empty organisation.
Public routes (`/public/...`) answer whoever holds the link.

Every allowed GET's body is searched for the markers (`MARKERS`) the role may not read: a check-in note
is its author's (and the other party's when shared), a dietary need is anna's, her trainer's and staff's,
what anna said or agreed is hers and her manager's, and anna herself (her progress) is never in another
manager's, another trainer's, the board's or another tenant's body. A refused request writes nothing.

The world is built once per module (per xdist worker; `access_world.build`), through the services'
routes with their events carried between them, and requests go through the in-process gateway (tokens
verified as API Gateway does). A write changes the world, so after a request that wrote, the service's
moto table is put back from a snapshot (a deep copy of moto's table, ~15 ms): each case starts from the
same world. Each route is one test, so xdist spreads them.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from local.auth import LOCAL_INTEGRATIONS
from services.registry import SERVICES
from services.shared.aws import client
from tests.in_process import GatewayApp
from tests.integration.access_world import (
    ACTION_ITEM,
    ANNA_ID,
    ANNA_NAME,
    ANNA_PRIVATE,
    ANSWER,
    MAJA_PRIVATE,
    MENTEE_NOTE,
    NEED,
    NEXT_YEAR,
    PEOPLE,
    SHARED_NOTE,
    TALKING_POINT,
    TEMPLATE,
    TENANT,
    TODAY,
    World,
    build,
)
from tests.reliability.pipeline import REGION, pipeline

PARTICIPANT, LINE_MANAGER, OTHER_MANAGER = "participant", "line manager", "other manager"
TRAINER, OTHER_TRAINER = "trainer of the session", "other trainer"
COORDINATOR, ADMIN, BOARD = "coordinator", "admin", "board"
INTEGRATION, FOREIGN = "integration client", "another tenant's coordinator"
ROLES = (
    PARTICIPANT,
    LINE_MANAGER,
    OTHER_MANAGER,
    TRAINER,
    OTHER_TRAINER,
    COORDINATOR,
    ADMIN,
    BOARD,
    INTEGRATION,
    FOREIGN,
)
PERSON_OF = {
    PARTICIPANT: "anna",
    LINE_MANAGER: "maja",
    OTHER_MANAGER: "mats",
    TRAINER: "tove",
    OTHER_TRAINER: "tim",
    COORDINATOR: "cora",
    ADMIN: "adam",
    BOARD: "bea",
    FOREIGN: "xena",
}

Roles = frozenset[str]
SELF: Roles = frozenset({PARTICIPANT})
LINE: Roles = frozenset({LINE_MANAGER})
MANAGERS: Roles = frozenset({LINE_MANAGER, OTHER_MANAGER})
TRAINS: Roles = frozenset({TRAINER})  # the session's own trainer
COORD: Roles = frozenset({COORDINATOR})
STAFF: Roles = frozenset({COORDINATOR, ADMIN})
READERS: Roles = STAFF | {BOARD}  # of aggregated reports
PEOPLE_: Roles = frozenset(ROLES) - {INTEGRATION, FOREIGN}  # anyone of the tenant
OWN: Roles = frozenset({FOREIGN})  # another tenant's coordinator, in their own organisation
EVERYONE: Roles = frozenset(ROLES)


@dataclass(frozen=True)
class Access:
    """Who gets a 2xx; who a 404 (nothing there for them); everyone else `refused` (403), and an
    integration always 403 where it is not allowed (the boundary refuses it on a person's route)."""

    ok: Roles
    absent: Roles = OWN
    refused: int = 403

    def expected(self, role: str) -> int:
        if role in self.ok:
            return 200
        if role in self.absent:
            return 404
        return 403 if role == INTEGRATION else self.refused


NONE: Roles = frozenset()
ACCESS: dict[str, Access] = {
    # enrolment: the directory
    "GET /people/{person_id}": Access(SELF | STAFF),
    "PUT /people/{person_id}": Access(STAFF | OWN),
    "POST /people/{person_id}/departure": Access(STAFF),
    "POST /imports/people": Access(STAFF | OWN),
    "POST /imports/units": Access(STAFF | OWN),
    "GET /units": Access(PEOPLE_ | OWN),
    "PUT /units/{unit_id}": Access(STAFF | OWN),
    # programmes, enrolments, progress
    "GET /programmes": Access(PEOPLE_ | OWN),
    "POST /programmes": Access(COORD | OWN),
    "GET /programmes/{programme_id}": Access(PEOPLE_),
    "PUT /programmes/{programme_id}": Access(COORD),
    "POST /programmes/{programme_id}/invitations": Access(COORD),
    "GET /programmes/{programme_id}/enrolments": Access(COORD),
    "POST /programmes/{programme_id}/enrolments": Access(SELF | LINE | COORD),
    "GET /programmes/{programme_id}/enrolments/{person_id}": Access(SELF | LINE | COORD),
    "POST /programmes/{programme_id}/enrolments/{person_id}/completions": Access(COORD),
    "POST /programmes/{programme_id}/enrolments/{person_id}/decision": Access(LINE | COORD),
    "POST /programmes/{programme_id}/enrolments/{person_id}/withdrawal": Access(SELF | LINE | COORD),
    "GET /programmes/{programme_id}/progress": Access(COORD),
    "GET /programmes/{programme_id}/progress/export": Access(COORD),
    "GET /programmes/{programme_id}/evaluations": Access(COORD),
    "POST /course-completions": Access(frozenset({INTEGRATION}), absent=NONE),
    "GET /me/team": Access(MANAGERS, absent=NONE),
    "GET /me/credentials": Access(PEOPLE_ | OWN),
    "POST /credentials/{code}/revocation": Access(STAFF),
    "GET /public/credentials/{tenant_id}/{code}": Access(EVERYONE),
    # sessions and seats
    "GET /programmes/{programme_id}/sessions": Access(PEOPLE_),
    "POST /programmes/{programme_id}/sessions": Access(COORD),
    "POST /programmes/{programme_id}/sessions/series": Access(COORD),
    "GET /sessions/{session_id}": Access(PEOPLE_),
    "PATCH /sessions/{session_id}": Access(COORD),
    "POST /sessions/{session_id}/cancellation": Access(COORD),
    "POST /sessions/{session_id}/invitations": Access(COORD),
    "POST /sessions/{session_id}/registrations": Access(PEOPLE_),
    "POST /sessions/{session_id}/registrations/{person_id}": Access(SELF | LINE | COORD),
    "DELETE /sessions/{session_id}/registrations/{person_id}": Access(SELF | LINE | COORD),
    "POST /sessions/{session_id}/registrations/{person_id}/claim": Access(SELF, absent=NONE),
    "PUT /sessions/{session_id}/registrations/{person_id}/needs": Access(SELF | COORD),
    "GET /sessions/{session_id}/registrations": Access(TRAINS | COORD),
    "GET /sessions/{session_id}/catering": Access(TRAINS | COORD),
    "GET /me/registrations": Access(PEOPLE_ | OWN),
    # attendance and evaluations
    "POST /sessions/{session_id}/attendance": Access(TRAINS | COORD),
    "GET /sessions/{session_id}/attendance-code": Access(TRAINS | COORD),
    "POST /sessions/{session_id}/attendance/self": Access(SELF, absent=PEOPLE_ - SELF | OWN),  # no seat of theirs
    "POST /sessions/{session_id}/evaluations": Access(SELF, refused=409),  # enrolment's NotAttended: see report
    "GET /sessions/{session_id}/evaluations": Access(TRAINS | COORD),
    # check-ins: the wheel and cycles (staff see the schedule and figures, never what was said)
    "GET /wheels": Access(PEOPLE_ | OWN),
    "POST /wheels": Access(STAFF | OWN),
    "GET /wheels/{wheel_id}": Access(PEOPLE_),
    "PUT /wheels/{wheel_id}": Access(STAFF),
    "POST /cycles": Access(LINE | STAFF),
    "POST /cycles/bulk": Access(STAFF),
    "GET /cycles": Access(STAFF | OWN),
    "GET /checkins/figures": Access(STAFF | OWN),
    "GET /people/{person_id}/cycles": Access(SELF | LINE | STAFF),
    "GET /people/{person_id}/checkins": Access(SELF | LINE | STAFF),
    "POST /checkins": Access(LINE, absent=NONE),
    "GET /me/checkins": Access(PEOPLE_ | OWN),
    "GET /me/action-items": Access(PEOPLE_ | OWN),
    # a check-in: the two in it; its holder records it; staff may cancel it
    "GET /people/{person_id}/checkins/{checkin_id}": Access(SELF | LINE),
    "POST /people/{person_id}/checkins/{checkin_id}/schedule": Access(SELF | LINE),
    "POST /people/{person_id}/checkins/{checkin_id}/cancellation": Access(LINE | STAFF),
    "POST /people/{person_id}/checkins/{checkin_id}/completion": Access(LINE),
    "POST /people/{person_id}/checkins/{checkin_id}/talking-points": Access(SELF | LINE),
    "PATCH /people/{person_id}/checkins/{checkin_id}/talking-points/{talking_point_id}": Access(SELF | LINE),
    "POST /people/{person_id}/checkins/{checkin_id}/notes": Access(SELF | LINE),
    "PATCH /people/{person_id}/checkins/{checkin_id}/notes/{note_id}": Access(LINE),  # maja's: her own
    "PATCH /people/{person_id}/checkins/{checkin_id}/action-items/{action_item_id}": Access(SELF | LINE),
    # newcomers and mentoring
    "GET /newcomers": Access(STAFF | OWN),
    "GET /newcomers/settings": Access(STAFF | OWN),
    "PUT /newcomers/settings": Access(STAFF | OWN),
    "GET /units/{unit_id}/checklist": Access(STAFF | OWN),  # any unit's: empty until set
    "PUT /units/{unit_id}/checklist": Access(STAFF | OWN),
    "GET /people/{person_id}/introduction": Access(SELF | LINE | STAFF),
    "PATCH /people/{person_id}/introduction/checklist/{item_key}": Access(SELF | LINE | STAFF),
    "GET /mentoring-pairs": Access(PEOPLE_ | OWN),
    "POST /mentoring-pairs": Access(LINE | STAFF),
    "GET /mentoring-pairs/{pair_id}": Access(SELF | LINE | STAFF),
    "POST /mentoring-pairs/{pair_id}/meetings": Access(SELF),
    "POST /mentoring-pairs/{pair_id}/end": Access(SELF | STAFF),
    # notifications: one's own inbox, preferences and feed; staff the templates and the log
    "GET /me/notifications": Access(PEOPLE_ | OWN),
    "POST /me/notifications/{notification_id}/read": Access(SELF, absent=EVERYONE - SELF - {INTEGRATION}),
    "GET /me/preferences": Access(PEOPLE_ | OWN),
    "PUT /me/preferences": Access(PEOPLE_ | OWN),
    "GET /me/calendar-feed": Access(PEOPLE_ | OWN),
    "POST /me/calendar-feed": Access(PEOPLE_ | OWN),
    "DELETE /me/calendar-feed": Access(PEOPLE_ | OWN),
    "GET /notifications/templates": Access(STAFF | OWN),
    "GET /notifications/templates/{kind}/{language}": Access(STAFF | OWN),
    "PUT /notifications/templates/{kind}/{language}": Access(STAFF | OWN),
    "DELETE /notifications/templates/{kind}/{language}": Access(STAFF),  # ours: there is none of theirs
    "POST /notifications/templates/{kind}/{language}/preview": Access(STAFF | OWN),
    "GET /notifications/settings": Access(STAFF | OWN),
    "PUT /notifications/settings": Access(frozenset({ADMIN}), absent=NONE),
    "GET /notifications/deliveries": Access(STAFF | OWN),
    "GET /public/calendar/{tenant_id}/{feed}": Access(EVERYONE),
    "GET /public/unsubscribe/{tenant_id}/{token}/{categories}": Access(EVERYONE),
    "POST /public/unsubscribe/{tenant_id}/{token}/{categories}": Access(EVERYONE),
    # reporting: aggregates for the board and staff; staff edit
    "GET /reports/summary": Access(READERS | OWN),
    "GET /reports/board": Access(READERS | OWN),
    "GET /reports/figures": Access(READERS | OWN),
    "GET /reports/published": Access(READERS | OWN),
    "POST /reports/published": Access(STAFF | OWN),
    "GET /reports/published/{period}/{scope}/{version_id}": Access(READERS),
    "GET /reports/goals": Access(READERS | OWN),
    "PUT /reports/goals/{indicator}": Access(STAFF | OWN),
    "DELETE /reports/goals/{indicator}": Access(STAFF),
    "GET /reports/imports": Access(READERS | OWN),
    "POST /reports/imports": Access(STAFF | OWN),
    "GET /reports/span-guidelines": Access(READERS | OWN),
    "POST /reports/span-guidelines": Access(STAFF | OWN),
    "GET /reports/survey-questions": Access(READERS | OWN),
    "PUT /reports/survey-questions": Access(STAFF | OWN),
}

# what each marker may be in: the bodies of these roles only
MARKERS: dict[str, Roles] = {
    MAJA_PRIVATE: LINE,
    ANNA_PRIVATE: SELF,
    MENTEE_NOTE: SELF,
    SHARED_NOTE: SELF | LINE,
    TALKING_POINT: SELF | LINE,
    ANSWER: SELF | LINE,
    ACTION_ITEM: SELF | LINE,
    NEED: SELF | TRAINS | STAFF,
    ANNA_NAME: PEOPLE_ - {OTHER_MANAGER, OTHER_TRAINER, BOARD},
    ANNA_ID: PEOPLE_ - {OTHER_MANAGER, OTHER_TRAINER, BOARD} | {INTEGRATION},
}
# and what must be there: the markers these roles' bodies of these routes hold (the search above can fail)
SEEN: dict[str, dict[str, tuple[str, ...]]] = {
    "GET /sessions/{session_id}/registrations": {TRAINER: (NEED,), COORDINATOR: (NEED,)},
    "GET /sessions/{session_id}/catering": {TRAINER: (NEED,), COORDINATOR: (NEED,)},
    "GET /people/{person_id}/checkins/{checkin_id}": {
        PARTICIPANT: (ANNA_PRIVATE, SHARED_NOTE, TALKING_POINT, ACTION_ITEM),
        LINE_MANAGER: (MAJA_PRIVATE, SHARED_NOTE, TALKING_POINT, ACTION_ITEM),
    },
    "GET /mentoring-pairs/{pair_id}": {PARTICIPANT: (MENTEE_NOTE,)},
    "GET /me/team": {LINE_MANAGER: (ANNA_ID,)},
    "GET /programmes/{programme_id}/progress": {COORDINATOR: (ANNA_NAME,)},
}
ANNA_ALONE = re.compile(rf"\b{ANNA_ID}\b")  # her id, not a part of a word


@dataclass(frozen=True)
class Ask:
    """A request in the world: path parameters, and a JSON body, a query, or a body of another media type."""

    path: dict[str, str] = field(default_factory=dict)
    body: Any = None
    query: dict[str, str] | None = None
    raw: tuple[str, str] | None = None  # (media type, text)


def ask(body: Any = None, query: dict[str, str] | None = None, raw: tuple[str, str] | None = None, **path: str) -> Ask:
    return Ask(path, body, query, raw)


CSV = "text/csv"
ON_ANNA = {"person_id": ANNA_ID}
KIND = {"kind": "RegistrationConfirmed", "language": "sv"}
WHEEL_DETAILS = {
    "name": "Hjulet",
    "appraisal_month": 1,
    "focus_areas": ["Arbetsmiljö", "Bemanning", "Introduktion", "Schema"],
    "questions": [{"key": "goal", "text": "Vilket är ditt mål?"}],
    "rating_items": [],
}


def programme(programme_id: str) -> dict[str, Any]:
    return {
        "programme_id": programme_id,
        "name": "Nytt",
        "stages": [{"key": "n1", "name": "N1", "kind": "instructor-led"}],
    }


def occasion(stage_key: str, month: int) -> dict[str, Any]:
    return {
        "stage_key": stage_key,
        "starts_at": f"{NEXT_YEAR}-{month:02}-10T13:00",
        "ends_at": f"{NEXT_YEAR}-{month:02}-10T15:00",
        "capacity": 5,
    }


def slot(due_on: str) -> dict[str, str]:
    """A time for the check-in, a week before it is due."""
    day = (date.fromisoformat(due_on) - timedelta(days=7)).isoformat()
    return {"starts_at": f"{day}T09:00", "ends_at": f"{day}T10:00", "location": "Kontoret"}


def on_checkin(w: World, **more: str) -> dict[str, str]:
    return ON_ANNA | {"checkin_id": w.checkin} | more


REQUESTS: dict[str, Callable[[World], Ask]] = {
    "GET /people/{person_id}": lambda w: ask(**ON_ANNA),
    "PUT /people/{person_id}": lambda w: ask({"name": ANNA_NAME, "manager_id": "maja"}, **ON_ANNA),
    "POST /people/{person_id}/departure": lambda w: ask({"left_on": TODAY.isoformat()}, **ON_ANNA),
    "POST /imports/people": lambda w: ask(
        raw=(CSV, "person_id,name,email,manager_id,roles\nbo,Bo Sand,bo@example.se,maja,participant\n")
    ),
    "POST /imports/units": lambda w: ask(raw=(CSV, "unit_id,name\nsyd,Enhet Syd\n")),
    "GET /units": lambda w: ask(),
    "PUT /units/{unit_id}": lambda w: ask({"name": "Enhet Syd"}, unit_id="syd"),
    "GET /programmes": lambda w: ask(),
    "POST /programmes": lambda w: ask(programme("nytt")),
    "GET /programmes/{programme_id}": lambda w: ask(programme_id="grund"),
    "PUT /programmes/{programme_id}": lambda w: ask(programme("extra") | {"name": "Extra 2"}, programme_id="extra"),
    "POST /programmes/{programme_id}/invitations": lambda w: ask({"note": "Välkommen"}, programme_id="extra"),
    "GET /programmes/{programme_id}/enrolments": lambda w: ask(programme_id="grund"),
    "POST /programmes/{programme_id}/enrolments": lambda w: ask(ON_ANNA, programme_id="extra"),
    "GET /programmes/{programme_id}/enrolments/{person_id}": lambda w: ask(programme_id="grund", **ON_ANNA),
    "POST /programmes/{programme_id}/enrolments/{person_id}/completions": lambda w: ask(
        {"stage_key": "basen", "course_key": "kurs-1"}, programme_id="grund", **ON_ANNA
    ),
    "POST /programmes/{programme_id}/enrolments/{person_id}/decision": lambda w: ask(
        {"approve": True}, programme_id="godkannande", **ON_ANNA
    ),
    "POST /programmes/{programme_id}/enrolments/{person_id}/withdrawal": lambda w: ask(
        {"reason": "Byter tjänst"}, programme_id="grund", **ON_ANNA
    ),
    "GET /programmes/{programme_id}/progress": lambda w: ask(programme_id="grund"),
    "GET /programmes/{programme_id}/progress/export": lambda w: ask(programme_id="grund"),
    "GET /programmes/{programme_id}/evaluations": lambda w: ask(programme_id="grund"),
    "POST /course-completions": lambda w: ask({"external_id": "lms-2", "person_id": ANNA_ID}),
    "GET /me/team": lambda w: ask(),
    "GET /me/credentials": lambda w: ask(),
    "POST /credentials/{code}/revocation": lambda w: ask({"reason": "Utfärdat av misstag"}, code=w.credential),
    "GET /public/credentials/{tenant_id}/{code}": lambda w: ask(tenant_id=TENANT, code=w.credential),
    "GET /programmes/{programme_id}/sessions": lambda w: ask(programme_id="grund"),
    "POST /programmes/{programme_id}/sessions": lambda w: ask(occasion("e1", 5), programme_id="extra"),
    "POST /programmes/{programme_id}/sessions/series": lambda w: ask(
        {"first": occasion("e1", 5), "every": "month", "occasions": 2}, programme_id="extra"
    ),
    "GET /sessions/{session_id}": lambda w: ask(session_id=w.soon),
    "PATCH /sessions/{session_id}": lambda w: ask({"capacity": 12}, session_id=w.later),
    "POST /sessions/{session_id}/cancellation": lambda w: ask({"reason": "Kursledaren är sjuk"}, session_id=w.later),
    "POST /sessions/{session_id}/invitations": lambda w: ask({}, session_id=w.later),
    "POST /sessions/{session_id}/registrations": lambda w: ask(session_id=w.later),
    "POST /sessions/{session_id}/registrations/{person_id}": lambda w: ask(session_id=w.later, **ON_ANNA),
    "DELETE /sessions/{session_id}/registrations/{person_id}": lambda w: ask(session_id=w.soon, **ON_ANNA),
    "POST /sessions/{session_id}/registrations/{person_id}/claim": lambda w: ask(session_id=w.offered, **ON_ANNA),
    "PUT /sessions/{session_id}/registrations/{person_id}/needs": lambda w: ask(
        {"needs": "laktosfri"}, session_id=w.soon, **ON_ANNA
    ),
    "GET /sessions/{session_id}/registrations": lambda w: ask(session_id=w.soon),
    "GET /sessions/{session_id}/catering": lambda w: ask(session_id=w.soon),
    "GET /me/registrations": lambda w: ask(),
    "POST /sessions/{session_id}/attendance": lambda w: ask(
        {"marks": [{"person_id": ANNA_ID, "attendance": "present"}]}, session_id=w.soon
    ),
    "GET /sessions/{session_id}/attendance-code": lambda w: ask(session_id=w.soon),
    "POST /sessions/{session_id}/attendance/self": lambda w: ask({"code": attendance_code(w.soon)}, session_id=w.soon),
    "POST /sessions/{session_id}/evaluations": lambda w: ask({"rating": 5, "comment": "Bra"}, session_id=w.attended),
    "GET /sessions/{session_id}/evaluations": lambda w: ask(session_id=w.attended),
    "GET /wheels": lambda w: ask(),
    "POST /wheels": lambda w: ask(WHEEL_DETAILS | {"wheel_id": "nytt"}),
    "GET /wheels/{wheel_id}": lambda w: ask(wheel_id="hjulet"),
    "PUT /wheels/{wheel_id}": lambda w: ask(WHEEL_DETAILS, wheel_id="hjulet"),
    "POST /cycles": lambda w: ask({"person_id": ANNA_ID, "wheel_id": "hjulet"}),
    "POST /cycles/bulk": lambda w: ask({"wheel_id": "hjulet", "audience": {"roles": ["participant"]}}),
    "GET /cycles": lambda w: ask(query={"year": str(NEXT_YEAR)}),
    "GET /checkins/figures": lambda w: ask(query={"year": str(NEXT_YEAR)}),
    "GET /people/{person_id}/cycles": lambda w: ask(**ON_ANNA),
    "GET /people/{person_id}/checkins": lambda w: ask(**ON_ANNA),
    "POST /checkins": lambda w: ask({"person_id": ANNA_ID, "held_on": TODAY.isoformat(), "pulse": 4}),
    "GET /me/checkins": lambda w: ask(),
    "GET /me/action-items": lambda w: ask(),
    "GET /people/{person_id}/checkins/{checkin_id}": lambda w: ask(**on_checkin(w)),
    "POST /people/{person_id}/checkins/{checkin_id}/schedule": lambda w: ask(slot(w.due_on), **on_checkin(w)),
    "POST /people/{person_id}/checkins/{checkin_id}/cancellation": lambda w: ask({"reason": "Slutar"}, **on_checkin(w)),
    "POST /people/{person_id}/checkins/{checkin_id}/completion": lambda w: ask({}, **on_checkin(w)),
    "POST /people/{person_id}/checkins/{checkin_id}/talking-points": lambda w: ask(
        {"text": "Schemat"}, **on_checkin(w)
    ),
    "PATCH /people/{person_id}/checkins/{checkin_id}/talking-points/{talking_point_id}": lambda w: ask(
        {"ticked": True}, **on_checkin(w, talking_point_id=w.talking_point)
    ),
    "POST /people/{person_id}/checkins/{checkin_id}/notes": lambda w: ask({"text": "Att minnas"}, **on_checkin(w)),
    "PATCH /people/{person_id}/checkins/{checkin_id}/notes/{note_id}": lambda w: ask(
        {"text": "Ändrad"}, **on_checkin(w, note_id=w.shared_note)
    ),
    "PATCH /people/{person_id}/checkins/{checkin_id}/action-items/{action_item_id}": lambda w: ask(
        {"done": True}, **on_checkin(w, action_item_id=w.action_item)
    ),
    "GET /newcomers": lambda w: ask(),
    "GET /newcomers/settings": lambda w: ask(),
    "PUT /newcomers/settings": lambda w: ask(
        {"follow_ups": [{"after_days": 30, "focus_area": "En månad"}], "checklist": []}
    ),
    "GET /units/{unit_id}/checklist": lambda w: ask(unit_id="norr"),
    "PUT /units/{unit_id}/checklist": lambda w: ask({"items": [{"key": "nyckel", "text": "Nyckel"}]}, unit_id="norr"),
    "GET /people/{person_id}/introduction": lambda w: ask(**ON_ANNA),
    "PATCH /people/{person_id}/introduction/checklist/{item_key}": lambda w: ask(
        {"ticked": True}, item_key="intro-1", **ON_ANNA
    ),
    "GET /mentoring-pairs": lambda w: ask(),
    "POST /mentoring-pairs": lambda w: ask(
        {"mentor_id": "bo", "mentee_id": ANNA_ID, "starts_on": TODAY.isoformat(), "ends_on": f"{NEXT_YEAR}-06-30"}
    ),
    "GET /mentoring-pairs/{pair_id}": lambda w: ask(pair_id=w.pair),
    "POST /mentoring-pairs/{pair_id}/meetings": lambda w: ask(
        {"held_on": TODAY.isoformat(), "duration_minutes": 20, "note": "Kort"}, pair_id=w.pair
    ),
    "POST /mentoring-pairs/{pair_id}/end": lambda w: ask({}, pair_id=w.pair),
    "GET /me/notifications": lambda w: ask(),
    "POST /me/notifications/{notification_id}/read": lambda w: ask(notification_id=w.notification),
    "GET /me/preferences": lambda w: ask(),
    "PUT /me/preferences": lambda w: ask({"categories": {"seats": {"channels": ["email"]}}}),
    "GET /me/calendar-feed": lambda w: ask(),
    "POST /me/calendar-feed": lambda w: ask(),
    "DELETE /me/calendar-feed": lambda w: ask(),
    "GET /notifications/templates": lambda w: ask(),
    "GET /notifications/templates/{kind}/{language}": lambda w: ask(**KIND),
    "PUT /notifications/templates/{kind}/{language}": lambda w: ask(TEMPLATE, **KIND),
    "DELETE /notifications/templates/{kind}/{language}": lambda w: ask(**KIND),
    "POST /notifications/templates/{kind}/{language}/preview": lambda w: ask(TEMPLATE, **KIND),
    "GET /notifications/settings": lambda w: ask(),
    "PUT /notifications/settings": lambda w: ask({"sms_sender_id": "Humana"}),
    "GET /notifications/deliveries": lambda w: ask(),
    "GET /public/calendar/{tenant_id}/{feed}": lambda w: ask(tenant_id=TENANT, feed=w.feed),
    "GET /public/unsubscribe/{tenant_id}/{token}/{categories}": lambda w: ask(
        tenant_id=TENANT, token=w.unsubscribe, categories="seats"
    ),
    "POST /public/unsubscribe/{tenant_id}/{token}/{categories}": lambda w: ask(
        raw=("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"),
        tenant_id=TENANT,
        token=w.unsubscribe,
        categories="seats",
    ),
    "GET /reports/summary": lambda w: ask(query={"period": w.published[0]}),
    "GET /reports/board": lambda w: ask(query={"period": w.published[0]}),
    "GET /reports/figures": lambda w: ask(query={"period": w.published[0]}),
    "GET /reports/published": lambda w: ask(query={"period": w.published[0]}),
    "POST /reports/published": lambda w: ask({"period": w.published[0]}),
    "GET /reports/published/{period}/{scope}/{version_id}": lambda w: ask(
        period=w.published[0], scope="all", version_id=w.published[1]
    ),
    "GET /reports/goals": lambda w: ask(),
    "PUT /reports/goals/{indicator}": lambda w: ask(
        {
            "label_sv": "Ledarskap",
            "label_en": "Leadership",
            "baseline_period": "2025-H2",
            "target_period": "2027-H2",
            "target_value": 75,
        },
        indicator="leadership",
    ),
    "DELETE /reports/goals/{indicator}": lambda w: ask(indicator="stress"),
    "GET /reports/imports": lambda w: ask(query={"period": "2026-H1"}),
    "POST /reports/imports": lambda w: ask(
        query={"source": "Medarbetarenkät"},
        raw=(CSV, "unit_id,period,kind,key,respondents,favourable_share,value\nnorr,2026-H1,survey,stress,9,52,\n"),
    ),
    "GET /reports/span-guidelines": lambda w: ask(),
    "POST /reports/span-guidelines": lambda w: ask(
        raw=(CSV, "guideline_area,base_employees_per_manager,adjustment_max\nHemtjänst,25,5\n")
    ),
    "GET /reports/survey-questions": lambda w: ask(),
    "PUT /reports/survey-questions": lambda w: ask({"questions": {"q1": "stress"}}),
}

ROUTES = {route.route_key: wiring.name for wiring in SERVICES for route in wiring.routes()}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
APP = GatewayApp()


def token(role: str) -> str:
    if role == INTEGRATION:
        return APP.authority.issue_access_token(LOCAL_INTEGRATIONS[0], LOCAL_INTEGRATIONS[0].scopes)
    person_id = PERSON_OF[role]
    tenant, person_role, _ = PEOPLE[person_id]
    return APP.authority.issue(person_id, tenant, [person_role])


TOKENS = {role: token(role) for role in ROLES}


def send(method: str, route: str, role: str, request: Ask) -> tuple[int, str]:
    """One request through the gateway, as `role`; the status and the body as text."""
    path = route.format(**request.path)
    media, text = request.raw or ("application/json", json.dumps(request.body) if request.body is not None else "")
    body = text.encode("utf-8")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(request.query or {}),
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {TOKENS[role]}",
        "wsgi.input": BytesIO(body),
    }
    if body:
        environ["CONTENT_TYPE"] = media
    answered: list[str] = []
    payload = b"".join(APP(environ, lambda status, headers: answered.append(status)))
    return int(answered[0].split()[0]), payload.decode("utf-8", errors="replace")


def attendance_code(session_id: str) -> str:
    """The code shown in the room now (it rotates), as the session's trainer sees it."""
    status, body = send("GET", "/sessions/{session_id}/attendance-code", TRAINER, ask(session_id=session_id))
    assert status == 200, body
    return str(json.loads(body)["code"])


class Moto:
    """The tables as the world left them, put back after a request that wrote."""

    def __init__(self) -> None:
        self.backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
        self.saved = copy.deepcopy(self.backend.tables)
        self.writes = 0
        client("dynamodb").meta.events.register("after-call.dynamodb", self._seen)

    def _seen(self, model: Any, http_response: Any, **_: Any) -> None:
        if model.name in WRITES and http_response.status_code < 300:
            self.writes += 1

    def restore(self, table: str) -> None:
        self.backend.tables[table] = copy.deepcopy(self.saved[table])
        self.writes = 0


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[World, Moto]]:
    with pipeline(at=datetime.now(UTC)) as p:  # the world's times are made from the moment it is built
        yield build(p), Moto()


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    assert sorted(set(ROUTES) - set(ACCESS)) == [], "routes without a row in ACCESS"
    assert sorted(set(ACCESS) - set(ROUTES)) == [], "rows of ACCESS without a route"
    assert set(REQUESTS) == set(ACCESS)
    assert set(SEEN) <= set(ACCESS)


def forbidden_markers(route: str, role: str, body: str) -> list[str]:
    """The markers in a body that its reader may not read; a public link's body is read as its owner's."""
    role = PARTICIPANT if route.startswith("/public/") else role
    found = [m for m, readers in MARKERS.items() if role not in readers and m != ANNA_ID and m in body]
    if role not in MARKERS[ANNA_ID] and ANNA_ALONE.search(body):
        found.append(ANNA_ID)
    return found


@pytest.mark.parametrize("route_key", sorted(ACCESS))
def test_each_role_gets_what_the_table_declares(world: tuple[World, Moto], route_key: str) -> None:
    the_world, moto = world
    method, route = route_key.split(" ")
    access = ACCESS[route_key]
    table = f"ledarlyft-{ROUTES[route_key]}"
    wrong = []
    # the refused first: a refusal must write nothing, so they need no fresh world
    for role in sorted(ROLES, key=lambda r: r in access.ok):
        status, body = send(method, route, role, REQUESTS[route_key](the_world))
        expected = access.expected(role)
        if (status // 100 * 100 if expected == 200 else status) != expected:
            wrong.append(f"{role}: {status} (expected {expected}) {body[:300]}")
        elif expected != 200 and moto.writes:
            wrong.append(f"{role}: refused, but wrote {moto.writes} time(s)")
        elif method == "GET" and expected == 200 and (leaked := forbidden_markers(route, role, body)):
            wrong.append(f"{role}: the body holds {leaked}")
        elif missing := [m for m in SEEN.get(route_key, {}).get(role, ()) if m not in body]:
            wrong.append(f"{role}: the body lacks {missing}")
        if moto.writes:
            moto.restore(table)
    assert not wrong, "\n".join(wrong)
