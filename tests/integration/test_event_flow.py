"""The event path in one process: outbox → stream → relay → bus → queue → consumer → mailer."""

import json
from datetime import UTC, date, datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from services.checkins.contracts.events import CheckInCompleted
from services.enrolment.contracts.events import PersonUpserted, RegistrationConfirmed
from services.notifications import jobs, mailer
from services.notifications import subscribers as notifications
from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.reporting import api as reporting_api
from services.reporting import subscribers as reporting
from services.reporting.wiring import WIRING as REPORTING
from services.shared import relay
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.store import from_dynamo
from tests.integration.enrolment import register
from tests.support import (
    BUS,
    as_service,
    claims,
    http_event,
    response_json,
    sqs_event,
    stream_event,
    table_name,
)

CONTEXT = EventContext(tenant_id="humana", actor="coord", correlation_id="corr-1")


def person(person_id: str = "anna", language: str = "sv") -> EventEnvelope:
    event = PersonUpserted(
        person_id=person_id,
        name="Anna Ek",
        email=f"{person_id}@example.se",
        mobile=None,
        language=language,
        unit_id=None,
        manager_id="maja",
        roles=["participant"],
    )
    return EventEnvelope.wrap(event, CONTEXT)


def registration(person_id: str = "anna") -> EventEnvelope:
    event = RegistrationConfirmed(
        registration_id="r1",
        session_id="s1",
        person_id=person_id,
        programme_id="p",
        programme_name="Arbetsledarprogrammet",
        stage_key="fordjupning-1",
        stage_name="Fördjupning 1",
        starts_at=datetime(2026, 10, 29, 12, tzinfo=UTC),
        ends_at=datetime(2026, 10, 29, 14, 45, tzinfo=UTC),
        location=None,
        video_url="https://meet.example/f1",
    )
    return EventEnvelope.wrap(event, CONTEXT)


def checkin(pulse: int, n: int = 0, person_id: str = "anna") -> EventEnvelope:
    event = CheckInCompleted(
        checkin_id=f"c{n}",
        cycle_id=None,
        person_id=person_id,
        manager_id="maja",
        kind="check-in",
        focus_area="Arbetsmiljö",
        due_on=date(2026, 11, 20),
        held_on=date(2026, 11, 20),
        on_time=True,
        ratings=[],
        action_items=0,
        pulse=pulse,
    )
    return EventEnvelope.wrap(event, CONTEXT)


def items(aws: dict[str, Any], wiring: Any) -> list[dict[str, Any]]:
    return [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(wiring))["Items"]]


def consume(module: Any, wiring: Any, *envelopes: EventEnvelope) -> dict[str, Any]:
    with as_service(wiring):
        return dict(module.lambda_handler(sqs_event(*envelopes), None))


def test_the_relay_publishes_committed_events_to_the_bus(aws: dict[str, Any], session_id: str) -> None:
    from services.enrolment.wiring import WIRING as ENROLMENT

    sqs, events = boto3.client("sqs"), boto3.client("events")
    queue_url = sqs.create_queue(QueueName="probe")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = NOTIFICATIONS.subscriptions[0].pattern()
    events.put_rule(Name="probe", EventBusName=BUS, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="probe", EventBusName=BUS, Targets=[{"Id": "q", "Arn": queue_arn}])
    assert register(session_id, "anna")[0] == 201

    stream_arn = aws["dynamodb"].describe_table(TableName=table_name(ENROLMENT))["Table"]["LatestStreamArn"]
    with as_service(ENROLMENT):
        relay.lambda_handler(stream_event(boto3.client("dynamodbstreams"), stream_arn), None)

    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    delivered = [json.loads(m["Body"]) for m in messages]
    assert [d["detail-type"] for d in delivered] == ["RegistrationConfirmed"]  # programme/session events unmatched
    envelope = EventEnvelope.model_validate(delivered[0]["detail"])
    assert (envelope.source, envelope.tenant_id, envelope.data["person_id"]) == (
        "ledarlyft.enrolment",
        "humana",
        "anna",
    )


def test_a_registration_is_told_in_app_and_by_email_once(aws: dict[str, Any]) -> None:
    confirmed = registration()
    assert consume(notifications, NOTIFICATIONS, person(), confirmed) == {"batchItemFailures": []}
    after_first = items(aws, NOTIFICATIONS)
    assert [e["to"] for e in after_first if e.get("kind") == "email"] == ["anna@example.se"]
    assert consume(notifications, NOTIFICATIONS, confirmed) == {"batchItemFailures": []}
    assert items(aws, NOTIFICATIONS) == after_first  # a redelivered event changes nothing

    with as_service(NOTIFICATIONS):
        from services.notifications import api as notifications_api

        response = notifications_api.lambda_handler(
            http_event("GET", "/me/notifications", claims("anna", "humana")), None
        )
    inbox = response_json(response)["items"]
    assert inbox[0]["subject"] == "Bekräftad plats: Arbetsledarprogrammet, Fördjupning 1"
    assert "2026-10-29 13:00 (svensk tid)" in inbox[0]["body"]


