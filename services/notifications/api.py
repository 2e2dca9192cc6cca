"""Notifications' HTTP entry: a person's inbox, preferences and calendar feed; coordinators' templates,
settings and delivery log (routes/admin.py); the public unsubscribe and feed links (routes/public.py)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.http import FeedLink, PreferencesIn, PreferencesOut
from services.notifications.domain.models import Contact, Notification
from services.notifications.routes import admin, public
from services.notifications.routes.common import api, repository
from services.shared.errors import NotFound
from services.shared.http import Cursor, Limit, PageOut
from services.shared.settings import settings
from services.shared.store import ConditionFailed

app = api.app
app.include_router(admin.router)
app.include_router(public.router)

NotificationId = Annotated[str, Path(pattern=r"^[0-9]{20}-[A-Za-z0-9_-]{1,160}$")]


def _you(repo: NotificationRepository, person_id: str) -> Contact:
    contact = repo.contact(person_id)
    if contact is None:
        raise NotFound("You are not in the directory yet.")
    return contact


@app.get("/me/notifications", tags=["notifications"], summary="Your in-app notifications, newest first")
def my_notifications(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Notification]:
    identity = api.identity()
    items, next_cursor = repository(identity).notes(identity.person_id, limit, cursor)
    return PageOut[Notification](items=items, next_cursor=next_cursor)


@app.post("/me/notifications/<notification_id>/read", tags=["notifications"], summary="Mark one as read")
def mark_read(notification_id: NotificationId) -> dict[str, bool]:
    identity = api.identity()
    try:
        repository(identity).mark_read(identity.person_id, notification_id)
    except ConditionFailed as failure:
        raise NotFound(f"No notification {notification_id}.") from failure
    return {"read": True}


@app.get(
    "/me/preferences",
    tags=["notifications"],
    summary="How you are told: channels and frequency per category, quiet hours, and whether email and SMS reach you",
)
def get_preferences() -> PreferencesOut:
    identity = api.identity()
    repo = repository(identity)
    return PreferencesOut.of(_you(repo, identity.person_id), repo.settings().defaults)


@app.put(
    "/me/preferences",
    tags=["notifications"],
    summary="Choose channels (email, SMS for urgent messages) and frequency per category, and your quiet hours",
)
def put_preferences(preferences: PreferencesIn) -> PreferencesOut:
    identity = api.identity()
    repo = repository(identity)
    try:
        repo.set_preferences(identity.person_id, preferences)
    except ConditionFailed as failure:
        raise NotFound("You are not in the directory yet.") from failure
    return PreferencesOut.of(_you(repo, identity.person_id), repo.settings().defaults)


def _feed_url(tenant_id: str, token: str) -> FeedLink:
    return FeedLink(url=f"{settings().public_url}/public/calendar/{tenant_id}/{token}.ics")


@app.get("/me/calendar-feed", tags=["calendar"], summary="The address of your calendar feed, if you have one")
def get_feed() -> FeedLink:
    identity = api.identity()
    token = repository(identity).feed_token(identity.person_id)
    if token is None:
        raise NotFound("You have no calendar feed; POST /me/calendar-feed makes one.")
    return _feed_url(identity.tenant_id, token)


@app.post(
    "/me/calendar-feed",
    tags=["calendar"],
    summary="A new address for your calendar feed (your sessions and check-ins); the old one stops working",
)
def new_feed() -> tuple[FeedLink, int]:
    identity = api.identity()
    repo = repository(identity)
    _you(repo, identity.person_id)
    token = secrets.token_urlsafe(24)
    try:
        repo.replace_feed_token(identity.person_id, repo.feed_token(identity.person_id), token)
    except ConditionFailed as failure:
        raise NotFound("You are not in the directory yet.") from failure
    return _feed_url(identity.tenant_id, token), 201


@app.delete("/me/calendar-feed", tags=["calendar"], summary="Stop your calendar feed: its address stops working")
def delete_feed() -> Response[str]:
    identity = api.identity()
    repo = repository(identity)
    current = repo.feed_token(identity.person_id)
    if current is None:
        raise NotFound("You have no calendar feed.")
    repo.replace_feed_token(identity.person_id, current, None)
    return Response(204, body="")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
