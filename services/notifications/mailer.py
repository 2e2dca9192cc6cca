"""Sends the emails committed to the table, from its stream: a send that fails is retried, never lost."""

from __future__ import annotations

from typing import Any

from services.notifications.adapters.repository import EMAIL_KIND
from services.shared.aws import client
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import from_dynamo


def lambda_handler(event: dict[str, Any], context: Any) -> None:
    for record in event.get("Records", []):
        image = from_dynamo(record.get("dynamodb", {}).get("NewImage", {}))
        if record.get("eventName") != "INSERT" or image.get("kind") != EMAIL_KIND:
            continue
        response = client("ses").send_email(
            Source=settings().sender_email,
            Destination={"ToAddresses": [image["to"]]},
            Message={
                "Subject": {"Data": image["subject"], "Charset": "UTF-8"},
                "Body": {"Text": {"Data": image["body"], "Charset": "UTF-8"}},
            },
        )
        logger.info("email sent", extra={"email_key": image["pk"], "message_id": response["MessageId"]})
