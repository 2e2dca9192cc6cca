"""Notifications: what a person is told, in their language, and how often. Pure: no AWS here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.notifications.contracts.consumed import RegistrationConfirmed
from services.shared.timezones import in_stockholm


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


def _when(moment: datetime, language: str) -> str:
    local = in_stockholm(moment)
    return local.strftime("%Y-%m-%d %H:%M") + (" (svensk tid)" if language == "sv" else " (Swedish time)")


def registration_confirmed(event: RegistrationConfirmed, language: str) -> Message:
    where = event.video_url or event.location or ("meddelas senare" if language == "sv" else "to be announced")
    if language == "sv":
        return Message(
            subject=f"Bekräftad plats: {event.programme_name}, {event.stage_name}",
            body=(
                f"Du har en plats på {event.stage_name} i {event.programme_name}.\n"
                f"Tid: {_when(event.starts_at, language)}\nPlats: {where}\n"
                "Kan du inte delta? Avboka i Ledarlyft så att någon annan får platsen."
            ),
        )
    return Message(
        subject=f"Place confirmed: {event.programme_name}, {event.stage_name}",
        body=(
            f"You have a place at {event.stage_name} in {event.programme_name}.\n"
            f"When: {_when(event.starts_at, language)}\nWhere: {where}\n"
            "Can't attend? Cancel in Ledarlyft so that someone else gets the seat."
        ),
    )


def digest(notifications: list[Notification], language: str) -> Message:
    count = len(notifications)
    lines = "\n\n".join(f"{n.subject}\n{n.body}" for n in notifications)
    if language == "sv":
        return Message(subject=f"Ledarlyft: {count} nya meddelanden", body=lines)
    return Message(subject=f"Ledarlyft: {count} new notifications", body=lines)
