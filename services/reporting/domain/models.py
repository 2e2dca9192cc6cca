"""Reporting's domain: aggregates for the board that never expose a person. Pure: no AWS here."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

PERIOD_PATTERN = r"^\d{4}-H[12]$"
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, description="a half-year, e.g. 2026-H2")]
# An average over fewer answers than this could reveal one person's answer, so it is withheld.
MIN_GROUP_SIZE = 5


class Summary(BaseModel):
    period: Period
    registrations: int = 0
    checkins_completed: int = 0
    average_pulse: float | None = Field(
        default=None, description=f"withheld (null) when fewer than {MIN_GROUP_SIZE} check-ins share it"
    )
    min_group_size: int = MIN_GROUP_SIZE


def summary(period: str, registrations: int, checkins: int, pulse_sum: int) -> Summary:
    average = round(pulse_sum / checkins, 2) if checkins >= MIN_GROUP_SIZE else None
    return Summary(period=period, registrations=registrations, checkins_completed=checkins, average_pulse=average)
