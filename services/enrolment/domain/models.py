"""Enrolment's domain: programmes of ordered stages, sessions and registrations. Pure: no AWS here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from services.shared.errors import FieldProblem, Invalid
from services.shared.identity import Role
from services.shared.timezones import in_stockholm, to_utc

Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", description="lower-case letters, digits, dashes")]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Needs = Annotated[str, Field(min_length=1, max_length=500)]
ATTENDANCE_OPENS_BEFORE = timedelta(minutes=30)
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(moment: datetime) -> datetime:
    """A time people plan for: this century, read as Stockholm time when it has no offset."""
    moment = to_utc(moment)
    if not EARLIEST <= moment < LATEST:
        raise PydanticCustomError("implausible_time", "is not between the years 2000 and 2099")
    return moment


UtcTime = Annotated[datetime, AfterValidator(_plausible)]


def new_id() -> str:
    return uuid.uuid4().hex


class PersonDetails(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: Name
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)] | None = None
    mobile: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{6,20}$")] | None = None
    language: Annotated[str, Field(pattern="^(sv|en)$")] = "sv"
    unit_id: Id | None = None
    manager_id: Id | None = None
    roles: list[Role] = Field(default_factory=lambda: [Role.PARTICIPANT])
    employment_start: date | None = Field(
        default=None, description="the first day of employment: newcomers' follow-ups are counted from it"
    )


class Person(PersonDetails):
    person_id: Id
    left_on: date | None = Field(default=None, description="set when the person left; their history is kept")


class UnitKind(StrEnum):
    ORGANISATION = "organisation"
    DEPARTMENT = "department"
    UNIT = "unit"


class UnitDetails(BaseModel):
    """A place in the organisation's hierarchy (organisation → department → unit), with its size."""

    model_config = ConfigDict(frozen=True)
    name: Name
    kind: UnitKind = UnitKind.UNIT
    parent_id: Id | None = None
    permanent_employees: Annotated[int, Field(ge=0)] | None = None
    full_time_equivalents: Annotated[float, Field(ge=0)] | None = None
    average_age: Annotated[float, Field(ge=0, le=100)] | None = None
    managers: Annotated[int, Field(ge=0)] | None = None
    guideline_area: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="the span-of-control guideline the unit is measured against"
    )


class Unit(UnitDetails):
    unit_id: Id


class Audience(BaseModel):
    """Who is invited: people with one of the roles, in one of the units or a unit under it."""

    model_config = ConfigDict(frozen=True)
    roles: list[Role] = Field(default_factory=list, description="any of these roles; empty: any role")
    unit_ids: Annotated[list[Id], Field(max_length=500)] = Field(
        default_factory=list, description="these units and the units under them; empty: the whole organisation"
    )


class StageKind(StrEnum):
    E_LEARNING = "e-learning"
    INSTRUCTOR_LED = "instructor-led"
    BRIEFING = "briefing"
    NETWORK = "network"  # a mentor network: recurring meetings
    FORUM = "forum"  # a supervisor forum: recurring occasions

    @property
    def recurring(self) -> bool:
        """Occasions attended as often as one likes: each counts, none completes the stage."""
        return self in (StageKind.NETWORK, StageKind.FORUM)


class Course(BaseModel):
    """A self-paced course of an e-learning stage, in the learning portal."""

    model_config = ConfigDict(frozen=True)
    key: Key
    name: Name
    external_id: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="the learning portal's id, for completions it pushes"
    )


