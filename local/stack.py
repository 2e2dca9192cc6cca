"""The local stack: the production topology in miniature, built from every service's wiring.

    with LocalStack(port=0, aws_port=0, demo=False) as stack:
        requests.get(f"{stack.base_url}/health")

Per service: a table with its stream, a queue fed by its bus rules, a pool of Lambda-like workers;
the gateway routes HTTP to the pools, pollers feed queues and streams to them, schedules fire them.

moto keeps its state in this process, shared by every server it runs here: one stack per process,
and no `mock_aws()` beside it (it wipes that state on entering and on leaving).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from local import aws as embedded
from local import outbox
from local.apigw import RouteTable
from local.auth import TokenAuthority
from local.demo import DEMO_PEOPLE, DemoPerson, load_demo
from local.events import QueuePoller
from local.filters import check_pattern
from local.gateway import FrontDoor, Gateway
from local.openapi import merged_openapi
from local.schedules import ScheduleRunner
from local.streams import ConsumerLane, StreamReader
from local.topology import (
    ACCOUNT_ID,
    API_TIMEOUT_S,
    EVENT_TIMEOUT_S,
    FUNCTION_MEMORY_MB,
    JOB_TIMEOUT_S,
    REGION,
    function_name,
    lambda_environment,
)
from local.workers import FunctionPool
from services.registry import SERVICES
from services.shared.wiring import Route, ServiceWiring

log = logging.getLogger("local.stack")

T = TypeVar("T")
_STOP_TIMEOUT_S = 3.0
_HOUSEKEEPING_S = 5.0


@dataclass
class _Service:
    wiring: ServiceWiring
    pool: FunctionPool
    routes: tuple[Route, ...] = ()
    problem: str | None = None  # why the service's API could not be loaded


class _Joinable(Protocol):
    def join(self, timeout_s: float) -> None: ...


@dataclass
class _Plumbing:
    queues: list[QueuePoller] = field(default_factory=list)
    streams: list[StreamReader] = field(default_factory=list)
    schedules: ScheduleRunner | None = None
    undo_stream_hook: Callable[[], None] | None = None

    def threads(self) -> list[_Joinable]:
        schedules: list[_Joinable] = [self.schedules] if self.schedules else []
        return [*self.queues, *self.streams, *schedules]


class LocalStack:
    """Start once, stop once (or use as a context manager)."""

    def __init__(
        self,
        wirings: Sequence[ServiceWiring] = SERVICES,
        port: int = 3000,
        aws_port: int = 4566,
        demo: bool = True,
        pool_size: int = 2,
        authority: TokenAuthority | None = None,
    ) -> None:
        self.wirings = tuple(wirings)
        self.authority = authority or TokenAuthority()
        self._port = port
        self._demo = demo
        self._pool_size = pool_size
        self._aws = embedded.EmbeddedAws(aws_port)
        self._services: dict[str, _Service] = {}
        self._provisioned: embedded.Provisioned | None = None
        self._plumbing = _Plumbing()
        self._gateway: Gateway | None = None
        self._stopping = threading.Event()
        self._openapi: dict[str, Any] | None = None
        self._openapi_lock = threading.Lock()

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> LocalStack:
        started = time.perf_counter()
        try:
            self._aws.start()
            self._provisioned = embedded.provision(self._aws, self.wirings)
            self._services = {w.name: self._service(w) for w in self.wirings}
            self._start_streams(self._provisioned)
            self._start_queues(self._provisioned)
            self._start_schedules()
            self._start_housekeeping()
            self._start_gateway()
        except BaseException:
            self.stop()
            raise
        log.info("local stack ready in %.1f s: %s", time.perf_counter() - started, self.base_url)
        if self._demo:
            self._load_demo()
        return self

    def stop(self) -> None:
        """Stop everything; safe to call twice and after a failed start."""
        self._stopping.set()
        if self._gateway is not None:
            self._gateway.stop()
            self._gateway = None
        for reader in self._plumbing.streams:
            reader.wake()
        deadline = time.monotonic() + _STOP_TIMEOUT_S
        for thread in self._plumbing.threads():
            thread.join(max(0.0, deadline - time.monotonic()))
        for service in self._services.values():
            service.pool.close()
        if self._plumbing.undo_stream_hook is not None:
            self._plumbing.undo_stream_hook()
        self._plumbing = _Plumbing()
        self._aws.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- what a user or a test needs -------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._gateway is None:
            raise RuntimeError("the stack is not started")
        return f"http://127.0.0.1:{self._gateway.port}"

    @property
    def aws_endpoint(self) -> str:
        return self._aws.endpoint

    def client(self, service: str) -> Any:
        """A boto3 client of the embedded AWS (region and fake credentials set)."""
        return self._aws.client(service)

    def token(self, sub: str, tenant_id: str, roles: Sequence[str], email: str | None = None) -> str:
        return self.authority.issue(sub, tenant_id, roles, email)

    def fire(self, schedule: str) -> Any:
        """Fire `<service>.<schedule>` now; the jobs handler's result. KeyError for an unknown schedule."""
        service_name, _, schedule_name = schedule.partition(".")
        service = self._services[service_name]
        if service.wiring.jobs_handler is None or schedule_name not in {s.name for s in service.wiring.schedules}:
            raise KeyError(schedule)
        return service.pool.invoke(service.wiring.jobs_handler, {"schedule": schedule_name}, JOB_TIMEOUT_S)

    def invoke(self, service: str, handler: str, event: dict[str, Any], timeout_s: float = EVENT_TIMEOUT_S) -> Any:
        """Invoke any handler of `service` in its pool, as Lambda would."""
        return self._services[service].pool.invoke(handler, event, timeout_s)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, interval: float = 0.05) -> T:
        """Poll `predicate` until it returns something truthy, and return that; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {getattr(predicate, '__name__', predicate)}")
            time.sleep(interval)

    def quiet(self) -> bool:
        """Nothing in flight: no queued or invisible messages, stream records all handled, no worker busy."""
        queues = self._provisioned.queues.values() if self._provisioned else ()
        if any(self._queue_counts(refs) != {"waiting": 0, "in_flight": 0} for refs in queues):
            return False
        if not all(reader.idle() for reader in self._plumbing.streams):
            return False
        return all(service.pool.status().busy == 0 for service in self._services.values())

    # --- the gateway's backend -------------------------------------------------------------

    def invoke_api(self, service: str, event: dict[str, Any]) -> Any:
        handler = self._services[service].wiring.api_handler
        if handler is None:
            raise KeyError(service)
        return self._services[service].pool.invoke(handler, event, API_TIMEOUT_S)

    def health(self) -> dict[str, Any]:
        services = {name: self._service_health(service) for name, service in self._services.items()}
        healthy = all(report["status"] == "ok" for report in services.values())
        return {"status": "ok" if healthy else "degraded", "aws_endpoint": self.aws_endpoint, "services": services}

    def openapi(self) -> dict[str, Any]:
        with self._openapi_lock:
            if self._openapi is None:
                loaded = [s.wiring for s in self._services.values() if s.problem is None]
                self._openapi = merged_openapi(loaded)
            return self._openapi

    def sent(self, to: str | None = None) -> dict[str, Any]:
        """What the stack sent (SES and SNS of the embedded AWS, in this process), newest first."""
        return outbox.sent(to)

    def demo_tokens(self) -> list[dict[str, Any]]:
        return [
            {
                "sub": p.sub,
                "tenant_id": p.tenant_id,
                "roles": list(p.roles),
                "name": p.name,
                "email": p.email,
                "token": self._demo_token(p),
            }
            for p in DEMO_PEOPLE
        ]

    # --- inside ----------------------------------------------------------------------------

    def _service(self, wiring: ServiceWiring) -> _Service:
        name = function_name(wiring)
        pool = FunctionPool(
            name=name,
            # the gateway's address is known before it starts only when its port is chosen
            environment=lambda_environment(
                wiring, self.aws_endpoint, f"http://127.0.0.1:{self._port}" if self._port else None
            ),
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
            memory_mb=FUNCTION_MEMORY_MB,
            size=self._pool_size,
        )
        service = _Service(wiring=wiring, pool=pool)
        try:
            # Imports the service's API module here, as the CDK app does at synth.
            service.routes = wiring.routes()
        except Exception as error:
            # One broken service must not keep the others from running; /health reports it.
            log.exception("service %s: its API could not be loaded", wiring.name)
            service.problem = f"{type(error).__name__}: {error}"
        return service

    def _service_health(self, service: _Service) -> dict[str, Any]:
        pool = service.pool.status()
        report: dict[str, Any] = {
            "status": "ok" if service.problem is None else "error",
            "routes": len(service.routes),
            "workers": {"size": pool.size, "running": pool.workers, "busy": pool.busy},
            "invocations": pool.invocations,
            "errors": pool.errors,
        }
        if service.problem:
            report["problem"] = service.problem
        refs = self._provisioned.queues.get(service.wiring.name) if self._provisioned else None
        if refs is not None:
            report["queue"] = self._queue_counts(refs)
        return report

    def _queue_counts(self, refs: embedded.QueueRefs) -> dict[str, int]:
        attributes = self._aws.client("sqs").get_queue_attributes(
            QueueUrl=refs.url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return {
            "waiting": int(attributes["ApproximateNumberOfMessages"]),
            "in_flight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        }

    def _start_streams(self, provisioned: embedded.Provisioned) -> None:
        streams = self._aws.client("dynamodbstreams")
        for name, service in self._services.items():
            lanes = []
            for consumer in service.wiring.stream_consumers:
                check_pattern(consumer.filter_pattern)
                invoke = _with_timeout(service.pool.invoke, EVENT_TIMEOUT_S)
                lanes.append(ConsumerLane(consumer, invoke, self._stopping, f"{name}.{consumer.name}"))
            reader = StreamReader(streams, provisioned.stream_arns[name], lanes, self._stopping, name)
            reader.start_at_latest()
            self._plumbing.streams.append(reader)
        readers = tuple(self._plumbing.streams)

        def wake_readers() -> None:
            for reader in readers:
                reader.wake()

        self._plumbing.undo_stream_hook = embedded.on_stream_write(wake_readers)

    def _start_queues(self, provisioned: embedded.Provisioned) -> None:
        sqs = self._aws.client("sqs")
        for name, refs in provisioned.queues.items():
            wiring = self._services[name].wiring
            if wiring.consumer_handler is None:
                raise ValueError(f"service {name} subscribes to events but has no consumer_handler")
            consume = _bind(self._services[name].pool.invoke, wiring.consumer_handler, EVENT_TIMEOUT_S)
            poller = QueuePoller(sqs, refs.url, refs.arn, consume, self._stopping)
            poller.start()
            self._plumbing.queues.append(poller)

    def _start_schedules(self) -> None:
        schedules = {f"{w.name}.{s.name}": s for w in self.wirings for s in w.schedules}
        if not schedules:
            return
        self._plumbing.schedules = ScheduleRunner(schedules, self.fire, self._stopping)
        self._plumbing.schedules.start()

    def _start_housekeeping(self) -> None:
        def run() -> None:
            while not self._stopping.wait(_HOUSEKEEPING_S):
                embedded.forget_old_shard_iterators()

        threading.Thread(target=run, name="aws housekeeping", daemon=True).start()

    def _start_gateway(self) -> None:
        routes = RouteTable((name, route) for name, service in self._services.items() for route in service.routes)
        self._gateway = Gateway(self._port, FrontDoor(routes, self, self.authority))
        self._gateway.start()

    def _demo_token(self, person: DemoPerson) -> str:
        return self.token(person.sub, person.tenant_id, person.roles, person.email)

    def _load_demo(self) -> None:
        try:
            load_demo(self.base_url, self._demo_token, self._aws.client("events").put_events)
        except Exception:
            # The stack is still useful without its demo data; the trace says what to fix.
            log.exception("loading the demo data failed")


Invoke = Callable[[str, dict[str, Any], float], Any]


def _bind(invoke: Invoke, handler: str, timeout_s: float) -> Callable[[dict[str, Any]], Any]:
    return lambda event: invoke(handler, event, timeout_s)


def _with_timeout(invoke: Invoke, timeout_s: float) -> Callable[[str, dict[str, Any]], Any]:
    return lambda handler, event: invoke(handler, event, timeout_s)
