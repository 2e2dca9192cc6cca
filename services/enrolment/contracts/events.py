"""Events the enrolment service publishes (source `ledarlyft.enrolment`). Versioned; additive changes only."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from services.shared.envelope import DomainEvent

PEOPLE_PER_EVENT = 500  # keeps an event that lists people far below EventBridge's 256 KB


def people_per_event(person_ids: list[str]) -> list[list[str]]:
    """A list of people split over as many events as it takes."""
    return [person_ids[start : start + PEOPLE_PER_EVENT] for start in range(0, len(person_ids), PEOPLE_PER_EVENT)]


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
    employment_start: date | None = None


class ManagerChanged(EnrolmentEvent):
    """A person has a new line manager (or none): check-ins and approvals follow the new one."""

    event_name: ClassVar[str] = "ManagerChanged"
    person_id: str
    previous_manager_id: str | None
    manager_id: str | None


class PersonLeft(EnrolmentEvent):
    """A person left the organisation on `left_on`; their history is kept."""

    event_name: ClassVar[str] = "PersonLeft"
    person_id: str
    left_on: date


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


class CoursePublished(EnrolmentEvent):
    """One course of an e-learning stage (part of ProgrammePublished); `external_id` is the portal's."""

    key: str
    name: str
    external_id: str | None


class StagePublished(EnrolmentEvent):
    """One stage of a published programme (part of ProgrammePublished, not published alone)."""

    event_name: ClassVar[str] = "StagePublished"
    key: str
    name: str
    kind: str
    required: bool
    requires: list[str]
    courses: list[CoursePublished]


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


class SessionRescheduled(SessionScheduled):
    """A session changed (time, place, capacity): a calendar replaces its entry when `sequence` is higher."""

    event_name: ClassVar[str] = "SessionRescheduled"


class SessionNotice(EnrolmentEvent):
    """A session, and the people to tell about it; a long list comes as several events."""

    session_id: str
    programme_id: str
    programme_name: str
    stage_key: str
    stage_name: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    video_url: str | None
    person_ids: list[str]


class SessionMoved(SessionNotice):
    """A session's time or place changed (with SessionRescheduled): everyone with a seat, an offer or a place
    in line is told."""

    event_name: ClassVar[str] = "SessionMoved"
    sequence: int


class SessionReminder(SessionNotice):
    """A session starts in `days_before` days (7 or 1, Stockholm's calendar): everyone with a seat is
    reminded, once per reminder and start time."""

    event_name: ClassVar[str] = "SessionReminder"
    days_before: int = 1


class SessionCancelled(EnrolmentEvent):
    """A session was cancelled; each of its registrations is cancelled and announced too."""

    event_name: ClassVar[str] = "SessionCancelled"
    session_id: str
    programme_id: str
    stage_key: str
    sequence: int
    reason: str


class InvitationsSent(EnrolmentEvent):
    """People invited to enrol in a programme, or with `session_id` to register for a session: those of the
    audience who can act on it now. Sent when a programme or session is published, or by a coordinator;
    a long list comes as several events."""

    event_name: ClassVar[str] = "InvitationsSent"
    programme_id: str
    programme_name: str
    note: str | None
    person_ids: list[str]
    session_id: str | None = None
    stage_key: str | None = None
    stage_name: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    video_url: str | None = None
    registration_opens_at: datetime | None = None


class SessionEvaluated(EnrolmentEvent):
    """A participant rated a session they attended (1-5). Unsigned: the rating is not tied to a person."""

    event_name: ClassVar[str] = "SessionEvaluated"
    session_id: str
    programme_id: str
    stage_key: str
    rating: int


class RegistrationEvent(EnrolmentEvent):
    registration_id: str
    session_id: str
    person_id: str
    programme_id: str
    stage_key: str


class SeatEvent(RegistrationEvent):
    """A registration event that tells a person about their seat: what, when and where."""

    programme_name: str
    stage_name: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    video_url: str | None


class RegistrationConfirmed(SeatEvent):
    """A person has a confirmed seat at a session. No contact details: consumers look the person up by id."""

    event_name: ClassVar[str] = "RegistrationConfirmed"


class RegistrationWaitlisted(SeatEvent):
    """The session was full: the person waits, in the order the service accepted the requests (`ticket`)."""

    event_name: ClassVar[str] = "RegistrationWaitlisted"
    ticket: int


class RegistrationOffered(SeatEvent):
    """A freed seat is held for the first in line until `offer_expires_at`; unclaimed, it passes on."""

    event_name: ClassVar[str] = "RegistrationOffered"
    offer_expires_at: datetime


class RegistrationPromoted(SeatEvent):
    """A waiting person got a seat: at once, or by claiming an offer."""

    event_name: ClassVar[str] = "RegistrationPromoted"


