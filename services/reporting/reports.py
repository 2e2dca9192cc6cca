"""Reporting's use cases: a board report from the aggregates, publishing it for good, goals and guidelines."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from services.reporting.adapters import archive
from services.reporting.adapters.repository import ReportingRepository
from services.reporting.contracts.events import KeyFiguresImported, ReportPublished, SurveyResultsImported
from services.reporting.domain import imports, metrics
from services.reporting.domain.aggregation import rolled_up
from services.reporting.domain.metrics import TENANT, Label
from services.reporting.domain.models import BoardReport, Language, PeriodFigures, PublishedVersion, Summary, summary
from services.reporting.domain.periods import ALL_TIME, months_of, previous_half
from services.reporting.domain.report import TREND_COUNTERS, ReportInputs, board_report, period_tables
from services.reporting.domain.surveys import SurveyFigures
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import Conflict, FieldProblem, NotFound
from services.shared.store import ConditionFailed

WHOLE_ORGANISATION = Label("Hela organisationen", "Whole organisation")


class RejectedRow(BaseModel):
    line: int = Field(description="the CSV line, or the JSON row's position from 1")
    field: str
    reason: str


class ImportResult(BaseModel):
    import_id: str
    source: str
    accepted: int = Field(description="rows taken")
    changed: int = Field(description="unit half-years new or replaced: each a new version")
    unchanged: int = Field(
        description="unit half-years identical to what was there: an import run twice changes nothing"
    )
    rejected: list[RejectedRow]


TRANSACTION_SETS = 40  # two writes a set, and up to two events: within one transaction's 100 items


def import_figures(
    repo: ReportingRepository, rows: list[tuple[int, dict[str, Any]]], source: str, context: EventContext, now: datetime
) -> ImportResult:
    """Survey results and key figures, row by row; each unit half-year replaced as a set when it differs."""
    sets, rejected = imports.parse(rows, repo.questions(), repo.tree().units)
    current = repo.imported_sets([(s.period, s.kind, s.unit_id) for s in sets])
    import_id = uuid.uuid4().hex
    changed: list[tuple[imports.StoredSet | None, imports.StoredSet]] = []
    for figure_set in sets:
        before = current.get((figure_set.period, figure_set.kind, figure_set.unit_id))
        if before is not None and before.digest == figure_set.digest:
            continue
        after = imports.StoredSet(
            period=figure_set.period,
            unit_id=figure_set.unit_id,
            kind=figure_set.kind,
            figures=figure_set.figures,
            digest=figure_set.digest,
            version=(before.version if before else 0) + 1,
            source=source,
            import_id=import_id,
            imported_at=now.isoformat(),
        )
        changed.append((before, after))
    events = [
        EventEnvelope.wrap(
            event(
                import_id=import_id,
                source=source,
                periods=sorted({a.period for _, a in changed if a.kind is kind}),
                units=len({a.unit_id for _, a in changed if a.kind is kind}),
                changed=sum(1 for _, a in changed if a.kind is kind),
                unchanged=sum(1 for s in sets if s.kind is kind) - sum(1 for _, a in changed if a.kind is kind),
                rejected=len(rejected),
            ),
            context,
        )
        for kind, event in ((imports.Kind.SURVEY, SurveyResultsImported), (imports.Kind.KEY_FIGURE, KeyFiguresImported))
        if any(a.kind is kind for _, a in changed)
    ]
    # Committed in chunks; the events with the last. Run again after a failure part-way, an import
    # finds what it wrote unchanged and writes the rest.
    for start in range(0, max(len(changed), 1), TRANSACTION_SETS):
        chunk = changed[start : start + TRANSACTION_SETS]
        last = start + TRANSACTION_SETS >= len(changed)
        writes = [w for before, after in chunk for w in repo.save_imported(before, after)]
        if writes or (last and events):
            try:
                repo.table.write(writes, events if last else [])
            except ConditionFailed as raced:
                raise Conflict("Another import changed these figures meanwhile; import the file again.") from raced
    return ImportResult(
        import_id=import_id,
        source=source,
        accepted=sum(len(s.figures) for s in sets),
        changed=len(changed),
        unchanged=len(sets) - len(changed),
        rejected=[
            RejectedRow(line=r.line, field=r.field, reason=r.reason) for r in sorted(rejected, key=lambda r: r.line)
        ],
    )


def build(repo: ReportingRepository, period: str, scope: str, language: Language, now: datetime) -> BoardReport:
    """The board report of a half-year for the tenant (`*`) or a unit and everything under it."""
    tree = repo.tree()
    if scope != TENANT and scope not in tree.units:
        raise NotFound("No such unit.", [FieldProblem("query.unit_id", "unknown unit")])
    goals = repo.goals()
    halves = {period, previous_half(period)} | {g.baseline_period for g in goals}
    by_period = {p: repo.aggregates(p) for p in sorted({*halves, ALL_TIME})}
    by_period |= {month: repo.aggregates(month, TREND_COUNTERS) for month in months_of(period)}
    return board_report(
        ReportInputs(
            tenant_id=repo.table.tenant_id,
            tenant_name=WHOLE_ORGANISATION(language.value),
            period=period,
            scope=scope,
            language=language,
            generated_at=now,
            tree=tree,
            by_period=by_period,
            goals=goals,
            guidelines=repo.guidelines(),
            surveys=SurveyFigures({h: repo.imported(h) for h in sorted(halves)}, language.value),
        )
    )


def figures(repo: ReportingRepository, period: str, scope: str, language: Language, now: datetime) -> PeriodFigures:
    tree = repo.tree()
    if scope != TENANT and scope not in tree.units:
        raise NotFound("No such unit.", [FieldProblem("query.unit_id", "unknown unit")])
    inputs = ReportInputs(
        tenant_id=repo.table.tenant_id,
        tenant_name=WHOLE_ORGANISATION(language.value),
        period=period,
        scope=scope,
        language=language,
        generated_at=now,
        tree=tree,
        by_period={period: repo.aggregates(period)},
    )
    return PeriodFigures(period=period, scope=scope, tables=period_tables(inputs))


def half_year_summary(repo: ReportingRepository, period: str) -> Summary:
    counters = rolled_up(repo.aggregates(period), repo.tree()).get(TENANT, {})
    return summary(
        period,
        registrations=counters.get("registrations_confirmed", 0),
        checkins=counters.get("checkins_completed", 0),
        pulse_sum=counters.get(metrics.rating("pulse", "sum"), 0),
        pulse_n=counters.get(metrics.rating("pulse", "n"), 0),
        people=counters.get(metrics.rating("pulse", "people"), 0),
    )


def publish(
    repo: ReportingRepository, period: str, scope: str, context: EventContext, now: datetime
) -> PublishedVersion:
    """Store the report as it stands now, in both languages, as a new version that never changes."""
    reports = {language.value: build(repo, period, scope, language, now) for language in Language}
    body = json.dumps({k: r.model_dump(mode="json") for k, r in reports.items()}, ensure_ascii=False, sort_keys=True)
    key = archive.report_key(repo.table.tenant_id, period, scope)
    version_id = archive.put(key, body.encode("utf-8"))
    version = PublishedVersion(
        period=period, scope=scope, version_id=version_id, key=key, published_at=now, published_by=context.actor
    )
    event = ReportPublished(period=period, scope=scope, version_id=version_id, key=key, published_at=now)
    repo.table.write([repo.published(version)], [EventEnvelope.wrap(event, context)])
    return version


def published_report(
    repo: ReportingRepository, period: str, scope: str, version_id: str, language: Language
) -> BoardReport:
    """One published version, as it was published: read from S3, never rebuilt."""
    version = next((v for v in repo.versions(period, scope) if v.version_id == version_id), None)
    if version is None:
        raise NotFound("No such published report.", [FieldProblem("path.version_id", "unknown version")])
    stored = json.loads(archive.get(version.key, version.version_id))
    return BoardReport.model_validate(stored[language.value])
