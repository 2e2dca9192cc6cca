"""How a fact moves the aggregates, and how a unit's figures roll up to every unit above it. Pure.

A fact is counted once, on its own scope: the unit the person was on at the time (the tenant `*`
for a person on no unit, and for what is tied to no person). Reports add each unit's figures into
every unit above it as the unit tree stands when they are made, so a unit that reaches reporting
after the events of its people (the bus keeps no order) still counts in its department.

Ratings are counted per half-year with their respondents: a person is one respondent of an
indicator on a unit and half-year however many times they rate it, so the consumer keeps, per
person and half-year, the cells (`scope|indicator`) they already count in. A person who moved units
within a half-year is a respondent of each, and so counts twice in a department above both: the
side that shows fewer figures, never more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.reporting.domain import metrics
from services.reporting.domain.directory import UnitTree
from services.reporting.domain.facts import Fact
from services.reporting.domain.metrics import TENANT
from services.reporting.domain.periods import ALL_TIME, half, periods_of

Cell = tuple[str, str]  # (period, scope)


@dataclass
class Contribution:
    adds: dict[Cell, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    # The distribution of ratings (d1..d5 per indicator), kept apart from the counters: a report
    # reads what it shows, and ratings that fill in with more events would make it read more.
    spreads: dict[Cell, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    peaks: dict[Cell, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    respondents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # half -> new cells

    def add(self, cell: Cell, attribute: str, value: int) -> None:
        counters = self.adds[cell]
        counters[attribute] = counters.get(attribute, 0) + value

    def spread(self, cell: Cell, attribute: str) -> None:
        counters = self.spreads[cell]
        counters[attribute] = counters.get(attribute, 0) + 1

    def peak(self, cell: Cell, gauge: str, value: int) -> None:
        gauges = self.peaks[cell]
        gauges[gauge] = max(gauges.get(gauge, value), value)


def respondent_cell(scope: str, indicator: str) -> str:
    return f"{scope}|{indicator}"


def contribution(fact: Fact, scope: str, counted: Mapping[str, set[str]]) -> Contribution:
    """What `fact` adds on `scope`; `counted`: the person's respondent cells per half-year so far."""
    result = Contribution()
    for day, added in fact.counts:
        for period in periods_of(day):
            for attribute, value in added.items():
                result.add((period, scope), attribute, value)
    for day, indicator, value in fact.ratings:
        period = half(day)
        cell = (period, scope)
        result.add(cell, metrics.rating(indicator, "n"), 1)
        result.add(cell, metrics.rating(indicator, "sum"), value)
        result.spread(cell, metrics.rating(indicator, f"d{value}"))
        if value >= metrics.FAVOURABLE_FROM:
            result.add(cell, metrics.rating(indicator, "fav"), 1)
        key = respondent_cell(scope, indicator)
        if key not in counted.get(period, set()) and key not in result.respondents[period]:
            result.respondents[period].add(key)
            result.add(cell, metrics.rating(indicator, "people"), 1)
    for attribute, value in fact.stocks.items():
        result.add((ALL_TIME, scope), attribute, value)
    for day, gauge, value in fact.peaks:
        for period in periods_of(day):
            result.peak((period, TENANT), gauge, value)
    result.respondents = {p: cells for p, cells in result.respondents.items() if cells}
    return result


def rolled_up(own: Mapping[str, Mapping[str, int]], tree: UnitTree) -> dict[str, dict[str, int]]:
    """Each scope's figures with those of every unit under it. A scope's figures that belong to no
    known unit (its unit has not reached reporting yet) count in the tenant's own."""
    totals: dict[str, dict[str, int]] = {}

    def total(scope: str) -> dict[str, int]:
        summed = dict(own.get(scope, {}))
        for child in tree.children(scope):
            for name, value in total(child).items():
                summed[name] = summed.get(name, 0) + value
        totals[scope] = summed
        return summed

    unplaced: dict[str, int] = {}
    for scope, counters in own.items():
        if scope != TENANT and scope not in tree.units:
            for name, value in counters.items():
                unplaced[name] = unplaced.get(name, 0) + value
    base = dict(own)
    if unplaced:
        base[TENANT] = {
            k: base.get(TENANT, {}).get(k, 0) + unplaced.get(k, 0) for k in {*base.get(TENANT, {}), *unplaced}
        }
    own = base
    total(TENANT)
    return totals
