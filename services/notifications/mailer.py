"""Sends the emails committed to the table, from its stream: a send that fails is retried, never lost.

On a failure the batch reports the failed record (partial batch response), so the stream retries
from there and the emails before it are not sent twice.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from services.notifications.adapters.repository import EMAIL_KIND
from services.shared.aws import client
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import from_dynamo


def send(image: dict[str, Any]) -> str:
    if image.get("calendar"):
        raw = _with_calendar(image)
        response = client("ses").send_raw_email(
            Source=settings().sender_email, Destinations=[image["to"]], RawMessage={"Data": raw}
        )
        return str(response["MessageId"])
    response = client("ses").send_email(
        Source=settings().sender_email,
        Destination={"ToAddresses": [image["to"]]},
        Message={
            "Subject": {"Data": image["subject"], "Charset": "UTF-8"},
            "Body": {"Text": {"Data": image["body"], "Charset": "UTF-8"}},
        },
    )
    return str(response["MessageId"])


def _with_calendar(image: dict[str, Any]) -> bytes:
    """The text, and the calendar entry as its alternative: mail clients show it as an invitation."""
    message = EmailMessage()
    message["Subject"] = image["subject"]
    message["From"] = settings().sender_email
    message["To"] = image["to"]
    message.set_content(image["body"])
    message.add_alternative(image["calendar"], subtype="calendar", params={"method": image["calendar_method"]})
    return message.as_bytes()


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    for record in event.get("Records", []):
        image = from_dynamo(record.get("dynamodb", {}).get("NewImage", {}))
        if record.get("eventName") != "INSERT" or image.get("kind") != EMAIL_KIND:
            continue
        try:
            message_id = send(image)
        except Exception:
            logger.exception("email not sent", extra={"email_key": image["pk"]})
            return {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}
        logger.info("email sent", extra={"email_key": image["pk"], "message_id": message_id})
    return {"batchItemFailures": []}
