"""The seat ledger's use cases: register, cancel, claim an offer, let offers lapse.

Whenever a seat may have come free, `fill_free_seats` gives it to the first in line (at once, or as
an offer with a claim window), until no seat is free, nobody waits, or the session has started.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.enrolment.adapters.ledger import Joining, SeatLedger
from services.enrolment.contracts.events import (
    OfferExpired,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationOffered,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SeatEvent,
)
from services.enrolment.domain.errors import (
    AlreadyInStage,
    NoOpenOffer,
    NoRegistration,
    NotRegistered,
    RegistrationNotOpen,
    SessionClosed,
    SessionFull,
)
from services.enrolment.domain.models import ACTIVE, Registration, RegistrationStatus, Session
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.store import ConditionFailed

MAX_PROMOTIONS_PER_CALL = 100


def _seat_event(kind: type[SeatEvent], registration: Registration, session: Session, **extra: object) -> SeatEvent:
    return kind(
        registration_id=registration.registration_id,
        session_id=session.session_id,
        person_id=registration.person_id,
        programme_id=session.programme_id,
        stage_key=session.stage_key,
        programme_name=session.programme_name,
        stage_name=session.stage_name,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.location,
        video_url=session.video_url,
        **extra,
    )


def register(
    ledger: SeatLedger,
    session: Session,
    person_id: str,
    now: datetime,
    context: EventContext,
    joining: Joining = ((), ()),
) -> Registration:
    """A seat if one is free and nobody waits, else a place in line; `joining` is the enrolment the
    registration makes, committed with it or not at all."""
    session_id = session.session_id
    if session.has_started(now) or session.cancelled:
        raise SessionClosed(session_id)
    if not session.registration_open(now):
        raise RegistrationNotOpen(session)
    registration = Registration(
        session_id=session_id,
        person_id=person_id,
        programme_id=session.programme_id,
        stage_key=session.stage_key,
        registered_at=now,
    )
    try:
        event = _seat_event(RegistrationConfirmed, registration, session)
        _landed_once(
            ledger,
            registration,
            lambda: ledger.confirm(registration, session, now, EventEnvelope.wrap(event, context), joining),
        )
        return registration
    except SessionFull:
        pass
    ticket = ledger.take_ticket(session_id)
    waiting = registration.model_copy(update={"status": RegistrationStatus.WAITLISTED, "ticket": ticket})
    event = _seat_event(RegistrationWaitlisted, waiting, session, ticket=ticket)
    _landed_once(
        ledger, waiting, lambda: ledger.waitlist(waiting, session, now, EventEnvelope.wrap(event, context), joining)
    )
    # A seat may have come free between the two steps; the line decides who gets it.
    fill_free_seats(ledger, session_id, now, context)
    return ledger.registration(session_id, person_id) or waiting


def _landed_once(ledger: SeatLedger, registration: Registration, write: Callable[[], None]) -> None:
    """Run a registration's write; a conflict with the very same registration means an SDK retry of
    a write that had landed (DynamoDB itself makes that retry idempotent), so it is success."""
    try:
        write()
    except AlreadyInStage:
        stored = ledger.registration(registration.session_id, registration.person_id)
        if stored is None or stored.registration_id != registration.registration_id:
            raise


def fill_free_seats(ledger: SeatLedger, session_id: str, now: datetime, context: EventContext) -> int:
    promoted = 0
    for _ in range(MAX_PROMOTIONS_PER_CALL):
        session, counters = ledger.session(session_id)
        if session.has_started(now) or counters["confirmed"] >= counters["capacity"] or counters["waiting"] == 0:
            break
        first = ledger.first_in_line(session_id)
        if first is None:
            break
        _, waiting = first
        expires = session.offer_expires_at(now)
        if expires:
            moved = waiting.model_copy(update={"status": RegistrationStatus.OFFERED, "offer_expires_at": expires})
            event: SeatEvent = _seat_event(RegistrationOffered, moved, session, offer_expires_at=expires)
        else:
            moved = waiting.model_copy(update={"status": RegistrationStatus.CONFIRMED})
            event = _seat_event(RegistrationPromoted, moved, session)
        try:
            ledger.promote(moved, session, now, EventEnvelope.wrap(event, context), expires)
        except ConditionFailed:
            continue  # another request moved the line or took the seat first: look again
        promoted += 1
    return promoted


def cancel(
    ledger: SeatLedger, session_id: str, person_id: str, now: datetime, context: EventContext, reason: str
) -> Registration:
    session, _ = ledger.session(session_id)
    current = ledger.registration(session_id, person_id)
    if current is None:
        raise NoRegistration(person_id)
    if current.status not in ACTIVE:
        raise NotRegistered()
    late = (
        current.status is RegistrationStatus.CONFIRMED and session.cancellation_is_late(now) and not session.cancelled
    )
    cancelled = current.model_copy(
        update={"status": RegistrationStatus.CANCELLED, "cancelled_at": now, "late_cancellation": late, "needs": None}
    )
    event = _seat_event(
        RegistrationCancelled, current, session, previous_status=current.status.value, late=late, reason=reason
    )
    try:
        ledger.release(cancelled, current, session, EventEnvelope.wrap(event, context))
    except ConditionFailed as failure:
        raise NotRegistered() from failure  # it changed under us: promoted, expired or cancelled already
    fill_free_seats(ledger, session_id, now, context)
    return cancelled


def claim(ledger: SeatLedger, session_id: str, person_id: str, now: datetime, context: EventContext) -> Registration:
    session, _ = ledger.session(session_id)
    offered = ledger.registration(session_id, person_id)
    if offered is None:
        raise NoRegistration(person_id)
    if offered.status is not RegistrationStatus.OFFERED or (
        offered.offer_expires_at is not None and offered.offer_expires_at <= now
    ):
        raise NoOpenOffer()
    confirmed = offered.model_copy(update={"status": RegistrationStatus.CONFIRMED, "offer_expires_at": None})
    event = _seat_event(RegistrationPromoted, confirmed, session)
    try:
        ledger.claim(confirmed, session, now, EventEnvelope.wrap(event, context))
    except ConditionFailed as failure:
        raise NoOpenOffer() from failure
    return confirmed


def expire_offers(ledger: SeatLedger, now: datetime, context: EventContext) -> int:
    """Let lapsed offers go and pass their seats on; run by a schedule."""
    expired = 0
    for session_id, person_id in ledger.expired_offers(now):
        session, _ = ledger.session(session_id)
        offered = ledger.registration(session_id, person_id)
        if offered is None or offered.status is not RegistrationStatus.OFFERED:
            continue
        lapsed = offered.model_copy(update={"status": RegistrationStatus.OFFER_EXPIRED, "needs": None})
        event = OfferExpired(
            registration_id=offered.registration_id,
            session_id=session_id,
            person_id=person_id,
            programme_id=session.programme_id,
            stage_key=session.stage_key,
        )
        try:
            ledger.release(lapsed, offered, session, EventEnvelope.wrap(event, context))
        except ConditionFailed:
            continue  # claimed in the meantime
        expired += 1
        fill_free_seats(ledger, session_id, now, context)
    return expired
