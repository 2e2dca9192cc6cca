"""Notifications' schedules: the daily and weekly digests, and `flush`, which sends what waited.

`flush` runs every few minutes: emails held through the recipient's quiet hours whose morning has
come are queued for the sender, and invitations whose coalescing window has passed are emailed (or
dropped, superseded by a session's: domain/invitations.py). Every write is guarded and keyed so that a
run stopped half-way is finished by the next, re-reading only what it had not done, sending nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.notifications.adapters.repository import NotificationRepository, message_id
from services.notifications.domain import invitations
from services.notifications.domain.catalogue import Frequency
from services.notifications.telling import Teller, Told
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import ConditionFailed, Item, TenantTable, Write, known_tenants
from services.shared.timezones import now

MAX_NOTES_PER_DIGEST = 99  # one transaction: the email, and each note taken out of the digest
DUE_PAGE = 500  # what one step of `flush` reads and writes
ACTOR = "system:notifications"


def _repository(tenant_id: str) -> NotificationRepository:
    return NotificationRepository(TenantTable(settings().table_name, tenant_id))


def send_digests(tenant_id: str, frequency: Frequency, moment: datetime) -> int:
    """Each person's waiting notes, as one email; nothing when nothing waits. A note leaves the digest in
    the transaction that writes the email, so no digest repeats what an earlier one carried."""
    repository = _repository(tenant_id)
    teller = Teller(repository, moment, ACTOR)
    waiting = repository.due_in_digest(frequency)
    contacts = repository.contacts(waiting)
    sent = 0
    for person_id, notes in waiting.items():
        batch = notes[:MAX_NOTES_PER_DIGEST]  # more wait for the next digest
        taken_out = [repository.out_of_digest(note, frequency) for note in batch]
        contact = contacts.get(person_id)
        if contact is None or not contact.can_email:
            _write_once(repository, taken_out)  # they stay in the inbox; email cannot reach the person
            continue
        email = teller.digest(contact, batch, frequency, message_id(moment, f"digest-{frequency.value}"))
        sent += _write_once(repository, [email, *taken_out])
    return sent


def _write_once(repository: NotificationRepository, writes: list[Any]) -> int:
    try:
        repository.table.write(writes)
    except ConditionFailed:
        return 0  # a run at the same time took these notes first
    return 1


def flush_due(tenant_id: str, moment: datetime) -> dict[str, int]:
    repository = _repository(tenant_id)
    teller = Teller(repository, moment, ACTOR)
    counts = {"released": 0, "invitations": 0, "superseded": 0}
    cursor: str | None = None
    while True:
        page = repository.due_page(moment, DUE_PAGE, cursor)
        held = [item for item in page.items if item["sk"].startswith("DELIVERY#")]
        counts["released"] += len(repository.write_guarded([repository.release(item, moment) for item in held]))
        told, superseded = _invitations(repository, teller, [i for i in page.items if i["sk"].startswith("INVITE#")])
        counts["invitations"] += len(told)
        counts["superseded"] += superseded
        cursor = page.cursor
        if cursor is None:
            return counts


def _invitations(repository: NotificationRepository, teller: Teller, due: list[Item]) -> tuple[list[Any], int]:
    """Email the invitations whose window has passed, or drop those a session's invitation superseded."""
    if not due:
        return [], 0
    contacts = repository.contacts({item["person_id"] for item in due})
    programme_invitations = [
        (item["person_id"], item["programme_id"]) for item in due if item["occasion"] == invitations.PROGRAMME
    ]
    sessions = repository.last_session_invitations(programme_invitations)
    told, superseded = Told(), 0
    per_person: list[list[Write]] = []  # each person's email and the mark that their invitation is done
    for item in due:
        person, stamp = item["person_id"], datetime.fromisoformat(item["stamp"])
        done = repository.invitation_done(item)
        if item["occasion"] == invitations.PROGRAMME and invitations.superseded(
            stamp, sessions.get((person, item["programme_id"]))
        ):
            per_person.append([done, repository.remove_note(person, item["message_id"])])
            superseded += 1
            continue
        kind = invitations.kind(item["occasion"])
        told_before = len(told.deliveries)
        teller.tell(told, person, contacts.get(person), kind, item["fields"], item["message_id"], stamp, note=False)
        per_person.append([*told.deliveries[told_before:], done])
    deliveries = {id(write) for write in told.deliveries}
    written = [w for w in repository.write_guarded_together(per_person) if id(w) in deliveries]
    failures = told.failures()
    if failures:
        context = EventContext(tenant_id=repository.table.tenant_id, actor=ACTOR, correlation_id="flush")
        repository.table.write([], [EventEnvelope.wrap(f, context) for f in failures])
    return written, superseded


SCHEDULES = {
    "daily-digest": lambda tenant, moment: send_digests(tenant, Frequency.DAILY, moment),
    "weekly-digest": lambda tenant, moment: send_digests(tenant, Frequency.WEEKLY, moment),
    "flush": flush_due,
}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    job = SCHEDULES.get(event.get("schedule", ""))
    if job is None:
        raise ValueError(f"unknown schedule {event.get('schedule')!r}")
    moment = now()
    done = {tenant: job(tenant, moment) for tenant in known_tenants(settings().table_name)}
    logger.info("schedule ran", extra={"schedule": event["schedule"], "per_tenant": done})
    return {"schedule": event["schedule"], "per_tenant": done}
