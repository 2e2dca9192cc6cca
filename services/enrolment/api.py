"""Enrolment's HTTP entry: thin routes from requests to use cases."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path

from services.enrolment import seats, usecases
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.http import CapacityChange, SessionOut
from services.enrolment.domain.models import (
    Person,
    PersonDetails,
    Programme,
    Registration,
    SessionDetails,
    Unit,
    UnitDetails,
)
from services.shared.errors import Forbidden
from services.shared.http import Api, Cursor, Limit, PageOut
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import TenantTable
from services.shared.timezones import now

api = Api("enrolment")
app = api.app

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _repository(identity: Identity) -> EnrolmentRepository:
    return EnrolmentRepository(TenantTable(settings().table_name, identity.tenant_id))


def _ledger(identity: Identity) -> SeatLedger:
    return SeatLedger(TenantTable(settings().table_name, identity.tenant_id))


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
    session = usecases.schedule_session(
        _repository(identity), _ledger(identity), programme_id, details, api.event_context(identity)
    )
    return SessionOut.of(session, {"confirmed": 0, "waiting": 0, "offers_open": 0}), 201


@app.get("/sessions/<session_id>", tags=["sessions"], summary="One session with its free seats and waitlist")
def get_session(session_id: ResourceId) -> SessionOut:
    session, counters = _ledger(api.identity()).session(session_id)
    return SessionOut.of(session, counters)


@app.patch("/sessions/<session_id>", tags=["sessions"], summary="Change a session's capacity")
def patch_session(session_id: ResourceId, change: CapacityChange) -> SessionOut:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    ledger = _ledger(identity)
    seats.change_capacity(ledger, session_id, change.capacity, now(), api.event_context(identity))
    session, counters = ledger.session(session_id)
    return SessionOut.of(session, counters)


@app.post(
    "/sessions/<session_id>/registrations",
    tags=["sessions"],
    summary="Register yourself: a seat if one is free and nobody waits, else a place in line",
)
def post_registration(session_id: ResourceId) -> tuple[Registration, int]:
    identity = api.identity()
    registration = seats.register(_ledger(identity), session_id, identity.person_id, now(), api.event_context(identity))
    return registration, 201


@app.delete(
    "/sessions/<session_id>/registrations/<person_id>",
    tags=["sessions"],
    summary="Cancel a registration (yours, or as coordinator anyone's): the seat goes to the first in line",
)
def delete_registration(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = api.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR)
    reason = "cancelled by the person" if person_id == identity.person_id else "cancelled by a coordinator"
    return seats.cancel(_ledger(identity), session_id, person_id, now(), api.event_context(identity), reason)


@app.post(
    "/sessions/<session_id>/registrations/<person_id>/claim",
    tags=["sessions"],
    summary="Claim the seat you were offered, before the offer expires",
)
def claim_offer(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = api.identity()
    if person_id != identity.person_id:
        raise Forbidden("Only the person offered a seat can claim it.")
    return seats.claim(_ledger(identity), session_id, person_id, now(), api.event_context(identity))


@app.get("/sessions/<session_id>/registrations", tags=["sessions"], summary="The roster: everyone registered")
def roster(session_id: ResourceId) -> list[Registration]:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.TRAINER)
    return _ledger(identity).roster(session_id)


@app.get("/me/registrations", tags=["sessions"], summary="Your registrations")
def my_registrations(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Registration]:
    identity = api.identity()
    items, next_cursor = _ledger(identity).registrations_of(identity.person_id, limit, cursor)
    return PageOut[Registration](items=items, next_cursor=next_cursor)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
