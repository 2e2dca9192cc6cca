"""The wheel and its cycles, through the check-ins handlers against moto."""

from datetime import date
from typing import Any

from tests.integration.checkins import (
    ANNA,
    BOARD,
    COORDINATOR,
    MANAGER,
    WHEEL,
    call,
    checkins_of,
    ok,
    person,
    published,
    started_cycle,
    tell,
    unit,
)


def test_a_cycle_is_generated_from_the_wheel(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started = started_cycle()

    cycle = started["cycle"]
    assert (cycle["year"], cycle["manager_id"], cycle["wheel_version"]) == (2027, "maja", 1)
    planned = [(c["kind"], c["focus_area"], c["due_on"]) for c in cycle["checkins"]]
    assert planned == [
        ("appraisal", None, "2027-01-31"),
        ("check-in", "Arbetsmiljö", "2027-03-31"),
        ("check-in", "Semesterplanering och bemanning", "2027-06-30"),
        ("check-in", "Introduktion av ny assistent", "2027-09-30"),
        ("check-in", "Schemaläggning", "2027-12-31"),
    ]
    assert {s["status"] for s in started["states"].values()} == {"planned"}
    listed = checkins_of("anna", ANNA)
    assert [(c["kind"], c["due_on"], c["manager_id"], c["status"]) for c in listed][:2] == [
        ("appraisal", "2027-01-31", "maja", "planned"),
        ("check-in", "2027-03-31", "maja", "planned"),
    ]
    [data] = [d for t, d in published(aws) if t == "CycleStarted"]
    assert (data["person_id"], data["manager_id"], data["year"], len(data["checkins"])) == ("anna", "maja", 2027, 5)
    assert data["checkins"][1] == {
        "checkin_id": cycle["checkins"][1]["checkin_id"],
        "kind": "check-in",
        "focus_area": "Arbetsmiljö",
        "due_on": "2027-03-31",
    }


def test_a_cycle_started_late_holds_only_what_is_ahead(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    call("POST", "/wheels", COORDINATOR, WHEEL)
    checkins_clock.set(date(2027, 5, 10))
    body = {"person_id": "anna", "wheel_id": "arbetsledare", "year": 2027}
    started = ok("POST", "/cycles", COORDINATOR, body)
    assert [c["due_on"] for c in started["cycle"]["checkins"]] == ["2027-06-30", "2027-09-30", "2027-12-31"]
    checkins_clock.set(date(2028, 1, 2))
    status, problem = call("POST", "/cycles", COORDINATOR, body | {"person_id": "bo"})
    assert status == 404  # not known to check-ins
    tell(person("bo"))
    status, problem = call("POST", "/cycles", COORDINATOR, body | {"person_id": "bo"})
    assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, ["body.year"])


def test_starting_twice_creates_nothing_and_a_bulk_start_counts_started_and_skipped(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(unit("org"), unit("syd", "org"), unit("syd-1", "syd"), unit("norr", "org"))
    tell(
        person("anna", unit_id="syd-1"),
        person("bo", unit_id="syd"),
        person("cecilia", unit_id="syd-1", manager_id=None),
        person("david", unit_id="norr"),
        person("erik", unit_id="syd", roles=["manager"]),
    )
    first = started_cycle("anna")
    again = ok("POST", "/cycles", COORDINATOR, {"person_id": "anna", "wheel_id": "arbetsledare"})
    assert again["cycle"]["cycle_id"] == first["cycle"]["cycle_id"]

    bulk = {"wheel_id": "arbetsledare", "audience": {"unit_ids": ["syd"], "roles": ["participant"]}}
    assert ok("POST", "/cycles/bulk", COORDINATOR, bulk) == {
        "year": 2027,
        "people": 3,  # anna, bo and cecilia: in syd or under it, participants
        "started": 1,
        "skipped": 2,
        "already_started": 1,
        "no_line_manager": 1,
    }
    before = published(aws)
    assert ok("POST", "/cycles/bulk", COORDINATOR, bulk)["started"] == 0
    assert published(aws) == before  # nothing new, nothing announced
    assert [d["person_id"] for t, d in before if t == "CycleStarted"] == ["anna", "bo"]
    assert checkins_of("david") == []
    tell(person("bo", unit_id="norr"))  # moved: a unit's audience follows him
    assert ok("POST", "/cycles/bulk", COORDINATOR, bulk)["people"] == 2

    unknown = {"wheel_id": "arbetsledare", "audience": {"unit_ids": ["nowhere"]}}
    status, problem = call("POST", "/cycles/bulk", COORDINATOR, unknown)
    assert (status, problem["error"]["fields"][0]["field"]) == (422, "body.audience.unit_ids.0")


def test_who_may_start_cycles(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"), person("bo", manager_id="mats"))
    call("POST", "/wheels", COORDINATOR, WHEEL)
    start = {"wheel_id": "arbetsledare"}
    assert call("POST", "/cycles", MANAGER, start | {"person_id": "anna"})[0] == 201  # her line manager
    assert call("POST", "/cycles", MANAGER, start | {"person_id": "bo"})[0] == 403  # not his
    assert call("POST", "/cycles", ANNA, start | {"person_id": "anna"})[0] == 403
    assert call("POST", "/cycles/bulk", MANAGER, start | {"audience": {}})[0] == 403
    assert call("POST", "/wheels", MANAGER, WHEEL | {"wheel_id": "x"})[0] == 403


def test_a_new_wheel_version_leaves_running_cycles_as_they_are(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"), person("bo"))
    started_cycle("anna")
    changed = {k: v for k, v in WHEEL.items() if k != "wheel_id"} | {
        "appraisal_month": 2,
        "questions": [{"key": "new", "text": "Ny fråga?"}],
    }
    assert ok("PUT", "/wheels/{wheel_id}", COORDINATOR, changed, wheel_id="arbetsledare")["version"] == 2
    bo = ok("POST", "/cycles", COORDINATOR, {"person_id": "bo", "wheel_id": "arbetsledare"})["cycle"]
    assert (bo["wheel_version"], bo["checkins"][0]["due_on"]) == (2, "2027-02-28")
    anna = checkins_of("anna")
    assert anna[0]["due_on"] == "2027-01-31"
    status, view = call(
        "GET",
        "/people/{person_id}/checkins/{checkin_id}",
        MANAGER,
        path_parameters={"person_id": "anna", "checkin_id": anna[0]["checkin_id"]},
    )
    assert (status, [q["key"] for q in view["questions"]]) == (200, ["goal", "group"])
    assert call("POST", "/wheels", COORDINATOR, WHEEL)[0] == 409


def test_coordinators_see_the_schedule_and_figures_never_what_was_said(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(unit("org"), unit("syd", "org"), person("anna", unit_id="syd"), person("bo", unit_id="org"))
    started_cycle("anna")
    started_cycle("bo")
    appraisal = checkins_of("anna")[0]
    checkins_clock.set(date(2027, 1, 20))
    completion = {"answers": {"goal": "Ett tryggt team"}, "ratings": {"stress": 2}}
    assert (
        call(
            "POST",
            "/people/{person_id}/checkins/{checkin_id}/completion",
            MANAGER,
            completion,
            path_parameters={"person_id": "anna", "checkin_id": appraisal["checkin_id"]},
        )[0]
        == 200
    )

    status, schedule = call("GET", "/cycles", COORDINATOR, query={"year": "2027"})
    assert status == 200
    rows = {row["cycle"]["person_id"]: row for row in schedule["items"]}
    assert (rows["anna"]["name"], rows["anna"]["unit_id"]) == ("Anna", "syd")
    assert rows["anna"]["states"][appraisal["checkin_id"]] == {
        "status": "completed",
        "starts_at": None,
        "held_on": "2027-01-20",
        "on_time": True,
    }
    assert "Ett tryggt team" not in str(schedule)

    checkins_clock.set(date(2027, 2, 5))
    status, figures = call("GET", "/checkins/figures", COORDINATOR, query={"year": "2027"})
    assert status == 200
    assert figures["cycles"] == 2
    assert figures["positions"][0] | {"position": 0} == {
        "position": 0,
        "planned": 1,
        "scheduled": 0,
        "completed": 1,
        "completed_on_time": 1,
        "missed": 0,
        "cancelled": 0,
        "overdue": 1,  # bo's appraisal
    }
    assert figures["completion_rate"] == 0.5
    status, syd = call("GET", "/checkins/figures", COORDINATOR, query={"year": "2027", "unit_id": "syd"})
    assert (syd["cycles"], syd["completion_rate"]) == (1, 1.0)
    for who in (MANAGER, ANNA, BOARD):
        assert call("GET", "/cycles", who, query={"year": "2027"})[0] == 403
        assert call("GET", "/checkins/figures", who, query={"year": "2027"})[0] == 403
