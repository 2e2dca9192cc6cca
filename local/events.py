"""The SQS event source mapping: a service's queue (fed by the bus rules) drained into its consumer.

As Lambda does with `ReportBatchItemFailures`: a batch of up to ten messages per invocation; the
messages the function does not list in `batchItemFailures` are deleted; the listed ones, or the
whole batch when the function fails or answers nonsense, become visible again after the queue's
visibility timeout, and the queue's redrive policy moves a message that keeps failing to its DLQ.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from local.batches import failed_item_ids
from local.topology import REGION
from local.workers import FunctionError

log = logging.getLogger("local.events")

BATCH_SIZE = 10
WAIT_TIME_S = 1  # long polling: short enough for the stack to stop quickly


def sqs_lambda_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The Lambda event for messages from ReceiveMessage."""
    return {"Records": [_record(message, queue_arn) for message in messages]}


def _record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    body = message["Body"]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {
            name: _message_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    # ReceiveMessage says StringValue, the Lambda event says stringValue.
    return {
        "stringValue": value.get("StringValue"),
        "binaryValue": value.get("BinaryValue"),
        "stringListValues": value.get("StringListValues", []),
        "binaryListValues": value.get("BinaryListValues", []),
        "dataType": value.get("DataType"),
    }


class QueuePoller:
    """A thread receiving from one queue and invoking the consumer with each batch."""

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        consume: Callable[[dict[str, Any]], Any],
        stopping: threading.Event,
    ) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._consume = consume
        self._stopping = stopping
        self._thread = threading.Thread(target=self._run, name=f"queue {queue_url.rsplit('/', 1)[-1]}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout_s: float) -> None:
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once()
            except Exception:
                if self._stopping.is_set():
                    return  # the embedded AWS may already be gone
                log.exception("polling %s failed", self._queue_url)
                self._stopping.wait(1.0)

    def poll_once(self) -> int:
        """Receive one batch and hand it to the consumer; the number of messages received."""
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=BATCH_SIZE,
            WaitTimeSeconds=WAIT_TIME_S,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if messages:
            self._deliver(messages)
        return len(messages)

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        batch_ids = [message["MessageId"] for message in messages]
        try:
            failed = failed_item_ids(self._consume(sqs_lambda_event(messages, self._queue_arn)), batch_ids)
        except FunctionError:
            failed = set(batch_ids)  # the whole batch comes back after the visibility timeout
        if failed:
            log.warning("%d of %d messages from %s will be retried", len(failed), len(messages), self._queue_url)
        done = [message for message in messages if message["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
