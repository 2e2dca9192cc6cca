"""Inviting a large organisation to a session, end to end, against moto in server mode.

    make bench-invitations        # or: python -m tests.bench.invitations [--people 10000] [--runs 3]

Enrolment, as the median of `--runs`, and as a ratio to the same DynamoDB requests replayed bare (no
handler, no domain code) in the same run against the same server:
- choosing, among `--people` in a unit tree, those for whom the stage is open (a tenth are enrolled,
  half of those hold a seat already) and inviting them: `POST /sessions/{id}/invitations`;
- notifications consuming one InvitationsSent event (500 people, the most one event carries).

Notifications end to end, for an audience of `--people` (one run; ratio to the bare replay of its
DynamoDB requests): the InvitationsSent events consumed (in-app notes, invitations waiting out the
coalescing window), the `flush` schedule after the window (each email rendered and committed), and the
sender draining the table's stream in batches of 100 as Lambda would, sending through SES (moto).
Printed: messages per second, DynamoDB round trips per message, and each step's time as a ratio to its
DynamoDB and SES calls replayed bare.

A failure half-way, then resuming, for each step that can fail on its own: the flush job dying after
half its writes (run again, as the Scheduler retries), and SES throttling every send past the first
half until the sender's batch fails (the stream retries from the failed record). Printed: items read
again to resume, and messages sent twice (must be 0).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

from tests.bench.moto_server import Recorder, measure, start_moto

STREAM_BATCH = 100  # the sender's event source mapping (infra/settings.py STREAM_BATCH_SIZE)
CSV_ROWS = 5000  # enrolment's import takes this many rows at a time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000, help="the audience notifications tells end to end")
    parser.add_argument("--directory", type=int, default=2000, help="the people enrolment chooses among")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    server = start_moto()
    from botocore.config import Config

    from services.shared import aws

    # moto handles one request at a time, and a busy machine can make one wait longer than the
    # functions' ten seconds, which no DynamoDB call in AWS comes near
    aws._CONFIG = aws._CONFIG.merge(Config(read_timeout=600))
    # imported after the environment is set: the handlers read their settings once
    from services.enrolment.wiring import WIRING as ENROLMENT
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from services.shared.aws import client
    from tests.reliability.pipeline import daytime, pinned_clock
    from tests.support import table_name

    dynamodb = client("dynamodb")
    for wiring in (ENROLMENT, NOTIFICATIONS):
        dynamodb.create_table(**wiring.table.create_table_request(table_name(wiring)))
    client("ses").verify_email_identity(EmailAddress=NOTIFICATIONS.environment["SENDER_EMAIL"])
    recorder = Recorder(dynamodb, client("sesv2"))  # the sender's baseline: its DynamoDB and SES calls
    people = [f"p{n:05d}" for n in range(options.people)]

    # every service's clock at daytime: at night notifications would rightly hold the emails till morning
    with pinned_clock(daytime()):
        enrolment = _enrolment(recorder, people[: options.directory], options.runs)
        per_event = _one_event(recorder, people, options.runs)
        print(f"{options.directory} people in 44 units; median of {options.runs} runs; moto server")
        print(f"{'step':44} {'round trips':>12} {'median ms':>10} {'bare ms':>8} {'ratio':>6}")
        for name, (timings, bare, calls) in (enrolment | per_event).items():
            median, bare_median = statistics.median(timings), statistics.median(bare)
            print(
                f"{name:44} {len(calls):12} {median:10.1f} {bare_median:8.1f} {median / bare_median:6.2f}   ({_kinds(calls)})"
            )

        print(f"\nnotifications end to end: {options.people} invited to a session, one email each; one run")
        print(f"{'step':26} {'round trips':>12} {'per message':>12} {'seconds':>8} {'bare s':>7} {'ratio':>6}")
        pipeline, sent = _pipeline(recorder, people, "bench-all")
        total_s = sum(seconds for seconds, _, _ in pipeline.values())
        total_calls = sum(_round_trips(calls) for _, calls, _ in pipeline.values())
        for name, (seconds, calls, bare_s) in pipeline.items():
            per_message = _round_trips(calls) / len(people)
            print(
                f"{name:26} {_round_trips(calls):12} {per_message:12.2f} {seconds:8.1f} {bare_s:7.1f} {seconds / bare_s:6.2f}   ({_kinds(calls)})"
            )
        print(f"{'all':26} {total_calls:12} {total_calls / len(people):12.2f} {total_s:8.1f}")
        print(f"messages per second: {len(people) / total_s:.0f}; emails SES sent: {sent}")

        print(f"\na failure half-way, resumed: {options.people} more invited")
        for name, figures in _failures(recorder, people).items():
            print(f"{name:44} " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    server.stop()


def _round_trips(calls: list[tuple[str, dict[str, Any]]]) -> int:
    """DynamoDB's: the sender's calls to SES are its work, not overhead."""
    return sum(1 for operation, _ in calls if operation != "SendEmail")


def _kinds(calls: list[tuple[str, dict[str, Any]]]) -> str:
    counts = Counter(operation for operation, _ in calls)
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


Timed = tuple[list[float], list[float], list[tuple[str, dict[str, Any]]]]


def _enrolment(recorder: Recorder, people: list[str], runs: int) -> dict[str, Timed]:
    from services.enrolment import api
    from services.enrolment.wiring import WIRING as ENROLMENT
    from tests.support import as_service, claims, http_event

    coordinator = claims("coord", "bench", "coordinator")

    def handle(method: str, route: str, who: dict[str, str], body: Any = None, **params: str) -> Any:
        event = http_event(method, route, who, body, path_parameters=params or None)
        if isinstance(body, str):
            event = http_event(method, route, who, raw_body=body, headers={"content-type": "text/csv"})
        response = api.lambda_handler(event, None)
        assert response["statusCode"] < 300, (method, route, response["body"])
        return json.loads(response["body"])

    with as_service(ENROLMENT):
        units = "unit_id,name,kind,parent_id\norg,Org,organisation,\n"
        units += "".join(f"d{d},Department {d},department,org\n" for d in range(4))
        units += "".join(f"u{u},Unit {u},unit,d{u % 4}\n" for u in range(40))
        handle("POST", "/imports/units", coordinator, units)
        for start in range(0, len(people), CSV_ROWS):
            chunk = people[start : start + CSV_ROWS]
            rows = "".join(f"{p},Person {p},u{(start + n) % 40},participant\n" for n, p in enumerate(chunk))
            handle("POST", "/imports/people", coordinator, "person_id,name,unit_id,roles\n" + rows)
        programme = {
            "programme_id": "bench",
            "name": "Bench",
            "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}],
        }
        handle("POST", "/programmes", coordinator, programme)
        year = date.today().year + 1
        session = {"stage_key": "f1", "starts_at": f"{year}-11-04T13:00", "ends_at": f"{year}-11-04T15:45"}
        session |= {"capacity": len(people)}
        session_id = handle("POST", "/programmes/{programme_id}/sessions", coordinator, session, programme_id="bench")[
            "session_id"
        ]
        for n, person in enumerate(people[: len(people) // 10]):
            who = claims(person, "bench")
            handle("POST", "/programmes/{programme_id}/enrolments", who, {}, programme_id="bench")
            if n % 2:
                handle("POST", "/sessions/{session_id}/registrations", who, session_id=session_id)
        audience = {"audience": {"roles": ["participant"], "unit_ids": ["org"]}}
        invited: list[int] = []

        def invite(_: int) -> None:
            invited.append(
                handle("POST", "/sessions/{session_id}/invitations", coordinator, audience, session_id=session_id)[
                    "invited"
                ]
            )

        invite(0)  # warm: the programme version cache, the clients
        recorder.start()
        invite(0)
        calls = recorder.stop()
        timings = measure(invite, runs)
        bare = measure(lambda _: recorder.replay(calls), runs)
    return {f"enrolment: choose and invite ({invited[-1]} invited)": (timings, bare, calls)}


def _contacts(people: list[str], tenant: str) -> None:
    """The directory's people as notifications stores them on their first PersonUpserted (not measured)."""
    from services.notifications.adapters.repository import NotificationRepository
    from services.notifications.domain.models import Contact
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from services.shared.store import Put, TenantTable
    from tests.support import table_name

    repository = NotificationRepository(TenantTable(table_name(NOTIFICATIONS), tenant))
    puts: list[Put] = []
    for person in people:
        contact = Contact(
            person_id=person, name=person, email=f"{person}@{tenant}.example.se", unsubscribe_token=person * 3
        )
        puts += [w for w in repository.save_contact(contact, None) if isinstance(w, Put)]
    repository.table.put_many(list({(p.item["pk"], p.item["sk"]): p for p in puts}.values()))


