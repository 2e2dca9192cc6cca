"""Notifications' HTTP entry: a person's in-app inbox and email preference."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.domain.models import EmailPreference, Notification
from services.shared.errors import NotFound
from services.shared.http import Api, Cursor, Limit, PageOut
from services.shared.identity import Identity
from services.shared.settings import settings
from services.shared.store import ConditionFailed, TenantTable

api = Api("notifications")
app = api.app


class Preferences(BaseModel):
    email: EmailPreference


def _repository(identity: Identity) -> NotificationRepository:
    return NotificationRepository(TenantTable(settings().table_name, identity.tenant_id))


@app.get("/me/notifications", tags=["notifications"], summary="Your in-app notifications, newest first")
def my_notifications(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Notification]:
    identity = api.identity()
    items, next_cursor = _repository(identity).notes(identity.person_id, limit, cursor)
    return PageOut[Notification](items=items, next_cursor=next_cursor)


@app.post("/me/notifications/<notification_id>/read", tags=["notifications"], summary="Mark one as read")
def mark_read(notification_id: Annotated[str, Path(pattern=r"^[0-9]{20}-[0-9a-f-]{36}$")]) -> dict[str, bool]:
    identity = api.identity()
    try:
        _repository(identity).mark_read(identity.person_id, notification_id)
    except ConditionFailed as failure:
        raise NotFound(f"No notification {notification_id}.") from failure
    return {"read": True}


@app.put("/me/preferences", tags=["notifications"], summary="How you want email: immediate, daily_digest or off")
def put_preferences(preferences: Preferences) -> Preferences:
    identity = api.identity()
    try:
        _repository(identity).set_preference(identity.person_id, preferences.email)
    except ConditionFailed as failure:
        raise NotFound("You are not in the directory yet.") from failure
    return preferences


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
