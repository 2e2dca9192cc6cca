"""Events the check-ins service publishes (source `ledarlyft.checkins`). Versioned; additive changes only.

Free text never leaves this service: notes, answers, talking points and action items' wording stay in
its table. Events carry ids, dates, focus areas, ratings with their indicator keys, and counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from services.shared.envelope import DomainEvent


class CheckInsEvent(DomainEvent):
    event_source: ClassVar[str] = "checkins"


class PlannedCheckIn(BaseModel):
    """One conversation of a cycle, as generated from the wheel (part of CycleStarted)."""

    model_config = ConfigDict(frozen=True)
    checkin_id: str
    kind: str  # appraisal | check-in | follow-up
    focus_area: str | None
    due_on: date


class Rating(BaseModel):
    """One rating item answered at a check-in (1-5), tagged with the indicator reporting aggregates."""

    model_config = ConfigDict(frozen=True)
    item_key: str
    indicator: str  # e.g. leadership, stress, recovery, competence_development, preconditions
    rating: int


class CheckInEvent(CheckInsEvent):
    """What every event about one check-in carries: whose it is, with whom, what and by when."""

    checkin_id: str
    cycle_id: str | None  # None for a follow-up outside a cycle
    person_id: str
    manager_id: str  # the line manager (or mentor) who holds it
    kind: str
    focus_area: str | None
    due_on: date


class CycleStarted(CheckInsEvent):
    """A year's cycle of check-ins began for a person and their line manager, generated from the wheel."""

    event_name: ClassVar[str] = "CycleStarted"
    cycle_id: str
    person_id: str
    manager_id: str
    wheel_id: str
    wheel_version: int
    year: int
    checkins: list[PlannedCheckIn]


class CheckInScheduled(CheckInEvent):
    """A check-in got a time and a place (Stockholm time, stored in UTC): both people get a calendar entry.
    `sequence` grows with every change, so a calendar replaces its entry."""

    event_name: ClassVar[str] = "CheckInScheduled"
    starts_at: datetime
    ends_at: datetime
    location: str | None
    video_url: str | None
    sequence: int


class CheckInRescheduled(CheckInScheduled):
    """A scheduled check-in moved to another time or place; the earlier time is kept in its history."""

    event_name: ClassVar[str] = "CheckInRescheduled"


class CheckInCompleted(CheckInEvent):
    """A check-in was held. Ratings and their indicator keys only: notes and answers stay in the service."""

    event_name: ClassVar[str] = "CheckInCompleted"
    held_on: date
    on_time: bool  # held by its due date
    ratings: list[Rating]
    action_items: int  # agreed at this check-in
    pulse: int | None = None  # the 1-5 pulse of a check-in recorded without a wheel


class CheckInMissed(CheckInEvent):
    """A check-in passed its due date and the grace period without being held: the manager is told."""

    event_name: ClassVar[str] = "CheckInMissed"


class CheckInCancelled(CheckInEvent):
    """A check-in was cancelled with a reason (or because the person left); a scheduled one leaves both
    calendars (`sequence` is the next)."""

    event_name: ClassVar[str] = "CheckInCancelled"
    reason: str
    was_scheduled: bool
    starts_at: datetime | None
    ends_at: datetime | None
    sequence: int


class CheckInDueSoon(CheckInEvent):
    """A check-in is due within the tenant's reminder window: the person and the manager are reminded."""

    event_name: ClassVar[str] = "CheckInDueSoon"
    starts_at: datetime | None  # when it is scheduled


class CheckInReassigned(CheckInEvent):
    """A person's line manager changed: this open check-in moved to the new manager; both are told."""

    event_name: ClassVar[str] = "CheckInReassigned"
    previous_manager_id: str | None


class FollowUpDue(CheckInEvent):
    """A newcomer's follow-up check-in (some weeks after their start) is due: the one who holds it is told."""

    event_name: ClassVar[str] = "FollowUpDue"
    employment_started_on: date


class ActionItemEvent(CheckInsEvent):
    """An action item agreed at a check-in: who owns it and by when. Its wording stays in the service."""

    action_item_id: str
    checkin_id: str
    person_id: str
    manager_id: str
    owner_id: str
    due_on: date | None


class ActionItemCreated(ActionItemEvent):
    event_name: ClassVar[str] = "ActionItemCreated"


class ActionItemCompleted(ActionItemEvent):
    event_name: ClassVar[str] = "ActionItemCompleted"


class ActionItemOverdue(ActionItemEvent):
    """An open action item passed its due date: its owner is told."""

    event_name: ClassVar[str] = "ActionItemOverdue"


class ChecklistCompleted(CheckInsEvent):
    """Every item of a newcomer's introduction checklist is ticked."""

    event_name: ClassVar[str] = "ChecklistCompleted"
    person_id: str
    manager_id: str | None
    unit_id: str | None
    items: int


class MentoringEvent(CheckInsEvent):
    pair_id: str
    mentor_id: str
    mentee_id: str
    starts_on: date
    ends_on: date | None


class MentoringStarted(MentoringEvent):
    """A mentor and a mentee were paired for a period."""

    event_name: ClassVar[str] = "MentoringStarted"


class MentoringEnded(MentoringEvent):
    """A mentoring pair ended; `meetings` is how many meetings its log holds."""

    event_name: ClassVar[str] = "MentoringEnded"
    meetings: int


EVENTS: tuple[type[CheckInsEvent], ...] = (
    CycleStarted,
    CheckInScheduled,
    CheckInRescheduled,
    CheckInCompleted,
    CheckInMissed,
    CheckInCancelled,
    CheckInDueSoon,
    CheckInReassigned,
    FollowUpDue,
    ActionItemCreated,
    ActionItemCompleted,
    ActionItemOverdue,
    ChecklistCompleted,
    MentoringStarted,
    MentoringEnded,
)
