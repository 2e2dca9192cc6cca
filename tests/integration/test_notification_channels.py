"""Notifications through its handlers on moto: preferences and channels, quiet hours, digests, redelivery,
bounces and complaints, retries. Every email SES sent is read back as MIME."""

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.enrolment.contracts.events import (
    RegistrationCancelled,
    RegistrationOffered,
    StageUnlocked,
)
from services.notifications import mailer
from services.shared.aws import client
from tests.integration.notifications import (
    ADMIN,
    COORDINATOR,
    SESSION_START,
    Stream,
    call,
    consume,
    consume_ses,
    emails,
    event,
    fire,
    inbox,
    log,
    parts,
    person,
    published,
    seat,
    ses_event,
    texts,
)
from tests.support import claims

ANNA = claims("anna", "humana")
OFFER_DEADLINE = datetime(2027, 3, 3, 12, tzinfo=UTC)


def offered(person_id: str = "anna", **kwargs: Any) -> Any:
    return seat(RegistrationOffered, person_id, offer_expires_at=OFFER_DEADLINE, **kwargs)


def preferences(who: dict[str, str], body: Any) -> dict[str, Any]:
    status, answer = call("PUT", "/me/preferences", who, body)
    assert status == 200, answer
    return dict(answer)


def test_a_person_starts_from_the_tenants_defaults_and_changes_their_own(aws: dict[str, Any]) -> None:
    consume(person("anna", mobile="070-123 45 67"))
    status, mine = call("GET", "/me/preferences", ANNA)
    assert status == 200
    assert mine["categories"]["seats"] == {"channels": ["email", "sms"], "frequency": "immediate", "yours": False}
    assert mine["categories"]["team"]["frequency"] == "daily"
    assert (mine["quiet_hours"], mine["email"], mine["sms"]) == (
        {"start": "21:00", "end": "07:00", "enabled": True},
        "ok",
        "ok",
    )

    changed = preferences(
        ANNA,
        {
            "categories": {"invitations": {"channels": ["email"], "frequency": "weekly"}},
            "quiet_hours": {"start": "22:00", "end": "06:30"},
        },
    )
    assert changed["categories"]["invitations"] == {"channels": ["email"], "frequency": "weekly", "yours": True}
    assert changed["quiet_hours"]["start"] == "22:00" and changed["quiet_hours_yours"] is True

    # the tenant's admin moves a default: what anna chose stays, the rest follows
    defaults = call("GET", "/notifications/settings", COORDINATOR)[1]
    defaults["defaults"]["categories"]["invitations"]["channels"] = []
    defaults["defaults"]["categories"]["credentials"]["frequency"] = "weekly"
    defaults["sms_sender_id"] = "Humana"
    assert call("PUT", "/notifications/settings", COORDINATOR, defaults)[0] == 403  # admins only
    assert call("PUT", "/notifications/settings", ADMIN, defaults)[0] == 200
    mine = call("GET", "/me/preferences", ANNA)[1]
    assert mine["categories"]["invitations"]["frequency"] == "weekly"
    assert mine["categories"]["credentials"]["frequency"] == "weekly"
    assert call("GET", "/notifications/settings", ANNA)[0] == 403


def test_bad_preferences_are_refused_naming_the_field(aws: dict[str, Any]) -> None:
    consume(person("anna"))
    status, body = call("PUT", "/me/preferences", ANNA, {"categories": {"gossip": {"channels": ["email"]}}})
    assert status == 422 and body["error"]["fields"][0]["field"].startswith("body.categories.gossip")
    status, body = call("PUT", "/me/preferences", ANNA, {"quiet_hours": {"start": "07:00", "end": "07:00"}})
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.quiet_hours")
    status, body = call("PUT", "/me/preferences", ANNA, {"categories": {"seats": {"channels": ["pigeon"]}}})
    assert status == 422 and body["error"]["fields"][0]["field"].startswith("body.categories.seats.channels")
    assert call("PUT", "/me/preferences", claims("nobody", "humana"), {})[0] == 404  # not in the directory


