"""Enrolment's HTTP entry: one API of the capabilities' routes (see `routes/`), and its Lambda handler."""

from __future__ import annotations

from typing import Any

from services.enrolment.routes import attendance, credentials, directory, programmes, sessions
from services.shared.http import Api

api = Api("enrolment", directory.routes, programmes.routes, sessions.routes, attendance.routes, credentials.routes)
app = api.app


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
