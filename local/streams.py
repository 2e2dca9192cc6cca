"""DynamoDB stream event source mappings: a table's stream read through the Streams API, fed to its consumers.

One reader thread per table reads the stream; each stream consumer of the wiring has its own lane
(a thread and a queue), so a consumer that keeps failing holds up only itself, as with one event
source mapping per function in AWS. A lane keeps the records its filter pattern matches and
invokes the handler with them, retrying as the CDK app's mapping does (see `ConsumerLane._deliver`).

moto quirk: a cancelled TransactWriteItems restores a deep copy of the table, stream included, so
an iterator handed out before it reads an abandoned copy of the shard (records of the cancelled
transaction, none after). The reader therefore asks for a fresh iterator at its own position
(AFTER_SEQUENCE_NUMBER) on every read instead of following NextShardIterator.
"""

from __future__ import annotations

import base64
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from local.batches import failed_item_ids
from local.filters import matches
from local.topology import REGION, STREAM_RETRY_ATTEMPTS
from local.workers import FunctionError
from services.shared.wiring import StreamConsumer

log = logging.getLogger("local.streams")

BATCH_SIZE = 100  # records per invocation, the mapping's BatchSize
ACTIVE_POLL_S = 0.2  # while records flow
IDLE_POLL_S = 1.0  # after a quiet spell, unless woken by a write
_QUIET_AFTER_S = 5.0
_SHARD_REFRESH_S = 5.0
FIRST_BACKOFF_S = 0.2


def stream_lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as the Lambda event carries it: JSON only, binary as base64, time as epoch seconds."""
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,  # moto says us-east-1 whatever the region
        "dynamodb": _as_json(record["dynamodb"]),
        "eventSourceARN": stream_arn,
    }


def _as_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return int(value.timestamp())
    return value


class ConsumerLane:
    """One consumer's event source mapping on a table's stream: filter, invoke, retry."""

    def __init__(
        self,
        consumer: StreamConsumer,
        invoke: Callable[[str, dict[str, Any]], Any],
        stopping: threading.Event,
        label: str,
    ) -> None:
        self.consumer = consumer
        self._invoke = invoke
        self._stopping = stopping
        self._label = label
        self._batches: queue.Queue[list[dict[str, Any]]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"stream {label}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)

    def offer(self, records: list[dict[str, Any]]) -> None:
        """Queue the records the consumer's filter pattern matches."""
        wanted = [record for record in records if matches(self.consumer.filter_pattern, record)]
        for start in range(0, len(wanted), BATCH_SIZE):
            self._batches.put(wanted[start : start + BATCH_SIZE])

    def idle(self) -> bool:
        return self._batches.unfinished_tasks == 0

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                batch = self._batches.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                self._deliver(batch)
            except Exception:
                log.exception("%s: delivering a batch failed", self._label)  # a bug here must not end the lane
            finally:
                self._batches.task_done()

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        """Invoke until the batch succeeds, as the CDK app configures the mapping.

        A reported failure retries from the first failed record on (ReportBatchItemFailures); a
        failed invocation splits the batch in two (BisectBatchOnFunctionError), so one bad record
        cannot hold up the others; after the retries the rest goes to the log as to a failure queue.
        """
        backoff_s = FIRST_BACKOFF_S
        for attempt in range(1 + STREAM_RETRY_ATTEMPTS):
            try:
                result = self._invoke(self.consumer.handler, {"Records": records})
            except FunctionError:
                if len(records) > 1:
                    middle = len(records) // 2
                    self._deliver(records[:middle])
                    self._deliver(records[middle:])
                    return
            else:
                records = _from_first_failure(result, records)
                if not records:
                    return
            if attempt == STREAM_RETRY_ATTEMPTS:
                break
            if self._stopping.wait(backoff_s):
                return
            backoff_s *= 2
        log.error(
            "%s: %d records failed %d times; in AWS they go to the on-failure queue: %s",
            self._label,
            len(records),
            1 + STREAM_RETRY_ATTEMPTS,
            [record.get("eventID") for record in records],
        )


