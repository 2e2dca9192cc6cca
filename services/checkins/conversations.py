"""A check-in's conversation: booking it, what both bring to it, what is recorded, and what carries on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from services.checkins import announce
from services.checkins.adapters.batches import Change
from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.contracts.events import ActionItemCompleted, ActionItemCreated, CheckInCompleted, Rating
from services.checkins.contracts.http import CheckInView, CompletionIn, Held
from services.checkins.domain import access, training
from services.checkins.domain.models import (
    ActionItem,
    CheckIn,
    CheckInStatus,
    Covered,
    HeldBy,
    Note,
    Slot,
    TalkingPoint,
    carried,
    dated_id,
    new_id,
)
from services.checkins.domain.wheel import Wheel, check_answers, indicator_of
from services.shared.envelope import EventContext
from services.shared.errors import FieldProblem, Forbidden, Invalid, NotFound
from services.shared.identity import Identity
from services.shared.store import Write


def _carried_in(store: CheckInStore, checkin: CheckIn) -> set[str]:
    """The closed check-ins of the thread whose leftovers come to this one: those for which it is the next
    open check-in (a later one gets them when its turn comes)."""
    if not checkin.is_open:
        return set()
    thread = [c for c in store.checkins_of(checkin.person_id)[0] if c.thread_id == checkin.thread_id]
    between = [c.checkin_id for c in thread if c.is_open and c.checkin_id < checkin.checkin_id]
    return {
        c.checkin_id
        for c in thread
        if not c.is_open and c.checkin_id < checkin.checkin_id and not any(c.checkin_id < b for b in between)
    }


@dataclass(frozen=True)
class OnTheTable:
    """What a check-in is about: its own talking points and action items, what it takes over from earlier
    check-ins of its thread (as it stood when it was held, or while it is open as it stands now), its notes."""

    talking_points: list[TalkingPoint]
    action_items: list[ActionItem]
    carried_talking_points: list[TalkingPoint]
    carried_action_items: list[ActionItem]
    notes: list[Note]


def _on_the_table(store: CheckInStore, checkin: CheckIn) -> OnTheTable:
    points, items, notes = store.thread(checkin.person_id, checkin.thread_id)
    if checkin.status is CheckInStatus.COMPLETED:
        carried_points = [p for p in points if p.talking_point_id in checkin.covered.talking_points]
        carried_items = [i for i in items if i.action_item_id in checkin.covered.action_items]
    else:
        carried_points, carried_items = carried(checkin.checkin_id, _carried_in(store, checkin), points, items)
    return OnTheTable(
        talking_points=[p for p in points if p.raised_for == checkin.checkin_id],
        action_items=[i for i in items if i.agreed_in == checkin.checkin_id],
        carried_talking_points=carried_points,
        carried_action_items=carried_items,
        notes=[n for n in notes if n.checkin_id == checkin.checkin_id],
    )


def _made_point(store: CheckInStore, checkin: CheckIn, talking_point_id: str) -> TalkingPoint | None:
    """The thread's talking point with this id: a retried request's own, made before."""
    points, _, _ = store.thread(checkin.person_id, checkin.thread_id)
    return next((p for p in points if p.talking_point_id == talking_point_id), None)


def _made_note(store: CheckInStore, checkin: CheckIn, note_id: str) -> Note | None:
    _, _, notes = store.thread(checkin.person_id, checkin.thread_id)
    return next((n for n in notes if n.note_id == note_id), None)


def _wheel_of(store: CheckInStore, checkin: CheckIn) -> Wheel | None:
    if checkin.wheel_id is None or checkin.wheel_version is None:
        return None
    return store.wheel_version(checkin.wheel_id, checkin.wheel_version)


def view(
    store: CheckInStore, directory: DirectoryStore, identity: Identity, person_id: str, checkin_id: str
) -> CheckInView:
    checkin = store.checkin(person_id, checkin_id)
    if identity.person_id not in checkin.parties():
        access.require_conversation(identity, directory.person(person_id), checkin)
    table = _on_the_table(store, checkin)
    wheel = _wheel_of(store, checkin)
    programmes, credentials = directory.training(person_id)
    return CheckInView(
        checkin=checkin,
        questions=wheel.questions if wheel else [],
        rating_items=wheel.rating_items if wheel else [],
        talking_points=table.talking_points,
        carried_talking_points=table.carried_talking_points,
        action_items=table.action_items,
        carried_action_items=table.carried_action_items,
        notes=[n for n in table.notes if n.readable_by(identity.person_id, checkin)],
        training=training.status(programmes, credentials, directory.names(programmes)),
    )


def book(
    store: CheckInStore, identity: Identity, checkin: CheckIn, slot: Slot, moment: datetime, context: EventContext
) -> CheckIn:
    """Give it a time, or move it: both get (an update of) the calendar entry."""
    access.require_party(identity, checkin)
    booked = checkin.schedule(slot, moment, identity.person_id)
    if booked != checkin:
        store.commit(store.save_checkins([(booked, checkin)]), [announce.booked(booked, checkin, context)])
    return booked


def cancel(
    store: CheckInStore,
    directory: DirectoryStore,
    identity: Identity,
    checkin: CheckIn,
    reason: str,
    moment: datetime,
    context: EventContext,
) -> CheckIn:
    """The one who holds it, the line manager, or a coordinator cancels it; a booked time leaves both calendars."""
    allowed = identity.person_id == checkin.manager_id or identity.has(*access.OVERSEERS)
    if not allowed and not access.is_line_manager(identity, directory.person(checkin.person_id)):
        raise Forbidden("The one who holds the check-in, the line manager or a coordinator may cancel it.")
    cancelled = checkin.cancel(reason, moment, identity.person_id)
    store.commit(store.save_checkins([(cancelled, checkin)]), [announce.cancelled(cancelled, checkin, context)])
    return cancelled


def complete(
    store: CheckInStore,
    identity: Identity,
    checkin: CheckIn,
    completion: CompletionIn,
    today: date,
    moment: datetime,
    context: EventContext,
) -> CheckIn:
    """Record it held: the answers, the ratings, the action items agreed, the talking points dealt with.
    Open action items and unticked talking points go on to the next check-in of the thread by themselves."""
    access.require_holder(identity, checkin)
    wheel = _wheel_of(store, checkin)
    if wheel is None and (completion.answers or completion.ratings):
        raise Invalid(
            "This check-in has no wheel, so no questions or rating items.",
            [FieldProblem("body.answers", "has no questions")],
        )
    if wheel is not None:
        check_answers(wheel, completion.answers, completion.ratings)
    table = _on_the_table(store, checkin)
    on_table = {p.talking_point_id: p for p in [*table.talking_points, *table.carried_talking_points]}
    unknown = [n for n, tp in enumerate(completion.ticked_talking_points) if tp not in on_table]
    if unknown:
        raise Invalid(
            "Only talking points of this check-in can be ticked.",
            [
                FieldProblem(f"body.ticked_talking_points.{n}", "is not a talking point of this check-in")
                for n in unknown
            ],
        )
    parties = checkin.parties()
    strangers = [n for n, a in enumerate(completion.action_items) if a.owner_id not in (None, *parties)]
    if strangers:
        raise Invalid(
            "An action item is owned by one of the two.",
            [FieldProblem(f"body.action_items.{n}.owner_id", "is neither of the two") for n in strangers],
        )
    held = checkin.complete(
        completion.held_on or today,
        today,
        dict(completion.answers),
        dict(completion.ratings),
        Covered(
            talking_points=[p.talking_point_id for p in table.carried_talking_points],
            action_items=[i.action_item_id for i in table.carried_action_items],
        ),
        identity.person_id,
    )
    writes: list[Write] = store.save_checkins([(held, checkin)])
    for key in dict.fromkeys(completion.ticked_talking_points):
        point = on_table[key].model_copy(
            update={"ticked_by": identity.person_id, "ticked_at": moment, "ticked_in": checkin.checkin_id}
        )
        writes.append(store.talking_point_put(checkin.person_id, point, new=False))
    items = [
        ActionItem(
            action_item_id=new_id(),
            thread_id=checkin.thread_id,
            agreed_in=checkin.checkin_id,
            person_id=checkin.person_id,
            manager_id=checkin.manager_id,
            owner_id=agreed.owner_id or checkin.person_id,
            text=agreed.text,
            due_on=agreed.due_on,
            created_at=moment,
        )
        for agreed in completion.action_items
    ]
    for item in items:
        writes += store.action_item_writes(item, None)
    ratings = (
        [Rating(item_key=k, indicator=indicator_of(wheel, k), rating=v) for k, v in held.ratings.items()]
        if wheel
        else []
    )
    events = [
        announce.about(
            CheckInCompleted,
            held,
            context,
            held_on=held.held_on,
            on_time=held.on_time,
            ratings=ratings,
            action_items=len(items),
        ),
        *(announce.action_item(ActionItemCreated, item, context) for item in items),
    ]
    store.commit(writes, events)
    return held


def add_talking_point(
    store: CheckInStore,
    identity: Identity,
    checkin: CheckIn,
    text: str,
    moment: datetime,
    talking_point_id: str,
    again: bool = False,
) -> TalkingPoint:
    """`again`: the client named the request and may be retrying it: one already there is the answer."""
    access.require_party(identity, checkin)
    if not checkin.is_open:
        raise Invalid(
            "The check-in is closed: raise it for the next one.", [FieldProblem("path.checkin_id", "is closed")]
        )
    if again and (made := _made_point(store, checkin, talking_point_id)) is not None:
        return made
    point = TalkingPoint(
        talking_point_id=talking_point_id,
        thread_id=checkin.thread_id,
        raised_for=checkin.checkin_id,
        author_id=identity.person_id,
        text=text,
        raised_at=moment,
    )
    store.commit([store.talking_point_put(checkin.person_id, point, new=True), store.while_open(checkin)], [])
    return point


def tick_talking_point(
    store: CheckInStore, identity: Identity, checkin: CheckIn, talking_point_id: str, ticked: bool, moment: datetime
) -> TalkingPoint:
    """Tick (or untick) a talking point of this check-in, or one it took over."""
    access.require_party(identity, checkin)
    table = _on_the_table(store, checkin)
    points = [*table.talking_points, *table.carried_talking_points]
    point = next((p for p in points if p.talking_point_id == talking_point_id), None)
    if point is None:
        raise NotFound("This check-in has no such talking point.", [FieldProblem("path.talking_point_id", "not here")])
    mark = {"ticked_by": identity.person_id, "ticked_at": moment, "ticked_in": checkin.checkin_id} if ticked else {}
    changed = point.model_copy(update={"ticked_by": None, "ticked_at": None, "ticked_in": None} | mark)
    store.commit([store.talking_point_put(checkin.person_id, changed, new=False)], [])
    return changed


def add_note(
    store: CheckInStore,
    identity: Identity,
    checkin: CheckIn,
    text: str,
    shared: bool,
    moment: datetime,
    note_id: str,
    again: bool = False,
) -> Note:
    """`again`: as for a talking point."""
    access.require_party(identity, checkin)
    if again and (made := _made_note(store, checkin, note_id)) is not None:
        return made
    note = Note(
        note_id=note_id,
        checkin_id=checkin.checkin_id,
        author_id=identity.person_id,
        shared=shared,
        text=text,
        written_at=moment,
    )
    store.commit([store.note_put(checkin.person_id, checkin.thread_id, note, new=True)], [])
    return note


def change_note(
    store: CheckInStore,
    identity: Identity,
    checkin: CheckIn,
    note_id: str,
    text: str | None,
    shared: bool | None,
    moment: datetime,
) -> Note:
    """Only its author changes a note: its words, or whether the other may read it. Nobody but the two
    may touch a check-in's notes (refused, as for writing one); to the other of the two, a note not
    shared with them is not there."""
    access.require_party(identity, checkin)
    _, _, notes = store.thread(checkin.person_id, checkin.thread_id)
    note = next((n for n in notes if n.note_id == note_id and n.checkin_id == checkin.checkin_id), None)
    if note is None or not note.readable_by(identity.person_id, checkin):
        raise NotFound("This check-in has no such note.", [FieldProblem("path.note_id", "not here")])
    if note.author_id != identity.person_id:
        raise Forbidden("Only its author changes a note.")
    changes = {"text": text, "shared": shared}
    changed = note.model_copy(update={k: v for k, v in changes.items() if v is not None} | {"edited_at": moment})
    store.commit([store.note_put(checkin.person_id, checkin.thread_id, changed, new=False)], [])
    return changed


def finish_action_item(
    store: CheckInStore,
    identity: Identity,
    checkin: CheckIn,
    action_item_id: str,
    moment: datetime,
    context: EventContext,
) -> ActionItem:
    """Either of the two (or its owner) marks an action item of the thread done."""
    _, items, _ = store.thread(checkin.person_id, checkin.thread_id)
    item = next((i for i in items if i.action_item_id == action_item_id), None)
    if item is None:
        raise NotFound(
            "This check-in's thread has no such action item.", [FieldProblem("path.action_item_id", "not here")]
        )
    if identity.person_id not in (*checkin.parties(), item.owner_id):
        raise Forbidden("The two in the check-in, or the item's owner, mark it done.")
    done = item.done(moment, identity.person_id)
    store.commit(store.action_item_writes(done, item), [announce.action_item(ActionItemCompleted, done, context)])
    return done


def record_held(
    store: CheckInStore,
    identity: Identity,
    held: Held,
    today: date,
    moment: datetime,
    context: EventContext,
    suffix: str,
    again: bool = False,
) -> CheckIn:
    """A check-in held without the wheel, recorded afterwards by the line manager, with a pulse rating.
    `suffix` makes its id (after the day, so ids sort by date); `again`: a named request, perhaps retried,
    whose check-in, if it is there, is the answer."""
    if held.held_on > today:
        raise Invalid("A check-in is recorded once it is held.", [FieldProblem("body.held_on", "is in the future")])
    checkin_id = dated_id(held.held_on, suffix)
    if again and (made := store.checkin_or_none(held.person_id, checkin_id)) is not None:
        return made
    checkin = CheckIn(
        checkin_id=checkin_id,
        person_id=held.person_id,
        manager_id=identity.person_id,
        kind=held.kind,
        thread_id=checkin_id,
        focus_area=held.focus_area,
        due_on=held.held_on,
        status=CheckInStatus.COMPLETED,
        held_on=held.held_on,
        pulse=held.pulse,
        completed_by=identity.person_id,
    )
    writes = store.save_checkins([(checkin, None)])
    if held.notes:
        note = Note(
            note_id=new_id(), checkin_id=checkin_id, author_id=identity.person_id, text=held.notes, written_at=moment
        )
        writes.append(store.note_put(checkin.person_id, checkin.thread_id, note, new=True))
    event = announce.about(
        CheckInCompleted,
        checkin,
        context,
        held_on=held.held_on,
        on_time=True,
        ratings=[],
        action_items=0,
        pulse=held.pulse,
    )
    store.commit(writes, [event])
    return checkin


def hand_over(
    store: CheckInStore,
    person_id: str,
    to: str,
    held_by: HeldBy,
    which: Callable[[CheckIn], bool],
    context: EventContext,
) -> Change:
    """Move a person's open check-ins chosen by `which` to another holder; both holders are told."""
    moving = [c for c in store.checkins_of(person_id)[0] if c.is_open and which(c) and c.manager_id != to]
    moved = [(c.reassign(to, held_by), c) for c in moving]
    return Change(store.save_checkins(moved), [e for new, old in moved for e in announce.reassigned(new, old, context)])
