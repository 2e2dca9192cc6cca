"""Check-ins' schedules: the daily job (reminders, missed check-ins, overdue action items, pairs that
end) and the yearly job (next year's cycles, where a wheel asks for it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.checkins import cycles, daily
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.shared.envelope import EventContext
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, known_tenants
from services.shared.timezones import in_stockholm, now


def _each_tenant(job_id: str, work: Callable[[CheckInStore, DirectoryStore, EventContext], int]) -> dict[str, int]:
    """Run a job's work for every tenant the table knows; how much it did for each."""
    done = {}
    for tenant in known_tenants(settings().table_name):
        context = EventContext(tenant_id=tenant, actor="system:checkins", correlation_id=job_id)
        table = TenantTable(settings().table_name, tenant)
        done[tenant] = work(CheckInStore(table), DirectoryStore(table), context)
    return done


def run_daily(job_id: str) -> dict[str, int]:
    today = in_stockholm(now()).date()
    return _each_tenant(
        job_id, lambda store, directory, context: sum(daily.run(store, directory, today, context).values())
    )


def run_yearly(job_id: str) -> dict[str, int]:
    """In December: next year's cycle for everyone with one this year, where the wheel asks for it."""
    moment = now()
    today = in_stockholm(moment).date()
    return _each_tenant(
        job_id, lambda store, directory, context: cycles.renew(store, directory, today.year, today, moment, context)
    )


JOBS = {"daily": run_daily, "yearly": run_yearly}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    schedule = str(event.get("schedule"))
    if schedule not in JOBS:
        raise ValueError(f"unknown schedule {schedule!r}")
    job_id = getattr(context, "aws_request_id", None) or schedule
    done = JOBS[schedule](job_id)
    logger.info("job done", extra={"schedule": schedule, "per_tenant": done})
    return {"schedule": schedule, "done": sum(done.values())}
