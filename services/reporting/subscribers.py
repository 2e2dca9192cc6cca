"""Reporting's event entry: each event moves the aggregates of the unit it happened on, exactly once,
whatever order events come in (reports roll units up into every unit above them).

An event about a person is counted on the unit they were on at the event's time. One that comes
before the directory has told of the person is parked, and counted when the person arrives.
"""

from __future__ import annotations

from typing import Any

from services.reporting.adapters.aggregates import AggregatesRepository
from services.reporting.contracts import consumed
from services.reporting.domain.aggregation import contribution
from services.reporting.domain.directory import PersonRecord, UnitInfo
from services.reporting.domain.facts import FACTS, Fact, fact_of
from services.reporting.domain.metrics import TENANT
from services.reporting.domain.periods import half
from services.shared.consumer import Consumer, Unit
from services.shared.store import ConditionFailed


def _halves(fact: Fact) -> list[str]:
    return [half(day) for day, _, _ in fact.ratings]


def on_fact(unit: Unit) -> None:
    fact = fact_of(unit.envelope)
    repo = AggregatesRepository(unit.table)
    if fact.person_id is None:
        counted = contribution(fact, TENANT, {})
        unit.writes += repo.apply(counted, None, {})
        repo.raise_peaks(counted)
        return
    person, counted_cells = repo.context(fact.person_id, _halves(fact))
    if person is None:
        # Guarded: if the person arrives meanwhile, this fails and the retry counts the fact at once.
        unit.writes += [repo.person_unknown(fact.person_id), repo.park(fact, unit.envelope.id)]
        return
    counted = contribution(fact, person.unit_at(fact.at) or TENANT, counted_cells)
    unit.writes += repo.apply(counted, fact.person_id, counted_cells)
    repo.raise_peaks(counted)


def _count_parked(repo: AggregatesRepository, person: PersonRecord) -> None:
    """Facts that came before the person, counted now: each with the removal of its parked copy."""
    for sk, fact in repo.parked(person.person_id):
        _, counted_cells = repo.context(person.person_id, _halves(fact))
        counted = contribution(fact, person.unit_at(fact.at) or TENANT, counted_cells)
        try:
            repo.table.write([repo.unpark(person.person_id, sk), *repo.apply(counted, person.person_id, counted_cells)])
        except ConditionFailed as failure:
            if 0 not in failure.failed:  # 0: another delivery counted it already
                raise
        repo.raise_peaks(counted)


def on_person_upserted(unit: Unit) -> None:
    upserted = unit.envelope.payload(consumed.PersonUpserted)
    repo = AggregatesRepository(unit.table)
    before = repo.person(upserted.person_id)
    start = before or PersonRecord(person_id=upserted.person_id)
    after = start.placed(unit.envelope.time, upserted.unit_id).model_copy(update={"manager_id": upserted.manager_id})
    if after != before:
        # Written here, not with the marker: parked facts are counted against it right after.
        repo.table.write([repo.save_person(before, after), unit.table.tenant_entry()])
    _count_parked(repo, after if after != before else start)


def on_manager_changed(unit: Unit) -> None:
    changed = unit.envelope.payload(consumed.ManagerChanged)
    repo = AggregatesRepository(unit.table)
    before = repo.person(changed.person_id)
    if before is not None and before.manager_id != changed.manager_id:
        unit.writes.append(repo.save_person(before, before.model_copy(update={"manager_id": changed.manager_id})))


def on_person_left(unit: Unit) -> None:
    left = unit.envelope.payload(consumed.PersonLeft)
    repo = AggregatesRepository(unit.table)
    before = repo.person(left.person_id)
    if before is not None and before.left_on != left.left_on:
        unit.writes.append(repo.save_person(before, before.model_copy(update={"left_on": left.left_on})))


def on_unit_upserted(unit: Unit) -> None:
    upserted = unit.envelope.payload(consumed.UnitUpserted)
    repo = AggregatesRepository(unit.table)
    known = repo.tree().units.get(upserted.unit_id)
    if known is not None and known.as_of is not None and known.as_of > unit.envelope.time:
        return  # a later version is there already
    info = UnitInfo(**upserted.model_dump(), as_of=unit.envelope.time)
    unit.writes += [repo.save_unit(info), unit.table.tenant_entry()]


consumer = Consumer(
    {
        "PersonUpserted": on_person_upserted,
        "ManagerChanged": on_manager_changed,
        "PersonLeft": on_person_left,
        "UnitUpserted": on_unit_upserted,
        **dict.fromkeys(FACTS, on_fact),
    }
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.lambda_handler(event, context)
