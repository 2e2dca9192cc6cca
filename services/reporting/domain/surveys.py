"""Imported indicator sources: the employee survey and key figures. Pure.

(Filled in by the survey import; until a tenant imports any, a report has none.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.reporting.domain.directory import UnitTree
from services.reporting.domain.models import Cell, Table

if TYPE_CHECKING:
    from services.reporting.domain.report import ReportInputs


@dataclass(frozen=True)
class SurveyFigure:
    cell: Cell
    source: str | None = None


class SurveyFigures:
    def indicators(self) -> set[str]:
        return set()

    def cell(self, source: str, indicator: str, period: str, scope: str, tree: UnitTree) -> SurveyFigure:
        return SurveyFigure(Cell())

    def table(self, inputs: ReportInputs, keys: list[str]) -> Table | None:
        return None

    def sources(self) -> list[str]:
        return []
