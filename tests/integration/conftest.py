from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import icalendar
import pytest
from moto import mock_aws

from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.registry import SERVICES
from services.shared import timezones
from services.shared.aws import reset_clients
from tests.integration import notifications
from tests.integration.enrolment import COORDINATOR, PROGRAMME, SESSION, call
from tests.support import BUS, bucket_names, table_name


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    """Every service's table (built from its wiring, as in AWS) and the bus, on moto."""
    with mock_aws():
        reset_clients()
        dynamodb = boto3.client("dynamodb")
        s3 = boto3.client("s3")
        for wiring in SERVICES:
            dynamodb.create_table(**wiring.table.create_table_request(table_name(wiring)))
            for bucket in bucket_names(wiring).values():
                s3.create_bucket(
                    Bucket=bucket,
                    CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
                    ObjectLockEnabledForBucket=True,
                )
        boto3.client("events").create_event_bus(Name=BUS)
        yield {"dynamodb": dynamodb}
        reset_clients()


@pytest.fixture
def session_id(aws: dict[str, Any]) -> str:
    assert call("POST", "/programmes", COORDINATOR, PROGRAMME)[0] == 201
    status, body = call(
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        SESSION,
        path_parameters={"programme_id": "supervisor-programme"},
    )
    assert status == 201, body
    return str(body["session_id"])


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Move the services' clock (`services.shared.timezones.now`): `clock(moment)`."""

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(timezones, "now", lambda: moment)

    return set_now


@pytest.fixture
def checkins_clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The check-ins handlers' clock, at 2026-12-01 09:00 UTC until moved: `checkins_clock.set(day)`."""
    from tests.integration.checkins import Clock

    return Clock(monkeypatch)


@pytest.fixture
def time_is(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Notifications' clock: `time_is(moment)` moves every handler's `now` there (a weekday morning to begin)."""

    def set_now(moment: datetime) -> None:
        for module in notifications.NOW_USERS:
            monkeypatch.setattr(module, "now", lambda: moment)

    set_now(notifications.DAYTIME)
    return set_now


@pytest.fixture
def outbound(aws: dict[str, Any], time_is: Any) -> Iterator[notifications.Stream]:
    """The sender's verified address, and the notifications table's stream to send from. Afterwards every
    email the test sent is read as MIME: text and HTML, one-click unsubscribe, any calendar entry whole."""
    boto3.client("ses").verify_email_identity(EmailAddress=NOTIFICATIONS.environment["SENDER_EMAIL"])
    yield notifications.Stream(aws["dynamodb"])
    for email in notifications.emails():
        parts = notifications.parts(email)
        assert {"text/plain", "text/html"} <= set(parts), email["Subject"]
        assert str(email["List-Unsubscribe"]).startswith("<http"), email["Subject"]
        assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        if "text/calendar" in parts:
            calendar = icalendar.Calendar.from_ical(parts["text/calendar"])
            (entry,) = calendar.walk("VEVENT")
            assert str(calendar["METHOD"]) in ("REQUEST", "CANCEL") and entry["UID"] and int(entry["SEQUENCE"]) >= 0
