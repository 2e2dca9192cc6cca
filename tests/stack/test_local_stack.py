"""The local stack's own pieces: gateway, authorizer, OpenAPI and docs, event plumbing, workers, cron.

Everything the stack runs is read from the wiring, so these tests read it too: they pick routes,
subscriptions and schedules from `SERVICES` rather than naming any service's.
"""

from __future__ import annotations

import base64
import json
import os
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from local.apigw import MatchedRoute, Request, RouteTable, http_api_event, http_response
from local.auth import TokenAuthority, claims_as_strings
from local.aws import EmbeddedAws, provision, subscription_bus
from local.batches import failed_item_ids
from local.filters import UnsupportedPattern, check_pattern, matches
from local.gateway import FrontDoor
from local.schedules import UnsupportedCron, next_fire, to_croniter
from local.stack import LocalStack
from local.streams import ConsumerLane
from local.topology import BUS_NAME, lambda_environment, rule_name, table_name
from local.workers import FunctionError, FunctionPool
from services.registry import SERVICES
from services.shared.envelope import EventEnvelope
from services.shared.wiring import INTEGRATION_SCHEME, OUTBOX_KIND, Route, Schedule, StreamConsumer, outbox_filter

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

TIMEOUT = 10
OTHER_SECRET = "another-issuers-secret-at-least-32-bytes"
ALL_ROUTES = [(wiring, route) for wiring in SERVICES for route in wiring.routes()]
PROTECTED_GET = next(r for _, r in ALL_ROUTES if r.method == "GET" and not r.path.startswith("/public/"))
WRITE_ROUTE = next(r for _, r in ALL_ROUTES if r.method in ("POST", "PUT", "PATCH") and not r.scopes)
SUBSCRIBER = next(w for w in SERVICES if w.subscriptions)
SCHEDULED = next(w for w in SERVICES if w.schedules)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def coordinator_token(stack: LocalStack) -> str:
    return stack.token("local-stack-test", "local-stack-test", ["coordinator", "admin"])


# --- gateway: tools ------------------------------------------------------------------------------


def test_health_reports_every_service_ok(stack: LocalStack) -> None:
    response = requests.get(f"{stack.base_url}/health", timeout=TIMEOUT)

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert {name: s["status"] for name, s in report["services"].items()} == {w.name: "ok" for w in SERVICES}
    assert report["services"][SUBSCRIBER.name]["queue"].keys() == {"waiting", "in_flight"}


def test_openapi_holds_every_route_of_every_service_behind_the_bearer_scheme(stack: LocalStack) -> None:
    document = requests.get(f"{stack.base_url}/openapi.json", timeout=TIMEOUT).json()

    # moto[server] brings the validator along; a document Swagger UI or a client generator rejects is useless
    pytest.importorskip("openapi_spec_validator").validate(document)
    assert document["openapi"].startswith("3.1")
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    for wiring in SERVICES:
        missing = {(r.method, r.path) for r in wiring.routes()} - documented
        assert not missing, f"{wiring.name}: {missing}"
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert document["security"] == [{"bearerAuth": []}]
    for path, item in document["paths"].items():
        for operation in item.values():
            if path.startswith("/public/"):
                assert operation["security"] == []
            elif "security" in operation:  # for integrations: their scheme and the route's scope
                assert [list(scheme) for scheme in operation["security"]] == [[INTEGRATION_SCHEME]]
                assert "401" in operation["responses"]
            else:
                assert "401" in operation["responses"]


