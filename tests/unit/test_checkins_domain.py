"""Check-ins' domain rules, without AWS."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.checkins.domain.models import (
    ActionItem,
    CheckIn,
    CheckInKind,
    CheckInStatus,
    Covered,
    NotOpen,
    Slot,
    TalkingPoint,
    carried,
)
from services.checkins.domain.newcomers import (
    ChecklistItem,
    FollowUp,
    Introduction,
    IntroductionItem,
    NewcomerSettings,
    UnitChecklist,
    checklist,
    follow_up_days,
    is_newcomer,
)
from services.checkins.domain.people import Audience, Person, Unit, audience_units, members
from services.checkins.domain.training import CredentialFacts, ProgrammeFacts, ProgrammeNames, status
from services.checkins.domain.wheel import WheelDetails, ahead, default_year, plan
from services.shared.errors import Conflict, Invalid
from services.shared.identity import Role

NOW = datetime(2027, 1, 10, 9, tzinfo=UTC)
WHEEL = WheelDetails(
    name="Årshjul",
    appraisal_month=1,
    focus_areas=["Arbetsmiljö", "Semester", "Introduktion", "Schema"],
    questions=[{"key": "goal", "text": "Mål?"}],
)


def checkin(**fields: object) -> CheckIn:
    base = {
        "checkin_id": "20270131aaaa",
        "person_id": "anna",
        "manager_id": "maja",
        "kind": CheckInKind.APPRAISAL,
        "thread_id": "c1",
        "due_on": date(2027, 1, 31),
        "remind_on": date(2027, 1, 24),
        "last_day": date(2027, 2, 14),
    }
    return CheckIn.model_validate(base | fields)


def slot(day: int, month: int = 1) -> Slot:
    return Slot(starts_at=datetime(2027, month, day, 10), ends_at=datetime(2027, month, day, 11))


def test_the_wheel_plans_an_appraisal_then_a_check_in_at_the_end_of_each_quarter() -> None:
    assert [(p.kind, p.due_on) for p in plan(WHEEL, 2027)] == [
        (CheckInKind.APPRAISAL, date(2027, 1, 31)),
        (CheckInKind.CHECK_IN, date(2027, 3, 31)),
        (CheckInKind.CHECK_IN, date(2027, 6, 30)),
        (CheckInKind.CHECK_IN, date(2027, 9, 30)),
        (CheckInKind.CHECK_IN, date(2027, 12, 31)),
    ]
    september = WHEEL.model_copy(update={"appraisal_month": 9})
    assert [p.due_on for p in plan(september, 2026)] == [
        date(2026, 9, 30),
        date(2026, 11, 30),
        date(2027, 2, 28),
        date(2027, 5, 31),
        date(2027, 8, 31),
    ]
    assert [p.focus_area for p in plan(WHEEL, 2027)] == [None, "Arbetsmiljö", "Semester", "Introduktion", "Schema"]


@given(month=st.integers(1, 12), year=st.integers(2000, 2099))
def test_a_cycle_takes_a_year_in_order(month: int, year: int) -> None:
    days = [p.due_on for p in plan(WHEEL.model_copy(update={"appraisal_month": month}), year)]
    assert days == sorted(days) and len(set(days)) == 5
    assert days[-1] - days[0] < timedelta(days=366)


def test_the_default_year_is_the_one_whose_appraisal_month_has_not_ended() -> None:
    assert default_year(WHEEL, date(2027, 1, 31)) == 2027
    assert default_year(WHEEL, date(2027, 2, 1)) == 2028
    assert [p.due_on for p in ahead(plan(WHEEL, 2027), date(2027, 7, 1))] == [date(2027, 9, 30), date(2027, 12, 31)]


def test_a_wheel_needs_four_focus_areas_and_keys_used_once() -> None:
    with pytest.raises(ValueError):
        WheelDetails.model_validate(WHEEL.model_dump() | {"focus_areas": ["a", "b", "c"]})
    twice = WHEEL.model_dump() | {"questions": [{"key": "goal", "text": "a"}, {"key": "goal", "text": "b"}]}
    with pytest.raises(Invalid) as raised:
        WheelDetails.model_validate(twice)
    assert [p.field for p in raised.value.fields] == ["body.questions.1.key"]


def test_a_slot_ends_after_it_starts_and_within_the_day() -> None:
    with pytest.raises(Invalid) as raised:
        Slot(starts_at=datetime(2027, 1, 2, 10), ends_at=datetime(2027, 1, 2, 9))
    assert [p.field for p in raised.value.fields] == ["body.ends_at"]
    # without an offset, Stockholm time: 10:00 in January is 09:00 UTC
    assert slot(2).starts_at == datetime(2027, 1, 2, 9, tzinfo=UTC)


def test_booking_moving_and_cancelling_count_the_sequence_and_keep_the_history() -> None:
    booked = checkin().schedule(slot(20), NOW, "maja")
    assert (booked.status, booked.sequence, booked.history) == (CheckInStatus.SCHEDULED, 0, [])
    assert booked.schedule(slot(20), NOW, "maja") is booked  # the same time again changes nothing
    moved = booked.schedule(slot(25), NOW, "anna")
    assert (moved.sequence, [h.starts_at.day for h in moved.history], moved.history[0].changed_by) == (1, [20], "anna")
    cancelled = moved.cancel("sjuk", NOW, "maja")
    assert (cancelled.status, cancelled.sequence, len(cancelled.history)) == (CheckInStatus.CANCELLED, 2, 2)
    with pytest.raises(NotOpen):
        cancelled.schedule(slot(28), NOW, "maja")
    with pytest.raises(Invalid):
        checkin().schedule(slot(5), NOW, "maja")  # in the past


def test_a_check_in_booked_after_its_due_date_keeps_its_grace_from_the_booked_day() -> None:
    late = checkin().schedule(slot(10, month=2), NOW, "maja")
    assert late.last_day == date(2027, 2, 24)
    early = checkin().schedule(slot(20), NOW, "maja")
    assert early.last_day == date(2027, 2, 14)


def test_missed_only_after_its_last_day_and_held_late_is_not_on_time() -> None:
    with pytest.raises(NotOpen):
        checkin().miss(date(2027, 2, 14))
    missed = checkin().miss(date(2027, 2, 15))
    assert (missed.status, missed.missed_on) == (CheckInStatus.MISSED, date(2027, 2, 15))
    rebooked = missed.schedule(slot(20, month=2), datetime(2027, 2, 16, tzinfo=UTC), "maja")
    assert (rebooked.status, rebooked.last_day) == (CheckInStatus.SCHEDULED, None)  # never missed twice
    held = missed.complete(date(2027, 2, 16), date(2027, 2, 16), {}, {}, Covered(), "maja")
    assert (held.status, held.on_time) == (CheckInStatus.COMPLETED, False)
    with pytest.raises(Invalid):
        checkin().complete(date(2027, 2, 1), date(2027, 1, 31), {}, {}, Covered(), "maja")


def test_what_is_carried_over_is_what_closed_check_ins_left_open() -> None:
    def point(point_id: str, raised_for: str, ticked_in: str | None = None) -> TalkingPoint:
        ticked = {"ticked_by": "maja", "ticked_at": NOW, "ticked_in": ticked_in} if ticked_in else {}
        return TalkingPoint(
            talking_point_id=point_id,
            thread_id="c1",
            raised_for=raised_for,
            author_id="anna",
            text="t",
            raised_at=NOW,
            **ticked,
        )

    def item(item_id: str, agreed_in: str, done: bool) -> ActionItem:
        made = ActionItem(
            action_item_id=item_id,
            thread_id="c1",
            agreed_in=agreed_in,
            person_id="anna",
            manager_id="maja",
            owner_id="anna",
            text="t",
            created_at=NOW,
        )
        return made.done(NOW, "anna") if done else made

    points = [point("open", "q1"), point("ticked", "q1", "q1"), point("here", "q2", "q2"), point("later", "q2")]
    items = [item("open", "q1", False), item("done", "q1", True), item("elsewhere", "q3", False)]
    got_points, got_items = carried("q2", {"q1"}, points, items)
    assert [p.talking_point_id for p in got_points] == ["open"]
    assert [i.action_item_id for i in got_items] == ["open"]
    assert [p.talking_point_id for p in carried("q2", {"q1"}, [point("at-q2", "q1", "q2")], [])[0]] == ["at-q2"]
    with pytest.raises(Conflict):
        items[1].done(NOW, "anna")


def test_newcomers_are_followed_up_at_the_offsets_still_ahead() -> None:
    settings = NewcomerSettings(follow_ups=[FollowUp(after_days=14), FollowUp(after_days=90, focus_area="Tre månader")])
    start = date(2027, 1, 4)
    assert [due for _, due in follow_up_days(settings, start, date(2027, 1, 4))] == [
        date(2027, 1, 18),
        date(2027, 4, 4),
    ]
    assert [due for _, due in follow_up_days(settings, start, date(2027, 2, 1))] == [date(2027, 4, 4)]
    assert is_newcomer(settings, start, date(2027, 4, 4)) and not is_newcomer(settings, start, date(2027, 4, 5))


def test_the_checklist_is_the_general_items_and_the_units_own() -> None:
    settings = NewcomerSettings(
        checklist=[ChecklistItem(key="plan", text="Plan"), ChecklistItem(key="nycklar", text="Nycklar")]
    )
    unit = UnitChecklist(
        items=[ChecklistItem(key="nycklar", text="Nycklar till syd"), ChecklistItem(key="larm", text="Larm")]
    )
    items = checklist(settings, "syd", unit)
    assert [(i.key, i.text, i.source) for i in items] == [
        ("plan", "Plan", "general"),
        ("nycklar", "Nycklar till syd", "syd"),
        ("larm", "Larm", "syd"),
    ]
    assert [i.key for i in checklist(settings, None, None)] == ["plan", "nycklar"]


def test_the_last_tick_completes_the_checklist_and_it_then_stays() -> None:
    introduction = Introduction(
        person_id="anna",
        unit_id=None,
        employment_start=date(2027, 1, 4),
        follow_up_ids=[],
        items=[
            IntroductionItem(key="a", text="A", source="general"),
            IntroductionItem(key="b", text="B", source="general"),
        ],
    )
    one = introduction.tick("a", True, NOW, "anna")
    assert one.completed_at is None and one.items[0].ticked is not None and one.items[0].ticked.by == "anna"
    assert one.tick("a", False, NOW, "anna").items[0].ticked is None
    both = one.tick("b", True, NOW, "maja")
    assert both.completed_at == NOW
    with pytest.raises(Conflict):
        both.tick("a", False, NOW, "anna")


def test_a_record_told_late_changes_nothing_newer() -> None:
    early, late = NOW - timedelta(days=1), NOW
    fields = {"person_id": "anna", "name": "Anna", "unit_id": "syd", "roles": ["participant"], "employment_start": None}
    known = Person.told(None, late, manager_id="mats", **fields)
    stale = Person.told(known, early, manager_id="maja", **(fields | {"unit_id": "norr"}))
    assert stale == known
    assert known.manager_told("maja", early) == known
    assert known.manager_told(None, late + timedelta(seconds=1)).manager_id is None


def test_an_audience_is_roles_and_units_with_those_under_them() -> None:
    units = [
        Unit(unit_id="org", name="Org"),
        Unit(unit_id="syd", name="Syd", parent_id="org"),
        Unit(unit_id="syd-1", name="S1", parent_id="syd"),
    ]

    def someone(person_id: str, unit_id: str, *roles: str, left: bool = False) -> Person:
        return Person(
            person_id=person_id,
            name=person_id,
            unit_id=unit_id,
            roles=list(roles),
            left_on=date(2026, 1, 1) if left else None,
            known_at=NOW,
            manager_since=NOW,
        )

    people = [
        someone("a", "syd-1", "participant"),
        someone("b", "org", "participant"),
        someone("c", "syd", "manager"),
        someone("d", "syd", "participant", left=True),
    ]
    south = Audience(unit_ids=["syd"], roles=[Role.PARTICIPANT])
    assert audience_units(south, units) == {"syd", "syd-1"}
    assert [p.person_id for p in members(south, people, audience_units(south, units))] == ["a"]
    assert audience_units(Audience(), units) is None
    assert [p.person_id for p in members(Audience(), people, None)] == ["a", "b", "c"]
    with pytest.raises(Invalid) as raised:
        audience_units(Audience(unit_ids=["x"]), units)
    assert [p.field for p in raised.value.fields] == ["body.audience.unit_ids.0"]


def test_training_status_is_derived_from_the_facts_in_any_order() -> None:
    names = {("p", 1): ProgrammeNames(programme_id="p", version=1, name="Programmet", stages=[("a", "A"), ("b", "B")])}
    facts = [ProgrammeFacts(programme_id="p", version=1, stages_completed={"a"}, stages_exempted={"b"})]
    credentials = [
        CredentialFacts(programme_id="p", number=2, days_left=30, expired=True),
        CredentialFacts(programme_id="p", number=1, name="Diplom", days_left=30),
        CredentialFacts(programme_id="p", number=3, revoked=True, expired=True),
    ]
    [programme] = status(facts, credentials, names)
    assert [(s.key, s.name, s.done, s.exempted) for s in programme.stages] == [
        ("a", "A", True, False),
        ("b", "B", True, True),
    ]
    assert [(c.number, c.state.value) for c in programme.credentials] == [
        (1, "expiring"),
        (2, "expired"),
        (3, "revoked"),
    ]
    [unknown] = status([ProgrammeFacts(programme_id="q", stages_completed={"x"})], [], {})
    assert (unknown.name, [s.key for s in unknown.stages]) == ("q", ["x"])
