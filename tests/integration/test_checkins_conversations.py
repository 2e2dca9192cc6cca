"""A check-in's conversation, through the check-ins handlers against moto: booking, talking points,
completion, what carries over, notes and who reads them, the training status."""

from datetime import date
from typing import Any

from services.enrolment.contracts.events import (
    CredentialIssued,
    CredentialRevoked,
    EnrolmentApproved,
    ProgrammePublished,
    StageCompleted,
    StagePublished,
)
from tests.integration.checkins import (
    ANNA,
    BOARD,
    COORDINATOR,
    MANAGER,
    OTHER_MANAGER,
    call,
    checkins_of,
    ok,
    on,
    one,
    person,
    published,
    started_cycle,
    tell,
)

SLOT = {"starts_at": "2027-03-10T09:00", "ends_at": "2027-03-10T10:00", "location": "Kontoret, rum 2"}


def quarter(n: int, person_id: str = "anna") -> dict[str, Any]:
    return checkins_of(person_id)[n]


def test_booking_moving_and_cancelling_keep_the_history_and_tell_both(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    q1 = quarter(1)
    status, booked = on(q1, "POST /schedule", ANNA, SLOT)
    assert (status, booked["status"], booked["sequence"]) == (200, "scheduled", 0)
    assert (booked["starts_at"], booked["starts_at_local"]) == ("2027-03-10T08:00:00Z", "2027-03-10T09:00:00+01:00")
    moved = on(q1, "POST /schedule", MANAGER, SLOT | {"starts_at": "2027-03-31T13:00", "ends_at": "2027-03-31T14:00"})[
        1
    ]
    assert (moved["sequence"], moved["starts_at"]) == (1, "2027-03-31T11:00:00Z")  # summer time from March 28
    assert [(h["starts_at"], h["changed_by"]) for h in moved["history"]] == [("2027-03-10T08:00:00Z", "maja")]
    assert on(q1, "POST /schedule", COORDINATOR, SLOT)[0] == 403  # only the two book

    status, cancelled = on(q1, "POST /cancellation", MANAGER, {"reason": "Ersätts av ett gruppmöte"})
    assert (status, cancelled["status"], cancelled["sequence"], len(cancelled["history"])) == (200, "cancelled", 2, 2)
    assert on(q1, "POST /schedule", MANAGER, SLOT)[0] == 409
    events = [(t, d) for t, d in published(aws) if t.startswith("CheckIn") and d["checkin_id"] == q1["checkin_id"]]
    assert [(t, d["sequence"]) for t, d in events] == [
        ("CheckInScheduled", 0),
        ("CheckInRescheduled", 1),
        ("CheckInCancelled", 2),
    ]
    scheduled = events[0][1]
    assert (scheduled["person_id"], scheduled["manager_id"], scheduled["location"]) == (
        "anna",
        "maja",
        "Kontoret, rum 2",
    )
    assert (events[2][1]["was_scheduled"], events[2][1]["starts_at"]) == (True, "2027-03-31T11:00:00Z")
    past = on(
        quarter(2), "POST /schedule", MANAGER, SLOT | {"starts_at": "2026-11-01T09:00", "ends_at": "2026-11-01T10:00"}
    )
    assert (past[0], past[1]["error"]["fields"][0]["field"]) == (422, "body.starts_at")


def test_completion_records_answers_ratings_and_action_items_and_announces_no_text(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"))
    started_cycle()
    q1 = quarter(1)
    checkins_clock.set(date(2027, 3, 20))
    completion = {
        "answers": {"goal": "Stabil bemanning i sommar", "group": "Trött men stark"},
        "ratings": {"led-well": 4, "stress": 2},
        "action_items": [
            {"text": "Boka introduktion för nya assistenter", "due_on": "2027-04-15"},
            {"text": "Se över schemat", "owner_id": "maja"},
        ],
    }
    assert on(q1, "POST /completion", ANNA, completion)[0] == 403  # the one who holds it records it
    status, held = on(q1, "POST /completion", MANAGER, completion)
    assert (status, held["status"], held["held_on"], held["ratings"]) == (
        200,
        "completed",
        "2027-03-20",
        {"led-well": 4, "stress": 2},
    )
    events = [(t, d) for t, d in published(aws) if t in ("CheckInCompleted", "ActionItemCreated")]
    (_, done), *created = events
    assert (done["on_time"], done["action_items"], done["cycle_id"]) == (True, 2, q1["cycle_id"])
    assert done["ratings"] == [
        {"item_key": "led-well", "indicator": "leadership", "rating": 4},
        {"item_key": "stress", "indicator": "stress", "rating": 2},
    ]
    assert sorted((d["owner_id"], d["due_on"]) for _, d in created) == [("anna", "2027-04-15"), ("maja", None)]
    everything = str(published(aws))
    for said in ("Stabil bemanning", "Trött men stark", "Boka introduktion", "Se över schemat"):
        assert said not in everything
    assert on(q1, "POST /completion", MANAGER, completion)[0] == 409

    q2 = quarter(2)
    wrong = {"answers": {"nope": "x"}, "ratings": {"stress": 6}}
    status, problem = on(q2, "POST /completion", MANAGER, wrong)
    assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, ["body.ratings.stress"])
    status, problem = on(q2, "POST /completion", MANAGER, {"answers": {"nope": "x"}})
    assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, ["body.answers.nope"])
    status, problem = on(q2, "POST /completion", MANAGER, {"action_items": [{"text": "x", "owner_id": "mats"}]})
    assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, ["body.action_items.0.owner_id"])


