"""A check-in: booking it, talking points from both sides, notes, completion with answers, ratings and
action items, and the view that brings it all together with the person's training status."""

from __future__ import annotations

from services.checkins import conversations
from services.checkins.contracts.http import (
    ActionItemChange,
    CancellationIn,
    CheckInSummary,
    CheckInView,
    CompletionIn,
    Held,
    NoteChange,
    NoteIn,
    TalkingPointIn,
    TickIn,
)
from services.checkins.domain import access
from services.checkins.domain.models import ActionItem, CheckIn, Note, Slot, TalkingPoint
from services.checkins.routes import PersonId, ResourceId, api, moment, named, new_router, request_id, stores, today
from services.shared.errors import FieldProblem, Forbidden, Invalid
from services.shared.http import Cursor, Limit, PageOut
from services.shared.identity import Role

router = new_router()
ONE = "/people/<person_id>/checkins/<checkin_id>"


@router.post(
    "/checkins", tags=["check-ins"], summary="Record a check-in held without the wheel, with a pulse (line managers)"
)
def post_held(held: Held) -> tuple[CheckIn, int]:
    identity = api.identity()
    identity.require(Role.MANAGER)
    store, directory = stores(identity)
    if not access.is_line_manager(identity, directory.person(held.person_id)):
        raise Forbidden(
            "You record check-ins with the people who report to you.", [FieldProblem("body.person_id", "not yours")]
        )
    held_checkin = conversations.record_held(
        store, identity, held, today(), moment(), api.event_context(identity), request_id(), named()
    )
    return held_checkin, 201


@router.get(
    "/people/<person_id>/checkins",
    tags=["check-ins"],
    summary="A person's check-ins, latest due first: dates and states",
)
def person_checkins(person_id: PersonId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[CheckInSummary]:
    identity = api.identity()
    store, directory = stores(identity)
    access.require_listing(identity, directory.person(person_id), person_id, "check-ins")
    found, next_cursor = store.checkins_of(person_id, limit, cursor)
    return PageOut[CheckInSummary](items=[CheckInSummary.of(c) for c in found], next_cursor=next_cursor)


@router.get(
    ONE,
    tags=["check-ins"],
    summary="A check-in: questions, talking points (with those carried over), action items, notes you may read, training status",
)
def get_checkin(person_id: PersonId, checkin_id: ResourceId) -> CheckInView:
    identity = api.identity()
    store, directory = stores(identity)
    return conversations.view(store, directory, identity, person_id, checkin_id)


@router.post(
    ONE + "/schedule", tags=["check-ins"], summary="Book a time and place (or move it): both get a calendar entry"
)
def post_schedule(person_id: PersonId, checkin_id: ResourceId, slot: Slot) -> CheckInSummary:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return CheckInSummary.of(conversations.book(store, identity, checkin, slot, moment(), api.event_context(identity)))


@router.post(ONE + "/cancellation", tags=["check-ins"], summary="Cancel a check-in, with the reason")
def post_cancellation(person_id: PersonId, checkin_id: ResourceId, cancellation: CancellationIn) -> CheckInSummary:
    identity = api.identity()
    store, directory = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    cancelled = conversations.cancel(
        store, directory, identity, checkin, cancellation.reason, moment(), api.event_context(identity)
    )
    return CheckInSummary.of(cancelled)


@router.post(
    ONE + "/completion",
    tags=["check-ins"],
    summary="Record it held (the one holding it): answers, ratings, action items; what is left open carries over",
)
def post_completion(person_id: PersonId, checkin_id: ResourceId, completion: CompletionIn) -> CheckIn:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return conversations.complete(store, identity, checkin, completion, today(), moment(), api.event_context(identity))


@router.post(ONE + "/talking-points", tags=["check-ins"], summary="Bring something to talk about (either of the two)")
def post_talking_point(person_id: PersonId, checkin_id: ResourceId, point: TalkingPointIn) -> tuple[TalkingPoint, int]:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return conversations.add_talking_point(store, identity, checkin, point.text, moment(), request_id(), named()), 201


@router.patch(
    ONE + "/talking-points/<talking_point_id>",
    tags=["check-ins"],
    summary="Tick a talking point dealt with, or untick it",
)
def patch_talking_point(
    person_id: PersonId, checkin_id: ResourceId, talking_point_id: ResourceId, tick: TickIn
) -> TalkingPoint:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return conversations.tick_talking_point(store, identity, checkin, talking_point_id, tick.ticked, moment())


@router.post(
    ONE + "/notes", tags=["check-ins"], summary="Write a note: yours alone, or shared with the other of the two"
)
def post_note(person_id: PersonId, checkin_id: ResourceId, note: NoteIn) -> tuple[Note, int]:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    made = conversations.add_note(store, identity, checkin, note.text, note.shared, moment(), request_id(), named())
    return made, 201


@router.patch(ONE + "/notes/<note_id>", tags=["check-ins"], summary="Change your note, or whether it is shared")
def patch_note(person_id: PersonId, checkin_id: ResourceId, note_id: ResourceId, change: NoteChange) -> Note:
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return conversations.change_note(store, identity, checkin, note_id, change.text, change.shared, moment())


@router.patch(
    ONE + "/action-items/<action_item_id>",
    tags=["check-ins"],
    summary="Mark an action item of the check-in's thread done (either of the two, or its owner)",
)
def patch_action_item(
    person_id: PersonId, checkin_id: ResourceId, action_item_id: ResourceId, change: ActionItemChange
) -> ActionItem:
    if not change.done:
        raise Invalid("An action item done stays done.", [FieldProblem("body.done", "must be true")])
    identity = api.identity()
    store, _ = stores(identity)
    checkin = store.checkin(person_id, checkin_id)
    return conversations.finish_action_item(
        store, identity, checkin, action_item_id, moment(), api.event_context(identity)
    )


@router.get(
    "/me/checkins", tags=["check-ins"], summary="The open check-ins you hold, first due first (managers and mentors)"
)
def my_agenda(limit: Limit = 50, cursor: Cursor = None) -> PageOut[CheckInSummary]:
    identity = api.identity()
    store, _ = stores(identity)
    found, next_cursor = store.agenda(identity.person_id, limit, cursor)
    return PageOut[CheckInSummary](items=[CheckInSummary.of(c) for c in found], next_cursor=next_cursor)


@router.get("/me/action-items", tags=["check-ins"], summary="Your open action items, first due first")
def my_action_items(limit: Limit = 50, cursor: Cursor = None) -> PageOut[ActionItem]:
    identity = api.identity()
    store, _ = stores(identity)
    found, next_cursor = store.action_items_of_owner(identity.person_id, limit, cursor)
    return PageOut[ActionItem](items=found, next_cursor=next_cursor)
