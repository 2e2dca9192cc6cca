"""Events the reporting service publishes (source `ledarlyft.reporting`). Versioned; additive changes only.

Nothing here names a person: reports are aggregates.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from services.shared.envelope import DomainEvent


class ReportingEvent(DomainEvent):
    event_source: ClassVar[str] = "reporting"


class ReportPublished(ReportingEvent):
    """A half-year board report was published: stored for good in S3 as version `version_id` of `key`.
    Publishing again (regenerating) makes a new version; every version stays readable."""

    event_name: ClassVar[str] = "ReportPublished"
    period: str
    scope: str  # a unit id, or * for the whole organisation
    version_id: str
    key: str
    published_at: datetime


class FiguresImported(ReportingEvent):
    """Figures were imported: `changed` unit half-years were new or replaced (a new version each),
    `unchanged` were identical to what was there, `rejected` rows were refused."""

    import_id: str
    source: str
    periods: list[str]
    units: int
    changed: int
    unchanged: int
    rejected: int


class SurveyResultsImported(FiguresImported):
    """Employee-survey results per unit and half-year were imported (respondent counts and favourable
    shares per indicator; never an answer of a person)."""

    event_name: ClassVar[str] = "SurveyResultsImported"


class KeyFiguresImported(FiguresImported):
    """Key figures per unit and half-year were imported (sick leave, headcount, staff turnover)."""

    event_name: ClassVar[str] = "KeyFiguresImported"


EVENTS: tuple[type[ReportingEvent], ...] = (ReportPublished, SurveyResultsImported, KeyFiguresImported)
