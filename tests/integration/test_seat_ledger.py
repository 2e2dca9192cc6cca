"""The seat ledger through the handlers: waitlist, offers, cancellations, capacity, the clock."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from services.enrolment import jobs
from services.enrolment.wiring import WIRING
from tests.integration.enrolment import COORDINATOR, NEXT_YEAR, PROGRAMME, SESSION, call, published, register
from tests.support import as_service, claims

STARTS = datetime(NEXT_YEAR, 11, 4, 12, tzinfo=UTC)  # SESSION's start, in UTC


def schedule(**changes: Any) -> str:
    call("POST", "/programmes", COORDINATOR, PROGRAMME)
    status, body = call(
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        {**SESSION, **changes},
        path_parameters={"programme_id": PROGRAMME["programme_id"]},
    )
    assert status == 201, body
    return str(body["session_id"])


def session(session_id: str) -> dict[str, Any]:
    return dict(call("GET", "/sessions/{session_id}", COORDINATOR, path_parameters={"session_id": session_id})[1])


def cancel(session_id: str, person: str) -> tuple[int, Any]:
    return call(
        "DELETE",
        "/sessions/{session_id}/registrations/{person_id}",
        claims(person, "humana"),
        path_parameters={"session_id": session_id, "person_id": person},
    )


def claim(session_id: str, person: str) -> tuple[int, Any]:
    return call(
        "POST",
        "/sessions/{session_id}/registrations/{person_id}/claim",
        claims(person, "humana"),
        path_parameters={"session_id": session_id, "person_id": person},
    )


def statuses(session_id: str) -> dict[str, str]:
    status, roster = call(
        "GET", "/sessions/{session_id}/registrations", COORDINATOR, path_parameters={"session_id": session_id}
    )
    assert status == 200
    return {r["person_id"]: r["status"] for r in roster}


def events(aws: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t, d.get("person_id", "")) for t, d in published(aws) if t.startswith(("Reg", "Offer"))]


def test_a_full_session_puts_people_in_line_in_the_order_they_came(aws: dict[str, Any]) -> None:
    session_id = schedule()
    assert [register(session_id, p)[1]["status"] for p in ("anna", "bo")] == ["confirmed", "confirmed"]
    third, fourth = register(session_id, "cecilia"), register(session_id, "david")
    assert (third[0], third[1]["status"], third[1]["ticket"]) == (201, "waitlisted", 1)
    assert (fourth[1]["status"], fourth[1]["ticket"]) == ("waitlisted", 2)
    counters = session(session_id)
    assert (counters["confirmed"], counters["seats_left"], counters["waiting"]) == (2, 0, 2)
    assert register(session_id, "cecilia")[1]["error"]["code"] == "already_registered"


def test_a_cancelled_seat_goes_to_the_first_in_line_at_once(aws: dict[str, Any]) -> None:
    session_id = schedule()
    for person in ("anna", "bo", "cecilia", "david"):
        register(session_id, person)
    status, cancelled = cancel(session_id, "anna")
    assert (status, cancelled["status"], cancelled["late_cancellation"]) == (200, "cancelled", False)
    assert statuses(session_id) == {
        "anna": "cancelled",
        "bo": "confirmed",
        "cecilia": "confirmed",
        "david": "waitlisted",
    }
    assert ("RegistrationPromoted", "cecilia") in events(aws)
    assert (session(session_id)["confirmed"], session(session_id)["waiting"]) == (2, 1)
    assert cancel(session_id, "anna")[1]["error"]["code"] == "not_registered"
    # a cancelled person may come back, to the end of the line
    assert (register(session_id, "anna")[1]["status"], statuses(session_id)["anna"]) == ("waitlisted", "waitlisted")


def test_an_offer_holds_the_seat_for_its_window_then_passes_on(aws: dict[str, Any], clock: Any) -> None:
    session_id = schedule(capacity=1, claim_window_minutes=60)
    now = STARTS - timedelta(days=10)
    clock(now)
    for person in ("anna", "bo", "cecilia"):
        register(session_id, person)
    cancel(session_id, "anna")
    assert statuses(session_id)["bo"] == "offered"
    # nobody jumps the queue while the offer is open
    assert register(session_id, "eve")[1]["status"] == "waitlisted"
    assert claim(session_id, "cecilia")[1]["error"]["code"] == "no_open_offer"

    clock(now + timedelta(minutes=61))
    with as_service(WIRING):
        assert jobs.lambda_handler({"schedule": "expire-offers"}, None) == {"schedule": "expire-offers", "done": 1}
    assert statuses(session_id) | {} == {
        "anna": "cancelled",
        "bo": "offer_expired",
        "cecilia": "offered",
        "eve": "waitlisted",
    }
    assert claim(session_id, "bo")[1]["error"]["code"] == "no_open_offer"
    status, claimed = claim(session_id, "cecilia")
    assert (status, claimed["status"]) == (200, "confirmed")
    assert session(session_id)["offers_open"] == 0
    assert [e for e in events(aws) if e[0] in ("RegistrationOffered", "OfferExpired")] == [
        ("RegistrationOffered", "bo"),
        ("OfferExpired", "bo"),
        ("RegistrationOffered", "cecilia"),
    ]


def test_a_cancellation_after_the_cutoff_is_late_and_nobody_is_promoted_after_the_start(
    aws: dict[str, Any], clock: Any
) -> None:
    session_id = schedule(capacity=1, cancellation_cutoff_hours=48)
    clock(STARTS - timedelta(days=5))
    register(session_id, "anna")
    register(session_id, "bo")
    clock(STARTS - timedelta(hours=47))
    assert cancel(session_id, "anna")[1]["late_cancellation"] is True
    assert statuses(session_id)["bo"] == "confirmed"

    register(session_id, "cecilia")
    clock(STARTS + timedelta(minutes=5))
    cancel(session_id, "bo")
    assert statuses(session_id)["cecilia"] == "waitlisted"  # the session has started: no promotion
    status, body = register(session_id, "david")
    assert (status, body["error"]["code"]) == (409, "session_closed")


def test_capacity_rises_to_promote_and_never_drops_below_seats_taken(aws: dict[str, Any]) -> None:
    session_id = schedule()
    for person in ("anna", "bo", "cecilia", "david"):
        register(session_id, person)
    route, ids = "/sessions/{session_id}", {"session_id": session_id}
    status, body = call("PATCH", route, COORDINATOR, {"capacity": 3}, path_parameters=ids)
    assert (status, body["confirmed"], body["waiting"], body["sequence"]) == (200, 3, 1, 1)
    assert statuses(session_id)["cecilia"] == "confirmed"
    status, body = call("PATCH", route, COORDINATOR, {"capacity": 2}, path_parameters=ids)
    assert (status, body["error"]["code"], body["error"]["fields"][0]["field"]) == (
        409,
        "capacity_below_taken",
        "capacity",
    )
    assert call("PATCH", route, claims("anna", "humana"), {"capacity": 9}, path_parameters=ids)[0] == 403


def test_a_rescheduled_session_keeps_its_people_tells_them_and_tells_calendars_by_sequence(
    aws: dict[str, Any],
) -> None:
    session_id = schedule(capacity=1)
    for person in ("anna", "bo", "cecilia"):
        register(session_id, person)
    call(
        "DELETE",
        "/sessions/{session_id}/registrations/{person_id}",
        claims("cecilia", "humana"),
        path_parameters={"session_id": session_id, "person_id": "cecilia"},
    )
    ids = {"session_id": session_id}
    assert call("PATCH", "/sessions/{session_id}", COORDINATOR, {"capacity": 2}, path_parameters=ids)[0] == 200
    later = {"starts_at": f"{NEXT_YEAR}-11-11T09:00", "ends_at": f"{NEXT_YEAR}-11-11T11:45", "location": "Solna"}
    status, body = call("PATCH", "/sessions/{session_id}", COORDINATOR, later, path_parameters=ids)
    assert (status, body["sequence"], body["starts_at_local"], body["location"]) == (
        200,
        2,
        f"{NEXT_YEAR}-11-11T09:00:00+01:00",
        "Solna",
    )
    assert (body["confirmed"], body["capacity"]) == (2, 2)
    changes = [(t, d.get("person_ids")) for t, d in published(aws) if t in ("SessionRescheduled", "SessionMoved")]
    # a new capacity tells calendars; a new time or place tells the people too, not those who cancelled
    assert changes == [("SessionRescheduled", None), ("SessionRescheduled", None), ("SessionMoved", ["anna", "bo"])]
    status, body = call(
        "PATCH", "/sessions/{session_id}", COORDINATOR, {"ends_at": f"{NEXT_YEAR}-11-11T08:00"}, path_parameters=ids
    )
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.ends_at")


def test_a_cancelled_session_cancels_and_announces_every_registration(aws: dict[str, Any]) -> None:
    session_id = schedule(capacity=1)
    register(session_id, "anna")
    register(session_id, "bo")
    ids = {"session_id": session_id}
    status, body = call(
        "POST",
        "/sessions/{session_id}/cancellation",
        COORDINATOR,
        {"reason": "the trainer is ill"},
        path_parameters=ids,
    )
    assert (status, body["cancelled_reason"], body["confirmed"], body["waiting"]) == (200, "the trainer is ill", 0, 0)
    assert statuses(session_id) == {"anna": "cancelled", "bo": "cancelled"}
    assert [e for e in events(aws) if e[0] == "RegistrationCancelled"] == [
        ("RegistrationCancelled", "anna"),
        ("RegistrationCancelled", "bo"),
    ]
    assert register(session_id, "cecilia")[1]["error"]["code"] == "session_closed"
    assert (
        call("POST", "/sessions/{session_id}/cancellation", COORDINATOR, {"reason": "again"}, path_parameters=ids)[0]
        == 409
    )


def test_those_with_a_seat_are_reminded_a_week_and_a_day_before_once_and_again_after_a_move(
    aws: dict[str, Any], clock: Any
) -> None:
    session_id = schedule()
    for person in ("anna", "bo", "cecilia"):
        register(session_id, person)  # cecilia waits in line

    def remind() -> tuple[int, list[list[str]]]:
        with as_service(WIRING):
            done = jobs.lambda_handler({"schedule": "session-reminders"}, None)["done"]
        return done, [d["person_ids"] for t, d in published(aws) if t == "SessionReminder" and d["days_before"] == 1]

    def week_before() -> list[list[str]]:
        return [d["person_ids"] for t, d in published(aws) if t == "SessionReminder" and d["days_before"] == 7]

    clock(STARTS - timedelta(days=8))
    assert remind() == (0, [])
    clock(STARTS - timedelta(days=7, hours=4))  # the morning a week before
    assert remind() == (2, [])
    assert week_before() == [["anna", "bo"]]
    clock(STARTS - timedelta(days=2))
    assert remind() == (0, [])
    clock(STARTS - timedelta(hours=28))  # the morning before
    assert remind() == (2, [["anna", "bo"]])
    assert remind() == (0, [["anna", "bo"]])  # once
    assert week_before() == [["anna", "bo"]]

    moved = {"starts_at": f"{NEXT_YEAR}-11-05T13:00", "ends_at": f"{NEXT_YEAR}-11-05T15:45"}
    assert (
        call("PATCH", "/sessions/{session_id}", COORDINATOR, moved, path_parameters={"session_id": session_id})[0]
        == 200
    )
    clock(STARTS - timedelta(hours=4))  # the morning of the old day, the day before the new one
    assert remind() == (2, [["anna", "bo"], ["anna", "bo"]])


def test_a_line_manager_registers_and_cancels_for_their_people_only(aws: dict[str, Any]) -> None:
    session_id = schedule()
    anna = {"name": "Anna Ek", "manager_id": "maja"}
    assert call("PUT", "/people/{person_id}", COORDINATOR, anna, path_parameters={"person_id": "anna"})[0] == 200
    ids = {"session_id": session_id, "person_id": "anna"}
    route = "/sessions/{session_id}/registrations/{person_id}"
    maja, mikael = claims("maja", "humana", "manager"), claims("mikael", "humana", "manager")
    assert call("POST", route, mikael, path_parameters=ids)[0] == 403
    status, body = call("POST", route, maja, path_parameters=ids)
    assert (status, body["person_id"], body["status"]) == (201, "anna", "confirmed")
    assert call("DELETE", route, mikael, path_parameters=ids)[0] == 403
    assert call("DELETE", route, maja, path_parameters=ids)[1]["status"] == "cancelled"
    cancelled = [d for t, d in published(aws) if t == "RegistrationCancelled"]
    assert [d["reason"] for d in cancelled] == ["cancelled by the line manager"]


def test_registering_again_keeps_the_late_cancellation_in_the_rosters_history(aws: dict[str, Any], clock: Any) -> None:
    session_id = schedule()
    clock(STARTS - timedelta(hours=2))
    register(session_id, "anna")
    assert cancel(session_id, "anna")[1]["late_cancellation"] is True
    assert register(session_id, "anna")[1]["status"] == "confirmed"
    ids = {"session_id": session_id}
    route = "/sessions/{session_id}/registrations"
    assert [r["status"] for r in call("GET", route, COORDINATOR, path_parameters=ids)[1]] == ["confirmed"]
    history = call("GET", route, COORDINATOR, path_parameters=ids, query={"history": "true"})[1]
    assert [(r["status"], r["late_cancellation"]) for r in history] == [("confirmed", False), ("cancelled", True)]


def test_a_waiting_person_sees_their_place_in_line_move_up(aws: dict[str, Any]) -> None:
    session_id = schedule()
    for person in ("anna", "bo", "cecilia", "david", "erik"):
        register(session_id, person)

    def place(person: str) -> Any:
        (mine,) = call("GET", "/me/registrations", claims(person, "humana"))[1]["items"]
        return mine["place_in_line"]

    assert [place(p) for p in ("anna", "cecilia", "erik")] == [None, 1, 3]
    cancel(session_id, "cecilia")
    assert [place(p) for p in ("david", "erik")] == [1, 2]


def test_needs_reach_the_caterer_without_names_and_are_forgotten_when_a_registration_ends(aws: dict[str, Any]) -> None:
    session_id = schedule()
    route = "/sessions/{session_id}/registrations/{person_id}/needs"
    for person, needs in (("anna", "Vegetarisk"), ("bo", "Glutenfri, rullstolsplats"), ("cecilia", "Laktosfri")):
        register(session_id, person)  # cecilia waits in line
        ids = {"session_id": session_id, "person_id": person}
        status, body = call("PUT", route, claims(person, "humana"), {"needs": needs}, path_parameters=ids)
        assert (status, body["needs"]) == (200, needs)
    assert call("PUT", route, claims("bo", "humana"), {"needs": "x"}, path_parameters=ids)[0] == 403

    def catering() -> Any:
        return call("GET", "/sessions/{session_id}/catering", COORDINATOR, path_parameters={"session_id": session_id})[
            1
        ]

    assert catering() == {"confirmed": 2, "needs": ["Glutenfri, rullstolsplats", "Vegetarisk"]}
    assert not [d for _, d in published(aws) if "Vegetarisk" in json.dumps(d)]  # never published

    cancel(session_id, "anna")
    assert catering() == {"confirmed": 2, "needs": ["Glutenfri, rullstolsplats", "Laktosfri"]}
    history = call(
        "GET",
        "/sessions/{session_id}/registrations",
        COORDINATOR,
        path_parameters={"session_id": session_id},
        query={"history": "true"},
    )[1]
    assert [r["needs"] for r in history if r["person_id"] == "anna"] == [None]
    anna = {"session_id": session_id, "person_id": "anna"}
    status, body = call("PUT", route, claims("anna", "humana"), {"needs": "Vegansk"}, path_parameters=anna)
    assert (status, body["error"]["code"]) == (409, "not_registered")
