"""The outbox relay: a table's stream of new outbox items becomes PutEvents on the bus.

At least once: a batch that cannot be published whole raises, so the stream retries it (in AWS with
bisect-on-error, a retry cap and an on-failure queue). Consumers are idempotent on the event id.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from services.shared.aws import client
from services.shared.envelope import EventEnvelope
from services.shared.observability import logger, metrics
from services.shared.settings import settings
from services.shared.wiring import OUTBOX_KIND

MAX_ENTRIES_PER_CALL = 10  # PutEvents' own limit
ATTEMPTS = 3


class PublishFailed(Exception):
    pass


def outbox_envelopes(records: Iterable[dict[str, Any]]) -> list[EventEnvelope]:
    envelopes = []
    for record in records:
        image = record.get("dynamodb", {}).get("NewImage", {})
        if record.get("eventName") == "INSERT" and image.get("kind", {}).get("S") == OUTBOX_KIND:
            envelopes.append(EventEnvelope.model_validate_json(image["envelope"]["S"]))
    return envelopes


def publish(envelopes: list[EventEnvelope], bus_name: str) -> None:
    for start in range(0, len(envelopes), MAX_ENTRIES_PER_CALL):
        _publish_batch(envelopes[start : start + MAX_ENTRIES_PER_CALL], bus_name)


def _publish_batch(batch: list[EventEnvelope], bus_name: str) -> None:
    pending = [
        {
            "Source": e.source,
            "DetailType": e.type,
            "Detail": e.model_dump_json(),
            "EventBusName": bus_name,
            "Time": e.time,
        }
        for e in batch
    ]
    for attempt in range(ATTEMPTS):
        response = client("events").put_events(Entries=pending)
        if not response.get("FailedEntryCount"):
            return
        # Only the failed entries go again; entries come back in request order.
        pending = [entry for entry, result in zip(pending, response["Entries"], strict=True) if "ErrorCode" in result]
        logger.warning("put_events failed entries", extra={"failed": len(pending), "attempt": attempt + 1})
        time.sleep(0.1 * 2**attempt)
    raise PublishFailed(f"{len(pending)} events could not be published")


def lambda_handler(event: dict[str, Any], context: Any) -> None:
    envelopes = outbox_envelopes(event.get("Records", []))
    publish(envelopes, settings().event_bus_name)
    metrics.add_metric(name="EventsPublished", unit=MetricUnit.Count, value=len(envelopes))
    metrics.flush_metrics()
    for envelope in envelopes:
        logger.info(
            "event published",
            extra={"event_id": envelope.id, "event_type": envelope.type, "correlation_id": envelope.correlation_id},
        )
