"""Notifications' event entry: the directory keeps contacts current; enrolment's and check-ins' events
tell people; SES's events say what became of an email.

Each handler stages its notes on the consumer's `Unit` (committed with the event's marker) and writes
its deliveries itself, each only if absent: a redelivered event finds them written and sends nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from services.notifications import feedback
from services.notifications.adapters.repository import NotificationRepository, message_id
from services.notifications.contracts import consumed
from services.notifications.domain import invitations
from services.notifications.domain.calendar import checkin_uid
from services.notifications.domain.models import Contact
from services.notifications.domain.preferences import PersonalPreferences
from services.notifications.telling import Teller, Told
from services.shared.consumer import Consumer, Unit
from services.shared.envelope import EventEnvelope
from services.shared.observability import logger, metrics
from services.shared.timezones import now

LATE_CONTACT_WINDOW = timedelta(hours=1)  # older news is not worth an email when the contact arrives


def _repository(unit: Unit) -> NotificationRepository:
    return NotificationRepository(unit.table)


def _teller(unit: Unit) -> Teller:
    return Teller(_repository(unit), now(), unit.envelope.actor)


def _message(envelope: EventEnvelope) -> str:
    return message_id(envelope.time, envelope.id)


def _shared(envelope: EventEnvelope) -> dict[str, Any]:
    """What a message to many says to each: the event's fields but the list of whom to tell (up to 500
    ids, kept with no note or invitation)."""
    return {name: value for name, value in envelope.data.items() if name != "person_ids"}


def _commit(unit: Unit, teller: Teller, told: Told, *, many: bool = False) -> None:
    """Deliveries now, each once; notes with the event (in bulk when they are many); counts of what
    could not be emailed, published with the event's marker."""
    teller.repository.write_guarded([*told.deliveries, *told.feed])
    if many:
        unit.bulk += told.notes
    else:
        unit.writes += told.notes
    for failure in told.failures():
        unit.publish(failure)


Recipients = Sequence[tuple[str, str, Mapping[str, Any]]]


def _tell(
    unit: Unit, recipients: Recipients, contacts: Mapping[str, Contact] | None = None, many: bool = False
) -> None:
    """Tell each (person, kind, fields) of this event."""
    teller, told = _teller(unit), Told()
    if contacts is None:
        contacts = teller.repository.contacts({person for person, _, _ in recipients})
    for person, kind, data in recipients:
        teller.tell(told, person, contacts.get(person), kind, data, _message(unit.envelope), unit.envelope.time)
    _commit(unit, teller, told, many=many)


# --- the directory ---------------------------------------------------------------------------------


def on_person_upserted(unit: Unit) -> None:
    person = unit.envelope.payload(consumed.PersonUpserted)
    repository = _repository(unit)
    known = repository.contact(person.person_id)
    same_address = known is not None and known.email == person.email and known.unsubscribe_token is not None
    contact = Contact(
        **person.model_dump(),
        preferences=known.preferences if known else PersonalPreferences(),
        suppressed=known.suppressed if known and same_address else None,
        unsubscribe_token=known.unsubscribe_token if known and same_address else secrets.token_urlsafe(24),
    )
    unit.writes.extend(repository.save_contact(contact, known))
    if known is not None:
        return
    # news about this person may have come first (the bus does not keep order): send it now
    teller, told = _teller(unit), Told()
    for note, awaiting in repository.awaiting_contact(contact.person_id):
        stamp = datetime.fromisoformat(awaiting["stamp"])
        if unit.envelope.time - stamp <= LATE_CONTACT_WINDOW:
            teller.tell(
                told, contact.person_id, contact, awaiting["kind"], awaiting["data"], note.notification_id, stamp
            )
        else:
            unit.writes.append(repository.contact_arrived(note))
    _commit(unit, teller, told)


# --- enrolment -------------------------------------------------------------------------------------


