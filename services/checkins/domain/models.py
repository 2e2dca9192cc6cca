"""Check-ins between a person and the one who holds them (a line manager or a mentor). Pure: no AWS here.

A check-in moves planned → scheduled → completed; or missed, when it passes its last day without being
held; or cancelled with a reason. Talking points and action items belong to a thread (a cycle, a
newcomer's introduction, or a lone check-in), so what is left open at one check-in shows up at the next
of its thread by itself: nothing is copied.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from services.shared.errors import Conflict, FieldProblem, Invalid
from services.shared.timezones import in_stockholm, to_utc

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", description="lower-case letters, digits, - and _")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Reason = Annotated[str, Field(min_length=3, max_length=500)]
UtcTime = Annotated[datetime, AfterValidator(to_utc)]
Rating = Annotated[int, Field(ge=1, le=5)]
# Days and times people give are within this century: a calendar entry a thousand years out is a typo.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


def new_id() -> str:
    return uuid.uuid4().hex


def dated_id(day: date, suffix: str | None = None) -> str:
    """An id that sorts by `day`: a person's check-ins list in the order they fall due."""
    return f"{day:%Y%m%d}{(suffix or uuid.uuid4().hex)[:16]}"


class CheckInKind(StrEnum):
    APPRAISAL = "appraisal"  # the yearly appraisal talk that starts the annual wheel
    CHECK_IN = "check-in"  # one of the quarterly check-ins
    FOLLOW_UP = "follow-up"  # a newcomer's follow-up, some weeks after their start


class CheckInStatus(StrEnum):
    PLANNED = "planned"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"


OPEN = (CheckInStatus.PLANNED, CheckInStatus.SCHEDULED)


class HeldBy(StrEnum):
    """Whose the check-in is to hold: it follows the person's line manager, or stays with their mentor."""

    LINE_MANAGER = "line_manager"
    MENTOR = "mentor"


class Slot(BaseModel):
    """When and where a check-in is held; times without an offset are Stockholm time."""

    model_config = ConfigDict(frozen=True)
    starts_at: UtcTime
    ends_at: UtcTime
    location: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    video_url: Annotated[str, Field(pattern=r"^https://\S+$", max_length=2000)] | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Slot:
        if not FIRST_DAY.year <= self.starts_at.year <= LAST_DAY.year:
            raise Invalid("Book a time in this century.", [FieldProblem("body.starts_at", "is out of range")])
        if self.ends_at <= self.starts_at:
            raise Invalid(
                "A check-in must end after it starts.", [FieldProblem("body.ends_at", "is not after starts_at")]
            )
        if self.ends_at - self.starts_at > timedelta(hours=12):
            raise Invalid(
                "A check-in lasts at most 12 hours.", [FieldProblem("body.ends_at", "is too long after starts_at")]
            )
        return self


class SlotChange(Slot):
    """A time a check-in had before it was moved or cancelled: its history."""

    changed_at: UtcTime
    changed_by: str


class Covered(BaseModel):
    """What a check-in took over from earlier ones of its thread, as it stood when the check-in closed."""

    model_config = ConfigDict(frozen=True)
    talking_points: list[str] = Field(default_factory=list)
    action_items: list[str] = Field(default_factory=list)


class CheckIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    checkin_id: Id
    person_id: Id
    manager_id: Id = Field(description="who holds it: the line manager, or for some follow-ups the mentor")
    held_by: HeldBy = HeldBy.LINE_MANAGER
    kind: CheckInKind
    thread_id: Id = Field(description="its cycle, the newcomer's introduction, or itself")
    cycle_id: Id | None = None
    cycle_year: int | None = None
    wheel_id: Id | None = None
    wheel_version: int | None = None
    position: int = Field(default=0, description="its place in the thread: 0 is the appraisal of a cycle")
    focus_area: str | None = None
    due_on: date
    remind_on: date | None = Field(default=None, description="when both are reminded; none: never")
    last_day: date | None = Field(default=None, description="missed when not held by this day; none: never")
    employment_started_on: date | None = None
    status: CheckInStatus = CheckInStatus.PLANNED
    slot: Slot | None = None
    sequence: int = Field(default=0, description="grows with each change of time, so calendars replace their entry")
    history: list[SlotChange] = Field(default_factory=list)
    held_on: date | None = None
    missed_on: date | None = None
    cancelled_reason: str | None = None
    answers: dict[str, str] = Field(default_factory=dict, description="the answers to the wheel's questions")
    ratings: dict[str, int] = Field(default_factory=dict, description="the rating items answered, 1 to 5")
    pulse: int | None = Field(default=None, description="a check-in recorded without a wheel: 1 to 5")
    covered: Covered = Field(default_factory=Covered)
    completed_by: str | None = None
    revision: int = 0  # optimistic lock

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def parties(self) -> tuple[str, str]:
        """The two people in the conversation."""
        return self.person_id, self.manager_id

    def schedule(self, slot: Slot, moment: datetime, actor: str) -> CheckIn:
        """Give it a time and a place, or move it; an earlier time goes to its history. A missed check-in
        may be booked late."""
        if self.status not in (*OPEN, CheckInStatus.MISSED):
            raise NotOpen(self)
        if slot.starts_at <= moment:
            raise Invalid("Book a time ahead.", [FieldProblem("body.starts_at", "is not in the future")])
        if slot == self.slot:
            return self
        history = self.history
        if self.slot is not None:
            history = [*history, SlotChange(**self.slot.model_dump(), changed_at=moment, changed_by=actor)]
        moved = self.slot is not None
        return self.model_copy(
            update={
                "status": CheckInStatus.SCHEDULED,
                "slot": slot,
                "history": history,
                "sequence": self.sequence + 1 if moved else self.sequence,
                "last_day": self._last_day_for(slot) if self.missed_on is None else None,
            }
        )

    def _last_day_for(self, slot: Slot) -> date | None:
        """A check-in booked after its due date is not missed before its time has passed."""
        if self.last_day is None:
            return None
        grace = self.last_day - self.due_on
        return max(self.due_on, in_stockholm(slot.starts_at).date()) + grace

    def cancel(self, reason: str, moment: datetime, actor: str) -> CheckIn:
        if not self.is_open:
            raise NotOpen(self)
        history = self.history
        if self.slot is not None:
            history = [*history, SlotChange(**self.slot.model_dump(), changed_at=moment, changed_by=actor)]
        return self.model_copy(
            update={
                "status": CheckInStatus.CANCELLED,
                "cancelled_reason": reason,
                "history": history,
                "sequence": self.sequence + 1 if self.slot else self.sequence,
            }
        )

    def miss(self, today: date) -> CheckIn:
        if not self.is_open or self.last_day is None or today <= self.last_day:
            raise NotOpen(self)
        return self.model_copy(update={"status": CheckInStatus.MISSED, "missed_on": today})

    def complete(
        self,
        held_on: date,
        today: date,
        answers: dict[str, str],
        ratings: dict[str, int],
        covered: Covered,
        actor: str,
    ) -> CheckIn:
        """Record it held; a missed one may be recorded late."""
        if self.status not in (*OPEN, CheckInStatus.MISSED):
            raise NotOpen(self)
        if held_on > today:
            raise Invalid("A check-in is recorded once it is held.", [FieldProblem("body.held_on", "is in the future")])
        return self.model_copy(
            update={
                "status": CheckInStatus.COMPLETED,
                "held_on": held_on,
                "answers": answers,
                "ratings": ratings,
                "covered": covered,
                "completed_by": actor,
            }
        )

    @property
    def on_time(self) -> bool:
        return self.held_on is not None and self.held_on <= self.due_on

    def reassign(self, manager_id: str, held_by: HeldBy) -> CheckIn:
        """Hand it to another holder; a booked time stays, and calendars get the change (`sequence`)."""
        return self.model_copy(
            update={"manager_id": manager_id, "held_by": held_by, "sequence": self.sequence + (1 if self.slot else 0)}
        )


