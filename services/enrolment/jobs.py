"""Enrolment's schedules: offers of freed seats that lapse pass to the next in line."""

from __future__ import annotations

from typing import Any

from services.enrolment import seats
from services.enrolment.adapters.ledger import SeatLedger
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


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("schedule") != "expire-offers":
        raise ValueError(f"unknown schedule {event.get('schedule')!r}")
    job_id = getattr(context, "aws_request_id", None) or "expire-offers"
    expired = expire_offers(job_id)
    logger.info("offers expired", extra={"per_tenant": expired})
    return {"offers_expired": sum(expired.values())}
