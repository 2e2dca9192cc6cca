"""Enrolment's use cases: rules that need the table, called by the HTTP and event entries."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from services.enrolment import invitations
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import (
    ManagerChanged,
    PersonLeft,
    PersonUpserted,
    SessionScheduled,
    UnitUpserted,
)
from services.enrolment.domain import csv_import
from services.enrolment.domain.csv_import import Rejection
from services.enrolment.domain.models import Person, Session, SessionDetails, Unit
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, Invalid


def upsert_person(repo: EnrolmentRepository, person: Person, known: Person | None, context: EventContext) -> bool:
    """Save a person if anything changed (False: nothing did); a new line manager is announced too."""
    person = person.model_copy(update={"left_on": known.left_on if known else None})
    if person == known:
        return False
    events = [EventEnvelope.wrap(PersonUpserted(**person.model_dump(mode="json", exclude={"left_on"})), context)]
    if known and known.manager_id != person.manager_id:
        changed = ManagerChanged(
            person_id=person.person_id, previous_manager_id=known.manager_id, manager_id=person.manager_id
        )
        events.append(EventEnvelope.wrap(changed, context))
    repo.save_person(person, known.manager_id if known else None, events)
    return True


def person_left(repo: EnrolmentRepository, person_id: str, left_on: date, context: EventContext) -> Person:
    person = repo.person(person_id).model_copy(update={"left_on": left_on})
    event = EventEnvelope.wrap(PersonLeft(person_id=person_id, left_on=left_on), context)
    repo.save_person(person, person.manager_id, [event])
    return person


class ImportResult(BaseModel):
    accepted: int = Field(description="rows that created or changed something")
    unchanged: int = Field(description="rows identical to what is stored: an import run twice changes nothing")
    rejected: list[Rejection]


def import_units(repo: EnrolmentRepository, text: str, context: EventContext) -> ImportResult:
    units, rejected = csv_import.units(text)
    known = repo.units_by_id([u.unit_id for u in units])
    changed = [u for u in units if known.get(u.unit_id) != u]
    for unit in changed:
        upsert_unit(repo, unit, context)
    return ImportResult(accepted=len(changed), unchanged=len(units) - len(changed), rejected=rejected)


def import_people(repo: EnrolmentRepository, text: str, context: EventContext) -> ImportResult:
    people, rejected = csv_import.people(text)
    known = repo.people([p.person_id for p in people])
    accepted = sum(upsert_person(repo, p, known.get(p.person_id), context) for p in people)
    return ImportResult(accepted=accepted, unchanged=len(people) - accepted, rejected=rejected)


def upsert_unit(repo: EnrolmentRepository, unit: Unit, context: EventContext) -> Unit:
    repo.save_unit(unit, EventEnvelope.wrap(UnitUpserted(**unit.model_dump(mode="json")), context))
    return unit


def schedule_sessions(
    repo: EnrolmentRepository,
    store: ProgressStore,
    ledger: SeatLedger,
    programme_id: str,
    occasions: list[SessionDetails],
    now: datetime,
    context: EventContext,
) -> list[Session]:
    """Schedule sessions of a stage, all or none, and invite their audience (their own, or else the
    programme's) now or, when a session says so, some days before it starts (`invitations.send_due`)."""
    programme = repo.programme(programme_id)
    scheduled: list[tuple[Session, bool]] = []
    events = []
    for details in occasions:
        stage = programme.stage(details.stage_key)
        if stage is None:
            raise Invalid(
                f"Programme {programme_id} has no stage '{details.stage_key}'.",
                [FieldProblem("stage_key", "is not a stage of the programme")],
            )
        session = Session(
            programme_id=programme_id, programme_name=programme.name, stage_name=stage.name, **details.model_dump()
        )
        event = SessionScheduled(**session.model_dump(include=set(SessionScheduled.model_fields)))
        events.append(EventEnvelope.wrap(event, context))
        audience = session.audience or programme.audience
        invite_now = audience is not None and session.invitations_due(now)
        if audience and invite_now:
            events += invitations.to_session(repo, store, ledger, programme, session, audience, None, now, context)
        scheduled.append((session, invite_now))
    ledger.create_sessions(scheduled, events)
    return [session for session, _ in scheduled]