def _quiet_metrics() -> None:
    """powertools keeps disabled metrics and prints them every hundred invocations: forget them."""
    from services.shared.observability import metrics

    metrics.clear_metrics()


def _invitations(people: list[str], tenant: str, session: bool = True) -> list[Any]:
    from services.enrolment.contracts.events import InvitationsSent, people_per_event
    from services.shared.envelope import EventContext, EventEnvelope
    from tests.reliability.pipeline import daytime

    context = EventContext(tenant_id=tenant, actor="coord", correlation_id="bench")
    fields: dict[str, Any] = {"programme_id": "bench", "programme_name": "Bench", "note": None}
    if session:
        year = date.today().year + 1
        fields |= {"session_id": "s1", "stage_key": "f1", "stage_name": "F1", "starts_at": f"{year}-11-04T12:00:00Z"}
        fields |= {"ends_at": f"{year}-11-04T14:45:00Z", "video_url": "https://meet.example/bench"}
    # sent at the pinned daytime, so that the flush after the coalescing window is outside quiet hours too
    return [
        EventEnvelope.wrap(InvitationsSent(person_ids=ids, **fields), context).model_copy(update={"time": daytime()})
        for ids in people_per_event(people)
    ]


def _one_event(recorder: Recorder, people: list[str], runs: int) -> dict[str, Timed]:
    from services.notifications import subscribers
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from tests.support import as_service, sqs_event

    batch = people[:500]
    _contacts(batch, "bench")
    with as_service(NOTIFICATIONS):

        def fan_out(_: int) -> None:
            (invitation,) = _invitations(batch, "bench", session=False)
            assert subscribers.lambda_handler(sqs_event(invitation), None) == {"batchItemFailures": []}

        fan_out(0)
        recorder.start()
        fan_out(0)
        calls = recorder.stop()
        timings = measure(fan_out, runs)
        bare = measure(lambda _: recorder.replay(calls), runs)
    return {f"notifications: tell {len(batch)} (one event)": (timings, bare, calls)}


