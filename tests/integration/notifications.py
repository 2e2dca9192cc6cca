"""Driving notifications through its handlers on moto: events in, schedules fired, the stream sent, the API
called; and reading what left (SES's raw emails, SNS's texts, the outbox), shared by its integration tests."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from services.enrolment.contracts.events import PersonUpserted, RegistrationConfirmed, SeatEvent
from services.notifications import api, feedback, jobs, mailer, subscribers
from services.notifications.routes import admin, public
from services.notifications.wiring import WIRING
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from services.shared.store import from_dynamo
from tests.support import as_service, claims, http_event, response_json, sqs_event, table_name

TENANT = "humana"
REGION = "eu-north-1"
COORDINATOR = claims("hanna", TENANT, "coordinator")
ADMIN = claims("hanna", TENANT, "coordinator", "admin")
SESSION_START = datetime(2027, 3, 12, 12, tzinfo=UTC)  # 13:00 in Stockholm
DAYTIME = datetime(2027, 3, 1, 10, tzinfo=UTC)  # 11:00 in Stockholm, eleven days before the session


def event(
    payload: DomainEvent, *, actor: str = "coord", at: datetime | None = None, tenant: str = TENANT
) -> EventEnvelope:
    envelope = EventEnvelope.wrap(payload, EventContext(tenant_id=tenant, actor=actor, correlation_id="corr"))
    return envelope.model_copy(update={"time": at}) if at else envelope


def person(
    person_id: str,
    *,
    email: str | None = "",
    mobile: str | None = None,
    language: str = "sv",
    manager_id: str | None = None,
    name: str | None = None,
    tenant: str = TENANT,
) -> EventEnvelope:
    upserted = PersonUpserted(
        person_id=person_id,
        name=name or person_id.title(),
        email=f"{person_id}@example.se" if email == "" else email,
        mobile=mobile,
        language=language,
        unit_id=None,
        manager_id=manager_id,
        roles=["participant"],
    )
    return event(upserted, tenant=tenant)


def seat(
    kind: type[SeatEvent] = RegistrationConfirmed,
    person_id: str = "anna",
    *,
    actor: str = "coord",
    at: datetime | None = None,
    starts_at: datetime = SESSION_START,
    **extra: Any,
) -> EventEnvelope:
    fields = {
        "registration_id": f"r-{person_id}",
        "session_id": "s1",
        "person_id": person_id,
        "programme_id": "arbetsledarprogrammet",
        "programme_name": "Arbetsledarprogrammet",
        "stage_key": "fordjupning-1",
        "stage_name": "Fördjupning 1",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2, minutes=45),
        "location": None,
        "video_url": "https://meet.example/f1",
    }
    return event(kind(**(fields | extra)), actor=actor, at=at)


def with_data(envelope: EventEnvelope, **data: Any) -> EventEnvelope:
    """An event with fields its publisher's contract does not have yet (a tolerant reader's view)."""
    return envelope.model_copy(update={"data": envelope.data | data})


def consume(*envelopes: EventEnvelope) -> dict[str, Any]:
    with as_service(WIRING):
        return dict(subscribers.lambda_handler(sqs_event(*envelopes), None))


def ses_event(detail_type: str, detail: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """An SQS batch holding one of SES's own events, as the rule on the default bus delivers it."""
    body = {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.ses",
        "account": DEFAULT_ACCOUNT_ID,
        "time": "2027-03-01T10:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": detail,
    }
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "r",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{DEFAULT_ACCOUNT_ID}:notifications-events",
                "awsRegion": REGION,
            }
        ]
    }


def consume_ses(batch: dict[str, Any]) -> dict[str, Any]:
    with as_service(WIRING):
        return dict(subscribers.lambda_handler(batch, None))


def call(method: str, route: str, who: dict[str, str] | None, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    with as_service(WIRING):
        response = api.lambda_handler(http_event(method, route, who, body, **kwargs), None)
    if response.get("headers", {}).get("Content-Type", "").startswith(("text/html", "text/calendar")):
        return response["statusCode"], response["body"]
    return response["statusCode"], response_json(response)


NOW_USERS = (subscribers, jobs, mailer, feedback, admin, public)  # the modules that read the clock


def fire(schedule: str) -> dict[str, Any]:
    with as_service(WIRING):
        return dict(jobs.lambda_handler({"schedule": schedule}, None))


class Stream:
    """The notifications table's stream, read on from the last record read, as Lambda reads it.

    A fresh iterator per read: moto's rollback of a failed transaction replaces the table, and with it
    the shard an older iterator points into."""

    def __init__(self, dynamodb: Any) -> None:
        self.streams = boto3.client("dynamodbstreams")
        self.arn = dynamodb.describe_table(TableName=table_name(WIRING))["Table"]["LatestStreamArn"]
        self.last: dict[str, str] = {}  # shard -> the last sequence number read

    def records(self) -> list[dict[str, Any]]:
        found = []
        for shard in self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            position: dict[str, str] = {"ShardIteratorType": "TRIM_HORIZON"}
            if shard["ShardId"] in self.last:
                position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.last[shard["ShardId"]]}
            iterator = self.streams.get_shard_iterator(StreamArn=self.arn, ShardId=shard["ShardId"], **position)
            records = self.streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
            if records:
                self.last[shard["ShardId"]] = records[-1]["dynamodb"]["SequenceNumber"]
            found += records
        return found

    def send(self, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The sender over what the stream holds that it would be given (its filter), or over `records`."""
        batch = self.records() if records is None else records
        outbound = [r for r in batch if mailer._sendable(r) is not None]
        with as_service(WIRING):
            return dict(mailer.lambda_handler({"Records": outbound}, None))


def emails(to: str | None = None) -> list[EmailMessage]:
    """Every email SES sent as MIME (as notifications sends), parsed; or those to one address."""
    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    raw = [m.raw_data for m in sent if hasattr(m, "raw_data")]  # a test may have sent a simple one itself
    parsed = [message_from_bytes(data.encode(), _class=EmailMessage, policy=policy.default) for data in raw]
    return [m for m in parsed if to is None or m["To"] == to]


def parts(message: EmailMessage) -> dict[str, str]:
    """The alternatives of an email by content type: text/plain, text/html, text/calendar."""
    assert message.get_content_type() == "multipart/alternative"
    return {part.get_content_type(): str(part.get_content()) for part in message.iter_parts()}


def texts() -> list[tuple[str, str]]:
    """Every SMS SNS sent: (number, text)."""
    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


def published(dynamodb: Any) -> list[tuple[str, dict[str, Any]]]:
    """Notifications' committed events (its outbox): (type, data)."""
    items = [from_dynamo(i) for i in dynamodb.scan(TableName=table_name(WIRING))["Items"]]
    envelopes = sorted((json.loads(i["envelope"]) for i in items if i.get("kind") == "outbox"), key=lambda e: e["time"])
    return [(e["type"], e["data"]) for e in envelopes]


def inbox(person_id: str, tenant: str = TENANT) -> list[dict[str, Any]]:
    status, body = call("GET", "/me/notifications", claims(person_id, tenant))
    assert status == 200, body
    return list(body["items"])


def log(**query: str) -> list[dict[str, Any]]:
    status, body = call("GET", "/notifications/deliveries", COORDINATOR, query=query or None)
    assert status == 200, body
    return list(body["items"])
