"""How a fact moves the aggregates of every scope it is counted in. Pure.

Ratings are counted per half-year with their respondents: a person is one respondent of an
indicator in a scope and half-year however many times they rate it, so the consumer keeps, per
person and half-year, the cells (`scope|indicator`) they already count in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from services.reporting.domain import metrics
from services.reporting.domain.facts import Fact
from services.reporting.domain.metrics import TENANT
from services.reporting.domain.periods import ALL_TIME, half, periods_of

Cell = tuple[str, str]  # (period, scope)


@dataclass
class Contribution:
    adds: dict[Cell, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    peaks: dict[Cell, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    respondents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # half -> new cells

    def add(self, cell: Cell, attribute: str, value: int) -> None:
        counters = self.adds[cell]
        counters[attribute] = counters.get(attribute, 0) + value

    def peak(self, cell: Cell, gauge: str, value: int) -> None:
        gauges = self.peaks[cell]
        gauges[gauge] = max(gauges.get(gauge, value), value)


def respondent_cell(scope: str, indicator: str) -> str:
    return f"{scope}|{indicator}"


def contribution(fact: Fact, scopes: Sequence[str], counted: Mapping[str, set[str]]) -> Contribution:
    """What `fact` adds in each of `scopes`; `counted`: the person's respondent cells per half-year so far."""
    result = Contribution()
    for day, added in fact.counts:
        for period in periods_of(day):
            for scope in scopes:
                for attribute, value in added.items():
                    result.add((period, scope), attribute, value)
    for day, indicator, value in fact.ratings:
        period = half(day)
        for scope in scopes:
            cell = (period, scope)
            result.add(cell, metrics.rating(indicator, "n"), 1)
            result.add(cell, metrics.rating(indicator, "sum"), value)
            result.add(cell, metrics.rating(indicator, f"d{value}"), 1)
            if value >= metrics.FAVOURABLE_FROM:
                result.add(cell, metrics.rating(indicator, "fav"), 1)
            key = respondent_cell(scope, indicator)
            if key not in counted.get(period, set()) and key not in result.respondents[period]:
                result.respondents[period].add(key)
                result.add(cell, metrics.rating(indicator, "people"), 1)
    for attribute, value in fact.stocks.items():
        for scope in scopes:
            result.add((ALL_TIME, scope), attribute, value)
    for day, gauge, value in fact.peaks:
        for period in periods_of(day):
            result.peak((period, TENANT), gauge, value)
    result.respondents = {p: cells for p, cells in result.respondents.items() if cells}
    return result
