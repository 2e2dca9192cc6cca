"""Imported indicator sources in a report: survey figures and key figures, beside the check-in pulse. Pure.

A unit's imported figure stands for the unit as a whole; a unit without one is the sum of the units
under it (respondents and favourable answers add up; rates are weighted by headcount). The same
suppression as every other figure applies, decided for the whole tenant: fewer than five respondents
(or, for a key figure, fewer than five people in the unit) hides a figure, and complementary
suppression hides whatever would give it away through a total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.reporting.domain.directory import UnitTree
from services.reporting.domain.imports import COUNT_FIGURES, RATE_FIGURES, Kind, StoredSet
from services.reporting.domain.metrics import TENANT, Label, indicator_label
from services.reporting.domain.models import Cell, Column, ColumnKind, Row, Table
from services.reporting.domain.suppression import Suppressed, suppress

if TYPE_CHECKING:
    from services.reporting.domain.report import ReportInputs

KEY_FIGURE_LABELS = {
    "sick_leave_rate": Label("Sjukfrånvaro (%)", "Sick leave (%)"),
    "staff_turnover": Label("Personalomsättning (%)", "Staff turnover (%)"),
    "headcount": Label("Antal anställda", "Headcount"),
}
SURVEY_COLUMN = Label("Enkät: {label} (%)", "Survey: {label} (%)")
VERSION = Label("{source}, version {version}", "{source}, version {version}")
SOURCES = Label(
    "{source}, version {version}: {units} enheter, {period} (inläst {day})",
    "{source}, version {version}: {units} units, {period} (imported {day})",
)


@dataclass(frozen=True)
class SurveyFigure:
    cell: Cell
    source: str | None = None


@dataclass(frozen=True)
class _Value:
    value: float | None
    people: int
    sources: tuple[str, ...]


class SurveyFigures:
    def __init__(self, by_period: Mapping[str, Sequence[StoredSet]] | None = None, language: str = "sv") -> None:
        self.language = language
        self.sets: dict[tuple[str, Kind, str], StoredSet] = {
            (s.period, s.kind, s.unit_id): s for sets in (by_period or {}).values() for s in sets
        }
        self._decided: dict[tuple[str, Kind, str], dict[str, tuple[_Value, Suppressed | None]]] = {}

    def indicators(self) -> set[str]:
        return {key for (_, kind, _), s in self.sets.items() if kind is Kind.SURVEY for key in s.figures}

    def key_figures(self, period: str) -> list[str]:
        found = {
            k for (p, kind, _), s in self.sets.items() if p == period and kind is Kind.KEY_FIGURE for k in s.figures
        }
        return [k for k in KEY_FIGURE_LABELS if k in found]

    def _own(self, period: str, kind: Kind, key: str, scope: str, tree: UnitTree) -> _Value | None:
        stored = self.sets.get((period, kind, scope))
        figure = stored.figures.get(key) if stored else None
        if stored is None or figure is None:
            return None
        source = (VERSION(self.language).format(source=stored.source, version=stored.version),)
        if kind is Kind.SURVEY:
            respondents = figure.respondents or 0
            share = round(100 * (figure.favourable or 0) / respondents, 1) if respondents else None
            return _Value(share, respondents, source)
        if key in COUNT_FIGURES:
            return _Value(figure.value, int(figure.value or 0), source)
        return _Value(figure.value, self._headcount(period, scope, tree), source)

    def _headcount(self, period: str, scope: str, tree: UnitTree) -> int:
        """A unit's people, for weighing a rate: its imported headcount, else the directory's."""
        stored = self.sets.get((period, Kind.KEY_FIGURE, scope))
        if stored and "headcount" in stored.figures and stored.figures["headcount"].value is not None:
            return int(stored.figures["headcount"].value)
        unit = tree.units.get(scope)
        if unit is not None and not tree.children(scope):
            return unit.permanent_employees or 0
        return sum(self._headcount(period, child, tree) for child in tree.children(scope))

    def _values(self, period: str, kind: Kind, key: str, tree: UnitTree) -> dict[str, _Value]:
        values: dict[str, _Value] = {}

        def value(scope: str) -> _Value:
            own = self._own(period, kind, key, scope, tree)
            parts = [value(child) for child in tree.children(scope)]
            if own is None:
                known = [p for p in parts if p.value is not None and p.people > 0]
                people = sum(p.people for p in known)
                if kind is Kind.SURVEY or key in RATE_FIGURES:
                    # survey shares and rates are means over people; counts add up
                    mean = sum((p.value or 0) * p.people for p in known) / people if people else None
                    own = _Value(round(mean, 1) if mean is not None else None, people, ())
                else:
                    total = sum(p.value or 0 for p in known)
                    own = _Value(total if known else None, people, ())
                own = _Value(own.value, own.people, tuple(dict.fromkeys(s for p in known for s in p.sources)))
            values[scope] = own
            return own

        value(TENANT)
        return values

    def cell(self, source: str, key: str, period: str, scope: str, tree: UnitTree) -> SurveyFigure:
        kind = Kind.SURVEY if source == "survey" else Kind.KEY_FIGURE
        decided = self._decide(period, kind, key, tree)
        if scope not in decided:
            return SurveyFigure(Cell())
        found, hidden = decided[scope]
        text = "; ".join(found.sources) or None
        if hidden:
            return SurveyFigure(Cell(suppressed=hidden), text)
        return SurveyFigure(Cell(value=found.value), text)

    def _decide(self, period: str, kind: Kind, key: str, tree: UnitTree) -> dict[str, tuple[_Value, Suppressed | None]]:
        marker = (period, kind, key)
        if marker not in self._decided:
            values = self._values(period, kind, key, tree)
            hidden = suppress(tree.sums(), {s: v.people for s, v in values.items() if v.value is not None})
            self._decided[marker] = {s: (v, hidden.get(s)) for s, v in values.items()}
        return self._decided[marker]

    def table(self, inputs: ReportInputs, keys: Sequence[str]) -> Table | None:
        surveyed = sorted(
            {
                k
                for (p, kind, _), s in self.sets.items()
                if p == inputs.period and kind is Kind.SURVEY
                for k in s.figures
            }
        )
        figures = self.key_figures(inputs.period)
        if not surveyed and not figures:
            return None
        language = inputs.language.value
        ordered = [k for k in keys if k in surveyed]
        columns = [
            Column(
                key=f"survey:{k}",
                label=SURVEY_COLUMN(language).format(label=indicator_label(k)(language)),
                kind=ColumnKind.PERCENT,
            )
            for k in ordered
        ] + [
            Column(
                key=f"key:{k}",
                label=KEY_FIGURE_LABELS[k](language),
                kind=ColumnKind.COUNT if k in COUNT_FIGURES else ColumnKind.PERCENT,
            )
            for k in figures
        ]
        rows = []
        for scope, depth in inputs.tree.walk(inputs.scope):
            cells = {f"survey:{k}": self.cell("survey", k, inputs.period, scope, inputs.tree).cell for k in ordered}
            cells |= {f"key:{k}": self.cell("key_figure", k, inputs.period, scope, inputs.tree).cell for k in figures}
            rows.append(Row(scope=scope, name=inputs.tree.name(scope, inputs.tenant_name), depth=depth, cells=cells))
        return Table(
            key="survey",
            title=Label("Medarbetarundersökning och nyckeltal", "Employee survey and key figures")(language),
            columns=columns,
            rows=rows,
            note=Label(
                "Andel positiva svar (4\u20135) i medarbetarundersökningen; en enhet utan egna siffror summeras från sina enheter.",
                "Favourable answers (4\u20135) in the employee survey; a unit without figures of its own sums its units.",
            )(language),
        )

    def sources(self, period: str | None = None) -> list[str]:
        used: dict[tuple[str, int, str], list[StoredSet]] = {}
        for (p, _, _), stored in sorted(self.sets.items()):
            if period is None or p == period:
                used.setdefault((stored.source, stored.version, p), []).append(stored)
        return [
            SOURCES(self.language).format(
                source=source,
                version=version,
                units=len({s.unit_id for s in sets}),
                period=p,
                day=sets[0].imported_at[:10],
            )
            for (source, version, p), sets in used.items()
        ]