def test_docs_serve_swagger_ui_with_its_assets_from_the_gateway(stack: LocalStack) -> None:
    page = requests.get(f"{stack.base_url}/docs", timeout=TIMEOUT)

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    scripts = re.findall(r"<script src='([^']+)'", page.text)
    assert scripts == ["/docs/swagger-ui-bundle.min.js"]
    assert '"openapi": "3.1' in page.text  # the merged document is inlined, so the page needs no second fetch
    script = requests.get(stack.base_url + scripts[0], timeout=TIMEOUT)
    assert script.status_code == 200 and script.headers["content-type"] == "application/javascript"
    assert b"SwaggerUIBundle" in script.content
    stylesheet = requests.get(f"{stack.base_url}/docs/swagger-ui.min.css", timeout=TIMEOUT)
    assert stylesheet.status_code == 200 and stylesheet.headers["content-type"] == "text/css"


def test_a_token_from_the_token_tool_passes_the_authorizer(stack: LocalStack) -> None:
    issued = requests.post(
        f"{stack.base_url}/local/token",
        json={"sub": "someone", "tenant_id": "local-stack-test", "roles": ["coordinator", "admin"]},
        timeout=TIMEOUT,
    )
    assert issued.status_code == 200

    response = requests.get(
        stack.base_url + concrete(PROTECTED_GET.path), headers=bearer(issued.json()["token"]), timeout=TIMEOUT
    )
    assert response.status_code != 401, response.text


def test_the_token_tool_refuses_a_request_without_a_tenant(stack: LocalStack) -> None:
    response = requests.post(f"{stack.base_url}/local/token", json={"sub": "someone"}, timeout=TIMEOUT)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["tenant_id"]


def test_demo_tokens_carry_each_demo_persons_tenant_and_roles(stack: LocalStack) -> None:
    tokens = requests.get(f"{stack.base_url}/local/tokens", timeout=TIMEOUT).json()["tokens"]

    coordinator = next(t for t in tokens if t["sub"] == "humana-coordinator")
    claims = stack.authority.verify(f"Bearer {coordinator['token']}")
    assert (claims["custom:tenant_id"], claims["custom:roles"]) == ("humana", "coordinator,admin")
    assert {t["tenant_id"] for t in tokens} == {"humana", "halland", "gotland"}


def test_firing_a_schedule_runs_its_jobs_handler(stack: LocalStack) -> None:
    name = f"{SCHEDULED.name}.{SCHEDULED.schedules[0].name}"
    before = stack.health()["services"][SCHEDULED.name]["invocations"]

    response = requests.post(f"{stack.base_url}/local/schedules/{name}", timeout=TIMEOUT)

    assert response.status_code == 200, response.text
    assert response.json()["schedule"] == SCHEDULED.schedules[0].name  # what the jobs handler answered
    # at least: the relay may still be publishing what earlier tests wrote, in the same pool
    assert stack.health()["services"][SCHEDULED.name]["invocations"] >= before + 1


def test_firing_an_unknown_schedule_is_a_404(stack: LocalStack) -> None:
    response = requests.post(f"{stack.base_url}/local/schedules/{SCHEDULED.name}.no-such", timeout=TIMEOUT)

    assert response.status_code == 404


# --- gateway: API Gateway in front of the services ------------------------------------------------


def test_an_unknown_route_is_api_gateways_404(stack: LocalStack) -> None:
    response = requests.get(f"{stack.base_url}/no/such/route", headers=bearer(coordinator_token(stack)), timeout=10)

    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no token"),
        pytest.param("Bearer not-a-jwt", id="not a token"),
        pytest.param(TokenAuthority(secret=OTHER_SECRET).issue("p", "t", ["admin"]), id="bad signature"),
        pytest.param(TokenAuthority().issue("p", "t", ["admin"], lifetime_s=-60), id="expired"),
        pytest.param(TokenAuthority(audience="another-client").issue("p", "t", ["admin"]), id="wrong audience"),
        pytest.param(TokenAuthority(issuer="https://elsewhere").issue("p", "t", ["admin"]), id="wrong issuer"),
    ],
)
def test_the_authorizer_refuses_with_api_gateways_401(stack: LocalStack, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = requests.get(stack.base_url + concrete(PROTECTED_GET.path), headers=headers, timeout=TIMEOUT)

    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})


