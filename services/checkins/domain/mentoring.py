"""Mentoring pairs, and the log of their meetings. Pure: no AWS here."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.checkins.domain.models import Day, Id, Text, UtcTime
from services.shared.errors import Conflict, FieldProblem, Invalid


class PairDetails(BaseModel):
    model_config = ConfigDict(frozen=True)
    mentor_id: Id
    mentee_id: Id
    starts_on: Day
    ends_on: Day | None = Field(default=None, description="none: until ended")

    @model_validator(mode="after")
    def _two_people_and_a_period(self) -> PairDetails:
        if self.mentor_id == self.mentee_id:
            raise Invalid("A mentor and a mentee are two people.", [FieldProblem("body.mentee_id", "is the mentor")])
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise Invalid("A pair ends after it starts.", [FieldProblem("body.ends_on", "is before starts_on")])
        return self


class Pair(PairDetails):
    pair_id: Id
    ended_on: date | None = None
    meetings: int = 0

    def active_on(self, day: date) -> bool:
        last = self.ended_on or self.ends_on
        return self.starts_on <= day and (last is None or day <= last)

    def parties(self) -> tuple[str, str]:
        return self.mentor_id, self.mentee_id

    def end(self, on: date) -> Pair:
        if self.ended_on is not None:
            raise Conflict("The pair has ended already.")
        return self.model_copy(update={"ended_on": max(on, self.starts_on)})


class MeetingIn(BaseModel):
    model_config = ConfigDict(frozen=True)
    held_on: Day
    duration_minutes: Annotated[int, Field(ge=5, le=600)]
    note: Text | None = None
    shared: bool = Field(default=False, description="share the note with the other of the pair; else it is yours alone")


class Meeting(MeetingIn):
    meeting_id: Id
    author_id: Id
    logged_at: UtcTime

    def readable_note(self, reader: str) -> str | None:
        return self.note if reader == self.author_id or self.shared else None
