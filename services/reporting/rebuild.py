"""Rebuild reporting's aggregates: replay the events into an empty table, with a progress bar.

    python -m services.reporting.rebuild --table ledarlyft-reporting-rebuilt --events events.jsonl
    python -m services.reporting.rebuild --table ledarlyft-reporting-rebuilt --archive ledarlyft [--since 2025-12-01]

From recorded events (JSON lines of EventBridge events or envelopes), or from the bus archive
(`ledarlyft` keeps every event a year in AWS; the local stack has none). The archive is replayed to a rule of this run's own, which feeds a queue of its own that this command
drains: the live consumers never see the replay (in AWS; moto's replay ignores the filter, and the
live consumers skip the events they have handled). Every event goes through the same handlers as
in production, in time order, into a table made from the wiring; the aggregates come out identical
(a test proves it). Then point the service at the new table (TABLE_NAME) or compare the two.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.reporting.wiring import WIRING
from services.shared.aws import client
from services.shared.envelope import EventEnvelope
from services.shared.settings import replaced

QUIET_RECEIVES = 3  # empty receives in a row, once the replay is done, before the queue counts as drained


def envelope_of(line: str) -> EventEnvelope:
    """An EventBridge event (its `detail`) or an envelope on its own."""
    document = json.loads(line)
    return EventEnvelope.model_validate(document.get("detail", document))


def recorded(path: Path) -> list[EventEnvelope]:
    with path.open(encoding="utf-8") as lines:
        return [envelope_of(line) for line in lines if line.strip()]


def _pattern(name: str) -> dict[str, Any]:
    return {
        "replay-name": [name],
        "source": sorted({s.pattern()["source"][0] for s in WIRING.subscriptions}),
        "detail-type": sorted({t for s in WIRING.subscriptions for t in s.detail_types}),
    }


def replayed(bus: str, archive: str, since: datetime, until: datetime) -> Iterator[EventEnvelope]:
    """The archive's events of reporting's subscriptions, replayed to a queue of this run's own."""
    events, sqs = client("events"), client("sqs")
    name = f"reporting-rebuild-{uuid.uuid4().hex[:12]}"
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule_arn = events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(_pattern(name)))["RuleArn"]
    try:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"Policy": json.dumps(_queue_policy(queue_arn, rule_arn))}
        )
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "rebuild", "Arn": queue_arn}])
        bus_arn = events.describe_event_bus(Name=bus)["Arn"]
        events.start_replay(
            ReplayName=name,
            EventSourceArn=events.describe_archive(ArchiveName=archive)["ArchiveArn"],
            EventStartTime=since,
            EventEndTime=until,
            Destination={"Arn": bus_arn, "FilterArns": [rule_arn]},
        )
        quiet = 0
        while quiet < QUIET_RECEIVES:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
                "Messages", []
            )
            done = events.describe_replay(ReplayName=name)["State"] in ("COMPLETED", "FAILED", "CANCELLED")
            quiet = quiet + 1 if not messages and done else 0
            for message in messages:
                yield envelope_of(message["Body"])
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    finally:
        events.remove_targets(Rule=name, EventBusName=bus, Ids=["rebuild"])
        events.delete_rule(Name=name, EventBusName=bus)
        sqs.delete_queue(QueueUrl=queue_url)


def _queue_policy(queue_arn: str, rule_arn: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
            }
        ],
    }


def create_empty_table(name: str) -> None:
    """The table as the wiring declares it; an existing table is refused (it may not be empty)."""
    dynamodb = client("dynamodb")
    try:
        dynamodb.describe_table(TableName=name)
    except dynamodb.exceptions.ResourceNotFoundException:
        pass
    else:
        raise SystemExit(f"table {name} exists: rebuild into a new table")
    dynamodb.create_table(**WIRING.table.create_table_request(name))
    dynamodb.get_waiter("table_exists").wait(TableName=name)


def replay(envelopes: Iterable[EventEnvelope], table: str, bus: str, total: int | None = None) -> int:
    """Every event through reporting's consumer, into `table`; how many were handled."""
    from tqdm import tqdm  # the operator's tool only (dev group): never in a Lambda bundle

    from services.reporting.subscribers import consumer

    handled = 0
    with replaced(service_name=WIRING.name, table_name=table, event_bus_name=bus):
        for envelope in tqdm(envelopes, total=total, unit="event", desc="replaying", mininterval=0.5):
            consumer.handle(envelope)
            handled += 1
    return handled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.rebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", required=True, help="the new, empty table to rebuild into")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--events", type=Path, help="recorded events, one JSON document a line")
    source.add_argument("--archive", help="the bus archive to replay (ledarlyft)")
    parser.add_argument("--bus", default="ledarlyft")
    parser.add_argument("--since", type=datetime.fromisoformat, default=datetime(2000, 1, 1, tzinfo=UTC))
    arguments = parser.parse_args(argv)
    create_empty_table(arguments.table)
    started = time.perf_counter()
    if arguments.events:
        envelopes = sorted(recorded(arguments.events), key=lambda e: (e.time, e.id))
        handled = replay(envelopes, arguments.table, arguments.bus, total=len(envelopes))
    else:
        until = datetime.now(UTC)
        replaying = replayed(arguments.bus, arguments.archive, arguments.since, until)
        handled = replay(replaying, arguments.table, arguments.bus)
    print(f"{handled} events replayed into {arguments.table} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
