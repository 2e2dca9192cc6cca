"""Enrolment's HTTP entry: thin routes from requests to use cases."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path

from services.enrolment import usecases
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.http import SessionOut
from services.enrolment.domain.models import (
    Person,
    PersonDetails,
    Programme,
    Registration,
    SessionDetails,
    Unit,
    UnitDetails,
)
from services.shared.http import Api, Cursor, Limit, PageOut
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import TenantTable

api = Api("enrolment")
app = api.app

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _repository(identity: Identity) -> EnrolmentRepository:
    return EnrolmentRepository(TenantTable(settings().table_name, identity.tenant_id))


@app.put("/people/<person_id>", tags=["directory"], summary="Create or update a person in the directory")
def put_person(person_id: PersonId, details: PersonDetails) -> Person:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    person = Person(person_id=person_id, **details.model_dump())
    return usecases.upsert_person(_repository(identity), person, api.event_context(identity))


@app.get("/people/<person_id>", tags=["directory"], summary="A person in the directory")
def get_person(person_id: PersonId) -> Person:
    identity = api.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR, Role.ADMIN)
    return _repository(identity).person(person_id)


@app.put("/units/<unit_id>", tags=["directory"], summary="Create or update a unit of the hierarchy")
def put_unit(unit_id: ResourceId, details: UnitDetails) -> Unit:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    unit = Unit(unit_id=unit_id, **details.model_dump())
    return usecases.upsert_unit(_repository(identity), unit, api.event_context(identity))


@app.get("/units", tags=["directory"], summary="The tenant's units, by name")
def list_units(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Unit]:
    items, next_cursor = _repository(api.identity()).units(limit, cursor)
    return PageOut[Unit](items=items, next_cursor=next_cursor)


@app.post("/programmes", tags=["programmes"], summary="Publish a programme of ordered stages")
def post_programme(programme: Programme) -> tuple[Programme, int]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    return usecases.publish_programme(_repository(identity), programme, api.event_context(identity)), 201


@app.get("/programmes", tags=["programmes"], summary="The tenant's programmes")
def list_programmes(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Programme]:
    items, next_cursor = _repository(api.identity()).programmes(limit, cursor)
    return PageOut[Programme](items=items, next_cursor=next_cursor)


@app.get("/programmes/<programme_id>", tags=["programmes"], summary="One programme")
def get_programme(programme_id: ResourceId) -> Programme:
    return _repository(api.identity()).programme(programme_id)


@app.post("/programmes/<programme_id>/sessions", tags=["sessions"], summary="Schedule a session for a stage")
def post_session(programme_id: ResourceId, details: SessionDetails) -> tuple[SessionOut, int]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    session = usecases.schedule_session(_repository(identity), programme_id, details, api.event_context(identity))
    return SessionOut.of(session, confirmed=0), 201


@app.get("/sessions/<session_id>", tags=["sessions"], summary="One session with its free seats")
def get_session(session_id: ResourceId) -> SessionOut:
    session, confirmed = _repository(api.identity()).session(session_id)
    return SessionOut.of(session, confirmed)


@app.post("/sessions/<session_id>/registrations", tags=["sessions"], summary="Register yourself for a session")
def post_registration(session_id: ResourceId) -> tuple[Registration, int]:
    identity = api.identity()
    repo = _repository(identity)
    return usecases.register(repo, session_id, identity.person_id, api.event_context(identity)), 201


@app.get("/me/registrations", tags=["sessions"], summary="Your registrations")
def my_registrations(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Registration]:
    identity = api.identity()
    items, next_cursor = _repository(identity).registrations_of(identity.person_id, limit, cursor)
    return PageOut[Registration](items=items, next_cursor=next_cursor)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
