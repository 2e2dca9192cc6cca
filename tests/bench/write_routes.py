"""Every write route of each service through its Lambda handler, against moto in server mode: what a
request costs beside the DynamoDB calls it makes.

    make bench-ledger            # or: python -m tests.bench.write_routes [--requests 30] [--service checkins]
                                 #     [--route completion]

Per route: the DynamoDB round trips of one request, named by operation, the median time of a request,
and the median time of the very same calls replayed bare (no handler, no validation, no domain code;
writes without their conditions, so they land again) against the same server right after the request.
The ratio of the two is what our code adds; above `LIMIT` the run fails, as it does when a write route of
a service measured has no scenario.

Each request is prepared first (not timed), so that every route is measured doing its real work; how,
is each service's table of scenarios (tests/bench/scenarios/<service>.py). moto's Query reads only the
partition queried, as DynamoDB does (tests.bench.moto_server.query_one_partition): else its cost would
grow with everything the preparations wrote, in the request and in the bare replay alike, and hide what
our code adds.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.bench.moto_server import Recorder, query_one_partition, start_moto

LIMIT = 1.5
SERVICES = ("enrolment", "checkins")


@dataclass
class Measured:
    route: str
    timings: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def ratio(self) -> float:
        return statistics.median(self.timings) / statistics.median(self.bare)

    def line(self, width: int, count: int) -> str:
        median, bare = statistics.median(self.timings), statistics.median(self.bare)
        trips = ", ".join(f"{name} {n / count:g}" for name, n in sorted(self.calls.items()))
        total = sum(self.calls.values()) / count
        return f"{self.route:{width}} {total:6.1f} {median:9.2f} {bare:8.2f} {self.ratio:6.2f}   {trips}"


def measure_service(name: str, dynamodb: Any, recorder: Recorder, requests: int, only: str | None) -> list[Measured]:
    """The service's write routes, each `requests` times prepared, timed and counted, then replayed bare."""
    # imported after the environment is set: the handlers read their settings once
    from tests.bench.scenarios import Bench
    from tests.support import table_name

    service = importlib.import_module(f"tests.bench.scenarios.{name}").SERVICE
    dynamodb.create_table(**service.wiring.table.create_table_request(table_name(service.wiring)))
    bench = Bench(service)
    saved = [(module, module.now) for module in service.clocks]
    for module, _ in saved:
        module.now = bench.clock
    try:
        prepared = service.scenarios(bench)
        declared = {f"{r.method} {r.path}" for r in service.wiring.routes() if r.method != "GET"}
        missing, unknown = sorted(declared - set(prepared)), sorted(set(prepared) - declared)
        assert not missing and not unknown, f"{name}: write routes without a scenario {missing}; not routes {unknown}"
        results = []
        for route in sorted(prepared):
            if only and only not in route:
                continue
            method, path = route.split(" ", 1)
            measured = Measured(route)
            for _ in range(requests):
                bench.now = None
                request = prepared[route](bench)
                recorder.start()
                started = time.perf_counter()
                bench.handle(method, path, request)
                measured.timings.append((time.perf_counter() - started) * 1000)
                calls = recorder.stop()
                measured.calls.update(operation for operation, _ in calls)
                # replayed at once, so that the request and its bare calls meet the same load of the machine
                started = time.perf_counter()
                recorder.replay(calls)
                measured.bare.append((time.perf_counter() - started) * 1000)
            results.append(measured)
        return results
    finally:
        for module, now in saved:
            module.now = now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--service", choices=SERVICES, action="append", help="only this service (repeatable)")
    parser.add_argument("--route", help="only the routes containing this text")
    options = parser.parse_args()
    server = start_moto()
    query_one_partition()
    host, port = server.get_host_and_port()
    from services.shared.aws import client

    dynamodb = client("dynamodb")
    recorder = Recorder(dynamodb)
    over = []
    print(f"{options.requests} requests per route, each service's handler against moto in server mode on {host}:{port}")
    for name in options.service or SERVICES:
        results = measure_service(name, dynamodb, recorder, options.requests, options.route)
        width = max([len(m.route) for m in results] + [5])
        print(f"\n{name}")
        print(f"{'route':{width}} {'trips':>6} {'median ms':>9} {'bare ms':>8} {'ratio':>6}   round trips per request")
        for measured in results:
            print(measured.line(width, options.requests))
        over += [f"{name}: {m.route}" for m in results if m.ratio > LIMIT]
    server.stop()
    if over:
        raise SystemExit(f"above {LIMIT} times the bare calls: {', '.join(over)}")


if __name__ == "__main__":
    main()
