"""Inject what SES would report about an email the local stack sent: a bounce or a complaint.

    make bounce EMAIL=sara.ek@humana.example                     # a permanent bounce
    make bounce EMAIL=sara.ek@humana.example KIND=complaint TENANT=humana

moto's SES publishes no events, so this finds the latest email sent to the address (through
notifications' own table) and puts on the local default bus the event SES would: source `aws.ses`,
detail-type "Email Bounced" or "Email Complaint Received", the email's tags in `mail.tags`. The
notifications service's rule on the default bus takes it from there, as in AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from local.topology import LOCAL_CREDENTIALS, REGION, table_name

DETAIL_TYPES = {"bounce": "Email Bounced", "complaint": "Email Complaint Received"}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.bounce", description=__doc__.split("\n\n")[0])
    parser.add_argument("email", help="the address the email went to")
    parser.add_argument("--tenant", default="humana")
    parser.add_argument("--kind", choices=sorted(DETAIL_TYPES), default="bounce")
    parser.add_argument("--aws", default="http://127.0.0.1:4566", help="the running stack's embedded AWS")
    return parser.parse_args()


def ses_event(kind: str, email: str, tags: dict[str, str], ses_message_id: str) -> dict[str, object]:
    """The `detail` SES publishes for a bounce or a complaint (the parts notifications reads, and a few more)."""
    mail = {
        "timestamp": datetime.now(UTC).isoformat(),
        "messageId": ses_message_id,
        "destination": [email],
        "tags": {name: [value] for name, value in tags.items()},
    }
    recipients = [{"emailAddress": email}]
    if kind == "bounce":
        bounce = {"bounceType": "Permanent", "bounceSubType": "General", "bouncedRecipients": recipients}
        return {"eventType": "Bounce", "mail": mail, "bounce": bounce}
    return {"eventType": "Complaint", "mail": mail, "complaint": {"complainedRecipients": recipients}}


def main() -> None:
    arguments = _arguments()
    os.environ.update(LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=arguments.aws, AWS_DEFAULT_REGION=REGION)
    from services.notifications.adapters.repository import NotificationRepository
    from services.notifications.wiring import WIRING
    from services.shared.aws import client
    from services.shared.store import TenantTable

    repository = NotificationRepository(TenantTable(table_name(WIRING), arguments.tenant))
    person = repository.person_with_address(arguments.email)
    deliveries = repository.deliveries_of(person, None, 50, None)[0] if person else []
    sent = next((d for d in deliveries if d.channel == "email" and d.to == arguments.email and d.provider_id), None)
    if person is None or sent is None:
        sys.exit(f"no email sent to {arguments.email} in tenant {arguments.tenant} yet")
    tags = {"tenant": arguments.tenant, "person": person, "message": sent.message_id}
    tags |= {"category": sent.category or "digest", "kind": sent.event_type}
    detail = ses_event(arguments.kind, arguments.email, tags, sent.provider_id or "")
    entry = {"Source": "aws.ses", "DetailType": DETAIL_TYPES[arguments.kind], "Detail": json.dumps(detail)}
    answer = client("events").put_events(Entries=[entry | {"EventBusName": "default"}])
    if answer.get("FailedEntryCount"):
        sys.exit(f"the bus refused it: {answer['Entries']}")
    print(f"a {arguments.kind} of '{sent.subject}' ({sent.message_id}) is on the default bus")


if __name__ == "__main__":
    main()
