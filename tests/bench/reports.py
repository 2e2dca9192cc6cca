"""The half-year board report costs the same however many events are behind it.

    make bench-reports        # or: python -m tests.bench.reports [--sizes 1000,10000,100000] [--runs 15]

Events of a Gotland-sized organisation (60 units in 6 departments, 2,000 people) are consumed through
reporting's consumer in SQS batches of ten, up to each size in turn, each event on a day of the
half-year; after each size, the board report of the half-year (JSON, the whole organisation) is made
`--runs` times. Printed per size: the report's median time (wall; CPU time of this process, the
steadier figure on a machine others share; and its own time: wall less what the embedded DynamoDB
spent answering, which in AWS happens on DynamoDB's side while the function waits) and its DynamoDB
reads (requests), each as a ratio to the smallest size (goal: at most 1.2); the bytes those reads
returned; the same reads replayed bare (no handler: what the embedded DynamoDB and the client alone
take) and the report's time as a multiple of that; and the consumer's DynamoDB round trips per event.

The aggregates grow with units x periods x measures, never with events: a counter exists once its
first event has come, so after a thousand events many unit-months still lack some (a report reads
fewer bytes), and once every unit has figures in every month more events add only digits. Runs
in-process against moto (mock_aws) as the local stack runs it (DynamoDB's transaction semantics,
items answered as plain JSON), and answering a Query from its partition as DynamoDB does (moto sorts
the whole table for every Query, which would make any read grow with the events stored beside it:
that cost is moto's, not the report's).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

os.environ.update(
    AWS_ACCESS_KEY_ID="bench",
    AWS_SECRET_ACCESS_KEY="bench",
    AWS_DEFAULT_REGION="eu-north-1",
    AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
    POWERTOOLS_LOG_LEVEL="ERROR",
    POWERTOOLS_METRICS_DISABLED="true",
)

READS = {"GetItem", "BatchGetItem", "Query"}
UNITS_PER_DEPARTMENT = 10
DEPARTMENTS = 6
PEOPLE = 2000


def directory() -> Iterator[Any]:
    from services.enrolment.contracts.events import PersonUpserted, UnitUpserted

    for d in range(DEPARTMENTS):
        yield UnitUpserted(
            unit_id=f"d{d}",
            name=f"Avdelning {d}",
            kind="department",
            parent_id=None,
            permanent_employees=None,
            full_time_equivalents=None,
            average_age=None,
            managers=None,
            guideline_area=None,
        )
        for u in range(UNITS_PER_DEPARTMENT):
            yield UnitUpserted(
                unit_id=f"u{d}-{u}",
                name=f"Enhet {d}-{u}",
                kind="unit",
                parent_id=f"d{d}",
                permanent_employees=30,
                full_time_equivalents=28.0,
                average_age=45.0,
                managers=1,
                guideline_area="Hemtjänsten",
            )
    for p in range(PEOPLE):
        unit = f"u{p % DEPARTMENTS}-{p // DEPARTMENTS % UNITS_PER_DEPARTMENT}"
        yield PersonUpserted(
            person_id=f"p{p}", name="x", email=None, mobile=None, language="sv", unit_id=unit, manager_id=None, roles=[]
        )


def activity(rng: random.Random) -> tuple[datetime, Any]:
    """One event of the half-year's activity, about one person, and when it happened (in the half-year:
    an enrolment event counts on the day it was published)."""
    person = f"p{rng.randrange(PEOPLE)}"
    day = date(2026, 1, 1) + timedelta(days=rng.randrange(181))
    moment = datetime(day.year, day.month, day.day, 7 + rng.randrange(10), rng.randrange(60), tzinfo=UTC)
    return moment, _event(rng, person, day)


def _event(rng: random.Random, person: str, day: date) -> Any:
    from services.checkins.contracts.events import CheckInCompleted, Rating
    from services.enrolment.contracts import events as e

    kind = rng.randrange(6)
    if kind == 0:
        return e.EnrolmentApproved(programme_id="chefsprogram", person_id=person, version=1, enrolled_by="c")
    if kind == 1:
        return e.StageCompleted(programme_id="chefsprogram", person_id=person, stage_key="bas", exempted=False)
    if kind == 2:
        return e.AttendanceRecorded(
            registration_id="r",
            session_id="s",
            person_id=person,
            programme_id="chefsprogram",
            stage_key="d1",
            attendance=rng.choice(["present", "present", "late", "absent"]),
        )
    if kind == 3:
        return e.ProgrammeCompleted(programme_id="chefsprogram", person_id=person, version=1)
    ratings = [Rating(item_key=k, indicator=k, rating=rng.randint(1, 5)) for k in ("stress", "leadership", "recovery")]
    return CheckInCompleted(
        checkin_id=f"c{rng.random()}",
        cycle_id="y",
        person_id=person,
        manager_id="m",
        kind="check-in",
        focus_area=None,
        due_on=day,
        held_on=day,
        on_time=rng.random() < 0.8,
        ratings=ratings,
        action_items=0,
    )


def time_the_embedded_dynamodb() -> list[float]:
    """Milliseconds moto spends answering requests (parsing, the table's work, the answer), summed into
    the list's one element: what in AWS happens on DynamoDB's side, while the function waits."""
    from moto.core.botocore_stubber import BotocoreStubber

    spent = [0.0]
    original = BotocoreStubber.process_request

    def process_request(self: BotocoreStubber, request: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, request)
        finally:
            spent[0] += (time.perf_counter() - started) * 1000

    BotocoreStubber.process_request = process_request  # type: ignore[method-assign]
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]

    from moto import mock_aws

    from local.moto_dynamodb import make_dynamodb_faithful
    from services.reporting import api, subscribers
    from services.reporting.wiring import WIRING as REPORTING
    from services.shared import observability
    from services.shared.aws import client, reset_clients
    from services.shared.envelope import EventContext, EventEnvelope
    from tests.bench.moto_server import Recorder, measure, query_one_partition
    from tests.support import as_service, claims, http_event, sqs_event, table_name

    make_dynamodb_faithful()
    query_one_partition()
    answering = time_the_embedded_dynamodb()
    warnings.filterwarnings("ignore", message="No application metrics")
    observability.metrics.add_metric = lambda **_: None  # type: ignore[method-assign]  # no EMF lines in the figures
    with mock_aws(), as_service(REPORTING):
        reset_clients()
        dynamodb = client("dynamodb")
        dynamodb.create_table(**REPORTING.table.create_table_request(table_name(REPORTING)))
        recorder = Recorder(dynamodb)
        context = EventContext(tenant_id="bench", actor="bench", correlation_id="bench")
        start = datetime(2025, 12, 1, tzinfo=UTC)

        def consume(events: list[tuple[datetime, Any]]) -> None:
            for offset in range(0, len(events), 10):
                batch = [
                    EventEnvelope.wrap(event, context).model_copy(update={"time": moment})
                    for moment, event in events[offset : offset + 10]
                ]
                result = subscribers.lambda_handler(sqs_event(*batch), None)
                assert not result["batchItemFailures"], result

        board = http_event("GET", "/reports/board", claims("b", "bench", "board"), query={"period": "2026-H1"})

        read_bytes: list[int] = []
        dynamodb.meta.events.register(
            "after-call.dynamodb.*", lambda http_response, **_: read_bytes.append(len(http_response.content))
        )

        def report() -> tuple[float, float, float, int, int]:
            recorder.start()
            read_bytes.clear()
            answering[0] = 0.0
            started, cpu = time.perf_counter(), time.process_time()
            response = api.lambda_handler(board, None)
            elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
            recorder.stop()
            assert response["statusCode"] == 200, response["body"]
            reads = sum(n for op, n in recorder.counts.items() if op in READS)
            return elapsed, cpu, elapsed - answering[0], reads, sum(read_bytes)

        rng = random.Random(2026)
        people = [(start, event) for event in directory()]
        consume(people)
        consumed = len(people)
        print(f"{len(people)} directory events (60 units, {PEOPLE} people) consumed first")
        print(
            f"{'events':>8} {'report ms':>10} {'ratio':>6} {'cpu ms':>7} {'ratio':>6} {'own ms':>7} {'ratio':>6}"
            f" {'reads':>6} {'ratio':>6} {'KB read':>8} {'ratio':>6} {'bare ms':>8} {'x bare':>6}"
            f" {'consumer round trips/event':>27}"
        )
        baseline: tuple[float, ...] | None = None
        for size in sizes:
            batch = [activity(rng) for _ in range(size - (consumed - len(people)))]
            recorder.start()
            consume(batch)
            recorder.stop()
            trips = sum(recorder.counts.values()) / max(len(batch), 1)
            consumed += len(batch)
            # The embedded DynamoDB's items live in this process (in AWS, elsewhere): kept out of the
            # collector's way, so that its passes over them are not timed as the report's.
            gc.collect()
            gc.freeze()
            report()  # warm: the first report imports and caches what every later one uses
            runs = [report() for _ in range(options.runs)]
            milliseconds, cpu, own = (statistics.median(r[i] for r in runs) for i in range(3))
            reads, size_read = max(r[3] for r in runs), max(r[4] for r in runs)
            reads_of_a_report = list(recorder.calls)
            bare = statistics.median(measure(lambda _, calls=reads_of_a_report: recorder.replay(calls), options.runs))
            baseline = baseline or (milliseconds, cpu, own, reads, size_read)
            print(
                f"{size:>8} {milliseconds:>10.1f} {milliseconds / baseline[0]:>6.2f} {cpu:>7.1f} {cpu / baseline[1]:>6.2f}"
                f" {own:>7.1f} {own / baseline[2]:>6.2f} {reads:>6} {reads / baseline[3]:>6.2f}"
                f" {size_read / 1024:>8.1f} {size_read / baseline[4]:>6.2f} {bare:>8.1f} {milliseconds / bare:>6.2f}"
                f" {trips:>27.2f}",
                flush=True,
            )
        reset_clients()


if __name__ == "__main__":
    main()