def on_invitations(unit: Unit) -> None:
    """Told in-app at once; by email and SMS after a short window, in which a session's invitation
    supersedes its programme's: one invitation per occasion (domain/invitations.py)."""
    invitation = unit.envelope.payload(consumed.Invitations)
    occasion = invitation.session_id or invitations.PROGRAMME
    kind = invitations.kind(occasion)
    teller, told = _teller(unit), Told()
    repository, envelope = teller.repository, unit.envelope
    contacts = repository.contacts(invitation.person_ids)
    due = envelope.time + invitations.WINDOW
    for person in invitation.person_ids:
        teller.tell(
            told,
            person,
            contacts.get(person),
            kind,
            _shared(envelope),
            _message(envelope),
            envelope.time,
            deliver=False,
        )
        unit.bulk.append(
            repository.pending_invitation(
                person, invitation.programme_id, occasion, _message(envelope), _shared(envelope), due, envelope.time
            )
        )
        if invitation.session_id:
            unit.bulk.append(repository.invited_to_session(person, invitation.programme_id, envelope.time))
    _commit(unit, teller, told, many=True)


def on_session_moved(unit: Unit) -> None:
    moved = unit.envelope.payload(consumed.AboutPeople)
    _tell(unit, [(p, "SessionMoved", _shared(unit.envelope)) for p in moved.person_ids], many=True)


def on_session_reminder(unit: Unit) -> None:
    """Once per session, start and reminder (a week and a day before), whatever events carry it."""
    reminder = unit.envelope.payload(consumed.SessionReminder)
    data = _shared(unit.envelope) | {"days_before": reminder.days_before}
    message = message_id(
        reminder.starts_at - timedelta(days=reminder.days_before),
        f"reminder-{reminder.session_id}-{reminder.starts_at:%Y%m%d%H%M}-{reminder.days_before}d",
    )
    teller, told = _teller(unit), Told()
    contacts = teller.repository.contacts(reminder.person_ids)
    for person in reminder.person_ids:
        teller.tell(told, person, contacts.get(person), "SessionReminder", data, message, unit.envelope.time)
    _commit(unit, teller, told, many=True)


def on_event_about_a_person(unit: Unit) -> None:
    person_id = unit.envelope.payload(consumed.AboutPerson).person_id
    _tell(unit, [(person_id, unit.envelope.type, unit.envelope.data)])


def on_no_show(unit: Unit) -> None:
    """The person, and their line manager (named by the directory, as notifications knows it)."""
    person_id = unit.envelope.payload(consumed.AboutPerson).person_id
    contact = _repository(unit).contact(person_id)
    recipients: list[tuple[str, str, Mapping[str, Any]]] = [(person_id, "NoShowRecorded", unit.envelope.data)]
    if contact and contact.manager_id:
        recipients.append(
            (contact.manager_id, "NoShowRecorded.manager", unit.envelope.data | {"person_name": contact.name})
        )
    _tell(unit, recipients)


# --- check-ins -------------------------------------------------------------------------------------


def _name(contacts: Mapping[str, Contact], person_id: str) -> str:
    return contacts[person_id].name if person_id in contacts else ""


def on_checkin(unit: Unit) -> None:
    """Both people of a check-in (scheduled, moved, cancelled, due soon), each told of the other: a
    scheduled or moved one lands in both calendars, a cancelled one leaves them."""
    checkin = unit.envelope.payload(consumed.CheckIn)
    contacts = _repository(unit).contacts({checkin.person_id, checkin.manager_id})
    person, manager = _name(contacts, checkin.person_id), _name(contacts, checkin.manager_id)
    data = unit.envelope.data | {"person_name": person, "manager_name": manager}
    kind = unit.envelope.type
    recipients = [(checkin.person_id, kind, data | {"other_name": manager})]
    recipients.append((checkin.manager_id, kind, data | {"other_name": person}))
    _tell(unit, recipients, contacts)


def on_checkin_missed(unit: Unit) -> None:
    _tell_manager(unit, "CheckInMissed")


def on_follow_up_due(unit: Unit) -> None:
    _tell_manager(unit, "FollowUpDue")


def _tell_manager(unit: Unit, kind: str) -> None:
    checkin = unit.envelope.payload(consumed.CheckIn)
    contacts = _repository(unit).contacts({checkin.person_id, checkin.manager_id})
    data = unit.envelope.data | {"person_name": _name(contacts, checkin.person_id)}
    _tell(unit, [(checkin.manager_id, kind, data)], contacts)


