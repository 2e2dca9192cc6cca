"""Enrolment's HTTP models beyond the domain's own: what clients get back."""

from __future__ import annotations

from datetime import datetime

from services.enrolment.domain.models import Session
from services.shared.timezones import in_stockholm


class SessionOut(Session):
    confirmed: int
    seats_left: int
    starts_at_local: datetime
    ends_at_local: datetime

    @classmethod
    def of(cls, session: Session, confirmed: int) -> SessionOut:
        return cls(
            **session.model_dump(),
            confirmed=confirmed,
            seats_left=max(session.capacity - confirmed, 0),
            starts_at_local=in_stockholm(session.starts_at),
            ends_at_local=in_stockholm(session.ends_at),
        )
