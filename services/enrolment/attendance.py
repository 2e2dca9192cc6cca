"""Attendance: marked by the session's trainers or a coordinator, or by the person with the code shown in
the room, from shortly before the session starts. Attending completes the stage (an occasion of a forum
or network only counts); a no-show ("attend or cancel") is announced and opens the stage for its next
session."""

from __future__ import annotations

from datetime import datetime

from services.enrolment import learning
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import AttendanceRecorded, NoShowRecorded
from services.enrolment.domain import progress
from services.enrolment.domain.errors import AttendanceNotOpen, NoRegistration, NotRegistered
from services.enrolment.domain.models import Attendance, RegistrationStatus, next_open_session
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.store import Write


def mark_attendance(
    repo: EnrolmentRepository,
    store: ProgressStore,
    ledger: SeatLedger,
    session_id: str,
    person_id: str,
    attendance: Attendance,
    now: datetime,
    context: EventContext,
) -> None:
    """Mark one registration; attending completes the stage, in the same transaction."""
    session, _ = ledger.session(session_id)
    if now < session.attendance_opens_at:
        raise AttendanceNotOpen(session.attendance_opens_at)
    registration = ledger.registration(session_id, person_id)
    if registration is None:
        raise NoRegistration(person_id)
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise NotRegistered()
    marked = registration.model_copy(update={"attendance": attendance})
    base = {
        "registration_id": registration.registration_id,
        "session_id": session_id,
        "person_id": person_id,
        "programme_id": session.programme_id,
        "stage_key": session.stage_key,
    }
    events = [EventEnvelope.wrap(AttendanceRecorded(**base, attendance=attendance.value), context)]
    writes: list[Write] = [ledger.attendance_write(marked, registration, session)]
    if attendance is Attendance.ABSENT:
        # "attend or cancel": the no-show is announced, and the stage opens for the next session
        offered = next_open_session(ledger.sessions_of(session.programme_id)[0], session, now)
        no_show = NoShowRecorded(
            **base,
            programme_name=session.programme_name,
            stage_name=session.stage_name,
            next_session_id=offered.session_id if offered else None,
            next_session_starts_at=offered.starts_at if offered else None,
        )
        events.append(EventEnvelope.wrap(no_show, context))
        writes.append(ledger.release_stage(registration, session))
    enrolment = store.enrolment(person_id, session.programme_id)
    if attendance.attended and enrolment is not None and not session.recurring:
        programme = store.programme_version(session.programme_id, enrolment.version)
        outcome = progress.record(programme, enrolment, session.stage_key, now, context.actor)
        if outcome.enrolment != enrolment:
            more_writes, more_events = learning.completion_effects(
                repo, store, programme, enrolment, outcome, now, context
            )
            writes += more_writes
            events += more_events
    store.save(writes, events)
