"""Enrolment's HTTP entry: thin routes from requests to use cases."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from services.enrolment import invitations, learning, seats, usecases
from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import SessionEvaluated
from services.enrolment.contracts.http import (
    AttendanceIn,
    Catering,
    CheckinCode,
    CheckinIn,
    CompletionIn,
    CourseCompletionIn,
    CredentialVerification,
    DecisionIn,
    DepartureIn,
    EnrolmentIn,
    EvaluationResults,
    InvitationIn,
    InvitationsOut,
    MyRegistration,
    NeedsIn,
    ProgrammeEvaluations,
    ProgressOut,
    ProgressRow,
    RevocationIn,
    SessionCancellation,
    SessionChange,
    SessionOut,
    TeamMember,
    WithdrawalIn,
    progress_csv,
)
from services.enrolment.domain import checkin, progress
from services.enrolment.domain.credentials import Credential
from services.enrolment.domain.errors import NotAttended, SessionClosed
from services.enrolment.domain.models import (
    Audience,
    Evaluation,
    Person,
    PersonDetails,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    SessionDetails,
    Unit,
    UnitDetails,
)
from services.enrolment.domain.progress import Enrolment
from services.enrolment.domain.series import SessionSeries
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound, UnsupportedMedia
from services.shared.http import Api, Cursor, Limit, PageOut
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import TenantTable
from services.shared.timezones import now

api = Api("enrolment")
app = api.app

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
CredentialCode = Annotated[str, Path(pattern=r"^[A-Z0-9]{10}$")]
NO_SEATS_TAKEN = {"confirmed": 0, "waiting": 0, "offers_open": 0}


def _repository(identity: Identity) -> EnrolmentRepository:
    return EnrolmentRepository(TenantTable(settings().table_name, identity.tenant_id))


def _ledger(identity: Identity) -> SeatLedger:
    return SeatLedger(TenantTable(settings().table_name, identity.tenant_id))


def _store(identity: Identity) -> ProgressStore:
    return ProgressStore(TenantTable(settings().table_name, identity.tenant_id))


def _session_view(ledger: SeatLedger, session_id: str) -> SessionOut:
    session, counters = ledger.session(session_id)
    return SessionOut.of(session, counters)


def _may_run(identity: Identity, session: Session) -> None:
    """A session's own trainers, and coordinators, run it: rosters, attendance, evaluations."""
    if identity.person_id not in session.trainers:
        identity.require(Role.COORDINATOR)


def _audience(audience: Audience | None) -> Audience:
    if audience is None:
        raise Invalid(
            "Name an audience: neither the session nor the programme has one.",
            [FieldProblem("audience", "is required here")],
        )
    return audience


def _csv_body() -> str:
    event = app.current_event
    content_type = (event.headers or {}).get("content-type", "")
    if not content_type.startswith("text/csv"):
        raise UnsupportedMedia()
    return event.decoded_body or ""


def _is_line_manager_of(identity: Identity, person_id: str) -> bool:
    if not identity.has(Role.MANAGER):
        return False
    person = _repository(identity).person_or_none(person_id)
    return person is not None and person.manager_id == identity.person_id


def _may_see_person(identity: Identity, person_id: str) -> None:
    """Yourself; as coordinator anyone in the tenant; as manager, the people who report to you."""
    if person_id == identity.person_id or identity.has(Role.COORDINATOR) or _is_line_manager_of(identity, person_id):
        return
    raise Forbidden("You may see your own progress, and a manager that of the people who report to them.")


def _may_decide_for(identity: Identity, person_id: str) -> None:
    if identity.has(Role.COORDINATOR) or _is_line_manager_of(identity, person_id):
        return
    raise Forbidden("Only the person's line manager, or a coordinator, decides this.")


@app.put("/people/<person_id>", tags=["directory"], summary="Create or update a person in the directory")
def put_person(person_id: PersonId, details: PersonDetails) -> Person:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    person = Person(person_id=person_id, **details.model_dump())
    repo = _repository(identity)
    usecases.upsert_person(repo, person, repo.person_or_none(person_id), api.event_context(identity))
    return repo.person(person_id)


@app.post("/people/<person_id>/departure", tags=["directory"], summary="Record that a person left; history is kept")
def post_departure(person_id: PersonId, departure: DepartureIn) -> Person:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return usecases.person_left(_repository(identity), person_id, departure.left_on, api.event_context(identity))


