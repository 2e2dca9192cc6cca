"""Events the enrolment service publishes (source `ledarlyft.enrolment`). Versioned; additive changes only."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from services.shared.envelope import DomainEvent


class EnrolmentEvent(DomainEvent):
    event_source: ClassVar[str] = "enrolment"


class PersonUpserted(EnrolmentEvent):
    """The directory's record of a person. Carries contact details: consumers must not log them."""

    event_name: ClassVar[str] = "PersonUpserted"
    person_id: str
    name: str
    email: str | None
    mobile: str | None
    language: str
    unit_id: str | None
    manager_id: str | None
    roles: list[str]


class UnitUpserted(EnrolmentEvent):
    """The directory's record of a unit in the organisation's hierarchy, with its size."""

    event_name: ClassVar[str] = "UnitUpserted"
    unit_id: str
    name: str
    kind: str
    parent_id: str | None
    permanent_employees: int | None
    full_time_equivalents: float | None
    average_age: float | None
    managers: int | None
    guideline_area: str | None


class StagePublished(EnrolmentEvent):
    """One stage of a published programme (part of ProgrammePublished, not published alone)."""

    event_name: ClassVar[str] = "StagePublished"
    key: str
    name: str
    kind: str
    required: bool
    requires: list[str]


class ProgrammePublished(EnrolmentEvent):
    """A programme was published: its stages in order, with their prerequisites."""

    event_name: ClassVar[str] = "ProgrammePublished"
    programme_id: str
    name: str
    version: int
    stages: list[StagePublished]


class SessionScheduled(EnrolmentEvent):
    """A session was scheduled for a stage; `sequence` grows with each change so calendars update in place."""

    event_name: ClassVar[str] = "SessionScheduled"
    session_id: str
    programme_id: str
    stage_key: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    location: str | None
    video_url: str | None
    sequence: int


class RegistrationConfirmed(EnrolmentEvent):
    """A person has a confirmed seat at a session. No contact details: consumers look the person up by id."""

    event_name: ClassVar[str] = "RegistrationConfirmed"
    registration_id: str
    session_id: str
    person_id: str
    programme_id: str
    programme_name: str
    stage_key: str
    stage_name: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    video_url: str | None


EVENTS: tuple[type[EnrolmentEvent], ...] = (
    PersonUpserted,
    UnitUpserted,
    ProgrammePublished,
    SessionScheduled,
    RegistrationConfirmed,
)
