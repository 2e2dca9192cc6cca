"""The seat ledger: sessions, registrations and the waitlist. Every transition is one guarded transaction.

pk                     sk                  what
SESSION#<session>      META                the session and its counters: capacity, confirmed (seats held,
                                           offers included), waiting, offers_open, next_ticket
SESSION#<session>      REG#<person>        a registration (gsi1: PERSON#<person>#REGS / starts_at#session)
SESSION#<session>      ENDED#<registration>  a cancelled or lapsed registration, kept when the person registers again
SESSION#<session>      WAIT#<ticket>       a place in the waitlist, in the order requests were accepted
SESSION#<session>      OFFER#<person>      an open offer (gsi1: OFFERS / expires_at#session#person)
SESSION#<session>      EVALUATED#<person>  that the person has evaluated the session (once each)
SESSION#<session>      EVAL#<event id>     an evaluation, kept apart from who gave it
PERSON#<person>        ACTIVE#<prog>#<stage>  the person's one active registration for a stage; for a
                       [#<session>]        recurring stage (forum, network) one per occasion
CALENDAR               <starts_at>#<session>  every session by start, for reminders and invitations
                                           sent in good time (flags: reminded, invited)

Counters on META are guarded by conditions, so capacity holds whatever the concurrency: a seat is
taken only while `confirmed < capacity`, and only while nobody waits (nobody jumps the queue).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.enrolment.domain import attendance_code
from services.enrolment.domain.errors import (
    AlreadyInStage,
    CapacityBelowTaken,
    NoRegistration,
    NotAttended,
    NotRegistered,
    SessionClosed,
    SessionFull,
)
from services.enrolment.domain.models import (
    ACTIVE,
    HOLDS_A_SEAT,
    Evaluation,
    Registration,
    RegistrationStatus,
    Session,
)
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, NotFound
from services.shared.store import ConditionFailed, Delete, Put, TenantTable, Update, Write, flag_once

META = "META"
TICKET_DIGITS = 10
CalendarNotice = str  # the flag a calendar entry gets once its notice went out: invited, reminded, reminded-7
Joining = tuple[Sequence[Write], Sequence[EventEnvelope]]  # what registering someone new enrols them with


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class SeatLedger:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _session_pk(self, session_id: str) -> str:
        return self.table.key("SESSION", session_id)

    def _stage_hold(self, session: Session) -> str:
        hold = f"ACTIVE#{session.programme_id}#{session.stage_key}"
        return f"{hold}#{session.session_id}" if session.recurring else hold

    # Sessions
    def create_sessions(self, sessions: list[tuple[Session, bool]], events: list[EventEnvelope]) -> None:
        """Create sessions (each with whether its audience is invited already) in one transaction."""
        writes: list[Write] = []
        for session, invited in sessions:
            item = {
                "pk": self._session_pk(session.session_id),
                "sk": META,
                "model": session.model_dump(mode="json"),
                "capacity": session.capacity,
                "confirmed": 0,
                "waiting": 0,
                "offers_open": 0,
                "next_ticket": 0,
                "starts_at_epoch": _epoch(session.starts_at),
                "attendance_secret": attendance_code.new_secret(),
                "gsi1pk": self.table.key("PROGRAMME", session.programme_id, "SESSIONS"),
                "gsi1sk": session.starts_at.isoformat() + "#" + session.session_id,
            }
            writes += [Put(item, condition="attribute_not_exists(pk)"), self._calendar_entry(session, invited)]
        # the tenant entry lets the offer-expiry, reminder and invitation schedules find this tenant's sessions
        self.table.write([*writes, self.table.tenant_entry()], events)

    def _calendar_key(self, session: Session) -> tuple[str, str]:
        return self.table.key("CALENDAR"), f"{session.starts_at.isoformat()}#{session.session_id}"

    def _calendar_entry(self, session: Session, invited: bool = False) -> Put:
        pk, sk = self._calendar_key(session)
        return Put({"pk": pk, "sk": sk, "session_id": session.session_id, "invited": invited or None})

    def unsent(self, begins: datetime, ends: datetime, notice: CalendarNotice) -> list[tuple[dict[str, Any], Session]]:
        """Sessions starting in [begins, ends) whose reminders or invitations have not gone out, with
        their calendar entries."""
        page = self.table.query(self.table.key("CALENDAR"), sk_from=begins.isoformat(), sk_until=ends.isoformat())
        return [(entry, self.session(entry["session_id"])[0]) for entry in page.items if not entry.get(notice)]

    def mark_sent(self, entry: dict[str, Any], notice: CalendarNotice, events: list[EventEnvelope]) -> None:
        """Mark on a calendar entry that its reminders or invitations went out, with them; a second run at
        the same time fails the condition."""
        self.table.write([flag_once(entry, notice)], events)

    def attendance_secret(self, session_id: str) -> str:
        item = self.table.get(self._session_pk(session_id), META)
        if item is None:
            raise NotFound(f"No session {session_id}.")
        return str(item["attendance_secret"])

    def session(self, session_id: str) -> tuple[Session, dict[str, int]]:
        """The session and its counters."""
        item = self.table.get(self._session_pk(session_id), META)
        if item is None:
            raise NotFound(f"No session {session_id}.")
        counters = {k: int(item[k]) for k in ("capacity", "confirmed", "waiting", "offers_open")}
        return Session.model_validate(item["model"]), counters

    def change_session(self, session: Session, before: Session, events: list[EventEnvelope]) -> None:
        """Write a changed session (time, place, capacity); never below the seats taken. A new start
        moves it in the calendar, so it is reminded of again for the new day."""
        update = Update(
            pk=self._session_pk(session.session_id),
            sk=META,
            expression="SET #capacity = :capacity, #model = :model, starts_at_epoch = :starts, gsi1sk = :order",
            condition="confirmed <= :capacity AND attribute_not_exists(cancelled)",
            names={"#capacity": "capacity", "#model": "model"},
            values={
                ":capacity": session.capacity,
                ":model": session.model_dump(mode="json"),
                ":starts": _epoch(session.starts_at),
                ":order": session.starts_at.isoformat() + "#" + session.session_id,
            },
        )
        writes: list[Write] = [update]
        if session.starts_at != before.starts_at:
            writes += [Delete(*self._calendar_key(before)), self._calendar_entry(session)]
        try:
            self.table.write(writes, events)
        except ConditionFailed as failure:
            _, counters = self.session(session.session_id)
            raise CapacityBelowTaken(counters["confirmed"]) from failure

    def cancel_session(self, session: Session, event: EventEnvelope) -> None:
        update = Update(
            pk=self._session_pk(session.session_id),
            sk=META,
            expression="SET cancelled = :true, #model = :model",
            condition="attribute_not_exists(cancelled)",
            names={"#model": "model"},
            values={":true": True, ":model": session.model_dump(mode="json")},
        )
        try:
            self.table.write([update], [event])
        except ConditionFailed as failure:
            raise SessionClosed(session.session_id) from failure

    def sessions_of(
        self, programme_id: str, limit: int | None = None, cursor: str | None = None
    ) -> tuple[list[Session], str | None]:
        """A page of the programme's sessions by start; without a limit, all of them."""
        page = self.table.query(
            self.table.key("PROGRAMME", programme_id, "SESSIONS"), index="gsi1", limit=limit, cursor=cursor
        )
        return [Session.model_validate(i["model"]) for i in page.items], page.cursor

    # Registrations
    def registration(self, session_id: str, person_id: str) -> Registration | None:
        item = self.table.get(self._session_pk(session_id), f"REG#{person_id}")
        return Registration.model_validate(item["model"]) if item else None

    def _registration_item(self, registration: Registration, session: Session) -> dict[str, object]:
        return {
            "pk": self._session_pk(session.session_id),
            "sk": f"REG#{registration.person_id}",
            "status": registration.status.value,
            "model": registration.model_dump(mode="json"),
            "gsi1pk": self.table.key("PERSON", registration.person_id, "REGS"),
            "gsi1sk": session.starts_at.isoformat() + "#" + session.session_id,
        }

    def _hold_stage(self, registration: Registration, session: Session) -> Put:
        item = {
            "pk": self.table.key("PERSON", registration.person_id),
            "sk": self._stage_hold(session),
            "session_id": registration.session_id,
        }
        return Put(item, condition="attribute_not_exists(pk)")

    def release_stage(self, registration: Registration, session: Session) -> Delete:
        return Delete(pk=self.table.key("PERSON", registration.person_id), sk=self._stage_hold(session))

    def _new_registration(self, registration: Registration, session: Session) -> Put:
        # A person may register again after cancelling or letting an offer lapse.
        return Put(
            self._registration_item(registration, session),
            condition="attribute_not_exists(pk) OR #status IN (:cancelled, :expired)",
            names={"#status": "status"},
            values={
                ":cancelled": RegistrationStatus.CANCELLED.value,
                ":expired": RegistrationStatus.OFFER_EXPIRED.value,
            },
        )

    def confirm(
        self,
        registration: Registration,
        session: Session,
        now: datetime,
        event: EventEnvelope,
        joining: Joining = ((), ()),
    ) -> None:
        """Take a free seat, if nobody is waiting for one: raises SessionFull otherwise. `joining`: the
        writes and events of an enrolment the registration makes, committed with it."""
        take_seat = Update(
            pk=self._session_pk(session.session_id),
            sk=META,
            expression="SET confirmed = confirmed + :one",
            condition="confirmed < #capacity AND waiting = :zero AND starts_at_epoch > :now AND attribute_not_exists(cancelled)",
            names={"#capacity": "capacity"},
            values={":one": 1, ":zero": 0, ":now": _epoch(now)},
        )
        writes: list[Write] = [
            take_seat,
            self._hold_stage(registration, session),
            self._new_registration(registration, session),
        ]
        self._commit_new(writes, event, SessionFull(session.session_id), joining)

    def take_ticket(self, session_id: str) -> int:
        """The next place in line: the order in which the service accepted the requests."""
        return self.table.increment(self._session_pk(session_id), META, "next_ticket")

    def waitlist(
        self,
        registration: Registration,
        session: Session,
        now: datetime,
        event: EventEnvelope,
        joining: Joining = ((), ()),
    ) -> None:
        assert registration.ticket is not None
        join = Update(
            pk=self._session_pk(session.session_id),
            sk=META,
            expression="SET waiting = waiting + :one",
            condition="starts_at_epoch > :now AND attribute_not_exists(cancelled)",
            values={":one": 1, ":now": _epoch(now)},
        )
        place = Put(
            {
                "pk": self._session_pk(session.session_id),
                "sk": f"WAIT#{registration.ticket:0{TICKET_DIGITS}d}",
                "person_id": registration.person_id,
            }
        )
        hold, record = self._hold_stage(registration, session), self._new_registration(registration, session)
        writes: list[Write] = [join, hold, record, place]
        self._commit_new(writes, event, SessionClosed(session.session_id), joining)

    def _commit_new(
        self, writes: list[Write], event: EventEnvelope, session_refused: Exception, joining: Joining
    ) -> None:
        """Commit a new registration (with the enrolment it makes); the session's counters are the first
        write, the stage hold the second, the registration the third."""
        also_writes, also_events = joining
        try:
            self.table.write([*writes, *also_writes], [event, *also_events])
        except ConditionFailed as failure:
            if 1 in failure.failed or 2 in failure.failed:
                raise AlreadyInStage() from failure
            if any(position >= len(writes) for position in failure.failed):
                raise Conflict("The enrolment changed at the same time; try again.") from failure
            raise session_refused from failure

    def place_in_line(self, registration: Registration) -> int | None:
        """1 for the first in line; None for a registration not waiting."""
        if registration.status is not RegistrationStatus.WAITLISTED or registration.ticket is None:
            return None
        ahead = self.table.query(
            self._session_pk(registration.session_id),
            sk_from="WAIT#",
            sk_until=f"WAIT#{registration.ticket:0{TICKET_DIGITS}d}",
        )
        return len(ahead.items)

    def first_in_line(self, session_id: str) -> tuple[int, Registration] | None:
        page = self.table.query(self._session_pk(session_id), "WAIT#", limit=1)
        if not page.items:
            return None
        ticket = int(page.items[0]["sk"].removeprefix("WAIT#"))
        registration = self.registration(session_id, page.items[0]["person_id"])
        return (ticket, registration) if registration else None

    def promote(
        self,
        registration: Registration,
        session: Session,
        now: datetime,
        event: EventEnvelope,
        offer_expires_at: datetime | None,
    ) -> None:
        """Give the first in line a free seat: at once, or held as an offer until it expires."""
        assert registration.ticket is not None
        pk = self._session_pk(session.session_id)
        counters = "confirmed = confirmed + :one, waiting = waiting - :one"
        if offer_expires_at:
            counters += ", offers_open = offers_open + :one"
        seat = Update(
            pk=pk,
            sk=META,
            expression=f"SET {counters}",
            condition="confirmed < #capacity AND starts_at_epoch > :now AND attribute_not_exists(cancelled)",
            names={"#capacity": "capacity"},
            values={":one": 1, ":now": _epoch(now)},
        )
        writes: list[Write] = [
            seat,
            self._transition(registration, session, RegistrationStatus.WAITLISTED),
            Delete(pk=pk, sk=f"WAIT#{registration.ticket:0{TICKET_DIGITS}d}"),
        ]
        if offer_expires_at:
            writes.append(self._offer_item(registration, session, offer_expires_at))
        self.table.write(writes, [event])

    def _offer_item(self, registration: Registration, session: Session, expires: datetime) -> Put:
        return Put(
            {
                "pk": self._session_pk(session.session_id),
                "sk": f"OFFER#{registration.person_id}",
                "gsi1pk": self.table.key("OFFERS"),
                "gsi1sk": f"{expires.isoformat()}#{session.session_id}#{registration.person_id}",
                "session_id": session.session_id,
                "person_id": registration.person_id,
            }
        )

    def _transition(self, registration: Registration, session: Session, expected: RegistrationStatus) -> Put:
        """Write the registration's new state, guarded on the state it was read in."""
        return Put(
            self._registration_item(registration, session),
            condition="#status = :expected",
            names={"#status": "status"},
            values={":expected": expected.value},
        )

    def claim(self, registration: Registration, session: Session, now: datetime, event: EventEnvelope) -> None:
        pk = self._session_pk(session.session_id)
        writes: list[Write] = [
            Update(pk=pk, sk=META, expression="SET offers_open = offers_open - :one", values={":one": 1}),
            self._transition(registration, session, RegistrationStatus.OFFERED),
            Delete(pk=pk, sk=f"OFFER#{registration.person_id}", condition="attribute_exists(pk)"),
        ]
        self.table.write(writes, [event])

    def release(
        self,
        registration: Registration,
        previous: Registration,
        session: Session,
        event: EventEnvelope,
    ) -> None:
        """Cancel or expire a registration: give back what it held (a seat, an offer, a place in line)."""
        pk = self._session_pk(session.session_id)
        ended = {"pk": pk, "sk": f"ENDED#{registration.registration_id}", "model": registration.model_dump(mode="json")}
        writes: list[Write] = [
            self._transition(registration, session, previous.status),
            self.release_stage(previous, session),
            Put(ended),
        ]
        if previous.status in HOLDS_A_SEAT:
            counters = "confirmed = confirmed - :one"
            if previous.status is RegistrationStatus.OFFERED:
                counters += ", offers_open = offers_open - :one"
                writes.append(Delete(pk=pk, sk=f"OFFER#{previous.person_id}"))
            writes.append(Update(pk=pk, sk=META, expression=f"SET {counters}", values={":one": 1}))
        else:
            assert previous.ticket is not None
            writes.append(Update(pk=pk, sk=META, expression="SET waiting = waiting - :one", values={":one": 1}))
            writes.append(Delete(pk=pk, sk=f"WAIT#{previous.ticket:0{TICKET_DIGITS}d}"))
        self.table.write(writes, [event])

    def stages_in_progress(self, person_id: str, programme_id: str) -> frozenset[str]:
        """The stages of a programme in which the person holds a registration now."""
        page = self.table.query(self.table.key("PERSON", person_id), f"ACTIVE#{programme_id}#")
        return frozenset(item["sk"].split("#")[2] for item in page.items)

    def holding(self, person_ids: list[str], session: Session) -> set[str]:
        """Those of `person_ids` who hold a registration for the session's stage now (for a recurring
        stage: for this occasion)."""
        return self._holding(person_ids, self._stage_hold(session))

    def holding_stage(self, person_ids: list[str], programme_id: str, stage_key: str) -> set[str]:
        """Those of `person_ids` who hold a registration for a (not recurring) stage now."""
        return self._holding(person_ids, f"ACTIVE#{programme_id}#{stage_key}")

    def _holding(self, person_ids: list[str], hold: str) -> set[str]:
        found = self.table.get_many([(self.table.key("PERSON", p), hold) for p in person_ids])
        return {pk.removeprefix(self.table.key("PERSON", "")) for pk, _ in found}

    def set_needs(self, session_id: str, person_id: str, needs: str | None) -> None:
        """Note (or clear) the needs of an active registration; no event: they stay in this table."""
        active = {f":{status.value}": status.value for status in ACTIVE}
        update = Update(
            pk=self._session_pk(session_id),
            sk=f"REG#{person_id}",
            expression="SET #model.#needs = :needs" if needs else "REMOVE #model.#needs",
            condition=f"#status IN ({', '.join(active)})",
            names={"#model": "model", "#needs": "needs", "#status": "status"},
            values=active | ({":needs": needs} if needs else {}),
        )
        try:
            self.table.write([update])
        except ConditionFailed as failure:
            if self.registration(session_id, person_id) is None:
                raise NoRegistration(person_id) from failure
            raise NotRegistered() from failure

    def attendance_write(self, marked: Registration, current: Registration, session: Session) -> Put:
        return self._transition(marked, session, current.status)

    def evaluate(self, session: Session, person_id: str, evaluation: Evaluation, event: EventEnvelope) -> None:
        """One evaluation per person; it is stored apart from who gave it."""
        pk = self._session_pk(session.session_id)
        given = Put({"pk": pk, "sk": f"EVALUATED#{person_id}"}, condition="attribute_not_exists(pk)")
        record = Put({"pk": pk, "sk": f"EVAL#{event.id}", "model": evaluation.model_dump(mode="json")})
        try:
            self.table.write([given, record], [event])
        except ConditionFailed as failure:
            raise NotAttended() from failure

    def evaluations(self, session_id: str) -> list[Evaluation]:
        page = self.table.query(self._session_pk(session_id), "EVAL#")
        return [Evaluation.model_validate(i["model"]) for i in page.items]

    def expired_offers(self, now: datetime) -> list[tuple[str, str]]:
        """(session, person) of every open offer that has lapsed."""
        page = self.table.query(self.table.key("OFFERS"), index="gsi1")
        return [(i["session_id"], i["person_id"]) for i in page.items if i["gsi1sk"].split("#")[0] <= now.isoformat()]

    def registrations_of(
        self, person_id: str, limit: int | None = None, cursor: str | None = None
    ) -> tuple[list[Registration], str | None]:
        """A page of the person's registrations by session start; without a limit, all of them."""
        page = self.table.query(self.table.key("PERSON", person_id, "REGS"), index="gsi1", limit=limit, cursor=cursor)
        return [Registration.model_validate(i["model"]) for i in page.items], page.cursor

    def roster(self, session_id: str, with_ended: bool = False) -> list[Registration]:
        """Each person's current registration; with the ended ones of people who registered again."""
        page = self.table.query(self._session_pk(session_id), "REG#")
        current = [Registration.model_validate(i["model"]) for i in page.items]
        if not with_ended:
            return current
        ended = self.table.query(self._session_pk(session_id), "ENDED#").items
        current_ids = {r.registration_id for r in current}
        earlier = [Registration.model_validate(i["model"]) for i in ended]
        return current + [r for r in earlier if r.registration_id not in current_ids]
