"""The whole event path in one process, one step at a time, with a fault to inject at any step.

The production topology in miniature, built from the wiring on moto (`local.aws.provision`: tables
with streams, the bus, one rule per subscription to the consuming service's queue with its DLQ) and
driven by hand: a request runs a service's API handler; `pump` reads every table's stream into its
stream consumers (the relay publishes to the bus, the mailer sends) and drains every queue into its
consumer, as the event source mappings do (partial batch responses; a failed invocation retried),
until nothing moves. Each retry is what AWS would do: the stream retries a batch, SQS a message, a
client its request.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3

from local import outbox
from local.aws import provision
from local.batches import failed_item_ids
from local.events import sqs_lambda_event
from local.filters import matches
from local.streams import stream_lambda_record
from services.registry import SERVICES
from services.shared import timezones
from services.shared.aws import client
from services.shared.wiring import ServiceWiring, StreamConsumer, handler_target
from tests.support import as_service, http_event, response_json

REGION = "eu-north-1"
MAX_ROUNDS = 200
_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}"
    r"|\d{8}[0-9a-f]{16}"  # check-ins' ids: the day, then random
    r"|(?<=sender-)\d+"  # the sender's correlation id: its clock
    r"|(?<![\w-])[\w-]{32}(?![\w-])"  # notifications' unsubscribe tokens (32 url-safe characters)
)
_TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?|\d{20}|DTSTAMP:\d{8}T\d{6}Z|SEQUENCE:\d+"
    r'|"sequence": \{"N": "\d+"\}'
)
_VOLATILE = {"expires_at", "checkin_secret", "attendance_secret", "revision", "provider_id"}  # provider: SES's id


class Fault(Exception):
    """A failure injected on purpose: a crash, a timeout, an API that said no."""


def publishes(wiring: ServiceWiring) -> bool:
    try:
        return bool(importlib.import_module(f"services.{wiring.name}.contracts.events").EVENTS)
    except ModuleNotFoundError:
        return False


def steps(wirings: tuple[ServiceWiring, ...] = SERVICES) -> list[str]:
    """Every step of the event path the wiring declares, each a place a fault can be injected."""
    found = []
    for wiring in wirings:
        found += [f"transaction:{wiring.name}", f"transaction-lost:{wiring.name}"]
        for consumer in wiring.stream_consumers:
            if consumer.name != "relay" or publishes(wiring):
                found.append(f"stream:{wiring.name}:{consumer.name}")
        if publishes(wiring):
            found += [f"put-events:{wiring.name}", f"put-events-entry:{wiring.name}"]
        if wiring.subscriptions:
            found += [f"delivery:{wiring.name}", f"consumer:{wiring.name}"]
    return found


@dataclass
class Faults:
    """Which step fails, and how many more times. Steps are named `<where>:<service>`."""

    armed: Counter[str] = field(default_factory=Counter)
    fired: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)  # every step the run took: each one could have failed

    def arm(self, step: str, times: int = 1) -> None:
        self.armed[step] += times

    def trip(self, step: str) -> bool:
        self.seen.add(step)
        if self.armed[step] > 0:
            self.armed[step] -= 1
            self.fired[step] += 1
            return True
        return False


def mask(item: dict[str, Any]) -> str:
    """A stored item as a line, without what differs between two runs that did the same: the ids and
    times they drew, and when the item expires."""
    kept = {k: v for k, v in item.items() if k not in _VOLATILE}
    return _TIME.sub("<time>", _ID.sub("<id>", json.dumps(kept, sort_keys=True)))


def _function(dotted: str) -> Callable[[dict[str, Any], Any], Any]:
    module, attribute = handler_target(dotted)
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


class _Aws:
    """What `local.aws.provision` needs: a client per AWS service (here: moto in this process)."""

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)


@dataclass
class _Lane:
    """One stream consumer of one table: the records it has yet to handle, oldest first."""

    wiring: ServiceWiring
    consumer: StreamConsumer
    pending: list[dict[str, Any]] = field(default_factory=list)


class Pipeline:
    def __init__(self, wirings: tuple[ServiceWiring, ...] = SERVICES) -> None:
        self.wirings = {w.name: w for w in wirings}
        self.faults = Faults()
        provisioned = provision(_Aws(), wirings)
        self.queues = provisioned.queues
        self.streams = boto3.client("dynamodbstreams", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self._positions: dict[tuple[str, str], str | None] = {}
        self._stream_arns = provisioned.stream_arns
        self.lanes = [_Lane(w, consumer) for w in wirings for consumer in w.stream_consumers]
        for arn in self._stream_arns.values():  # from now on: the records before are not ours
            self._read(arn)
        self._hooks()

    # --- faults at the AWS calls of the services --------------------------------------------------

    def _hooks(self) -> None:
        events = client("dynamodb").meta.events
        events.register("before-call.dynamodb.TransactWriteItems", self._before_transaction)
        events.register("after-call.dynamodb.TransactWriteItems", self._after_transaction)
        client("events").meta.events.register("before-call.events.PutEvents", self._put_events)

    def _where(self) -> str:
        from services.shared.settings import settings

        return settings().service_name

    def _before_transaction(self, **_: Any) -> None:
        if self.faults.trip(f"transaction:{self._where()}"):
            raise Fault("the transaction failed before it reached DynamoDB")

    def _after_transaction(self, http_response: Any, **_: Any) -> None:
        if http_response.status_code < 300 and self.faults.trip(f"transaction-lost:{self._where()}"):
            raise Fault("the transaction landed, then its answer was lost")

    def _put_events(self, params: dict[str, Any], **_: Any) -> Any:
        service = self._where()
        if self.faults.trip(f"put-events:{service}"):
            raise Fault("PutEvents failed as a whole")
        entries = json.loads(params["body"])["Entries"]  # the request as serialised
        if self.faults.trip(f"put-events-entry:{service}"):
            # EventBridge refuses the first entry and takes the rest
            rest = entries[1:]
            taken = boto3.client("events", region_name=REGION).put_events(Entries=rest)["Entries"] if rest else []
            answer = {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "x"}, *taken]}
            return _Http(200), answer
        return None

    # --- the steps ------------------------------------------------------------------------------------

    def request(
        self, service: str, method: str, route: str, who: dict[str, str] | None, body: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        """A client's request, retried as a client does when the answer was a 5xx or never came: named by
        an Idempotency-Key, the same on every retry, as the web client names what it sends."""
        wiring = self.wirings[service]
        assert wiring.api_handler is not None
        kwargs["headers"] = {"idempotency-key": uuid.uuid4().hex, **kwargs.get("headers", {})}
        for _ in range(5):
            with as_service(wiring):
                try:
                    response = _function(wiring.api_handler)(http_event(method, route, who, body, **kwargs), None)
                except Fault:
                    continue
            if response["statusCode"] < 500:
                return response["statusCode"], response_json(response)
        raise AssertionError(f"{method} {route} kept failing")

    def job(self, service: str, schedule: str) -> Any:
        wiring = self.wirings[service]
        assert wiring.jobs_handler is not None
        with as_service(wiring):
            return _function(wiring.jobs_handler)({"schedule": schedule}, None)

    def pump(self) -> int:
        """Move everything along until nothing moves; how many rounds it took."""
        for rounds in range(1, MAX_ROUNDS + 1):
            moved = self._streams_once() + self._queues_once()
            if not moved:
                return rounds
        raise AssertionError("the event path did not settle")

    def _read(self, stream_arn: str) -> list[dict[str, Any]]:
        records = []
        for shard in self.streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
            key = (stream_arn, shard["ShardId"])
            after = self._positions.get(key)
            position: dict[str, str] = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
                if after
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = self.streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"], **position)
            got = self.streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
            if got:
                self._positions[key] = got[-1]["dynamodb"]["SequenceNumber"]
                records += [stream_lambda_record(r, stream_arn) for r in got]
        return records

    def _streams_once(self) -> int:
        moved = 0
        for name, arn in self._stream_arns.items():
            new = self._read(arn)
            for lane in self.lanes:
                if lane.wiring.name == name:
                    lane.pending += [r for r in new if matches(lane.consumer.filter_pattern, r)]
        for lane in self.lanes:
            if not lane.pending:
                continue
            batch = lane.pending[:100]
            moved += 1
            with as_service(lane.wiring):
                try:
                    if self.faults.trip(f"stream:{lane.wiring.name}:{lane.consumer.name}"):
                        raise Fault("the stream's function crashed")
                    result = _function(lane.consumer.handler)({"Records": batch}, None)
                except Exception:  # a failed invocation: the stream retries the same batch
                    continue
            numbers = [r["dynamodb"]["SequenceNumber"] for r in batch]
            failed = failed_item_ids(result, numbers)
            first = min((numbers.index(n) for n in failed), default=len(batch))
            lane.pending = batch[first:] + lane.pending[len(batch) :]
        return moved

    def _queues_once(self) -> int:
        moved = 0
        for name, refs in self.queues.items():
            wiring = self.wirings[name]
            assert wiring.consumer_handler is not None
            messages = self.sqs.receive_message(
                QueueUrl=refs.url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
            ).get("Messages", [])
            if not messages:
                continue
            moved += 1
            if self.faults.trip(f"delivery:{name}"):  # EventBridge delivers at least once: here, twice
                self.sqs.send_message(QueueUrl=refs.url, MessageBody=messages[0]["Body"])
            ids = [m["MessageId"] for m in messages]
            with as_service(wiring):
                try:
                    if self.faults.trip(f"consumer:{name}"):
                        raise Fault("the consumer crashed")
                    failed = failed_item_ids(
                        _function(wiring.consumer_handler)(sqs_lambda_event(messages, refs.arn), None), ids
                    )
                except Exception:
                    failed = set(ids)
            for message in messages:
                if message["MessageId"] in failed:  # visible again at once: the test need not wait the timeout
                    self.sqs.change_message_visibility(
                        QueueUrl=refs.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                    )
                else:
                    self.sqs.delete_message(QueueUrl=refs.url, ReceiptHandle=message["ReceiptHandle"])
        return moved

    # --- what there is to compare ---------------------------------------------------------------------

    def state(self) -> dict[str, list[str]]:
        """Every service's table, its ids and times masked, as sorted lines: two runs that did the same
        thing have the same state whatever ids and clocks they drew."""
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        tables = {}
        for name in self.wirings:
            items = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=f"ledarlyft-{name}"):
                items += [mask(item) for item in page["Items"]]
            tables[name] = sorted(items)
        return tables

    def sent(self) -> Counter[tuple[str, str]]:
        """(recipient, subject) of every email and (number, text) of every SMS sent, counted."""
        everything = outbox.sent()
        return Counter(
            [(email["to"], str(email["subject"])) for email in everything["emails"]]
            + [(text["to"], text["text"]) for text in everything["sms"]]
        )

    def dead_letters(self, service: str) -> list[dict[str, Any]]:
        url = self.sqs.get_queue_url(QueueName=f"ledarlyft-{service}-events-dlq")["QueueUrl"]
        # a look, not a take: the messages stay visible for a redrive
        return self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])


@dataclass
class _Http:
    status_code: int
    headers: dict[str, str] = field(default_factory=dict)


def daytime() -> datetime:
    """Today at 10:00 UTC: daytime in Stockholm in any season, outside everyone's quiet hours."""
    return datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)