def test_open_action_items_and_unticked_talking_points_carry_over_to_the_next_check_in(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"))
    started_cycle()
    q1, q2, q3 = quarter(1), quarter(2), quarter(3)
    dealt_with = on(q1, "POST /talking-points", ANNA, {"text": "Semesterschemat"})[1]
    left_open = on(q1, "POST /talking-points", MANAGER, {"text": "Ny assistent i april"})[1]
    checkins_clock.set(date(2027, 3, 25))
    completion = {"ticked_talking_points": [dealt_with["talking_point_id"]], "action_items": [{"text": "Ring kunden"}]}
    assert on(q1, "POST /completion", MANAGER, completion)[0] == 200
    assert on(q1, "POST /talking-points", ANNA, {"text": "För sent"})[0] == 422

    view = one("anna", q2["checkin_id"], ANNA)[1]
    assert [p["text"] for p in view["carried_talking_points"]] == ["Ny assistent i april"]
    [item] = view["carried_action_items"]
    assert (item["text"], item["owner_id"], item["agreed_in"], item["status"]) == (
        "Ring kunden",
        "anna",
        q1["checkin_id"],
        "open",
    )
    assert one("anna", q3["checkin_id"], ANNA)[1]["carried_action_items"] == []  # the next one only
    q1_view = one("anna", q1["checkin_id"], MANAGER)[1]
    assert sorted((p["text"], p["ticked_by"]) for p in q1_view["talking_points"]) == [
        ("Ny assistent i april", None),
        ("Semesterschemat", "maja"),
    ]

    # the item is done between check-ins; the talking point is ticked at q2
    route = "PATCH /action-items/{action_item_id}"
    status, done = on(q2, route, ANNA, {"done": True}, action_item_id=item["action_item_id"])
    assert (status, done["status"], done["completed_by"]) == (200, "done", "anna")
    assert on(q2, route, ANNA, {"done": True}, action_item_id=item["action_item_id"])[0] == 409
    ticked = on(
        q2,
        "PATCH /talking-points/{talking_point_id}",
        MANAGER,
        {"ticked": True},
        talking_point_id=left_open["talking_point_id"],
    )[1]
    assert (ticked["ticked_by"], ticked["ticked_in"]) == ("maja", q2["checkin_id"])
    checkins_clock.set(date(2027, 6, 20))
    assert on(q2, "POST /completion", MANAGER, {})[0] == 200
    later = one("anna", q3["checkin_id"], ANNA)[1]
    assert (later["carried_talking_points"], later["carried_action_items"]) == ([], [])
    q2_view = one("anna", q2["checkin_id"], ANNA)[1]  # as it stood when held
    assert [(p["text"], p["ticked_in"]) for p in q2_view["carried_talking_points"]] == [
        ("Ny assistent i april", q2["checkin_id"])
    ]
    assert q2_view["carried_action_items"] == []  # done before it was held
    assert [(t, d["owner_id"]) for t, d in published(aws) if t == "ActionItemCompleted"] == [
        ("ActionItemCompleted", "anna")
    ]
    assert ok("GET", "/me/action-items", ANNA)["items"] == []


def test_notes_are_their_authors_or_shared_with_the_other_and_never_anyone_elses(
    aws: dict[str, Any], checkins_clock: Any
) -> None:
    tell(person("anna"), person("mats", manager_id=None, roles=["manager"]))
    started_cycle()
    q1 = quarter(1)
    private = on(q1, "POST /notes", MANAGER, {"text": "Anna verkar sliten"})[1]
    on(q1, "POST /notes", MANAGER, {"text": "Vi ses i mars", "shared": True})
    on(q1, "POST /notes", ANNA, {"text": "Min egen anteckning"})
    checkins_clock.set(date(2027, 3, 20))
    on(q1, "POST /completion", MANAGER, {"answers": {"goal": "Hemligt mål"}})

    def notes(who: Any) -> list[str]:
        status, view = one("anna", q1["checkin_id"], who)
        assert status == 200
        return sorted(n["text"] for n in view["notes"])

    assert notes(MANAGER) == ["Anna verkar sliten", "Vi ses i mars"]
    assert notes(ANNA) == ["Min egen anteckning", "Vi ses i mars"]
    for outsider in (OTHER_MANAGER, COORDINATOR, BOARD, {**COORDINATOR, "custom:roles": "coordinator,manager"}):
        status, answer = one("anna", q1["checkin_id"], outsider)
        assert status == 403, outsider
        assert "sliten" not in str(answer) and "Hemligt" not in str(answer)
    # the list a coordinator or the person gets holds dates and states, never anything said
    listed = str(ok("GET", "/people/{person_id}/checkins", COORDINATOR, person_id="anna"))
    assert "Hemligt" not in listed and "sliten" not in listed
    assert call("GET", "/people/{person_id}/checkins", OTHER_MANAGER, path_parameters={"person_id": "anna"})[0] == 403
    assert call("GET", "/people/{person_id}/checkins", BOARD, path_parameters={"person_id": "anna"})[0] == 403

    route = "PATCH /notes/{note_id}"
    assert on(q1, route, ANNA, {"shared": True}, note_id=private["note_id"])[0] == 404  # she cannot even see it
    assert on(q1, route, MANAGER, {"shared": True}, note_id=private["note_id"])[1]["shared"] is True
    assert notes(ANNA) == ["Anna verkar sliten", "Min egen anteckning", "Vi ses i mars"]


def test_the_check_in_shows_the_persons_training_status(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    stages = [
        StagePublished(key="basen", name="Basen", kind="e-learning", required=True, requires=[], courses=[]),
        StagePublished(
            key="fordjupning-1", name="Fördjupning 1", kind="instructor-led", required=True, requires=[], courses=[]
        ),
    ]
    programme = ProgrammePublished(programme_id="alp", name="Arbetsledarprogrammet", version=1, stages=stages)
    base = {"programme_id": "alp", "person_id": "anna"}
    # the bus keeps no order: the credential and the stage come before the enrolment and the programme
    tell(
        CredentialIssued(
            **base,
            number=126,
            verification_code="ABCDEFGHJK",
            credential_name="Diplomerad arbetsledare",
            valid_until=None,
        ),
        StageCompleted(**base, stage_key="basen", exempted=False),
    )
    tell(EnrolmentApproved(**base, version=1, enrolled_by="coord"), programme)
    status, view = one("anna", quarter(1)["checkin_id"], MANAGER)
    assert status == 200
    [alp] = view["training"]
    assert (alp["name"], alp["completed"]) == ("Arbetsledarprogrammet", False)
    assert [(s["name"], s["done"]) for s in alp["stages"]] == [("Basen", True), ("Fördjupning 1", False)]
    assert [(c["number"], c["state"]) for c in alp["credentials"]] == [(126, "valid")]
    tell(CredentialRevoked(**base, number=126, credential_name="Diplomerad arbetsledare", reason="fel person"))
    assert one("anna", quarter(1)["checkin_id"], ANNA)[1]["training"][0]["credentials"][0]["state"] == "revoked"


def test_days_and_times_out_of_this_century_are_refused_by_name(aws: dict[str, Any], checkins_clock: Any) -> None:
    tell(person("anna"))
    started_cycle()
    q1 = quarter(1)
    far = {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30"}
    for action, body, field in (
        ("POST /schedule", far, "body.starts_at"),
        ("POST /completion", {"held_on": "9999-12-31"}, "body.held_on"),
        ("POST /completion", {"action_items": [{"text": "x", "due_on": "9999-12-31"}]}, "body.action_items.0.due_on"),
    ):
        status, problem = on(q1, action, MANAGER, body)
        assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, [field])
    pair = {"mentor_id": "mats", "mentee_id": "anna", "starts_on": "2026-12-01", "ends_on": "9999-12-31"}
    status, problem = call("POST", "/mentoring-pairs", COORDINATOR, pair)
    assert (status, [f["field"] for f in problem["error"]["fields"]]) == (422, ["body.ends_on"])
