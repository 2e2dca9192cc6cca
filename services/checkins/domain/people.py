"""Check-ins' own view of the directory, learnt from enrolment's events. Pure: no AWS here.

The bus keeps no order: a change is applied only when it is newer than what is known (by the time of
the event that told it), so an old event arriving late cannot undo a newer one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.checkins.domain.models import Id
from services.shared.errors import FieldProblem, Invalid
from services.shared.identity import Role
from services.shared.units import units_within


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: Id
    name: str
    unit_id: str | None = None
    manager_id: str | None = None
    roles: list[str] = Field(default_factory=list)
    employment_start: date | None = None
    left_on: date | None = None
    known_at: datetime = Field(description="when the newest record applied was told")
    manager_since: datetime = Field(description="when the newest line manager applied was told")
    revision: int = 0

    @property
    def present(self) -> bool:
        return self.left_on is None

    @classmethod
    def told(
        cls,
        known: Person | None,
        at: datetime,
        *,
        person_id: str,
        name: str,
        unit_id: str | None,
        manager_id: str | None,
        roles: list[str],
        employment_start: date | None,
    ) -> Person:
        """The person after a record told at `at`: what is newer than what is known replaces it."""
        record = {"name": name, "unit_id": unit_id, "roles": roles, "employment_start": employment_start}
        if known is None:
            return cls(person_id=person_id, manager_id=manager_id, known_at=at, manager_since=at, **record)
        person = known.model_copy(update=record | {"known_at": at}) if at >= known.known_at else known
        return person.manager_told(manager_id, at)

    def manager_told(self, manager_id: str | None, at: datetime) -> Person:
        if at < self.manager_since:
            return self
        return self.model_copy(update={"manager_id": manager_id, "manager_since": at})


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True)
    unit_id: Id
    name: str
    parent_id: str | None = None


class Audience(BaseModel):
    """Whose cycles to start: people with one of the roles, in one of the units or a unit under them."""

    model_config = ConfigDict(frozen=True)
    roles: list[Role] = Field(default_factory=list, description="any of these roles; empty: any role")
    unit_ids: list[Id] = Field(
        default_factory=list, max_length=500, description="these units and every unit under them; empty: all"
    )


def audience_units(audience: Audience, units: list[Unit]) -> set[str] | None:
    """The units the audience names and every unit under them; None when it names none (everyone)."""
    if not audience.unit_ids:
        return None
    unknown = sorted(set(audience.unit_ids) - {u.unit_id for u in units})
    if unknown:
        problems = [
            FieldProblem(f"body.audience.unit_ids.{audience.unit_ids.index(u)}", "is not a known unit") for u in unknown
        ]
        raise Invalid("The audience names units check-ins does not know.", problems)
    return units_within(audience.unit_ids, units)


def members(audience: Audience, people: Iterable[Person], within: set[str] | None) -> list[Person]:
    """Everyone in the audience who has not left (whether they have a line manager is checked later)."""
    roles = {role.value for role in audience.roles}
    return [
        person
        for person in people
        if person.present
        and (not roles or roles.intersection(person.roles))
        and (within is None or person.unit_id in within)
    ]
