"""Invitations: the audience of a programme or session, narrowed to those who can act on it now.

They go out when a programme is published with a new audience (to those newly in it) and when a
session is scheduled, committed with either; "in good time", the days before a session it names (the
`session-invitations` schedule); or when a coordinator sends them again, perhaps to another audience.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import InvitationsSent, people_per_event
from services.enrolment.domain import audience as audiences
from services.enrolment.domain.models import Audience, Person, Programme, Session
from services.enrolment.domain.progress import Enrolment, EnrolmentStatus
from services.shared.envelope import EventContext, EventEnvelope
from services.shared.store import ConditionFailed
from services.shared.units import units_within

SESSION_FIELDS = {
    "session_id",
    "stage_key",
    "stage_name",
    "starts_at",
    "ends_at",
    "location",
    "video_url",
    "registration_opens_at",
}


def _announce(
    programme: Programme,
    session: Session | None,
    person_ids: list[str],
    note: str | None,
    context: EventContext,
    now: datetime | None = None,
) -> list[EventEnvelope]:
    about = session.model_dump(include=SESSION_FIELDS) if session else {}
    opens = session.registration_opens_at if session else None
    if opens and now and opens <= now:
        about["registration_opens_at"] = None  # only a registration that opens later is announced
    return [
        EventEnvelope.wrap(
            InvitationsSent(
                programme_id=programme.programme_id,
                programme_name=programme.name,
                note=note,
                person_ids=ids,
                **about,
            ),
            context,
        )
        for ids in people_per_event(person_ids)
    ]


def _members(repo: EnrolmentRepository, audience: Audience, invited_before: Audience | None = None) -> list[Person]:
    """The audience's people, less those of an audience invited before."""
    units = repo.all_units()
    audiences.require_known_units(audience, (u.unit_id for u in units), "audience")
    asked = [a for a in (audience, invited_before) if a is not None]
    if all(a.unit_ids for a in asked):  # a part of the organisation: only its people are read
        people = repo.people_in(set().union(*(units_within(a.unit_ids, units) for a in asked)))
    else:
        people = repo.everyone()
    before = {p.person_id for p in audiences.members(invited_before, people, units)} if invited_before else set()
    return [p for p in audiences.members(audience, people, units) if p.person_id not in before]


def to_programme(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme: Programme,
    audience: Audience,
    note: str | None,
    context: EventContext,
    invited_before: Audience | None = None,
) -> list[EventEnvelope]:
    """Invite those of the audience who are not in the programme, or whose credential expired."""
    enrolments = {e.person_id: e for e in store.enrolled(programme.programme_id)[0]}
    members = _members(repo, audience, invited_before)
    invited = [p.person_id for p in members if audiences.may_enrol(enrolments.get(p.person_id))]
    return _announce(programme, None, invited, note, context)


def to_session(
    repo: EnrolmentRepository,
    store: ProgressStore,
    ledger: SeatLedger,
    programme: Programme,
    session: Session,
    audience: Audience,
    note: str | None,
    now: datetime,
    context: EventContext,
) -> list[EventEnvelope]:
    """Invite those of the audience for whom the session's stage is open and who hold no seat in it.

    Registering enrols a person who is not enrolled yet, so they count as newly enrolled."""
    enrolments = {e.person_id: e for e in store.enrolled(programme.programme_id)[0]}
    candidates = []
    for person in _members(repo, audience):
        enrolment = enrolments.get(person.person_id) or Enrolment(
            programme_id=programme.programme_id,
            person_id=person.person_id,
            version=programme.version,
            status=EnrolmentStatus.REQUESTED if programme.requires_approval else EnrolmentStatus.ACTIVE,
            enrolled_at=now,
            enrolled_by=person.person_id,
        )
        rules = store.programme_version(programme.programme_id, enrolment.version)
        if audiences.may_register(rules, enrolment, session.stage_key):
            candidates.append(person.person_id)
    enrolled = [p for p in candidates if p in enrolments]  # only they can hold a seat already
    holding = ledger.holding(enrolled, session)
    invited = [p for p in candidates if p not in holding]
    return _announce(programme, session, invited, note, context, now)


def send(repo: EnrolmentRepository, events: list[EventEnvelope]) -> int:
    """Commit invitations a coordinator sends; how many people they reach."""
    if events:
        repo.announce(events)
    return _reached(events)


INVITE_HORIZON = timedelta(days=91)  # beyond the largest invite_days_before


def send_due(
    repo: EnrolmentRepository, store: ProgressStore, ledger: SeatLedger, now: datetime, context: EventContext
) -> int:
    """Invite the audiences of sessions whose day to invite has come; each session once."""
    invited = 0
    programmes: dict[str, Programme] = {}
    for entry, session in ledger.unsent(now, now + INVITE_HORIZON, "invited"):
        if session.invite_days_before is None or session.cancelled or not session.invitations_due(now):
            continue
        if session.programme_id not in programmes:
            programmes[session.programme_id] = repo.programme(session.programme_id)
        programme = programmes[session.programme_id]
        audience = session.audience or programme.audience
        events = to_session(repo, store, ledger, programme, session, audience, None, now, context) if audience else []
        try:
            ledger.mark_sent(entry, "invited", events)
        except ConditionFailed:
            continue  # sent by a run at the same time
        invited += _reached(events)
    return invited


def _reached(events: list[EventEnvelope]) -> int:
    return sum(len(e.data["person_ids"]) for e in events)
