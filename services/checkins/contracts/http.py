"""Check-ins' HTTP models beyond the domain's own: what clients send, and what each reader gets back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.checkins.domain.mentoring import Meeting, Pair
from services.checkins.domain.models import (
    ActionItem,
    CheckIn,
    CheckInKind,
    CheckInState,
    CheckInStatus,
    Day,
    HeldBy,
    Id,
    Key,
    Note,
    Rating,
    Reason,
    SlotChange,
    TalkingPoint,
    Text,
)
from services.checkins.domain.newcomers import Introduction
from services.checkins.domain.people import Audience
from services.checkins.domain.training import ProgrammeStatus
from services.checkins.domain.wheel import Cycle, Question, RatingItem
from services.shared.timezones import in_stockholm


class CycleIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: Id
    wheel_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)] | None = Field(
        default=None, description="none: this year's cycle while its appraisal month lasts, else next year's"
    )


class BulkCycleIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    wheel_id: Id
    year: Annotated[int, Field(ge=2000, le=2100)] | None = Field(default=None, description="as for one cycle")
    audience: Audience = Field(description="roles and units (each with the units under it)")


class CycleOut(BaseModel):
    cycle: Cycle
    states: dict[str, CheckInState] = Field(description="where each of its check-ins stands, by check-in id")


class ScheduleRow(CycleOut):
    """A row of the tenant's schedule: a cycle, whose it is, and its conversations' states; nothing said."""

    name: str | None = Field(description="none: not in the directory check-ins knows")
    unit_id: str | None


class CheckInSummary(BaseModel):
    """A check-in's dates and state, without anything said in it: for lists."""

    checkin_id: str
    person_id: str
    manager_id: str
    held_by: HeldBy
    kind: CheckInKind
    cycle_id: str | None
    position: int
    focus_area: str | None
    due_on: date
    status: CheckInStatus
    starts_at: datetime | None
    ends_at: datetime | None
    starts_at_local: datetime | None = Field(description="Stockholm time")
    location: str | None
    video_url: str | None
    sequence: int
    history: list[SlotChange]
    held_on: date | None

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckInSummary:
        slot = checkin.slot
        return cls(
            **checkin.model_dump(
                include=set(cls.model_fields) - {"starts_at", "ends_at", "starts_at_local", "location", "video_url"}
            ),
            starts_at=slot.starts_at if slot else None,
            ends_at=slot.ends_at if slot else None,
            starts_at_local=in_stockholm(slot.starts_at) if slot else None,
            location=slot.location if slot else None,
            video_url=slot.video_url if slot else None,
        )


class CheckInView(BaseModel):
    """A check-in as one of the two in it (or the person's line manager) sees it: what to talk about, what
    was agreed, the notes they may read, and the person's training status."""

    checkin: CheckIn
    questions: list[Question]
    rating_items: list[RatingItem]
    talking_points: list[TalkingPoint] = Field(description="raised for this check-in")
    carried_talking_points: list[TalkingPoint] = Field(description="left unticked at earlier check-ins of the thread")
    action_items: list[ActionItem] = Field(description="agreed at this check-in")
    carried_action_items: list[ActionItem] = Field(description="agreed earlier in the thread and not done")
    notes: list[Note] = Field(description="yours, and those the other shared with you")
    training: list[ProgrammeStatus] = Field(description="the person's programmes and credentials")


class CancellationIn(BaseModel):
    reason: Reason


class ActionItemIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    text: Text
    owner_id: Id | None = Field(default=None, description="the person (when left out) or the one holding the check-in")
    due_on: Day | None = None


class CompletionIn(BaseModel):
    """What the one holding a check-in records once it is held."""

    model_config = ConfigDict(frozen=True)
    held_on: Day | None = Field(default=None, description="none: today")
    answers: dict[Key, Text] = Field(default_factory=dict, description="by question key")
    ratings: dict[Key, Rating] = Field(default_factory=dict, description="by rating item key, 1 to 5")
    action_items: Annotated[list[ActionItemIn], Field(max_length=15)] = Field(default_factory=list)
    ticked_talking_points: Annotated[list[Id], Field(max_length=20)] = Field(
        default_factory=list, description="talking points dealt with; the others carry over to the next check-in"
    )


class TalkingPointIn(BaseModel):
    text: Text


class TickIn(BaseModel):
    ticked: bool


class NoteIn(BaseModel):
    text: Text
    shared: bool = Field(default=False, description="share it with the other of the two; else it is yours alone")


class NoteChange(BaseModel):
    text: Text | None = None
    shared: bool | None = None


class ActionItemChange(BaseModel):
    done: bool = Field(description="true: it is done (an item done stays done)")


class Held(BaseModel):
    """A check-in held without the wheel, recorded afterwards by the line manager."""

    model_config = ConfigDict(frozen=True)
    person_id: Id
    kind: CheckInKind = CheckInKind.CHECK_IN
    focus_area: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    held_on: Day
    pulse: Annotated[int, Field(ge=1, le=5, description="How the person rates their situation, 1 (poor) to 5")]
    notes: Text | None = Field(default=None, description="kept as the manager's private note")


class IntroductionOut(BaseModel):
    introduction: Introduction
    follow_ups: list[CheckInSummary]


class MeetingOut(BaseModel):
    meeting_id: str
    held_on: date
    duration_minutes: int
    author_id: str
    shared: bool
    note: str | None = Field(description="only for its author, or for both of the pair when shared")

    @classmethod
    def of(cls, meeting: Meeting, reader: str | None) -> MeetingOut:
        note = meeting.readable_note(reader) if reader else None
        return cls(**meeting.model_dump(include=set(cls.model_fields) - {"note"}), note=note)


class PairOut(BaseModel):
    pair: Pair
    meetings: list[MeetingOut]


class EndIn(BaseModel):
    ended_on: Day | None = Field(default=None, description="none: today")