def _from_first_failure(result: Any, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records to retry: from the first one the function reported as failed, to the end."""
    sequence_numbers = [record["dynamodb"]["SequenceNumber"] for record in records]
    failed = failed_item_ids(result, sequence_numbers)
    first = min((sequence_numbers.index(number) for number in failed), default=len(records))
    return records[first:]


@dataclass
class _Shard:
    shard_id: str
    after_sequence: str | None  # None: from the shard's start
    finished: bool = False


class StreamReader:
    """Reads one table's stream from the position at start and hands each read to every lane."""

    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        lanes: list[ConsumerLane],
        stopping: threading.Event,
        label: str,
    ) -> None:
        self._streams = streams
        self._stream_arn = stream_arn
        self._lanes = lanes
        self._stopping = stopping
        self._label = label
        self._shards: dict[str, _Shard] = {}
        self._written = threading.Event()
        self._last_records_at = 0.0
        self._shards_read_at = 0.0
        self._thread = threading.Thread(target=self._run, name=f"stream reader {label}", daemon=True)

    def start_at_latest(self) -> None:
        """Take positions at the end of every shard there is now (LATEST), then start reading."""
        for shard_id in self._shard_ids():
            self._shards[shard_id] = _Shard(shard_id, after_sequence=self._last_sequence(shard_id))
        self._shards_read_at = time.monotonic()
        self._thread.start()
        for lane in self._lanes:
            lane.start()

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)
        for lane in self._lanes:
            lane.join(timeout_s)

    def wake(self) -> None:
        """Something was written to a table: read now rather than at the next idle poll."""
        self._written.set()

    def idle(self) -> bool:
        """Nothing read is waiting in a lane (the test helper `wait_for` uses this)."""
        return all(lane.idle() for lane in self._lanes)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._written.clear()  # before reading: a write during the read makes the wait below return at once
            try:
                read = self.read_once()
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("%s: reading the stream failed", self._label)
                read = 0
            if read:
                self._last_records_at = time.monotonic()
            quiet = time.monotonic() - self._last_records_at > _QUIET_AFTER_S
            self._written.wait(IDLE_POLL_S if quiet else ACTIVE_POLL_S)

    def read_once(self) -> int:
        """Read every shard once from its position; the number of records read."""
        if time.monotonic() - self._shards_read_at > _SHARD_REFRESH_S:
            self._refresh_shards()
        total = 0
        for shard in self._shards.values():
            if not shard.finished:
                total += self._read_shard(shard)
        return total

    def _read_shard(self, shard: _Shard) -> int:
        response = self._streams.get_records(ShardIterator=self._iterator(shard), Limit=1000)
        records = response.get("Records", [])
        if "NextShardIterator" not in response:
            shard.finished = True  # a closed shard, read to its end
        if not records:
            return 0
        shard.after_sequence = records[-1]["dynamodb"]["SequenceNumber"]
        lambda_records = [stream_lambda_record(record, self._stream_arn) for record in records]
        for lane in self._lanes:
            lane.offer(lambda_records)
        return len(records)

    def _iterator(self, shard: _Shard) -> str:
        position: dict[str, str] = (
            {"ShardIteratorType": "TRIM_HORIZON"}
            if shard.after_sequence is None
            else {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": shard.after_sequence}
        )
        return str(
            self._streams.get_shard_iterator(StreamArn=self._stream_arn, ShardId=shard.shard_id, **position)[
                "ShardIterator"
            ]
        )

    def _shard_ids(self) -> list[str]:
        description = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]
        return [shard["ShardId"] for shard in description.get("Shards", [])]

    def _refresh_shards(self) -> None:
        # A shard first seen after the start is read from its beginning (TRIM_HORIZON): all of it is new.
        for shard_id in self._shard_ids():
            self._shards.setdefault(shard_id, _Shard(shard_id, after_sequence=None))
        self._shards_read_at = time.monotonic()

    def _last_sequence(self, shard_id: str) -> str | None:
        """The shard's last sequence number now; None when it is empty."""
        shard = _Shard(shard_id, after_sequence=None)
        last = None
        while True:
            response = self._streams.get_records(ShardIterator=self._iterator(shard), Limit=1000)
            records = response.get("Records", [])
            if not records:
                return last
            last = shard.after_sequence = records[-1]["dynamodb"]["SequenceNumber"]
