"""What reporting answers with: board reports of cells that never expose a person. Pure."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.reporting.domain.periods import HALF_PATTERN
from services.reporting.domain.suppression import MIN_GROUP_SIZE, Suppressed

PERIOD_PATTERN = HALF_PATTERN
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, description="a half-year, e.g. 2026-H2")]


class Language(StrEnum):
    SV = "sv"
    EN = "en"


class Summary(BaseModel):
    period: Period
    registrations: int = 0
    checkins_completed: int = 0
    average_pulse: float | None = Field(
        default=None, description=f"withheld (null) when fewer than {MIN_GROUP_SIZE} people gave a pulse"
    )
    min_group_size: int = MIN_GROUP_SIZE


def summary(period: str, registrations: int, checkins: int, pulse_sum: int, pulse_n: int, people: int) -> Summary:
    average = round(pulse_sum / pulse_n, 2) if people >= MIN_GROUP_SIZE and pulse_n else None
    return Summary(period=period, registrations=registrations, checkins_completed=checkins, average_pulse=average)


class Cell(BaseModel):
    """One figure. A suppressed cell has no value and says why; it is not zero."""

    model_config = ConfigDict(frozen=True)
    value: float | int | str | None = None
    suppressed: Suppressed | None = None


class ColumnKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    NUMBER = "number"
    TEXT = "text"


class Column(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    label: str
    kind: ColumnKind


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)
    scope: str = Field(description="a unit id, or * for the whole organisation")
    name: str
    depth: int = Field(description="0 for the report's scope, 1 for the units directly under it, ...")
    cells: dict[str, Cell]


class Table(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str | None = None


class GoalLine(BaseModel):
    """An indicator's way from baseline to target, with the source of every number."""

    model_config = ConfigDict(frozen=True)
    indicator: str
    label: str
    source: str
    direction: str
    baseline_period: str
    baseline: Cell
    baseline_source: str
    previous_period: str
    previous: Cell
    current_period: str
    current: Cell
    target_period: str
    target: float
    expected: float | None = Field(description="where a straight line from baseline to target stands now")
    on_track: bool | None = Field(description="null when a value is missing or suppressed")


class IndicatorLine(BaseModel):
    """One indicator beside its sources: the check-in pulse and, where imported, the employee survey."""

    model_config = ConfigDict(frozen=True)
    indicator: str
    label: str
    pulse_previous: Cell
    pulse: Cell
    survey: Cell
    survey_source: str | None = None
    goal_target: float | None = None


class BoardReport(BaseModel):
    tenant_id: str
    scope: str
    scope_name: str
    period: Period
    previous_period: Period
    language: Language
    generated_at: datetime
    min_group_size: int = MIN_GROUP_SIZE
    goals: list[GoalLine]
    indicators: list[IndicatorLine]
    figures: Table = Field(description="the scope's key figures, one row")
    tables: list[Table]
    trend: Table = Field(description="the scope's figures month by month in the half-year")
    sources: list[str] = Field(default_factory=list, description="imports the report used, with their versions")


class PeriodFigures(BaseModel):
    """Programme and check-in figures of one month, quarter or half-year, suppressed as in the board report."""

    period: str
    scope: str
    tables: list[Table]


class PublishedVersion(BaseModel):
    model_config = ConfigDict(frozen=True)
    period: Period
    scope: str
    version_id: str
    key: str
    published_at: datetime
    published_by: str
