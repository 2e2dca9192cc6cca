"""Bad input, on every route the OpenAPI document declares: a 4xx with the JSON error shape, the field
named, and nothing written; never a 5xx.

Two parts: every write route fed each class of bad body found by an earlier bad-input run (wrong media
types, arrays, nesting, numbers DynamoDB cannot hold, JSON's loose types); and schemathesis, which
generates valid and invalid requests for every operation from the document and checks the answers
against it (status codes, media types, response schemas).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from local.auth import LOCAL_INTEGRATIONS
from local.openapi import merged_openapi
from services.registry import SERVICES
from services.shared.aws import client
from tests.in_process import GatewayApp

EXAMPLES = 25  # per operation and mode: a bound that keeps the run under a minute or two
ROLES = ["participant", "manager", "coordinator", "trainer", "board", "admin"]
DOCUMENT = merged_openapi(SERVICES)
APP = GatewayApp()
TOKEN = APP.authority.issue("fuzz-person", "fuzz", ROLES)
# a system's token for the routes declared for integrations (their scope), a person's for the rest
SYSTEM_TOKEN = APP.authority.issue_access_token(LOCAL_INTEGRATIONS[0], LOCAL_INTEGRATIONS[0].scopes)
SCOPED = {route.route_key for wiring in SERVICES for route in wiring.routes() if route.scopes}


def token_for(method: str, path_template: str) -> str:
    return SYSTEM_TOKEN if f"{method} {path_template}" in SCOPED else TOKEN


WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


def write_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path template, the media types its body may be in) of every POST, PUT and PATCH."""
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method in ("post", "put", "patch"):
                content = operation.get("requestBody", {}).get("content", {})
                found.append((method.upper(), path, tuple(content)))
    return found


def not_json(media: tuple[str, ...]) -> tuple[str, ...]:
    """The media types a route reads itself (CSV, a form), besides or instead of JSON."""
    return tuple(m for m in media if m != "application/json")


class Writes:
    """Successful DynamoDB writes the services make (their shared client), counted per request."""

    def __init__(self) -> None:
        self.count = 0
        client("dynamodb").meta.events.register("after-call.dynamodb", self._seen)

    def _seen(self, model: Any, http_response: Any, **_: Any) -> None:
        if model.name in WRITES and http_response.status_code < 300:
            self.count += 1


@pytest.fixture
def writes(aws: dict[str, Any]) -> Iterator[Writes]:
    yield Writes()


def send(method: str, path: str, body: bytes, content_type: str | None) -> tuple[int, Any]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": re.sub(r"\{[^}]+\}", "x", path),
        "QUERY_STRING": "",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {token_for(method, path)}",
        "wsgi.input": BytesIO(body),
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    answered: list[str] = []
    chunks = APP(environ, lambda status, headers: answered.append(status))
    payload = b"".join(chunks)
    return int(answered[0].split()[0]), json.loads(payload) if payload else None


NESTED = "[" * 2000 + "]" * 2000
BAD_BODIES: list[tuple[str, str, str | None, int, str]] = [
    # (what, body, content type, status, the field the error names)
    ("plain text", '{"name": "x"}', "text/plain", 415, "header.content-type"),
    ("a form", "name=x&stages=y", "application/x-www-form-urlencoded", 415, "header.content-type"),
    ("multipart without a boundary", "--x", "multipart/form-data", 415, "header.content-type"),
    ("XML", "<programme/>", "application/xml", 415, "header.content-type"),
    ("not JSON", "{name: x", "application/json", 400, "body"),
    ("an array", "[{}]", "application/json", 422, "body"),
    ("a string", '"x"', "application/json", 422, "body"),
    ("nested too deeply", NESTED, "application/json", 422, "body"),
    ("nested too deeply inside", '{"name": ' + NESTED + "}", "application/json", 422, "body"),
    ("Infinity", '{"capacity": Infinity}', "application/json", 400, "body"),
    ("NaN", '{"capacity": NaN}', "application/json", 400, "body"),
    ("1e400", '{"capacity": 1e400}', "application/json", 422, "body.capacity"),
    ("1e200", '{"capacity": 1e200}', "application/json", 422, "body.capacity"),
    ("1e-200", '{"capacity": 1e-200}', "application/json", 422, "body.capacity"),
    ("131 digits", '{"capacity": ' + "9" * 131 + "}", "application/json", 422, "body.capacity"),
    ("42 digits", '{"capacity": ' + "1" * 42 + "}", "application/json", 422, "body.capacity"),
]


@pytest.mark.parametrize(("method", "path", "media"), write_routes(), ids=lambda v: str(v))
def test_every_write_route_refuses_every_class_of_bad_body(
    writes: Writes, method: str, path: str, media: tuple[str, ...]
) -> None:
    own = not_json(media)
    for what, body, content_type, status, field in BAD_BODIES:
        if content_type in own:
            continue  # its own media type: the route's reading of it is tested with the route
        writes.count = 0
        answered, error = send(method, path, body.encode(), content_type)
        expected = (status, field) if not own or "application/json" in media else (415, "header.content-type")
        assert (answered, error["error"]["fields"][0]["field"]) == expected, what
        assert error["error"]["code"] and error["error"]["message"], what
        assert writes.count == 0, what


@pytest.mark.parametrize(("method", "path", "media"), write_routes(), ids=lambda v: str(v))
def test_json_media_types_are_read_whatever_their_case_or_suffix(
    writes: Writes, method: str, path: str, media: tuple[str, ...]
) -> None:
    if not_json(media) and "application/json" not in media:  # a route that reads only its own CSV or form body
        answered, error = send(method, path, b'{"a": 1}', "application/json")
        assert (answered, error["error"]["fields"]) == (
            415,
            [{"field": "header.content-type", "reason": f"must be {media[0]}"}],
        )
        return
    for content_type in ("APPLICATION/JSON", "application/json; charset=UTF-8", "application/merge-patch+json"):
        answered, _ = send(method, path, b"[]", content_type)
        assert answered == 422, content_type  # read as JSON (an array is refused), not as another media type


def test_strict_json_types_are_refused_by_name(aws: dict[str, Any]) -> None:
    loose = {"name": "P", "stages": [{"key": "a", "name": "A", "kind": "e-learning", "required": 0}]}
    answered, error = send("POST", "/programmes", json.dumps(loose).encode(), "application/json")
    assert (answered, error["error"]["fields"][0]["field"]) == (422, "body.stages.0.required")
    answered, error = send("PUT", "/units/u1", json.dumps({"name": "U", "managers": "12"}).encode(), "application/json")
    assert (answered, error["error"]["fields"][0]["field"]) == (422, "body.managers")


# --- schemathesis over every operation ------------------------------------------------------

schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = APP
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES, deterministic=True
)


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx of a service is the JSON error shape (401s and 404s of the gateway are API Gateway's own)."""
    if 400 <= response.status_code < 500 and response.status_code not in (401, 404, 429):
        body = json.loads(response.content)
        assert set(body["error"]) == {"code", "message", "fields"}, body
    return None


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_answers_as_documented_and_never_5xx(case: Any, aws: dict[str, Any]) -> None:
    token = token_for(case.operation.method.upper(), case.operation.path)
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            error_shape,
        ]
    )
