"""Reporting's table. With repository.py, the only place that knows its keys.

pk                            sk                        what
PERSON#<person>               PERSON                    where the person was when (placements), version
PERSON#<person>               HALF#<half-year>          the respondent cells (scope|indicator) they count in
PERSON#<person>               PENDING#<event>           a fact that came before its person; counted when they come
DIRECTORY                     UNITS                     the unit tree: one attribute `u:<unit>` per unit
AGG#<period>                  <scope>                   counters of a scope (a unit or `*`) in a month (2026-03),
                                                        quarter (2026-Q1), half-year (2026-H1) or for all time (ALL)
SPREAD#<half-year>            <scope>                   the distribution of each indicator's ratings (d1..d5)
GOALS                         <indicator>               a goal: baseline, target, their periods, the source
GUIDELINES                    SPAN                      span-of-control guideline per area: attribute `a:<area>`
PUBLISHED#<half-year>#<scope> <published_at>#<version>  one published version of a board report (S3 version id)
IMPORT#<half-year>            <kind>#<unit>             a unit's imported survey results or key figures (current version)
IMPORTED#<half-year>#<kind>#<unit>  v<version>          every earlier version, as it was
QUESTIONS                     MAP                       the tenant's survey questions: attribute `q:<question>` = indicator

Reports read aggregates only: one Query per period and a handful of items, whatever the number of
events behind them. Nothing here scans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress

from services.reporting.domain.aggregation import Contribution
from services.reporting.domain.directory import PersonRecord, UnitInfo, UnitTree
from services.reporting.domain.facts import Fact
from services.shared.store import Check, ConditionFailed, Delete, Item, Put, TenantTable, Update, Write

PERSON, UNITS = "PERSON", "UNITS"


def _adds(pk: str, sk: str, counters: Mapping[str, int]) -> Update:
    names = {f"#a{i}": name for i, name in enumerate(counters)}
    values = {f":a{i}": value for i, value in enumerate(counters.values())}
    return Update(
        pk=pk,
        sk=sk,
        expression="ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(counters))),
        names=names,
        values=values,
    )


class AggregatesRepository:
    """What the consumer needs: the directory as reporting knows it, parked facts, the aggregates."""

    def __init__(self, table: TenantTable) -> None:
        self.table = table

    # --- the directory ------------------------------------------------------------------------

    def _person_key(self, person_id: str) -> str:
        return self.table.key("PERSON", person_id)

    def _tree_key(self) -> tuple[str, str]:
        return self.table.key("DIRECTORY"), UNITS

    def context(self, person_id: str, halves: Iterable[str]) -> tuple[PersonRecord | None, dict[str, set[str]]]:
        """A person and their respondent cells of `halves`: one round trip."""
        pk = self._person_key(person_id)
        halves = sorted(set(halves))
        found = self.table.get_many([(pk, PERSON), *((pk, f"HALF#{h}") for h in halves)])
        person = found.get((pk, PERSON))
        counted = {h: set(found.get((pk, f"HALF#{h}"), {}).get("cells", set())) for h in halves}
        return PersonRecord.model_validate(person["model"]) if person else None, counted

    def person(self, person_id: str) -> PersonRecord | None:
        item = self.table.get(self._person_key(person_id), PERSON)
        return PersonRecord.model_validate(item["model"]) if item else None

    def save_person(self, before: PersonRecord | None, after: PersonRecord) -> Put:
        """The person's record, if nobody changed it since `before` was read."""
        stored = after.model_copy(update={"version": (before.version if before else 0) + 1})
        item = {"pk": self._person_key(after.person_id), "sk": PERSON, "model": stored.model_dump(mode="json")}
        if before is None:
            return Put(item, condition="attribute_not_exists(pk)")
        return Put(
            item,
            condition="#model.#version = :version",
            names={"#model": "model", "#version": "version"},
            values={":version": before.version},
        )

    def tree(self) -> UnitTree:
        return self._tree(self.table.get(*self._tree_key()))

    @staticmethod
    def _tree(item: Item | None) -> UnitTree:
        units = {
            name[2:]: UnitInfo.model_validate(value)
            for name, value in (item or {}).items()
            if name.startswith("u:") and isinstance(value, dict)
        }
        return UnitTree(units)

    def save_unit(self, unit: UnitInfo) -> Update:
        """A unit in the tree, unless a later version of it is there already."""
        return Update(
            pk=self._tree_key()[0],
            sk=UNITS,
            expression="SET #u = :unit",
            condition="attribute_not_exists(#u) OR #u.#as_of <= :as_of",
            names={"#u": f"u:{unit.unit_id}", "#as_of": "as_of"},
            values={":unit": unit.model_dump(mode="json"), ":as_of": unit.model_dump(mode="json")["as_of"]},
        )

    # --- facts and aggregates -------------------------------------------------------------------

    def person_unknown(self, person_id: str) -> Check:
        return Check(pk=self._person_key(person_id), sk=PERSON, condition="attribute_not_exists(pk)")

    def park(self, fact: Fact, event_id: str) -> Put:
        assert fact.person_id is not None
        return Put({"pk": self._person_key(fact.person_id), "sk": f"PENDING#{event_id}", "fact": fact.to_json()})

    def parked(self, person_id: str) -> list[tuple[str, Fact]]:
        items = self.table.query(self._person_key(person_id), "PENDING#").items
        return [(str(i["sk"]), Fact.from_json(i["fact"])) for i in items]

    def unpark(self, person_id: str, sk: str) -> Delete:
        return Delete(pk=self._person_key(person_id), sk=sk, condition="attribute_exists(pk)")

    def apply(self, contribution: Contribution, person_id: str | None, counted: Mapping[str, set[str]]) -> list[Write]:
        """The updates that add a contribution; a respondent is counted once, whoever gets there first."""
        writes: list[Write] = [
            _adds(self.table.key(partition, period), scope, counters)
            for partition, cells in (("AGG", contribution.adds), ("SPREAD", contribution.spreads))
            for (period, scope), counters in cells.items()
            if counters
        ]
        for period, cells in contribution.respondents.items():
            assert person_id is not None
            fresh = sorted(cells)
            unseen = " AND ".join(f"NOT contains(#cells, :c{i})" for i in range(len(fresh)))
            writes.append(
                Update(
                    pk=self._person_key(person_id),
                    sk=f"HALF#{period}",
                    expression="ADD #cells :fresh",
                    condition=f"attribute_not_exists(#cells) OR ({unseen})",
                    names={"#cells": "cells"},
                    values={":fresh": set(fresh)} | {f":c{i}": cell for i, cell in enumerate(fresh)},
                )
            )
        return writes

    def raise_peaks(self, contribution: Contribution) -> None:
        """Keep the highest value of each gauge. Outside the consumer's transaction: a maximum is the
        same however often it is applied, and a lower value is no change (not a failure)."""
        for (period, scope), gauges in contribution.peaks.items():
            for gauge, value in gauges.items():
                with suppress(ConditionFailed):
                    self.table.write(
                        [
                            Update(
                                pk=self.table.key("AGG", period),
                                sk=scope,
                                expression="SET #g = :v",
                                condition="attribute_not_exists(#g) OR #g < :v",
                                names={"#g": gauge},
                                values={":v": value},
                            )
                        ]
                    )

    def aggregates(self, period: str, counters: Sequence[str] = ()) -> dict[str, dict[str, int]]:
        """Every scope's counters in a period (only `counters`, when given): one Query."""
        items = self.table.query(self.table.key("AGG", period), attributes=("sk", *counters) if counters else ())
        return {str(item["sk"]): {k: int(v) for k, v in item.items() if k not in ("pk", "sk")} for item in items.items}