class RegistrationCancelled(SeatEvent):
    """A registration was cancelled by the person, for them, or with its session. `late`: after the cut-off."""

    event_name: ClassVar[str] = "RegistrationCancelled"
    previous_status: str
    late: bool
    reason: str


class OfferExpired(RegistrationEvent):
    """An offered seat was not claimed in time; it passes to the next in line."""

    event_name: ClassVar[str] = "OfferExpired"


class PersonProgrammeEvent(EnrolmentEvent):
    programme_id: str
    person_id: str


class EnrolmentRequested(PersonProgrammeEvent):
    """A person asked to join a programme that needs their manager's approval."""

    event_name: ClassVar[str] = "EnrolmentRequested"
    version: int


class EnrolmentApproved(PersonProgrammeEvent):
    """A person is enrolled (at once, or approved by their manager) under `version` of the programme."""

    event_name: ClassVar[str] = "EnrolmentApproved"
    version: int
    enrolled_by: str


class EnrolmentDeclined(PersonProgrammeEvent):
    """A manager declined a person's request to join a programme, with the reason."""

    event_name: ClassVar[str] = "EnrolmentDeclined"
    reason: str
    decided_by: str


class EnrolmentWithdrawn(PersonProgrammeEvent):
    """A person left a programme; what they had done is kept."""

    event_name: ClassVar[str] = "EnrolmentWithdrawn"
    reason: str
    withdrawn_by: str


class StageCompleted(PersonProgrammeEvent):
    """A stage of a person's programme is done: completed, or exempted with a reason."""

    event_name: ClassVar[str] = "StageCompleted"
    stage_key: str
    exempted: bool


class StageUnlocked(PersonProgrammeEvent):
    """A stage opened to a person: its prerequisites are done, so they may register for its sessions."""

    event_name: ClassVar[str] = "StageUnlocked"
    stage_key: str
    stage_name: str
    programme_name: str


class ProgrammeCompleted(PersonProgrammeEvent):
    """A person completed every required stage of a programme."""

    event_name: ClassVar[str] = "ProgrammeCompleted"
    version: int


class CredentialIssued(PersonProgrammeEvent):
    """A numbered credential (diploma) was issued; `verification_code` verifies it publicly."""

    event_name: ClassVar[str] = "CredentialIssued"
    number: int
    verification_code: str
    credential_name: str
    valid_until: datetime | None


class CredentialExpiring(PersonProgrammeEvent):
    """A credential expires in `days_left` days (notices at 90 and 30): time to recertify."""

    event_name: ClassVar[str] = "CredentialExpiring"
    number: int
    credential_name: str
    valid_until: datetime
    days_left: int


class CredentialExpired(PersonProgrammeEvent):
    """A credential expired; the programme is open to the person again, for recertification."""

    event_name: ClassVar[str] = "CredentialExpired"
    number: int
    credential_name: str


class CredentialRevoked(PersonProgrammeEvent):
    """A credential was revoked, with the reason; verification shows it as revoked."""

    event_name: ClassVar[str] = "CredentialRevoked"
    number: int
    credential_name: str
    reason: str


class AttendanceRecorded(RegistrationEvent):
    """A trainer or coordinator marked a registration present, late, excused or absent."""

    event_name: ClassVar[str] = "AttendanceRecorded"
    attendance: str


class NoShowRecorded(RegistrationEvent):
    """A confirmed person did not come and had not cancelled ("attend or cancel"): their manager is told,
    and the person is offered the stage's next session open for registration, if there is one."""

    event_name: ClassVar[str] = "NoShowRecorded"
    programme_name: str
    stage_name: str
    next_session_id: str | None
    next_session_starts_at: datetime | None


EVENTS: tuple[type[EnrolmentEvent], ...] = (
    PersonUpserted,
    ManagerChanged,
    PersonLeft,
    UnitUpserted,
    ProgrammePublished,
    SessionScheduled,
    SessionRescheduled,
    SessionMoved,
    SessionReminder,
    SessionCancelled,
    InvitationsSent,
    SessionEvaluated,
    RegistrationConfirmed,
    RegistrationWaitlisted,
    RegistrationOffered,
    RegistrationPromoted,
    RegistrationCancelled,
    OfferExpired,
    AttendanceRecorded,
    NoShowRecorded,
    EnrolmentRequested,
    EnrolmentApproved,
    EnrolmentDeclined,
    EnrolmentWithdrawn,
    StageCompleted,
    StageUnlocked,
    ProgrammeCompleted,
    CredentialIssued,
    CredentialExpiring,
    CredentialExpired,
    CredentialRevoked,
)
