"""EventBridge Scheduler, locally: each schedule's cron evaluated in its time zone, firing its jobs handler.

Scheduler's cron has six fields, `minute hour day-of-month month day-of-week year`, exactly one of
the two day fields being `?`, and day-of-week counted 1-7 from Sunday. croniter takes the classic five
fields with day-of-week 0-6 from Sunday; `to_croniter` translates, and the year is checked apart.

Daylight saving as Scheduler does it: a wall time the spring change skips does not fire that day;
a wall time the autumn change repeats fires once, at its first occurrence.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter

from local.workers import FunctionError
from services.shared.wiring import Schedule

log = logging.getLogger("local.schedules")

_NAMED_DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
_MAX_WAIT_S = 30.0  # re-read the clock this often, so a suspended laptop does not fire hours late


class UnsupportedCron(ValueError):
    pass


@dataclass(frozen=True)
class CronParts:
    expression: str  # croniter's five fields
    years: str  # Scheduler's year field


def to_croniter(cron: str) -> CronParts:
    fields = cron.split()
    if len(fields) != 6:
        raise UnsupportedCron(f"{cron!r}: a Scheduler cron has six fields")
    minute, hour, day_of_month, month, day_of_week, year = fields
    if (day_of_month == "?") == (day_of_week == "?"):
        raise UnsupportedCron(f"{cron!r}: exactly one of day-of-month and day-of-week must be '?'")
    if "W" in day_of_month.upper():
        raise UnsupportedCron(f"{cron!r}: 'W' (nearest weekday) is not supported locally")
    days = "*" if day_of_week == "?" else _day_of_week(day_of_week)
    expression = " ".join((minute, hour, "*" if day_of_month == "?" else day_of_month, month, days))
    if not croniter.is_valid(expression):
        raise UnsupportedCron(f"{cron!r}: not a valid cron expression")
    return CronParts(expression=expression, years=year)


def _day_of_week(field: str) -> str:
    """Scheduler's 1-7 (Sunday first) to cron's 0-6; names stay as they are."""
    if "L" in field.upper():
        raise UnsupportedCron(f"day-of-week {field!r}: 'L' (last weekday of the month) is not supported locally")
    return ",".join(_day_of_week_part(part) for part in field.split(","))


def _day_of_week_part(part: str) -> str:
    match = re.fullmatch(r"([^/#]+)([/#]\d+)?", part)
    if match is None:
        raise UnsupportedCron(f"day-of-week {part!r}: not understood")
    days, suffix = match.group(1), match.group(2) or ""
    return "-".join(_shift_day(day) for day in days.split("-")) + suffix


def _shift_day(day: str) -> str:
    if day == "*" or day.upper() in _NAMED_DAYS:
        return day
    if not day.isdigit() or not 1 <= int(day) <= 7:
        raise UnsupportedCron(f"day-of-week {day!r}: must be 1-7 (Sunday = 1) or SUN-SAT")
    return str(int(day) - 1)


def year_allows(years: str, year: int) -> bool:
    for part in years.split(","):
        if part == "*":
            return True
        first, _, last = part.partition("-")
        if int(first) <= year <= int(last or first):
            return True
    return False


def _last_year(years: str) -> int | None:
    if "*" in years:
        return None
    return max(int(part.partition("-")[2] or part) for part in years.split(","))


def next_fire(schedule: Schedule, after: datetime) -> datetime | None:
    """The first time after `after` (aware) at which Scheduler fires `schedule`, in UTC; None if never."""
    zone = ZoneInfo(schedule.timezone)
    parts = to_croniter(schedule.cron)
    last_year = _last_year(parts.years)
    # croniter walks naive wall-clock times; the zone is applied to each candidate afterwards.
    walk = croniter(parts.expression, after.astimezone(zone).replace(tzinfo=None))
    while True:
        wall: datetime = walk.get_next(datetime)
        if last_year is not None and wall.year > last_year:
            return None
        if not year_allows(parts.years, wall.year):
            continue
        moment = _existing_moment(wall, zone)
        if moment is not None and moment > after:
            return moment.astimezone(UTC)


def _existing_moment(wall: datetime, zone: ZoneInfo) -> datetime | None:
    """The first moment the clock in `zone` shows `wall`; None if the clock skips it."""
    moment = wall.replace(tzinfo=zone, fold=0)
    shown = moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return moment if shown == wall else None


class ScheduleRunner:
    """One thread per schedule: sleep until its next time, then fire it through `fire(name)`."""

    def __init__(self, schedules: dict[str, Schedule], fire: Callable[[str], Any], stopping: threading.Event) -> None:
        self._schedules = schedules  # "<service>.<schedule>" -> schedule
        self._fire = fire
        self._stopping = stopping
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for name, schedule in self._schedules.items():
            to_croniter(schedule.cron)  # an unreadable cron fails the start, not a thread
            thread = threading.Thread(target=self._run, args=(name, schedule), name=f"schedule {name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def join(self, timeout_s: float) -> None:
        for thread in self._threads:
            thread.join(timeout_s)

    def _run(self, name: str, schedule: Schedule) -> None:
        while not self._stopping.is_set():
            due = next_fire(schedule, datetime.now(UTC))
            if due is None:
                log.info("schedule %s will not fire again", name)
                return
            log.debug("schedule %s fires next at %s", name, due.isoformat())
            if not self._sleep_until(due):
                return
            try:
                self._fire(name)
            except FunctionError as error:
                log.error("schedule %s failed: %s", name, error)  # the worker has logged the traceback
            except Exception:
                log.exception("schedule %s failed", name)

    def _sleep_until(self, due: datetime) -> bool:
        """False when the stack stops first."""
        while (remaining := (due - datetime.now(UTC)).total_seconds()) > 0:
            if self._stopping.wait(min(remaining, _MAX_WAIT_S)):
                return False
        return not self._stopping.is_set()
