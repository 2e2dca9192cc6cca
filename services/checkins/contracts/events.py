"""Events the check-ins service publishes (source `ledarlyft.checkins`)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from services.shared.envelope import DomainEvent


class CheckInsEvent(DomainEvent):
    event_source: ClassVar[str] = "checkins"


class CheckInCompleted(CheckInsEvent):
    """A check-in was held. Notes and answers stay in the service: they are free text about a person."""

    event_name: ClassVar[str] = "CheckInCompleted"
    checkin_id: str
    person_id: str
    manager_id: str
    kind: str
    focus_area: str | None
    held_on: date
    pulse: int


EVENTS: tuple[type[CheckInsEvent], ...] = (CheckInCompleted,)
