"""Directory imports from CSV: each row becomes a unit or a person, or a rejection naming its line.

Units: either the generic columns (unit_id, name, kind, parent_id, permanent_employees,
full_time_equivalents, average_age, managers, guideline_area) or Region Gotland's export
(unit_code, unit_name, department_code, department_name, …), whose departments become units too.
People: person_id, name, email, mobile, language, unit_id, manager_id, roles (separated by ';'),
employment_start (YYYY-MM-DD).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from services.enrolment.domain.models import Person, Unit
from services.shared.errors import DomainError, FieldProblem, Invalid

MAX_ROWS = 5000
GOTLAND_COLUMNS = {"unit_code", "unit_name", "department_code", "department_name"}


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        if not reader.fieldnames:
            raise Invalid("The file has no header row.", [FieldProblem("body", "no header row")])
        rows = [(reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except csv.Error as error:  # a cell past the csv module's limit, a stray quote or line break
        line = reader.line_num + 1  # the line it was reading when it gave up
        raise Invalid(
            f"The file cannot be read as CSV at line {line}.", [FieldProblem("body", f"line {line}: {error}")]
        ) from error
    if len(rows) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS} rows at a time.", [FieldProblem("body", f"more than {MAX_ROWS} rows")])
    return rows


def _blank_to_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v != ""}


def _parse(model: type[Unit] | type[Person], line: int, values: dict[str, Any]) -> Unit | Person | Rejection:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        return Rejection(line, ".".join(str(p) for p in first["loc"]) or "row", first["msg"])
    except DomainError as error:
        problem = error.fields[0] if error.fields else FieldProblem("row", error.message)
        return Rejection(line, problem.field, problem.reason)


def units(text: str) -> tuple[list[Unit], list[Rejection]]:
    rows = _rows(text)
    gotland = bool(rows) and set(rows[0][1]) >= GOTLAND_COLUMNS
    parsed: list[Unit | Person | Rejection] = []
    departments: dict[str, Unit | Person | Rejection] = {}
    for line, row in rows:
        if not gotland:
            parsed.append(_parse(Unit, line, _blank_to_none(row)))
            continue
        department = row.get("department_code", "")
        if department and department != row.get("unit_code") and department not in departments:
            departments[department] = _parse(
                Unit, line, {"unit_id": department, "name": row.get("department_name"), "kind": "department"}
            )
        values = {
            "unit_id": row.get("unit_code"),
            "name": row.get("unit_name"),
            "kind": "unit",
            "parent_id": department or None,
            "permanent_employees": row.get("permanent_employees"),
            "full_time_equivalents": row.get("full_time_equivalents"),
            "average_age": row.get("average_age"),
            "managers": row.get("managers"),
            "guideline_area": row.get("guideline_area"),
        }
        parsed.append(_parse(Unit, line, _blank_to_none(values)))
    everything = [*departments.values(), *parsed]
    return [u for u in everything if isinstance(u, Unit)], [r for r in everything if isinstance(r, Rejection)]


def people(text: str) -> tuple[list[Person], list[Rejection]]:
    accepted: list[Person] = []
    rejected: list[Rejection] = []
    for line, row in _rows(text):
        values = _blank_to_none(row)
        if "roles" in values:
            values["roles"] = [r.strip() for r in values["roles"].split(";") if r.strip()]
        result = _parse(Person, line, values)
        if isinstance(result, Person):
            accepted.append(result)
        elif isinstance(result, Rejection):
            rejected.append(result)
    return accepted, rejected