def test_an_email_is_html_and_text_with_a_one_click_unsubscribe_for_its_category(
    aws: dict[str, Any], outbound: Stream
) -> None:
    consume(person("anna", language="en"), seat())
    assert outbound.send() == {"batchItemFailures": []}
    (email,) = emails("anna@example.se")
    assert email["Subject"] == "Place confirmed: Arbetsledarprogrammet, Fördjupning 1"
    assert str(email["From"]) == "Ledarlyft <no-reply@ledarlyft.se>"
    alternatives = parts(email)
    assert list(alternatives) == ["text/plain", "text/html", "text/calendar"]
    assert "When: Friday, 12 March 2027, 13:00" in alternatives["text/plain"]
    assert "<p>You have a place at Fördjupning 1 in Arbetsledarprogrammet.</p>" in alternatives["text/html"]
    link = str(email["List-Unsubscribe"]).strip("<>")
    assert link.startswith("https://api.ledarlyft.se/public/unsubscribe/humana/") and link.endswith("/seats")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in alternatives["text/plain"] and link in alternatives["text/html"]

    # the link's page only asks; the one-click POST (what a mail client sends) turns seat emails off
    _, tenant, token, category = link.removeprefix("https://api.ledarlyft.se/public/unsubscribe").split("/")
    route = "/public/unsubscribe/{tenant_id}/{token}/{categories}"
    path = {"tenant_id": tenant, "token": token, "categories": category}
    status, page = call("GET", route, None, path_parameters=path)
    assert status == 200 and "Stop getting email about your seats?" in page and '<form method="post">' in page
    assert call("GET", "/me/preferences", ANNA)[1]["categories"]["seats"]["channels"] == ["email", "sms"]
    one_click = {"content-type": "application/x-www-form-urlencoded"}
    status, page = call(
        "POST", route, None, raw_body="List-Unsubscribe=One-Click", headers=one_click, path_parameters=path
    )
    assert status == 200 and "You no longer get email about your seats." in page
    mine = call("GET", "/me/preferences", ANNA)[1]
    assert mine["categories"]["seats"]["channels"] == ["sms"]  # her mobile stays for what is urgent
    assert mine["categories"]["invitations"]["channels"] == ["email"]  # for that category only

    consume(seat(RegistrationCancelled, previous_status="confirmed", late=False, reason="x", actor="anna"))
    assert outbound.send() == {"batchItemFailures": []}
    assert len(emails("anna@example.se")) == 1  # told in-app only
    assert inbox("anna")[0]["subject"] == "Cancelled: Fördjupning 1"
    wrong = path | {"token": "x" * 32}
    assert call("POST", route, None, path_parameters=wrong)[0] == 404


def test_an_urgent_message_goes_by_sms_too_from_the_tenants_sender(aws: dict[str, Any], outbound: Stream) -> None:
    settings = call("GET", "/notifications/settings", ADMIN)[1] | {"sms_sender_id": "Humana"}
    assert call("PUT", "/notifications/settings", ADMIN, settings)[0] == 200
    consume(person("anna", mobile="070-123 45 67"), offered())
    assert outbound.send() == {"batchItemFailures": []}
    ((number, text),) = texts()
    assert number == "+46701234567"
    assert (
        text
        == "Ledarlyft: en plats på Fördjupning 1 (fre 12 mars 13:00) är ledig för dig. Ta den senast ons 3 mars 13:00."
    )
    assert [e["Subject"] for e in emails("anna@example.se")] == ["En plats är ledig för dig: Fördjupning 1"]
    sms = next(d for d in log(person_id="anna") if d["channel"] == "sms")
    assert (sms["status"], sms["to"], sms["event_type"]) == ("sent", "+46701234567", "RegistrationOffered")


def test_someone_without_email_gets_urgent_messages_by_sms_and_the_rest_in_app(
    aws: dict[str, Any], outbound: Stream
) -> None:
    consume(person("bo", email=None, mobile="+46 70 999 00 11"))
    preferences(claims("bo", "humana"), {"categories": {"seats": {"channels": ["email"]}}})
    consume(seat(person_id="bo"), offered("bo"))
    outbound.send()
    assert [n for n, _ in texts()] == ["+46709990011"]  # the offer, as email cannot reach him
    assert emails() == []
    assert [n["kind"] for n in inbox("bo")] == ["registration_offered", "registration_confirmed"]


