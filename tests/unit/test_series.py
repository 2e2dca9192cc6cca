"""Recurring sessions keep their Stockholm wall-clock time across daylight-saving changes."""

from datetime import UTC, datetime

import pytest

from services.enrolment.domain.models import SessionDetails
from services.enrolment.domain.series import SessionSeries


def forum(**extra: object) -> SessionDetails:
    return SessionDetails.model_validate(
        {"stage_key": "forum", "starts_at": "2027-01-31T13:00", "ends_at": "2027-01-31T14:00", "capacity": 40} | extra
    )


def test_a_monthly_forum_stays_at_one_oclock_and_on_the_months_last_day() -> None:
    series = SessionSeries(first=forum(registration_closes_at="2027-01-30T12:00"), every="month", occasions=4)
    sessions = series.sessions()
    assert [s.starts_at for s in sessions] == [
        datetime(2027, 1, 31, 12, tzinfo=UTC),  # 13:00 winter time
        datetime(2027, 2, 28, 12, tzinfo=UTC),  # February has no 31st
        datetime(2027, 3, 31, 11, tzinfo=UTC),  # 13:00 summer time (from 28 March)
        datetime(2027, 4, 30, 11, tzinfo=UTC),
    ]
    assert sessions[2].registration_closes_at == datetime(2027, 3, 30, 10, tzinfo=UTC)
    assert [s.invite_days_before for s in sessions] == [None, 14, 14, 14]  # later ones announced in good time


def test_every_other_week_and_a_chosen_notice() -> None:
    series = SessionSeries(first=forum(invite_days_before=7), every="week", interval=2, occasions=3)
    assert [s.starts_at.day for s in series.sessions()] == [31, 14, 28]
    assert {s.invite_days_before for s in series.sessions()} == {7}


def test_a_series_is_between_two_and_twenty_four_occasions() -> None:
    with pytest.raises(ValueError, match="occasions"):
        SessionSeries(first=forum(), every="month", occasions=25)
