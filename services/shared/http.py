"""The HTTP entry every service shares: one `Api` per service, `Routes` per capability, the boundary.

Every error is JSON `{"error": {"code", "message", "fields": [{"field", "reason"}]}}`, and a field is
named by where it is in the request: `body.<path>`, `path.<name>`, `query.<name>`.

The boundary screens each request before the resolver sees it, once for every route, because the
resolver would otherwise answer some bad input with a 500 or run the route on a guess:
- a body that is not UTF-8 text, or not JSON, is a 400;
- a body in a media type the route does not take is a 415 that names the one it does (media types
  are case-insensitive, and `application/merge-patch+json` and other `+json` types are JSON);
- JSON must be an object, nested at most `MAX_DEPTH` deep, with numbers DynamoDB can store; and it is
  validated strictly against the route's model (no `"12"` for 12, no `0` for false): else a 422.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Route
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ValidationError

from services.shared.envelope import EventContext
from services.shared.errors import DomainError, FieldProblem, UnsupportedMedia
from services.shared.identity import Identity, identity_from_event, is_integration
from services.shared.observability import logger
from services.shared.wiring import CORRELATION_HEADER, integration_scopes

_SAFE_CORRELATION = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
JSON = "application/json"
CSV = "text/csv"
# what a mail client's one-click unsubscribe posts (RFC 8058 allows either)
FORM = "application/x-www-form-urlencoded"
MULTIPART_FORM = "multipart/form-data"
BODY_MEDIA_TYPE = "x-body-media-type"  # a route's openapi_extensions key: the media type(s) its body may be in
MAX_DEPTH = 32  # objects and lists inside each other; far beyond any model here
MAX_DIGITS = 38  # DynamoDB keeps 38 significant digits
MAX_EXPONENT, MIN_EXPONENT = 125, -130  # and numbers from 1E-130 to below 1E+126

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items at most")]
Cursor = Annotated[str | None, Query(max_length=2048, description="From `next_cursor` of the previous page")]


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class ErrorField(BaseModel):
    field: str
    reason: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[ErrorField]


class ErrorOut(BaseModel):
    """Every error the API answers: a stable code, a message, and the fields it is about."""

    error: ErrorDetail


def _error_json(code: str, message: str, fields: Sequence[FieldProblem] = ()) -> str:
    return json.dumps({"error": {"code": code, "message": message, "fields": [f.__dict__ for f in fields]}})


def error_body(status: int, code: str, message: str, fields: Sequence[FieldProblem] = ()) -> Response[str]:
    return Response(status_code=status, content_type=JSON, body=_error_json(code, message, fields))


def _lambda_error(status: int, code: str, message: str, fields: Sequence[FieldProblem] = ()) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": JSON},
        "body": _error_json(code, message, fields),
        "isBase64Encoded": False,
    }


def correlation_id(event: dict[str, Any]) -> str:
    """The caller's correlation id when it is a safe token, else API Gateway's request id."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    given = str(headers.get(CORRELATION_HEADER, ""))
    return given if _SAFE_CORRELATION.match(given) else str(event.get("requestContext", {}).get("requestId", ""))


def _field_problems(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> list[FieldProblem]:
    return [
        FieldProblem(
            field=".".join(str(part) for part in (*prefix, *error.get("loc", ()))) or "body",
            reason=str(error.get("msg")),
        )
        for error in errors
    ]


def media_type(content_type: str | None) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == JSON or (media.startswith("application/") and media.endswith("+json"))


class Rejected(Exception):
    """The boundary refuses a request: an answer, not a bug."""

    def __init__(self, status: int, code: str, message: str, fields: list[FieldProblem]) -> None:
        super().__init__(message)
        self.response = _lambda_error(status, code, message, fields)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise Rejected(422, "validation_error", "The body is nested too deeply.", _too_deep("body")) from error
    except ValueError as error:
        raise Rejected(
            400, "unreadable_body", "The body is not valid JSON.", [FieldProblem("body", str(error))]
        ) from error


def _too_deep(where: str) -> list[FieldProblem]:
    return [FieldProblem(where, f"is nested more than {MAX_DEPTH} levels deep")]


def _number_problem(value: int | Decimal) -> str | None:
    """Why DynamoDB could not store this number, or None."""
    if value == 0:
        return None
    digits = len(str(abs(value))) if isinstance(value, int) else len(value.normalize().as_tuple().digits)
    if digits > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} significant digits"
    exponent = (len(str(abs(value))) - 1) if isinstance(value, int) else value.adjusted()
    if exponent > MAX_EXPONENT or exponent < MIN_EXPONENT:
        return f"is outside the range 1E{MIN_EXPONENT} to 1E+{MAX_EXPONENT + 1}"
    return None


