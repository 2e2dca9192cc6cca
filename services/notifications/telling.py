"""Telling one person one message: the in-app note, and the email or SMS their choices and the hour ask for.

A `Teller` serves one event (or one job run): it reads the tenant's settings and templates once, and
for each recipient renders the message in their language, routes it (now, held for quiet hours, in a
digest, by SMS, suppressed) and returns the writes. Deliveries are keyed by message, person and
channel and written only if absent, so however often an event comes, each goes once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.events import NotificationFailed
from services.notifications.domain import calendar, rendering
from services.notifications.domain.catalogue import KINDS, Category, Channel, Frequency, category, is_urgent
from services.notifications.domain.messages import BUILT_IN, Template, fields
from services.notifications.domain.models import (
    Contact,
    Delivery,
    DeliveryStatus,
    EmailWay,
    Notification,
    Route,
    route,
)
from services.notifications.domain.preferences import TenantSettings
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import Put

DIGESTS = {EmailWay.DAILY: Frequency.DAILY, EmailWay.WEEKLY: Frequency.WEEKLY}
SMS_NUMBER = re.compile(r"^\+[1-9][0-9]{7,14}$")


def sms_number(mobile: str | None) -> str | None:
    """A mobile number as SNS takes it (E.164); a Swedish one may be written 070-123 45 67."""
    if not mobile:
        return None
    digits = re.sub(r"[\s()-]", "", mobile)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+46" + digits[1:]
    return digits if SMS_NUMBER.match(digits) else None


def unsubscribe_url(tenant_id: str, token: str | None, categories: Sequence[Category]) -> str | None:
    if not token:
        return None
    return f"{settings().public_url}/public/unsubscribe/{tenant_id}/{token}/{','.join(categories)}"


@dataclass
class Told:
    """What telling some people one message writes: notes, deliveries, and what could not be emailed."""

    notes: list[Put] = field(default_factory=list)
    deliveries: list[Put] = field(default_factory=list)
    feed: list[Put] = field(default_factory=list)  # calendar entries, each only over an older version
    suppressed: Counter[tuple[str, str]] = field(default_factory=Counter)  # (category, kind) -> emails not sent

    def failures(self) -> list[NotificationFailed]:
        return [
            NotificationFailed(category=c, channel=Channel.EMAIL.value, kind=k, reason="suppressed", count=n)
            for (c, k), n in sorted(self.suppressed.items())
        ]


class Teller:
    def __init__(self, repository: NotificationRepository, now: datetime, actor: str) -> None:
        self.repository = repository
        self.now = now
        self.actor = actor
        self._settings: TenantSettings | None = None
        self._templates: dict[str, dict[str, Template]] = {}

    @property
    def settings(self) -> TenantSettings:
        if self._settings is None:
            self._settings = self.repository.settings()
        return self._settings

    def render(self, kind: str, context: Mapping[str, Any], language: str) -> rendering.Rendered:
        """The tenant's template when it has one that renders, else the built-in one."""
        if kind not in self._templates:
            self._templates[kind] = self.repository.templates(kind)
        built_in = BUILT_IN[kind].get(language, BUILT_IN[kind]["sv"])
        own = self._templates[kind].get(language)
        if own is not None:
            try:
                return rendering.render(own, context, built_in.sms)
            except rendering.RenderFailed as failure:
                logger.warning("tenant template failed; built-in used", extra={"kind": kind, "why": str(failure)})
        return rendering.render(built_in, context, built_in.sms)

    def tell(
        self,
        told: Told,
        person_id: str,
        contact: Contact | None,
        kind: str,
        data: Mapping[str, Any],
        message: str,
        stamp: datetime,
        *,
        note: bool = True,
        deliver: bool = True,
    ) -> None:
        """One message to one person: the note in their inbox (`note`), the email or SMS they chose
        (`deliver`), and the entry of their calendar feed it changes. `stamp`: the time of what happened."""
        language = contact.language if contact else "sv"
        entry = calendar.entry_for(kind, data, stamp, person_id, language)
        if entry is not None:
            told.feed.append(
                self.repository.put_calendar_entry(person_id, entry[0], only_existing=kind == "SessionMoved")
            )
        context = fields(data, language) | {
            "recipient_name": contact.name if contact else "",
            "app_url": settings().app_url,
            "language": language,
        }
        rendered = self.render(kind, context, language)
        in_app = Notification(
            notification_id=message,
            person_id=person_id,
            kind=re.sub(r"(?<!^)(?=[A-Z])", "_", kind.split(".")[0]).lower(),
            category=category(kind),
            subject=rendered.subject,
            body=rendered.text,
            created_at=self.now,
        )
        if contact is None:  # nobody knows where to send it yet: when the contact arrives
            if note:
                awaiting = {"kind": kind, "data": dict(data), "stamp": stamp.isoformat()}
                told.notes.append(self.repository.add_note(in_app, awaiting=awaiting))
            return
        preferences = contact.preferences.over(self.settings.defaults)
        urgent = is_urgent(kind, data, self.actor, person_id, self.now)
        reachable = contact.model_copy(update={"mobile": sms_number(contact.mobile)})
        way = route(kind, urgent, reachable, preferences, self.now, own_doing=self.actor == person_id)
        if note:
            told.notes.append(self.repository.add_note(in_app, digest=DIGESTS.get(way.email) if way.email else None))
        if not deliver:
            return
        if way.email in (EmailWay.NOW, EmailWay.HELD, EmailWay.SUPPRESSED):
            told.deliveries.append(self._email(reachable, kind, message, entry, rendered, way))
            if way.email is EmailWay.SUPPRESSED:
                told.suppressed[(category(kind).value, kind.split(".")[0])] += 1
        if way.sms:
            told.deliveries.append(self._sms(reachable, kind, message, rendered))

    def digest(self, contact: Contact, notes: list[Notification], frequency: Frequency, message: str) -> Put:
        """One email of what waited for the daily or weekly digest, grouped by category; held, like any
        email that is not urgent, while the person's quiet hours last."""
        assert contact.email is not None
        rendered, categories = rendering.digest(notes, frequency.value, contact.language)
        quiet = contact.preferences.over(self.settings.defaults).quiet_hours
        release_at = quiet.ends_after(self.now) if quiet.contains(self.now) else None
        status = DeliveryStatus.HELD if release_at else DeliveryStatus.QUEUED
        delivery = self._delivery(contact, Channel.EMAIL, "digest", message, contact.email, rendered.subject, status)
        content = email_content(
            self.repository.table.tenant_id, contact, rendered, categories, None, settings().sender_email
        )
        return self.repository.delivery(delivery, content, release_at=release_at)

    def _delivery(
        self, contact: Contact, channel: Channel, kind: str, message: str, to: str, subject: str, status: DeliveryStatus
    ) -> Delivery:
        return Delivery(
            message_id=message,
            person_id=contact.person_id,
            channel=channel,
            event_type=kind.split(".")[0],
            category=category(kind) if kind in KINDS else None,
            status=status,
            to=to,
            subject=subject,
            created_at=self.now,
            updated_at=self.now,
            reason="the address bounced or was reported as spam" if status is DeliveryStatus.SUPPRESSED else None,
        )

    def _email(
        self,
        contact: Contact,
        kind: str,
        message: str,
        entry: tuple[calendar.CalendarEntry, calendar.Method] | None,
        rendered: rendering.Rendered,
        way: Route,
    ) -> Put:
        assert contact.email is not None
        status = {EmailWay.HELD: DeliveryStatus.HELD, EmailWay.SUPPRESSED: DeliveryStatus.SUPPRESSED}.get(
            way.email or EmailWay.NOW, DeliveryStatus.QUEUED
        )
        delivery = self._delivery(contact, Channel.EMAIL, kind, message, contact.email, rendered.subject, status)
        if status is DeliveryStatus.SUPPRESSED:
            return self.repository.delivery(delivery, {})
        content = email_content(
            self.repository.table.tenant_id, contact, rendered, (category(kind),), entry, settings().sender_email
        )
        return self.repository.delivery(delivery, content, release_at=way.release_at)

    def _sms(self, contact: Contact, kind: str, message: str, rendered: rendering.Rendered) -> Put:
        assert contact.mobile is not None  # a number SNS takes: see sms_number
        delivery = self._delivery(
            contact, Channel.SMS, kind, message, contact.mobile, rendered.subject, DeliveryStatus.QUEUED
        )
        return self.repository.delivery(delivery, {"text": rendered.sms, "sender_id": self.settings.sms_sender_id})


def email_content(
    tenant_id: str,
    contact: Contact,
    rendered: rendering.Rendered,
    categories: Sequence[Category],
    entry: tuple[calendar.CalendarEntry, calendar.Method] | None,
    sender: str,
) -> dict[str, Any]:
    """What the sender needs to build the MIME message: both bodies, the calendar entry, the unsubscribe link."""
    assert contact.email is not None
    link = unsubscribe_url(tenant_id, contact.unsubscribe_token, categories)
    footer = rendering.Footer(app_url=settings().app_url, unsubscribe_url=link, categories=tuple(categories))
    content: dict[str, Any] = {
        "text": rendering.email_text(rendered.text, footer, contact.language),
        "html": rendering.email_html(rendered.subject, rendered.html, footer, contact.language),
        "unsubscribe_url": link,
    }
    if entry is not None:
        invitation, method = entry
        content |= {"calendar": calendar.invitation(invitation, method, sender, contact.email), "method": method.value}
    return content
