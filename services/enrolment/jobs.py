"""Enrolment's schedules: lapsed offers pass on, credentials expire, sessions are reminded of the day
before and their audiences invited in good time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.enrolment import invitations, learning, seats
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.shared.envelope import EventContext
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, known_tenants
from services.shared.timezones import in_stockholm, now, stockholm_day


def expire_offers(job_id: str) -> dict[str, int]:
    expired = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:enrolment", correlation_id=job_id)
        expired[tenant] = seats.expire_offers(SeatLedger(TenantTable(settings().table_name, tenant)), now(), context)
    return expired


def credential_expiry(job_id: str) -> dict[str, int]:
    sent = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:enrolment", correlation_id=job_id)
        store = ProgressStore(TenantTable(settings().table_name, tenant))
        sent[tenant] = learning.send_expiry_notices(store, now(), context)
    return sent


def session_reminders(job_id: str) -> dict[str, int]:
    begins, ends = stockholm_day(in_stockholm(now()).date() + timedelta(days=1))
    reminded = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:enrolment", correlation_id=job_id)
        ledger = SeatLedger(TenantTable(settings().table_name, tenant))
        reminded[tenant] = seats.send_reminders(ledger, begins, ends, context)
    return reminded


def session_invitations(job_id: str) -> dict[str, int]:
    invited = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:enrolment", correlation_id=job_id)
        table = TenantTable(settings().table_name, tenant)
        repo, store, ledger = EnrolmentRepository(table), ProgressStore(table), SeatLedger(table)
        invited[tenant] = invitations.send_due(repo, store, ledger, now(), context)
    return invited


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
