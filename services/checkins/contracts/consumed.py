"""What check-ins reads of enrolment's events: tolerant readers of its contracts (docs/events/enrolment).

Only the fields used here are declared and unknown ones are ignored, so enrolment can add fields
without breaking this consumer; nothing of enrolment's code is imported.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PersonUpserted(Consumed):
    """Carries contact details too: they are not read here, so never stored or logged."""

    person_id: str
    name: str
    unit_id: str | None = None
    manager_id: str | None = None
    roles: list[str] = Field(default_factory=list)
    employment_start: date | None = None


class ManagerChanged(Consumed):
    person_id: str
    manager_id: str | None = None


class PersonLeft(Consumed):
    person_id: str
    left_on: date


class UnitUpserted(Consumed):
    unit_id: str
    name: str
    parent_id: str | None = None


class StagePublished(Consumed):
    key: str
    name: str


class ProgrammePublished(Consumed):
    programme_id: str
    name: str
    version: int
    stages: list[StagePublished]


class AboutProgramme(Consumed):
    """Enrolment's events about one person in one programme."""

    programme_id: str
    person_id: str


class EnrolmentApproved(AboutProgramme):
    version: int


class StageCompleted(AboutProgramme):
    stage_key: str
    exempted: bool = False


class ProgrammeCompleted(AboutProgramme):
    version: int


class AboutCredential(AboutProgramme):
    number: int


class CredentialIssued(AboutCredential):
    credential_name: str
    valid_until: datetime | None = None


class CredentialExpiring(AboutCredential):
    days_left: int
