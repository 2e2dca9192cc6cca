"""Enrolment's table. The only place that knows its keys.

pk                                  sk                     what
PERSON#<person>                     PROFILE                directory record (gsi1: PEOPLE / name;
                                                           gsi2 while present: UNIT#<unit>#PEOPLE / <person>)
PERSON#<manager>                    REPORT#<person>        a person who reports to the manager
UNIT#<unit>                         META                   unit of the hierarchy (gsi1: UNITS / name)
PROGRAMME#<programme>               META                   the current version (gsi1: PROGRAMMES / name)
COURSE#<external id>                META                   which programme a learning portal's course belongs to
(sessions and registrations: see ledger.py)
"""

from __future__ import annotations

from typing import Any

from services.enrolment.domain.models import Person, Programme, Unit
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import ConditionFailed, Delete, Put, TenantTable, Write

MODEL_FIELDS = "model"
UNITS_PER_WRITE = 50  # each with its outbox item: a transaction holds 100


def _model_item(model: Any, pk: str, sk: str, **extra: Any) -> dict[str, Any]:
    return {"pk": pk, "sk": sk, MODEL_FIELDS: model.model_dump(mode="json"), **extra}


class EnrolmentRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    # Directory
    def people(self, person_ids: list[str]) -> dict[str, Person]:
        """Stored people by id, a hundred per round trip."""
        items = self.table.get_many([(self.table.key("PERSON", p), "PROFILE") for p in person_ids])
        return {i[MODEL_FIELDS]["person_id"]: Person.model_validate(i[MODEL_FIELDS]) for i in items.values()}

    def units_by_id(self, unit_ids: list[str]) -> dict[str, Unit]:
        items = self.table.get_many([(self.table.key("UNIT", u), "META") for u in unit_ids])
        return {i[MODEL_FIELDS]["unit_id"]: Unit.model_validate(i[MODEL_FIELDS]) for i in items.values()}

    def save_person(self, person: Person, previous_manager_id: str | None, events: list[EventEnvelope]) -> None:
        """Save the person, and move them to their line manager's team when the manager changed."""
        item = _model_item(person, self.table.key("PERSON", person.person_id), "PROFILE")
        item |= {"gsi1pk": self.table.key("PEOPLE"), "gsi1sk": person.name.casefold() + "#" + person.person_id}
        if person.unit_id and person.left_on is None:
            item |= {"gsi2pk": self.table.key("UNIT", person.unit_id, "PEOPLE"), "gsi2sk": person.person_id}
        writes: list[Write] = [Put(item)]
        if person.manager_id != previous_manager_id:
            if previous_manager_id:
                writes.append(Delete(pk=self.table.key("PERSON", previous_manager_id), sk=f"REPORT#{person.person_id}"))
            if person.manager_id:
                report = {"pk": self.table.key("PERSON", person.manager_id), "sk": f"REPORT#{person.person_id}"}
                writes.append(Put(report))
        self.table.write(writes, events)

    def team_of(self, manager_id: str) -> list[str]:
        """The people who report to the manager."""
        page = self.table.query(self.table.key("PERSON", manager_id), "REPORT#")
        return [item["sk"].removeprefix("REPORT#") for item in page.items]

    def person_or_none(self, person_id: str) -> Person | None:
        item = self.table.get(self.table.key("PERSON", person_id), "PROFILE")
        return Person.model_validate(item[MODEL_FIELDS]) if item else None

    def person(self, person_id: str) -> Person:
        person = self.person_or_none(person_id)
        if person is None:
            raise NotFound(f"No person {person_id}.")
        return person

    def save_units(self, units: list[Unit], events: list[EventEnvelope]) -> None:
        """Units and the events announcing them, together: up to `UNITS_PER_WRITE` at a time."""
        items = []
        for unit in units:
            item = _model_item(unit, self.table.key("UNIT", unit.unit_id), "META")
            item |= {"gsi1pk": self.table.key("UNITS"), "gsi1sk": unit.name.casefold() + "#" + unit.unit_id}
            items.append(Put(item))
        self.table.write(items, events)

    def units(self, limit: int, cursor: str | None) -> tuple[list[Unit], str | None]:
        page = self.table.query(self.table.key("UNITS"), index="gsi1", limit=limit, cursor=cursor)
        return [Unit.model_validate(i[MODEL_FIELDS]) for i in page.items], page.cursor

    def all_units(self) -> list[Unit]:
        return [
            Unit.model_validate(i[MODEL_FIELDS]) for i in self.table.query(self.table.key("UNITS"), index="gsi1").items
        ]

    def everyone(self) -> list[Person]:
        """Every person of the tenant: for an audience of the whole organisation."""
        people = self.table.query(self.table.key("PEOPLE"), index="gsi1").items
        return [Person.model_validate(i[MODEL_FIELDS]) for i in people]

    def people_in(self, unit_ids: set[str]) -> list[Person]:
        """The present people of these units: an audience of a part of the organisation reads that part."""
        found: list[Person] = []
        for unit_id in sorted(unit_ids):
            page = self.table.query(self.table.key("UNIT", unit_id, "PEOPLE"), index="gsi2")
            found += [Person.model_validate(i[MODEL_FIELDS]) for i in page.items]
        return sorted(found, key=lambda p: (p.name.casefold(), p.person_id))  # as `everyone`: by name

    # Programmes
    def publish_programme(self, programme: Programme, version: Put, events: list[EventEnvelope]) -> None:
        """Make `programme` the current version; a new one only over the version it replaces."""
        item = _model_item(programme, self.table.key("PROGRAMME", programme.programme_id), "META")
        item |= {
            "gsi1pk": self.table.key("PROGRAMMES"),
            "gsi1sk": programme.name.casefold() + "#" + programme.programme_id,
            "version": programme.version,
        }
        first = programme.version == 1
        current = Put(
            item,
            condition="attribute_not_exists(pk)" if first else "version = :previous",
            values={} if first else {":previous": programme.version - 1},
        )
        course_index = [
            Put(
                {
                    "pk": self.table.key("COURSE", course.external_id),
                    "sk": "META",
                    "programme_id": programme.programme_id,
                }
            )
            for stage in programme.stages
            for course in stage.courses
            if course.external_id
        ]
        try:
            self.table.write([current, version, *course_index], events)
        except ConditionFailed as failure:
            if first:
                raise Conflict(f"Programme {programme.programme_id} exists already.") from failure
            raise Conflict(f"Programme {programme.programme_id} changed at the same time; try again.") from failure

    def announce(self, events: list[EventEnvelope]) -> None:
        """Publish events that change nothing stored (through the outbox, like every event)."""
        self.table.write([], events)

    def programme_of_course(self, external_id: str) -> str:
        item = self.table.get(self.table.key("COURSE", external_id), "META")
        if item is None:
            raise NotFound(f"No course with the learning portal's id {external_id}.")
        return str(item["programme_id"])

    def programme(self, programme_id: str) -> Programme:
        item = self.table.get(self.table.key("PROGRAMME", programme_id), "META")
        if item is None:
            raise NotFound(f"No programme {programme_id}.")
        return Programme.model_validate(item[MODEL_FIELDS])

    def programmes(self, limit: int, cursor: str | None) -> tuple[list[Programme], str | None]:
        page = self.table.query(self.table.key("PROGRAMMES"), index="gsi1", limit=limit, cursor=cursor)
        return [Programme.model_validate(i[MODEL_FIELDS]) for i in page.items], page.cursor
