"""Notifications' event entry: directory changes keep contacts current; other events tell people."""

from __future__ import annotations

import re
from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.consumed import AboutPerson, PersonUpserted
from services.notifications.domain.messages import TEMPLATES, render
from services.notifications.domain.models import Contact, EmailPreference, Notification
from services.shared.consumer import Consumer, Unit


def on_person_upserted(unit: Unit) -> None:
    person = unit.envelope.payload(PersonUpserted)
    repo = NotificationRepository(unit.table)
    known = repo.contact(person.person_id)
    contact = Contact(
        person_id=person.person_id,
        name=person.name,
        email=person.email,
        language=person.language,
        manager_id=person.manager_id,
        email_preference=known.email_preference if known else EmailPreference.IMMEDIATE,
    )
    unit.writes.extend(repo.save_contact(contact))


def _tell(unit: Unit, repo: NotificationRepository, recipient: str, template: str, data: dict[str, Any]) -> None:
    """One in-app notification, and an email now or in the digest, as the recipient prefers."""
    contact = repo.contact(recipient)
    language = contact.language if contact else "sv"
    message = render(template, data, language)
    if message is None:
        return
    envelope = unit.envelope
    note = Notification(
        notification_id=f"{envelope.time:%Y%m%d%H%M%S%f}-{envelope.id}",
        person_id=recipient,
        kind=re.sub(r"(?<!^)(?=[A-Z])", "_", template.split(".")[0]).lower(),
        subject=message.subject,
        body=message.body,
        created_at=envelope.time,
    )
    preference = contact.email_preference if contact else EmailPreference.OFF
    unit.writes.append(repo.add_note(note, in_digest=preference is EmailPreference.DAILY_DIGEST))
    if contact and contact.email and preference is EmailPreference.IMMEDIATE:
        unit.writes.append(repo.email(f"{recipient}#{envelope.id}", contact.email, message))


def on_event_about_a_person(unit: Unit) -> None:
    person_id = unit.envelope.payload(AboutPerson).person_id
    repo = NotificationRepository(unit.table)
    _tell(unit, repo, person_id, unit.envelope.type, unit.envelope.data)
    manager_template = f"{unit.envelope.type}.manager"
    contact = repo.contact(person_id)
    if manager_template in TEMPLATES and contact and contact.manager_id:
        _tell(unit, repo, contact.manager_id, manager_template, unit.envelope.data | {"person_name": contact.name})


PERSON_EVENTS = tuple(t for t in TEMPLATES if "." not in t)

consumer = Consumer(
    {"PersonUpserted": on_person_upserted} | {event_type: on_event_about_a_person for event_type in PERSON_EVENTS}
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