@pytest.mark.parametrize(
    ("night", "evening", "before_seven", "seven"),
    [
        # a winter night: 23:00, released at 07:00 CET
        (
            "winter",
            datetime(2027, 1, 14, 22, tzinfo=UTC),
            datetime(2027, 1, 15, 5, 59, tzinfo=UTC),
            datetime(2027, 1, 15, 6, tzinfo=UTC),
        ),
        # the spring night (02:00 -> 03:00): 23:00 CET, released at 07:00 CEST, 8 hours later
        (
            "spring",
            datetime(2027, 3, 27, 22, tzinfo=UTC),
            datetime(2027, 3, 28, 4, 59, tzinfo=UTC),
            datetime(2027, 3, 28, 5, tzinfo=UTC),
        ),
        # the autumn night (03:00 -> 02:00): 23:00 CEST, released at 07:00 CET, 9 hours later
        (
            "autumn",
            datetime(2026, 10, 24, 21, tzinfo=UTC),
            datetime(2026, 10, 25, 5, 59, tzinfo=UTC),
            datetime(2026, 10, 25, 6, tzinfo=UTC),
        ),
    ],
)
def test_quiet_hours_hold_an_email_until_seven_and_an_urgent_one_goes_at_once(
    aws: dict[str, Any],
    outbound: Stream,
    time_is: Any,
    night: str,
    evening: datetime,
    before_seven: datetime,
    seven: datetime,
) -> None:
    consume(person("anna", mobile="0701234567"))
    time_is(evening)
    later = SESSION_START.replace(year=evening.year + 1)
    consume(seat(starts_at=later), offered(starts_at=later))
    outbound.send()
    # the offer cannot wait (its deadline runs): email and SMS now; the confirmation waits for morning
    assert [e["Subject"] for e in emails()] == ["En plats är ledig för dig: Fördjupning 1"]
    assert len(texts()) == 1
    held = next(d for d in log(person_id="anna") if d["event_type"] == "RegistrationConfirmed")
    assert held["status"] == "held"

    time_is(before_seven)
    assert fire("flush")["per_tenant"]["humana"]["released"] == 0
    time_is(seven)
    assert fire("flush")["per_tenant"]["humana"]["released"] == 1
    outbound.send()
    assert [e["Subject"] for e in emails()][-1] == "Bekräftad plats: Arbetsledarprogrammet, Fördjupning 1"
    assert fire("flush")["per_tenant"]["humana"]["released"] == 0  # released once
    outbound.send()
    assert len(emails()) == 2


def test_the_daily_and_weekly_digests_group_what_waited_and_never_repeat_it(
    aws: dict[str, Any], outbound: Stream, time_is: Any
) -> None:
    consume(person("anna"))
    preferences(
        ANNA,
        {
            "categories": {
                "progress": {"channels": ["email"], "frequency": "weekly"},
                "seats": {"channels": ["email"], "frequency": "daily"},
                "credentials": {"channels": ["email"], "frequency": "weekly"},
            }
        },
    )
    unlocked = StageUnlocked(
        programme_id="p",
        person_id="anna",
        stage_key="f2",
        stage_name="Fördjupning 2",
        programme_name="Arbetsledarprogrammet",
    )
    consume(seat(), event(unlocked), offered())  # the offer is urgent: it skips the digest
    outbound.send()
    assert [e["Subject"] for e in emails()] == ["En plats är ledig för dig: Fördjupning 1"]

    time_is(datetime(2027, 3, 2, 6, tzinfo=UTC))  # 07:00 the next morning
    daily = fire("daily-digest")
    assert daily["per_tenant"] == {"humana": 1}
    outbound.send()
    digest = emails()[-1]
    assert digest["Subject"] == "Ledarlyft i dag: 1 nytt meddelande"
    text = parts(digest)["text/plain"]
    assert "DINA PLATSER" in text and "Bekräftad plats" in text and "Anmälan är öppen" not in text
    assert str(digest["List-Unsubscribe"]).strip("<>").endswith("/seats")
    assert fire("daily-digest")["per_tenant"] == {"humana": 0}  # nothing waits: nothing sent

    time_is(datetime(2027, 3, 8, 6, tzinfo=UTC))  # Monday 07:00
    assert fire("weekly-digest")["per_tenant"] == {"humana": 1}
    assert fire("weekly-digest")["per_tenant"] == {"humana": 0}
    outbound.send()
    weekly = emails()[-1]
    assert weekly["Subject"] == "Ledarlyft i veckan: 1 nytt meddelande"
    assert "DINA FRAMSTEG" in parts(weekly)["text/plain"] and "Bekräftad plats" not in parts(weekly)["text/plain"]
    assert len(emails()) == 3


