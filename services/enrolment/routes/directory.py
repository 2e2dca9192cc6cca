"""The directory's routes: people and units, one at a time or imported from CSV (coordinators, admins)."""

from __future__ import annotations

from services.enrolment import directory
from services.enrolment.contracts.http import DepartureIn
from services.enrolment.domain.models import Person, PersonDetails, Unit, UnitDetails
from services.enrolment.routes.access import PersonId, ResourceId, repository
from services.shared.http import BODY_MEDIA_TYPE, CSV, Cursor, Limit, PageOut, Routes
from services.shared.identity import Role

routes = Routes()
TAKES_CSV = {BODY_MEDIA_TYPE: CSV}


@routes.put("/people/<person_id>", tags=["directory"], summary="Create or update a person in the directory")
def put_person(person_id: PersonId, details: PersonDetails) -> Person:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    person = Person(person_id=person_id, **details.model_dump())
    repo = repository(identity)
    directory.upsert_person(repo, person, repo.person_or_none(person_id), routes.event_context(identity))
    return repo.person(person_id)


@routes.post("/people/<person_id>/departure", tags=["directory"], summary="Record that a person left; history is kept")
def post_departure(person_id: PersonId, departure: DepartureIn) -> Person:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return directory.person_left(repository(identity), person_id, departure.left_on, routes.event_context(identity))


@routes.post(
    "/imports/units",
    tags=["directory"],
    summary="Import units from CSV (text/csv); idempotent; rejected rows are named by line",
    openapi_extensions=TAKES_CSV,
)
def import_units() -> directory.ImportResult:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return directory.import_units(repository(identity), routes.text_body(), routes.event_context(identity))


@routes.post(
    "/imports/people",
    tags=["directory"],
    summary="Import people from CSV (text/csv); idempotent; rejected rows are named by line",
    openapi_extensions=TAKES_CSV,
)
def import_people() -> directory.ImportResult:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return directory.import_people(repository(identity), routes.text_body(), routes.event_context(identity))


@routes.get("/people/<person_id>", tags=["directory"], summary="A person in the directory")
def get_person(person_id: PersonId) -> Person:
    identity = routes.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR, Role.ADMIN)
    return repository(identity).person(person_id)


@routes.put("/units/<unit_id>", tags=["directory"], summary="Create or update a unit of the hierarchy")
def put_unit(unit_id: ResourceId, details: UnitDetails) -> Unit:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    unit = Unit(unit_id=unit_id, **details.model_dump())
    return directory.upsert_unit(repository(identity), unit, routes.event_context(identity))


@routes.get("/units", tags=["directory"], summary="The tenant's units, by name")
def list_units(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Unit]:
    items, next_cursor = repository(routes.identity()).units(limit, cursor)
    return PageOut[Unit](items=items, next_cursor=next_cursor)
