"""Reporting's table. The only place that knows its keys.

pk                      sk          what
SUMMARY#<period>        SUMMARY     counters for a half-year: registrations, checkins, pulse_sum
"""

from __future__ import annotations

from services.reporting.domain.models import Summary, summary
from services.shared.store import TenantTable, Update, Write


class ReportingRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def count(self, period: str, **increments: int) -> Write:
        names = {f"#{name}": name for name in increments}
        values = {f":{name}": value for name, value in increments.items()}
        additions = ", ".join(f"#{name} :{name}" for name in increments)
        return Update(
            pk=self.table.key("SUMMARY", period),
            sk="SUMMARY",
            expression=f"ADD {additions}",
            names=names,
            values=values,
        )

    def summary(self, period: str) -> Summary:
        item = self.table.get(self.table.key("SUMMARY", period), "SUMMARY") or {}
        return summary(
            period,
            registrations=int(item.get("registrations", 0)),
            checkins=int(item.get("checkins", 0)),
            pulse_sum=int(item.get("pulse_sum", 0)),
        )
