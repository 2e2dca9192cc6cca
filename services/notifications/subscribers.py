"""Notifications' event entry: directory changes keep contacts current; enrolment events tell people."""

from __future__ import annotations

from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.consumed import PersonUpserted, RegistrationConfirmed
from services.notifications.domain.models import Contact, EmailPreference, Notification, registration_confirmed
from services.shared.consumer import Consumer, Unit


def on_person_upserted(unit: Unit) -> None:
    person = unit.envelope.payload(PersonUpserted)
    repo = NotificationRepository(unit.table)
    known = repo.contact(person.person_id)
    preference = known.email_preference if known else EmailPreference.IMMEDIATE
    contact = Contact(
        person_id=person.person_id,
        name=person.name,
        email=person.email,
        language=person.language,
        email_preference=preference,
    )
    unit.writes.extend(repo.save_contact(contact))


def on_registration_confirmed(unit: Unit) -> None:
    event = unit.envelope.payload(RegistrationConfirmed)
    repo = NotificationRepository(unit.table)
    contact = repo.contact(event.person_id)
    language = contact.language if contact else "sv"
    message = registration_confirmed(event, language)
    note = Notification(
        notification_id=f"{unit.envelope.time:%Y%m%d%H%M%S%f}-{unit.envelope.id}",
        person_id=event.person_id,
        kind="registration_confirmed",
        subject=message.subject,
        body=message.body,
        created_at=unit.envelope.time,
    )
    preference = contact.email_preference if contact else EmailPreference.OFF
    unit.writes.append(repo.add_note(note, in_digest=preference is EmailPreference.DAILY_DIGEST))
    if contact and contact.email and preference is EmailPreference.IMMEDIATE:
        unit.writes.append(repo.email(f"{event.person_id}#{unit.envelope.id}", contact.email, message))


consumer = Consumer(
    {
        "PersonUpserted": on_person_upserted,
        "RegistrationConfirmed": on_registration_confirmed,
    }
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
