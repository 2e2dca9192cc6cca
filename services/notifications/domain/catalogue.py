"""What notifications can tell a person: the kinds of message, their category and when one is urgent. Pure.

A kind is the event type it tells of, or `Type.variant` where one event tells several people different
things (`NoShowRecorded.manager`, `InvitationsSent.session`). A person chooses channels and frequency
per category; an urgent message (a seat offer, a change within 48 hours, the day-before reminder)
bypasses digests and quiet hours, and may go by SMS.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    INVITATIONS = "invitations"
    SEATS = "seats"  # my seats: confirmed, waiting, offered, moved, cancelled
    REMINDERS = "reminders"
    PROGRESS = "progress"  # stages that open, sessions missed
    CHECKINS = "checkins"
    CREDENTIALS = "credentials"
    TEAM = "team"  # my team's news, for line managers


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"  # urgent messages only: short, and they cost


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"  # in the daily digest
    WEEKLY = "weekly"  # in the weekly digest


CATEGORY_NAMES: dict[str, dict[Category, str]] = {
    "sv": {
        Category.INVITATIONS: "inbjudningar",
        Category.SEATS: "dina platser",
        Category.REMINDERS: "påminnelser",
        Category.PROGRESS: "dina framsteg",
        Category.CHECKINS: "avstämningar",
        Category.CREDENTIALS: "diplom",
        Category.TEAM: "nytt om ditt team",
    },
    "en": {
        Category.INVITATIONS: "invitations",
        Category.SEATS: "your seats",
        Category.REMINDERS: "reminders",
        Category.PROGRESS: "your progress",
        Category.CHECKINS: "check-ins",
        Category.CREDENTIALS: "credentials",
        Category.TEAM: "news about your team",
    },
}

KINDS: dict[str, Category] = {
    "InvitationsSent.programme": Category.INVITATIONS,
    "InvitationsSent.session": Category.INVITATIONS,
    "RegistrationConfirmed": Category.SEATS,
    "RegistrationWaitlisted": Category.SEATS,
    "RegistrationOffered": Category.SEATS,
    "RegistrationPromoted": Category.SEATS,
    "RegistrationCancelled": Category.SEATS,
    "SessionMoved": Category.SEATS,
    "SessionReminder": Category.REMINDERS,
    "StageUnlocked": Category.PROGRESS,
    "NoShowRecorded": Category.PROGRESS,
    "NoShowRecorded.manager": Category.TEAM,
    "CredentialIssued": Category.CREDENTIALS,
    "CredentialExpiring": Category.CREDENTIALS,
    "CredentialExpired": Category.CREDENTIALS,
    "CredentialRevoked": Category.CREDENTIALS,
    "CheckInScheduled": Category.CHECKINS,
    "CheckInRescheduled": Category.CHECKINS,
    "CheckInCancelled": Category.CHECKINS,
    "CheckInReassigned": Category.CHECKINS,
    "CheckInReassigned.manager": Category.CHECKINS,
    "CheckInReassigned.previous_manager": Category.CHECKINS,
    "CheckInDueSoon": Category.REMINDERS,
    "ActionItemOverdue": Category.CHECKINS,
    "CheckInMissed": Category.TEAM,
    "FollowUpDue": Category.TEAM,
}

URGENT_WITHIN = timedelta(hours=48)  # a change this close to the start is urgent


def category(kind: str) -> Category:
    return KINDS[kind]


def event_type(kind: str) -> str:
    return kind.split(".", 1)[0]


def is_urgent(kind: str, data: Mapping[str, Any], actor: str, recipient: str, now: datetime) -> bool:
    """Whether a message must reach its recipient now: by SMS too, past digests and quiet hours.

    A change the recipient made themselves (cancelling their own seat) is never urgent to them."""
    if actor == recipient:
        return False
    match event_type(kind):
        case "RegistrationOffered":
            return True  # the offer lapses at its deadline
        case "SessionReminder":
            return int(data.get("days_before") or 1) == 1
        case "SessionMoved" | "RegistrationCancelled" | "CheckInRescheduled":
            return _starts_within(data, now)
        case "CheckInCancelled":
            return bool(data.get("was_scheduled")) and _starts_within(data, now)
    return False


def _starts_within(data: Mapping[str, Any], now: datetime) -> bool:
    starts = data.get("starts_at")
    if not starts:
        return False
    moment = datetime.fromisoformat(starts) if isinstance(starts, str) else starts
    return now <= moment <= now + URGENT_WITHIN
