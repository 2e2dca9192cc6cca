"""Send the events in a service's dead-letter queue back to its queue, once the fault that put them
there is fixed (make redrive SERVICE=notifications). Consumers are idempotent on the event id, so an
event that did land before it failed changes nothing the second time.

    python -m local.redrive notifications [--endpoint http://127.0.0.1:4566]

Locally it talks to the embedded AWS of `make run`. In AWS, SQS does this itself:
`aws sqs start-message-move-task --source-arn <the DLQ's ARN>` (see README, "Operations").
"""

from __future__ import annotations

import argparse
from typing import Any

from local.topology import LOCAL_CREDENTIALS, REGION, dead_letter_queue_name, queue_name
from services.registry import SERVICES

BATCH = 10


def redrive(sqs: Any, service: str) -> int:
    """Move every message of the service's DLQ back to its queue; how many moved."""
    wiring = next(w for w in SERVICES if w.name == service)
    source = sqs.get_queue_url(QueueName=dead_letter_queue_name(wiring))["QueueUrl"]
    target = sqs.get_queue_url(QueueName=queue_name(wiring))["QueueUrl"]
    moved = 0
    while messages := sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=BATCH).get("Messages", []):
        entries = [{"Id": str(n), "MessageBody": m["Body"]} for n, m in enumerate(messages)]
        sent = sqs.send_message_batch(QueueUrl=target, Entries=entries)
        done = {entry["Id"] for entry in sent.get("Successful", [])}
        landed = [m for n, m in enumerate(messages) if str(n) in done]
        if landed:  # only what reached the queue leaves the DLQ: a failed send is tried again next round
            sqs.delete_message_batch(
                QueueUrl=source,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(landed)],
            )
        moved += len(landed)
    return moved


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(prog="python -m local.redrive", description=__doc__)
    parser.add_argument("service", choices=[w.name for w in SERVICES if w.subscriptions])
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566", help="the embedded AWS of `make run`")
    arguments = parser.parse_args()
    sqs = boto3.client(
        "sqs",
        endpoint_url=arguments.endpoint,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    print(f"{redrive(sqs, arguments.service)} events sent back to {arguments.service}")


if __name__ == "__main__":
    main()
