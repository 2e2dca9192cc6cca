"""Notifications' table. The only place that knows its keys.

pk                    sk                              what
PERSON#<p>            CONTACT                         `contact` (the directory's record), `preferences` (the person's own),
                                                      `suppressed` (email stopped), `unsubscribe_token`, `feed_token`:
                                                      attributes written apart, so no writer undoes another's
PERSON#<p>            NOTE#<message>                  in-app notification; gsi1 DIGEST#<daily|weekly> / <p>#<message> while
                                                      it waits for a digest; `awaiting` (kind, fields) while the person's
                                                      contact details have not arrived
PERSON#<p>            DELIVERY#<message>#<channel>    an email or SMS (kind=email|sms, status): what the sender sends from the
                                                      stream and the delivery log shows; gsi1 LOG / <message>#<p>#<channel>,
                                                      or while held for quiet hours DUE / <release>#<p>#<message>
PERSON#<p>            INVITE#<programme>#<occasion>   an invitation waiting out the coalescing window (occasion: a session id
                                                      or PROGRAMME); gsi1 DUE / <due>#<p>#<programme>#<occasion>
PERSON#<p>            INVITE#<programme>#SESSIONS     when the person was last invited to one of the programme's sessions
PERSON#<p>            CAL#<uid>                       an entry of the person's calendar feed (a seat, a check-in), or its
                                                      tombstone; versioned by (sequence, event time)
TOKEN#<token>         TOKEN                           the secret of a public link: whose, and for what (unsubscribe, calendar)
ADDRESS#<sha256>      ADDRESS                         whose email address it is, for SES's bounces and complaints
TEMPLATE#<kind>       <language>                      the tenant's own template of a kind of message
SETTINGS              SETTINGS                        the tenant's defaults and SMS sender id
PROCESSED#<event>     PROCESSED                       an SES event handled (the consumer's markers of our own events alike)

A message id is `<UTC time, 20 digits>-<id>`, so notes and the log sort by time; deliveries are keyed
by message, person and channel and written only if absent: each is sent at most once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Any

from services.notifications.domain.calendar import CalendarEntry
from services.notifications.domain.catalogue import Channel, Frequency
from services.notifications.domain.messages import Template
from services.notifications.domain.models import Contact, Delivery, DeliveryStatus, Notification, Suppression
from services.notifications.domain.preferences import PersonalPreferences, TenantSettings
from services.shared.store import (
    ConditionFailed,
    Delete,
    Item,
    Page,
    Put,
    TenantTable,
    Update,
    Write,
)

EMAIL_KIND, SMS_KIND = "email", "sms"
SENDABLE_KINDS = (EMAIL_KIND, SMS_KIND)
DELIVERY_TTL_SECONDS = 90 * 86400  # the delivery log reaches three months back
NOTE_TTL_SECONDS = 365 * 86400
AWAITING_LOOKBACK = 20  # notes a late-arriving contact is emailed at most
TRANSACTION_ITEMS = 100  # TransactWriteItems' own limit
FEED_PAST = timedelta(days=30)  # a feed keeps recent entries, so a subscribed calendar does not lose them at once
SORTABLE = "%Y%m%dT%H%M%S"  # due times in the DUE index, compared as strings
STAMP = "%Y%m%d%H%M%S%f"  # event times, compared as strings


def message_id(moment: datetime, suffix: str) -> str:
    return f"{moment.astimezone(UTC).strftime(STAMP)}-{suffix}"


def due_key(moment: datetime) -> str:
    return moment.strftime(SORTABLE)


def address_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def tenant_of(pk: str) -> str:
    """The tenant whose item this is (every key begins `T#<tenant>#`)."""
    return pk.split("#", 2)[1]


def _key(write: Write) -> tuple[str, str]:
    return (write.item["pk"], write.item["sk"]) if isinstance(write, Put) else (write.pk, write.sk)


def _transactions(groups: Sequence[Sequence[Write]]) -> list[list[Write]]:
    """The writes in order, a hundred at most a transaction and never two on one item in one; a group
    (fewer than a hundred) never split across two."""
    chunks: list[list[Write]] = [[]]
    keys: set[tuple[str, str]] = set()
    for group in groups:
        if len(chunks[-1]) + len(group) > TRANSACTION_ITEMS or keys & {_key(write) for write in group}:
            chunks.append([])
            keys.clear()
        for write in group:
            if _key(write) in keys:  # a group that writes one item twice is split where it must be
                chunks.append([])
                keys.clear()
            chunks[-1].append(write)
            keys.add(_key(write))
    return [c for c in chunks if c]


def _stored(preferences: PersonalPreferences) -> dict[str, Any]:
    return preferences.model_dump(mode="json", exclude_none=True)


def _ttl(seconds: int) -> int:
    return int(time.time()) + seconds


class NotificationRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _person(self, person_id: str) -> str:
        return self.table.key("PERSON", person_id)

    # --- contacts ---------------------------------------------------------------------------------

    @staticmethod
    def _contact(item: Item) -> Contact:
        return Contact.model_validate(
            item["contact"]
            | {
                "preferences": item.get("preferences") or {},
                "suppressed": item.get("suppressed"),
                "unsubscribe_token": item.get("unsubscribe_token"),
            }
        )

    def contact(self, person_id: str) -> Contact | None:
        item = self.table.get(self._person(person_id), "CONTACT")
        return self._contact(item) if item and "contact" in item else None

    def contacts(self, person_ids: Iterable[str]) -> dict[str, Contact]:
        items = self.table.get_many([(self._person(p), "CONTACT") for p in person_ids])
        found = (self._contact(i) for i in items.values() if "contact" in i)
        return {c.person_id: c for c in found}

    def save_contact(self, contact: Contact, known: Contact | None) -> list[Write]:
        """The directory's record of a person. With a new address comes a new unsubscribe link (links in
        mail to the old address stop working) and the end of any suppression: see the handler."""
        directory = contact.model_dump(include={"person_id", "name", "email", "mobile", "language", "manager_id"})
        writes: list[Write] = [self.table.tenant_entry()]
        expression = "SET #contact = :contact"
        values: dict[str, Any] = {":contact": directory}
        token = contact.unsubscribe_token
        if token and (known is None or known.unsubscribe_token != token):
            expression += ", unsubscribe_token = :token REMOVE suppressed"
            values[":token"] = token
            writes.append(self._token(token, contact.person_id, "unsubscribe"))
            if known and known.unsubscribe_token:
                writes.append(Delete(self.table.key("TOKEN", known.unsubscribe_token), "TOKEN"))
            if known and known.email:
                writes.append(Delete(self.table.key("ADDRESS", address_hash(known.email)), "ADDRESS"))
            if contact.email:
                address = {"pk": self.table.key("ADDRESS", address_hash(contact.email)), "sk": "ADDRESS"}
                writes.append(Put(address | {"person_id": contact.person_id}))
        if known is None:  # nothing of the person's own to keep yet (their choices need the contact first)
            item = {"pk": self._person(contact.person_id), "sk": "CONTACT", "contact": directory}
            return [*writes, Put(item | {"unsubscribe_token": token})]
        names = {"#contact": "contact"}
        writes.append(Update(self._person(contact.person_id), "CONTACT", expression, names=names, values=values))
        return writes

    def set_preferences(
        self, person_id: str, preferences: PersonalPreferences, expected: PersonalPreferences | None = None
    ) -> None:
        """The person's own choices; with `expected`, only if they still are what was read."""
        condition, values = "attribute_exists(#contact)", {":preferences": _stored(preferences)}
        if expected is not None:
            guard = " AND preferences = :expected"
            if expected == PersonalPreferences():  # never chosen: maybe never stored
                guard = " AND (attribute_not_exists(preferences) OR preferences = :expected)"
            condition, values = condition + guard, values | {":expected": _stored(expected)}
        self.table.write(
            [
                Update(
                    self._person(person_id),
                    "CONTACT",
                    "SET preferences = :preferences",
                    condition=condition,
                    names={"#contact": "contact"},
                    values=values,
                )
            ]
        )

    def suppress(self, person_id: str, address: str, suppression: Suppression) -> Update:
        """Stop email to `address`, if it is still the person's: a bounce of an old address changes nothing."""
        return Update(
            self._person(person_id),
            "CONTACT",
            "SET suppressed = :suppressed",
            condition="#contact.email = :address",
            names={"#contact": "contact"},
            values={":suppressed": suppression.model_dump(mode="json"), ":address": address},
        )

    def person_with_address(self, email: str) -> str | None:
        item = self.table.get(self.table.key("ADDRESS", address_hash(email)), "ADDRESS")
        return str(item["person_id"]) if item else None

    # --- public links -----------------------------------------------------------------------------

    def _token(self, token: str, person_id: str, purpose: str) -> Put:
        return Put({"pk": self.table.key("TOKEN", token), "sk": "TOKEN", "person_id": person_id, "purpose": purpose})

    def token_owner(self, token: str, purpose: str) -> str | None:
        item = self.table.get(self.table.key("TOKEN", token), "TOKEN")
        return str(item["person_id"]) if item and item["purpose"] == purpose else None

    def feed_token(self, person_id: str) -> str | None:
        item = self.table.get(self._person(person_id), "CONTACT")
        return str(item["feed_token"]) if item and item.get("feed_token") else None

    def replace_feed_token(self, person_id: str, current: str | None, new: str | None) -> None:
        """A new feed link (or none): the old one stops working in the same transaction."""
        guard = "feed_token = :current" if current else "attribute_not_exists(feed_token)"
        values: dict[str, Any] = {":current": current} if current else {}
        if new:
            update = Update(self._person(person_id), "CONTACT", "SET feed_token = :new", values=values | {":new": new})
        else:
            update = Update(self._person(person_id), "CONTACT", "REMOVE feed_token", values=values)
        writes: list[Write] = [
            Update(
                update.pk,
                update.sk,
                update.expression,
                condition=f"attribute_exists(#contact) AND {guard}",
                names={"#contact": "contact"},
                values=update.values,
            )
        ]
        if current:
            writes.append(Delete(self.table.key("TOKEN", current), "TOKEN"))
        if new:
            writes.append(self._token(new, person_id, "calendar"))
        self.table.write(writes)

    # --- in-app notes and digests -----------------------------------------------------------------

    def add_note(
        self, note: Notification, digest: Frequency | None = None, awaiting: Mapping[str, Any] | None = None
    ) -> Put:
        """A note, keyed by its message: writing it twice is harmless. `awaiting`: what to send once the
        person's contact details arrive."""
        item: Item = {
            "pk": self._person(note.person_id),
            "sk": f"NOTE#{note.notification_id}",
            "model": note.model_dump(mode="json"),
            "awaiting": dict(awaiting) if awaiting else None,
            "expires_at": _ttl(NOTE_TTL_SECONDS),
        }
        if digest is not None:
            item |= {
                "gsi1pk": self.table.key("DIGEST", digest.value),
                "gsi1sk": f"{note.person_id}#{note.notification_id}",
            }
        return Put(item)

    def remove_note(self, person_id: str, notification_id: str) -> Delete:
        return Delete(self._person(person_id), f"NOTE#{notification_id}")

    def notes(self, person_id: str, limit: int, cursor: str | None) -> tuple[list[Notification], str | None]:
        page = self.table.query(self._person(person_id), "NOTE#", limit=limit, cursor=cursor, newest_first=True)
        return [Notification.model_validate(i["model"]) for i in page.items], page.cursor

    def mark_read(self, person_id: str, notification_id: str) -> None:
        self.table.write(
            [
                Update(
                    self._person(person_id),
                    f"NOTE#{notification_id}",
                    "SET #model.#read = :true",
                    condition="attribute_exists(pk)",
                    names={"#model": "model", "#read": "read"},
                    values={":true": True},
                )
            ]
        )

    def awaiting_contact(self, person_id: str) -> list[tuple[Notification, dict[str, Any]]]:
        """The person's latest notes that could not be sent yet, nobody knowing where: with what to send."""
        page = self.table.query(self._person(person_id), "NOTE#", limit=AWAITING_LOOKBACK, newest_first=True)
        return [(Notification.model_validate(i["model"]), i["awaiting"]) for i in page.items if i.get("awaiting")]

    def contact_arrived(self, note: Notification) -> Update:
        return Update(self._person(note.person_id), f"NOTE#{note.notification_id}", "REMOVE awaiting")

    def due_in_digest(self, frequency: Frequency) -> dict[str, list[Notification]]:
        """Every person's notes waiting for their daily or weekly digest."""
        page = self.table.query(self.table.key("DIGEST", frequency.value), index="gsi1")
        notes = [Notification.model_validate(i["model"]) for i in page.items]
        return {person: list(group) for person, group in groupby(notes, key=lambda n: n.person_id)}

    def out_of_digest(self, note: Notification, frequency: Frequency) -> Update:
        """Taken into a digest, once: a second run (or a concurrent one) finds it gone and fails."""
        return Update(
            self._person(note.person_id),
            f"NOTE#{note.notification_id}",
            "REMOVE gsi1pk, gsi1sk",
            condition="gsi1pk = :digest",
            values={":digest": self.table.key("DIGEST", frequency.value)},
        )

    # --- deliveries ---------------------------------------------------------------------------------

    def _delivery_key(self, person_id: str, message: str, channel: Channel) -> tuple[str, str]:
        return self._person(person_id), f"DELIVERY#{message}#{channel.value}"

    def _log_key(self, person_id: str, message: str, channel: Channel) -> dict[str, str]:
        return {"gsi1pk": self.table.key("LOG"), "gsi1sk": f"{message}#{person_id}#{channel.value}"}

    def delivery(self, delivery: Delivery, content: Mapping[str, Any], release_at: datetime | None = None) -> Put:
        """An email or SMS to send (queued), to send after quiet hours (held), or only to log (suppressed).

        Only `queued` goes to the sender, through the table's stream; written with `write_guarded`."""
        pk, sk = self._delivery_key(delivery.person_id, delivery.message_id, delivery.channel)
        item: Item = {"pk": pk, "sk": sk, "kind": delivery.channel.value, **delivery.model_dump(mode="json")}
        item |= dict(content) | {"expires_at": _ttl(DELIVERY_TTL_SECONDS)}
        if release_at is not None:
            item |= {
                "gsi1pk": self.table.key("DUE"),
                "gsi1sk": f"{due_key(release_at)}#{delivery.person_id}#{delivery.message_id}#{delivery.channel.value}",
            }
        else:
            item |= self._log_key(delivery.person_id, delivery.message_id, delivery.channel)
        return Put(item, condition="attribute_not_exists(pk)")

    def write_guarded(self, writes: Sequence[Write]) -> list[Write]:
        """Write each guarded write whose guard holds, up to a hundred a round trip, in order; leave the
        others (a delivery that exists, an invitation already told, an older calendar version). Each is
        harmless to try again, so a run that stopped half-way is resumed by writing the same again.
        The writes written."""
        return self.write_guarded_together([[write] for write in writes])

    def write_guarded_together(self, groups: Sequence[Sequence[Write]]) -> list[Write]:
        """`write_guarded`, each group in one transaction: what was done and the mark that it was done
        commit together, so a run stopped half-way leaves nothing to re-read."""
        written: list[Write] = []
        for chunk in _transactions(groups):
            while chunk:
                try:
                    self.table.write(chunk)
                except ConditionFailed as failure:
                    chunk = [w for i, w in enumerate(chunk) if i not in set(failure.failed)]
                    continue
                written += chunk
                break
        return written

    def _delivery_from(self, item: Item) -> Delivery:
        return Delivery.model_validate(item)

    def deliveries_of(
        self, person_id: str, message: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Delivery], str | None]:
        prefix = f"DELIVERY#{message}#" if message else "DELIVERY#"
        page = self.table.query(self._person(person_id), prefix, limit=limit, cursor=cursor, newest_first=True)
        return [self._delivery_from(i) for i in page.items], page.cursor

    def log(self, message: str | None, limit: int, cursor: str | None) -> tuple[list[Delivery], str | None]:
        """The tenant's deliveries, newest first; or those of one message."""
        page = self.table.query(
            self.table.key("LOG"),
            f"{message}#" if message else None,
            index="gsi1",
            limit=limit,
            cursor=cursor,
            newest_first=True,
        )
        return [self._delivery_from(i) for i in page.items], page.cursor

    def claim(self, item: Mapping[str, Any], record: str, now: datetime) -> bool:
        """The sender's right to send this delivery, for one stream record: False when it was sent, or is
        being sent for another record. The same record, retried after a failure, may claim it again."""
        try:
            self.table.write(
                [
                    Update(
                        str(item["pk"]),
                        str(item["sk"]),
                        "SET #status = :sending, claimed_by = :record, updated_at = :now",
                        condition="#status = :queued OR (#status = :sending AND claimed_by = :record)",
                        names={"#status": "status"},
                        values={
                            ":sending": DeliveryStatus.SENDING.value,
                            ":queued": DeliveryStatus.QUEUED.value,
                            ":record": record,
                            ":now": now.isoformat(),
                        },
                    )
                ]
            )
        except ConditionFailed:
            return False
        return True

    def _status(
        self,
        item: Mapping[str, Any],
        status: DeliveryStatus,
        now: datetime,
        *,
        required: DeliveryStatus | None = None,
        reason: str | None = None,
        provider_id: str | None = None,
    ) -> Update:
        expression = "SET #status = :status, updated_at = :now"
        values: dict[str, Any] = {":status": status.value, ":now": now.isoformat()}
        if reason is not None:
            expression, values = expression + ", reason = :reason", values | {":reason": reason}
        if provider_id is not None:
            expression, values = expression + ", provider_id = :provider", values | {":provider": provider_id}
        condition = "attribute_exists(pk)"
        if required is not None:
            condition, values = "#status = :required", values | {":required": required.value}
        return Update(
            str(item["pk"]),
            str(item["sk"]),
            expression,
            condition=condition,
            names={"#status": "status"},
            values=values,
        )

    def sent(self, item: Mapping[str, Any], provider_id: str, now: datetime) -> Update:
        return self._status(item, DeliveryStatus.SENT, now, required=DeliveryStatus.SENDING, provider_id=provider_id)

    def failed(self, item: Mapping[str, Any], reason: str, now: datetime) -> Update:
        return self._status(item, DeliveryStatus.FAILED, now, required=DeliveryStatus.SENDING, reason=reason)

    def feedback(
        self, person_id: str, message: str, status: DeliveryStatus, reason: str | None, now: datetime
    ) -> Update:
        """What SES learnt of an email after sending it: delivered, bounced, complained of."""
        pk, sk = self._delivery_key(person_id, message, Channel.EMAIL)
        return self._status({"pk": pk, "sk": sk}, status, now, reason=reason)

    def release(self, item: Mapping[str, Any], now: datetime) -> Update:
        """A held delivery whose quiet hours ended: queued, so the sender picks it up."""
        key = self._log_key(str(item["person_id"]), str(item["message_id"]), Channel(item["channel"]))
        return Update(
            str(item["pk"]),
            str(item["sk"]),
            "SET #status = :queued, updated_at = :now, gsi1pk = :log, gsi1sk = :at",
            condition="#status = :held",
            names={"#status": "status"},
            values={
                ":queued": DeliveryStatus.QUEUED.value,
                ":held": DeliveryStatus.HELD.value,
                ":now": now.isoformat(),
                ":log": key["gsi1pk"],
                ":at": key["gsi1sk"],
            },
        )

    # --- invitations waiting out the coalescing window --------------------------------------------

    def pending_invitation(
        self,
        person_id: str,
        programme_id: str,
        occasion: str,
        message: str,
        fields: Mapping[str, Any],
        due: datetime,
        stamp: datetime,
    ) -> Put:
        """Keyed by person, programme and occasion: a second invitation to the same occasion in the window
        replaces the first, and rewriting it after a redelivery is harmless (the delivery is keyed by message)."""
        sk = f"INVITE#{programme_id}#{occasion}"
        return Put(
            {
                "pk": self._person(person_id),
                "sk": sk,
                "person_id": person_id,
                "programme_id": programme_id,
                "occasion": occasion,
                "message_id": message,
                "fields": dict(fields),
                "stamp": stamp.isoformat(),
                "gsi1pk": self.table.key("DUE"),
                "gsi1sk": f"{due_key(due)}#{person_id}#{programme_id}#{occasion}",
                "expires_at": _ttl(7 * 86400),
            }
        )

    def invited_to_session(self, person_id: str, programme_id: str, at: datetime) -> Put:
        item = {"pk": self._person(person_id), "sk": f"INVITE#{programme_id}#SESSIONS", "at": at.isoformat()}
        return Put(item | {"expires_at": _ttl(7 * 86400)})

    def last_session_invitations(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
        """(person, programme) -> when the person was last invited to one of the programme's sessions."""
        keys = [(self._person(p), f"INVITE#{programme}#SESSIONS") for p, programme in pairs]
        found = self.table.get_many(keys)
        return {
            (p, programme): datetime.fromisoformat(found[key]["at"])
            for (p, programme), key in zip(pairs, keys, strict=True)
            if key in found
        }

    def invitation_done(self, item: Mapping[str, Any]) -> Update:
        """Out of the window, once: told, or superseded by a session's invitation."""
        return Update(
            str(item["pk"]),
            str(item["sk"]),
            "REMOVE gsi1pk, gsi1sk",
            condition="gsi1sk = :due",
            values={":due": item["gsi1sk"]},
        )

    def due_page(self, now: datetime, limit: int, cursor: str | None) -> Page:
        """What waits for a time that has come, oldest first: held deliveries and invitations."""
        return self.table.query(
            self.table.key("DUE"), index="gsi1", sk_until=f"{due_key(now)}~", limit=limit, cursor=cursor
        )

    # --- the calendar feed --------------------------------------------------------------------------

    def calendar_entry(self, person_id: str, uid: str) -> CalendarEntry | None:
        item = self.table.get(self._person(person_id), f"CAL#{uid}")
        return CalendarEntry.model_validate(item["entry"]) if item else None

    def put_calendar_entry(self, person_id: str, entry: CalendarEntry, *, only_existing: bool = False) -> Put:
        """An entry of the person's feed (a cancelled one stays as a tombstone), only over an older
        version (a lower sequence, or the same one from an earlier event): a change delivered late does
        not undo a newer one. `only_existing`: a moved session changes the seats people hold, and adds
        none for those only waiting."""
        item: Item = {"pk": self._person(person_id), "sk": f"CAL#{entry.uid}", "entry": entry.model_dump(mode="json")}
        stamp = entry.stamp.astimezone(UTC).strftime(STAMP)
        item |= {"sequence": entry.sequence, "stamp": stamp, "expires_at": _ttl(400 * 86400)}
        older = "(#sequence < :sequence OR (#sequence = :sequence AND #stamp < :stamp))"
        names = {"#sequence": "sequence", "#stamp": "stamp"}
        values: dict[str, Any] = {":sequence": entry.sequence, ":stamp": stamp}
        if only_existing:
            condition = f"attribute_exists(pk) AND {older} AND #entry.cancelled = :false"
            names, values = names | {"#entry": "entry"}, values | {":false": False}
        else:
            condition = f"attribute_not_exists(pk) OR {older}"
        return Put(item, condition=condition, names=names, values=values)

    def feed(self, person_id: str, now: datetime) -> list[CalendarEntry]:
        """The person's seats and check-ins, from a month back on."""
        entries = [
            CalendarEntry.model_validate(i["entry"]) for i in self.table.query(self._person(person_id), "CAL#").items
        ]
        return [e for e in entries if not e.cancelled and e.ends_at >= now - FEED_PAST]

    # --- templates and settings -------------------------------------------------------------------

    def templates(self, kind: str) -> dict[str, Template]:
        """The tenant's own templates of a kind, by language."""
        page = self.table.query(self.table.key("TEMPLATE", kind))
        return {i["sk"]: Template.model_validate(i["template"]) for i in page.items}

    def all_templates(self, kinds: Iterable[str], languages: Iterable[str]) -> dict[tuple[str, str], Template]:
        keys = [(self.table.key("TEMPLATE", k), language) for k in kinds for language in languages]
        found = self.table.get_many(keys)
        return {(i["kind"], i["sk"]): Template.model_validate(i["template"]) for i in found.values()}

    def save_template(self, kind: str, language: str, template: Template, by: str, now: datetime) -> None:
        item: Item = {"pk": self.table.key("TEMPLATE", kind), "sk": language, "kind": kind}
        item |= {"template": template.model_dump(exclude_none=True), "updated_by": by, "updated_at": now.isoformat()}
        self.table.write([Put(item)])

    def delete_template(self, kind: str, language: str) -> None:
        self.table.write([Delete(self.table.key("TEMPLATE", kind), language, condition="attribute_exists(pk)")])

    def settings(self) -> TenantSettings:
        item = self.table.get(self.table.key("SETTINGS"), "SETTINGS", consistent=False)
        return TenantSettings.model_validate(item["settings"]) if item else TenantSettings()

    def save_settings(self, settings: TenantSettings) -> None:
        item = {"pk": self.table.key("SETTINGS"), "sk": "SETTINGS", "settings": settings.model_dump(mode="json")}
        self.table.write([Put(item), self.table.tenant_entry()])
