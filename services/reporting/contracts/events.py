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


EVENTS: tuple[type[ReportingEvent], ...] = (ReportPublished,)
