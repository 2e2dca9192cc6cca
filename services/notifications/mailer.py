"""Sends what is committed to the table, from its stream: emails through SES v2, SMS through SNS.

A delivery reaches the sender when it is written `queued` (or released from quiet hours). The sender
claims it for the stream record in hand, so it leaves once however often records repeat; throttling
and transient errors are retried here with exponential backoff and full jitter, and if they persist the
record is reported failed, so the stream retries it (and only what follows it) later: never lost. A
permanent refusal is recorded on the delivery, with its reason, for the delivery log.

Emails are raw MIME: multipart/alternative with the text, the HTML and (about a seat or a check-in)
the calendar entry, and the one-click unsubscribe headers of RFC 8058. Counts of what left and what
failed are published per batch, as NotificationSent and NotificationFailed, for reporting.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from services.notifications.adapters.repository import SENDABLE_KINDS, NotificationRepository, tenant_of
from services.notifications.contracts.events import NotificationFailed, NotificationSent, NotificationsEvent
from services.notifications.domain.models import DeliveryStatus
from services.shared.aws import client
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import TenantTable, from_dynamo
from services.shared.timezones import now

ATTEMPTS = 4
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 4.0
# Worth trying again in a moment; anything else a service answers with a 4xx is a refusal for good.
TRANSIENT_CODES = {
    "TooManyRequestsException",
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "LimitExceededException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalServerError",
    "InternalErrorException",
    "RequestTimeout",
}
SENDER_NAME = "Ledarlyft"
Tally = Counter[tuple[str, str, str, str, str]]  # (tenant, category, channel, kind, outcome) -> count


class Transient(Exception):
    """The send may succeed later: the stream retries the record."""


class Refused(Exception):
    """The send will never succeed as it is (a bad address, a rejected message)."""


def _classify(error: Exception) -> Exception:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 400)
        if code in TRANSIENT_CODES or status >= 500:
            return Transient(code)
        return Refused(f"{code}: {error.response.get('Error', {}).get('Message', '')}".strip())
    return Transient(type(error).__name__)  # the connection, a timeout


def with_retries(send: Any, *args: Any) -> str:
    """`send(*args)`, again after a backoff with full jitter while it fails for now."""
    for attempt in range(ATTEMPTS):
        try:
            return str(send(*args))
        except (ClientError, BotoCoreError) as error:
            failure = _classify(error)
            if isinstance(failure, Refused) or attempt == ATTEMPTS - 1:
                raise failure from error
            delay = random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))
            logger.info("send retried", extra={"attempt": attempt + 1, "why": str(failure), "delay_s": round(delay, 2)})
            time.sleep(delay)
    raise AssertionError("unreachable")


def mime(image: dict[str, Any]) -> bytes:
    """The email as SES sends it: text, HTML and any calendar entry as alternatives of one another."""
    message = EmailMessage()
    message["Subject"] = image["subject"]
    message["From"] = Address(SENDER_NAME, addr_spec=settings().sender_email)
    message["To"] = image["to"]
    message["Date"] = format_datetime(now())
    if image.get("unsubscribe_url"):
        message["List-Unsubscribe"] = f"<{image['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(image["text"])
    message.add_alternative(image["html"], subtype="html")
    if image.get("calendar"):
        message.add_alternative(image["calendar"], subtype="calendar", params={"method": image["method"]})
    return message.as_bytes(policy=policy.SMTP)


def _tags(image: dict[str, Any]) -> list[dict[str, str]]:
    """SES returns these with every event about the email (bounces, complaints): see feedback.py."""
    values = {
        "tenant": tenant_of(image["pk"]),
        "person": image["person_id"],
        "message": image["message_id"],
        "category": image.get("category") or "digest",
        "kind": image["event_type"],
    }
    return [{"Name": name, "Value": value} for name, value in values.items()]


def send_email(image: dict[str, Any]) -> str:
    request: dict[str, Any] = {
        "FromEmailAddress": settings().sender_email,
        "Destination": {"ToAddresses": [image["to"]]},
        "Content": {"Raw": {"Data": mime(image)}},
        "EmailTags": _tags(image),
    }
    if settings().ses_configuration_set:
        request["ConfigurationSetName"] = settings().ses_configuration_set
    return str(client("sesv2").send_email(**request)["MessageId"])


def send_sms(image: dict[str, Any]) -> str:
    attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
    if image.get("sender_id"):
        attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": image["sender_id"]}
    response = client("sns").publish(PhoneNumber=image["to"], Message=image["text"], MessageAttributes=attributes)
    return str(response["MessageId"])


SENDERS = {"email": send_email, "sms": send_sms}


def _sendable(record: dict[str, Any]) -> dict[str, Any] | None:
    image = from_dynamo(record.get("dynamodb", {}).get("NewImage", {}))
    if image.get("kind") in SENDABLE_KINDS and image.get("status") == DeliveryStatus.QUEUED.value:
        return image
    return None


def _publish(tally: Tally) -> None:
    """The batch's counts, one event per tenant, kind and outcome."""
    by_tenant: dict[str, list[NotificationsEvent]] = {}
    for (tenant, category, channel, kind, outcome), count in sorted(tally.items()):
        event: NotificationsEvent = (
            NotificationSent(category=category, channel=channel, kind=kind, count=count)
            if outcome == "sent"
            else NotificationFailed(category=category, channel=channel, kind=kind, reason=outcome, count=count)
        )
        by_tenant.setdefault(tenant, []).append(event)
    for tenant, events in by_tenant.items():
        context = EventContext(
            tenant_id=tenant, actor="system:notifications", correlation_id=f"sender-{time.time_ns()}"
        )
        TenantTable(settings().table_name, tenant).write([], [EventEnvelope.wrap(e, context) for e in events])


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    tally: Tally = Counter()
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        image = _sendable(record)
        if image is None:
            continue
        repository = NotificationRepository(TenantTable(settings().table_name, tenant_of(image["pk"])))
        record_id = record["dynamodb"]["SequenceNumber"]
        if not repository.claim(image, record_id, now()):
            continue  # sent, or being sent, for another record: never twice
        group = (repository.table.tenant_id, image.get("category") or "digest", image["kind"], image["event_type"])
        try:
            provider_id = with_retries(SENDERS[image["kind"]], image)
        except Transient as failure:
            logger.warning(
                "send failed for now; the stream retries", extra={"delivery": image["sk"], "why": str(failure)}
            )
            failures.append({"itemIdentifier": record_id})
            break  # the stream retries from this record; what follows it has not been tried
        except Refused as refusal:
            repository.table.write([repository.failed(image, str(refusal), now())])
            tally[(*group, "failed")] += 1
            logger.warning("send refused", extra={"delivery": image["sk"], "why": str(refusal)})
            continue
        repository.table.write([repository.sent(image, provider_id, now())])
        tally[(*group, "sent")] += 1
    _publish(tally)
    return {"batchItemFailures": failures}
