"""Reporting's use cases: a board report from the aggregates, publishing it for good, goals and guidelines."""

from __future__ import annotations

import json
from datetime import datetime

from services.reporting.adapters import archive
from services.reporting.adapters.repository import ReportingRepository
from services.reporting.contracts.events import ReportPublished
from services.reporting.domain import metrics
from services.reporting.domain.aggregation import rolled_up
from services.reporting.domain.metrics import TENANT, Label
from services.reporting.domain.models import BoardReport, Language, PeriodFigures, PublishedVersion, Summary, summary
from services.reporting.domain.periods import ALL_TIME, months_of, previous_half
from services.reporting.domain.report import ReportInputs, board_report, period_tables
from services.reporting.domain.surveys import SurveyFigures
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, NotFound

WHOLE_ORGANISATION = Label("Hela organisationen", "Whole organisation")


def build(repo: ReportingRepository, period: str, scope: str, language: Language, now: datetime) -> BoardReport:
    """The board report of a half-year for the tenant (`*`) or a unit and everything under it."""
    tree = repo.tree()
    if scope != TENANT and scope not in tree.units:
        raise NotFound("No such unit.", [FieldProblem("query.unit_id", "unknown unit")])
    goals = repo.goals()
    periods = {period, previous_half(period), ALL_TIME, *months_of(period)} | {g.baseline_period for g in goals}
    return board_report(
        ReportInputs(
            tenant_id=repo.table.tenant_id,
            tenant_name=WHOLE_ORGANISATION(language.value),
            period=period,
            scope=scope,
            language=language,
            generated_at=now,
            tree=tree,
            by_period={p: repo.aggregates(p) for p in sorted(periods)},
            goals=goals,
            guidelines=repo.guidelines(),
            surveys=SurveyFigures(),
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
