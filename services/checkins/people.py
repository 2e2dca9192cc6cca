"""The directory as check-ins follows it: a new line manager takes over open check-ins, a leaver's are
cancelled, a newcomer gets an introduction, and people's training is kept for the check-in view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from services.checkins import announce, mentoring, newcomers
from services.checkins.adapters.batches import Change
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.conversations import hand_over
from services.checkins.domain.models import CheckIn, HeldBy
from services.checkins.domain.people import Person
from services.shared.envelope import EventContext

LEFT = "the person left the organisation"


def _line_managed(checkin: CheckIn) -> bool:
    return checkin.held_by is HeldBy.LINE_MANAGER


def _follow(
    store: CheckInStore,
    directory: DirectoryStore,
    known: Person | None,
    person: Person,
    today: date,
    context: EventContext,
) -> Change:
    """Save what changed, and act on it: the open check-ins go to a new line manager; a newcomer who can
    be followed up gets their introduction."""
    change = Change([directory.save_person(person, known)])
    if known is not None and person.manager_id and person.manager_id != known.manager_id:
        moved = hand_over(store, person.person_id, person.manager_id, HeldBy.LINE_MANAGER, _line_managed, context)
        change.writes += moved.writes
        change.events += moved.events
    introduction = newcomers.introduce(store, person, today)
    if introduction is not None:
        change.writes += introduction
    return change


def record_told(
    store: CheckInStore,
    directory: DirectoryStore,
    told: Callable[[Person | None], Person | None],
    person_id: str,
    today: date,
    context: EventContext,
) -> Change:
    """A directory record (or just a new line manager) told; nothing when it is older than what is known."""
    known = directory.person(person_id)
    person = told(known)
    if person is None or person == known:
        return Change([])
    return _follow(store, directory, known, person, today, context)


def left(
    store: CheckInStore,
    directory: DirectoryStore,
    person_id: str,
    left_on: date,
    moment: datetime,
    context: EventContext,
) -> Change:
    """A leaver's open check-ins are cancelled (a booked time leaves both calendars); their mentoring ends."""
    known = directory.person(person_id)
    if known is None:
        # told of the departure first: keep it, so the record that comes later does not bring them back
        long_ago = datetime.min.replace(tzinfo=moment.tzinfo)
        person = Person(person_id=person_id, name="", left_on=left_on, known_at=long_ago, manager_since=long_ago)
        return Change([directory.save_person(person, None)])
    if known.left_on is not None:
        return Change([])
    person = known.model_copy(update={"left_on": left_on})
    cancelled = [(c.cancel(LEFT, moment, context.actor), c) for c in store.checkins_of(person_id)[0] if c.is_open]
    change = Change(
        [directory.save_person(person, known), *store.save_checkins(cancelled)],
        [announce.cancelled(new, old, context) for new, old in cancelled],
    )
    for pair in store.pairs():
        if person_id in pair.parties() and pair.ended_on is None:
            ended = mentoring.ending(store, directory, pair, max(left_on, pair.starts_on), context, leaver=person_id)
            change.writes += ended.writes
            change.events += ended.events
    return change
