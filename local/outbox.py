"""What the local stack sent, as a developer wants to read it (LocalStack's `/_aws/ses` in spirit):
every email SES took and every SMS SNS took on the embedded AWS, newest first, with each email's
text, HTML and calendar parts and its headers."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from local.topology import ACCOUNT_ID, REGION

SHOWN_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


def _parts(raw: str) -> dict[str, Any]:
    # moto keeps the raw message as UTF-8 text; parsed as the bytes it was, 8-bit parts decode right
    message = message_from_bytes(raw.encode("utf-8"), _class=EmailMessage, policy=policy.default)
    found: dict[str, Any] = {
        "to": str(message["To"] or ""),
        "from": str(message["From"] or ""),
        "subject": str(message["Subject"] or ""),
        "headers": {name: str(message[name]) for name in SHOWN_HEADERS if message[name]},
    }
    for part in message.walk():
        kind = part.get_content_type()
        name = {"text/plain": "text", "text/html": "html", "text/calendar": "calendar"}.get(kind)
        if name and name not in found and isinstance(part, EmailMessage):
            found[name] = part.get_content()
    return found


def _email(sent: Any) -> dict[str, Any]:
    if hasattr(sent, "raw_data"):
        return {"id": sent.id, **_parts(sent.raw_data)}
    destinations = getattr(sent, "destinations", {}) or {}
    to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else destinations
    return {
        "id": getattr(sent, "id", None),
        "to": ", ".join(to),
        "from": sent.source,
        "subject": getattr(sent, "subject", None),
        "text": getattr(sent, "body", None),
    }


def sent(to: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The emails and text messages sent so far, newest first; only those to `to`, when given."""
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    emails = [_email(message) for message in reversed(ses_backends[ACCOUNT_ID][REGION].sent_messages)]
    texts = [
        {"id": message_id, "to": number, "text": text}
        for message_id, (number, text) in reversed(sns_backends[ACCOUNT_ID][REGION].sms_messages.items())
    ]
    if to:
        emails = [email for email in emails if to in email["to"]]
        texts = [text for text in texts if text["to"] == to]
    return {"emails": emails, "sms": texts}
