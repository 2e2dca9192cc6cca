"""Sessions: scheduled alone or as a series (all or none), changed, cancelled, reminded of the day before.

Scheduling invites a session's audience now or, when it says so, some days before it starts.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from services.enrolment import invitations, seats
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import (
    SessionCancelled,
    SessionMoved,
    SessionReminder,
    SessionRescheduled,
    SessionScheduled,
    people_per_event,
)
from services.enrolment.domain.errors import CapacityBelowTaken, SessionClosed
from services.enrolment.domain.models import ACTIVE, RegistrationStatus, Session, SessionDetails
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import Conflict, FieldProblem, Invalid
from services.shared.store import ConditionFailed


def schedule_sessions(
    repo: EnrolmentRepository,
    store: ProgressStore,
    ledger: SeatLedger,
    programme_id: str,
    occasions: list[SessionDetails],
    now: datetime,
    context: EventContext,
    session_ids: list[str],
) -> list[Session]:
    """Schedule sessions of a stage, all or none, and invite their audience (their own, or else the
    programme's) now or, when a session says so, some days before it starts (`invitations.send_due`).
    The ids come from the request, so a retried request finds its sessions (`SessionsExist`)."""
    programme = repo.programme(programme_id)
    scheduled: list[tuple[Session, bool]] = []
    events = []
    for details, session_id in zip(occasions, session_ids, strict=True):
        stage = programme.stage(details.stage_key)
        if stage is None:
            raise Invalid(
                f"Programme {programme_id} has no stage '{details.stage_key}'.",
                [FieldProblem("body.stage_key", "is not a stage of the programme")],
            )
        session = Session(
            session_id=session_id,
            programme_id=programme_id,
            programme_name=programme.name,
            stage_name=stage.name,
            recurring=stage.kind.recurring,
            **details.model_dump(),
        )
        event = SessionScheduled(**session.model_dump(include=set(SessionScheduled.model_fields)))
        events.append(EventEnvelope.wrap(event, context))
        audience = session.audience or programme.audience
        invite_now = audience is not None and session.invitations_due(now)
        if audience and invite_now:
            events += invitations.to_session(repo, store, ledger, programme, session, audience, None, now, context)
        scheduled.append((session, invite_now))
    try:
        ledger.create_sessions(scheduled, events)
    except ConditionFailed as failure:
        raise SessionsExist(session_ids) from failure
    return [session for session, _ in scheduled]


class SessionsExist(Conflict):
    """The sessions a request would create exist: a retry of a named request, or ids given twice."""

    def __init__(self, session_ids: list[str]) -> None:
        super().__init__("These sessions exist already.")
        self.session_ids = session_ids


def change_session(
    ledger: SeatLedger, session_id: str, changes: dict[str, object], now: datetime, context: EventContext
) -> Session:
    """Reschedule, move or resize a session; raising capacity promotes from the line."""
    session, counters = ledger.session(session_id)
    if session.cancelled:
        raise SessionClosed(session_id)
    try:
        changed = Session.model_validate({**session.model_dump(), **changes, "sequence": session.sequence + 1})
    except ValidationError as error:  # the change and what it keeps do not fit: a start after the end
        problems = [FieldProblem("body." + ".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
        raise Invalid("The changed session does not hold together.", problems) from error
    if changed.capacity < counters["confirmed"]:
        raise CapacityBelowTaken(counters["confirmed"])
    event = SessionRescheduled(**changed.model_dump(include=set(SessionRescheduled.model_fields)))
    events = [EventEnvelope.wrap(event, context)]
    if any(getattr(changed, f) != getattr(session, f) for f in ("starts_at", "ends_at", "location", "video_url")):
        registered = [r.person_id for r in ledger.roster(session_id) if r.status in ACTIVE]
        moved = changed.model_dump(include=set(SessionMoved.model_fields))
        events += [
            EventEnvelope.wrap(SessionMoved(**moved, person_ids=ids), context) for ids in people_per_event(registered)
        ]
    ledger.change_session(changed, session, events)
    seats.fill_free_seats(ledger, session_id, now, context)
    return changed


def cancel_session(ledger: SeatLedger, session_id: str, reason: str, now: datetime, context: EventContext) -> Session:
    """Cancel a session, and with it every registration, each announced."""
    session, _ = ledger.session(session_id)
    cancelled = session.model_copy(update={"cancelled_reason": reason, "sequence": session.sequence + 1})
    event = SessionCancelled(
        session_id=session_id,
        programme_id=session.programme_id,
        stage_key=session.stage_key,
        sequence=cancelled.sequence,
        reason=reason,
    )
    ledger.cancel_session(cancelled, EventEnvelope.wrap(event, context))
    for registration in ledger.roster(session_id):
        if registration.status in ACTIVE:
            seats.cancel(ledger, session_id, registration.person_id, now, context, "the session was cancelled")
    return cancelled


REMINDER_DAYS = (7, 1)  # a week before, to plan for it; the day before, to come


def send_reminders(
    ledger: SeatLedger, begins: datetime, ends: datetime, days_before: int, context: EventContext
) -> int:
    """Remind everyone with a seat at a session starting in [begins, ends), `days_before` days from now;
    each session once per start and reminder."""
    reminded = 0
    flag = "reminded" if days_before == 1 else f"reminded-{days_before}"
    for entry, session in ledger.unsent(begins, ends, flag):
        roster = [] if session.cancelled else ledger.roster(session.session_id)
        seated = [r.person_id for r in roster if r.status is RegistrationStatus.CONFIRMED]
        notice = session.model_dump(include=set(SessionReminder.model_fields))
        events = [
            EventEnvelope.wrap(SessionReminder(**notice, person_ids=ids, days_before=days_before), context)
            for ids in people_per_event(seated)
        ]
        try:
            ledger.mark_sent(entry, flag, events)
        except ConditionFailed:
            continue  # reminded by a run at the same time
        reminded += len(seated)
    return reminded
