"""What SES learnt of an email after we sent it, from its events on the default bus (source `aws.ses`).

Every email is sent with tags naming its tenant, person, message, category and kind, and SES returns
them with each event. A delivery marks the log line delivered. A permanent bounce or a complaint
marks it so and stops email to that address until the person's address changes (see
`save_contact`); the person then gets urgent messages by SMS where they have a mobile, and everything
in-app. A redelivered event changes nothing and is not counted twice.
"""

from __future__ import annotations

import time
from typing import Any

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.contracts.consumed import SesEvent
from services.notifications.contracts.events import NotificationFailed
from services.notifications.domain.catalogue import Channel
from services.notifications.domain.models import DeliveryStatus, Suppression
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.observability import logger
from services.shared.settings import settings
from services.shared.store import ConditionFailed, Put, TenantTable, Write
from services.shared.timezones import now

TAGS = ("tenant", "person", "message", "category", "kind")  # what every email is sent with


def handle(event: dict[str, Any]) -> None:
    ses = SesEvent.model_validate(event["detail"])
    tags = {name: values[0] for name, values in ses.mail.tags.items() if values and name in TAGS}
    if "tenant" not in tags:
        logger.warning("SES event without our tags ignored", extra={"ses_message_id": ses.mail.message_id})
        return
    repository = NotificationRepository(TenantTable(settings().table_name, tags["tenant"]))
    moment = now()
    if ses.event_type == "Delivery":
        outcome, reason, addresses = DeliveryStatus.DELIVERED, None, []
    elif ses.event_type == "Bounce" and ses.bounce and ses.bounce.bounce_type == "Permanent":
        outcome, reason = DeliveryStatus.BOUNCED, "bounced"
        addresses = [r.email_address for r in ses.bounce.recipients]
    elif ses.event_type == "Complaint" and ses.complaint:
        outcome, reason = DeliveryStatus.COMPLAINED, "complaint"
        addresses = [r.email_address for r in ses.complaint.recipients]
    else:
        logger.info("SES event needs nothing", extra={"ses_event": ses.event_type})  # a soft bounce: SES retries
        return
    writes: list[Write] = []
    if "person" in tags and "message" in tags:
        writes.append(repository.feedback(tags["person"], tags["message"], outcome, reason, moment))
    for address in addresses:
        person = repository.person_with_address(address)
        if person is not None and reason is not None:
            writes.append(repository.suppress(person, address, Suppression(reason=reason, at=moment)))
    repository.write_guarded(writes)  # a log line gone, or an address changed since: nothing to do there
    _remember(repository, event["id"], reason, tags)


def _remember(repository: NotificationRepository, event_id: str, reason: str | None, tags: dict[str, str]) -> None:
    """The event's marker, and for a bounce or complaint its count for reporting, together: once."""
    table = repository.table
    marker = Put(
        {
            "pk": table.key("PROCESSED", event_id),
            "sk": "PROCESSED",
            "expires_at": int(time.time()) + settings().processed_event_ttl_days * 86400,
        },
        condition="attribute_not_exists(pk)",
    )
    events = []
    if reason is not None:
        failed = NotificationFailed(
            category=tags.get("category", "digest"),
            channel=Channel.EMAIL.value,
            kind=tags.get("kind", "unknown"),
            reason=reason,
            count=1,
        )
        context = EventContext(tenant_id=table.tenant_id, actor="system:notifications", correlation_id=event_id)
        events.append(EventEnvelope.wrap(failed, context))
    try:
        table.write([marker], events)
    except ConditionFailed:
        logger.info("duplicate SES event skipped", extra={"event_id": event_id})
