"""The HTTP entry every service shares: resolver with validation, errors, identity, pagination.

Every error is JSON `{"error": {"code", "message", "fields": [{"field", "reason"}]}}`. Bodies the
resolver cannot read (not base64, not UTF-8, not JSON, multipart without a boundary) are refused
with a 400 before routing, because the resolver would otherwise fail with a 500 on them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, ValidationError

from services.shared.envelope import EventContext
from services.shared.errors import DomainError, FieldProblem
from services.shared.identity import Identity, identity_from_event
from services.shared.observability import logger
from services.shared.wiring import CORRELATION_HEADER

_SAFE_CORRELATION = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=100, description="How many items at most")]
Cursor = Annotated[str | None, Query(max_length=2048, description="From `next_cursor` of the previous page")]


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def _error_json(code: str, message: str, fields: Sequence[FieldProblem] = ()) -> str:
    return json.dumps({"error": {"code": code, "message": message, "fields": [f.__dict__ for f in fields]}})


def error_body(status: int, code: str, message: str, fields: Sequence[FieldProblem] = ()) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=_error_json(code, message, fields))


def correlation_id(event: dict[str, Any]) -> str:
    """The caller's correlation id when it is a safe token, else API Gateway's request id."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    given = str(headers.get(CORRELATION_HEADER, ""))
    return given if _SAFE_CORRELATION.match(given) else str(event.get("requestContext", {}).get("requestId", ""))


def _field_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    return [
        FieldProblem(field=".".join(str(part) for part in error.get("loc", ())), reason=str(error.get("msg")))
        for error in errors
    ]


def _unreadable_body(event: dict[str, Any]) -> FieldProblem | None:
    body = event.get("body")
    if body is None:
        return None
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return FieldProblem("body", "is not base64-encoded UTF-8 text")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    content_type = str(headers.get("content-type", "")).lower()
    if content_type.startswith("multipart/") and "boundary=" not in content_type:
        return FieldProblem("body", "is multipart without a boundary")
    if body and (not content_type or "json" in content_type):
        try:
            json.loads(body)
        except ValueError:
            return FieldProblem("body", "is not valid JSON")
    return None


class Api:
    """A service's HTTP API: `app` is the resolver whose routes the wiring reads."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.app = APIGatewayHttpResolver(enable_validation=True)
        self.app.exception_handler(RequestValidationError)(self._invalid_request)
        self.app.exception_handler(ValidationError)(self._invalid_request)
        self.app.exception_handler(DomainError)(self._domain_error)
        self.app.exception_handler(ServiceError)(self._resolver_error)
        self.app.exception_handler(Exception)(self._bug)

    @staticmethod
    def _invalid_request(error: RequestValidationError | ValidationError) -> Response[str]:
        return error_body(422, "validation_error", "The request has invalid fields.", _field_problems(error.errors()))

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

    def lambda_handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        correlation = correlation_id(event)
        logger.append_keys(correlation_id=correlation)
        problem = _unreadable_body(event)
        if problem is None:
            response = self.app.resolve(event, context)
        else:
            response = {
                "statusCode": 400,
                "headers": {"Content-Type": "application/json"},
                "body": _error_json("unreadable_body", f"The body {problem.reason}.", [problem]),
                "isBase64Encoded": False,
            }
        response.setdefault("headers", {})[CORRELATION_HEADER] = correlation
        return response