def test_a_body_that_is_not_json_gets_the_services_json_400(stack: LocalStack) -> None:
    response = requests.request(
        WRITE_ROUTE.method,
        stack.base_url + concrete(WRITE_ROUTE.path),
        data=b"{not json",
        headers={**bearer(coordinator_token(stack)), "Content-Type": "application/json"},
        timeout=TIMEOUT,
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unreadable_body"
    assert response.headers["apigw-requestid"]


class FakeBackend:
    """Behind a FrontDoor in the tests: records the API events, fails on request."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.events: list[dict[str, Any]] = []

    def invoke_api(self, service: str, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if self.fail:
            raise FunctionError("RuntimeError", "a bug")
        return {"statusCode": 204}

    def health(self) -> dict[str, Any]:
        return {"status": "ok"}

    def openapi(self) -> dict[str, Any]:
        return {}

    def fire(self, name: str) -> Any:
        raise KeyError(name)

    def demo_tokens(self) -> list[dict[str, Any]]:
        return []


def front_door(backend: FakeBackend) -> FrontDoor:
    routes = RouteTable([("svc", Route("GET", "/things")), ("svc", Route("GET", "/public/things"))])
    return FrontDoor(routes, backend, TokenAuthority())


def get(path: str, authorization: str | None = None, more_headers: list[tuple[str, str]] | None = None) -> Request:
    headers = ([("Authorization", authorization)] if authorization else []) + (more_headers or [])
    return Request(method="GET", raw_path=path, raw_query="", headers=headers, body=b"", source_ip="127.0.0.1")


def test_a_function_that_fails_is_api_gateways_500() -> None:
    token = TokenAuthority().issue("p", "t", [])

    response = front_door(FakeBackend(fail=True)).handle(get("/things", f"Bearer {token}"))

    assert (response.status, json.loads(response.body)) == (500, {"message": "Internal Server Error"})


def test_a_public_route_needs_no_token_and_its_event_has_no_authorizer() -> None:
    backend = FakeBackend()

    response = front_door(backend).handle(get("/public/things"))

    assert response.status == 204
    assert "authorizer" not in backend.events[0]["requestContext"]


def test_the_authorizer_accepts_a_token_without_the_bearer_prefix_as_api_gateway_does() -> None:
    backend = FakeBackend()

    response = front_door(backend).handle(get("/things", TokenAuthority().issue("p", "t", ["manager"])))

    assert response.status == 204
    claims = backend.events[0]["requestContext"]["authorizer"]["jwt"]["claims"]
    assert (claims["sub"], claims["custom:tenant_id"], claims["custom:roles"]) == ("p", "t", "manager")
    assert claims["exp"].isdigit()


def test_a_browsers_preflight_is_answered_before_the_authorizer_and_responses_carry_cors() -> None:
    origin = [("Origin", "http://localhost:5173")]
    preflight = Request(
        method="OPTIONS",
        raw_path="/things",
        raw_query="",
        headers=[*origin, ("Access-Control-Request-Method", "POST")],
        body=b"",
        source_ip="127.0.0.1",
    )
    backend = FakeBackend()

    answered = dict(front_door(backend).handle(preflight).headers)
    token = TokenAuthority().issue("p", "t", [])
    called = front_door(backend).handle(get("/things", f"Bearer {token}", origin))

    assert answered["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in answered["access-control-allow-headers"]
    assert "PATCH" in answered["access-control-allow-methods"]
    assert len(backend.events) == 1  # the preflight reached no function
    assert dict(called.headers)["access-control-expose-headers"] == "x-correlation-id"


def test_provisioning_again_against_the_same_aws_changes_nothing(stack: LocalStack) -> None:
    # moto's state is per process: a second server here serves the stack's own resources.
    again = EmbeddedAws(port=0)
    again.start()
    try:
        first, second = provision(again, SERVICES), provision(again, SERVICES)
        tables = again.client("dynamodb").list_tables()["TableNames"]
        buses = {subscription_bus(s) for wiring in SERVICES for s in wiring.subscriptions}
        rules = [
            (bus, rule["Name"])
            for bus in buses
            for rule in again.client("events").list_rules(EventBusName=bus)["Rules"]
        ]
    finally:
        again.stop()

    assert first == second
    assert sorted(tables) == sorted(table_name(w) for w in SERVICES)
    wired = [(subscription_bus(s), rule_name(wiring, s)) for wiring in SERVICES for s in wiring.subscriptions]
    assert sorted(rules) == sorted(wired)


# --- functions run like Lambda ------------------------------------------------------------------


def environment_of_this_worker(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A handler for the tests, run in a service's worker."""
    return {"environment": dict(os.environ), "function_name": context.function_name}


def failing_handler(event: dict[str, Any], context: Any) -> None:
    raise RuntimeError("this handler always fails")


def sleeping_handler(event: dict[str, Any], context: Any) -> None:
    time.sleep(event["seconds"])


def test_a_worker_has_exactly_its_services_lambda_environment(stack: LocalStack) -> None:
    wiring = SERVICES[0]

    seen = stack.invoke(wiring.name, f"{__name__}.environment_of_this_worker", {})

    assert seen["environment"] == lambda_environment(wiring, stack.aws_endpoint)
    assert seen["function_name"] == f"ledarlyft-{wiring.name}"


def test_a_raising_handler_is_a_function_error_and_its_worker_stays_warm(stack: LocalStack) -> None:
    wiring = SERVICES[0]

    with pytest.raises(FunctionError) as failure:
        stack.invoke(wiring.name, f"{__name__}.failing_handler", {})

    assert (failure.value.error_type, failure.value.sandbox_lost) == ("RuntimeError", False)


def test_a_handler_past_its_timeout_loses_its_worker() -> None:
    pool = FunctionPool("timeout-test", dict(os.environ), "arn:aws:lambda:::function:t", 128, size=1)
    try:
        # A warm worker first, so that the timeout below is the handler's alone.
        pool.invoke(f"{__name__}.sleeping_handler", {"seconds": 0}, timeout_s=TIMEOUT)
        with pytest.raises(FunctionError) as failure:
            pool.invoke(f"{__name__}.sleeping_handler", {"seconds": 5}, timeout_s=0.5)
        assert failure.value.error_type == "Sandbox.Timedout"
        assert pool.status().workers == 0
    finally:
        pool.close()


# --- event plumbing -----------------------------------------------------------------------------


def probe_envelope(source: str) -> EventEnvelope:
    """An event no consumer handles: the consumer acknowledges it and changes nothing."""
    return EventEnvelope(
        type="LocalStackProbe",
        version=1,
        source=source,
        tenant_id="local-stack-test",
        correlation_id=str(uuid.uuid4()),
        actor="test",
        data={},
    )


def test_an_event_on_the_bus_reaches_the_subscribed_services_consumer(stack: LocalStack) -> None:
    subscription = SUBSCRIBER.subscriptions[0]
    before = stack.health()["services"][SUBSCRIBER.name]["invocations"]
    envelope = probe_envelope(subscription.pattern()["source"][0])

    sent = stack.client("events").put_events(
        Entries=[
            {
                "EventBusName": BUS_NAME,
                "Source": envelope.source,
                "DetailType": subscription.detail_types[0],  # the rule matches on it; the consumer on the envelope
                "Detail": envelope.model_dump_json(),
            }
        ]
    )

    assert sent["FailedEntryCount"] == 0
    stack.wait_for(lambda: stack.health()["services"][SUBSCRIBER.name]["invocations"] > before, TIMEOUT)
    stack.wait_for(lambda: stack.health()["services"][SUBSCRIBER.name]["queue"] == {"waiting": 0, "in_flight": 0})


@pytest.fixture
def spy_queue(stack: LocalStack) -> Any:
    """A queue of everything the services publish on the bus, for the test's eyes only."""
    sqs, events = stack.client("sqs"), stack.client("events")
    name = f"spy-{uuid.uuid4().hex[:8]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sources = [wiring.source for wiring in SERVICES]
    events.put_rule(Name=name, EventBusName=BUS_NAME, EventPattern=json.dumps({"source": sources}))
    events.put_targets(Rule=name, EventBusName=BUS_NAME, Targets=[{"Id": "spy", "Arn": arn}])
    yield url
    events.remove_targets(Rule=name, EventBusName=BUS_NAME, Ids=["spy"])
    events.delete_rule(Name=name, EventBusName=BUS_NAME)
    sqs.delete_queue(QueueUrl=url)


def test_an_outbox_item_written_to_a_table_is_published_on_the_bus_by_the_relay(
    stack: LocalStack, spy_queue: str
) -> None:
    wiring = SERVICES[0]
    envelope = probe_envelope(wiring.source)

    stack.client("dynamodb").put_item(
        TableName=table_name(wiring),
        Item={
            "pk": {"S": f"local-stack-test#OUTBOX#{envelope.id}"},
            "sk": {"S": "OUTBOX"},
            "kind": {"S": OUTBOX_KIND},
            "envelope": {"S": envelope.model_dump_json()},
        },
    )

    def published() -> list[dict[str, Any]]:
        messages = stack.client("sqs").receive_message(QueueUrl=spy_queue, WaitTimeSeconds=1).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    delivered = stack.wait_for(published, TIMEOUT)
    assert [(e["source"], e["detail-type"], e["detail"]["id"]) for e in delivered] == [
        (wiring.source, "LocalStackProbe", envelope.id)
    ]
    assert delivered[0]["account"]  # moto leaves it out; the stack puts it back, as EventBridge sends it


def test_the_stack_goes_quiet_once_everything_in_flight_is_handled(stack: LocalStack) -> None:
    # what the tests before left in flight (the demo's history, digests) drains within a minute on CI
    assert stack.wait_for(stack.quiet, 60)


# --- the pieces, without the stack ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "failed"),
    [
        (None, set()),
        ({}, set()),
        ({"batchItemFailures": []}, set()),
        ({"batchItemFailures": [{"itemIdentifier": "b"}]}, {"b"}),
        ({"batchItemFailures": [{"itemIdentifier": "unknown"}]}, {"a", "b"}),
        ({"batchItemFailures": [{}]}, {"a", "b"}),
        ({"batchItemFailures": "b"}, {"a", "b"}),
        ("nonsense", {"a", "b"}),
    ],
)
def test_a_partial_batch_response_is_read_as_lambda_reads_it(result: Any, failed: set[str]) -> None:
    assert failed_item_ids(result, ["a", "b"]) == failed


