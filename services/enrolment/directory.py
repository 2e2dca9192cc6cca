"""The directory: people and units, one at a time or imported from CSV; a new line manager and a departure
are announced."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from services.enrolment.adapters.repository import UNITS_PER_WRITE, EnrolmentRepository
from services.enrolment.contracts.events import ManagerChanged, PersonLeft, PersonUpserted, UnitUpserted
from services.enrolment.domain import csv_import
from services.enrolment.domain.csv_import import Rejection
from services.enrolment.domain.models import Person, Unit
from services.shared.envelope import EventContext, EventEnvelope


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
    for start in range(0, len(changed), UNITS_PER_WRITE):
        batch = changed[start : start + UNITS_PER_WRITE]
        repo.save_units(batch, [_announced(unit, context) for unit in batch])
    return ImportResult(accepted=len(changed), unchanged=len(units) - len(changed), rejected=rejected)


def import_people(repo: EnrolmentRepository, text: str, context: EventContext) -> ImportResult:
    people, rejected = csv_import.people(text)
    known = repo.people([p.person_id for p in people])
    accepted = sum(upsert_person(repo, p, known.get(p.person_id), context) for p in people)
    return ImportResult(accepted=accepted, unchanged=len(people) - accepted, rejected=rejected)


def upsert_unit(repo: EnrolmentRepository, unit: Unit, context: EventContext) -> Unit:
    repo.save_units([unit], [_announced(unit, context)])
    return unit


def _announced(unit: Unit, context: EventContext) -> EventEnvelope:
    return EventEnvelope.wrap(UnitUpserted(**unit.model_dump(mode="json")), context)