def _walk(value: Any, path: tuple[str, ...] = ("body",)) -> Iterator[FieldProblem]:
    """Every value nested too deeply or a number out of range, by its place in the body."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, path)]
    while stack:
        current, where = stack.pop()
        if len(where) - 1 > MAX_DEPTH:
            yield _too_deep(".".join(where))[0]
            continue
        if isinstance(current, dict):
            stack.extend((item, (*where, str(key))) for key, item in current.items())
        elif isinstance(current, list):
            stack.extend((item, (*where, str(index))) for index, item in enumerate(current))
        elif isinstance(current, int | Decimal) and not isinstance(current, bool):
            problem = _number_problem(current)
            if problem:
                yield FieldProblem(".".join(where), problem)


def _body_model(route: Route) -> type[BaseModel] | None:
    params = route.dependant.body_params
    if len(params) != 1:
        return None
    annotation = params[0].field_info.annotation
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _screen_json(text: str, route: Route) -> None:
    parsed = _parse_json(text)
    if not isinstance(parsed, dict):
        raise Rejected(
            422, "validation_error", "The body must be a JSON object.", [FieldProblem("body", "not an object")]
        )
    problems = list(_walk(parsed))
    if problems:
        raise Rejected(422, "validation_error", "The request has invalid fields.", problems)
    model = _body_model(route)
    if model is None:
        return
    try:
        # JSON's own types, strictly: a string is no number, a number no boolean
        model.model_validate_json(text, strict=True)
    except ValidationError as error:
        raise Rejected(
            422,
            "validation_error",
            "The request has invalid fields.",
            _field_problems(error.errors(include_url=False), ("body",)),
        ) from error
    except DomainError as error:  # a rule of the model's across its fields (it names them)
        raise Rejected(error.status, error.code, error.message, error.fields) from error


def _body_text(event: dict[str, Any]) -> str:
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return str(body)
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise Rejected(
            400, "unreadable_body", "The body is not UTF-8 text.", [FieldProblem("body", "is not UTF-8 text")]
        ) from error


def accepted_media_types(route: Route) -> tuple[str, ...]:
    """The media types of the route's body: what it declares, JSON for a model, or none for no body."""
    declared = (route.openapi_extensions or {}).get(BODY_MEDIA_TYPE)
    if declared:
        return (declared,) if isinstance(declared, str) else tuple(declared)
    return (JSON,) if route.dependant.body_params else ()


def screen(event: dict[str, Any], route: Route) -> None:
    """Refuse what the route cannot take (see the module's docstring); make a JSON body plain for the
    resolver. Mutates `event`: a base64 body is decoded, a JSON media type named as `application/json`."""
    text = _body_text(event)
    event["body"], event["isBase64Encoded"] = text, False
    headers = event.setdefault("headers", {})
    given = media_type(next((v for k, v in headers.items() if k.lower() == "content-type"), None))
    if not text.strip():
        return
    wanted = accepted_media_types(route)
    if given in wanted and given != JSON:
        return  # the route reads it
    if wanted and JSON not in wanted:
        raise Rejected(415, UnsupportedMedia.code, f"Send the body as {wanted[0]}.", [_media_problem(wanted[0])])
    if given and not is_json(given):
        raise Rejected(415, UnsupportedMedia.code, f"Send the body as {JSON}.", [_media_problem(JSON)])
    _screen_json(text, route)
    for name in [k for k in headers if k.lower() == "content-type"]:
        del headers[name]
    headers["content-type"] = JSON


def _media_problem(wanted: str) -> FieldProblem:
    return FieldProblem("header.content-type", f"must be {wanted}")


def _integrations_only_where_scoped(event: dict[str, Any], route: Route) -> None:
    """A system's access token passes API Gateway's authorizer on every route; it may call only those
    declared for integrations (which API Gateway checks the scope of), never a person's."""
    if is_integration(event) and not integration_scopes(route.security):
        raise Rejected(403, "forbidden", "This route is for people, not integrations.", [])


IDEMPOTENCY_HEADER = "idempotency-key"  # a client's name for one request, the same on every retry of it


