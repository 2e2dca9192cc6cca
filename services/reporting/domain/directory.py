"""Reporting's own view of the directory: where each person was, and the unit tree. Pure.

A person's placements are kept in time order, whatever order their events arrive in; an event is
counted on the unit the person was on at the event's time (before their first known placement:
that first one, the best knowledge of where they were).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from services.reporting.domain.metrics import TENANT


class Placement(BaseModel):
    model_config = ConfigDict(frozen=True)
    since: datetime
    unit_id: str | None


class PersonRecord(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: str
    placements: tuple[Placement, ...] = ()
    manager_id: str | None = None
    left_on: date | None = None
    version: int = 0  # guards concurrent changes (optimistic locking)

    def unit_at(self, at: datetime) -> str | None:
        if not self.placements:
            return None
        current = self.placements[0]
        for placement in self.placements:
            if placement.since <= at:
                current = placement
        return current.unit_id

    def placed(self, since: datetime, unit_id: str | None) -> PersonRecord:
        """With a placement from `since` (the time of the event that said so); unchanged if it adds nothing."""
        if self.placements and self.placements[0].since <= since and self.unit_at(since) == unit_id:
            return self  # there already at that time
        kept = [p for p in self.placements if p.since != since]
        placements = tuple(sorted([*kept, Placement(since=since, unit_id=unit_id)], key=lambda p: p.since))
        return self.model_copy(update={"placements": placements})


class UnitInfo(BaseModel):
    model_config = ConfigDict(frozen=True)
    unit_id: str
    name: str
    kind: str = "unit"
    parent_id: str | None = None
    permanent_employees: int | None = None
    managers: int | None = None
    guideline_area: str | None = None
    as_of: datetime | None = None  # the time of the event that said so: an older one never overwrites


class UnitTree:
    """The tenant's units, with the tenant itself (`*`) above every unit that has no parent."""

    def __init__(self, units: dict[str, UnitInfo]) -> None:
        self.units = units
        self._sums: dict[str, list[str]] | None = None

    def parent(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        parent = unit.parent_id if unit else None
        return parent if parent and parent in self.units else TENANT

    def children(self, scope: str) -> list[str]:
        return self.sums().get(scope, [])

    def sums(self) -> dict[str, list[str]]:
        """Each scope and the units directly under it (sorted by name): the sums a report shows."""
        if self._sums is None:
            sums: dict[str, list[str]] = {TENANT: []}
            for unit_id in self.units:
                sums.setdefault(unit_id, [])
                sums.setdefault(self.parent(unit_id), []).append(unit_id)
            for parts in sums.values():
                parts.sort(key=lambda u: (self.units[u].name.casefold(), u))
            self._sums = sums
        return self._sums

    def walk(self, scope: str = TENANT, depth: int = 0) -> Iterator[tuple[str, int]]:
        """The scope and every unit under it, depth first, each with its depth below the scope."""
        yield scope, depth
        for child in self.children(scope):
            yield from self.walk(child, depth + 1)

    def name(self, scope: str, tenant_name: str) -> str:
        return tenant_name if scope == TENANT else self.units[scope].name if scope in self.units else scope
