"""Every consumer, given the events it subscribes to each delivered up to three times, in any order and in
batches of any size, ends in the state of one delivery in order: a property over generated sequences.

The events are a realistic flow's (the seat flow of `test_faults`), as the producers published them;
each consumer is the one its service's wiring names, so a new subscription is covered the day it is
declared.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from local.filters import matches
from services.registry import SERVICES
from services.shared.aws import reset_clients
from services.shared.envelope import EventEnvelope
from services.shared.wiring import ServiceWiring
from tests.reliability.pipeline import REGION, _function, daytime, mask, pinned_clock, pipeline
from tests.reliability.test_faults import seat_flow
from tests.support import as_service, sqs_event, table_name

pytestmark = [pytest.mark.reliability]

CONSUMERS = [wiring for wiring in SERVICES if wiring.subscriptions]


def _published() -> list[EventEnvelope]:
    """Every event the flow's services published, in the order they were made."""
    with pipeline() as p:
        seat_flow(p)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        envelopes = []
        for name in p.wirings:
            for page in dynamodb.get_paginator("scan").paginate(TableName=table_name(p.wirings[name])):
                envelopes += [
                    EventEnvelope.model_validate_json(item["envelope"]["S"])
                    for item in page["Items"]
                    if item.get("kind", {}).get("S") == "outbox"
                ]
    return sorted(envelopes, key=lambda e: (e.time, e.id))


PUBLISHED = None


def published() -> list[EventEnvelope]:
    global PUBLISHED
    if PUBLISHED is None:
        PUBLISHED = _published()
    return PUBLISHED


def subscribed(wiring: ServiceWiring, envelopes: list[EventEnvelope]) -> list[EventEnvelope]:
    patterns = [subscription.pattern() for subscription in wiring.subscriptions]
    return [e for e in envelopes if any(matches(p, {"source": e.source, "detail-type": e.type}) for p in patterns)]


def consumed(wiring: ServiceWiring, batches: list[list[EventEnvelope]]) -> list[str]:
    """The consumer's table after the batches, masked (ids, times) and sorted."""
    assert wiring.consumer_handler is not None
    with mock_aws(), pinned_clock(daytime()):  # as the flow that published them: no run waits for morning
        reset_clients()
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(**wiring.table.create_table_request(table_name(wiring)))
        with as_service(wiring):
            handler = _function(wiring.consumer_handler)
            for batch in batches:
                failed = handler(sqs_event(*batch), None)["batchItemFailures"]
                assert failed == [], f"{wiring.name} failed a batch"
        items = [
            item
            for page in dynamodb.get_paginator("scan").paginate(TableName=table_name(wiring))
            for item in page["Items"]
        ]
        reset_clients()
    return sorted(mask(item) for item in items)


@st.composite
def deliveries(draw: Any, events: list[EventEnvelope]) -> list[list[EventEnvelope]]:
    """Each event one to three times, all shuffled, cut into batches of one to ten."""
    copies = [event for event in events for _ in range(draw(st.integers(1, 3)))]
    shuffled = draw(st.permutations(copies))
    batches, start = [], 0
    while start < len(shuffled):
        size = draw(st.integers(1, 10))
        batches.append(shuffled[start : start + size])
        start += size
    return batches


@pytest.mark.parametrize("wiring", CONSUMERS, ids=[w.name for w in CONSUMERS])
def test_redelivered_shuffled_events_end_in_the_state_of_one_delivery_in_order(wiring: ServiceWiring) -> None:
    events = subscribed(wiring, published())
    assert events, f"the flow publishes nothing {wiring.name} subscribes to: extend it"
    in_order = consumed(wiring, [[event] for event in events])

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(deliveries(events))
    def any_order(batches: list[list[EventEnvelope]]) -> None:
        assert consumed(wiring, batches) == in_order

    any_order()