def new_id(event: dict[str, Any], part: str = "") -> str:
    """An id for something a request creates: random, or, when the client names the request with an
    `Idempotency-Key`, derived from that name, so that a retry names the same thing and creates it once."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = str(headers.get(IDEMPOTENCY_HEADER, ""))[:200]
    if not key:
        return uuid.uuid4().hex
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims") or {}
    route = event.get("routeKey", "")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{claims.get('sub')}|{route}|{event.get('rawPath')}|{key}|{part}").hex


def is_named(event: dict[str, Any]) -> bool:
    """Whether the client named the request: then a conflict with the same derived id is its own retry."""
    return any(k.lower() == IDEMPOTENCY_HEADER for k in (event.get("headers") or {}))


class Routes(APIGatewayHttpRouter):
    """One capability's routes (a powertools `Router`); the service's one `Api` includes them all."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def identity(self) -> Identity:
        return identity_from_event(self.current_event.raw_event)

    def event_context(self, identity: Identity) -> EventContext:
        return EventContext(
            tenant_id=identity.tenant_id,
            actor=identity.actor,
            correlation_id=correlation_id(self.current_event.raw_event),
        )

    def new_id(self, part: str = "") -> str:
        return new_id(self.current_event.raw_event, part)

    def named(self) -> bool:
        """The client named this request (Idempotency-Key): what it creates has ids derived from the name."""
        return is_named(self.current_event.raw_event)

    def text_body(self) -> str:
        """The body of a route that takes text (its media type checked at the boundary)."""
        return self.current_event.decoded_body or ""


class Api:
    """A service's HTTP API: `app` is the resolver whose routes the wiring reads."""

    def __init__(self, title: str, *routes: Routes) -> None:
        self.title = title
        self.app = APIGatewayHttpResolver(enable_validation=True)
        for capability in routes:
            self.app.include_router(capability)
        self.app.exception_handler(RequestValidationError)(self._invalid_request)
        self.app.exception_handler(ValidationError)(self._invalid_request)
        self.app.exception_handler(RequestUnsupportedContentType)(self._unsupported_media)
        self.app.exception_handler(DomainError)(self._domain_error)
        self.app.exception_handler(ServiceError)(self._resolver_error)
        self.app.exception_handler(Exception)(self._bug)

    @staticmethod
    def _invalid_request(error: RequestValidationError | ValidationError) -> Response[str]:
        return error_body(422, "validation_error", "The request has invalid fields.", _field_problems(error.errors()))

    @staticmethod
    def _unsupported_media(error: RequestUnsupportedContentType) -> Response[str]:
        return error_body(415, UnsupportedMedia.code, f"Send the body as {JSON}.", [_media_problem(JSON)])

    @staticmethod
    def _domain_error(error: DomainError) -> Response[str]:
        return error_body(error.status, error.code, error.message, error.fields)

    @staticmethod
    def _resolver_error(error: ServiceError) -> Response[str]:
        """No route matched (API Gateway answers that itself; a direct invocation reaches here)."""
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "bad_request")
        return error_body(error.status_code, code, str(error.msg))

    @staticmethod
    def _bug(error: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return error_body(500, "internal_error", "Something went wrong on our side; it has been logged.")

    def identity(self) -> Identity:
        return identity_from_event(self.app.current_event.raw_event)

    def event_context(self, identity: Identity) -> EventContext:
        return EventContext(
            tenant_id=identity.tenant_id,
            actor=identity.actor,
            correlation_id=correlation_id(self.app.current_event.raw_event),
        )

    def route_for(self, method: str, path: str) -> Route | None:
        """The route the resolver will run for this request, if any."""
        for route in self.app._static_routes + self.app._dynamic_routes:
            if route.method == method.upper() and route.rule.match(path):
                return route
        return None

    def lambda_handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        correlation = correlation_id(event)
        logger.append_keys(correlation_id=correlation)
        method = str(event.get("requestContext", {}).get("http", {}).get("method", ""))
        route = self.route_for(method, str(event.get("rawPath", "")))
        try:
            if route is not None:
                _integrations_only_where_scoped(event, route)
                screen(event, route)
            response = self.app.resolve(event, context)
        except Rejected as refusal:
            response = refusal.response
        response.setdefault("headers", {})[CORRELATION_HEADER] = correlation
        return response

    def openapi(self, version: str = "1") -> dict[str, Any]:
        """The service's OpenAPI document as the API really answers: see `services.shared.openapi`."""
        from services.shared.openapi import describe

        return describe(self, version)
