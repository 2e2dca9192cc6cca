"""Enrolment's use cases: rules that need the table, called by the HTTP and event entries."""

from __future__ import annotations

from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import (
    PersonUpserted,
    SessionScheduled,
    UnitUpserted,
)
from services.enrolment.domain.models import Person, Session, SessionDetails, Unit
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, Invalid


def upsert_person(repo: EnrolmentRepository, person: Person, context: EventContext) -> Person:
    event = PersonUpserted(**person.model_dump(mode="json"))
    repo.save_person(person, EventEnvelope.wrap(event, context))
    return person


def upsert_unit(repo: EnrolmentRepository, unit: Unit, context: EventContext) -> Unit:
    repo.save_unit(unit, EventEnvelope.wrap(UnitUpserted(**unit.model_dump(mode="json")), context))
    return unit


def schedule_session(
    repo: EnrolmentRepository, ledger: SeatLedger, programme_id: str, details: SessionDetails, context: EventContext
) -> Session:
    programme = repo.programme(programme_id)
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
    ledger.create_session(session, EventEnvelope.wrap(event, context))
    return session
