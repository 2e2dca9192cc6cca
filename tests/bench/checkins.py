"""Cycles for every supervisor of a tenant, and the daily job, at three sizes, against moto in server mode.

    make bench-checkins           # or: python -m tests.bench.checkins [--sizes 150 1555 15550]

Per size, in a fresh table: the people reach check-ins as enrolment's PersonUpserted events (through
its consumer, ten to an SQS batch), one line manager to 25 supervisors; then, each timed and with its
DynamoDB round trips counted:
- start: `POST /cycles/bulk` for every participant (a cycle and five check-ins each);
- remind: the daily job on the day every appraisal is seven days from due (a reminder each);
- miss: the daily job the day after the grace period (each appraisal marked missed);
- again: the daily job run once more the same day (nothing left to do).
Printed per person: wall time, CPU time of this process (the handlers and moto's server thread: the
steadier figure on a machine others share) and round trips, with the ratio of the largest size to the
smallest: work that grows with the tenant rather than with what is done (a scan, a read of everyone per
person) shows as a ratio above 1.

moto answers every Query by sorting every item of the table (all tenants, all partitions) and then
picking the partition's: its cost grows with the table, where DynamoDB reads only the partition. At
15,550 people (some 400,000 items) one page took longer than the client's 10 s timeout. This benchmark
therefore has moto's base-table Query read only its partition, as DynamoDB does (`query_one_partition`);
nothing else of moto changes, and index queries are left as they are (none is on these paths). Even so
moto takes seconds for a 1 MB page (it sizes every item attribute by attribute), so the clients here
wait longer for an answer than the functions' 10 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from tests.bench.moto_server import Recorder, query_one_partition, start_moto

STEPS = ("start", "remind", "miss", "again")
SPAN = 25  # supervisors per line manager


class Measured(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds of this process (the handlers and moto's server thread), whatever else the machine runs
    trips: int  # DynamoDB requests


def _report(results: dict[int, dict[str, Measured]]) -> None:
    sizes = sorted(results)
    smallest, largest = sizes[0], sizes[-1]
    print(
        f"check-ins at {', '.join(str(s) for s in sizes)} people; moto server; per person; ratio: {largest} to {smallest}"
    )
    for title, field, scale in (("wall ms", "wall", 1000), ("cpu ms", "cpu", 1000), ("round trips", "trips", 1)):
        print(f"{title:12}" + "".join(f"{size:>12}" for size in sizes) + f"{'ratio':>8}")
        for step in STEPS:
            per_person = [getattr(results[size][step], field) * scale / size for size in sizes]
            ratio = per_person[-1] / per_person[0] if per_person[0] else float("nan")
            print(f"  {step:10}" + "".join(f"{value:12.4f}" for value in per_person) + f"{ratio:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 1555, 15550])
    sizes = parser.parse_args().sizes
    server = start_moto()
    query_one_partition()
    from botocore.config import Config

    from services.shared import aws

    aws._CONFIG = aws._CONFIG.merge(Config(read_timeout=300))  # before any client is made
    # imported after the environment is set: the handlers read their settings once
    from services.checkins import api, jobs, routes, subscribers
    from services.checkins.wiring import WIRING
    from services.enrolment.contracts.events import PersonUpserted
    from services.shared.aws import client
    from services.shared.envelope import EventContext, EventEnvelope
    from tests.support import as_service, claims, http_event, sqs_event, table_name

    dynamodb = client("dynamodb")
    recorder = Recorder(dynamodb)
    wheel = {
        "wheel_id": "bench",
        "name": "Bench",
        "appraisal_month": 1,
        "focus_areas": ["a", "b", "c", "d"],
        "questions": [{"key": "goal", "text": "Mål?"}],
        "rating_items": [{"key": "stress", "text": "Stress", "indicator": "stress"}],
    }
    clock = {"now": datetime(2026, 12, 1, 9, tzinfo=UTC)}
    routes.now = jobs.now = lambda: clock["now"]

    def handle(method: str, route: str, body: Any = None) -> Any:
        response = api.lambda_handler(http_event(method, route, claims("coord", "bench", "coordinator"), body), None)
        assert response["statusCode"] < 300, (route, response["body"])
        return response["body"]

    bulk = {"wheel_id": "bench", "audience": {"roles": ["participant"]}}
    results: dict[int, dict[str, Measured]] = {}
    with as_service(WIRING):
        for size in sizes:
            name = table_name(WIRING)
            if name in dynamodb.list_tables()["TableNames"]:
                dynamodb.delete_table(TableName=name)  # each size in a table of its own: moto keeps everything
            dynamodb.create_table(**WIRING.table.create_table_request(name))
            context = EventContext(tenant_id="bench", actor="coord", correlation_id="bench")
            people = [
                PersonUpserted(
                    person_id=f"p{n:05d}",
                    name=f"Person {n}",
                    email=None,
                    mobile=None,
                    language="sv",
                    unit_id=f"u{n % 40}",
                    manager_id=f"m{n // SPAN:04d}",
                    roles=["participant"],
                )
                for n in range(size)
            ]
            started = time.perf_counter()
            for start in range(0, size, 10):
                batch = [EventEnvelope.wrap(p, context) for p in people[start : start + 10]]
                assert subscribers.lambda_handler(sqs_event(*batch), None) == {"batchItemFailures": []}
            print(f"{size} people told in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            clock["now"] = datetime(2026, 12, 1, 9, tzinfo=UTC)
            handle("POST", "/wheels", wheel)

            def step(work: Callable[[], Any], day: date | None = None) -> Measured:
                if day is not None:
                    clock["now"] = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
                recorder.counts.clear()
                wall, cpu = time.perf_counter(), time.process_time()
                work()
                return Measured(time.perf_counter() - wall, time.process_time() - cpu, sum(recorder.counts.values()))

            measured = {
                "start": step(lambda: handle("POST", "/cycles/bulk", bulk)),
                "remind": step(lambda: jobs.lambda_handler({"schedule": "daily"}, None), date(2027, 1, 24)),
                "miss": step(lambda: jobs.lambda_handler({"schedule": "daily"}, None), date(2027, 2, 15)),
                "again": step(lambda: jobs.lambda_handler({"schedule": "daily"}, None)),
            }
            results[size] = measured
            print(f"{size}: " + ", ".join(f"{k} {m.wall:.1f} s" for k, m in measured.items()), file=sys.stderr)
    _report(results)
    server.stop()


if __name__ == "__main__":
    main()
