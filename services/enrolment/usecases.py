"""Enrolment's use cases: rules that need the table, called by the HTTP and event entries."""

from __future__ import annotations

from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import (
    PersonUpserted,
    ProgrammePublished,
    RegistrationConfirmed,
    SessionScheduled,
    StagePublished,
    UnitUpserted,
)
from services.enrolment.domain.models import Person, Programme, Registration, Session, SessionDetails, Unit
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, Invalid
from services.shared.timezones import now


def upsert_person(repo: EnrolmentRepository, person: Person, context: EventContext) -> Person:
    event = PersonUpserted(**person.model_dump(mode="json"))
    repo.save_person(person, EventEnvelope.wrap(event, context))
    return person


def upsert_unit(repo: EnrolmentRepository, unit: Unit, context: EventContext) -> Unit:
    repo.save_unit(unit, EventEnvelope.wrap(UnitUpserted(**unit.model_dump(mode="json")), context))
    return unit


def publish_programme(repo: EnrolmentRepository, programme: Programme, context: EventContext) -> Programme:
    event = ProgrammePublished(
        programme_id=programme.programme_id,
        name=programme.name,
        version=programme.version,
        stages=[StagePublished(**stage.model_dump(mode="json")) for stage in programme.stages],
    )
    repo.create_programme(programme, EventEnvelope.wrap(event, context))
    return programme


def schedule_session(
    repo: EnrolmentRepository, programme_id: str, details: SessionDetails, context: EventContext
) -> Session:
    programme = repo.programme(programme_id)
    if programme.stage(details.stage_key) is None:
        raise Invalid(
            f"Programme {programme_id} has no stage '{details.stage_key}'.",
            [FieldProblem("stage_key", "is not a stage of the programme")],
        )
    session = Session(programme_id=programme_id, **details.model_dump())
    event = SessionScheduled(**session.model_dump(exclude={"trainers"}))
    repo.create_session(session, EventEnvelope.wrap(event, context))
    return session


def register(repo: EnrolmentRepository, session_id: str, person_id: str, context: EventContext) -> Registration:
    session, _ = repo.session(session_id)
    programme = repo.programme(session.programme_id)
    stage = programme.stage(session.stage_key)
    assert stage is not None  # a session is only ever scheduled for a stage of its programme
    registration = Registration(
        session_id=session.session_id,
        person_id=person_id,
        programme_id=programme.programme_id,
        stage_key=stage.key,
        registered_at=now(),
    )
    event = RegistrationConfirmed(
        registration_id=registration.registration_id,
        session_id=session.session_id,
        person_id=person_id,
        programme_id=programme.programme_id,
        programme_name=programme.name,
        stage_key=stage.key,
        stage_name=stage.name,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.location,
        video_url=session.video_url,
    )
    repo.register(registration, session, EventEnvelope.wrap(event, context))
    return registration
