"""Sessions' routes: scheduling (alone or as a series), changes, invitations to register, and the seat
ledger: registering, cancelling, claiming an offer, the roster, and needs for the venue and catering."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from services.enrolment import invitations, learning, seats, sessions
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.contracts.http import (
    Catering,
    InvitationIn,
    InvitationsOut,
    MyRegistration,
    NeedsIn,
    SessionCancellation,
    SessionChange,
    SessionOut,
)
from services.enrolment.domain.errors import SessionClosed
from services.enrolment.domain.models import Registration, RegistrationStatus, Session, SessionDetails
from services.enrolment.domain.series import SessionSeries
from services.enrolment.routes.access import (
    PersonId,
    ResourceId,
    ledger,
    may_decide_for,
    may_run,
    repository,
    store,
)
from services.enrolment.routes.programmes import audience_or_refuse
from services.shared import timezones
from services.shared.errors import Forbidden
from services.shared.http import Cursor, Limit, PageOut, Routes
from services.shared.identity import Identity, Role

routes = Routes()
NO_SEATS_TAKEN = {"confirmed": 0, "waiting": 0, "offers_open": 0}


def _session_view(seat_ledger: SeatLedger, session_id: str) -> SessionOut:
    session, counters = seat_ledger.session(session_id)
    return SessionOut.of(session, counters)


@routes.post(
    "/programmes/<programme_id>/sessions", tags=["sessions"], summary="Schedule a session for a stage", status_code=201
)
def post_session(programme_id: ResourceId, details: SessionDetails) -> SessionOut:
    (session,) = _schedule(programme_id, [details])
    return session


@routes.post(
    "/programmes/<programme_id>/sessions/series",
    tags=["sessions"],
    summary="Schedule recurring sessions of a stage (weekly or monthly, at the same Stockholm time), all or none",
    status_code=201,
)
def post_session_series(programme_id: ResourceId, series: SessionSeries) -> list[SessionOut]:
    return _schedule(programme_id, series.sessions())


def _schedule(programme_id: str, occasions: list[SessionDetails]) -> list[SessionOut]:
    """Schedule the occasions; a named request (Idempotency-Key) retried answers with what it made."""
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    seat_ledger = ledger(identity)
    ids = [routes.new_id(str(n)) for n in range(len(occasions))]
    try:
        scheduled = sessions.schedule_sessions(
            repository(identity),
            store(identity),
            seat_ledger,
            programme_id,
            occasions,
            timezones.now(),
            routes.event_context(identity),
            ids,
        )
    except sessions.SessionsExist:
        if not routes.named():
            raise
        return [_session_view(seat_ledger, session_id) for session_id in ids]
    return [SessionOut.of(session, NO_SEATS_TAKEN) for session in scheduled]


@routes.post(
    "/sessions/<session_id>/invitations",
    tags=["sessions"],
    summary="Invite an audience (by default the session's or programme's) to register: those for whom the stage is open",
)
def invite_to_session(session_id: ResourceId, invitation: InvitationIn) -> InvitationsOut:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    repo, seat_ledger, moment = repository(identity), ledger(identity), timezones.now()
    session, _ = seat_ledger.session(session_id)
    if session.cancelled or session.has_started(moment):
        raise SessionClosed(session_id)
    programme = repo.programme(session.programme_id)
    audience = audience_or_refuse(invitation.audience or session.audience or programme.audience)
    events = invitations.to_session(
        repo,
        store(identity),
        seat_ledger,
        programme,
        session,
        audience,
        invitation.note,
        moment,
        routes.event_context(identity),
    )
    return InvitationsOut(invited=invitations.send(repo, events))


@routes.get("/programmes/<programme_id>/sessions", tags=["sessions"], summary="A programme's sessions, by start")
def list_sessions(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[Session]:
    identity = routes.identity()
    items, next_cursor = ledger(identity).sessions_of(programme_id, limit, cursor)
    if not items:
        repository(identity).programme(programme_id)  # none, or no such programme: a 404
    return PageOut[Session](items=items, next_cursor=next_cursor)


@routes.get("/sessions/<session_id>", tags=["sessions"], summary="One session with its free seats and waitlist")
def get_session(session_id: ResourceId) -> SessionOut:
    return _session_view(ledger(routes.identity()), session_id)


@routes.patch(
    "/sessions/<session_id>",
    tags=["sessions"],
    summary="Reschedule, move or resize a session (never below the seats taken; more seats promote)",
)
def patch_session(session_id: ResourceId, change: SessionChange) -> SessionOut:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    seat_ledger = ledger(identity)
    sessions.change_session(seat_ledger, session_id, change.changes(), timezones.now(), routes.event_context(identity))
    return _session_view(seat_ledger, session_id)


@routes.post(
    "/sessions/<session_id>/cancellation",
    tags=["sessions"],
    summary="Cancel a session: every registration is cancelled and announced",
)
def cancel_session(session_id: ResourceId, cancellation: SessionCancellation) -> SessionOut:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    seat_ledger = ledger(identity)
    sessions.cancel_session(
        seat_ledger, session_id, cancellation.reason, timezones.now(), routes.event_context(identity)
    )
    return _session_view(seat_ledger, session_id)


@routes.post(
    "/sessions/<session_id>/registrations",
    tags=["sessions"],
    summary="Register yourself: a seat if one is free and nobody waits, else a place in line",
    status_code=201,
)
def post_registration(session_id: ResourceId) -> Registration:
    identity = routes.identity()
    return _register(identity, session_id, identity.person_id)


@routes.post(
    "/sessions/<session_id>/registrations/<person_id>",
    tags=["sessions"],
    summary="Register someone (their line manager, or a coordinator): a seat if one is free, else a place in line",
    status_code=201,
)
def post_registration_for(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = routes.identity()
    if person_id != identity.person_id:
        may_decide_for(identity, person_id)
    return _register(identity, session_id, person_id)


def _register(identity: Identity, session_id: str, person_id: str) -> Registration:
    seat_ledger, context, progress_store = ledger(identity), routes.event_context(identity), store(identity)
    session, _ = seat_ledger.session(session_id)
    repo = repository(identity)
    if person_id != identity.person_id:
        repo.person(person_id)  # registering someone else: they must be in the directory
    joined = learning.admit_to_session(repo, progress_store, session, person_id, timezones.now(), context)
    joining = (joined.writes(progress_store), joined.events())
    return seats.register(seat_ledger, session, person_id, timezones.now(), context, joining)


@routes.delete(
    "/sessions/<session_id>/registrations/<person_id>",
    tags=["sessions"],
    summary="Cancel a registration (yours, your people's as line manager, or as coordinator anyone's): the seat goes to the first in line",
)
def delete_registration(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = routes.identity()
    if person_id == identity.person_id:
        reason = "cancelled by the person"
    else:
        may_decide_for(identity, person_id)
        reason = "cancelled by a coordinator" if identity.has(Role.COORDINATOR) else "cancelled by the line manager"
    return seats.cancel(
        ledger(identity), session_id, person_id, timezones.now(), routes.event_context(identity), reason
    )


@routes.post(
    "/sessions/<session_id>/registrations/<person_id>/claim",
    tags=["sessions"],
    summary="Claim the seat you were offered, before the offer expires",
)
def claim_offer(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = routes.identity()
    if person_id != identity.person_id:
        raise Forbidden("Only the person offered a seat can claim it.")
    return seats.claim(ledger(identity), session_id, person_id, timezones.now(), routes.event_context(identity))


@routes.get(
    "/sessions/<session_id>/registrations",
    tags=["sessions"],
    summary="The roster: everyone registered (the session's trainers, or a coordinator)",
)
def roster(
    session_id: ResourceId,
    history: Annotated[
        bool, Query(description="also the registrations people cancelled before registering again")
    ] = False,
) -> list[Registration]:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    may_run(identity, seat_ledger.session(session_id)[0])
    return seat_ledger.roster(session_id, with_ended=history)


@routes.put(
    "/sessions/<session_id>/registrations/<person_id>/needs",
    tags=["sessions"],
    summary="Note your dietary or access needs for the session (or a coordinator for you); kept only while registered",
)
def put_needs(session_id: ResourceId, person_id: PersonId, request: NeedsIn) -> Registration:
    identity = routes.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR)
    seat_ledger = ledger(identity)
    seat_ledger.set_needs(session_id, person_id, request.needs)
    noted = seat_ledger.registration(session_id, person_id)
    assert noted is not None
    return noted


@routes.get(
    "/sessions/<session_id>/catering",
    tags=["sessions"],
    summary="How many have a seat and their needs, without names: for the venue and the caterer",
)
def get_catering(session_id: ResourceId) -> Catering:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    may_run(identity, seat_ledger.session(session_id)[0])
    seated = [r for r in seat_ledger.roster(session_id) if r.status is RegistrationStatus.CONFIRMED]
    return Catering(confirmed=len(seated), needs=sorted(r.needs for r in seated if r.needs))


@routes.get(
    "/me/registrations", tags=["sessions"], summary="Your registrations, by session start, and your place in line"
)
def my_registrations(limit: Limit = 50, cursor: Cursor = None) -> PageOut[MyRegistration]:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    items, next_cursor = seat_ledger.registrations_of(identity.person_id, limit, cursor)
    mine = [MyRegistration(**r.model_dump(), place_in_line=seat_ledger.place_in_line(r)) for r in items]
    return PageOut[MyRegistration](items=mine, next_cursor=next_cursor)
