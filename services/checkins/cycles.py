"""The wheel and its cycles: publish versions, start cycles for one person or many, start next year's,
and what coordinators see of them (the schedule and the figures, never anything said)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from pydantic import BaseModel, Field

from services.checkins.adapters.batches import Change, commit_each
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.contracts.events import CycleStarted, PlannedCheckIn
from services.checkins.domain.models import OPEN, CheckIn, CheckInState, CheckInStatus, dated_id, new_id
from services.checkins.domain.people import Person
from services.checkins.domain.wheel import Cycle, CycleCheckIn, Wheel, ahead, plan, reminder_days
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, Invalid
from services.shared.units import units_within


def publish(store: CheckInStore, wheel: Wheel) -> Wheel:
    store.publish_wheel(wheel, [])
    return wheel


def publish_new_version(store: CheckInStore, wheel: Wheel) -> Wheel:
    """Running cycles keep the version they were made from."""
    current = store.wheel(wheel.wheel_id)
    return publish(store, wheel.model_copy(update={"version": current.version + 1}))


class StartResult(BaseModel):
    year: int
    people: int = Field(description="in the audience, who have not left")
    started: int
    skipped: int = Field(description="people not started: the sum of the reasons below")
    already_started: int = Field(description="had this year's cycle of the wheel: starting twice creates nothing")
    no_line_manager: int = Field(description="have no line manager to hold their check-ins")


def _cycle(
    wheel: Wheel, year: int, person: Person, today: date, moment: datetime, actor: str
) -> tuple[Cycle, list[CheckIn]]:
    """A person's cycle of the year and its check-ins, from the wheel: those still ahead."""
    assert person.manager_id is not None
    cycle_id = new_id()
    planned = [CycleCheckIn(**p.model_dump(), checkin_id=dated_id(p.due_on)) for p in ahead(plan(wheel, year), today)]
    checkins = [
        CheckIn(
            checkin_id=p.checkin_id,
            person_id=person.person_id,
            manager_id=person.manager_id,
            kind=p.kind,
            thread_id=cycle_id,
            cycle_id=cycle_id,
            cycle_year=year,
            wheel_id=wheel.wheel_id,
            wheel_version=wheel.version,
            position=p.position,
            focus_area=p.focus_area,
            due_on=p.due_on,
            remind_on=reminder_days(wheel, p.due_on)[0],
            last_day=reminder_days(wheel, p.due_on)[1],
        )
        for p in planned
    ]
    cycle = Cycle(
        cycle_id=cycle_id,
        person_id=person.person_id,
        manager_id=person.manager_id,
        wheel_id=wheel.wheel_id,
        wheel_version=wheel.version,
        year=year,
        started_at=moment,
        started_by=actor,
        checkins=planned,
    )
    return cycle, checkins


def _announce(cycle: Cycle, context: EventContext) -> EventEnvelope:
    planned = [
        PlannedCheckIn(**c.model_dump(include={"checkin_id", "focus_area", "due_on"}), kind=c.kind.value)
        for c in cycle.checkins
    ]
    event = CycleStarted(
        **cycle.model_dump(include={"cycle_id", "person_id", "manager_id", "wheel_id", "wheel_version", "year"}),
        checkins=planned,
    )
    return EventEnvelope.wrap(event, context)


def start(
    store: CheckInStore,
    wheel: Wheel,
    year: int,
    people: list[Person],
    today: date,
    moment: datetime,
    context: EventContext,
) -> StartResult:
    """Start the year's cycle for each of the people who has a line manager and not this cycle yet;
    idempotent, so a bulk start run twice creates nothing the second time."""
    if not ahead(plan(wheel, year), today):
        raise Invalid(f"Every conversation of {year}'s cycle is past.", [FieldProblem("body.year", "is over")])
    present = [p for p in people if p.present]
    managed = [p for p in present if p.manager_id]
    started_before = store.cycles_started([p.person_id for p in managed], year, wheel.wheel_id)
    cycles = [
        _cycle(wheel, year, p, today, moment, context.actor) for p in managed if p.person_id not in started_before
    ]
    changes = [Change(store.start_cycle(cycle, checkins), [_announce(cycle, context)]) for cycle, checkins in cycles]
    started = sum(commit_each(store.table, changes, shared=[store.tenant_entry()]))
    already = len(managed) - started  # a start that lost a race with another counts as already started
    return StartResult(
        year=year,
        people=len(present),
        started=started,
        skipped=len(present) - started,
        already_started=already,
        no_line_manager=len(present) - len(managed),
    )


def renew(
    store: CheckInStore, directory: DirectoryStore, year: int, today: date, moment: datetime, context: EventContext
) -> int:
    """Start next year's cycle for everyone with one this year, of each wheel that asks for it, with the
    wheel's current version and the person's line manager now."""
    renewing = {w.wheel_id: w for w in store.wheels() if w.renew_yearly}
    if not renewing:
        return 0
    cycles, _ = store.cycles_of_year(year)
    started = 0
    for wheel_id, wheel in renewing.items():
        people = directory.people_by_id([c.person_id for c, _ in cycles if c.wheel_id == wheel_id])
        if people and ahead(plan(wheel, year + 1), today):
            started += start(store, wheel, year + 1, list(people.values()), today, moment, context).started
    return started


class PositionFigures(BaseModel):
    """How the conversations at one place of the wheel stand (0: the appraisal, 1-4: the quarters)."""

    position: int
    planned: int = 0
    scheduled: int = 0
    completed: int = 0
    completed_on_time: int = 0
    missed: int = 0
    cancelled: int = 0
    overdue: int = Field(default=0, description="not held yet, and past their due date")


class Figures(BaseModel):
    year: int
    unit_id: str | None
    cycles: int
    positions: list[PositionFigures]
    completion_rate: float | None = Field(description="completed of those due by today (cancelled ones left out)")


def figures(store: CheckInStore, directory: DirectoryStore, year: int, unit_id: str | None, today: date) -> Figures:
    """Counts only: how many of a year's conversations are planned, held, on time, missed."""
    cycles, _ = store.cycles_of_year(year)
    if unit_id is not None:
        within = units_within([unit_id], directory.units())
        people = directory.people_by_id([c.person_id for c, _ in cycles])
        cycles = [(c, s) for c, s in cycles if c.person_id in people and people[c.person_id].unit_id in within]
    counts: dict[int, Counter[str]] = {}
    due = held = 0
    for cycle, states in cycles:
        for planned in cycle.checkins:
            state = states.get(planned.checkin_id, CheckInState(status=CheckInStatus.PLANNED))
            count = counts.setdefault(planned.position, Counter())
            count[state.status.value] += 1
            count["completed_on_time"] += bool(state.on_time)
            count["overdue"] += state.status in OPEN and planned.due_on < today
            if planned.due_on <= today and state.status is not CheckInStatus.CANCELLED:
                due += 1
                held += state.status is CheckInStatus.COMPLETED
    positions = [PositionFigures(position=p, **counts[p]) for p in sorted(counts)]
    return Figures(
        year=year,
        unit_id=unit_id,
        cycles=len(cycles),
        positions=positions,
        completion_rate=round(held / due, 3) if due else None,
    )
