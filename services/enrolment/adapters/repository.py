"""Enrolment's table. The only place that knows its keys.

pk                                  sk                     what
PERSON#<person>                     PROFILE                directory record (gsi1: PEOPLE / name)
UNIT#<unit>                         META                   unit of the hierarchy (gsi1: UNITS / name)
PERSON#<person>                     ACTIVE#<prog>#<stage>  the person's one active registration for a stage
PROGRAMME#<programme>               META                   programme (gsi1: PROGRAMMES / name)
SESSION#<session>                   META                   session with its seat ledger: confirmed, capacity
SESSION#<session>                   REG#<person>           registration (gsi1: PERSON#<person>#REGS / starts_at)
"""

from __future__ import annotations

from typing import Any

from services.enrolment.domain.errors import AlreadyInStage, SessionFull
from services.enrolment.domain.models import Person, Programme, Registration, Session, Unit
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import ConditionFailed, Page, Put, TenantTable, Update

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

    # Sessions and the seat ledger
    def create_session(self, session: Session, event: EventEnvelope) -> None:
        item = _model_item(
            session, self.table.key("SESSION", session.session_id), "META", confirmed=0, capacity=session.capacity
        )
        item |= {
            "gsi1pk": self.table.key("PROGRAMME", session.programme_id, "SESSIONS"),
            "gsi1sk": session.starts_at.isoformat() + "#" + session.session_id,
        }
        self.table.write([Put(item, condition="attribute_not_exists(pk)")], [event])

    def session(self, session_id: str) -> tuple[Session, int]:
        """The session and how many seats are confirmed."""
        item = self.table.get(self.table.key("SESSION", session_id), "META")
        if item is None:
            raise NotFound(f"No session {session_id}.")
        return Session.model_validate(item[MODEL_FIELDS]), int(item["confirmed"])

    def register(self, registration: Registration, session: Session, event: EventEnvelope) -> None:
        """Take a seat, the person's one active place in the stage, and announce it: all or nothing."""
        session_pk = self.table.key("SESSION", session.session_id)
        person_pk = self.table.key("PERSON", registration.person_id)
        take_seat = Update(
            pk=session_pk,
            sk="META",
            expression="SET confirmed = confirmed + :one",
            condition="confirmed < #capacity",  # CAPACITY is a reserved word
            names={"#capacity": "capacity"},
            values={":one": 1},
        )
        hold_stage = Put(
            {
                "pk": person_pk,
                "sk": f"ACTIVE#{session.programme_id}#{session.stage_key}",
                "session_id": session.session_id,
            },
            condition="attribute_not_exists(pk)",
        )
        record = _model_item(registration, session_pk, f"REG#{registration.person_id}")
        record |= {
            "gsi1pk": self.table.key("PERSON", registration.person_id, "REGS"),
            "gsi1sk": session.starts_at.isoformat() + "#" + session.session_id,
        }
        try:
            self.table.write([take_seat, hold_stage, Put(record)], [event])
        except ConditionFailed as failure:
            if 1 in failure.failed:
                raise AlreadyInStage() from failure
            raise SessionFull(session.session_id) from failure

    def registrations_of(self, person_id: str, limit: int, cursor: str | None) -> tuple[list[Registration], str | None]:
        page: Page = self.table.query(
            self.table.key("PERSON", person_id, "REGS"), index="gsi1", limit=limit, cursor=cursor
        )
        return [Registration.model_validate(i[MODEL_FIELDS]) for i in page.items], page.cursor
