"""What the DynamoDB benchmarks share: a moto server set up as the local stack runs it, and a recorder
of the calls an operation makes, to count them and to replay them bare as the baseline."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from moto.server import ThreadedMotoServer

from local.moto_dynamodb import make_dynamodb_faithful


def start_moto() -> ThreadedMotoServer:
    """A moto server on a free port, with the environment pointing every client at it."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    make_dynamodb_faithful()  # as the local stack runs it: conditions first, then writes, no table copies
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="eu-north-1",
        POWERTOOLS_LOG_LEVEL="ERROR",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    return server


def query_one_partition() -> None:
    """Have moto's base-table Query go through the items of its partition only, as DynamoDB does."""
    from moto.dynamodb.models.table import Table

    original = Table.query

    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: partition  # type: ignore[method-assign]
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]


def measure(operation: Callable[[int], None], count: int) -> list[float]:
    """Milliseconds per run of `operation(index)`."""
    timings = []
    for index in range(count):
        started = time.perf_counter()
        operation(index)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


class Recorder:
    """Counts the calls of some clients by operation and keeps their parameters while `recording`."""

    def __init__(self, *clients: Any) -> None:
        self.counts: Counter[str] = Counter()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.recording = False
        self.owners: dict[str, Any] = {}  # operation -> the client that made it, to replay it
        for client in clients:
            service = client.meta.service_model.service_id.hyphenize()
            client.meta.events.register(f"provide-client-params.{service}.*", partial(self._seen, client))

    def _seen(self, client: Any, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.counts.update([model.name])
        self.owners[model.name] = client
        if self.recording:
            self.calls.append((model.name, params))

    def start(self) -> None:
        self.counts.clear()
        self.calls.clear()
        self.recording = True

    def stop(self) -> list[tuple[str, dict[str, Any]]]:
        self.recording = False
        return list(self.calls)

    def replay(self, calls: list[tuple[str, dict[str, Any]]]) -> None:
        """The same requests, bare; writes unguarded, so that they land again on the items they wrote."""
        for operation, params in calls:
            method = getattr(self.owners[operation], _snake(operation))
            method(**_unguarded(params))


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _unguarded(params: dict[str, Any]) -> dict[str, Any]:
    if "TransactItems" in params:
        items = [
            {k: _holding(v) if k == "ConditionCheck" else _unguarded(v) for k, v in i.items()}
            for i in params["TransactItems"]
        ]
        return params | {"TransactItems": items}
    if "ConditionExpression" not in params:
        return params
    bare = {k: v for k, v in params.items() if k != "ConditionExpression"}
    used = str(params.get("UpdateExpression", "")) + str(params.get("ProjectionExpression", ""))
    for key in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
        kept = {name: value for name, value in params.get(key, {}).items() if name in used}
        bare.pop(key, None)
        if kept:
            bare[key] = kept
    return bare


def _holding(check: dict[str, Any]) -> dict[str, Any]:
    """A transaction's condition check, bare: the same item read, under a condition that always holds."""
    kept = {k: v for k, v in check.items() if k not in ("ConditionExpression", "ExpressionAttributeValues")}
    name = next(iter(check["Key"]))
    return kept | {
        "ConditionExpression": "attribute_exists(#key) OR attribute_not_exists(#key)",
        "ExpressionAttributeNames": {"#key": name},
    }