def test_the_mailer_sends_committed_emails_through_ses(aws: dict[str, Any]) -> None:
    boto3.client("ses").verify_email_identity(EmailAddress=NOTIFICATIONS.environment["SENDER_EMAIL"])
    consume(notifications, NOTIFICATIONS, person(language="en"), registration())
    stream_arn = aws["dynamodb"].describe_table(TableName=table_name(NOTIFICATIONS))["Table"]["LatestStreamArn"]
    with as_service(NOTIFICATIONS):
        mailer.lambda_handler(stream_event(boto3.client("dynamodbstreams"), stream_arn), None)
    (sent,) = sent_emails()
    assert (sent["To"], sent["Subject"]) == ("anna@example.se", "Place confirmed: Arbetsledarprogrammet, Fördjupning 1")
    text, invitation = (part.get_content() for part in sent.iter_parts())
    assert "When: 2026-10-29 13:00 (Swedish time)" in text
    # the seat as a calendar entry, which later changes update in place
    assert "METHOD:REQUEST" in invitation and "UID:s1.anna@ledarlyft" in invitation
    assert "DTSTART:20261029T120000Z" in invitation and "LOCATION:https://meet.example/f1" in invitation


def sent_emails() -> list[EmailMessage]:
    """What SES sent as raw messages (those with a calendar entry), parsed."""
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["eu-north-1"].sent_messages
    return [message_from_string(m.raw_data, _class=EmailMessage, policy=policy.default) for m in sent]


def test_the_daily_digest_gathers_notifications_into_one_email(aws: dict[str, Any]) -> None:
    consume(notifications, NOTIFICATIONS, person())
    with as_service(NOTIFICATIONS):
        from services.notifications import api as notifications_api

        put = http_event("PUT", "/me/preferences", claims("anna", "humana"), {"email": "daily_digest"})
        assert notifications_api.lambda_handler(put, None)["statusCode"] == 200
    consume(notifications, NOTIFICATIONS, registration(), registration())
    emails = [i for i in items(aws, NOTIFICATIONS) if i.get("kind") == "email"]
    assert emails == []  # nothing sent one by one
    with as_service(NOTIFICATIONS):
        assert jobs.lambda_handler({"schedule": "daily-digest"}, None) == {"digests_sent": 1}
        assert jobs.lambda_handler({"schedule": "daily-digest"}, None) == {"digests_sent": 0}
    emails = [i for i in items(aws, NOTIFICATIONS) if i.get("kind") == "email"]
    assert [e["subject"] for e in emails] == ["Ledarlyft: 2 nya meddelanden"]


def summary(period: str, who: dict[str, str]) -> tuple[int, Any]:
    with as_service(REPORTING):
        event = http_event("GET", "/reports/summary", who, query={"period": period})
        response = reporting_api.lambda_handler(event, None)
    return response["statusCode"], response_json(response)


def test_reporting_counts_each_event_once_and_withholds_small_averages(aws: dict[str, Any]) -> None:
    board = claims("board", "humana", "board")
    first = checkin(4)
    consume(reporting, REPORTING, registration(), first, first)  # before reporting knows anna: parked
    assert summary("2026-H2", board)[1]["checkins_completed"] == 0
    consume(reporting, REPORTING, person())  # the directory tells of her: counted now
    period = f"{datetime.now(UTC).year}-H{1 if datetime.now(UTC).month <= 6 else 2}"
    status, body = summary("2026-H2", board)
    assert status == 200
    assert (body["checkins_completed"], body["average_pulse"]) == (1, None)
    assert summary(period, board)[1]["registrations"] == 1
    # four more check-ins by anna: five pulses, but one person's, so still withheld
    consume(reporting, REPORTING, *(checkin(p, n) for n, p in enumerate([2, 3, 5, 5], start=1)))
    assert summary("2026-H2", board)[1]["average_pulse"] is None
    others = [person(f"p{n}") for n in range(4)]
    consume(reporting, REPORTING, *others, *(checkin(3, 10 + n, f"p{n}") for n in range(4)))
    assert summary("2026-H2", board)[1]["average_pulse"] == pytest.approx((4 + 2 + 3 + 5 + 5 + 3 * 4) / 9, abs=0.01)
    assert summary("2026-H2", claims("anna", "humana", "participant"))[0] == 403
    assert summary("2026-H2", claims("x", "gotland", "board"))[1]["checkins_completed"] == 0


