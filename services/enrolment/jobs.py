"""Enrolment's schedules: lapsed offers pass on, credentials expire, sessions are reminded of the day
before and their audiences invited in good time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from services.enrolment import credentials, invitations, seats, sessions
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.shared import timezones
from services.shared.envelope import EventContext
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, known_tenants
from services.shared.timezones import in_stockholm, stockholm_day


def _each_tenant(job_id: str, work: Callable[[TenantTable, EventContext], int]) -> dict[str, int]:
    """Run a job's work for every tenant the table knows; how much it did for each."""
    done = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:enrolment", correlation_id=job_id)
        done[tenant] = work(TenantTable(settings().table_name, tenant), context)
    return done


def expire_offers(job_id: str) -> dict[str, int]:
    return _each_tenant(job_id, lambda table, context: seats.expire_offers(SeatLedger(table), timezones.now(), context))


def credential_expiry(job_id: str) -> dict[str, int]:
    return _each_tenant(
        job_id, lambda table, context: credentials.send_expiry_notices(ProgressStore(table), timezones.now(), context)
    )


def session_reminders(job_id: str) -> dict[str, int]:
    today = in_stockholm(timezones.now()).date()

    def remind(table: TenantTable, context: EventContext) -> int:
        reminded = 0
        for days in sessions.REMINDER_DAYS:
            begins, ends = stockholm_day(today + timedelta(days=days))
            reminded += sessions.send_reminders(SeatLedger(table), begins, ends, days, context)
        return reminded

    return _each_tenant(job_id, remind)


def session_invitations(job_id: str) -> dict[str, int]:
    def invite(table: TenantTable, context: EventContext) -> int:
        repo, store, ledger = EnrolmentRepository(table), ProgressStore(table), SeatLedger(table)
        return invitations.send_due(repo, store, ledger, timezones.now(), context)

    return _each_tenant(job_id, invite)


JOBS = {
    "expire-offers": expire_offers,
    "credential-expiry": credential_expiry,
    "session-reminders": session_reminders,
    "session-invitations": session_invitations,
}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    schedule = str(event.get("schedule"))
    if schedule not in JOBS:
        raise ValueError(f"unknown schedule {schedule!r}")
    job_id = getattr(context, "aws_request_id", None) or schedule
    done = JOBS[schedule](job_id)
    logger.info("job done", extra={"schedule": schedule, "per_tenant": done})
    return {"schedule": schedule, "done": sum(done.values())}