class Outbound:
    """The notifications table's stream as the sender's event source mapping reads it: filtered, in
    batches, and retried from the record a batch reports failed."""

    def __init__(self) -> None:
        from services.notifications.wiring import WIRING as NOTIFICATIONS
        from services.shared.aws import client
        from tests.support import table_name

        self.streams = client("dynamodbstreams")
        table = client("dynamodb").describe_table(TableName=table_name(NOTIFICATIONS))["Table"]
        self.arn = table["LatestStreamArn"]
        shards = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        self.iterators = {  # from now on
            s["ShardId"]: self.streams.get_shard_iterator(
                StreamArn=self.arn, ShardId=s["ShardId"], ShardIteratorType="LATEST"
            )["ShardIterator"]
            for s in shards
        }

    def records(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for shard, iterator in self.iterators.items():
            while True:
                response = self.streams.get_records(ShardIterator=iterator, Limit=1000)
                iterator = response["NextShardIterator"]
                found += response["Records"]
                if not response["Records"]:
                    break
            self.iterators[shard] = iterator
        return found

    def sendable(self) -> list[dict[str, Any]]:
        """The new records the sender's filter lets through."""
        from services.notifications import mailer

        return [r for r in self.records() if mailer._sendable(r) is not None]

    def drain(self, records: list[dict[str, Any]], on_failure: Any = None) -> Counter[str]:
        """Hand the sender the records, as Lambda does; how often each record was handed."""
        from services.notifications import mailer
        from services.notifications.wiring import WIRING as NOTIFICATIONS
        from tests.support import as_service

        handed: Counter[str] = Counter()
        position = 0
        with as_service(NOTIFICATIONS):
            while position < len(records):
                batch = records[position : position + STREAM_BATCH]
                handed.update(r["dynamodb"]["SequenceNumber"] for r in batch)
                failed = mailer.lambda_handler({"Records": batch}, None)["batchItemFailures"]
                _quiet_metrics()
                if failed:
                    numbers = [r["dynamodb"]["SequenceNumber"] for r in batch]
                    position += numbers.index(failed[0]["itemIdentifier"])  # retried from the failed record
                    if on_failure:
                        on_failure()
                else:
                    position += len(batch)
        return handed


def _pipeline(recorder: Recorder, people: list[str], tenant: str) -> tuple[dict[str, tuple[float, Any, float]], int]:
    """Consume, flush, send: (seconds, DynamoDB and SES calls, seconds of the calls replayed bare) per
    step; and how many emails SES sent."""
    from services.notifications import jobs, subscribers
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from tests.support import as_service, sqs_event

    _contacts(people, tenant)
    invitations = _invitations(people, tenant)
    outbound = Outbound()
    recorded: dict[str, tuple[float, Any]] = {}

    def timed(name: str, step: Any) -> None:
        recorder.start()
        started = time.perf_counter()
        step()
        recorded[name] = (time.perf_counter() - started, recorder.stop())

    with as_service(NOTIFICATIONS):
        timed(
            f"consume ({len(invitations)} events)",
            lambda: [(subscribers.lambda_handler(sqs_event(e), None), _quiet_metrics()) for e in invitations],
        )
        after_window = invitations[-1].time + timedelta(minutes=6)
        timed("flush (render, commit)", lambda: jobs.flush_due(tenant, after_window))
        sendable = outbound.sendable()  # reading the stream is Lambda's work, not the sender's
        timed("send (stream -> SES)", lambda: outbound.drain(sendable))
    sent = sum(_sent_to(tenant).values())
    # replayed once all is sent: a replayed write lands on the stream again, which the sender must not see
    steps: dict[str, tuple[float, Any, float]] = {}
    for name, (seconds, calls) in recorded.items():
        steps[name] = (seconds, calls, measure(lambda _, calls=calls: recorder.replay(calls), 1)[0] / 1000)
    return steps, sent


def _sent_to(tenant: str) -> Counter[str]:
    from email import message_from_string

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID]["eu-north-1"].sent_messages
    recipients = (str(message_from_string(m.raw_data)["To"]) for m in sent)
    return Counter(r for r in recipients if r.endswith(f"@{tenant}.example.se"))


