"""Span of control: employees per manager against the tenant's guideline for the unit's area. Pure.

Gotland's guideline (seed 003, table 1) gives a base number of employees per manager per area, which
factors may move by up to an adjustment (±5-10). A unit above the base is flagged; above base plus
adjustment, flagged as over the limit. Headcounts come from the directory's units: organisational
figures, not people's answers, so they are not suppressed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.shared.errors import FieldProblem, Invalid

MAX_ROWS = 500
COLUMNS = ("guideline_area", "base_employees_per_manager", "adjustment_max")


class Guideline(BaseModel):
    model_config = ConfigDict(frozen=True)
    area: Annotated[str, Field(min_length=1, max_length=200)]
    base_employees_per_manager: Annotated[float, Field(gt=0, le=1000)]
    adjustment_max: Annotated[float, Field(ge=0, le=1000)] = 0

    @property
    def limit(self) -> float:
        return self.base_employees_per_manager + self.adjustment_max


class SpanFlag(StrEnum):
    WITHIN = "within"
    ABOVE_BASE = "above_base"
    ABOVE_LIMIT = "above_limit"


@dataclass(frozen=True)
class Span:
    employees: int
    managers: int

    @property
    def per_manager(self) -> float | None:
        return round(self.employees / self.managers, 2) if self.managers else None

    def flag(self, guideline: Guideline | None) -> SpanFlag | None:
        ratio = self.per_manager
        if guideline is None or ratio is None:
            return None
        if ratio > guideline.limit:
            return SpanFlag.ABOVE_LIMIT
        return SpanFlag.ABOVE_BASE if ratio > guideline.base_employees_per_manager else SpanFlag.WITHIN


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str


def parse_guidelines(text: str) -> tuple[list[Guideline], list[Rejection]]:
    """Gotland's guideline file (guideline_area, base_employees_per_manager, adjustment_max); a row that
    does not hold is rejected by its line number, the others are taken."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid("The file lacks columns.", [FieldProblem("body", f"missing column {c}") for c in missing])
    accepted: dict[str, Guideline] = {}
    rejected: list[Rejection] = []
    for row in reader:
        if reader.line_num - 1 > MAX_ROWS:
            raise Invalid(f"At most {MAX_ROWS} rows at a time.", [FieldProblem("body", f"more than {MAX_ROWS} rows")])
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            guideline = Guideline(
                area=values.get("guideline_area", ""),
                base_employees_per_manager=values.get("base_employees_per_manager") or None,
                adjustment_max=values.get("adjustment_max") or 0,
            )
        except ValidationError as error:
            first = error.errors()[0]
            field = {"area": "guideline_area"}.get(str(first["loc"][0]), str(first["loc"][0]))
            rejected.append(Rejection(reader.line_num, field, first["msg"]))
            continue
        if guideline.area in accepted:
            rejected.append(Rejection(reader.line_num, "guideline_area", "appears on an earlier line"))
            continue
        accepted[guideline.area] = guideline
    return list(accepted.values()), rejected