class Stage(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: Key
    name: Name
    kind: StageKind
    required: bool = True
    requires: list[Key] = Field(default_factory=list, description="keys of earlier stages that must be complete")
    courses: Annotated[list[Course], Field(max_length=100)] = Field(
        default_factory=list, description="e-learning: the stage is complete when every course is"
    )


class CredentialSpec(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: Name
    validity_months: Annotated[int, Field(ge=1, le=240)] | None = Field(
        default=None, description="none: the credential does not expire"
    )


class Programme(BaseModel):
    model_config = ConfigDict(frozen=True)
    programme_id: Id = Field(default_factory=new_id, description="a stable id of your choosing, or generated")
    name: Name
    description: Annotated[str, Field(max_length=4000)] | None = None
    version: int = 1
    stages: Annotated[list[Stage], Field(min_length=1, max_length=50)]
    requires_approval: bool = Field(default=False, description="a person's own enrolment waits for their manager")
    credential: CredentialSpec | None = Field(default=None, description="issued when the required stages are done")
    audience: Audience | None = Field(
        default=None,
        description="invited when the programme is first published, and to its sessions; none: nobody is invited",
    )

    @model_validator(mode="after")
    def _stages_form_an_order(self) -> Programme:
        problems: list[FieldProblem] = []
        seen: set[str] = set()
        for position, stage in enumerate(self.stages):
            if stage.key in seen:
                problems.append(FieldProblem(f"body.stages.{position}.key", f"'{stage.key}' is used twice"))
            for required in stage.requires:
                if required not in seen:
                    problems.append(
                        FieldProblem(f"body.stages.{position}.requires", f"'{required}' is not an earlier stage")
                    )
            seen.add(stage.key)
            course_keys = [c.key for c in stage.courses]
            if len(set(course_keys)) != len(course_keys):
                problems.append(FieldProblem(f"body.stages.{position}.courses", "a course key is used twice"))
        if problems:
            raise Invalid("The stages do not form an order.", problems)
        return self

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def occasions_only(self) -> bool:
        """A forum or network and nothing else: people are invited to its occasions, not to enrol."""
        return all(stage.kind.recurring for stage in self.stages)

    @property
    def required_stages(self) -> list[str]:
        """The completion rule: every required stage done (completed or exempted)."""
        return [s.key for s in self.stages if s.required]

    def course_by_external_id(self, external_id: str) -> tuple[Stage, Course] | None:
        for stage in self.stages:
            for course in stage.courses:
                if course.external_id == external_id:
                    return stage, course
        return None


class SessionDetails(BaseModel):
    model_config = ConfigDict(frozen=True)
    stage_key: Key
    starts_at: UtcTime = Field(description="ISO 8601; without an offset it is read as Europe/Stockholm time")
    ends_at: UtcTime
    capacity: Annotated[int, Field(ge=1, le=10_000)]
    location: Annotated[str, Field(max_length=300)] | None = None
    video_url: Annotated[str, Field(pattern=r"^https://\S+$", max_length=2000)] | None = None
    trainers: list[Id] = Field(default_factory=list)
    cancellation_cutoff_hours: Annotated[int, Field(ge=0, le=720)] = Field(
        default=24, description="a cancellation later than this many hours before the start is recorded as late"
    )
    claim_window_minutes: Annotated[int, Field(ge=1, le=10_080)] | None = Field(
        default=None, description="how long a freed seat is offered to the next in line; none: promoted at once"
    )
    registration_opens_at: UtcTime | None = Field(default=None, description="none: open from the start")
    registration_closes_at: UtcTime | None = Field(default=None, description="none: open until the session starts")
    audience: Audience | None = Field(
        default=None, description="who is invited to the session; none: the programme's audience"
    )
    invite_days_before: Annotated[int, Field(ge=1, le=90)] | None = Field(
        default=None,
        description="invite the audience this many days before the start (Stockholm's calendar); none: when scheduled",
    )

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at <= starts_at:
            raise PydanticCustomError("ends_before_start", "is not after starts_at")
        return ends_at

    @field_validator("registration_closes_at")
    @classmethod
    def _closes_by_the_start(cls, closes_at: datetime | None, info: ValidationInfo) -> datetime | None:
        starts_at = info.data.get("starts_at")
        if closes_at is not None and starts_at is not None and closes_at > starts_at:
            raise PydanticCustomError("closes_after_start", "is after starts_at")
        return closes_at

    def registration_open(self, moment: datetime) -> bool:
        opens, closes = self.registration_opens_at, self.registration_closes_at or self.starts_at
        return (opens is None or moment >= opens) and moment < closes


class Session(SessionDetails):
    session_id: Id = Field(default_factory=new_id)
    programme_id: Id
    programme_name: Name
    stage_name: Name
    recurring: bool = Field(
        default=False, description="an occasion of a forum or network: a person may hold seats at several"
    )
    sequence: int = Field(default=0, description="grows with each change, so calendars replace their entry")
    cancelled_reason: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_reason is not None

    def invitations_due(self, moment: datetime) -> bool:
        """Whether the audience should have been invited by `moment`."""
        if self.invite_days_before is None:
            return True
        invite_on = in_stockholm(self.starts_at).date() - timedelta(days=self.invite_days_before)
        return in_stockholm(moment).date() >= invite_on

    def has_started(self, moment: datetime) -> bool:
        return moment >= self.starts_at

    @property
    def attendance_opens_at(self) -> datetime:
        """A trainer may open the attendance sheet (and people mark themselves) this long before the start."""
        return self.starts_at - ATTENDANCE_OPENS_BEFORE

    def cancellation_is_late(self, moment: datetime) -> bool:
        return moment > self.starts_at - timedelta(hours=self.cancellation_cutoff_hours)

    def offer_expires_at(self, moment: datetime) -> datetime | None:
        """When an offer made now lapses; never later than the start. None: promote without an offer."""
        if self.claim_window_minutes is None:
            return None
        return min(moment + timedelta(minutes=self.claim_window_minutes), self.starts_at)


def next_open_session(sessions: Iterable[Session], missed: Session, moment: datetime) -> Session | None:
    """The first later session of the missed one's stage that one can still register for (now or once it opens)."""
    later = [
        s
        for s in sessions
        if s.stage_key == missed.stage_key
        and s.starts_at > missed.starts_at
        and not s.cancelled
        and moment < (s.registration_closes_at or s.starts_at)
    ]
    return min(later, key=lambda s: s.starts_at, default=None)


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed seat is held for this person until the offer expires
    CANCELLED = "cancelled"
    OFFER_EXPIRED = "offer_expired"


HOLDS_A_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
ACTIVE = (*HOLDS_A_SEAT, RegistrationStatus.WAITLISTED)


class Registration(BaseModel):
    model_config = ConfigDict(frozen=True)
    registration_id: Id = Field(default_factory=new_id)
    session_id: Id
    person_id: Id
    programme_id: Id
    stage_key: Key
    status: RegistrationStatus = RegistrationStatus.CONFIRMED
    registered_at: UtcTime
    ticket: int | None = Field(default=None, description="place in the order the service accepted requests")
    offer_expires_at: UtcTime | None = None
    cancelled_at: UtcTime | None = None
    late_cancellation: bool = False
    attendance: Attendance | None = None
    needs: Needs | None = Field(
        default=None,
        description="dietary or access needs, for the venue and catering; seen by the session's trainers and "
        "coordinators, never published, and forgotten when the registration ends",
    )


class Evaluation(BaseModel):
    """A participant's rating of a session they attended; the comment stays in the service, unsigned."""

    model_config = ConfigDict(frozen=True)
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=2000)] | None = None


class Attendance(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"  # a no-show: registered, did not come, did not cancel

    @property
    def attended(self) -> bool:
        return self in (Attendance.PRESENT, Attendance.LATE)
