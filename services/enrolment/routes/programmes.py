"""Programmes' routes: publishing versions, invitations to enrol, enrolments and their decisions, progress,
completions (recorded by a coordinator or pushed by a learning portal), and a line manager's team."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from services.enrolment import invitations, learning, programmes
from services.enrolment.contracts.http import (
    CompletionIn,
    CourseCompletionIn,
    DecisionIn,
    EnrolmentIn,
    InvitationIn,
    InvitationsOut,
    ProgressOut,
    ProgressRow,
    TeamMember,
    WithdrawalIn,
    progress_csv,
)
from services.enrolment.domain import progress
from services.enrolment.domain.models import Audience, Programme
from services.enrolment.domain.progress import Enrolment
from services.enrolment.routes.access import (
    PersonId,
    ResourceId,
    ledger,
    may_decide_for,
    may_see_person,
    repository,
    store,
)
from services.shared import timezones
from services.shared.errors import Conflict, FieldProblem, Invalid
from services.shared.http import Cursor, Limit, PageOut, Routes
from services.shared.identity import Role
from services.shared.wiring import COMPLETIONS_SCOPE, INTEGRATION_SCHEME

routes = Routes()


def audience_or_refuse(audience: Audience | None) -> Audience:
    if audience is None:
        raise Invalid(
            "Name an audience: neither the session nor the programme has one.",
            [FieldProblem("body.audience", "is required here")],
        )
    return audience


@routes.post("/programmes", tags=["programmes"], summary="Publish a programme of ordered stages", status_code=201)
def post_programme(programme: Programme) -> Programme:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    derived = "programme_id" not in programme.model_fields_set
    programme_id = routes.new_id() if derived else programme.programme_id
    programme = programme.model_copy(update={"version": 1, "programme_id": programme_id})
    repo = repository(identity)
    try:
        return programmes.publish(repo, store(identity), programme, routes.event_context(identity))
    except Conflict:
        if derived and routes.named():  # the same request again: what it published
            return repo.programme(programme_id)
        raise


@routes.put("/programmes/<programme_id>", tags=["programmes"], summary="Publish a new version of a programme")
def put_programme(programme_id: ResourceId, programme: Programme) -> Programme:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    changed = programme.model_copy(update={"programme_id": programme_id})
    return programmes.publish_new_version(
        repository(identity), store(identity), changed, routes.event_context(identity)
    )


@routes.get("/programmes", tags=["programmes"], summary="The tenant's programmes")
def list_programmes(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Programme]:
    items, next_cursor = repository(routes.identity()).programmes(limit, cursor)
    return PageOut[Programme](items=items, next_cursor=next_cursor)


@routes.get("/programmes/<programme_id>", tags=["programmes"], summary="One programme")
def get_programme(programme_id: ResourceId) -> Programme:
    return repository(routes.identity()).programme(programme_id)


@routes.post(
    "/programmes/<programme_id>/invitations",
    tags=["programmes"],
    summary="Invite an audience (by default the programme's) to enrol: those not enrolled yet, or whose credential expired",
)
def invite_to_programme(programme_id: ResourceId, invitation: InvitationIn) -> InvitationsOut:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    repo = repository(identity)
    programme = repo.programme(programme_id)
    audience = audience_or_refuse(invitation.audience or programme.audience)
    events = invitations.to_programme(
        repo, store(identity), programme, audience, invitation.note, routes.event_context(identity)
    )
    return InvitationsOut(invited=invitations.send(repo, events))


@routes.post(
    "/programmes/<programme_id>/enrolments",
    tags=["progress"],
    summary="Enrol yourself, or someone as coordinator",
    status_code=201,
)
def post_enrolment(programme_id: ResourceId, request: EnrolmentIn) -> Enrolment:
    identity = routes.identity()
    person_id = request.person_id or identity.person_id
    repo = repository(identity)
    if person_id != identity.person_id:
        may_decide_for(identity, person_id)
        repo.person(person_id)  # enrolling someone else: they must be in the directory
    by_self = person_id == identity.person_id
    return learning.enrol(
        repo,
        store(identity),
        programme_id,
        person_id,
        by_self,
        timezones.now(),
        routes.event_context(identity),
    )


@routes.get("/programmes/<programme_id>/enrolments", tags=["progress"], summary="Everyone enrolled in a programme")
def list_enrolments(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[Enrolment]:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    items, next_cursor = store(identity).enrolled(programme_id, limit, cursor)
    if not items:
        repository(identity).programme(programme_id)  # none, or no such programme: a 404
    return PageOut[Enrolment](items=items, next_cursor=next_cursor)


@routes.get(
    "/programmes/<programme_id>/progress",
    tags=["progress"],
    summary="Everyone enrolled, with their name, unit, and each stage's state (coordinators)",
)
def programme_progress(programme_id: ResourceId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[ProgressRow]:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    repo = repository(identity)
    rows, next_cursor = learning.programme_progress(
        repo, store(identity), ledger(identity), repo.programme(programme_id), limit, cursor
    )
    return PageOut[ProgressRow](items=rows, next_cursor=next_cursor)


@routes.get(
    "/programmes/<programme_id>/progress/export",
    tags=["progress"],
    summary="The same for a spreadsheet: everyone, as CSV (text/csv), a column per stage (coordinators)",
    responses={200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def programme_progress_export(programme_id: ResourceId) -> Response[str]:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    repo = repository(identity)
    programme = repo.programme(programme_id)
    rows, _ = learning.programme_progress(repo, store(identity), ledger(identity), programme)
    stage_keys = [stage.key for stage in programme.stages]
    headers = {"Content-Disposition": f'attachment; filename="{programme_id}-progress.csv"'}
    return Response(200, content_type="text/csv; charset=utf-8", body=progress_csv(stage_keys, rows), headers=headers)


@routes.get(
    "/programmes/<programme_id>/enrolments/<person_id>",
    tags=["progress"],
    summary="A person's progress: each stage locked, open, in progress, completed or exempted",
)
def get_progress(programme_id: ResourceId, person_id: PersonId) -> ProgressOut:
    identity = routes.identity()
    may_see_person(identity, person_id)
    enrolment, programme = learning.enrolment_and_programme(store(identity), programme_id, person_id)
    registered = ledger(identity).stages_in_progress(person_id, programme_id)
    return ProgressOut(enrolment=enrolment, stages=progress.progress(programme, enrolment, registered))


@routes.post(
    "/programmes/<programme_id>/enrolments/<person_id>/decision",
    tags=["progress"],
    summary="Approve or decline a requested enrolment (the person's line manager, or a coordinator)",
)
def post_decision(programme_id: ResourceId, person_id: PersonId, decision: DecisionIn) -> Enrolment:
    identity = routes.identity()
    may_decide_for(identity, person_id)
    return learning.decide(
        store(identity), programme_id, person_id, decision.approve, decision.reason, routes.event_context(identity)
    )


@routes.post(
    "/programmes/<programme_id>/enrolments/<person_id>/withdrawal",
    tags=["progress"],
    summary="Withdraw from a programme (yourself, your line manager, or a coordinator); history is kept",
)
def post_withdrawal(programme_id: ResourceId, person_id: PersonId, withdrawal: WithdrawalIn) -> Enrolment:
    identity = routes.identity()
    if person_id != identity.person_id:
        may_decide_for(identity, person_id)
    return learning.withdraw(
        store(identity), programme_id, person_id, withdrawal.reason, routes.event_context(identity)
    )


@routes.post(
    "/programmes/<programme_id>/enrolments/<person_id>/completions",
    tags=["progress"],
    summary="Record a course or stage completed, or a stage exempted (with a reason)",
)
def post_completion(programme_id: ResourceId, person_id: PersonId, completion: CompletionIn) -> Enrolment:
    identity = routes.identity()
    identity.require(Role.COORDINATOR)
    return learning.record_completion(
        repository(identity),
        store(identity),
        programme_id,
        person_id,
        completion.stage_key,
        timezones.now(),
        routes.event_context(identity),
        completion.course_key,
        completion.exempt_reason,
    )


@routes.post(
    "/course-completions",
    tags=["progress"],
    summary="For learning portals (client credentials, scope ledarlyft/completions.write): a course completed, "
    "by the portal's course id (idempotent)",
    security=[{INTEGRATION_SCHEME: [COMPLETIONS_SCOPE]}],
)
def post_course_completion(completion: CourseCompletionIn) -> Enrolment:
    identity = routes.identity()
    identity.require(Role.INTEGRATION)
    repo = repository(identity)
    repo.person(completion.person_id)
    return learning.record_course_by_external_id(
        repo,
        store(identity),
        completion.external_id,
        completion.person_id,
        timezones.now(),
        routes.event_context(identity),
    )


@routes.get(
    "/me/team",
    tags=["progress"],
    summary="A line manager's people: their programmes with each stage's state, and the seats they hold",
)
def my_team() -> list[TeamMember]:
    identity = routes.identity()
    identity.require(Role.MANAGER)
    return learning.team(repository(identity), store(identity), ledger(identity), identity.person_id)