def test_a_redelivered_event_sends_one_message_per_channel(aws: dict[str, Any], outbound: Stream) -> None:
    consume(person("anna", mobile="0701234567"))
    offer = offered()
    consume(offer)
    consume(offer, offer)
    # as if a consumer had crashed after sending, before its marker: the event runs again in full
    aws["dynamodb"].delete_item(
        TableName="ledarlyft-notifications",
        Key={"pk": {"S": f"T#humana#PROCESSED#{offer.id}"}, "sk": {"S": "PROCESSED"}},
    )
    consume(offer)
    records = outbound.records()
    assert outbound.send(records) == {"batchItemFailures": []}
    assert outbound.send(records) == {"batchItemFailures": []}  # the stream hands the same records again
    assert (len(emails()), len(texts())) == (1, 1)
    assert len(inbox("anna")) == 1


def bounce(message: Any, kind: str = "Bounce", event_id: str | None = None) -> dict[str, Any]:
    """SES's event about an email it sent for us: the tags it was sent with come back."""
    tags = {"tenant": ["humana"], "person": ["anna"], "message": [message["message_id"]], "category": ["seats"]}
    tags |= {"kind": [message["event_type"]], "ses:configuration-set": ["ledarlyft-notifications"]}
    mail = {"messageId": message["provider_id"], "destination": ["anna@example.se"], "tags": tags}
    recipients = [{"emailAddress": "anna@example.se"}]
    if kind == "Bounce":
        detail = {
            "eventType": "Bounce",
            "mail": mail,
            "bounce": {"bounceType": "Permanent", "bouncedRecipients": recipients},
        }
        return ses_event("Email Bounced", detail, event_id)
    detail = {"eventType": "Complaint", "mail": mail, "complaint": {"complainedRecipients": recipients}}
    return ses_event("Email Complaint Received", detail, event_id)


@pytest.mark.parametrize(
    ("kind", "status", "reason"), [("Bounce", "bounced", "bounced"), ("Complaint", "complained", "complaint")]
)
def test_a_bounce_or_complaint_stops_email_to_the_address_until_it_changes(
    aws: dict[str, Any], outbound: Stream, kind: str, status: str, reason: str
) -> None:
    consume(person("anna", mobile="0701234567"), seat())
    outbound.send()
    (sent,) = log(person_id="anna")
    feedback = bounce(sent, kind, event_id="ses-event-1")
    assert consume_ses(feedback) == {"batchItemFailures": []}
    assert consume_ses(feedback) == {"batchItemFailures": []}  # redelivered: counted once
    (logged,) = log(person_id="anna")
    assert (logged["status"], logged["reason"]) == (status, reason)
    assert call("GET", "/me/preferences", ANNA)[1]["email"] == "suppressed"
    failures = [d for t, d in published(aws["dynamodb"]) if t == "NotificationFailed"]
    assert failures == [
        {"category": "seats", "channel": "email", "kind": "RegistrationConfirmed", "reason": reason, "count": 1}
    ]

    # no more email to that address: logged as suppressed; what is urgent goes by SMS instead
    consume(offered(), seat(RegistrationCancelled, previous_status="confirmed", late=False, reason="x", actor="anna"))
    outbound.send()
    assert len(emails()) == 1 and [n for n, _ in texts()] == ["+46701234567"]
    assert {d["status"] for d in log(person_id="anna") if d["channel"] == "email"} == {status, "suppressed"}
    assert sum(d["count"] for t, d in published(aws["dynamodb"]) if t == "NotificationFailed") == 3

    # a new address lifts it
    consume(person("anna", email="anna.ek@example.se"))
    assert call("GET", "/me/preferences", ANNA)[1]["email"] == "ok"
    consume(offered(at=datetime(2027, 3, 1, 11, tzinfo=UTC)))
    outbound.send()
    assert [e["To"] for e in emails()] == ["anna@example.se", "anna.ek@example.se"]


