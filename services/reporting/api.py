"""Reporting's HTTP entry: aggregated reports for the board; never an individual.

Board viewers, coordinators and admins of a tenant read its reports; coordinators and admins set
goals and guidelines and publish. Rendering (HTML with charts, CSV, Excel) is imported only by the
request that asks for it: its libraries cost a cold start nothing otherwise.
"""

from __future__ import annotations

import base64
import json
from enum import StrEnum
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field

from services.reporting import reports
from services.reporting.adapters.repository import ReportingRepository
from services.reporting.domain import imports
from services.reporting.domain.goals import Goal, GoalIn
from services.reporting.domain.imports import StoredSet
from services.reporting.domain.metrics import TENANT
from services.reporting.domain.models import (
    PERIOD_PATTERN,
    BoardReport,
    Language,
    PeriodFigures,
    PublishedVersion,
    Summary,
)
from services.reporting.domain.periods import previous_half
from services.reporting.domain.span import Guideline, parse_guidelines
from services.shared.errors import FieldProblem, Invalid, NotFound
from services.shared.http import BODY_MEDIA_TYPE, CSV, JSON, Api
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import ConditionFailed, TenantTable
from services.shared.timezones import half_year, now

api = Api("reporting")
app = api.app

ANY_PERIOD = r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4]|H[12])$"
READERS = (Role.BOARD, Role.COORDINATOR, Role.ADMIN)
EDITORS = (Role.COORDINATOR, Role.ADMIN)

PeriodQuery = Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="e.g. 2026-H1; default: the last ended")]
UnitQuery = Annotated[
    str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="a department or unit; default: everything")
]
LanguageQuery = Annotated[Language, Query(description="sv (default) or en")]
IndicatorPath = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,64}$")]
ScopePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="a unit id, or `all`")]
PeriodPath = Annotated[str, Path(pattern=PERIOD_PATTERN)]
VersionPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,1024}$")]


class Format(StrEnum):
    JSON = "json"
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"


FormatQuery = Annotated[Format, Query(description="json (default), html (with charts, printable), csv or xlsx")]
TableQuery = Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$", description="csv: one table (default: all)")]


def _repository(identity: Identity) -> ReportingRepository:
    return ReportingRepository(TenantTable(settings().table_name, identity.tenant_id))


def _reader() -> Identity:
    identity = api.identity()
    identity.require(*READERS)
    return identity


def _editor() -> Identity:
    identity = api.identity()
    identity.require(*EDITORS)
    return identity


def _scope(unit_id: str | None) -> str:
    return unit_id or TENANT


def _last_ended() -> str:
    return previous_half(half_year(now()))


REPORT_RESPONSES: dict[int, Any] = {
    200: {
        "description": "The report, as JSON, HTML, CSV or an Excel workbook",
        "content": {
            "application/json": {"model": BoardReport},
            "text/html": {},
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        },
    }
}


def _formatted(report: BoardReport, format: Format, table: str | None) -> Response[str]:
    if format is Format.JSON:
        return Response(200, "application/json", report.model_dump_json())
    from services.reporting.render import exports, html  # only what asks for it pays for jinja2, pygal, xlsxwriter

    name = f"ledarlyft-{report.period}-{'all' if report.scope == TENANT else report.scope}-{report.language.value}"
    if format is Format.HTML:
        return Response(200, "text/html; charset=utf-8", html.render(report))
    if format is Format.CSV:
        if table is not None and table not in exports.table_keys(report):
            raise Invalid("No such table in this report.", [FieldProblem("query.table", "unknown table")])
        headers = {"Content-Disposition": f'attachment; filename="{name}{"-" + table if table else ""}.csv"'}
        return Response(200, "text/csv; charset=utf-8", exports.csv_text(report, table), headers=headers)
    headers = {"Content-Disposition": f'attachment; filename="{name}.xlsx"'}
    # Encoded here: the resolver's response validation would try to read the bytes as UTF-8 text.
    workbook = Response(200, exports.XLSX_TYPE, base64.b64encode(exports.xlsx_bytes(report)).decode(), headers=headers)
    workbook.base64_encoded = True
    return workbook


@app.get("/reports/summary", tags=["reports"], summary="Counts for a half-year: registrations and check-ins")
def get_summary(
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="e.g. 2026-H2; default: now")] = None,
) -> Summary:
    identity = _reader()
    return reports.half_year_summary(_repository(identity), period or half_year(now()))


@app.get(
    "/reports/board",
    tags=["reports"],
    summary="The half-year board report: goals, indicators, programmes, check-ins, span of control",
    responses=REPORT_RESPONSES,
)
def get_board_report(
    period: PeriodQuery = None,
    unit_id: UnitQuery = None,
    lang: LanguageQuery = Language.SV,
    format: FormatQuery = Format.JSON,
    table: TableQuery = None,
) -> Response[str]:
    identity = _reader()
    report = reports.build(_repository(identity), period or _last_ended(), _scope(unit_id), lang, now())
    return _formatted(report, format, table)


@app.get(
    "/reports/figures",
    tags=["reports"],
    summary="Programme and check-in figures of a month, quarter or half-year, per unit, suppressed as in reports",
)
def get_figures(
    period: Annotated[str, Query(pattern=ANY_PERIOD, description="2026-03, 2026-Q1 or 2026-H1")],
    unit_id: UnitQuery = None,
    lang: LanguageQuery = Language.SV,
) -> PeriodFigures:
    identity = _reader()
    return reports.figures(_repository(identity), period, _scope(unit_id), lang, now())


class PublishRequest(BaseModel):
    period: Annotated[str, Field(pattern=PERIOD_PATTERN)]
    unit_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None


