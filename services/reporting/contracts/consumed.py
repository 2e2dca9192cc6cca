"""What reporting reads of the events it consumes: tolerant readers of other services' contracts.

Only the fields used here are declared and unknown ones are ignored, so producers can add fields
without breaking this consumer (and no service imports another's code). Reporting keeps no name,
address or free text: it reads ids, dates, units, counts and ratings.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class Consumed(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# --- the directory (enrolment) ---------------------------------------------------------------


class PersonUpserted(Consumed):
    person_id: str
    unit_id: str | None = None
    manager_id: str | None = None


class ManagerChanged(Consumed):
    person_id: str
    manager_id: str | None = None


class PersonLeft(Consumed):
    person_id: str
    left_on: date


class UnitUpserted(Consumed):
    unit_id: str
    name: str
    kind: str = "unit"
    parent_id: str | None = None
    permanent_employees: int | None = None
    managers: int | None = None
    guideline_area: str | None = None


# --- programmes, sessions, seats (enrolment) ------------------------------------------------------


class AboutPerson(Consumed):
    """Any event about one person's enrolment, seat or credential: counted on their unit."""

    person_id: str


class ProgrammeCompleted(AboutPerson):
    programme_id: Key


class RegistrationWaitlisted(AboutPerson):
    ticket: int = 0


class RegistrationCancelled(AboutPerson):
    late: bool = False


class AttendanceRecorded(AboutPerson):
    attendance: str  # present | late | excused | absent


class SessionEvaluated(Consumed):
    """Unsigned: not tied to a person, so counted for the tenant and the programme only."""

    programme_id: Key
    rating: Annotated[int, Field(ge=1, le=5)]


# --- check-ins -------------------------------------------------------------------------------------


class PlannedCheckIn(Consumed):
    due_on: date


class CycleStarted(Consumed):
    person_id: str
    checkins: list[PlannedCheckIn] = []


class CheckInAbout(Consumed):
    """Any event about one check-in: whose it is and when it was due."""

    person_id: str
    due_on: date
    cycle_id: str | None = None  # None: a follow-up outside a cycle, never planned


class Rating(Consumed):
    indicator: Key
    rating: Annotated[int, Field(ge=1, le=5)]


class CheckInCompleted(CheckInAbout):
    held_on: date
    on_time: bool = True
    ratings: list[Rating] = []
    pulse: Annotated[int, Field(ge=1, le=5)] | None = None


class ActionItemEvent(Consumed):
    person_id: str


# --- notifications -----------------------------------------------------------------------------------


class MessagesCounted(Consumed):
    """NotificationSent and NotificationFailed: how many messages on which channel; never to whom."""

    channel: Key
    count: Annotated[int, Field(ge=0)]
