"""Check-ins between a line manager and a supervisor. Pure: no AWS here."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class CheckInKind(StrEnum):
    APPRAISAL = "appraisal"  # the yearly appraisal talk that starts the annual wheel
    CHECK_IN = "check-in"  # one of the quarterly check-ins


class CheckInRecord(BaseModel):
    """What a manager records after holding a check-in."""

    model_config = ConfigDict(frozen=True)
    person_id: Id
    kind: CheckInKind = CheckInKind.CHECK_IN
    focus_area: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    held_on: date
    pulse: Annotated[int, Field(ge=1, le=5, description="How the supervisor rates their situation, 1 (poor) to 5")]
    notes: Annotated[str, Field(max_length=10_000)] | None = None


class CheckIn(CheckInRecord):
    checkin_id: Id = Field(default_factory=lambda: uuid.uuid4().hex)
    manager_id: Id
