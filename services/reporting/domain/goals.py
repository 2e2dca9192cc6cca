"""Goals: where an indicator stood (baseline), where it should be (target), and whether the movement
between is on track. Pure.

Values are percentages (the favourable share of an indicator, or a key figure such as sick leave).
On track: the value has come at least as far toward the target as a straight line from the baseline
to the target would have by now (in half-years); for a goal to decrease, as far down.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.reporting.domain.periods import HALF_PATTERN, halves_between

HalfYear = Annotated[str, Field(pattern=HALF_PATTERN, description="a half-year, e.g. 2024-H1")]
IndicatorKey = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]
Percent = Annotated[float, Field(ge=0, le=100)]


class Source(StrEnum):
    PULSE = "pulse"  # check-in ratings: the favourable share
    SURVEY = "survey"  # the employee survey, imported
    KEY_FIGURE = "key_figure"  # a key figure, imported (e.g. sick leave)


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class GoalIn(BaseModel):
    """A tenant's goal for one indicator. Without a baseline value, the source's figure for the baseline
    period is used when it is there."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label_sv: Annotated[str, Field(min_length=1, max_length=200)]
    label_en: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    source: Source = Source.PULSE
    direction: Direction = Direction.INCREASE
    baseline_period: HalfYear
    baseline_value: Percent | None = None
    target_period: HalfYear
    target_value: Percent

    @model_validator(mode="after")
    def _target_after_baseline(self) -> GoalIn:
        if halves_between(self.baseline_period, self.target_period) <= 0:
            raise ValueError("target_period must come after baseline_period")
        return self


class Goal(GoalIn):
    indicator: IndicatorKey

    def label(self, language: str) -> str:
        return self.label_sv if language == "sv" or not self.label_en else self.label_en

    def expected(self, period: str, baseline: float) -> float:
        """Where a straight line from the baseline to the target stands in `period`."""
        span = halves_between(self.baseline_period, self.target_period)
        elapsed = min(max(halves_between(self.baseline_period, period), 0), span)
        return round(baseline + (self.target_value - baseline) * elapsed / span, 1)

    def on_track(self, period: str, baseline: float | None, current: float | None) -> bool | None:
        if baseline is None or current is None:
            return None
        expected = self.expected(period, baseline)
        return current >= expected if self.direction is Direction.INCREASE else current <= expected
