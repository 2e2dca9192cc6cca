"""Notifications' table. The only place that knows its keys.

pk                      sk                      what
PERSON#<person>         CONTACT                 contact details and email preference (from the directory)
PERSON#<person>         NOTE#<notification>     in-app notification (gsi1: DIGEST / <person>#<id> while due in a digest)
EMAIL#<key>             EMAIL                   an email to send (with a calendar entry about a seat): kind=email,
                                                picked up by the mailer from the stream
"""

from __future__ import annotations

import time
from itertools import groupby
from typing import Any

from services.notifications.domain.calendar import CalendarEntry
from services.notifications.domain.models import Contact, EmailPreference, Message, Notification
from services.shared.store import Put, TenantTable, Update, Write

EMAIL_KIND = "email"
EMAIL_TTL_SECONDS = 30 * 86400
AWAITING_LOOKBACK = 20  # notes a late-arriving contact is emailed at most (one transaction holds them)


class NotificationRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def contact(self, person_id: str) -> Contact | None:
        item = self.table.get(self.table.key("PERSON", person_id), "CONTACT")
        return Contact.model_validate(item["model"]) if item else None

    def contacts(self, person_ids: list[str]) -> dict[str, Contact]:
        items = self.table.get_many([(self.table.key("PERSON", p), "CONTACT") for p in person_ids])
        return {i["model"]["person_id"]: Contact.model_validate(i["model"]) for i in items.values()}

    def save_contact(self, contact: Contact) -> list[Write]:
        item = {"pk": self.table.key("PERSON", contact.person_id), "sk": "CONTACT", "model": contact.model_dump()}
        return [Put(item), self.table.tenant_entry()]

    # A note and an email are keyed by the event they tell of, so writing one twice is harmless.
    def add_note(self, note: Notification, in_digest: bool, awaiting_contact: bool = False) -> Put:
        """A notification; `awaiting_contact`: told before the directory's record of the person arrived."""
        item: dict[str, Any] = {
            "pk": self.table.key("PERSON", note.person_id),
            "sk": f"NOTE#{note.notification_id}",
            "model": note.model_dump(mode="json"),
            "awaiting_contact": awaiting_contact or None,
        }
        if in_digest:
            item |= {"gsi1pk": self.table.key("DIGEST"), "gsi1sk": f"{note.person_id}#{note.notification_id}"}
        return Put(item)

    def awaiting_contact(self, person_id: str) -> list[Notification]:
        """The person's latest notifications that could not be emailed yet: nobody knew their address."""
        page = self.table.query(
            self.table.key("PERSON", person_id), "NOTE#", limit=AWAITING_LOOKBACK, newest_first=True
        )
        return [Notification.model_validate(i["model"]) for i in page.items if i.get("awaiting_contact")]

    def contact_arrived(self, note: Notification) -> Update:
        return Update(
            pk=self.table.key("PERSON", note.person_id),
            sk=f"NOTE#{note.notification_id}",
            expression="REMOVE awaiting_contact",
        )

    def email(self, key: str, to: str, message: Message, calendar: CalendarEntry | None = None) -> Put:
        item = {
            "pk": self.table.key("EMAIL", key),
            "sk": "EMAIL",
            "kind": EMAIL_KIND,
            "to": to,
            "subject": message.subject,
            "body": message.body,
            "calendar": calendar.ics() if calendar else None,
            "calendar_method": calendar.method.value if calendar else None,
            "expires_at": int(time.time()) + EMAIL_TTL_SECONDS,
        }
        return Put(item)

    def notes(self, person_id: str, limit: int, cursor: str | None) -> tuple[list[Notification], str | None]:
        page = self.table.query(
            self.table.key("PERSON", person_id), "NOTE#", limit=limit, cursor=cursor, newest_first=True
        )
        return [Notification.model_validate(i["model"]) for i in page.items], page.cursor

    def mark_read(self, person_id: str, notification_id: str) -> None:
        self.table.write(
            [
                Update(
                    pk=self.table.key("PERSON", person_id),
                    sk=f"NOTE#{notification_id}",
                    expression="SET #model.#read = :true",
                    condition="attribute_exists(pk)",
                    names={"#model": "model", "#read": "read"},
                    values={":true": True},
                )
            ]
        )

    def set_preference(self, person_id: str, preference: EmailPreference) -> None:
        self.table.write(
            [
                Update(
                    pk=self.table.key("PERSON", person_id),
                    sk="CONTACT",
                    expression="SET #model.email_preference = :preference",
                    condition="attribute_exists(pk)",
                    names={"#model": "model"},
                    values={":preference": preference.value},
                )
            ]
        )

    def due_in_digest(self) -> dict[str, list[Notification]]:
        """Every person's notifications waiting for their digest."""
        page = self.table.query(self.table.key("DIGEST"), index="gsi1")
        notes = [Notification.model_validate(i["model"]) for i in page.items]
        return {person: list(group) for person, group in groupby(notes, key=lambda n: n.person_id)}

    def out_of_digest(self, note: Notification) -> Write:
        return Update(
            pk=self.table.key("PERSON", note.person_id),
            sk=f"NOTE#{note.notification_id}",
            expression="REMOVE gsi1pk, gsi1sk",
        )