def stream_record(event_name: str, kind: str, sequence_number: int = 1) -> dict[str, Any]:
    return {
        "eventID": uuid.uuid4().hex,
        "eventName": event_name,
        "dynamodb": {"NewImage": {"kind": {"S": kind}, "pk": {"S": "t#x"}}, "SequenceNumber": str(sequence_number)},
    }


def test_the_outbox_filter_matches_only_inserted_outbox_items() -> None:
    pattern = outbox_filter()

    assert matches(pattern, stream_record("INSERT", OUTBOX_KIND))
    assert not matches(pattern, stream_record("MODIFY", OUTBOX_KIND))
    assert not matches(pattern, stream_record("INSERT", "email"))
    assert not matches(pattern, {"eventName": "INSERT", "dynamodb": {"Keys": {}}})  # a REMOVE has no NewImage


def test_filter_values_match_exactly_and_any_element_of_a_list() -> None:
    assert matches({"n": [1]}, {"n": 1.0})
    assert not matches({"n": [1]}, {"n": "1"})
    assert not matches({"flag": [True]}, {"flag": 1})
    assert matches({"tags": ["b"]}, {"tags": ["a", "b"]})
    assert matches({"a": {"b": ["x", "y"]}}, {"a": {"b": "y"}, "other": 1})


