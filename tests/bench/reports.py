"""The half-year board report costs the same however many events are behind it.

    make bench-reports        # or: python -m tests.bench.reports [--sizes 1000,10000,100000] [--runs 25]

Events of a Gotland-sized organisation (60 units in 6 departments, 2,000 people) are consumed through
reporting's consumer in SQS batches of ten, each size into a table of its own (the same events, as far
as the size goes), each event on a day of the half-year. Then the board report of the half-year (JSON,
the whole organisation) is made `--runs` times at every size, in interleaved rounds, so that a machine
whose speed drifts during the run (a shared one does, by a factor of two and more) slows every size
alike. Printed per size: the report's time, as the fastest run (timeit's convention: slower runs are
the machine's interference, not the code's cost) and as the median; its own time (fastest too: wall
less what the embedded DynamoDB spent answering, which in AWS happens on DynamoDB's side while the
function waits); its DynamoDB reads (requests); each as a ratio to the smallest size (goal: at most 1.2); the
bytes those reads returned; the same reads replayed bare (no handler: what the embedded DynamoDB and
the client alone take) and the report's time as a multiple of that; and the consumer's DynamoDB round
trips per event.

The aggregates grow with units x periods x measures, never with events: a counter exists once its
first event has come, so after a thousand events many unit-months still lack some (a report reads
fewer bytes), and once every unit has figures in every month more events add only digits. Runs
in-process against moto (mock_aws) as the local stack runs it (DynamoDB's transaction semantics,
items answered as plain JSON, projections picked), and answering a Query from its partition as
DynamoDB does (moto sorts the whole table for every Query, which would make any read grow with the
events stored beside it: that cost is moto's, not the report's).
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
from typing import Any, NamedTuple

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
    parser.add_argument("--runs", type=int, default=25)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]

    from moto import mock_aws

    from local.moto_dynamodb import make_dynamodb_faithful
    from services.reporting import api, subscribers
    from services.reporting.wiring import WIRING as REPORTING
    from services.shared import observability
    from services.shared.aws import client, reset_clients
    from services.shared.envelope import EventContext, EventEnvelope
    from services.shared.settings import replaced
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
        recorder = Recorder(dynamodb)
        context = EventContext(tenant_id="bench", actor="bench", correlation_id="bench")
        tables = {size: f"{table_name(REPORTING)}-{size}" for size in sizes}

        def consume(events: list[tuple[datetime, Any]]) -> None:
            for offset in range(0, len(events), 10):
                batch = [
                    EventEnvelope.wrap(event, context).model_copy(update={"time": moment})
                    for moment, event in events[offset : offset + 10]
                ]
                result = subscribers.lambda_handler(sqs_event(*batch), None)
                assert not result["batchItemFailures"], result

        print(f"Each size in a table of its own: the directory (60 units, {PEOPLE} people), then its events")
        trips: dict[int, float] = {}
        for size in sizes:
            dynamodb.create_table(**REPORTING.table.create_table_request(tables[size]))
            rng = random.Random(2026)  # every table gets the same events, as far as its size goes
            with replaced(table_name=tables[size]):
                consume([(datetime(2025, 12, 1, tzinfo=UTC), event) for event in directory()])
                recorder.start()
                consume([activity(rng) for _ in range(size)])
                recorder.stop()
            trips[size] = sum(recorder.counts.values()) / size
            print(f"  {size} events consumed: {trips[size]:.2f} DynamoDB round trips per event", flush=True)

        board = http_event("GET", "/reports/board", claims("b", "bench", "board"), query={"period": "2026-H1"})
        read_bytes: list[int] = []
        dynamodb.meta.events.register(
            "after-call.dynamodb.*", lambda http_response, **_: read_bytes.append(len(http_response.content))
        )

        def report(size: int) -> Run:
            recorder.start()
            read_bytes.clear()
            answering[0] = 0.0
            with replaced(table_name=tables[size]):
                started = time.perf_counter()
                response = api.lambda_handler(board, None)
                elapsed = (time.perf_counter() - started) * 1000
            recorder.stop()
            assert response["statusCode"] == 200, response["body"]
            reads = sum(n for op, n in recorder.counts.items() if op in READS)
            return Run(elapsed, elapsed - answering[0], reads, sum(read_bytes))

        # The embedded DynamoDB's items live in this process (in AWS, elsewhere): kept out of the
        # collector's way, so that its passes over them are not timed as the report's.
        gc.collect()
        gc.freeze()
        calls: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for size in sizes:  # warm: the first report imports and caches what every later one uses
            report(size)
            calls[size] = list(recorder.calls)

        def bare(size: int) -> float:
            return measure(lambda _: recorder.replay(calls[size]), 1)[0]

        runs: dict[int, list[Run]] = {size: [] for size in sizes}
        bares: dict[int, list[float]] = {size: [] for size in sizes}
        for round_ in range(options.runs):
            # Interleaved, each round starting at another size: a machine that slows down or speeds up
            # during the run slows every size alike, and no size always goes first.
            turn = round_ % len(sizes)
            for size in sizes[turn:] + sizes[:turn]:
                runs[size].append(report(size))
                bares[size].append(bare(size))

        print(
            f"{'events':>8} {'report ms':>10} {'ratio':>6} {'median':>7} {'ratio':>6} {'own ms':>7} {'ratio':>6}"
            f" {'reads':>6} {'ratio':>6} {'KB read':>8} {'ratio':>6} {'bare ms':>8} {'x bare':>6}"
            f" {'consumer round trips/event':>27}"
        )
        baseline = Figures.of(runs[sizes[0]], bares[sizes[0]])
        for size in sizes:
            figures = Figures.of(runs[size], bares[size])
            print(
                f"{size:>8} {figures.wall:>10.1f} {figures.wall / baseline.wall:>6.2f}"
                f" {figures.median:>7.1f} {figures.median / baseline.median:>6.2f}"
                f" {figures.own:>7.1f} {figures.own / baseline.own:>6.2f}"
                f" {figures.reads:>6} {figures.reads / baseline.reads:>6.2f}"
                f" {figures.read / 1024:>8.1f} {figures.read / baseline.read:>6.2f}"
                f" {figures.bare:>8.1f} {figures.wall / figures.bare:>6.2f} {trips[size]:>27.2f}"
            )
        reset_clients()


class Run(NamedTuple):
    wall: float
    own: float
    reads: int
    read: int


class Figures(NamedTuple):
    """A size's fastest run (wall, own and bare time: what the code costs when nothing else on the
    machine gets in its way), its median wall time, and its most reads and bytes."""

    wall: float
    median: float
    own: float
    reads: int
    read: int
    bare: float

    @classmethod
    def of(cls, runs: list[Run], bares: list[float]) -> Figures:
        walls = [run.wall for run in runs]
        return cls(
            min(walls),
            statistics.median(walls),
            min(run.own for run in runs),
            max(run.reads for run in runs),
            max(run.read for run in runs),
            min(bares),
        )


if __name__ == "__main__":
    main()
