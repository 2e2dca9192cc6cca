"""Functions run like Lambda: a pool of worker processes per service, each with that service's environment.

A worker is a fresh interpreter (multiprocessing "spawn": the parent has threads, so no fork). It
clears the environment it inherited and takes the function's, imports a handler on its first
invocation and keeps it, as a warm Lambda sandbox does. One invocation at a time per worker, as in
Lambda. Events and results cross the process boundary as JSON, as they do in Lambda, so a handler
that returns something JSON cannot carry fails here as it would there.

A handler that raises, times out or kills its process becomes a `FunctionError`: the caller turns
it into what the AWS integration does with a failed invocation.
"""

from __future__ import annotations

import decimal
import importlib
import io
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from services.shared.wiring import handler_target

log = logging.getLogger("local.functions")

_SPAWN = multiprocessing.get_context("spawn")
_STOP_GRACE_S = 1.0


THROTTLE_AFTER_S = 30.0  # API Gateway's longest integration timeout
INIT_TIMEOUT_S = 10.0  # Lambda's init phase, apart from the function's timeout


class FunctionError(Exception):
    """An invocation that failed, named as Lambda names it (errorType, errorMessage)."""

    def __init__(self, error_type: str, message: str, sandbox_lost: bool = False) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.sandbox_lost = sandbox_lost  # the worker is gone or stuck and must be replaced


# --- the worker process ----------------------------------------------------------------------


@dataclass
class LambdaContext:
    """The parts of Lambda's context object that handlers and powertools read."""

    function_name: str
    memory_limit_in_mb: str  # a string in Lambda's own context too: it is read from the environment
    invoked_function_arn: str
    aws_request_id: str
    deadline_epoch_ms: int
    function_version: str = "$LATEST"
    log_stream_name: str = "local"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_epoch_ms - int(time.time() * 1000))


def _json_default(value: object) -> object:
    # The Lambda Python runtime turns Decimal (what boto3 reads from DynamoDB) into a number.
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _take_environment(environment: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environment)
    time.tzset()  # TZ changed: make time.localtime agree


def worker_main(connection: Connection, environment: dict[str, str]) -> None:
    """Entry of a worker process: answer invocations until the parent closes the connection."""
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _take_environment(environment)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # log lines appear as they are written, as in CloudWatch
    handlers: dict[str, Callable[[Any, Any], Any]] = {}
    while True:
        try:
            request = json.loads(connection.recv_bytes())
        except (EOFError, OSError):
            return
        connection.send_bytes(_invoke_here(handlers, request).encode())


