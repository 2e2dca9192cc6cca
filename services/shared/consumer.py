"""The event consumer: an SQS batch of EventBridge events, each handled once.

A handler reads what it needs and stages its writes (and any events it publishes) on a `Unit`; the
kit commits them in one transaction with a marker of the event id. A redelivered event finds the
marker and changes nothing; a failed record is reported back alone (partial batch response).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from services.shared.envelope import DomainEvent, EventEnvelope
from services.shared.observability import logger, metrics
from services.shared.settings import settings
from services.shared.store import ConditionFailed, Put, TenantTable, Write


@dataclass
class Unit:
    """What one consumed event changes: staged writes and events, committed together by the kit.

    `bulk` holds puts too many for one transaction (a fan-out to hundreds of people): they are
    written first, in batches, and must have keys derived from the event, so that a redelivery
    after a failure part-way writes the same items again."""

    envelope: EventEnvelope
    table: TenantTable
    writes: list[Write] = field(default_factory=list)
    events: list[EventEnvelope] = field(default_factory=list)
    bulk: list[Put] = field(default_factory=list)

    def publish(self, event: DomainEvent) -> None:
        self.events.append(EventEnvelope.wrap(event, self.envelope.caused(f"system:{settings().service_name}")))


EventHandler = Callable[[Unit], None]


class Consumer:
    def __init__(self, handlers: Mapping[str, EventHandler]) -> None:
        self.handlers = handlers
        self.processor = BatchProcessor(event_type=EventType.SQS)

    def handle(self, envelope: EventEnvelope) -> bool:
        """Handle one event; False when it had been handled before."""
        handler = self.handlers.get(envelope.type)
        if handler is None:
            logger.info("event ignored", extra={"event_type": envelope.type, "event_id": envelope.id})
            return True
        unit = Unit(envelope=envelope, table=TenantTable(settings().table_name, envelope.tenant_id))
        handler(unit)
        marker_key = (unit.table.key("PROCESSED", envelope.id), "PROCESSED")
        if unit.bulk:
            if unit.table.has(*marker_key):
                return self._duplicate(envelope)
            unit.table.put_many(unit.bulk)
        marker = Put(
            item={
                "pk": marker_key[0],
                "sk": marker_key[1],
                "expires_at": int(time.time()) + settings().processed_event_ttl_days * 86400,
            },
            condition="attribute_not_exists(pk)",
        )
        try:
            unit.table.write([marker, *unit.writes], unit.events)
        except ConditionFailed as failure:
            if 0 in failure.failed:
                return self._duplicate(envelope)
            raise
        return True

    def _duplicate(self, envelope: EventEnvelope) -> bool:
        logger.info("duplicate event skipped", extra={"event_id": envelope.id})
        metrics.add_metric(name="DuplicateEventsSkipped", unit=MetricUnit.Count, value=1)
        return False

    def _record(self, record: SQSRecord) -> None:
        envelope = EventEnvelope.model_validate(json.loads(record.body)["detail"])
        logger.append_keys(correlation_id=envelope.correlation_id, event_id=envelope.id, event_type=envelope.type)
        try:
            self.handle(envelope)
        finally:
            logger.remove_keys(["correlation_id", "event_id", "event_type"])

    def lambda_handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        response = process_partial_response(
            event=event, record_handler=self._record, processor=self.processor, context=context
        )
        failed = len(response.get("batchItemFailures", []))
        metrics.add_metric(name="EventsConsumed", unit=MetricUnit.Count, value=len(event.get("Records", [])) - failed)
        metrics.add_metric(name="EventsFailed", unit=MetricUnit.Count, value=failed)
        metrics.flush_metrics()
        return dict(response)
