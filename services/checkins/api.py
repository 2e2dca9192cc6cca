"""Check-ins' HTTP entry: the routes of each capability (services.checkins.routes), on one resolver."""

from __future__ import annotations

from typing import Any

from services.checkins.routes import api, checkins, cycles, mentoring, newcomers, wheels

app = api.app
for capability in (wheels, cycles, checkins, newcomers, mentoring):
    app.include_router(capability.router)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