@app.post(
    "/reports/published", tags=["reports"], summary="Publish a board report now: a new version that never changes"
)
def post_published(request: PublishRequest) -> tuple[PublishedVersion, int]:
    identity = _editor()
    version = reports.publish(
        _repository(identity), request.period, _scope(request.unit_id), api.event_context(identity), now()
    )
    return version, 201


@app.get(
    "/reports/published", tags=["reports"], summary="Every published version of a half-year's report, newest first"
)
def list_published(period: PeriodQuery = None, unit_id: UnitQuery = None) -> list[PublishedVersion]:
    identity = _reader()
    return _repository(identity).versions(period or _last_ended(), _scope(unit_id))


@app.get(
    "/reports/published/<period>/<scope>/<version_id>",
    tags=["reports"],
    summary="One published version, exactly as it was published",
    responses=REPORT_RESPONSES,
)
def get_published(
    period: PeriodPath,
    scope: ScopePath,
    version_id: VersionPath,
    lang: LanguageQuery = Language.SV,
    format: FormatQuery = Format.JSON,
    table: TableQuery = None,
) -> Response[str]:
    identity = _reader()
    stored = reports.published_report(
        _repository(identity), period, TENANT if scope == "all" else scope, version_id, lang
    )
    return _formatted(stored, format, table)


@app.get("/reports/goals", tags=["goals"], summary="The tenant's goals per indicator")
def list_goals() -> list[Goal]:
    identity = _reader()
    return sorted(_repository(identity).goals(), key=lambda g: g.indicator)


@app.put(
    "/reports/goals/<indicator>", tags=["goals"], summary="Set a goal: baseline, target, their periods, the source"
)
def put_goal(indicator: IndicatorPath, goal: GoalIn) -> Goal:
    identity = _editor()
    stored = Goal(indicator=indicator, **goal.model_dump())
    repo = _repository(identity)
    repo.table.write([repo.save_goal(stored)])
    return stored


@app.delete("/reports/goals/<indicator>", tags=["goals"], summary="Remove a goal")
def delete_goal(indicator: IndicatorPath) -> Response[str]:
    identity = _editor()
    repo = _repository(identity)
    try:
        repo.table.write([repo.delete_goal(indicator)])
    except ConditionFailed as missing:
        raise NotFound("No goal for that indicator.", [FieldProblem("path.indicator", "no goal")]) from missing
    return Response(204, "application/json", "")


class RejectedRow(BaseModel):
    line: int
    field: str
    reason: str


class GuidelineImport(BaseModel):
    accepted: int
    rejected: list[RejectedRow]


@app.post(
    "/reports/span-guidelines",
    tags=["span of control"],
    summary="Import the span-of-control guideline per area (text/csv); rejected rows are named by line",
    openapi_extensions={BODY_MEDIA_TYPE: CSV},
)
def import_guidelines() -> GuidelineImport:
    identity = _editor()
    guidelines, rejected = parse_guidelines(app.current_event.decoded_body or "")
    repo = _repository(identity)
    if guidelines:
        repo.table.write([repo.save_guidelines(guidelines)])
    return GuidelineImport(accepted=len(guidelines), rejected=[RejectedRow(**r.__dict__) for r in rejected])


SourceQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="what the figures are, e.g. Medarbetarundersökning 2026"),
]


@app.post(
    "/reports/imports",
    tags=["survey and key figures"],
    summary="Import survey results and key figures per unit and half-year (text/csv or JSON); rejected rows named",
    openapi_extensions={BODY_MEDIA_TYPE: [CSV, JSON]},
)
def import_figures(source: SourceQuery = None) -> reports.ImportResult:
    identity = _editor()
    event = app.current_event
    body = event.decoded_body or ""
    if not body.strip():
        raise Invalid("Send the figures as CSV or JSON.", [FieldProblem("body", "is empty")])
    if (event.headers or {}).get("content-type") == JSON:  # the boundary has made any JSON type plain
        document = json.loads(body)
        rows = imports.json_rows(document)
        source = source or document.get("source")
    else:
        rows = imports.csv_rows(body)
    if not source or not isinstance(source, str) or len(source) > 200:
        raise Invalid("Name the source of the figures.", [FieldProblem("query.source", "required, 1-200 characters")])
    return reports.import_figures(_repository(identity), rows, source, api.event_context(identity), now())


@app.get(
    "/reports/imports",
    tags=["survey and key figures"],
    summary="A half-year's imported figures per unit, with source and version",
)
def list_imports(period: PeriodQuery = None) -> list[StoredSet]:
    identity = _reader()
    return _repository(identity).imported(period or _last_ended())


class Questions(BaseModel):
    questions: dict[
        Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")], Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]
    ] = Field(
        description="survey question -> indicator key (leadership, stress, recovery, competence_development, ...)",
        max_length=200,
    )


@app.put("/reports/survey-questions", tags=["survey and key figures"], summary="Map survey questions to indicator keys")
def put_questions(mapping: Questions) -> Questions:
    identity = _editor()
    repo = _repository(identity)
    if mapping.questions:
        repo.table.write([repo.save_questions(mapping.questions)])
    return Questions(questions=repo.questions())


@app.get("/reports/survey-questions", tags=["survey and key figures"], summary="The survey questions' indicator keys")
def get_questions() -> Questions:
    return Questions(questions=_repository(_reader()).questions())


@app.get("/reports/span-guidelines", tags=["span of control"], summary="The guideline per area")
def list_guidelines() -> list[Guideline]:
    identity = _reader()
    return sorted(_repository(identity).guidelines().values(), key=lambda g: g.area)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
