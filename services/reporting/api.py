"""Reporting's HTTP entry: aggregated reports for the board; never an individual."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query

from services.reporting.adapters.repository import ReportingRepository
from services.reporting.domain.models import PERIOD_PATTERN, Summary
from services.shared.http import Api
from services.shared.identity import Role
from services.shared.settings import settings
from services.shared.store import TenantTable
from services.shared.timezones import half_year, now

api = Api("reporting")
app = api.app


@app.get("/reports/summary", tags=["reports"], summary="Counts for a half-year: registrations and check-ins")
def get_summary(
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="e.g. 2026-H2; default: now")] = None,
) -> Summary:
    identity = api.identity()
    identity.require(Role.BOARD, Role.COORDINATOR, Role.ADMIN)
    repo = ReportingRepository(TenantTable(settings().table_name, identity.tenant_id))
    return repo.summary(period or half_year(now()))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