@contextmanager
def pinned_clock(moment: datetime, wirings: tuple[ServiceWiring, ...] = SERVICES) -> Iterator[None]:
    """Every service's clock at `moment`, so that a run does not depend on the hour it runs at (at night
    notifications would rightly hold its emails until the morning)."""
    for wiring in wirings:
        stream_handlers = [consumer.handler for consumer in wiring.stream_consumers]
        for dotted in (wiring.api_handler, wiring.consumer_handler, wiring.jobs_handler, *stream_handlers):
            if dotted:
                importlib.import_module(handler_target(dotted)[0])
    readers = [m for name, m in list(sys.modules.items()) if name.startswith("services.") and hasattr(m, "now")]
    originals = {module: module.now for module in readers}
    real = timezones.now
    try:
        for module, original in originals.items():
            if original is real:
                module.now = lambda: moment
        yield
    finally:
        for module, original in originals.items():
            module.now = original


@contextmanager
def pipeline(at: datetime | None = None) -> Iterator[Pipeline]:
    """A pipeline on a fresh moto (its own `mock_aws`), every service's clock at `at` (default: `daytime`)."""
    from moto import mock_aws

    from services.shared.aws import reset_clients

    with mock_aws(), pinned_clock(at or daytime()):
        reset_clients()
        yield Pipeline()
        reset_clients()
