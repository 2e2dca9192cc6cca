"""Reporting's schedule: after each half-year ends, every tenant's board report is published for good."""

from __future__ import annotations

import uuid
from typing import Any

from services.reporting import reports
from services.reporting.adapters.repository import ReportingRepository
from services.reporting.domain.metrics import TENANT
from services.reporting.domain.periods import previous_half
from services.shared.envelope import EventContext
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, known_tenants
from services.shared.timezones import half_year, now


def publish_half_year() -> dict[str, int]:
    moment = now()
    period = previous_half(half_year(moment))
    published = 0
    for tenant_id in known_tenants(settings().table_name):
        repo = ReportingRepository(TenantTable(settings().table_name, tenant_id))
        context = EventContext(tenant_id=tenant_id, actor="system:reporting", correlation_id=str(uuid.uuid4()))
        version = reports.publish(repo, period, TENANT, context, moment)
        logger.info("report published", extra={"tenant_id": tenant_id, "period": period, "version": version.version_id})
        published += 1
    return {"reports_published": published}


JOBS = {"publish-half-year": publish_half_year}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return JOBS[event["schedule"]]()