class NotOpen(Conflict):
    code = "checkin_closed"

    def __init__(self, checkin: CheckIn) -> None:
        super().__init__(f"The check-in is {checkin.status.value}: that cannot be done now.")


class TalkingPoint(BaseModel):
    """Something either of the two wants to talk about, raised for a check-in; carried to the next check-in
    of its thread until it is ticked."""

    model_config = ConfigDict(frozen=True)
    talking_point_id: Id
    thread_id: Id
    raised_for: Id = Field(description="the check-in it was raised for")
    author_id: Id
    text: Text
    raised_at: UtcTime
    ticked_by: str | None = None
    ticked_at: UtcTime | None = None
    ticked_in: Id | None = Field(default=None, description="the check-in where it was ticked")


class ActionItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class ActionItem(BaseModel):
    """Something agreed at a check-in: who does it, by when. Open ones show at every later check-in of its
    thread until done."""

    model_config = ConfigDict(frozen=True)
    action_item_id: Id
    thread_id: Id
    agreed_in: Id = Field(description="the check-in where it was agreed")
    person_id: Id
    manager_id: Id
    owner_id: Id
    text: Text
    due_on: date | None = None
    status: ActionItemStatus = ActionItemStatus.OPEN
    created_at: UtcTime
    completed_at: UtcTime | None = None
    completed_by: str | None = None

    def done(self, moment: datetime, actor: str) -> ActionItem:
        if self.status is ActionItemStatus.DONE:
            raise Conflict("The action item is done already.")
        return self.model_copy(update={"status": ActionItemStatus.DONE, "completed_at": moment, "completed_by": actor})


class Note(BaseModel):
    """A note on a check-in: private to its author, or shared with the other of the two, by the author's choice."""

    model_config = ConfigDict(frozen=True)
    note_id: Id
    checkin_id: Id
    author_id: Id
    shared: bool = False
    text: Text
    written_at: UtcTime
    edited_at: UtcTime | None = None

    def readable_by(self, reader: str, checkin: CheckIn) -> bool:
        return reader == self.author_id or (self.shared and reader in checkin.parties())


def carried(
    into: str,
    earlier_closed: set[str],
    talking_points: list[TalkingPoint],
    action_items: list[ActionItem],
) -> tuple[list[TalkingPoint], list[ActionItem]]:
    """What the check-in `into` takes over from the closed check-ins before it: talking points not ticked
    (or ticked at `into`), and action items not done."""
    points = [
        tp
        for tp in talking_points
        if tp.raised_for in earlier_closed and (tp.ticked_at is None or tp.ticked_in == into)
    ]
    items = [a for a in action_items if a.agreed_in in earlier_closed and a.status is ActionItemStatus.OPEN]
    return points, items


class CheckInState(BaseModel):
    """Where a check-in stands, without anything said in it: for schedules and figures."""

    model_config = ConfigDict(frozen=True)
    status: CheckInStatus
    starts_at: datetime | None = None
    held_on: date | None = None
    on_time: bool | None = None

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckInState:
        return cls(
            status=checkin.status,
            starts_at=checkin.slot.starts_at if checkin.slot and checkin.is_open else None,
            held_on=checkin.held_on,
            on_time=checkin.on_time if checkin.held_on else None,
        )
