"""Notifications: what a person is told, in their language, and how often. Pure: no AWS here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class EmailPreference(StrEnum):
    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"  # one email a day instead of one per notification
    OFF = "off"  # in-app only


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: str
    name: str
    email: str | None
    language: str = "sv"
    manager_id: str | None = None
    email_preference: EmailPreference = EmailPreference.IMMEDIATE


class Message(BaseModel):
    model_config = ConfigDict(frozen=True)
    subject: str
    body: str


class Notification(BaseModel):
    model_config = ConfigDict(frozen=True)
    notification_id: str  # the id of the event it tells of: one notification per event
    person_id: str
    kind: str
    subject: str
    body: str
    created_at: datetime
    read: bool = False

    @property
    def event_id(self) -> str:
        """The id of the event it tells of: its id is `<time>-<event id>`, so the inbox sorts by time."""
        return self.notification_id.split("-", 1)[1]


def digest(notifications: list[Notification], language: str) -> Message:
    count = len(notifications)
    lines = "\n\n".join(f"{n.subject}\n{n.body}" for n in notifications)
    if language == "sv":
        return Message(subject=f"Ledarlyft: {count} nya meddelanden", body=lines)
    return Message(subject=f"Ledarlyft: {count} new notifications", body=lines)