@app.post(
    "/imports/units",
    tags=["directory"],
    summary="Import units from CSV (text/csv); idempotent; rejected rows are named by line",
)
def import_units() -> usecases.ImportResult:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return usecases.import_units(_repository(identity), _csv_body(), api.event_context(identity))


@app.post(
    "/imports/people",
    tags=["directory"],
    summary="Import people from CSV (text/csv); idempotent; rejected rows are named by line",
)
def import_people() -> usecases.ImportResult:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return usecases.import_people(_repository(identity), _csv_body(), api.event_context(identity))


@app.get("/people/<person_id>", tags=["directory"], summary="A person in the directory")
def get_person(person_id: PersonId) -> Person:
    identity = api.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR, Role.ADMIN)
    return _repository(identity).person(person_id)


@app.put("/units/<unit_id>", tags=["directory"], summary="Create or update a unit of the hierarchy")
def put_unit(unit_id: ResourceId, details: UnitDetails) -> Unit:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    unit = Unit(unit_id=unit_id, **details.model_dump())
    return usecases.upsert_unit(_repository(identity), unit, api.event_context(identity))


@app.get("/units", tags=["directory"], summary="The tenant's units, by name")
def list_units(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Unit]:
    items, next_cursor = _repository(api.identity()).units(limit, cursor)
    return PageOut[Unit](items=items, next_cursor=next_cursor)


@app.post("/programmes", tags=["programmes"], summary="Publish a programme of ordered stages")
def post_programme(programme: Programme) -> tuple[Programme, int]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    programme = programme.model_copy(update={"version": 1})
    return learning.publish(_repository(identity), _store(identity), programme, api.event_context(identity)), 201


@app.put("/programmes/<programme_id>", tags=["programmes"], summary="Publish a new version of a programme")
def put_programme(programme_id: ResourceId, programme: Programme) -> Programme:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    changed = programme.model_copy(update={"programme_id": programme_id})
    return learning.publish_new_version(_repository(identity), _store(identity), changed, api.event_context(identity))


@app.post(
    "/programmes/<programme_id>/enrolments", tags=["progress"], summary="Enrol yourself, or someone as coordinator"
)
def post_enrolment(programme_id: ResourceId, request: EnrolmentIn) -> tuple[Enrolment, int]:
    identity = api.identity()
    person_id = request.person_id or identity.person_id
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR, Role.MANAGER)
    by_self = person_id == identity.person_id
    enrolment = learning.enrol(
        _repository(identity), _store(identity), programme_id, person_id, by_self, now(), api.event_context(identity)
    )
    return enrolment, 201


