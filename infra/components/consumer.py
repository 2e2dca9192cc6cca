"""A service's event subscriptions: rules on the platform bus (or the bus a subscription names) feed one
queue, drained by one function."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.components.functions import ServiceFunction, ServiceRuntime
from infra.components.queues import AlarmedQueue, encrypted_queue
from infra.components.table import ServiceTable
from infra.settings import DLQ_MAX_RECEIVE_COUNT, EVENT_FUNCTION
from services.shared.wiring import Subscription

# AWS's advice: a queue's visibility timeout at least six times its consumer's timeout, so a
# message is not handed out again while a throttled or retried invocation still holds it.
VISIBILITY_TIMEOUT_FACTOR = 6


def event_pattern(pattern: dict[str, Any]) -> events.EventPattern:
    """The wiring's JSON pattern as CDK's struct: the same keys, in Python spelling."""
    return events.EventPattern(**{key.replace("-", "_"): value for key, value in pattern.items()})


def _bus(scope: Construct, subscription: Subscription, platform_bus: events.IEventBus) -> events.IEventBus:
    """The platform's bus, unless the subscription names another (AWS services publish on the default bus)."""
    if subscription.bus is None:
        return platform_bus
    return events.EventBus.from_event_bus_name(scope, f"Bus-{subscription.name}", subscription.bus)


class EventConsumer(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service: str,
        handler: str,
        subscriptions: tuple[Subscription, ...],
        runtime: ServiceRuntime,
        table: ServiceTable,
        bus: events.IEventBus,
        alarm_topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, id)
        function = ServiceFunction(
            self, "Handler", runtime=runtime, handler=handler, profile=EVENT_FUNCTION, description="Event consumer"
        ).function
        table.grant_data_access(function)
        # One DLQ for both ways an event can fail: EventBridge cannot deliver it to the queue, or the
        # function fails it DLQ_MAX_RECEIVE_COUNT times.
        dead_letters = AlarmedQueue(
            self, "DeadLetters", alarm_topic=alarm_topic, what=f"{service} events", queue_name=f"{service}-events-dlq"
        )
        self.queue = encrypted_queue(
            self,
            "Queue",
            queue_name=f"{service}-events",
            visibility_timeout=Duration.seconds(EVENT_FUNCTION.timeout.to_seconds() * VISIBILITY_TIMEOUT_FACTOR),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=DLQ_MAX_RECEIVE_COUNT, queue=dead_letters.queue),
        )
        function.add_event_source(sources.SqsEventSource(self.queue, batch_size=10, report_batch_item_failures=True))
        for subscription in subscriptions:
            events.Rule(
                self,
                f"Rule-{subscription.name}",
                description=f"{service} subscribes to {subscription.name}",
                event_bus=_bus(self, subscription, bus),
                event_pattern=event_pattern(subscription.pattern()),
                targets=[targets.SqsQueue(self.queue, dead_letter_queue=dead_letters.queue)],
            )
