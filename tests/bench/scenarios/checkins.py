"""Check-ins' write routes for `make bench-ledger`, each prepared (untimed) so that it does its real work: a
completion completes a booked check-in with answers, ratings, action items and a talking point ticked; a
bulk start starts the cycles of a unit of twenty; a mentoring pair takes a newcomer's follow-ups over and
its end hands them back. Check-ins learns its people as it does in AWS, from enrolment's directory events
(PersonUpserted, ManagerChanged, UnitUpserted) through its consumer; the rest through its own API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.checkins import api, routes, subscribers
from services.checkins.wiring import WIRING
from services.enrolment.contracts.events import ManagerChanged, PersonUpserted, UnitUpserted
from tests.bench.scenarios import Bench, Request, Scenario, Service

EPOCH = datetime(2026, 12, 1, 9, tzinfo=UTC)  # a cycle started now is 2027's: five conversations ahead
MANAGER = "mgr"
MENTOR = "mentor"
WHEEL = {
    "wheel_id": "arbetsledare",
    "name": "Arbetsledaravstämningar",
    "appraisal_month": 1,
    "focus_areas": ["Arbetsmiljö", "Semesterplanering", "Introduktion", "Schemaläggning"],
    "questions": [{"key": "goal", "text": "Vilket är ditt mål?"}, {"key": "group", "text": "Hur mår gruppen?"}],
    "rating_items": [
        {"key": "led-well", "text": "Jag blir väl ledd", "indicator": "leadership"},
        {"key": "stress", "text": "Min stress är rimlig", "indicator": "stress"},
    ],
}
CHECKLIST = [{"key": f"item-{n}", "text": f"Punkt {n}"} for n in range(1, 6)]
NEWCOMER_SETTINGS = {
    "follow_ups": [{"after_days": 14}, {"after_days": 45}, {"after_days": 90}],
    "held_by": "mentor",  # a mentoring pair takes the mentee's follow-ups over
    "checklist": CHECKLIST,
}
SLOT = {"starts_at": "2027-01-12T10:00", "ends_at": "2027-01-12T11:00", "location": "Rum 3"}


def told(person_id: str, manager_id: str | None = MANAGER, **fields: Any) -> PersonUpserted:
    record: dict[str, Any] = {
        "person_id": person_id,
        "name": f"Person {person_id}",
        "email": None,
        "mobile": None,
        "language": "sv",
        "unit_id": None,
        "manager_id": manager_id,
        "roles": ["participant"],
    }
    return PersonUpserted(**(record | fields))


def unit(unit_id: str) -> UnitUpserted:
    return UnitUpserted(
        unit_id=unit_id,
        name=f"Enhet {unit_id}",
        kind="unit",
        parent_id=None,
        permanent_employees=None,
        full_time_equivalents=None,
        average_age=None,
        managers=None,
        guideline_area=None,
    )


def scenarios(b: Bench) -> dict[str, Scenario]:
    """Route -> how to prepare one request of it (made fresh each time, apart from the wheel and settings)."""
    manager, person_of = b.claims(MANAGER, "manager"), lambda p: b.claims(p, "participant")
    b.call("POST", "/wheels", body=WHEEL)
    b.call("PUT", "/newcomers/settings", body=NEWCOMER_SETTINGS)
    today = EPOCH.date()

    def person() -> str:
        person_id = b.fresh("p")
        b.tell(told(person_id))
        return person_id

    def newcomer() -> str:
        """Told first without a line manager, then given one: their introduction (three follow-ups held by
        the line manager, five items to tick) is made when the manager is told."""
        person_id = b.fresh("n")
        b.tell(
            told(person_id, manager_id=None, employment_start=today - timedelta(days=3)),
            ManagerChanged(person_id=person_id, previous_manager_id=None, manager_id=MANAGER),
        )
        return person_id

    def cycle() -> list[dict[str, str]]:
        """A new person's cycle of the year: its check-ins (five), first due first."""
        person_id = person()
        started = b.call("POST", "/cycles", body={"person_id": person_id, "wheel_id": WHEEL["wheel_id"]})
        return [{"person_id": person_id, "checkin_id": c} for c in sorted(started["states"])]

    def on(checkin: dict[str, str], tail: str, who: dict[str, str], body: Any = None, method: str = "POST") -> Any:
        return b.call(method, "/people/{person_id}/checkins/{checkin_id}" + tail, who, body, **checkin)

    def booked() -> dict[str, str]:
        first = cycle()[0]
        on(first, "/schedule", manager, SLOT)
        return first

    def completion() -> Request:
        """A booked check-in with a talking point from each of the two: held, one point dealt with."""
        checkin = booked()
        on(checkin, "/talking-points", person_of(checkin["person_id"]), {"text": "Schemat i vår"})
        point = on(checkin, "/talking-points", manager, {"text": "Nya rutiner"})["talking_point_id"]
        body = {
            "answers": {"goal": "Att gruppen trivs", "group": "Bra, men trötta"},
            "ratings": {"led-well": 4, "stress": 2},
            "action_items": [
                {"text": "Boka utbildning i schemaläggning", "due_on": "2027-02-15"},
                {"text": "Se över bemanningen", "owner_id": MANAGER, "due_on": "2027-03-01"},
            ],
            "ticked_talking_points": [point],
        }
        return Request(manager, checkin, body)

    def open_action_item() -> Request:
        """An action item agreed at the first check-in, marked done at the next by the person who owns it."""
        first, second = cycle()[:2]
        on(first, "/completion", manager, {"action_items": [{"text": "Läs på om rutinen", "due_on": "2027-02-15"}]})
        view = b.call("GET", "/people/{person_id}/checkins/{checkin_id}", manager, **second)
        item = view["carried_action_items"][0]["action_item_id"]
        return Request(person_of(second["person_id"]), second | {"action_item_id": item}, {"done": True})

    def talking_point() -> Request:
        checkin = cycle()[0]
        who = person_of(checkin["person_id"])
        point = on(checkin, "/talking-points", who, {"text": "Kompetensutveckling"})["talking_point_id"]
        return Request(who, checkin | {"talking_point_id": point}, {"ticked": True})

    def note() -> Request:
        checkin = cycle()[0]
        made = on(checkin, "/notes", manager, {"text": "Förbered frågor om schemat"})["note_id"]
        return Request(
            manager, checkin | {"note_id": made}, {"text": "Förbered frågor om schemat och bemanningen", "shared": True}
        )

    def mentee() -> str:
        """A newcomer paired with a mentor: the mentor holds their follow-ups."""
        newcomer_id = newcomer()
        pair = {"mentor_id": MENTOR, "mentee_id": newcomer_id, "starts_on": today.isoformat()}
        return str(b.call("POST", "/mentoring-pairs", body=pair)["pair_id"])

    def pair() -> str:
        details = {"mentor_id": MENTOR, "mentee_id": person(), "starts_on": today.isoformat()}
        return str(b.call("POST", "/mentoring-pairs", body=details)["pair_id"])

    def unit_of(size: int) -> str:
        unit_id = b.fresh("u")
        b.tell(unit(unit_id))
        people = [told(b.fresh("p"), unit_id=unit_id) for _ in range(size)]
        for start in range(0, size, 10):  # ten to an SQS batch, as the consumer gets them
            b.tell(*people[start : start + 10])
        return unit_id

    return {
        "POST /wheels": lambda b: Request(b.coordinator, body=WHEEL | {"wheel_id": b.fresh("wheel")}),
        "PUT /wheels/{wheel_id}": lambda b: (
            lambda wheel_id: (
                b.call("POST", "/wheels", body=WHEEL | {"wheel_id": wheel_id}),
                Request(b.coordinator, {"wheel_id": wheel_id}, {k: v for k, v in WHEEL.items() if k != "wheel_id"}),
            )[1]
        )(b.fresh("wheel")),
        "POST /cycles": lambda b: Request(b.coordinator, body={"person_id": person(), "wheel_id": WHEEL["wheel_id"]}),
        "POST /cycles/bulk": lambda b: Request(
            b.coordinator, body={"wheel_id": WHEEL["wheel_id"], "audience": {"unit_ids": [unit_of(20)]}}
        ),
        "POST /checkins": lambda b: Request(
            manager,
            body={"person_id": person(), "held_on": today.isoformat(), "pulse": 4, "notes": "Pratade om arbetsmiljön"},
        ),
        "POST /people/{person_id}/checkins/{checkin_id}/schedule": lambda b: Request(manager, cycle()[0], SLOT),
        "POST /people/{person_id}/checkins/{checkin_id}/cancellation": lambda b: Request(
            manager, booked(), {"reason": "Ersätts av ett längre samtal"}
        ),
        "POST /people/{person_id}/checkins/{checkin_id}/completion": lambda b: completion(),
        "POST /people/{person_id}/checkins/{checkin_id}/talking-points": lambda b: (
            lambda checkin: Request(person_of(checkin["person_id"]), checkin, {"text": "Arbetstider i sommar"})
        )(cycle()[0]),
        "PATCH /people/{person_id}/checkins/{checkin_id}/talking-points/{talking_point_id}": lambda b: talking_point(),
        "POST /people/{person_id}/checkins/{checkin_id}/notes": lambda b: Request(
            manager, cycle()[0], {"text": "Ta upp schemat", "shared": False}
        ),
        "PATCH /people/{person_id}/checkins/{checkin_id}/notes/{note_id}": lambda b: note(),
        "PATCH /people/{person_id}/checkins/{checkin_id}/action-items/{action_item_id}": lambda b: open_action_item(),
        "PUT /newcomers/settings": lambda b: Request(b.coordinator, body=NEWCOMER_SETTINGS),
        "PUT /units/{unit_id}/checklist": lambda b: Request(
            b.coordinator, {"unit_id": b.fresh("u")}, {"items": [{"key": "nycklar", "text": "Nycklar och larm"}]}
        ),
        "PATCH /people/{person_id}/introduction/checklist/{item_key}": lambda b: Request(
            manager, {"person_id": newcomer(), "item_key": "item-1"}, {"ticked": True}
        ),
        "POST /mentoring-pairs": lambda b: Request(
            b.coordinator, body={"mentor_id": MENTOR, "mentee_id": newcomer(), "starts_on": today.isoformat()}
        ),
        "POST /mentoring-pairs/{pair_id}/meetings": lambda b: Request(
            b.claims(MENTOR, "participant"),
            {"pair_id": pair()},
            {"held_on": today.isoformat(), "duration_minutes": 45, "note": "Pratade om första veckan"},
        ),
        "POST /mentoring-pairs/{pair_id}/end": lambda b: Request(b.coordinator, {"pair_id": mentee()}, {}),
    }


SERVICE = Service(
    api=api, wiring=WIRING, scenarios=scenarios, clocks=(routes, subscribers), subscribers=subscribers, epoch=EPOCH
)
