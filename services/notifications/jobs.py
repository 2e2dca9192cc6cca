"""Notifications' schedules: the daily digest, for people who want one email a day, not many."""

from __future__ import annotations

from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.domain.models import digest
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import ConditionFailed, TenantTable, known_tenants
from services.shared.timezones import in_stockholm, now

MAX_NOTES_PER_DIGEST = 90  # one transaction: the email, and each note taken out of the digest


def send_digests(tenant_id: str) -> int:
    repo = NotificationRepository(TenantTable(settings().table_name, tenant_id))
    day = in_stockholm(now()).date().isoformat()
    sent = 0
    for person_id, notes in repo.due_in_digest().items():
        contact = repo.contact(person_id)
        if contact is None or not contact.email:
            continue
        batch = notes[:MAX_NOTES_PER_DIGEST]
        email = repo.email(
            f"DIGEST#{person_id}#{day}#{batch[-1].notification_id}", contact.email, digest(batch, contact.language)
        )
        try:
            repo.table.write([email, *(repo.out_of_digest(n) for n in batch)])
        except ConditionFailed:
            continue  # this digest went out already (a rerun of the job)
        sent += 1
    return sent


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("schedule") != "daily-digest":
        raise ValueError(f"unknown schedule {event.get('schedule')!r}")
    sent = {tenant: send_digests(tenant) for tenant in known_tenants(settings().table_name)}
    logger.info("digests sent", extra={"per_tenant": sent})
    return {"digests_sent": sum(sent.values())}
