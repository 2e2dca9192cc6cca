"""Errors a person can act on. Pure: the HTTP layer maps each to a status and a JSON body."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or []


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"

    def __init__(self) -> None:
        super().__init__("Send the file as text/csv.", [FieldProblem("content-type", "must be text/csv")])
