"""Newcomers' introductions: follow-ups planned from the employment start, and the checklist ticked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.checkins.contracts.events import ChecklistCompleted
from services.checkins.contracts.http import CheckInSummary, IntroductionOut
from services.checkins.domain import access
from services.checkins.domain.models import CheckIn, CheckInKind, HeldBy, dated_id
from services.checkins.domain.newcomers import (
    INTRODUCTION_THREAD,
    Introduction,
    NewcomerSettings,
    checklist,
    follow_up_days,
    is_newcomer,
)
from services.checkins.domain.people import Person
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.errors import Forbidden, NotFound
from services.shared.identity import Identity
from services.shared.store import Write


def mentor_of(store: CheckInStore, person_id: str, today: date) -> str | None:
    return next((p.mentor_id for p in store.pairs() if p.mentee_id == person_id and p.active_on(today)), None)


def _holder(store: CheckInStore, settings: NewcomerSettings, person: Person, today: date) -> tuple[str | None, HeldBy]:
    if settings.held_by is HeldBy.MENTOR:
        mentor = mentor_of(store, person.person_id, today)
        if mentor:
            return mentor, HeldBy.MENTOR
    return person.manager_id, HeldBy.LINE_MANAGER


def introduce(store: CheckInStore, person: Person, today: date) -> list[Write] | None:
    """A newcomer's introduction, once: follow-ups still ahead, held by their line manager (or mentor),
    and the checklist. None when they are no newcomer, have one already, or have nobody to follow them up."""
    if person.employment_start is None or not person.present:
        return None
    settings = store.newcomer_settings()
    if not is_newcomer(settings, person.employment_start, today) or store.introduction(person.person_id):
        return None
    holder, held_by = _holder(store, settings, person, today)
    if holder is None:
        return None  # made when a line manager is told
    follow_ups = [
        CheckIn(
            checkin_id=dated_id(due),
            person_id=person.person_id,
            manager_id=holder,
            held_by=held_by,
            kind=CheckInKind.FOLLOW_UP,
            thread_id=INTRODUCTION_THREAD,
            position=n,
            focus_area=follow_up.focus_area,
            due_on=due,
            remind_on=due - timedelta(days=settings.remind_days_before),
            last_day=due + timedelta(days=settings.grace_days),
            employment_started_on=person.employment_start,
        )
        for n, (follow_up, due) in enumerate(follow_up_days(settings, person.employment_start, today), start=1)
    ]
    unit_items = store.unit_checklist(person.unit_id) if person.unit_id else None
    introduction = Introduction(
        person_id=person.person_id,
        unit_id=person.unit_id,
        employment_start=person.employment_start,
        follow_up_ids=[c.checkin_id for c in follow_ups],
        items=checklist(settings, person.unit_id, unit_items),
    )
    if not follow_ups and not introduction.items:
        return None
    return [
        store.introduction_put(introduction, None),
        *store.save_checkins([(c, None) for c in follow_ups]),
        store.tenant_entry(),
    ]


def _may_follow(store: CheckInStore, identity: Identity, person: Person | None, person_id: str, today: date) -> None:
    """The newcomer, their line manager, their mentor, and coordinators."""
    if identity.person_id == person_id or identity.has(*access.OVERSEERS) or access.is_line_manager(identity, person):
        return
    if mentor_of(store, person_id, today) == identity.person_id:
        return
    raise Forbidden("The newcomer, their line manager or mentor, and coordinators follow an introduction.")


def view(
    store: CheckInStore, directory: DirectoryStore, identity: Identity, person_id: str, today: date
) -> IntroductionOut:
    _may_follow(store, identity, directory.person(person_id), person_id, today)
    introduction = store.introduction(person_id)
    if introduction is None:
        raise NotFound(f"{person_id} has no introduction.")
    follow_ups = store.checkins_by_key((person_id, c) for c in introduction.follow_up_ids)
    summaries = [CheckInSummary.of(follow_ups[c]) for c in introduction.follow_up_ids if c in follow_ups]
    return IntroductionOut(introduction=introduction, follow_ups=summaries)


def tick(
    store: CheckInStore,
    directory: DirectoryStore,
    identity: Identity,
    person_id: str,
    key: str,
    ticked: bool,
    moment: datetime,
    today: date,
    context: EventContext,
) -> Introduction:
    """Tick an item of the checklist (who and when are kept); the last one completes it."""
    person = directory.person(person_id)
    _may_follow(store, identity, person, person_id, today)
    introduction = store.introduction(person_id)
    if introduction is None:
        raise NotFound(f"{person_id} has no introduction.")
    changed = introduction.tick(key, ticked, moment, identity.person_id)
    events = []
    if changed.completed_at is not None:
        completed = ChecklistCompleted(
            person_id=person_id,
            manager_id=person.manager_id if person else None,
            unit_id=introduction.unit_id,
            items=len(changed.items),
        )
        events.append(EventEnvelope.wrap(completed, context))
    store.commit([store.introduction_put(changed, introduction)], events)
    return changed.model_copy(update={"revision": introduction.revision + 1})
