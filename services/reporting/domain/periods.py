"""Reporting periods: months, quarters and half-years by Stockholm's calendar. Pure.

2026-03 (month), 2026-Q1 (quarter), 2026-H1 (half-year); ALL is every period at once (stocks).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from services.shared.timezones import in_stockholm

HALF_PATTERN = r"^\d{4}-H[12]$"
ALL_TIME = "ALL"
_HALF = re.compile(HALF_PATTERN)


def day_of(moment: datetime | date) -> date:
    return in_stockholm(moment).date() if isinstance(moment, datetime) else moment


def month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def half(day: date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def periods_of(day: date) -> tuple[str, str, str]:
    """The month, quarter and half-year a day falls in."""
    return month(day), quarter(day), half(day)


def is_half(period: str) -> bool:
    return bool(_HALF.match(period))


def _split(period: str) -> tuple[int, int]:
    if not is_half(period):
        raise ValueError(f"not a half-year: {period}")
    return int(period[:4]), int(period[-1])


def previous_half(period: str) -> str:
    year, number = _split(period)
    return f"{year}-H1" if number == 2 else f"{year - 1}-H2"


def next_half(period: str) -> str:
    year, number = _split(period)
    return f"{year}-H2" if number == 1 else f"{year + 1}-H1"


def halves_between(first: str, last: str) -> int:
    """How many half-years `last` is after `first` (negative when before)."""
    (y1, n1), (y2, n2) = _split(first), _split(last)
    return (y2 - y1) * 2 + (n2 - n1)


def months_of(period: str) -> list[str]:
    year, number = _split(period)
    first = 1 if number == 1 else 7
    return [f"{year}-{m:02d}" for m in range(first, first + 6)]


def ends_on(period: str) -> date:
    year, number = _split(period)
    return date(year, 6, 30) if number == 1 else date(year, 12, 31)
