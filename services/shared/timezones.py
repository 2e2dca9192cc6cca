"""Times are stored in UTC and shown in Europe/Stockholm unless a person's settings say otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def to_utc(moment: datetime) -> datetime:
    """An aware time as UTC; a naive one is read as Stockholm wall-clock time (what a coordinator types)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)
    return aware.astimezone(UTC)


def in_stockholm(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM)


def stockholm_day(day: date) -> tuple[datetime, datetime]:
    """The UTC moments a Stockholm calendar day begins and ends (23 or 25 hours on the days the clocks change)."""
    begins = datetime.combine(day, time(), tzinfo=STOCKHOLM)
    ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=STOCKHOLM)
    return begins.astimezone(UTC), ends.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


def half_year(moment: datetime | date) -> str:
    """The reporting period a day, or a moment by Stockholm's calendar, falls in: '2026-H2'."""
    day = in_stockholm(moment).date() if isinstance(moment, datetime) else moment
    return f"{day.year}-H{1 if day.month <= 6 else 2}"
