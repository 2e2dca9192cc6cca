"""API Gateway HTTP API, the parts a function sees: route selection, the payload 2.0 event, the response.

Pure functions over plain data, so they can be tested without a server.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from local.topology import ACCOUNT_ID
from services.shared.wiring import Route

API_ID = "local"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
_PARAMETER = re.compile(r"^\{(\w+)(\+?)\}$")


@dataclass(frozen=True)
class Request:
    """An HTTP request as the gateway received it."""

    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ",".join(values) if values else None


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, value: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
        return cls(status, json.dumps(value).encode(), [("content-type", "application/json"), *headers])


def gateway_error(status: int, message: str) -> Response:
    """API Gateway's own error responses, byte for byte: `{"message":"..."}`."""
    body = json.dumps({"message": message}, separators=(",", ":")).encode()
    return Response(status, body, [("content-type", "application/json")])


# --- routes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchedRoute:
    service: str
    route_key: str
    path_parameters: dict[str, str]
    scopes: tuple[str, ...] = ()  # the route's authorization scopes: a token must carry one of them


@dataclass(frozen=True)
class _CompiledRoute:
    service: str
    route: Route
    pattern: re.Pattern[str]
    # API Gateway prefers the most specific route: per segment, literal before {param} before {greedy+}.
    specificity: tuple[int, ...]


class RouteTable:
    def __init__(self, routes: Iterable[tuple[str, Route]]) -> None:
        self._routes: list[_CompiledRoute] = []
        owners: dict[str, str] = {}
        for service, route in routes:
            if route.route_key in owners:
                raise ValueError(f"{route.route_key} is declared by {owners[route.route_key]} and {service}")
            owners[route.route_key] = service
            self._routes.append(_compile(service, route))

    def __len__(self) -> int:
        return len(self._routes)

    def match(self, method: str, path: str) -> MatchedRoute | None:
        candidates = []
        for compiled in self._routes:
            if compiled.route.method not in (method, "ANY"):
                continue
            found = compiled.pattern.fullmatch(path)
            if found:
                exact_method = 0 if compiled.route.method == method else 1
                candidates.append(((compiled.specificity, exact_method), compiled, found))
        if not candidates:
            return None
        _, best, found = min(candidates, key=lambda candidate: candidate[0])
        parameters = {name: unquote(value) for name, value in found.groupdict().items()}
        return MatchedRoute(
            service=best.service, route_key=best.route.route_key, path_parameters=parameters, scopes=best.route.scopes
        )


def _compile(service: str, route: Route) -> _CompiledRoute:
    parts, specificity = [], []
    for segment in route.path.strip("/").split("/"):
        parameter = _PARAMETER.match(segment)
        if parameter is None:
            parts.append(re.escape(segment))
            specificity.append(0)
        elif parameter.group(2):  # {name+}: the rest of the path
            parts.append(f"(?P<{parameter.group(1)}>.+)")
            specificity.append(2)
        else:
            parts.append(f"(?P<{parameter.group(1)}>[^/]+)")
            specificity.append(1)
    return _CompiledRoute(service, route, re.compile("/" + "/".join(parts)), tuple(specificity))


# --- the event -------------------------------------------------------------------------------


def http_api_event(
    request: Request,
    route: MatchedRoute,
    claims: dict[str, str] | None,
    request_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The API Gateway HTTP API payload format 2.0 event for `request` on `route`."""
    now = now or datetime.now(UTC)
    headers, cookies = _headers_and_cookies(request)
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": headers.get("host", "localhost"),
        "domainPrefix": headers.get("host", "localhost").split(":")[0].split(".")[0],
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id or str(uuid.uuid4()),
        "routeKey": route.route_key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now.timestamp() * 1000),
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
        "headers": headers,
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if request.raw_query:
        event["queryStringParameters"] = _query_parameters(request.raw_query)
    if route.path_parameters:
        event["pathParameters"] = route.path_parameters
    if request.body:
        event["body"], event["isBase64Encoded"] = _body(request.body)
    return event


def _headers_and_cookies(request: Request) -> tuple[dict[str, str], list[str]]:
    """Header names lower-cased, repeats comma-joined; cookies taken out into their own list, as API Gateway does."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies += [cookie.strip() for cookie in value.split(";") if cookie.strip()]
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    headers.setdefault("x-forwarded-for", request.source_ip)
    headers.setdefault("x-forwarded-proto", "http")
    return headers, cookies


def _query_parameters(raw_query: str) -> dict[str, str]:
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
    return parameters


def _body(body: bytes) -> tuple[str, bool]:
    """(text, False) when the body is UTF-8; (base64, True) otherwise."""
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), True


# --- the function's answer -------------------------------------------------------------------


def http_response(result: Any) -> Response:
    """What API Gateway makes of a payload 2.0 function result."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # API Gateway's reading of a result without statusCode: the result itself is a JSON 200.
        return Response.json(200, result)
    headers = [(str(name), str(value)) for name, value in (result.get("headers") or {}).items()]
    headers += [("set-cookie", str(cookie)) for cookie in result.get("cookies") or ()]
    body = result.get("body") or ""
    if not isinstance(body, str):
        body = json.dumps(body)
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    return Response(status=int(result["statusCode"]), body=raw, headers=headers)
