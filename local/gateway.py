"""The HTTP front door on 127.0.0.1: API Gateway for the services' routes, plus the developer's tools.

Tools (answered here, never by a service): `GET /health`, `GET /openapi.json`, `GET /docs` (Swagger
UI, offline), `POST /local/token`, `GET /local/tokens`, `POST /local/schedules/<service>.<schedule>`,
`GET /local/sent` (the emails and SMS the stack sent, newest first; `?to=` one address or number).
Browsers may call from any origin (CORS), as a web client in development runs anywhere; AWS allows
the web client's origin only. Everything else is a service route: the JWT checked as API Gateway's authorizer does (except
`/public/...`), a payload 2.0 event built, and the service's API function invoked in its pool.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Protocol
from urllib.parse import parse_qs

from pydantic import BaseModel, Field, ValidationError

from local.apigw import (
    MAX_BODY_BYTES,
    Request,
    Response,
    RouteTable,
    gateway_error,
    http_api_event,
    http_response,
)
from local.auth import TokenAuthority, Unauthorized, claims_as_strings
from local.openapi import PUBLIC_PREFIX
from local.workers import FunctionError
from services.shared.wiring import CORS

log = logging.getLogger("local.gateway")

SCHEDULES_PREFIX = "/local/schedules/"
_SWAGGER_ASSETS = {
    "/docs/swagger-ui-bundle.min.js": ("swagger-ui-bundle.min.js", "application/javascript"),
    "/docs/swagger-ui.min.css": ("swagger-ui.min.css", "text/css"),
}


class Backend(Protocol):
    """What the gateway needs of the stack behind it."""

    def invoke_api(self, service: str, event: dict[str, Any]) -> Any: ...

    def health(self) -> dict[str, Any]: ...

    def openapi(self) -> dict[str, Any]: ...

    def fire(self, name: str) -> Any: ...

    def demo_tokens(self) -> list[dict[str, Any]]: ...

    def sent(self, to: str | None) -> dict[str, Any]: ...


class TokenRequest(BaseModel):
    sub: str = Field(min_length=1)
    tenant_id: str = Field(min_length=1)
    roles: list[str] = Field(default_factory=list)
    email: str | None = None


class FrontDoor:
    """Request in, response out: the tools, or API Gateway in front of the services."""

    def __init__(self, routes: RouteTable, backend: Backend, authority: TokenAuthority) -> None:
        self._routes = routes
        self._backend = backend
        self._authority = authority
        self._tools: dict[tuple[str, str], Callable[[Request], Response]] = {
            ("GET", "/health"): self._health,
            ("GET", "/openapi.json"): self._openapi,
            ("GET", "/docs"): self._docs,
            ("POST", "/local/token"): self._issue_token,
            ("GET", "/local/tokens"): self._demo_tokens,
            ("GET", "/local/sent"): self._sent,
            ("POST", "/oauth2/token"): self._client_credentials,
        }

    def handle(self, request: Request) -> Response:
        """Answer a request, with CORS headers for a browser."""
        origin = request.header("origin")
        if request.method == "OPTIONS" and origin and request.header("access-control-request-method"):
            return _preflight(origin)
        response = self._answer(request)
        if origin:
            response.headers += [
                ("access-control-allow-origin", origin),
                ("access-control-expose-headers", ",".join(CORS.exposed)),
                ("vary", "origin"),
            ]
        return response

    def _answer(self, request: Request) -> Response:
        tool = self._tools.get((request.method, request.raw_path))
        if tool is not None:
            return tool(request)
        if request.method == "POST" and request.raw_path.startswith(SCHEDULES_PREFIX):
            return self._fire(request.raw_path.removeprefix(SCHEDULES_PREFIX))
        if request.method == "GET" and request.raw_path in _SWAGGER_ASSETS:
            return _swagger_asset(request.raw_path)
        return self._proxy(request)

    # --- API Gateway ---------------------------------------------------------------------

    def _proxy(self, request: Request) -> Response:
        route = self._routes.match(request.method, request.raw_path)
        if route is None:
            return gateway_error(404, "Not Found")
        claims = None
        if not request.raw_path.startswith(PUBLIC_PREFIX):
            try:
                claims = claims_as_strings(self._authority.verify(request.header("authorization")))
            except Unauthorized as why:
                log.info("401 for %s %s: %s", request.method, request.raw_path, why)
                response = gateway_error(401, "Unauthorized")
                response.headers.append(("www-authenticate", 'Bearer error="invalid_token"'))
                return response
            granted = set(claims.get("scope", "").split())
            if route.scopes and not granted.intersection(route.scopes):
                return gateway_error(403, "Forbidden")  # the authorizer's answer to a token without the scope
        request_id = str(uuid.uuid4())
        event = http_api_event(request, route, claims, request_id=request_id)
        try:
            response = http_response(self._backend.invoke_api(route.service, event))
        except FunctionError as error:
            if error.error_type == "TooManyRequestsException":
                response = gateway_error(429, "Too Many Requests")  # throttled: the client may retry
            else:
                # What API Gateway answers when the function raised, timed out or crashed.
                response = gateway_error(500, "Internal Server Error")
        response.headers.append(("apigw-requestid", request_id))
        return response

    # --- tools ---------------------------------------------------------------------------

    def _health(self, request: Request) -> Response:
        report = self._backend.health()
        return Response.json(200 if report["status"] == "ok" else 503, report)

    def _openapi(self, request: Request) -> Response:
        return Response.json(200, self._backend.openapi())

    def _docs(self, request: Request) -> Response:
        if "format=json" in request.raw_query:  # Swagger UI's own link to the document it shows
            return self._openapi(request)
        return Response(200, _docs_page(self._backend.openapi()).encode(), [("content-type", "text/html")])

    def _issue_token(self, request: Request) -> Response:
        try:
            asked = TokenRequest.model_validate_json(request.body or b"{}")
        except ValidationError as error:
            return Response.json(
                400, {"message": "Expected {sub, tenant_id, roles, email?}", "errors": _problems(error)}
            )
        token = self._authority.issue(asked.sub, asked.tenant_id, asked.roles, asked.email)
        return Response.json(200, {"token": token})

    def _demo_tokens(self, request: Request) -> Response:
        return Response.json(200, {"tokens": self._backend.demo_tokens()})

    def _sent(self, request: Request) -> Response:
        to = parse_qs(request.raw_query).get("to", [None])[0]
        return Response.json(200, self._backend.sent(to))

    def _client_credentials(self, request: Request) -> Response:
        """Cognito's token endpoint, the client-credentials grant: HTTP Basic (or form) client id and
        secret, `grant_type=client_credentials`, optional `scope`; an access token back."""
        form = {name: values[0] for name, values in parse_qs(request.body.decode(errors="replace")).items()}
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = request.header("authorization") or ""
        if basic.lower().startswith("basic "):
            try:
                client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return Response.json(400, {"error": "invalid_client"})
        if form.get("grant_type") != "client_credentials":
            return Response.json(400, {"error": "unsupported_grant_type"})
        try:
            client = self._authority.integration(client_id, client_secret)
        except Unauthorized:
            return Response.json(400, {"error": "invalid_client"})
        asked = form.get("scope", "").split() or list(client.scopes)
        if not set(asked) <= set(client.scopes):
            return Response.json(400, {"error": "invalid_scope"})
        token = self._authority.issue_access_token(client, asked)
        return Response.json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    def _fire(self, name: str) -> Response:
        try:
            return Response.json(200, self._backend.fire(name))
        except KeyError:
            return gateway_error(404, f"No schedule {name!r}; names are <service>.<schedule>")
        except FunctionError as error:
            return Response.json(500, {"message": error.message, "errorType": error.error_type})


def _preflight(origin: str) -> Response:
    """What API Gateway answers a CORS preflight with, before any authorizer."""
    headers = [
        ("access-control-allow-origin", origin),
        ("access-control-allow-methods", ",".join(CORS.methods)),
        ("access-control-allow-headers", ",".join(CORS.headers)),
        ("access-control-max-age", str(CORS.max_age_seconds)),
        ("vary", "origin"),
    ]
    return Response(204, b"", headers)


def _problems(error: ValidationError) -> list[dict[str, str]]:
    return [{"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in error.errors()]


@cache
def _swagger_file(name: str) -> bytes:
    # powertools ships Swagger UI's assets, so the docs work without the internet.
    package = resources.files("aws_lambda_powertools.event_handler.openapi.swagger_ui")
    return package.joinpath(name).read_bytes()


def _swagger_asset(path: str) -> Response:
    name, content_type = _SWAGGER_ASSETS[path]
    return Response(200, _swagger_file(name), [("content-type", content_type), ("cache-control", "max-age=3600")])


def _docs_page(spec: dict[str, Any]) -> str:
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    # "</" inside a <script> would end it early; JSON allows escaping the slash.
    inline_spec = json.dumps(spec).replace("</", "<\\/")
    return generate_swagger_html(
        spec=inline_spec,
        swagger_js="/docs/swagger-ui-bundle.min.js",
        swagger_css="/docs/swagger-ui.min.css",
        swagger_base_url="/docs",
        oauth2_config=None,
        persist_authorization=True,
    )


# --- the HTTP server -------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a keep-alive connection must not hold up the stop

    def __init__(self, port: int, front_door: FrontDoor) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.front_door = front_door


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def __getattr__(self, name: str) -> Any:
        """Every method, declared or not (TRACE, PROPFIND, ...), gets the front door's answer: API Gateway
        answers a method no route declares with a 404, never a 501."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        started = time.perf_counter()
        response = self._respond()
        self._write(response)
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("%s %s %d %.0f ms", self.command, self.path, response.status, elapsed_ms)

    def _respond(self) -> Response:
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            self.close_connection = True
            return gateway_error(400, "Bad Request")
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the body stays unread
            return gateway_error(413, "Request Entity Too Large")
        raw_path, _, raw_query = self.path.partition("?")
        request = Request(
            method=self.command,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=list(self.headers.items()),
            body=self.rfile.read(length) if length else b"",
            source_ip=self.client_address[0],
            protocol=self.request_version,
        )
        try:
            return self.server.front_door.handle(request)
        except Exception:
            log.exception("the gateway failed on %s %s", self.command, self.path)
            return gateway_error(500, "Internal Server Error")

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        if "content-type" not in names and response.body:
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: `_serve` logs one line per request."""


class Gateway:
    def __init__(self, port: int, front_door: FrontDoor) -> None:
        try:
            self._server = _Server(port, front_door)
        except OSError as error:
            raise OSError(f"port {port} for the gateway is taken ({error.strerror}); try --port") from error
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), name="gateway", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(2.0)
