"""Enrolment's HTTP models beyond the domain's own: what clients get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from services.enrolment.domain.models import Session
from services.shared.timezones import in_stockholm


class CapacityChange(BaseModel):
    capacity: Annotated[int, Field(ge=1, le=10_000)]


class SessionOut(Session):
    confirmed: int = Field(description="seats taken, offers still open included")
    seats_left: int
    waiting: int
    offers_open: int
    starts_at_local: datetime
    ends_at_local: datetime

    @classmethod
    def of(cls, session: Session, counters: dict[str, int]) -> SessionOut:
        return cls(
            **session.model_dump(),
            confirmed=counters["confirmed"],
            waiting=counters["waiting"],
            offers_open=counters["offers_open"],
            seats_left=max(session.capacity - counters["confirmed"], 0),
            starts_at_local=in_stockholm(session.starts_at),
            ends_at_local=in_stockholm(session.ends_at),
        )