def test_a_bounce_of_an_old_address_or_a_soft_one_changes_nothing(aws: dict[str, Any], outbound: Stream) -> None:
    consume(person("anna"), seat())
    outbound.send()
    (sent,) = log(person_id="anna")
    consume(person("anna", email="anna.ek@example.se"))
    consume_ses(bounce(sent))
    assert call("GET", "/me/preferences", ANNA)[1]["email"] == "ok"  # the bounce was of her old address
    soft = bounce(sent)
    assert consume_ses(
        soft | {"Records": [r | {"body": r["body"].replace("Permanent", "Transient")} for r in soft["Records"]]}
    ) == {"batchItemFailures": []}


def throttled() -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TooManyRequestsException", "Message": "slow down"},
            "ResponseMetadata": {"HTTPStatusCode": 429},
        },
        "SendEmail",
    )


def test_a_throttled_send_is_retried_with_backoff_and_jitter_and_never_sent_twice(
    aws: dict[str, Any], outbound: Stream, monkeypatch: pytest.MonkeyPatch
) -> None:
    consume(person("anna"), person("bo"), seat(), seat(person_id="bo"))
    ses = client("sesv2")
    real_send, calls, pauses = ses.send_email, [], []
    monkeypatch.setattr(mailer.time, "sleep", pauses.append)

    def flaky(**request: Any) -> Any:
        calls.append(request["Destination"]["ToAddresses"][0])
        if len(calls) <= 2:
            raise throttled()
        return real_send(**request)

    monkeypatch.setattr(ses, "send_email", flaky)
    assert outbound.send() == {"batchItemFailures": []}
    assert calls == ["anna@example.se", "anna@example.se", "anna@example.se", "bo@example.se"]
    assert len(pauses) == 2 and 0 <= pauses[0] <= mailer.BACKOFF_BASE_S and 0 <= pauses[1] <= 2 * mailer.BACKOFF_BASE_S
    assert sorted(e["To"] for e in emails()) == ["anna@example.se", "bo@example.se"]


def test_a_send_throttled_past_its_retries_is_retried_by_the_stream_from_where_it_failed(
    aws: dict[str, Any], outbound: Stream, monkeypatch: pytest.MonkeyPatch
) -> None:
    consume(person("anna"), person("bo"), seat(), seat(person_id="bo"))
    monkeypatch.setattr(mailer.time, "sleep", lambda _: None)
    ses = client("sesv2")
    real_send = ses.send_email
    monkeypatch.setattr(ses, "send_email", lambda **_: (_ for _ in ()).throw(throttled()))
    records = [r for r in outbound.records() if mailer._sendable(r)]
    result = outbound.send(records)
    assert result == {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}
    assert emails() == [] and {d["status"] for d in log()} == {"sending", "queued"}
    monkeypatch.setattr(ses, "send_email", real_send)
    assert outbound.send(records) == {"batchItemFailures": []}  # the same records again, as the stream retries
    assert sorted(e["To"] for e in emails()) == ["anna@example.se", "bo@example.se"]
    assert outbound.send(records) == {"batchItemFailures": []}
    assert len(emails()) == 2


def test_a_permanent_refusal_is_recorded_on_the_message_and_counted(
    aws: dict[str, Any], outbound: Stream, monkeypatch: pytest.MonkeyPatch
) -> None:
    consume(person("anna"), seat())
    rejected = ClientError(
        {
            "Error": {"Code": "MessageRejected", "Message": "Email address is not verified."},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        },
        "SendEmail",
    )
    monkeypatch.setattr(client("sesv2"), "send_email", lambda **_: (_ for _ in ()).throw(rejected))
    assert outbound.send() == {"batchItemFailures": []}  # nothing to retry
    (failed,) = log(person_id="anna")
    assert (failed["status"], failed["reason"]) == ("failed", "MessageRejected: Email address is not verified.")
    assert (
        "NotificationFailed",
        {"category": "seats", "channel": "email", "kind": "RegistrationConfirmed", "reason": "failed", "count": 1},
    ) in published(aws["dynamodb"])


def test_what_left_is_counted_for_reporting_without_naming_anyone(aws: dict[str, Any], outbound: Stream) -> None:
    consume(person("anna", mobile="0701234567"), person("bo"), offered(), offered("bo"))
    outbound.send()
    sent = sorted((d["channel"], d["count"]) for t, d in published(aws["dynamodb"]) if t == "NotificationSent")
    assert sent == [("email", 2), ("sms", 1)]
    assert all(
        set(d) == {"category", "channel", "kind", "count"}
        for t, d in published(aws["dynamodb"])
        if t == "NotificationSent"
    )