@app.get("/programmes/<programme_id>/enrolments", tags=["progress"], summary="Everyone enrolled in a programme")
def list_enrolments(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[Enrolment]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    items, next_cursor = _store(identity).enrolled(programme_id, limit, cursor)
    return PageOut[Enrolment](items=items, next_cursor=next_cursor)


@app.get(
    "/programmes/<programme_id>/progress",
    tags=["progress"],
    summary="Everyone enrolled, with their name, unit, and each stage's state (coordinators)",
)
def programme_progress(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[ProgressRow]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    repo = _repository(identity)
    rows, next_cursor = learning.programme_progress(
        repo, _store(identity), _ledger(identity), repo.programme(programme_id), limit, cursor
    )
    return PageOut[ProgressRow](items=rows, next_cursor=next_cursor)


@app.get(
    "/programmes/<programme_id>/progress/export",
    tags=["progress"],
    summary="The same for a spreadsheet: everyone, as CSV (text/csv), a column per stage (coordinators)",
    responses={200: {"description": "CSV", "content": {"text/csv": {}}}},
)
def programme_progress_export(programme_id: ResourceId) -> Response[str]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    repo = _repository(identity)
    programme = repo.programme(programme_id)
    rows, _ = learning.programme_progress(repo, _store(identity), _ledger(identity), programme)
    stage_keys = [stage.key for stage in programme.stages]
    headers = {"Content-Disposition": f'attachment; filename="{programme_id}-progress.csv"'}
    return Response(200, content_type="text/csv; charset=utf-8", body=progress_csv(stage_keys, rows), headers=headers)


@app.get(
    "/programmes/<programme_id>/enrolments/<person_id>",
    tags=["progress"],
    summary="A person's progress: each stage locked, open, in progress, completed or exempted",
)
def get_progress(programme_id: ResourceId, person_id: PersonId) -> ProgressOut:
    identity = api.identity()
    _may_see_person(identity, person_id)
    enrolment, programme = learning.enrolment_and_programme(_store(identity), programme_id, person_id)
    registered = _ledger(identity).stages_in_progress(person_id, programme_id)
    return ProgressOut(enrolment=enrolment, stages=progress.progress(programme, enrolment, registered))


@app.post(
    "/programmes/<programme_id>/enrolments/<person_id>/decision",
    tags=["progress"],
    summary="Approve or decline a requested enrolment (the person's line manager, or a coordinator)",
)
def post_decision(programme_id: ResourceId, person_id: PersonId, decision: DecisionIn) -> Enrolment:
    identity = api.identity()
    _may_decide_for(identity, person_id)
    return learning.decide(
        _store(identity), programme_id, person_id, decision.approve, decision.reason, api.event_context(identity)
    )


@app.post(
    "/programmes/<programme_id>/enrolments/<person_id>/withdrawal",
    tags=["progress"],
    summary="Withdraw from a programme (yourself, your line manager, or a coordinator); history is kept",
)
def post_withdrawal(programme_id: ResourceId, person_id: PersonId, withdrawal: WithdrawalIn) -> Enrolment:
    identity = api.identity()
    if person_id != identity.person_id:
        _may_decide_for(identity, person_id)
    return learning.withdraw(_store(identity), programme_id, person_id, withdrawal.reason, api.event_context(identity))


@app.post(
    "/programmes/<programme_id>/enrolments/<person_id>/completions",
    tags=["progress"],
    summary="Record a course or stage completed, or a stage exempted (with a reason)",
)
def post_completion(programme_id: ResourceId, person_id: PersonId, completion: CompletionIn) -> Enrolment:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    return learning.record_completion(
        _repository(identity),
        _store(identity),
        programme_id,
        person_id,
        completion.stage_key,
        now(),
        api.event_context(identity),
        completion.course_key,
        completion.exempt_reason,
    )


@app.post(
    "/course-completions",
    tags=["progress"],
    summary="For learning portals: a course completed, by the portal's course id (idempotent)",
)
def post_course_completion(completion: CourseCompletionIn) -> Enrolment:
    identity = api.identity()
    identity.require(Role.ADMIN, Role.COORDINATOR)
    return learning.record_course_by_external_id(
        _repository(identity),
        _store(identity),
        completion.external_id,
        completion.person_id,
        now(),
        api.event_context(identity),
    )


@app.get("/me/credentials", tags=["credentials"], summary="Your credentials (diplomas)")
def my_credentials() -> list[Credential]:
    identity = api.identity()
    return _store(identity).credentials_of(identity.person_id)


@app.post(
    "/credentials/<code>/revocation",
    tags=["credentials"],
    summary="Revoke a credential, with the reason; verification then shows it as revoked",
)
def revoke_credential(code: CredentialCode, revocation: RevocationIn) -> Credential:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return learning.revoke_credential(_store(identity), code, revocation.reason, api.event_context(identity))


@app.get(
    "/public/credentials/<tenant_id>/<code>",
    tags=["credentials"],
    summary="Verify a credential: only what is on the diploma, and whether it is valid",
    security=[],
)
def verify_credential(
    tenant_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")],
    code: CredentialCode,
) -> CredentialVerification:
    credential = ProgressStore(TenantTable(settings().table_name, tenant_id)).credential(code)
    if credential is None:
        raise NotFound("No credential with this code.")
    return CredentialVerification.of(credential, now())


@app.get("/programmes", tags=["programmes"], summary="The tenant's programmes")
def list_programmes(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Programme]:
    items, next_cursor = _repository(api.identity()).programmes(limit, cursor)
    return PageOut[Programme](items=items, next_cursor=next_cursor)


@app.get("/programmes/<programme_id>", tags=["programmes"], summary="One programme")
def get_programme(programme_id: ResourceId) -> Programme:
    return _repository(api.identity()).programme(programme_id)


@app.post("/programmes/<programme_id>/sessions", tags=["sessions"], summary="Schedule a session for a stage")
def post_session(programme_id: ResourceId, details: SessionDetails) -> tuple[SessionOut, int]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    (session,) = usecases.schedule_sessions(
        _repository(identity),
        _store(identity),
        _ledger(identity),
        programme_id,
        [details],
        now(),
        api.event_context(identity),
    )
    return SessionOut.of(session, NO_SEATS_TAKEN), 201


@app.post(
    "/programmes/<programme_id>/invitations",
    tags=["programmes"],
    summary="Invite an audience (by default the programme's) to enrol: those not enrolled yet, or whose credential expired",
)
def invite_to_programme(programme_id: ResourceId, invitation: InvitationIn) -> InvitationsOut:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    repo = _repository(identity)
    programme = repo.programme(programme_id)
    audience = _audience(invitation.audience or programme.audience)
    events = invitations.to_programme(
        repo, _store(identity), programme, audience, invitation.note, api.event_context(identity)
    )
    return InvitationsOut(invited=invitations.send(repo, events))


@app.post(
    "/sessions/<session_id>/invitations",
    tags=["sessions"],
    summary="Invite an audience (by default the session's or programme's) to register: those for whom the stage is open",
)
def invite_to_session(session_id: ResourceId, invitation: InvitationIn) -> InvitationsOut:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    repo, ledger, moment = _repository(identity), _ledger(identity), now()
    session, _ = ledger.session(session_id)
    if session.cancelled or session.has_started(moment):
        raise SessionClosed(session_id)
    programme = repo.programme(session.programme_id)
    audience = _audience(invitation.audience or session.audience or programme.audience)
    events = invitations.to_session(
        repo,
        _store(identity),
        ledger,
        programme,
        session,
        audience,
        invitation.note,
        moment,
        api.event_context(identity),
    )
    return InvitationsOut(invited=invitations.send(repo, events))


@app.post(
    "/programmes/<programme_id>/sessions/series",
    tags=["sessions"],
    summary="Schedule recurring sessions of a stage (weekly or monthly, at the same Stockholm time), all or none",
)
def post_session_series(programme_id: ResourceId, series: SessionSeries) -> tuple[list[SessionOut], int]:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    sessions = usecases.schedule_sessions(
        _repository(identity),
        _store(identity),
        _ledger(identity),
        programme_id,
        series.sessions(),
        now(),
        api.event_context(identity),
    )
    return [SessionOut.of(session, NO_SEATS_TAKEN) for session in sessions], 201


@app.get("/programmes/<programme_id>/sessions", tags=["sessions"], summary="A programme's sessions, by start")
def list_sessions(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[Session]:
    items, next_cursor = _ledger(api.identity()).sessions_of(programme_id, limit, cursor)
    return PageOut[Session](items=items, next_cursor=next_cursor)


@app.get("/sessions/<session_id>", tags=["sessions"], summary="One session with its free seats and waitlist")
def get_session(session_id: ResourceId) -> SessionOut:
    return _session_view(_ledger(api.identity()), session_id)


@app.patch(
    "/sessions/<session_id>",
    tags=["sessions"],
    summary="Reschedule, move or resize a session (never below the seats taken; more seats promote)",
)
def patch_session(session_id: ResourceId, change: SessionChange) -> SessionOut:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    ledger = _ledger(identity)
    seats.change_session(ledger, session_id, change.changes(), now(), api.event_context(identity))
    return _session_view(ledger, session_id)


@app.post(
    "/sessions/<session_id>/cancellation",
    tags=["sessions"],
    summary="Cancel a session: every registration is cancelled and announced",
)
def cancel_session(session_id: ResourceId, cancellation: SessionCancellation) -> SessionOut:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    ledger = _ledger(identity)
    seats.cancel_session(ledger, session_id, cancellation.reason, now(), api.event_context(identity))
    return _session_view(ledger, session_id)


@app.post(
    "/sessions/<session_id>/registrations",
    tags=["sessions"],
    summary="Register yourself: a seat if one is free and nobody waits, else a place in line",
)
def post_registration(session_id: ResourceId) -> tuple[Registration, int]:
    identity = api.identity()
    return _register(identity, session_id, identity.person_id)


@app.post(
    "/sessions/<session_id>/registrations/<person_id>",
    tags=["sessions"],
    summary="Register someone (their line manager, or a coordinator): a seat if one is free, else a place in line",
)
def post_registration_for(session_id: ResourceId, person_id: PersonId) -> tuple[Registration, int]:
    identity = api.identity()
    if person_id != identity.person_id:
        _may_decide_for(identity, person_id)
    return _register(identity, session_id, person_id)


def _register(identity: Identity, session_id: str, person_id: str) -> tuple[Registration, int]:
    ledger, context = _ledger(identity), api.event_context(identity)
    session, _ = ledger.session(session_id)
    learning.admit_to_session(_repository(identity), _store(identity), session, person_id, now(), context)
    return seats.register(ledger, session, person_id, now(), context), 201


@app.post(
    "/sessions/<session_id>/attendance",
    tags=["attendance"],
    summary="Mark registrations present, late, excused or absent; attending completes the stage",
)
def post_attendance(session_id: ResourceId, sheet: AttendanceIn) -> list[Registration]:
    identity = api.identity()
    ledger = _ledger(identity)
    _may_run(identity, ledger.session(session_id)[0])
    for mark in sheet.marks:
        learning.mark_attendance(
            _repository(identity),
            _store(identity),
            ledger,
            session_id,
            mark.person_id,
            mark.attendance,
            now(),
            api.event_context(identity),
        )
    return [r for r in ledger.roster(session_id) if r.person_id in {m.person_id for m in sheet.marks}]


@app.delete(
    "/sessions/<session_id>/registrations/<person_id>",
    tags=["sessions"],
    summary="Cancel a registration (yours, your people's as line manager, or as coordinator anyone's): the seat goes to the first in line",
)
def delete_registration(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = api.identity()
    if person_id == identity.person_id:
        reason = "cancelled by the person"
    else:
        _may_decide_for(identity, person_id)
        reason = "cancelled by a coordinator" if identity.has(Role.COORDINATOR) else "cancelled by the line manager"
    return seats.cancel(_ledger(identity), session_id, person_id, now(), api.event_context(identity), reason)


@app.post(
    "/sessions/<session_id>/registrations/<person_id>/claim",
    tags=["sessions"],
    summary="Claim the seat you were offered, before the offer expires",
)
def claim_offer(session_id: ResourceId, person_id: PersonId) -> Registration:
    identity = api.identity()
    if person_id != identity.person_id:
        raise Forbidden("Only the person offered a seat can claim it.")
    return seats.claim(_ledger(identity), session_id, person_id, now(), api.event_context(identity))


@app.get(
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
    identity = api.identity()
    ledger = _ledger(identity)
    _may_run(identity, ledger.session(session_id)[0])
    return ledger.roster(session_id, with_ended=history)


@app.put(
    "/sessions/<session_id>/registrations/<person_id>/needs",
    tags=["sessions"],
    summary="Note your dietary or access needs for the session (or a coordinator for you); kept only while registered",
)
def put_needs(session_id: ResourceId, person_id: PersonId, request: NeedsIn) -> Registration:
    identity = api.identity()
    if person_id != identity.person_id:
        identity.require(Role.COORDINATOR)
    ledger = _ledger(identity)
    ledger.set_needs(session_id, person_id, request.needs)
    noted = ledger.registration(session_id, person_id)
    assert noted is not None
    return noted


@app.get(
    "/sessions/<session_id>/catering",
    tags=["sessions"],
    summary="How many have a seat and their needs, without names: for the venue and the caterer",
)
def get_catering(session_id: ResourceId) -> Catering:
    identity = api.identity()
    ledger = _ledger(identity)
    _may_run(identity, ledger.session(session_id)[0])
    seated = [r for r in ledger.roster(session_id) if r.status is RegistrationStatus.CONFIRMED]
    return Catering(confirmed=len(seated), needs=sorted(r.needs for r in seated if r.needs))


@app.get(
    "/sessions/<session_id>/checkin-code",
    tags=["attendance"],
    summary="The self check-in code to show in the room, and a URL for a QR code; it rotates",
)
def get_checkin_code(session_id: ResourceId) -> CheckinCode:
    identity = api.identity()
    ledger = _ledger(identity)
    session, _ = ledger.session(session_id)
    _may_run(identity, session)
    code, rotates_at = checkin.current_code(ledger.checkin_secret(session_id), now())
    opens, closes = checkin.window(session)
    url = f"{settings().app_url}/checkin/{identity.tenant_id}/{session_id}?code={code}"
    return CheckinCode(code=code, url=url, rotates_at=rotates_at, accepted_from=opens, accepted_until=closes)


@app.post(
    "/sessions/<session_id>/checkin",
    tags=["attendance"],
    summary="Check yourself in with the code shown in the room: present, or late after ten minutes",
)
def post_checkin(session_id: ResourceId, request: CheckinIn) -> Registration:
    identity = api.identity()
    ledger, moment = _ledger(identity), now()
    session, _ = ledger.session(session_id)
    if not checkin.accepts(session, ledger.checkin_secret(session_id), request.code, moment):
        raise Invalid("The code is not valid now.", [FieldProblem("code", "wrong, expired, or outside the session")])
    registration = ledger.registration(session_id, identity.person_id)
    if registration is not None and registration.attendance is not None:
        raise Conflict("You are checked in already.", [FieldProblem("code", "already checked in")])
    learning.mark_attendance(
        _repository(identity),
        _store(identity),
        ledger,
        session_id,
        identity.person_id,
        checkin.attendance_at(session, moment),
        moment,
        api.event_context(identity),
    )
    checked_in = ledger.registration(session_id, identity.person_id)
    assert checked_in is not None
    return checked_in


@app.post(
    "/sessions/<session_id>/evaluations",
    tags=["attendance"],
    summary="Rate a session you attended, 1 to 5, with a comment if you like; once",
)
def post_evaluation(session_id: ResourceId, evaluation: Evaluation) -> tuple[Evaluation, int]:
    identity = api.identity()
    ledger = _ledger(identity)
    session, _ = ledger.session(session_id)
    registration = ledger.registration(session_id, identity.person_id)
    if registration is None or registration.attendance is None or not registration.attendance.attended:
        raise NotAttended()
    event = SessionEvaluated(
        session_id=session_id, programme_id=session.programme_id, stage_key=session.stage_key, rating=evaluation.rating
    )
    ledger.evaluate(session, identity.person_id, evaluation, EventEnvelope.wrap(event, api.event_context(identity)))
    return evaluation, 201


@app.get("/sessions/<session_id>/evaluations", tags=["attendance"], summary="A session's evaluations, unsigned")
def get_evaluations(session_id: ResourceId) -> EvaluationResults:
    identity = api.identity()
    ledger = _ledger(identity)
    _may_run(identity, ledger.session(session_id)[0])
    return EvaluationResults.of(ledger.evaluations(session_id))


@app.get(
    "/programmes/<programme_id>/evaluations",
    tags=["attendance"],
    summary="The ratings of a programme's sessions, each and together (coordinators; comments per session)",
)
def get_programme_evaluations(programme_id: ResourceId) -> ProgrammeEvaluations:
    identity = api.identity()
    identity.require(Role.COORDINATOR)
    _repository(identity).programme(programme_id)  # a 404 for a programme that does not exist
    ledger = _ledger(identity)
    rated = [(session, ledger.evaluations(session.session_id)) for session in ledger.sessions_of(programme_id)[0]]
    return ProgrammeEvaluations.of([(session, evaluations) for session, evaluations in rated if evaluations])


@app.get(
    "/me/team",
    tags=["progress"],
    summary="A line manager's people: their programmes with each stage's state, and the seats they hold",
)
def my_team() -> list[TeamMember]:
    identity = api.identity()
    identity.require(Role.MANAGER)
    return learning.team(_repository(identity), _store(identity), _ledger(identity), identity.person_id)


@app.get("/me/registrations", tags=["sessions"], summary="Your registrations, by session start, and your place in line")
def my_registrations(limit: Limit = 50, cursor: Cursor = None) -> PageOut[MyRegistration]:
    identity = api.identity()
    ledger = _ledger(identity)
    items, next_cursor = ledger.registrations_of(identity.person_id, limit, cursor)
    mine = [MyRegistration(**r.model_dump(), place_in_line=ledger.place_in_line(r)) for r in items]
    return PageOut[MyRegistration](items=mine, next_cursor=next_cursor)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
