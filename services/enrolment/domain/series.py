"""Recurring sessions (the monthly supervisor forum, the twice-yearly deep dives). Pure: no AWS here.

Each occasion keeps the first one's Stockholm wall-clock times, whatever the daylight-saving time:
the 13:00 forum stays at 13:00 in both March and November.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.enrolment.domain.models import SessionDetails
from services.shared.timezones import in_stockholm, to_utc

LATER_OCCASIONS_INVITE_DAYS_BEFORE = 14
TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class Every(StrEnum):
    WEEK = "week"
    MONTH = "month"


class SessionSeries(BaseModel):
    """Occasions of one stage at a regular interval. Later occasions are announced 14 days before they
    start unless the first names its own `invite_days_before`, so a year of sessions is not one flood
    of invitations."""

    model_config = ConfigDict(frozen=True)
    first: SessionDetails
    every: Every
    interval: Annotated[int, Field(ge=1, le=12)] = Field(default=1, description="every 1, 2, … weeks or months")
    occasions: Annotated[int, Field(ge=2, le=24)]

    def sessions(self) -> list[SessionDetails]:
        later_notice = self.first.invite_days_before or LATER_OCCASIONS_INVITE_DAYS_BEFORE
        result = [self.first]
        for n in range(1, self.occasions):
            shifted = {
                name: _shift(moment, self.every, self.interval * n)
                for name in TIMES
                if (moment := getattr(self.first, name)) is not None
            }
            result.append(self.first.model_copy(update=shifted | {"invite_days_before": later_notice}))
        return result


def _shift(moment: datetime, every: Every, steps: int) -> datetime:
    """The same Stockholm wall-clock time `steps` weeks or months later (the month's last day at most)."""
    local = in_stockholm(moment).replace(tzinfo=None)
    if every is Every.WEEK:
        return to_utc(local + timedelta(weeks=steps))
    months = local.month - 1 + steps
    year, month = local.year + months // 12, months % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return to_utc(datetime.combine(date(year, month, day), local.time()))
