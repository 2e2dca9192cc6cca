"""Notifications: who is told, what, and on which channel. Pure: no AWS here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.notifications.domain.catalogue import Category, Channel, Frequency, category
from services.notifications.domain.preferences import PersonalPreferences, Preferences


class Suppression(BaseModel):
    """Email to this address stopped: it bounced for good, or its owner marked our mail as spam."""

    model_config = ConfigDict(frozen=True)
    reason: str  # bounced | complaint
    at: datetime


class Contact(BaseModel):
    """A person as notifications knows them: from the directory, plus their own choices."""

    model_config = ConfigDict(frozen=True)
    person_id: str
    name: str
    email: str | None
    mobile: str | None = None
    language: str = "sv"
    manager_id: str | None = None
    preferences: PersonalPreferences = PersonalPreferences()
    suppressed: Suppression | None = None
    unsubscribe_token: str | None = None

    @property
    def can_email(self) -> bool:
        return bool(self.email) and self.suppressed is None


class Notification(BaseModel):
    """One message in a person's in-app inbox."""

    model_config = ConfigDict(frozen=True)
    notification_id: str  # `<time>-<id>`: the message it is, so the inbox sorts by time
    person_id: str
    kind: str
    category: Category | None = None
    subject: str
    body: str
    created_at: datetime
    read: bool = False


class DeliveryStatus(StrEnum):
    HELD = "held"  # waiting for the recipient's quiet hours to end
    QUEUED = "queued"  # committed; the sender picks it up from the table's stream
    SENDING = "sending"  # claimed by the sender: never sent twice
    SENT = "sent"  # accepted by SES or SNS
    DELIVERED = "delivered"  # SES: the recipient's mail server took it
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    SUPPRESSED = "suppressed"  # not sent: the address bounced or complained before
    FAILED = "failed"  # refused for good, with the reason


class Delivery(BaseModel):
    """One message on one channel to one person: a line of the delivery log."""

    model_config = ConfigDict(frozen=True)
    message_id: str  # `<time>-<id>` of the message (one per event, digest or invitation told)
    person_id: str
    channel: Channel
    event_type: str  # what it tells of, e.g. RegistrationConfirmed, or digest
    category: Category | None  # None for a digest, which spans categories
    status: DeliveryStatus
    to: str
    subject: str
    created_at: datetime
    updated_at: datetime
    reason: str | None = None  # why it failed, bounced or was suppressed
    provider_id: str | None = None  # SES's or SNS's message id


class EmailWay(StrEnum):
    NOW = "now"
    HELD = "held"  # until the quiet hours end
    DAILY = "daily"
    WEEKLY = "weekly"
    SUPPRESSED = "suppressed"


class Route(BaseModel):
    """The way one message goes to one person, besides in-app: email (how), SMS (whether)."""

    model_config = ConfigDict(frozen=True)
    email: EmailWay | None
    release_at: datetime | None = None  # for HELD
    sms: bool = False
    urgent: bool = False


DIGESTS = {Frequency.DAILY: EmailWay.DAILY, Frequency.WEEKLY: EmailWay.WEEKLY}


def route(
    kind: str, urgent: bool, contact: Contact, preferences: Preferences, now: datetime, *, own_doing: bool = False
) -> Route:
    """Urgent messages go now, past digests and quiet hours; SMS carries them too when the person chose
    SMS for the category, or chose email and cannot be emailed (no address, or it bounced). What the
    person just did themselves (their own registration at 22:00) is confirmed at once: they are awake,
    and quiet hours keep away only what others set off."""
    chosen = preferences.channels(category(kind))
    wants_email = Channel.EMAIL in chosen
    sms = urgent and bool(contact.mobile) and (Channel.SMS in chosen or (wants_email and not contact.can_email))
    if not wants_email or not contact.email:
        return Route(email=None, sms=sms, urgent=urgent)
    if contact.suppressed is not None:
        return Route(email=EmailWay.SUPPRESSED, sms=sms, urgent=urgent)
    if urgent:
        return Route(email=EmailWay.NOW, sms=sms, urgent=True)
    digest = DIGESTS.get(preferences.frequency(category(kind)))
    if digest is not None:
        return Route(email=digest)
    if preferences.quiet_hours.contains(now) and not own_doing:
        return Route(email=EmailWay.HELD, release_at=preferences.quiet_hours.ends_after(now))
    return Route(email=EmailWay.NOW)
