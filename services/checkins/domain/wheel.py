"""The annual wheel: a tenant's template of a year of check-ins, and the cycles made from it. Pure.

A wheel is versioned like a programme: a cycle keeps the version it was made from, so a new version
(other questions, other focus areas) never changes a cycle that is running.

A cycle's year starts with the appraisal talk in the wheel's month; then one check-in per quarter,
each due on the last day of its quarter, counted from the appraisal month (with January: the end of
March, June, September and December).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.checkins.domain.models import CheckInKind, Id, Key, Name, Rating, new_id
from services.shared.errors import FieldProblem, Invalid

QUARTERS = 4
QuestionText = Annotated[str, Field(min_length=1, max_length=500)]


class Question(BaseModel):
    """A free-text question asked at every check-in of the wheel."""

    model_config = ConfigDict(frozen=True)
    key: Key
    text: QuestionText = Field(description="as people read it, in the tenant's language (Swedish)")
    text_en: QuestionText | None = Field(default=None, description="the same in English, for those who read English")


class RatingItem(Question):
    """A statement rated 1 (not at all) to 5 (fully), tagged with the indicator reporting aggregates."""

    indicator: Key = Field(description="e.g. leadership, stress, recovery, competence_development, preconditions")


class WheelDetails(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: Name
    appraisal_month: Annotated[int, Field(ge=1, le=12, description="the month of the appraisal talk, 1-12")]
    focus_areas: Annotated[list[Name], Field(min_length=QUARTERS, max_length=QUARTERS)] = Field(
        description="the focus area of each quarter's check-in, first quarter first (the routine calendar)"
    )
    questions: Annotated[list[Question], Field(min_length=1, max_length=20)]
    rating_items: Annotated[list[RatingItem], Field(max_length=20)] = Field(default_factory=list)
    remind_days_before: Annotated[int, Field(ge=1, le=60)] = Field(
        default=7, description="both are reminded this many days before a check-in is due"
    )
    grace_days: Annotated[int, Field(ge=0, le=90)] = Field(
        default=14, description="a check-in not held this many days after it was due (or booked) is missed"
    )
    renew_yearly: bool = Field(default=False, description="start everyone's next cycle by itself, each December")

    @model_validator(mode="after")
    def _keys_once(self) -> WheelDetails:
        problems = [
            FieldProblem(f"body.{field}.{position}.key", f"'{key}' is used twice")
            for field, keys in (
                ("questions", [q.key for q in self.questions]),
                ("rating_items", [r.key for r in self.rating_items]),
            )
            for position, key in enumerate(keys)
            if key in keys[:position]
        ]
        if problems:
            raise Invalid("Each question and rating item needs a key of its own.", problems)
        return self


class Wheel(WheelDetails):
    wheel_id: Id = Field(default_factory=new_id, description="a stable id of your choosing, or generated")
    version: int = 1


class Planned(BaseModel):
    """One conversation of a cycle, before it is made a check-in."""

    model_config = ConfigDict(frozen=True)
    position: int
    kind: CheckInKind
    focus_area: str | None
    due_on: date


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def plan(wheel: WheelDetails, year: int) -> list[Planned]:
    """A year's conversations: the appraisal, then one check-in per quarter."""
    month = wheel.appraisal_month
    appraisal = Planned(position=0, kind=CheckInKind.APPRAISAL, focus_area=None, due_on=_month_end(year, month))
    quarters = [
        Planned(position=q, kind=CheckInKind.CHECK_IN, focus_area=focus, due_on=_month_end(year, month + 3 * q - 1))
        for q, focus in enumerate(wheel.focus_areas, start=1)
    ]
    return [appraisal, *quarters]


def default_year(wheel: WheelDetails, today: date) -> int:
    """The cycle to start when none is named: this year's while its appraisal month lasts, else next year's."""
    return today.year if today <= _month_end(today.year, wheel.appraisal_month) else today.year + 1


def ahead(planned: list[Planned], today: date) -> list[Planned]:
    """A cycle started late holds only the conversations still ahead: a past quarter is not made up for."""
    return [p for p in planned if p.due_on >= today]


def reminder_days(wheel: WheelDetails, due_on: date) -> tuple[date, date]:
    """When both are reminded, and the last day before it counts as missed."""
    return due_on - timedelta(days=wheel.remind_days_before), due_on + timedelta(days=wheel.grace_days)


def check_answers(wheel: WheelDetails, answers: dict[str, str], ratings: dict[str, Rating]) -> None:
    """Answers only to the wheel's questions, ratings only of its rating items."""
    questions = {q.key for q in wheel.questions}
    items = {r.key for r in wheel.rating_items}
    problems = [
        FieldProblem(f"body.answers.{key}", "is not a question of the wheel") for key in answers if key not in questions
    ]
    problems += [
        FieldProblem(f"body.ratings.{key}", "is not a rating item of the wheel") for key in ratings if key not in items
    ]
    if problems:
        raise Invalid("The check-in's wheel has no such questions or rating items.", problems)


def indicator_of(wheel: WheelDetails, item_key: str) -> str:
    return next(r.indicator for r in wheel.rating_items if r.key == item_key)


class CycleCheckIn(Planned):
    checkin_id: str


class Cycle(BaseModel):
    """A person's year on the wheel with their line manager, made from one version of the wheel."""

    model_config = ConfigDict(frozen=True)
    cycle_id: Id
    person_id: Id
    manager_id: Id
    wheel_id: Id
    wheel_version: int
    year: int
    started_at: datetime
    started_by: str
    checkins: list[CycleCheckIn]
