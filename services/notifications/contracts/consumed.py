"""What notifications reads of the events it consumes: a tolerant reader of other services' contracts.

Only the fields used here are declared and unknown ones are ignored, so producers can add fields
without breaking this consumer (and no service imports another's code).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PersonUpserted(Consumed):
    person_id: str
    name: str
    email: str | None = None
    language: str = "sv"
    manager_id: str | None = None


class AboutPerson(Consumed):
    """Any event that tells one person something: the rest of its fields fill the message."""

    person_id: str


class AboutPeople(Consumed):
    """An event that tells many people the same thing: the rest of its fields fill the message."""

    person_ids: list[str]


class Invitations(AboutPeople):
    """InvitationsSent: whom to invite, to what; the rest of its fields fill the message."""

    session_id: str | None = None
    note: str | None = None
