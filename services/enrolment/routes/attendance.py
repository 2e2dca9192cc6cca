"""Attendance's routes: the sheet a session's trainers mark, the code shown in the room for people to
mark themselves, and evaluations by those who attended."""

from __future__ import annotations

from services.enrolment import attendance
from services.enrolment.contracts.events import SessionEvaluated
from services.enrolment.contracts.http import (
    AttendanceCode,
    AttendanceCodeIn,
    AttendanceIn,
    EvaluationResults,
    ProgrammeEvaluations,
)
from services.enrolment.domain import attendance_code
from services.enrolment.domain.errors import NotAttended
from services.enrolment.domain.models import Evaluation, Registration
from services.enrolment.routes.access import ResourceId, ledger, may_run, repository, store
from services.shared import timezones
from services.shared.envelope import EventEnvelope
from services.shared.errors import Conflict, FieldProblem, Invalid
from services.shared.http import Routes
from services.shared.identity import Role
from services.shared.settings import settings

routes = Routes()


@routes.post(
    "/sessions/<session_id>/attendance",
    tags=["attendance"],
    summary="Mark registrations present, late, excused or absent; attending completes the stage",
)
def post_attendance(session_id: ResourceId, sheet: AttendanceIn) -> list[Registration]:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    may_run(identity, seat_ledger.session(session_id)[0])
    for mark in sheet.marks:
        attendance.mark_attendance(
            repository(identity),
            store(identity),
            seat_ledger,
            session_id,
            mark.person_id,
            mark.attendance,
            timezones.now(),
            routes.event_context(identity),
        )
    return [r for r in seat_ledger.roster(session_id) if r.person_id in {m.person_id for m in sheet.marks}]


@routes.get(
    "/sessions/<session_id>/attendance-code",
    tags=["attendance"],
    summary="The attendance code to show in the room, and a URL for a QR code; it rotates",
)
def get_attendance_code(session_id: ResourceId) -> AttendanceCode:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    session, _ = seat_ledger.session(session_id)
    may_run(identity, session)
    code, rotates_at = attendance_code.current_code(seat_ledger.attendance_secret(session_id), timezones.now())
    opens, closes = attendance_code.window(session)
    url = f"{settings().app_url}/attendance/{identity.tenant_id}/{session_id}?code={code}"
    return AttendanceCode(code=code, url=url, rotates_at=rotates_at, accepted_from=opens, accepted_until=closes)


@routes.post(
    "/sessions/<session_id>/attendance/self",
    tags=["attendance"],
    summary="Mark yourself present with the attendance code shown in the room: present, or late after ten minutes",
)
def post_self_attendance(session_id: ResourceId, request: AttendanceCodeIn) -> Registration:
    identity = routes.identity()
    seat_ledger, moment = ledger(identity), timezones.now()
    session, _ = seat_ledger.session(session_id)
    if not attendance_code.accepts(session, seat_ledger.attendance_secret(session_id), request.code, moment):
        raise Invalid(
            "The code is not valid now.", [FieldProblem("body.code", "wrong, expired, or outside the session")]
        )
    registration = seat_ledger.registration(session_id, identity.person_id)
    if registration is not None and registration.attendance is not None:
        raise Conflict("Your attendance is marked already.", [FieldProblem("body.code", "attendance marked already")])
    attendance.mark_attendance(
        repository(identity),
        store(identity),
        seat_ledger,
        session_id,
        identity.person_id,
        attendance_code.attendance_at(session, moment),
        moment,
        routes.event_context(identity),
    )
    checked_in = seat_ledger.registration(session_id, identity.person_id)
    assert checked_in is not None
    return checked_in


@routes.post(
    "/sessions/<session_id>/evaluations",
    tags=["attendance"],
    summary="Rate a session you attended, 1 to 5, with a comment if you like; once",
    status_code=201,
)
def post_evaluation(session_id: ResourceId, evaluation: Evaluation) -> Evaluation:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    session, _ = seat_ledger.session(session_id)
    registration = seat_ledger.registration(session_id, identity.person_id)
    if registration is None or registration.attendance is None or not registration.attendance.attended:
        raise NotAttended()
    event = SessionEvaluated(
        session_id=session_id, programme_id=session.programme_id, stage_key=session.stage_key, rating=evaluation.rating
    )
    seat_ledger.evaluate(
        session, identity.person_id, evaluation, EventEnvelope.wrap(event, routes.event_context(identity))
    )
    return evaluation


@routes.get("/sessions/<session_id>/evaluations", tags=["attendance"], summary="A session's evaluations, unsigned")
def get_evaluations(session_id: ResourceId) -> EvaluationResults:
    identity = routes.identity()
    seat_ledger = ledger(identity)
    may_run(identity, seat_ledger.session(session_id)[0])
    return EvaluationResults.of(seat_ledger.evaluations(session_id))


@routes.get(
    "/programmes/<programme_id>/evaluations",
    tags=["attendance"],
    summary="The ratings of a programme's sessions, each and together (coordinators; comments per session)",
)
def get_programme_evaluations(programme_id: ResourceId) -> ProgrammeEvaluations:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    repository(identity).programme(programme_id)  # a 404 for a programme that does not exist
    seat_ledger = ledger(identity)
    rated = [
        (session, seat_ledger.evaluations(session.session_id)) for session in seat_ledger.sessions_of(programme_id)[0]
    ]
    return ProgrammeEvaluations.of([(session, evaluations) for session, evaluations in rated if evaluations])