def on_checkin_reassigned(unit: Unit) -> None:
    """The person, their new manager and the previous one. A booked time moves from the previous
    manager's calendar (CANCEL, one version up) to the new manager's (REQUEST)."""
    moved = unit.envelope.payload(consumed.CheckInReassigned)
    repository = _repository(unit)
    contacts = repository.contacts({p for p in (moved.person_id, moved.manager_id, moved.previous_manager_id) if p})
    person, manager = _name(contacts, moved.person_id), _name(contacts, moved.manager_id)
    data = unit.envelope.data | {"person_name": person, "manager_name": manager}
    entry = repository.calendar_entry(moved.person_id, checkin_uid(moved.checkin_id, moved.person_id))
    booked: dict[str, Any] = {}
    if entry is not None and not entry.cancelled:
        booked = {"starts_at": entry.starts_at, "ends_at": entry.ends_at, "location": entry.location}
        booked |= {"video_url": None, "sequence": entry.sequence}
    recipients: list[tuple[str, str, Mapping[str, Any]]] = [
        (moved.person_id, "CheckInReassigned", data | {"other_name": manager}),
        (moved.manager_id, "CheckInReassigned.manager", data | booked | {"other_name": person}),
    ]
    if moved.previous_manager_id:
        previous = data | {"previous_manager_name": _name(contacts, moved.previous_manager_id), "other_name": person}
        if booked:
            previous |= booked | {"sequence": entry.sequence + 1 if entry else 0}
        recipients.append((moved.previous_manager_id, "CheckInReassigned.previous_manager", previous))
    _tell(unit, recipients, contacts)


def on_action_item_overdue(unit: Unit) -> None:
    item = unit.envelope.payload(consumed.ActionItemOverdue)
    contacts = _repository(unit).contacts({item.person_id, item.manager_id})
    other = item.manager_id if item.owner_id == item.person_id else item.person_id
    _tell(unit, [(item.owner_id, "ActionItemOverdue", unit.envelope.data | {"other_name": _name(contacts, other)})])


HANDLERS: dict[str, Callable[[Unit], None]] = {
    "PersonUpserted": on_person_upserted,
    "InvitationsSent": on_invitations,
    "SessionMoved": on_session_moved,
    "SessionReminder": on_session_reminder,
    "RegistrationConfirmed": on_event_about_a_person,
    "RegistrationPromoted": on_event_about_a_person,
    "RegistrationCancelled": on_event_about_a_person,
    "RegistrationWaitlisted": on_event_about_a_person,
    "RegistrationOffered": on_event_about_a_person,
    "StageUnlocked": on_event_about_a_person,
    "NoShowRecorded": on_no_show,
    "CredentialIssued": on_event_about_a_person,
    "CredentialExpiring": on_event_about_a_person,
    "CredentialExpired": on_event_about_a_person,
    "CredentialRevoked": on_event_about_a_person,
    "CheckInScheduled": on_checkin,
    "CheckInRescheduled": on_checkin,
    "CheckInCancelled": on_checkin,
    "CheckInDueSoon": on_checkin,
    "CheckInMissed": on_checkin_missed,
    "CheckInReassigned": on_checkin_reassigned,
    "ActionItemOverdue": on_action_item_overdue,
    "FollowUpDue": on_follow_up_due,
}

consumer = Consumer(HANDLERS)
processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    """SES's own events (no envelope of ours) to the feedback handler; the services' events to the consumer."""
    event = json.loads(record.body)
    if event.get("source") == consumed.SES_SOURCE:
        feedback.handle(event)
        return
    envelope = EventEnvelope.model_validate(event["detail"])
    logger.append_keys(correlation_id=envelope.correlation_id, event_id=envelope.id, event_type=envelope.type)
    try:
        consumer.handle(envelope)
    finally:
        logger.remove_keys(["correlation_id", "event_id", "event_type"])


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    failed = len(response.get("batchItemFailures", []))
    metrics.add_metric(name="EventsConsumed", unit=MetricUnit.Count, value=len(event.get("Records", [])) - failed)
    metrics.add_metric(name="EventsFailed", unit=MetricUnit.Count, value=failed)
    metrics.flush_metrics()
    return dict(response)
