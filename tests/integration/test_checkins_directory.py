"""Check-ins follows enrolment's directory: a new line manager takes over open check-ins, a leaver's
are cancelled, and an old event arriving late changes nothing."""

from datetime import UTC, date, datetime
from typing import Any

from tests.integration.checkins import (
    ANNA,
    COORDINATOR,
    MANAGER,
    OTHER_MANAGER,
    WHEEL,
    call,
    checkins_of,
    left,
    new_manager,
    ok,
    on,
    one,
    person,
    published,
    started_cycle,
    tell,
)

SLOT = {"starts_at": "2027-03-10T09:00", "ends_at": "2027-03-10T10:00"}


def test_a_new_line_manager_mid_cycle_takes_over_the_open_check_ins(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    appraisal, q1, q2 = checkins_of("anna")[:3]
    checkins_clock.set(date(2027, 1, 25))
    on(appraisal, "POST /completion", MANAGER, {"answers": {"goal": "Mitt mål"}})
    on(q1, "POST /schedule", MANAGER, SLOT)
    on(q1, "POST /notes", MANAGER, {"text": "Privat för maja"})

    # enrolment tells both: the record with the new manager, and the change
    tell(person("anna", manager_id="mats"), new_manager("anna", "maja", "mats"))

    holders = {c["checkin_id"]: c["manager_id"] for c in checkins_of("anna", ANNA)}
    assert holders[appraisal["checkin_id"]] == "maja"  # held already: it stays as it was
    assert {holders[c["checkin_id"]] for c in checkins_of("anna")[1:]} == {"mats"}
    moved = [(t, d) for t, d in published(aws) if t == "CheckInReassigned"]
    assert sorted(d["checkin_id"] for _, d in moved) == sorted(c["checkin_id"] for c in checkins_of("anna")[1:])
    assert {(d["previous_manager_id"], d["manager_id"]) for _, d in moved} == {("maja", "mats")}
    # the booked time goes to the new manager's calendar and the person's entry is updated
    [(_, rebooked)] = [(t, d) for t, d in published(aws) if t == "CheckInRescheduled"]
    assert (rebooked["checkin_id"], rebooked["manager_id"], rebooked["sequence"]) == (q1["checkin_id"], "mats", 1)

    assert call("GET", "/people/{person_id}/checkins", MANAGER, path_parameters={"person_id": "anna"})[0] == 403
    status, view = one("anna", q1["checkin_id"], OTHER_MANAGER)
    assert (status, view["notes"]) == (200, [])  # maja's private note stays hers
    assert one("anna", q2["checkin_id"], MANAGER)[0] == 403
    assert one("anna", appraisal["checkin_id"], OTHER_MANAGER)[1]["checkin"]["answers"] == {"goal": "Mitt mål"}
    agenda = ok("GET", "/me/checkins", OTHER_MANAGER)["items"]
    assert [c["checkin_id"] for c in agenda] == [c["checkin_id"] for c in checkins_of("anna")[1:]]
    assert ok("GET", "/me/checkins", MANAGER)["items"] == []
    # the cycle follows too
    [cycle] = ok("GET", "/people/{person_id}/cycles", OTHER_MANAGER, person_id="anna")
    assert cycle["cycle"]["manager_id"] == "mats"


def test_an_old_event_arriving_late_changes_nothing(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"), at=datetime(2026, 11, 1, tzinfo=UTC))
    started_cycle()
    tell(new_manager("anna", "maja", "mats"), at=datetime(2026, 11, 20, tzinfo=UTC))
    before = published(aws)
    # the record of 15 November, with maja as manager, arrives after the change of the 20th
    tell(person("anna", manager_id="maja", unit_id="syd"), at=datetime(2026, 11, 15, tzinfo=UTC))
    assert published(aws) == before
    assert {c["manager_id"] for c in checkins_of("anna")} == {"mats"}
    assert call("POST", "/cycles", OTHER_MANAGER, {"person_id": "anna", "wheel_id": "arbetsledare"})[0] == 200


def test_a_leavers_open_check_ins_are_cancelled(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    appraisal, q1 = checkins_of("anna")[:2]
    checkins_clock.set(date(2027, 1, 25))
    on(appraisal, "POST /completion", MANAGER, {})
    on(q1, "POST /schedule", ANNA, SLOT)
    left_event = left("anna", date(2027, 2, 28))
    tell(left_event)
    tell(left_event)  # a second delivery changes nothing

    statuses = [c["status"] for c in checkins_of("anna")]
    assert statuses == ["completed", "cancelled", "cancelled", "cancelled", "cancelled"]
    cancelled = [d for t, d in published(aws) if t == "CheckInCancelled"]
    assert len(cancelled) == 4
    [booked] = [d for d in cancelled if d["was_scheduled"]]
    assert (booked["checkin_id"], booked["sequence"], booked["reason"]) == (
        q1["checkin_id"],
        1,
        "the person left the organisation",
    )
    status, problem = call("POST", "/cycles", MANAGER, {"person_id": "anna", "wheel_id": "arbetsledare", "year": 2028})
    assert (status, problem["error"]["fields"][0]["field"]) == (422, "body.person_id")
    assert ok("GET", "/me/checkins", MANAGER)["items"] == []


def test_a_departure_told_before_the_person_keeps_them_out(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(left("anna", date(2026, 11, 30)), at=datetime(2026, 11, 30, tzinfo=UTC))
    tell(person("anna"), at=datetime(2026, 11, 1, tzinfo=UTC))
    call("POST", "/wheels", COORDINATOR, WHEEL)
    status, problem = call("POST", "/cycles", COORDINATOR, {"person_id": "anna", "wheel_id": "arbetsledare"})
    assert (status, problem["error"]["message"]) == (422, "anna has left.")