def _failures(recorder: Recorder, people: list[str]) -> dict[str, dict[str, int]]:
    """The flush job dying half-way, and SES throttling half-way: what resuming costs."""
    from botocore.exceptions import ClientError

    from services.notifications import jobs, subscribers
    from services.notifications.adapters.repository import NotificationRepository
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from services.shared.aws import client
    from services.shared.settings import settings
    from services.shared.store import Put, TenantTable
    from tests.support import as_service, sqs_event

    tenant = "bench-resume"
    _contacts(people, tenant)
    invitations = _invitations(people, tenant)
    outbound = Outbound()
    after_window = invitations[-1].time + timedelta(minutes=6)
    figures: dict[str, dict[str, int]] = {}
    with as_service(NOTIFICATIONS):
        for invitation in invitations:
            subscribers.lambda_handler(sqs_event(invitation), None)
        repository = NotificationRepository(TenantTable(settings().table_name, tenant))

        # 1. the flush job dies once half the emails are written (a timeout, a lost container)
        real_write, written = TenantTable.write, [0]

        def dying(self: TenantTable, writes: Any, events: Any = ()) -> None:
            emails = sum(1 for w in writes if isinstance(w, Put) and w.item.get("kind") == "email")
            if emails and written[0] >= len(people) // 2:
                raise RuntimeError("the flush job died")
            real_write(self, writes, events)
            written[0] += emails

        TenantTable.write = dying  # type: ignore[method-assign]
        try:
            jobs.flush_due(tenant, after_window)
        except RuntimeError:
            pass
        finally:
            TenantTable.write = real_write  # type: ignore[method-assign]
        emails_before = _logged(repository)
        read_again: list[int] = []
        real_page = NotificationRepository.due_page

        def counted(self: NotificationRepository, *args: Any, **kwargs: Any) -> Any:
            page = real_page(self, *args, **kwargs)
            read_again.append(len(page.items))
            return page

        NotificationRepository.due_page = counted  # type: ignore[method-assign]
        try:
            jobs.flush_due(tenant, after_window)  # the Scheduler's retry
        finally:
            NotificationRepository.due_page = real_page  # type: ignore[method-assign]
        still_waiting = len(people) - emails_before
        figures["flush dies half-way, runs again"] = {
            "emails committed before": emails_before,
            "items re-read": sum(read_again) - still_waiting,
            "emails committed twice": _logged(repository) - len(people),
        }

        # 2. SES throttles every send past the first half until the sender's batch fails
        ses = client("sesv2")
        real_send, sends = ses.send_email, [0]

        def throttling(**request: Any) -> Any:
            if sends[0] >= len(people) // 2 and ses.send_email is throttling:
                raise ClientError(
                    {"Error": {"Code": "TooManyRequestsException"}, "ResponseMetadata": {"HTTPStatusCode": 429}},
                    "SendEmail",
                )
            sends[0] += 1
            return real_send(**request)

        from services.notifications import mailer

        real_sleep = mailer.time.sleep
        mailer.time.sleep = lambda _: None  # the backoff, without waiting for it here
        ses.send_email = throttling
        try:
            handed = outbound.drain(outbound.sendable(), on_failure=lambda: setattr(ses, "send_email", real_send))
        finally:
            ses.send_email, mailer.time.sleep = real_send, real_sleep
        sent = _sent_to(tenant)
        figures["SES throttles half-way, stream retries"] = {
            "emails sent": sum(sent.values()),
            "records re-read": sum(n - 1 for n in handed.values()),
            "messages sent twice": sum(1 for n in sent.values() if n > 1),
        }
    return figures


def _logged(repository: Any) -> int:
    count, cursor = 0, None
    while True:
        items, cursor = repository.log(None, 1000, cursor)
        count += len(items)
        if cursor is None:
            return count


if __name__ == "__main__":
    main()
