"""A poison message goes to the dead-letter queue after the retry cap while the rest of its batch goes on;
once the fault is fixed, a redrive (`make redrive`) delivers it, once."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from local.redrive import redrive
from services.enrolment.contracts.events import PersonUpserted, RegistrationConfirmed
from services.shared.consumer import Consumer
from services.shared.envelope import EventContext, EventEnvelope
from tests.reliability.pipeline import REGION, Pipeline, pipeline

pytestmark = [pytest.mark.reliability]

CONTEXT = EventContext(tenant_id="poison", actor="coord", correlation_id="poison-test")
SUBSCRIBER = "notifications"


def anna() -> EventEnvelope:
    person = PersonUpserted(
        person_id="anna",
        name="Anna Ek",
        email="anna@example.se",
        mobile=None,
        language="sv",
        unit_id=None,
        manager_id=None,
        roles=["participant"],
    )
    return EventEnvelope.wrap(person, CONTEXT)


def seat(session_id: str = "s1") -> EventEnvelope:
    confirmed = RegistrationConfirmed(
        registration_id=f"r-{session_id}",
        session_id=session_id,
        person_id="anna",
        programme_id="p",
        programme_name="Fördjupning",
        stage_key="f1",
        stage_name="Fördjupning 1",
        starts_at="2030-03-03T12:00:00Z",  # type: ignore[arg-type]
        ends_at="2030-03-03T14:45:00Z",  # type: ignore[arg-type]
        location=None,
        video_url=None,
    )
    return EventEnvelope.wrap(confirmed, CONTEXT)


def publish(*envelopes: EventEnvelope) -> None:
    boto3.client("events", region_name=REGION).put_events(
        Entries=[
            {"Source": e.source, "DetailType": e.type, "Detail": e.model_dump_json(), "EventBusName": "ledarlyft"}
            for e in envelopes
        ]
    )


def inbox(p: Pipeline) -> list[str]:
    status, body = p.request(SUBSCRIBER, "GET", "/me/notifications", {"sub": "anna", "custom:tenant_id": "poison"})
    assert status == 200
    return [note["subject"] for note in body["items"]]


def test_an_event_that_breaks_the_contract_goes_to_the_dlq_and_the_rest_of_its_batch_is_handled() -> None:
    with pipeline() as p:
        publish(anna())
        p.pump()
        poison = seat().model_copy(
            update={"data": {"session_id": "s1"}}
        )  # a valid envelope, a payload without a person
        publish(poison, seat("s2"))

        p.pump()

        dead = p.dead_letters(SUBSCRIBER)
        assert [json.loads(m["Body"])["detail"]["id"] for m in dead] == [poison.id]
        assert inbox(p) == ["Bekräftad plats: Fördjupning, Fördjupning 1"]  # s2's, handled beside it


def test_a_handler_that_raises_sends_its_event_to_the_dlq_and_a_redrive_after_the_fix_delivers_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pipeline() as p:
        publish(anna())
        p.pump()
        handle = Consumer.handle

        def broken(self: Consumer, envelope: EventEnvelope) -> Any:
            if envelope.type == "RegistrationConfirmed":
                raise RuntimeError("a bug in the handler")
            return handle(self, envelope)

        monkeypatch.setattr(Consumer, "handle", broken)
        publish(seat())
        p.pump()
        assert len(p.dead_letters(SUBSCRIBER)) == 1
        assert inbox(p) == []

        monkeypatch.undo()  # the fix is deployed
        assert redrive(p.sqs, SUBSCRIBER) == 1
        p.pump()
        assert inbox(p) == ["Bekräftad plats: Fördjupning, Fördjupning 1"]
        assert redrive(p.sqs, SUBSCRIBER) == 0
