"""Mentoring pairs: started by a coordinator (or the mentee's line manager), a log of meetings kept by
the two, ended by hand or on their last day. Notes are the author's, or both's when shared."""

from __future__ import annotations

from datetime import date, datetime

from services.checkins.adapters.batches import Change
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.contracts.events import MentoringEnded, MentoringEvent, MentoringStarted
from services.checkins.contracts.http import MeetingOut, PairOut
from services.checkins.conversations import hand_over
from services.checkins.domain import access
from services.checkins.domain.mentoring import Meeting, MeetingIn, Pair, PairDetails
from services.checkins.domain.models import CheckIn, CheckInKind, HeldBy, new_id
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import FieldProblem, Forbidden, NotFound
from services.shared.identity import Identity


def _follow_up(checkin: CheckIn) -> bool:
    return checkin.kind is CheckInKind.FOLLOW_UP


def _announce(event: type[MentoringEvent], pair: Pair, context: EventContext, **extra: int) -> EventEnvelope:
    fields = pair.model_dump(include={"pair_id", "mentor_id", "mentee_id", "starts_on", "ends_on"})
    return EventEnvelope.wrap(event(**fields, **extra), context)


def start(
    store: CheckInStore,
    directory: DirectoryStore,
    identity: Identity,
    details: PairDetails,
    today: date,
    context: EventContext,
) -> Pair:
    """Pair a mentor with a mentee; where the tenant has mentors follow newcomers up, the mentee's open
    follow-ups go to the mentor."""
    mentee = directory.person(details.mentee_id)
    if not identity.has(*access.OVERSEERS) and not access.is_line_manager(identity, mentee):
        raise Forbidden("A coordinator, or the mentee's line manager, pairs a mentor with them.")
    if mentee is None:
        raise NotFound(
            f"Check-ins has not been told of {details.mentee_id}.", [FieldProblem("body.mentee_id", "unknown")]
        )
    pair = Pair(pair_id=new_id(), **details.model_dump())
    change = Change(
        [*store.pair_writes(pair, None), store.tenant_entry()], [_announce(MentoringStarted, pair, context)]
    )
    if store.newcomer_settings().held_by is HeldBy.MENTOR and pair.active_on(today):
        moved = hand_over(store, pair.mentee_id, pair.mentor_id, HeldBy.MENTOR, _follow_up, context)
        change.writes += moved.writes
        change.events += moved.events
    store.commit(change.writes, change.events)
    return pair


def ending(
    store: CheckInStore,
    directory: DirectoryStore,
    pair: Pair,
    on: date,
    context: EventContext,
    leaver: str | None = None,
) -> Change:
    """End a pair; follow-ups its mentor held go back to the mentee's line manager."""
    ended = pair.end(on)
    change = Change(
        store.pair_writes(ended, pair), [_announce(MentoringEnded, ended, context, meetings=ended.meetings)]
    )
    mentee = directory.person(pair.mentee_id)
    if leaver != pair.mentee_id and mentee is not None and mentee.manager_id:

        def held_by_mentor(checkin: CheckIn) -> bool:
            return checkin.held_by is HeldBy.MENTOR and checkin.manager_id == pair.mentor_id

        moved = hand_over(store, pair.mentee_id, mentee.manager_id, HeldBy.LINE_MANAGER, held_by_mentor, context)
        change.writes += moved.writes
        change.events += moved.events
    return change


def end(
    store: CheckInStore, directory: DirectoryStore, identity: Identity, pair_id: str, on: date, context: EventContext
) -> Pair:
    pair, _ = store.pair(pair_id)
    if identity.person_id not in pair.parties() and not identity.has(*access.OVERSEERS):
        raise Forbidden("The two of the pair, or a coordinator, end it.")
    change = ending(store, directory, pair, on, context)
    store.commit(change.writes, change.events)
    return pair.end(on)


def log_meeting(store: CheckInStore, identity: Identity, pair_id: str, meeting: MeetingIn, moment: datetime) -> Meeting:
    pair, _ = store.pair(pair_id)
    if identity.person_id not in pair.parties():
        raise Forbidden("The two of the pair keep its log.")
    logged = Meeting(**meeting.model_dump(), meeting_id=new_id(), author_id=identity.person_id, logged_at=moment)
    counted = pair.model_copy(update={"meetings": pair.meetings + 1})
    store.commit([*store.pair_writes(counted, pair), store.meeting_put(pair_id, logged)], [])
    return logged


def view(store: CheckInStore, directory: DirectoryStore, identity: Identity, pair_id: str) -> PairOut:
    """The two see the log with the notes they may read; a coordinator or the mentee's line manager sees
    the meetings without notes."""
    pair, meetings = store.pair(pair_id)
    party = identity.person_id in pair.parties()
    if (
        not party
        and not identity.has(*access.OVERSEERS)
        and not access.is_line_manager(identity, directory.person(pair.mentee_id))
    ):
        raise Forbidden("The two of the pair, the mentee's line manager and coordinators see a pair.")
    reader = identity.person_id if party else None
    return PairOut(pair=pair, meetings=[MeetingOut.of(m, reader) for m in meetings])


def pairs_of(store: CheckInStore, identity: Identity) -> list[Pair]:
    pairs = store.pairs()
    if identity.has(*access.OVERSEERS):
        return pairs
    return [p for p in pairs if identity.person_id in p.parties()]
