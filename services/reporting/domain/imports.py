"""Imported indicator sources: employee-survey results and key figures per unit and half-year. Pure.

One row is one figure of one unit (or `*`, the whole organisation) in one half-year:
- kind `survey`: a question, mapped by the tenant to an indicator key (the keys check-in ratings
  use), with either the distribution of answers (d1..d5, respondents being their sum) or the
  favourable share (percent) and the respondent count;
- kind `key_figure`: sick_leave_rate or staff_turnover (percent), or headcount, with its value.
CSV (a header row, then rows) or JSON (`{"rows": [{...}]}`). Each row is validated alone: a rejected
row is named by its line (CSV) or position (JSON, from 1) with the reason, and the others are taken.
The figures of a unit, half-year and kind replace the earlier ones as a set, when they differ.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from services.reporting.domain.periods import HALF_PATTERN
from services.shared.errors import FieldProblem, Invalid

MAX_ROWS = 5000
RATE_FIGURES = {"sick_leave_rate", "staff_turnover"}  # percent, weighted by headcount when summed
COUNT_FIGURES = {"headcount"}
KEY_FIGURES = RATE_FIGURES | COUNT_FIGURES
INDICATOR_KEY = re.compile(r"^[a-z0-9_]{1,64}$")


class Kind(StrEnum):
    SURVEY = "survey"
    KEY_FIGURE = "key_figure"


Count = Annotated[int, Field(ge=0, le=1_000_000)]


class ImportRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    unit_id: Annotated[str, Field(pattern=r"^(\*|[A-Za-z0-9_-]{1,64})$")]
    period: Annotated[str, Field(pattern=HALF_PATTERN)]
    kind: Kind
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="a survey question, or a key figure")]
    respondents: Count | None = None
    favourable_share: Annotated[float, Field(ge=0, le=100)] | None = None
    d1: Count | None = None
    d2: Count | None = None
    d3: Count | None = None
    d4: Count | None = None
    d5: Count | None = None
    value: Annotated[float, Field(ge=0, le=1_000_000)] | None = None

    @property
    def distribution(self) -> list[int | None]:
        return [self.d1, self.d2, self.d3, self.d4, self.d5]

    @model_validator(mode="after")
    def _complete(self) -> ImportRow:
        if self.kind is Kind.KEY_FIGURE:
            if self.key not in KEY_FIGURES:
                raise ValueError(f"key: a key figure is one of {', '.join(sorted(KEY_FIGURES))}")
            if self.value is None:
                raise ValueError("value: a key figure needs its value")
            if self.key in RATE_FIGURES and self.value > 100:
                raise ValueError("value: a rate is a percentage, 0-100")
            return self
        given = [d for d in self.distribution if d is not None]
        if given and len(given) != 5:
            raise ValueError("d1: a distribution gives all of d1..d5")
        if given:
            if self.respondents is not None and self.respondents != sum(given):
                raise ValueError("respondents: not the sum of d1..d5")
            return self
        if self.favourable_share is None or self.respondents is None:
            raise ValueError("favourable_share: give d1..d5, or favourable_share with respondents")
        return self


class Figure(BaseModel):
    """One imported figure, as stored: survey (respondents, favourable) or key figure (value)."""

    model_config = ConfigDict(frozen=True)
    respondents: int | None = None
    favourable: int | None = None  # respondents answering 4 or 5
    value: float | None = None


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str


class StoredSet(BaseModel):
    """A unit's figures of one kind and half-year as stored, with where they came from."""

    model_config = ConfigDict(frozen=True)
    period: str
    unit_id: str
    kind: Kind
    figures: dict[str, Figure]
    digest: str
    version: int
    source: str
    import_id: str
    imported_at: str


@dataclass(frozen=True)
class FigureSet:
    """A unit's figures of one kind in one half-year: what a correction replaces as a whole."""

    period: str
    unit_id: str
    kind: Kind
    figures: dict[str, Figure]  # indicator or key figure -> figure

    @property
    def digest(self) -> str:
        canonical = json.dumps({k: f.model_dump() for k, f in sorted(self.figures.items())}, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _figure(row: ImportRow) -> Figure:
    if row.kind is Kind.KEY_FIGURE:
        return Figure(value=row.value)
    if row.d1 is not None:
        counts = [d or 0 for d in row.distribution]
        return Figure(respondents=sum(counts), favourable=counts[3] + counts[4])
    assert row.respondents is not None and row.favourable_share is not None
    return Figure(respondents=row.respondents, favourable=round(row.respondents * row.favourable_share / 100))


def _problem(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if not first["loc"] and ": " in message:
        field, _, reason = message.partition(": ")
        return field, reason
    return ".".join(str(p) for p in first["loc"]) or "row", message


def csv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise Invalid("The file has no header row.", [FieldProblem("body", "no header row")])
    rows = [
        (reader.line_num, {k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()}) for row in reader
    ]
    if len(rows) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS} rows at a time.", [FieldProblem("body", f"more than {MAX_ROWS} rows")])
    return rows


def json_rows(document: Any) -> list[tuple[int, dict[str, Any]]]:
    rows = document.get("rows") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise Invalid('Send {"rows": [...]}.', [FieldProblem("body.rows", "a list of rows is required")])
    if len(rows) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS} rows at a time.", [FieldProblem("body.rows", f"more than {MAX_ROWS} rows")])
    return [(n, row if isinstance(row, dict) else {"row": row}) for n, row in enumerate(rows, start=1)]


def parse(
    rows: list[tuple[int, dict[str, Any]]], questions: Mapping[str, str], units: Collection[str]
) -> tuple[list[FigureSet], list[Rejection]]:
    """Validated figures, grouped per unit, half-year and kind; and the rows rejected, with why.
    `questions`: the tenant's survey questions and their indicator keys (a key is its own question);
    `units`: the units the directory knows (`*` is the whole organisation)."""
    grouped: dict[tuple[str, str, Kind], dict[str, Figure]] = defaultdict(dict)
    seen: dict[tuple[str, str, Kind, str], int] = {}
    rejected: list[Rejection] = []
    for line, values in rows:
        try:
            row = ImportRow.model_validate(values)
        except ValidationError as error:
            rejected.append(Rejection(line, *_problem(error)))
            continue
        if row.unit_id != "*" and row.unit_id not in units:
            rejected.append(Rejection(line, "unit_id", f"no unit {row.unit_id} in the directory"))
            continue
        key = row.key
        if row.kind is Kind.SURVEY:
            # a file may speak in indicator keys already; any other question needs the tenant's mapping
            indicator = questions.get(row.key) or (row.key if INDICATOR_KEY.match(row.key) else None)
            if indicator is None:
                rejected.append(Rejection(line, "key", f"question {row.key} is not mapped to an indicator"))
                continue
            key = indicator
        identity = (row.period, row.unit_id, row.kind, key)
        if identity in seen:
            rejected.append(Rejection(line, "key", f"the same figure as line {seen[identity]}"))
            continue
        seen[identity] = line
        grouped[(row.period, row.unit_id, row.kind)][key] = _figure(row)
    sets = [FigureSet(period=p, unit_id=u, kind=k, figures=f) for (p, u, k), f in sorted(grouped.items())]
    return sets, rejected
