"""Enrolment's table. The only place that knows its keys.

pk                                  sk                     what
PERSON#<person>                     PROFILE                directory record (gsi1: PEOPLE / name)
UNIT#<unit>                         META                   unit of the hierarchy (gsi1: UNITS / name)
PROGRAMME#<programme>               META                   programme (gsi1: PROGRAMMES / name)
(sessions and registrations: see ledger.py)
"""

from __future__ import annotations

from typing import Any

from services.enrolment.domain.models import Person, Programme, Unit
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import ConditionFailed, Put, TenantTable

MODEL_FIELDS = "model"


def _model_item(model: Any, pk: str, sk: str, **extra: Any) -> dict[str, Any]:
    return {"pk": pk, "sk": sk, MODEL_FIELDS: model.model_dump(mode="json"), **extra}


class EnrolmentRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    # Directory
    def save_person(self, person: Person, event: EventEnvelope) -> None:
        item = _model_item(person, self.table.key("PERSON", person.person_id), "PROFILE")
        item |= {"gsi1pk": self.table.key("PEOPLE"), "gsi1sk": person.name.casefold() + "#" + person.person_id}
        self.table.write([Put(item)], [event])

    def person(self, person_id: str) -> Person:
        item = self.table.get(self.table.key("PERSON", person_id), "PROFILE")
        if item is None:
            raise NotFound(f"No person {person_id}.")
        return Person.model_validate(item[MODEL_FIELDS])

    def save_unit(self, unit: Unit, event: EventEnvelope) -> None:
        item = _model_item(unit, self.table.key("UNIT", unit.unit_id), "META")
        item |= {"gsi1pk": self.table.key("UNITS"), "gsi1sk": unit.name.casefold() + "#" + unit.unit_id}
        self.table.write([Put(item)], [event])

    def units(self, limit: int, cursor: str | None) -> tuple[list[Unit], str | None]:
        page = self.table.query(self.table.key("UNITS"), index="gsi1", limit=limit, cursor=cursor)
        return [Unit.model_validate(i[MODEL_FIELDS]) for i in page.items], page.cursor

    # Programmes
    def create_programme(self, programme: Programme, event: EventEnvelope) -> None:
        item = _model_item(programme, self.table.key("PROGRAMME", programme.programme_id), "META")
        item |= {
            "gsi1pk": self.table.key("PROGRAMMES"),
            "gsi1sk": programme.name.casefold() + "#" + programme.programme_id,
        }
        try:
            self.table.write([Put(item, condition="attribute_not_exists(pk)")], [event])
        except ConditionFailed as failure:
            raise Conflict(f"Programme {programme.programme_id} exists already.") from failure

    def programme(self, programme_id: str) -> Programme:
        item = self.table.get(self.table.key("PROGRAMME", programme_id), "META")
        if item is None:
            raise NotFound(f"No programme {programme_id}.")
        return Programme.model_validate(item[MODEL_FIELDS])

    def programmes(self, limit: int, cursor: str | None) -> tuple[list[Programme], str | None]:
        page = self.table.query(self.table.key("PROGRAMMES"), index="gsi1", limit=limit, cursor=cursor)
        return [Programme.model_validate(i[MODEL_FIELDS]) for i in page.items], page.cursor
