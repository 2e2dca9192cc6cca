"""Events about check-ins, made from the check-in itself: ids, dates, focus areas, ratings and counts only.

Nothing said in a conversation (answers, notes, talking points, an action item's wording) is ever put
into an event: these functions take no text to put there.
"""

from __future__ import annotations

from typing import Any

from services.checkins.contracts.events import (
    ActionItemEvent,
    CheckInCancelled,
    CheckInDueSoon,
    CheckInEvent,
    CheckInReassigned,
    CheckInRescheduled,
    CheckInScheduled,
    FollowUpDue,
)
from services.checkins.domain.models import ActionItem, CheckIn, CheckInKind
from services.shared.envelope import EventContext, EventEnvelope


def _about(checkin: CheckIn) -> dict[str, Any]:
    return {
        "checkin_id": checkin.checkin_id,
        "cycle_id": checkin.cycle_id,
        "person_id": checkin.person_id,
        "manager_id": checkin.manager_id,
        "kind": checkin.kind.value,
        "focus_area": checkin.focus_area,
        "due_on": checkin.due_on,
    }


def about(event: type[CheckInEvent], checkin: CheckIn, context: EventContext, **fields: Any) -> EventEnvelope:
    return EventEnvelope.wrap(event(**_about(checkin), **fields), context)


def booked(checkin: CheckIn, before: CheckIn, context: EventContext) -> EventEnvelope:
    """A time given (both get a calendar entry) or changed (their entry is replaced: `sequence` grew)."""
    assert checkin.slot is not None
    event = CheckInScheduled if before.slot is None else CheckInRescheduled
    return about(event, checkin, context, **checkin.slot.model_dump(), sequence=checkin.sequence)


def cancelled(checkin: CheckIn, before: CheckIn, context: EventContext) -> EventEnvelope:
    slot = before.slot
    return about(
        CheckInCancelled,
        checkin,
        context,
        reason=checkin.cancelled_reason,
        was_scheduled=slot is not None,
        starts_at=slot.starts_at if slot else None,
        ends_at=slot.ends_at if slot else None,
        sequence=checkin.sequence,
    )


def reassigned(checkin: CheckIn, before: CheckIn, context: EventContext) -> list[EventEnvelope]:
    """Both managers are told; a booked time goes to the new one's calendar (and the person's is updated)."""
    events = [about(CheckInReassigned, checkin, context, previous_manager_id=before.manager_id)]
    if checkin.slot is not None:
        events.append(booked(checkin, before, context))
    return events


def due_soon(checkin: CheckIn, context: EventContext) -> EventEnvelope:
    if checkin.kind is CheckInKind.FOLLOW_UP and checkin.employment_started_on:
        return about(FollowUpDue, checkin, context, employment_started_on=checkin.employment_started_on)
    return about(CheckInDueSoon, checkin, context, starts_at=checkin.slot.starts_at if checkin.slot else None)


def action_item(event: type[ActionItemEvent], item: ActionItem, context: EventContext) -> EventEnvelope:
    fields = item.model_dump(include={"action_item_id", "person_id", "manager_id", "owner_id", "due_on"})
    return EventEnvelope.wrap(event(**fields, checkin_id=item.agreed_in), context)
