"""Reporting's event entry: each event moves the counters of its half-year, exactly once."""

from __future__ import annotations

from typing import Any

from services.reporting.adapters.repository import ReportingRepository
from services.reporting.contracts.consumed import CheckInCompleted, RegistrationConfirmed
from services.shared.consumer import Consumer, Unit
from services.shared.timezones import half_year


def on_registration_confirmed(unit: Unit) -> None:
    unit.envelope.payload(RegistrationConfirmed)
    period = half_year(unit.envelope.time)
    unit.writes.append(ReportingRepository(unit.table).count(period, registrations=1))


def on_checkin_completed(unit: Unit) -> None:
    checkin = unit.envelope.payload(CheckInCompleted)
    period = half_year(checkin.held_on)
    unit.writes.append(ReportingRepository(unit.table).count(period, checkins=1, pulse_sum=checkin.pulse))


consumer = Consumer(
    {
        "RegistrationConfirmed": on_registration_confirmed,
        "CheckInCompleted": on_checkin_completed,
    }
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
