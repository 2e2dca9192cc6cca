"""Events the notifications service publishes (source `ledarlyft.notifications`): counts only, for reporting.

Nothing here names a person or an address: what was sent to whom stays in the delivery log.
"""

from __future__ import annotations

from typing import ClassVar

from services.shared.envelope import DomainEvent


class NotificationsEvent(DomainEvent):
    event_source: ClassVar[str] = "notifications"


class NotificationSent(NotificationsEvent):
    """Messages of one kind left on one channel: `count` of them, in one batch the sender handled."""

    event_name: ClassVar[str] = "NotificationSent"
    category: str  # invitations, seats, reminders, checkins, credentials, team, ...
    channel: str  # email | sms
    kind: str  # what the messages tell of, e.g. RegistrationConfirmed, or digest (category "digest" then)
    count: int


class NotificationFailed(NotificationsEvent):
    """Messages that could not be delivered: bounced, complained of, suppressed, or failed for good."""

    event_name: ClassVar[str] = "NotificationFailed"
    category: str
    channel: str
    kind: str
    reason: str  # bounced | complaint | suppressed | failed
    count: int


EVENTS: tuple[type[NotificationsEvent], ...] = (NotificationSent, NotificationFailed)
