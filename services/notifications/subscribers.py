"""Notifications' event entry: directory changes keep contacts current; other events tell people."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.consumed import AboutPeople, AboutPerson, Invitations, PersonUpserted
from services.notifications.domain import calendar
from services.notifications.domain.messages import TEMPLATES, render
from services.notifications.domain.models import Contact, EmailPreference, Message, Notification
from services.shared.consumer import Consumer, Unit
from services.shared.settings import settings
from services.shared.store import Put

LATE_CONTACT_WINDOW = timedelta(hours=1)  # older news is not worth an email when the contact arrives


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
    if known is None and contact.email:
        # events about this person may have come first (the bus does not keep order): email them now
        for note in repo.awaiting_contact(contact.person_id):
            if unit.envelope.time - note.created_at <= LATE_CONTACT_WINDOW:
                message = Message(subject=note.subject, body=note.body)
                unit.writes.append(repo.email(f"{contact.person_id}#{note.event_id}", contact.email, message))
            unit.writes.append(repo.contact_arrived(note))


def _tell(unit: Unit, recipient: str, contact: Contact | None, template: str, data: dict[str, Any]) -> list[Put]:
    """One in-app notification, and an email now or in the digest, as the recipient prefers."""
    language = contact.language if contact else "sv"
    message = render(template, data, language)
    if message is None:
        return []
    envelope = unit.envelope
    note = Notification(
        notification_id=f"{envelope.time:%Y%m%d%H%M%S%f}-{envelope.id}",
        person_id=recipient,
        kind=re.sub(r"(?<!^)(?=[A-Z])", "_", template.split(".")[0]).lower(),
        subject=message.subject,
        body=message.body,
        created_at=envelope.time,
    )
    repo = NotificationRepository(unit.table)
    preference = contact.email_preference if contact else EmailPreference.OFF
    writes = [repo.add_note(note, preference is EmailPreference.DAILY_DIGEST, awaiting_contact=contact is None)]
    if contact and contact.email and preference is EmailPreference.IMMEDIATE:
        entry = calendar.entry_for(
            template, envelope.data, envelope.time, recipient, contact.email, settings().sender_email
        )
        writes.append(repo.email(f"{recipient}#{envelope.id}", contact.email, message, entry))
    return writes


def on_event_about_a_person(unit: Unit) -> None:
    person_id = unit.envelope.payload(AboutPerson).person_id
    repo = NotificationRepository(unit.table)
    contact = repo.contact(person_id)
    unit.writes += _tell(unit, person_id, contact, unit.envelope.type, unit.envelope.data)
    manager_template = f"{unit.envelope.type}.manager"
    if manager_template in TEMPLATES and contact and contact.manager_id:
        data = unit.envelope.data | {"person_name": contact.name}
        unit.writes += _tell(unit, contact.manager_id, repo.contact(contact.manager_id), manager_template, data)


def _tell_many(unit: Unit, person_ids: list[str], template: str, data: dict[str, Any]) -> None:
    """Hundreds at once: written in bulk, not in the event's transaction."""
    contacts = NotificationRepository(unit.table).contacts(person_ids)
    for person_id in person_ids:
        unit.bulk += _tell(unit, person_id, contacts.get(person_id), template, data)


def on_invitations(unit: Unit) -> None:
    invitation = unit.envelope.payload(Invitations)
    template = "InvitationsSent.session" if invitation.session_id else "InvitationsSent.programme"
    data = unit.envelope.data | {"note_text": f"\n\n{invitation.note}" if invitation.note else ""}
    _tell_many(unit, invitation.person_ids, template, data)


def on_session_notice(unit: Unit) -> None:
    _tell_many(unit, unit.envelope.payload(AboutPeople).person_ids, unit.envelope.type, unit.envelope.data)


TELLS_MANY = {
    "InvitationsSent": on_invitations,
    "SessionMoved": on_session_notice,
    "SessionReminder": on_session_notice,
}
PERSON_EVENTS = tuple(t for t in TEMPLATES if "." not in t and t not in TELLS_MANY)

consumer = Consumer(
    {"PersonUpserted": on_person_upserted}
    | TELLS_MANY
    | {event_type: on_event_about_a_person for event_type in PERSON_EVENTS}
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
