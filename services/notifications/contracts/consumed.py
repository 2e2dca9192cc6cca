"""What notifications reads of the events it consumes: tolerant readers of other services' contracts.

Only the fields used here are declared and unknown ones are ignored, so producers can add fields
without breaking this consumer (and no service imports another's code). A message is filled from the
event's own fields; these readers pick out whom to tell.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PersonUpserted(Consumed):
    person_id: str
    name: str
    email: str | None = None
    mobile: str | None = None
    language: str = "sv"
    manager_id: str | None = None


class AboutPerson(Consumed):
    """Any event that tells one person something (a seat, a stage, a credential)."""

    person_id: str


class AboutPeople(Consumed):
    """An event that tells many people the same thing about a session."""

    session_id: str
    starts_at: datetime
    person_ids: list[str]


class SessionReminder(AboutPeople):
    days_before: int = 1  # 7 or 1; before the week-ahead reminder existed, always the day before


class Invitations(Consumed):
    """InvitationsSent: whom to invite, to a programme or (with `session_id`) one of its sessions."""

    programme_id: str
    person_ids: list[str]
    session_id: str | None = None


class CheckIn(Consumed):
    """Any event about one check-in: whose it is and who holds it."""

    checkin_id: str
    person_id: str
    manager_id: str


class CheckInReassigned(CheckIn):
    previous_manager_id: str | None = None


class ActionItemOverdue(Consumed):
    person_id: str
    manager_id: str
    owner_id: str


SES_SOURCE = "aws.ses"
SES_DETAIL_TYPES = ("Email Delivered", "Email Bounced", "Email Complaint Received")


class SesRecipient(Consumed):
    email_address: str = Field(alias="emailAddress")


class SesMail(Consumed):
    message_id: str = Field(alias="messageId")
    tags: dict[str, list[str]] = Field(default_factory=dict)  # the tags the email was sent with


class SesBounce(Consumed):
    bounce_type: str = Field(alias="bounceType")  # Permanent | Transient | Undetermined
    recipients: list[SesRecipient] = Field(alias="bouncedRecipients")


class SesComplaint(Consumed):
    recipients: list[SesRecipient] = Field(alias="complainedRecipients")


class SesEvent(Consumed):
    """An SES email event as EventBridge delivers it (source `aws.ses`): what became of an email we sent."""

    event_type: str = Field(alias="eventType")  # Delivery | Bounce | Complaint | ...
    mail: SesMail
    bounce: SesBounce | None = None
    complaint: SesComplaint | None = None
