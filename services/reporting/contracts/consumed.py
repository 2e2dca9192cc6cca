"""What reporting reads of the events it consumes (tolerant reader: unknown fields are ignored)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RegistrationConfirmed(Consumed):
    registration_id: str


class CheckInCompleted(Consumed):
    checkin_id: str
    held_on: date
    pulse: int