def _invoke_here(handlers: dict[str, Callable[[Any, Any], Any]], request: dict[str, Any]) -> str:
    context = LambdaContext(**request["context"])
    try:
        handler = handlers.get(request["handler"])
        if handler is None:
            handler = handlers[request["handler"]] = _import_handler(request["handler"])
        result = handler(request["event"], context)
    except Exception as error:
        # What Lambda writes to the function's log for an unhandled exception.
        print(f"[ERROR] {type(error).__name__}: {error}\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        return json.dumps({"error": {"errorType": type(error).__name__, "errorMessage": str(error)}})
    try:
        return json.dumps({"result": result}, default=_json_default)
    except (TypeError, ValueError) as error:
        return json.dumps({"error": {"errorType": "Runtime.MarshalError", "errorMessage": str(error)}})


def _import_handler(dotted: str) -> Callable[[Any, Any], Any]:
    module_name, attribute = handler_target(dotted)
    handler: Callable[[Any, Any], Any] = getattr(importlib.import_module(module_name), attribute)
    return handler


# --- the parent's side -----------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    initialised: set[str] = field(default_factory=set)  # handlers imported: their init phase is behind them

    def kill(self) -> None:
        """End the worker at once: Lambda gives a Python function no notice either."""
        self.process.kill()
        self.process.join(_STOP_GRACE_S)
        self.connection.close()


@dataclass
class PoolStatus:
    size: int
    workers: int
    busy: int
    invocations: int
    errors: int


@dataclass
class FunctionPool:
    """Up to `size` warm workers of one service; started on demand, as Lambda starts sandboxes."""

    name: str  # the function name, as in the ARN
    environment: dict[str, str]
    invoked_function_arn: str
    memory_mb: int
    size: int = 2
    _idle: list[_Worker] = field(default_factory=list)
    _running: set[_Worker] = field(default_factory=set)
    _workers: int = 0  # running, or being started
    _invocations: int = 0
    _errors: int = 0
    _closed: bool = False
    _available: threading.Condition = field(default_factory=threading.Condition)

    def invoke(self, handler: str, event: dict[str, Any], timeout_s: float) -> Any:
        """Run `handler` (dotted path) on `event` in a worker within `timeout_s`; its result, or FunctionError.

        Waiting for a free worker does not count against the function's timeout. Lambda would scale
        out where this pool waits, so the wait is bounded by API Gateway's integration timeout, not the
        function's; past it the invocation is throttled (TooManyRequestsException).
        """
        worker = self._acquire(time.monotonic() + max(timeout_s, THROTTLE_AFTER_S))
        healthy = True
        try:
            return self._call(worker, handler, event, timeout_s)
        except FunctionError as error:
            healthy = not error.sandbox_lost
            with self._available:
                self._errors += 1
            log.error("%s %s failed: %s", self.name, handler, error)
            raise
        finally:
            self._release(worker, healthy)

    def status(self) -> PoolStatus:
        with self._available:
            return PoolStatus(
                size=self.size,
                workers=self._workers,
                busy=self._workers - len(self._idle),
                invocations=self._invocations,
                errors=self._errors,
            )

    def close(self) -> None:
        with self._available:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = self._running.difference(idle)
            self._available.notify_all()
        for worker in busy:
            # Its invocation fails (the worker ended) and the invoking thread cleans up after it.
            worker.process.kill()
        for worker in idle:
            worker.kill()

    def _acquire(self, deadline: float) -> _Worker:
        with self._available:
            while True:
                if self._closed:
                    raise FunctionError("ServiceException", f"{self.name} is stopping")
                if self._idle:
                    self._invocations += 1
                    return self._idle.pop()
                if self._workers < self.size:
                    self._invocations += 1
                    self._workers += 1
                    break
                if not self._available.wait(max(0.0, deadline - time.monotonic())):
                    raise FunctionError("TooManyRequestsException", f"every worker of {self.name} stayed busy")
        try:
            worker = self._start_worker()
            with self._available:
                self._running.add(worker)
            return worker
        except BaseException:
            with self._available:
                self._workers -= 1
                self._available.notify()
            raise

    def _release(self, worker: _Worker, healthy: bool) -> None:
        with self._available:
            keep = healthy and not self._closed
            if keep:
                self._idle.append(worker)
            else:
                self._workers -= 1
                self._running.discard(worker)
            self._available.notify()
        if not keep:
            worker.kill()

    def _start_worker(self) -> _Worker:
        parent_end, child_end = _SPAWN.Pipe()
        process = _SPAWN.Process(
            target=worker_main, args=(child_end, self.environment), name=f"{self.name}-worker", daemon=True
        )
        process.start()
        child_end.close()
        return _Worker(process=process, connection=parent_end)

    def _call(self, worker: _Worker, handler: str, event: dict[str, Any], timeout_s: float) -> Any:
        context = {
            "function_name": self.name,
            "memory_limit_in_mb": str(self.memory_mb),
            "invoked_function_arn": self.invoked_function_arn,
            "aws_request_id": str(uuid.uuid4()),
            "deadline_epoch_ms": int((time.time() + timeout_s) * 1000),
        }
        # Lambda gives a function's init (its imports) a budget of its own, apart from the invocation's
        waited_s = timeout_s if handler in worker.initialised else timeout_s + INIT_TIMEOUT_S
        try:
            worker.connection.send_bytes(json.dumps({"handler": handler, "event": event, "context": context}).encode())
            if not worker.connection.poll(waited_s):
                # Lambda stops a function at its timeout and throws its sandbox away.
                raise FunctionError(
                    "Sandbox.Timedout", f"Task timed out after {timeout_s:.2f} seconds", sandbox_lost=True
                )
            reply = json.loads(worker.connection.recv_bytes())
            worker.initialised.add(handler)
        except (EOFError, OSError) as error:
            raise FunctionError(
                "Runtime.ExitError", f"the worker process ended: {error!r}", sandbox_lost=True
            ) from error
        if "error" in reply:
            # The sandbox survives an exception its handler raised, as it does in Lambda.
            raise FunctionError(reply["error"]["errorType"], reply["error"]["errorMessage"])
        return reply["result"]