def test_every_wired_filter_pattern_is_one_the_stack_can_honour() -> None:
    for wiring in SERVICES:
        for consumer in wiring.stream_consumers:
            check_pattern(consumer.filter_pattern)
    with pytest.raises(UnsupportedPattern):
        check_pattern({"dynamodb": {"NewImage": {"kind": {"S": [{"prefix": "out"}]}}}})


def run_lane(records: list[dict[str, Any]], invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Feed `records` to a relay lane that invokes `invoke`, and wait until it is done with them."""
    monkeypatch.setattr("local.streams.FIRST_BACKOFF_S", 0.001)
    stopping = threading.Event()
    lane = ConsumerLane(StreamConsumer("relay", "handler", outbox_filter()), invoke, stopping, "test")
    lane.offer(records)
    lane.start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while not lane.idle() and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stopping.set()
        lane.join(1)


def test_a_failing_stream_batch_is_bisected_and_each_half_retried_then_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[list[str]] = []

    def invoke(handler: str, event: dict[str, Any]) -> None:
        calls.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        raise FunctionError("RuntimeError", "down")

    records = [stream_record("INSERT", OUTBOX_KIND, 1), stream_record("INSERT", "email", 2)]
    run_lane([*records, stream_record("INSERT", OUTBOX_KIND, 3)], invoke, monkeypatch)

    # only the records the filter matches; the first try and five retries of each half
    assert calls == [["1", "3"], *[["1"]] * 6, *[["3"]] * 6]


def test_a_stream_batch_with_a_reported_failure_is_retried_from_that_record(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def invoke(handler: str, event: dict[str, Any]) -> dict[str, Any]:
        calls.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        return {"batchItemFailures": [{"itemIdentifier": "2"}] if len(calls) == 1 else []}

    run_lane([stream_record("INSERT", OUTBOX_KIND, n) for n in (1, 2, 3)], invoke, monkeypatch)

    assert calls == [["1", "2", "3"], ["2", "3"]]


def test_routes_are_chosen_as_api_gateway_chooses_them() -> None:
    table = RouteTable(
        [
            ("a", Route("GET", "/sessions/{session_id}")),
            ("b", Route("GET", "/sessions/mine")),
            ("c", Route("ANY", "/files/{path+}")),
        ]
    )

    assert table.match("GET", "/sessions/mine") == MatchedRoute("b", "GET /sessions/mine", {})
    by_id = MatchedRoute("a", "GET /sessions/{session_id}", {"session_id": "s 1"})  # decoded, as API Gateway does
    assert table.match("GET", "/sessions/s%201") == by_id
    assert table.match("DELETE", "/files/a/b") == MatchedRoute("c", "ANY /files/{path+}", {"path": "a/b"})
    assert table.match("POST", "/sessions/mine") is None
    with pytest.raises(ValueError, match="declared by"):
        RouteTable([("a", Route("GET", "/x")), ("b", Route("GET", "/x"))])


def test_the_event_is_an_http_api_payload_2_0() -> None:
    request = Request(
        method="POST",
        raw_path="/sessions/s1/registrations",
        raw_query="tag=a&tag=b&empty=",
        headers=[("Host", "127.0.0.1:3000"), ("Cookie", "a=1; b=2"), ("X-Many", "1"), ("x-many", "2")],
        body=b"\xff\xfe",
        source_ip="127.0.0.1",
    )
    route = MatchedRoute("enrolment", "POST /sessions/{session_id}/registrations", {"session_id": "s1"})
    claims = {"sub": "p", "exp": "1700000000", "custom:roles": "participant"}

    event = http_api_event(request, route, claims, request_id="r1", now=datetime(2026, 3, 1, 12, tzinfo=UTC))

    assert event["version"] == "2.0" and event["routeKey"] == route.route_key
    assert event["queryStringParameters"] == {"tag": "a,b", "empty": ""}
    assert event["cookies"] == ["a=1", "b=2"] and "cookie" not in event["headers"]
    assert event["headers"]["x-many"] == "1,2"
    assert (event["body"], event["isBase64Encoded"]) == (base64.b64encode(b"\xff\xfe").decode(), True)
    assert event["pathParameters"] == {"session_id": "s1"}
    context = event["requestContext"]
    assert context["authorizer"] == {"jwt": {"claims": claims, "scopes": None}}
    assert (context["stage"], context["requestId"], context["time"]) == ("$default", "r1", "01/Mar/2026:12:00:00 +0000")
    assert context["http"]["method"] == "POST" and context["timeEpoch"] == 1772366400000


def test_a_result_without_status_code_is_a_json_200_as_api_gateway_reads_it() -> None:
    assert http_response({"a": 1}).status == 200
    assert http_response({"a": 1}).body == b'{"a": 1}'
    binary = http_response({"statusCode": 201, "body": base64.b64encode(b"\x00").decode(), "isBase64Encoded": True})
    assert (binary.status, binary.body) == (201, b"\x00")


def test_claims_reach_the_function_as_strings() -> None:
    assert claims_as_strings({"exp": 17, "groups": ["a", "b"], "ok": True}) == {
        "exp": "17",
        "groups": "[a b]",
        "ok": "true",
    }


# --- schedules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cron", "expression", "years"),
    [
        ("0 7 * * ? *", "0 7 * * *", "*"),
        ("0/15 8-17 ? * 2-6 *", "0/15 8-17 * * 1-5", "*"),  # Scheduler's Monday is 2, cron's is 1
        ("0 9 ? * MON-FRI *", "0 9 * * MON-FRI", "*"),
        ("0 9 ? * 6#2 *", "0 9 * * 5#2", "*"),  # the second Friday
        ("30 6 1,15 * ? 2027-2028", "30 6 1,15 * *", "2027-2028"),
    ],
)
def test_scheduler_cron_becomes_croniters(cron: str, expression: str, years: str) -> None:
    parts = to_croniter(cron)

    assert (parts.expression, parts.years) == (expression, years)


@pytest.mark.parametrize("cron", ["0 7 * * *", "0 7 * * MON *", "0 7 ? * ? *", "0 7 ? * 8 *", "0 7 ? * 6L *"])
def test_a_cron_scheduler_would_refuse_or_the_stack_cannot_honour_is_refused(cron: str) -> None:
    with pytest.raises(UnsupportedCron):
        to_croniter(cron)


def fire_times(cron: str, after: datetime, count: int) -> list[str]:
    schedule = Schedule(name="s", cron=cron, description="", timezone="Europe/Stockholm")
    times = []
    for _ in range(count):
        after = next_fire(schedule, after) or after
        times.append(after.isoformat())
    return times


def test_a_daily_schedule_keeps_its_stockholm_hour_across_both_dst_changes() -> None:
    spring = fire_times("0 7 * * ? *", datetime(2026, 3, 28, 12, tzinfo=UTC), 2)
    autumn = fire_times("0 7 * * ? *", datetime(2026, 10, 24, 12, tzinfo=UTC), 2)

    assert spring == ["2026-03-29T05:00:00+00:00", "2026-03-30T05:00:00+00:00"]  # 07:00 CET, then 07:00 CEST
    assert autumn == ["2026-10-25T06:00:00+00:00", "2026-10-26T06:00:00+00:00"]


def test_a_time_the_spring_change_skips_does_not_fire_that_day() -> None:
    # 02:30 does not exist in Stockholm on 29 March 2026
    assert fire_times("30 2 * * ? *", datetime(2026, 3, 28, 12, tzinfo=UTC), 2) == [
        "2026-03-30T00:30:00+00:00",
        "2026-03-31T00:30:00+00:00",
    ]


def test_a_time_the_autumn_change_repeats_fires_once() -> None:
    # 02:30 comes twice in Stockholm on 25 October 2026: first at 00:30 UTC, again at 01:30 UTC
    assert fire_times("30 2 * * ? *", datetime(2026, 10, 24, 12, tzinfo=UTC), 2) == [
        "2026-10-25T00:30:00+00:00",
        "2026-10-26T01:30:00+00:00",
    ]


def test_every_wired_schedule_fires_within_its_year() -> None:
    now = datetime.now(UTC)
    for wiring in SERVICES:
        for schedule in wiring.schedules:
            due = next_fire(schedule, now)
            assert due is not None and (due - now).days < 366, f"{wiring.name}.{schedule.name}"


# --- gateway: what a first run found ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "CONNECT"])
def test_a_method_no_route_declares_is_api_gateways_404_not_a_501(stack: LocalStack, method: str) -> None:
    response = requests.request(method, stack.base_url + concrete(PROTECTED_GET.path), timeout=TIMEOUT)

    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})


def test_an_integration_gets_a_token_by_client_credentials_for_its_route_only(stack: LocalStack) -> None:
    from local.auth import LOCAL_INTEGRATIONS

    portal = LOCAL_INTEGRATIONS[0]
    grant = {"grant_type": "client_credentials", "scope": "ledarlyft/completions.write"}
    wrong = requests.post(
        f"{stack.base_url}/oauth2/token", data=grant, auth=(portal.client_id, "wrong"), timeout=TIMEOUT
    )
    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_client"})
    issued = requests.post(
        f"{stack.base_url}/oauth2/token", data=grant, auth=(portal.client_id, portal.client_secret), timeout=TIMEOUT
    )
    assert issued.status_code == 200 and issued.json()["token_type"] == "Bearer"
    portal_token = bearer(issued.json()["access_token"])
    completion = {"external_id": "nowhere", "person_id": "nobody"}

    pushed = requests.post(
        f"{stack.base_url}/course-completions", json=completion, headers=portal_token, timeout=TIMEOUT
    )
    assert pushed.status_code == 404  # through the authorizer and the scope: the function answers
    person = requests.post(
        f"{stack.base_url}/course-completions",
        json=completion,
        headers=bearer(coordinator_token(stack)),
        timeout=TIMEOUT,
    )
    assert (person.status_code, person.json()) == (403, {"message": "Forbidden"})  # a person's token has no scope
    elsewhere = requests.get(stack.base_url + concrete(PROTECTED_GET.path), headers=portal_token, timeout=TIMEOUT)
    assert elsewhere.status_code == 403  # the function refuses a system on a person's route


def test_what_the_stack_sent_is_listed_newest_first(stack: LocalStack) -> None:
    ses = stack.client("ses")
    for n in (1, 2):
        ses.send_email(
            Source="no-reply@ledarlyft.se",
            Destination={"ToAddresses": [f"sent-{n}@example.se"]},
            Message={"Subject": {"Data": f"Nummer {n}"}, "Body": {"Text": {"Data": "Hej"}}},
        )
    stack.client("sns").publish(PhoneNumber="+46701234567", Message="Påminnelse")

    listed = requests.get(f"{stack.base_url}/local/sent", timeout=TIMEOUT).json()
    mine = [email["subject"] for email in listed["emails"] if email["to"].startswith("sent-")]
    assert mine[:2] == ["Nummer 2", "Nummer 1"]
    assert listed["sms"][0] == {"id": listed["sms"][0]["id"], "to": "+46701234567", "text": "Påminnelse"}
    only = requests.get(f"{stack.base_url}/local/sent", params={"to": "sent-1@example.se"}, timeout=TIMEOUT).json()
    assert [email["subject"] for email in only["emails"]] == ["Nummer 1"]
