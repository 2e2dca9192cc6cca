"""The daily and yearly jobs, through the jobs handler against moto."""

from datetime import date
from typing import Any

from tests.integration.checkins import (
    COORDINATOR,
    MANAGER,
    WHEEL,
    call,
    checkins_of,
    ok,
    on,
    person,
    published,
    run_job,
    started_cycle,
    table_items,
    tell,
)


def kinds(aws: dict[str, Any], *types: str) -> list[tuple[str, str, str]]:
    return [
        (t, d["person_id"], d.get("checkin_id") or d.get("action_item_id")) for t, d in published(aws) if t in types
    ]


def test_reminders_go_out_once_within_the_window(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"), person("bo"))
    started_cycle("anna")
    started_cycle("bo")
    appraisal = checkins_of("anna")[0]
    on(appraisal, "POST /schedule", MANAGER, {"starts_at": "2027-01-28T10:00", "ends_at": "2027-01-28T11:00"})
    checkins_clock.set(date(2027, 1, 23))  # the appraisal is due on the 31st; reminders 7 days before
    assert run_job("daily") == {"schedule": "daily", "done": 0}
    checkins_clock.set(date(2027, 1, 24))
    assert run_job("daily")["done"] == 2
    reminded = [d for t, d in published(aws) if t == "CheckInDueSoon"]
    assert sorted(d["person_id"] for d in reminded) == ["anna", "bo"]
    assert {d["person_id"]: d["starts_at"] for d in reminded} == {"anna": "2027-01-28T09:00:00Z", "bo": None}


def test_a_check_in_is_missed_after_its_grace_period_and_the_daily_job_run_twice_changes_nothing(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"))
    started_cycle()
    appraisal = checkins_of("anna")[0]
    checkins_clock.set(date(2027, 2, 14))  # due 31 January, 14 days of grace: still its last day
    run_job("daily")
    assert checkins_of("anna")[0]["status"] == "planned"
    checkins_clock.set(date(2027, 2, 15))
    assert run_job("daily")["done"] == 1
    assert checkins_of("anna")[0]["status"] == "missed"
    after_first = table_items(aws)
    assert run_job("daily")["done"] == 0
    assert table_items(aws) == after_first
    [missed] = [d for t, d in published(aws) if t == "CheckInMissed"]
    assert (missed["checkin_id"], missed["manager_id"], missed["due_on"]) == (
        appraisal["checkin_id"],
        "maja",
        "2027-01-31",
    )
    # a missed check-in may still be held late
    status, held = on(appraisal, "POST /completion", MANAGER, {})
    assert (status, held["status"]) == (200, "completed")
    assert [d["on_time"] for t, d in published(aws) if t == "CheckInCompleted"] == [False]


def test_a_check_in_booked_after_its_due_date_is_not_missed_before_its_time(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"))
    started_cycle()
    appraisal = checkins_of("anna")[0]
    on(appraisal, "POST /schedule", MANAGER, {"starts_at": "2027-02-10T10:00", "ends_at": "2027-02-10T11:00"})
    checkins_clock.set(date(2027, 2, 20))
    run_job("daily")
    assert checkins_of("anna")[0]["status"] == "scheduled"
    checkins_clock.set(date(2027, 2, 25))  # 10 February and 14 days
    run_job("daily")
    assert checkins_of("anna")[0]["status"] == "missed"


def test_overdue_action_items_are_told_once(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    appraisal, q1 = checkins_of("anna")[:2]
    checkins_clock.set(date(2027, 1, 20))
    items = [
        {"text": "Läs genomförandeplanen", "due_on": "2027-02-01"},
        {"text": "Ring kunden", "due_on": "2027-02-01"},
    ]
    on(appraisal, "POST /completion", MANAGER, {"action_items": items})
    done_first = next(d for t, d in published(aws) if t == "ActionItemCreated")
    on(q1, "PATCH /action-items/{action_item_id}", MANAGER, {"done": True}, action_item_id=done_first["action_item_id"])
    checkins_clock.set(date(2027, 2, 1))
    run_job("daily")
    assert kinds(aws, "ActionItemOverdue") == []
    checkins_clock.set(date(2027, 2, 2))
    run_job("daily")
    run_job("daily")
    [(_, owner, item)] = kinds(aws, "ActionItemOverdue")
    assert owner == "anna" and item != done_first["action_item_id"]


def test_the_yearly_job_starts_next_years_cycles_where_the_wheel_asks_for_it(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"), person("bo"))
    started_cycle("anna")
    started_cycle("bo")
    checkins_clock.set(date(2027, 12, 1))
    assert run_job("yearly")["done"] == 0  # the wheel does not ask for it
    renewing = {k: v for k, v in WHEEL.items() if k != "wheel_id"} | {"renew_yearly": True}
    ok("PUT", "/wheels/{wheel_id}", COORDINATOR, renewing, wheel_id="arbetsledare")
    tell(person("bo", manager_id="mats"))
    assert run_job("yearly")["done"] == 2
    assert run_job("yearly")["done"] == 0
    started = {
        d["person_id"]: (d["year"], d["manager_id"], d["wheel_version"])
        for t, d in published(aws)
        if t == "CycleStarted"
    }
    assert started == {"anna": (2028, "maja", 2), "bo": (2028, "mats", 2)}
    assert (
        call("GET", "/people/{person_id}/cycles", MANAGER, path_parameters={"person_id": "anna"})[1][0]["cycle"]["year"]
        == 2028
    )