def test_a_failed_send_is_retried_from_where_it_failed(aws: dict[str, Any]) -> None:
    sender = NOTIFICATIONS.environment["SENDER_EMAIL"]
    consume(notifications, NOTIFICATIONS, person("anna"), person("bo"), registration("anna"), registration("bo"))
    stream_arn = aws["dynamodb"].describe_table(TableName=table_name(NOTIFICATIONS))["Table"]["LatestStreamArn"]
    records = stream_event(boto3.client("dynamodbstreams"), stream_arn)
    emails = [r for r in records["Records"] if r["dynamodb"]["NewImage"].get("kind", {}).get("S") == "email"]
    with as_service(NOTIFICATIONS):
        # the sender is not verified yet: SES refuses the first email, and nothing after it is tried
        result = mailer.lambda_handler(records, None)
        assert result == {"batchItemFailures": [{"itemIdentifier": emails[0]["dynamodb"]["SequenceNumber"]}]}
        boto3.client("ses").verify_email_identity(EmailAddress=sender)
        assert mailer.lambda_handler(records, None) == {"batchItemFailures": []}
    assert sorted(m["To"] for m in sent_emails()) == ["anna@example.se", "bo@example.se"]


def inbox(person_id: str) -> list[dict[str, Any]]:
    with as_service(NOTIFICATIONS):
        from services.notifications import api as notifications_api

        response = notifications_api.lambda_handler(
            http_event("GET", "/me/notifications", claims(person_id, "humana")), None
        )
    return list(response_json(response)["items"])


def test_a_no_show_tells_the_person_and_their_line_manager(aws: dict[str, Any]) -> None:
    from services.enrolment.contracts.events import NoShowRecorded, StageUnlocked

    unlocked = StageUnlocked(
        programme_id="p",
        person_id="anna",
        stage_key="fordjupning-1",
        stage_name="Fördjupning 1",
        programme_name="Arbetsledarprogrammet",
    )
    no_show = NoShowRecorded(
        registration_id="r",
        session_id="s",
        person_id="anna",
        programme_id="p",
        stage_key="fordjupning-1",
        programme_name="Arbetsledarprogrammet",
        stage_name="Fördjupning 1",
        next_session_id="s2",
        next_session_starts_at=datetime(2026, 11, 26, 12, tzinfo=UTC),
    )
    consume(notifications, NOTIFICATIONS, person("anna"), person("maja"))
    consume(notifications, NOTIFICATIONS, EventEnvelope.wrap(unlocked, CONTEXT), EventEnvelope.wrap(no_show, CONTEXT))
    assert {n["subject"] for n in inbox("anna")} == {
        "Anmälan är öppen: Fördjupning 1",
        "Du kom inte till Fördjupning 1",
    }
    missed = next(n for n in inbox("anna") if n["kind"] == "no_show_recorded")
    assert "Nästa tillfälle är 2026-11-26 13:00 (svensk tid)." in missed["body"]
    assert [n["subject"] for n in inbox("maja")] == ["Uteblev: Anna Ek"]


def test_news_that_came_before_the_persons_contact_is_emailed_when_it_arrives(aws: dict[str, Any]) -> None:
    stale = registration()
    stale = stale.model_copy(update={"id": "stale-event", "time": stale.time - timedelta(hours=2)})
    consume(notifications, NOTIFICATIONS, stale, registration())
    assert [i for i in items(aws, NOTIFICATIONS) if i.get("kind") == "email"] == []  # nobody knew where to send

    consume(notifications, NOTIFICATIONS, person("anna"))
    emails = [i for i in items(aws, NOTIFICATIONS) if i.get("kind") == "email"]
    # the recent one is emailed, the one from hours ago only stays in the inbox
    assert [(e["to"], e["subject"]) for e in emails] == [
        ("anna@example.se", "Bekräftad plats: Arbetsledarprogrammet, Fördjupning 1")
    ]
    assert not [i for i in items(aws, NOTIFICATIONS) if i.get("awaiting_contact")]
    assert len(inbox("anna")) == 2

    consume(notifications, NOTIFICATIONS, person("anna"))  # a later update of the person sends nothing again
    assert len([i for i in items(aws, NOTIFICATIONS) if i.get("kind") == "email"]) == 1
