"""What notifications reads of the events it consumes: a tolerant reader of other services' contracts.

Only the fields used here are declared and unknown ones are ignored, so producers can add fields
without breaking this consumer (and no service imports another's code).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PersonUpserted(Consumed):
    person_id: str
    name: str
    email: str | None = None
    language: str = "sv"


class RegistrationConfirmed(Consumed):
    registration_id: str
    session_id: str
    person_id: str
    programme_name: str
    stage_name: str
    starts_at: datetime
    ends_at: datetime
    location: str | None = None
    video_url: str | None = None
