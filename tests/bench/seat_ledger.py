"""Register and cancel-with-promotion through the enrolment handler, against moto in server mode.

    make bench-ledger            # or: python -m tests.bench.seat_ledger [--requests 200]

Prints, per operation, the DynamoDB round trips per request and the median time per request, and
that time as a ratio to a baseline measured in the same run against the same server: the same
number and kind of bare DynamoDB calls (GetItem, Query, TransactWriteItems of the same size) with
no handler, validation or domain code around them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from tests.bench.moto_server import Recorder, measure, start_moto


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    count = parser.parse_args().requests
    server = start_moto()
    host, port = server.get_host_and_port()
    # imported after the environment is set: the handler reads its settings once
    from services.enrolment import api
    from services.enrolment.wiring import WIRING
    from services.shared.aws import client
    from tests.support import as_service, claims, http_event, table_name

    dynamodb = client("dynamodb")
    dynamodb.create_table(**WIRING.table.create_table_request(table_name(WIRING)))
    calls = Recorder(dynamodb).counts
    coordinator = claims("coord", "bench", "coordinator")
    year = date.today().year + 1

    def handle(method: str, route: str, who: dict[str, str], body: Any = None, **params: str) -> dict[str, Any]:
        response = api.lambda_handler(http_event(method, route, who, body, path_parameters=params or None), None)
        assert response["statusCode"] < 300, (method, params, response["body"])
        return response

    def new_session(capacity: int, claim_window: int | None = None) -> str:
        body = {"stage_key": "f1", "starts_at": f"{year}-11-04T13:00", "ends_at": f"{year}-11-04T15:45"}
        body |= {"capacity": capacity, "claim_window_minutes": claim_window}
        response = handle("POST", "/programmes/{programme_id}/sessions", coordinator, body, programme_id="bench")
        return str(json.loads(response["body"])["session_id"])

    with as_service(WIRING):
        programme = {
            "programme_id": "bench",
            "name": "Bench",
            "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}],
        }
        handle("POST", "/programmes", coordinator, programme)
        route = "/sessions/{session_id}/registrations"

        # register: every request, by someone already enrolled, takes a free seat
        roomy = new_session(capacity=count)
        for index in range(count):
            handle(
                "POST", "/programmes/{programme_id}/enrolments", claims(f"p{index}", "bench"), {}, programme_id="bench"
            )
        calls.clear()
        register_ms = measure(lambda i: handle("POST", route, claims(f"p{i}", "bench"), session_id=roomy), count)
        register_calls = dict(calls)

        # cancel with promotion: a full session of one seat and a line behind it; each cancel promotes the next
        full = new_session(capacity=1)
        for index in range(count + 1):
            handle("POST", route, claims(f"q{index}", "bench"), session_id=full)
        cancel_route = "/sessions/{session_id}/registrations/{person_id}"
        calls.clear()
        cancel_ms = measure(
            lambda i: handle("DELETE", cancel_route, claims(f"q{i}", "bench"), session_id=full, person_id=f"q{i}"),
            count,
        )
        cancel_calls = dict(calls)

    # Baselines: the same bare calls, same sizes, same server.
    table = table_name(WIRING)

    def bare(calls_per_request: dict[str, int]) -> Callable[[int], None]:
        def run(index: int) -> None:
            key = {"pk": {"S": f"T#bench#BARE#{uuid.uuid4().hex}"}, "sk": {"S": "X"}}
            for name, number in calls_per_request.items():
                for _ in range(round(number / count)):
                    if name == "GetItem":
                        dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)
                    elif name == "Query":
                        dynamodb.query(
                            TableName=table,
                            KeyConditionExpression="pk = :pk",
                            ExpressionAttributeValues={":pk": key["pk"]},
                            Limit=1,
                        )
                    elif name == "UpdateItem":
                        dynamodb.update_item(
                            TableName=table,
                            Key=key,
                            UpdateExpression="SET n = :n",
                            ExpressionAttributeValues={":n": {"N": "1"}},
                        )
                    elif name == "TransactWriteItems":
                        items = [
                            {"Put": {"TableName": table, "Item": {**key, "sk": {"S": f"X{n}"}, "v": {"S": "x" * 600}}}}
                            for n in range(4)
                        ]
                        dynamodb.transact_write_items(TransactItems=items)

        return run

    print(f"{count} requests per operation, moto server on {host}:{port}")
    print(f"{'operation':28} {'round trips/request':>20} {'median ms':>10} {'bare ms':>8} {'ratio':>6}")
    for name, timings, per_call in (
        ("register", register_ms, register_calls),
        ("cancel with promotion", cancel_ms, cancel_calls),
    ):
        baseline = measure(bare(per_call), count)
        trips = sum(per_call.values()) / count
        median, bare_median = statistics.median(timings), statistics.median(baseline)
        detail = ", ".join(f"{k} {v / count:g}" for k, v in sorted(per_call.items()))
        print(f"{name:28} {trips:20.1f} {median:10.2f} {bare_median:8.2f} {median / bare_median:6.2f}   ({detail})")
    server.stop()


if __name__ == "__main__":
    main()
