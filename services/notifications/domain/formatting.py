"""Dates and times as a person reads them: their language's words and order (Babel), Stockholm time. Pure.

Babel is imported where it is used: the functions that import this module start without paying for it.
"""

from __future__ import annotations

from datetime import date, datetime

from services.shared.timezones import STOCKHOLM

LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["sv"])


def _moment(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value: date | datetime | str) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value.astimezone(STOCKHOLM).date() if isinstance(value, datetime) else value


def when(value: datetime | str, language: str) -> str:
    """'torsdag 29 oktober 2026 13:00' / 'Thursday, 29 October 2026, 13:00', in Stockholm time."""
    from babel.dates import format_date, format_time, get_datetime_format

    local = _moment(value).astimezone(STOCKHOLM)
    pattern = str(get_datetime_format("full", locale=locale(language)))
    day = format_date(local.date(), "full", locale=locale(language))
    return pattern.replace("{1}", day).replace("{0}", format_time(local, "short", locale=locale(language)))


def short_when(value: datetime | str, language: str) -> str:
    """'tors 29 okt. 13:00' / 'Thu 29 Oct 13:00': for an SMS."""
    from babel.dates import format_skeleton, format_time

    local = _moment(value).astimezone(STOCKHOLM)
    return f"{format_skeleton('MMMEd', local, locale=locale(language))} {format_time(local, 'short', locale=locale(language))}"


def day(value: date | datetime | str, language: str) -> str:
    """'3 november 2026' / '3 November 2026'."""
    from babel.dates import format_date

    return str(format_date(_day(value), "long", locale=locale(language)))
