"""The event path in one process: outbox → stream → relay → bus → queue → consumer (notifications' own path, to
the sender, is in test_notification_*.py)."""

import json
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from services.checkins.contracts.events import CheckInCompleted
from services.enrolment.contracts.events import PersonUpserted, RegistrationConfirmed
from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.reporting import api as reporting_api
from services.reporting import subscribers as reporting
from services.reporting.wiring import WIRING as REPORTING
from services.shared import relay
from services.shared.envelope import EventContext, EventEnvelope
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


def person(person_id: str = "anna") -> EventEnvelope:
    event = PersonUpserted(
        person_id=person_id,
        name="Anna Ek",
        email=f"{person_id}@example.se",
        mobile=None,
        language="sv",
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
    status, body = summary("2026-H3", board)
    assert (status, body["error"]["fields"][0]["field"]) == (422, "query.period")
