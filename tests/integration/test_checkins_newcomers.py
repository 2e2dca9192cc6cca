"""Newcomers' follow-ups and introduction checklists, and mentoring pairs with their log."""

from datetime import date
from typing import Any

from tests.integration.checkins import (
    ANNA,
    BOARD,
    COORDINATOR,
    MANAGER,
    OTHER_MANAGER,
    call,
    checkins_of,
    claims,
    ok,
    person,
    published,
    run_job,
    tell,
)

SETTINGS = {
    "follow_ups": [{"after_days": 14, "focus_area": "Första veckorna"}, {"after_days": 90}],
    "checklist": [
        {"key": "plan", "text": "Introduktionsplanen är genomgången"},
        {"key": "kollegor", "text": "Har träffat kollegorna"},
    ],
}
MENTOR = claims("mentor", "humana", "participant")


def test_a_newcomer_gets_follow_ups_at_the_tenants_offsets_and_a_checklist(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    ok("PUT", "/newcomers/settings", COORDINATOR, SETTINGS)
    ok(
        "PUT",
        "/units/{unit_id}/checklist",
        COORDINATOR,
        {"items": [{"key": "nycklar", "text": "Nycklar och larm"}]},
        unit_id="syd",
    )
    tell(person("anna", unit_id="syd", employment_start=date(2026, 11, 25)))
    tell(person("anna", unit_id="syd", employment_start=date(2026, 11, 25)))  # told again: made once
    tell(person("veteran", employment_start=date(2019, 3, 1)))  # started long ago: no introduction

    follow_ups = checkins_of("anna", ANNA)
    assert [(c["kind"], c["due_on"], c["focus_area"], c["manager_id"]) for c in follow_ups] == [
        ("follow-up", "2026-12-09", "Första veckorna", "maja"),
        ("follow-up", "2027-02-23", None, "maja"),
    ]
    introduction = ok("GET", "/people/{person_id}/introduction", MANAGER, person_id="anna")
    assert [(i["key"], i["source"]) for i in introduction["introduction"]["items"]] == [
        ("plan", "general"),
        ("kollegor", "general"),
        ("nycklar", "syd"),
    ]
    assert [f["due_on"] for f in introduction["follow_ups"]] == ["2026-12-09", "2027-02-23"]
    assert (
        call("GET", "/people/{person_id}/introduction", COORDINATOR, path_parameters={"person_id": "veteran"})[0] == 404
    )
    assert [n["person_id"] for n in ok("GET", "/newcomers", COORDINATOR)["items"]] == ["anna"]

    route = "/people/{person_id}/introduction/checklist/{item_key}"
    for who, key in ((ANNA, "plan"), (MANAGER, "kollegor")):
        assert (
            call("PATCH", route, who, {"ticked": True}, path_parameters={"person_id": "anna", "item_key": key})[0]
            == 200
        )
    assert (
        call(
            "PATCH",
            route,
            OTHER_MANAGER,
            {"ticked": True},
            path_parameters={"person_id": "anna", "item_key": "nycklar"},
        )[0]
        == 403
    )
    assert (
        call("PATCH", route, BOARD, {"ticked": True}, path_parameters={"person_id": "anna", "item_key": "nycklar"})[0]
        == 403
    )
    assert published(aws) == []  # nothing complete yet
    status, last = call(
        "PATCH", route, COORDINATOR, {"ticked": True}, path_parameters={"person_id": "anna", "item_key": "nycklar"}
    )
    assert (status, last["completed_at"]) == (200, "2026-12-01T09:00:00Z")
    assert [(i["key"], i["ticked"]["by"]) for i in last["items"]] == [
        ("plan", "anna"),
        ("kollegor", "maja"),
        ("nycklar", "coord"),
    ]
    [(kind, completed)] = published(aws)
    assert (kind, completed) == (
        "ChecklistCompleted",
        {"person_id": "anna", "manager_id": "maja", "unit_id": "syd", "items": 3},
    )
    unknown = call("PATCH", route, ANNA, {"ticked": True}, path_parameters={"person_id": "anna", "item_key": "nope"})
    assert unknown[0] == 409  # complete: it no longer changes

    checkins_clock.set(date(2026, 12, 2))
    run_job("daily")
    [(kind, due)] = [(t, d) for t, d in published(aws) if t == "FollowUpDue"]
    assert (due["checkin_id"], due["employment_started_on"], due["manager_id"]) == (
        follow_ups[0]["checkin_id"],
        "2026-11-25",
        "maja",
    )


def test_a_newcomer_without_a_line_manager_is_introduced_once_one_is_told(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna", manager_id=None, employment_start=date(2026, 12, 1)))
    assert checkins_of("anna", ANNA) == []
    tell(person("anna", manager_id="maja", employment_start=date(2026, 12, 1)))
    assert [c["due_on"] for c in checkins_of("anna", ANNA)] == ["2026-12-15", "2027-03-01"]  # the default offsets


def test_mentors_hold_follow_ups_where_the_tenant_says_so_and_keep_a_log_of_meetings(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    ok("PUT", "/newcomers/settings", COORDINATOR, SETTINGS | {"held_by": "mentor"})
    tell(person("anna", employment_start=date(2026, 11, 25)))
    assert {c["manager_id"] for c in checkins_of("anna", ANNA)} == {"maja"}  # no mentor yet

    pair_in = {"mentor_id": "mentor", "mentee_id": "anna", "starts_on": "2026-12-01", "ends_on": "2027-02-28"}
    assert call("POST", "/mentoring-pairs", ANNA, pair_in)[0] == 403
    status, pair = call("POST", "/mentoring-pairs", MANAGER, pair_in)  # her line manager pairs her
    assert status == 201
    assert {(c["manager_id"], c["held_by"]) for c in checkins_of("anna", ANNA)} == {("mentor", "mentor")}
    assert [t for t, _ in published(aws)] == ["MentoringStarted", "CheckInReassigned", "CheckInReassigned"]

    meetings = "/mentoring-pairs/{pair_id}/meetings"
    path = {"pair_id": pair["pair_id"]}
    shared = {"held_on": "2026-12-03", "duration_minutes": 45, "note": "Gick igenom rutinerna", "shared": True}
    private = {"held_on": "2026-12-10", "duration_minutes": 30, "note": "Hon verkar osäker"}
    assert call("POST", meetings, MENTOR, shared, path_parameters=path)[0] == 201
    assert call("POST", meetings, MENTOR, private, path_parameters=path)[0] == 201
    assert call("POST", meetings, MANAGER, private, path_parameters=path)[0] == 403

    def notes(who: Any) -> list[str | None]:
        status, seen = call("GET", "/mentoring-pairs/{pair_id}", who, path_parameters=path)
        assert status == 200
        return [m["note"] for m in seen["meetings"]]

    assert notes(MENTOR) == ["Gick igenom rutinerna", "Hon verkar osäker"]
    assert notes(ANNA) == ["Gick igenom rutinerna", None]
    assert notes(COORDINATOR) == [None, None]
    assert notes(MANAGER) == [None, None]
    assert call("GET", "/mentoring-pairs/{pair_id}", OTHER_MANAGER, path_parameters=path)[0] == 403
    assert [p["pair_id"] for p in ok("GET", "/mentoring-pairs", ANNA)] == [pair["pair_id"]]
    assert ok("GET", "/mentoring-pairs", OTHER_MANAGER) == []

    # the day after its last day, the daily job ends the pair; the mentor's follow-ups go back
    checkins_clock.set(date(2027, 3, 1))
    run_job("daily")
    run_job("daily")
    [ended] = [d for t, d in published(aws) if t == "MentoringEnded"]
    assert (ended["pair_id"], ended["meetings"], ended["ends_on"]) == (pair["pair_id"], 2, "2027-02-28")
    assert {c["manager_id"] for c in checkins_of("anna", ANNA) if c["status"] in ("planned", "scheduled")} <= {"maja"}
    assert call("POST", "/mentoring-pairs/{pair_id}/end", MENTOR, {}, path_parameters=path)[0] == 409
    assert "osäker" not in str(published(aws)) and "rutinerna" not in str(published(aws))
