"""Enrolment's schedules: offers of freed seats that lapse pass to the next in line."""

from __future__ import annotations

from typing import Any

from services.enrolment import learning, seats
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.shared.envelope import EventContext
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, known_tenants
from services.shared.timezones import now


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


JOBS = {"expire-offers": expire_offers, "credential-expiry": credential_expiry}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    schedule = str(event.get("schedule"))
    if schedule not in JOBS:
        raise ValueError(f"unknown schedule {schedule!r}")
    job_id = getattr(context, "aws_request_id", None) or schedule
    done = JOBS[schedule](job_id)
    logger.info("job done", extra={"schedule": schedule, "per_tenant": done})
    return {"schedule": schedule, "done": sum(done.values())}
