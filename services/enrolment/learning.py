"""Learning: enrolment (with the line manager's approval where asked), progress through the stages, completions
recorded or pushed by a learning portal, and what they complete: stages, the programme, a credential."""

from __future__ import annotations

from datetime import datetime

from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import (
    CredentialIssued,
    EnrolmentApproved,
    EnrolmentDeclined,
    EnrolmentRequested,
    EnrolmentWithdrawn,
    ProgrammeCompleted,
    StageCompleted,
    StageUnlocked,
)
from services.enrolment.contracts.http import ProgressOut, ProgressRow, TeamMember
from services.enrolment.domain import credentials, progress
from services.enrolment.domain.models import (
    ACTIVE,
    Programme,
    Session,
    StageKind,
)
from services.enrolment.domain.progress import Enrolment, EnrolmentStatus, Outcome
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope
from services.shared.errors import Conflict, FieldProblem, Invalid, NotFound
from services.shared.store import Write


def enrol(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme_id: str,
    person_id: str,
    by_self: bool,
    now: datetime,
    context: EventContext,
) -> Enrolment:
    programme = repo.programme(programme_id)
    existing = store.enrolment(person_id, programme_id)
    if existing and existing.status not in (
        EnrolmentStatus.DECLINED,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.EXPIRED,
    ):
        return existing  # enrolling twice changes nothing; a new start only after leaving or expiry
    needs_approval = programme.requires_approval and by_self
    enrolment = Enrolment(
        programme_id=programme_id,
        person_id=person_id,
        version=programme.version,
        status=EnrolmentStatus.REQUESTED if needs_approval else EnrolmentStatus.ACTIVE,
        enrolled_at=now,
        enrolled_by=context.actor,
        revision=existing.revision if existing else 0,
    )
    event: DomainEvent = (
        EnrolmentRequested(programme_id=programme_id, person_id=person_id, version=programme.version)
        if needs_approval
        else EnrolmentApproved(
            programme_id=programme_id, person_id=person_id, version=programme.version, enrolled_by=context.actor
        )
    )
    item = store.enrolment_item(enrolment, existing.revision if existing else None)
    store.save([item], [EventEnvelope.wrap(event, context)])
    return enrolment if existing is None else enrolment.model_copy(update={"revision": existing.revision + 1})


def decide(
    store: ProgressStore, programme_id: str, person_id: str, approve: bool, reason: str | None, context: EventContext
) -> Enrolment:
    """A manager (or coordinator) approves or declines a requested enrolment."""
    enrolment = store.enrolment(person_id, programme_id)
    if enrolment is None or enrolment.status is not EnrolmentStatus.REQUESTED:
        raise Conflict("There is no request waiting for a decision.", [FieldProblem("person_id", "no pending request")])
    if not approve and not reason:
        raise Invalid("Say why the request is declined.", [FieldProblem("reason", "is required to decline")])
    status = EnrolmentStatus.ACTIVE if approve else EnrolmentStatus.DECLINED
    decided = enrolment.model_copy(update={"status": status, "decision_reason": reason})
    event: DomainEvent = (
        EnrolmentApproved(
            programme_id=programme_id, person_id=person_id, version=enrolment.version, enrolled_by=context.actor
        )
        if approve
        else EnrolmentDeclined(
            programme_id=programme_id, person_id=person_id, reason=str(reason), decided_by=context.actor
        )
    )
    store.save([store.enrolment_item(decided, enrolment.revision)], [EventEnvelope.wrap(event, context)])
    return decided.model_copy(update={"revision": enrolment.revision + 1})


def withdraw(store: ProgressStore, programme_id: str, person_id: str, reason: str, context: EventContext) -> Enrolment:
    """Leave a programme; the enrolment and what was done stay, as history."""
    enrolment = store.enrolment(person_id, programme_id)
    if enrolment is None or enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DECLINED):
        raise Conflict(f"{person_id} is not enrolled in {programme_id}.", [FieldProblem("person_id", "not enrolled")])
    withdrawn = enrolment.model_copy(update={"status": EnrolmentStatus.WITHDRAWN, "decision_reason": reason})
    event = EnrolmentWithdrawn(
        programme_id=programme_id, person_id=person_id, reason=reason, withdrawn_by=context.actor
    )
    store.save([store.enrolment_item(withdrawn, enrolment.revision)], [EventEnvelope.wrap(event, context)])
    return withdrawn.model_copy(update={"revision": enrolment.revision + 1})


def enrolment_and_programme(store: ProgressStore, programme_id: str, person_id: str) -> tuple[Enrolment, Programme]:
    enrolment = store.enrolment(person_id, programme_id)
    if enrolment is None:
        raise NotFound(f"{person_id} is not enrolled in {programme_id}.")
    return enrolment, store.programme_version(programme_id, enrolment.version)


def admit_to_session(
    repo: EnrolmentRepository,
    store: ProgressStore,
    session: Session,
    person_id: str,
    now: datetime,
    context: EventContext,
) -> None:
    """A person may take a seat only in a stage open to them; registering enrols them if it may (by
    their own hand, it waits for the manager's approval where the programme asks for it)."""
    enrolment = store.enrolment(person_id, session.programme_id)
    if enrolment is None:
        by_self = person_id == context.actor
        enrolment = enrol(repo, store, session.programme_id, person_id, by_self, now, context)
    programme = store.programme_version(session.programme_id, enrolment.version)
    stage = programme.stage(session.stage_key)
    if stage is None:
        raise NotFound(f"Stage '{session.stage_key}' is not in the version {enrolment.version} you are enrolled under.")
    progress.require_open(programme, enrolment, stage)


def completion_effects(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme: Programme,
    before: Enrolment,
    outcome: Outcome,
    now: datetime,
    context: EventContext,
) -> tuple[list[Write], list[EventEnvelope]]:
    """The writes and events that announce what a recorded completion changed."""
    person_id, programme_id = before.person_id, before.programme_id
    events: list[DomainEvent] = [
        StageCompleted(
            programme_id=programme_id,
            person_id=person_id,
            stage_key=key,
            exempted=outcome.enrolment.stages[key].state is progress.StageState.EXEMPTED,
        )
        for key in outcome.completed_stages
    ]
    for key in outcome.unlocked_stages:
        stage = programme.stage(key)
        assert stage is not None
        events.append(
            StageUnlocked(
                programme_id=programme_id,
                person_id=person_id,
                stage_key=key,
                stage_name=stage.name,
                programme_name=programme.name,
            )
        )
    writes: list[Write] = [store.enrolment_item(outcome.enrolment, before.revision)]
    if outcome.programme_completed:
        events.append(ProgrammeCompleted(programme_id=programme_id, person_id=person_id, version=programme.version))
        holder = repo.person_or_none(person_id)
        number = store.next_credential_number() if programme.credential else 0
        credential = credentials.issue(programme, person_id, holder.name if holder else person_id, number, now)
        if credential:
            writes.extend(store.credential_items(credential))
            events.append(
                CredentialIssued(
                    programme_id=programme_id,
                    person_id=person_id,
                    number=credential.number,
                    verification_code=credential.verification_code,
                    credential_name=credential.credential_name,
                    valid_until=credential.valid_until,
                )
            )
    return writes, [EventEnvelope.wrap(e, context) for e in events]


def record_completion(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme_id: str,
    person_id: str,
    stage_key: str,
    now: datetime,
    context: EventContext,
    course_key: str | None = None,
    exempt_reason: str | None = None,
) -> Enrolment:
    enrolment, programme = enrolment_and_programme(store, programme_id, person_id)
    outcome = progress.record(programme, enrolment, stage_key, now, context.actor, course_key, exempt_reason)
    if outcome.enrolment == enrolment:
        return enrolment  # already recorded: a pushed completion arriving twice changes nothing
    writes, events = completion_effects(repo, store, programme, enrolment, outcome, now, context)
    store.save(writes, events)
    return outcome.enrolment


def record_course_by_external_id(
    repo: EnrolmentRepository,
    store: ProgressStore,
    external_id: str,
    person_id: str,
    now: datetime,
    context: EventContext,
) -> Enrolment:
    """A learning portal pushes a completed course by its own id; it enrols the person if need be,
    since the courses are often taken in the portal before anyone enrols here."""
    programme_id = repo.programme_of_course(external_id)
    if store.enrolment(person_id, programme_id) is None:
        enrol(repo, store, programme_id, person_id, False, now, context)
    enrolment, programme = enrolment_and_programme(store, programme_id, person_id)
    found = programme.course_by_external_id(external_id)
    if found is None:
        raise NotFound(f"Course {external_id} is not in the version {enrolment.version} {person_id} follows.")
    stage, course = found
    return record_completion(repo, store, programme_id, person_id, stage.key, now, context, course_key=course.key)


def team(repo: EnrolmentRepository, store: ProgressStore, ledger: SeatLedger, manager_id: str) -> list[TeamMember]:
    """A line manager's people, by name: each one's programmes with progress, and the seats they hold."""
    people = repo.people(repo.team_of(manager_id))
    # a report link left by two managers set at the same moment is ignored: the profile decides
    members = sorted((p for p in people.values() if p.manager_id == manager_id), key=lambda p: p.name.casefold())
    team = []
    for person in members:
        # a person's needs are for the venue, not their manager
        held = [
            r.model_copy(update={"needs": None})
            for r in ledger.registrations_of(person.person_id)[0]
            if r.status in ACTIVE
        ]
        programmes = []
        for enrolment in store.enrolments_of(person.person_id):
            rules = store.programme_version(enrolment.programme_id, enrolment.version)
            in_progress = frozenset(r.stage_key for r in held if r.programme_id == enrolment.programme_id)
            programmes.append(ProgressOut(enrolment=enrolment, stages=progress.progress(rules, enrolment, in_progress)))
        team.append(TeamMember(person=person, programmes=programmes, registrations=held))
    return team


def programme_progress(
    repo: EnrolmentRepository,
    store: ProgressStore,
    ledger: SeatLedger,
    programme: Programme,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[ProgressRow], str | None]:
    """Everyone enrolled in a programme (a page, or all), with each stage's state under their version."""
    programme_id = programme.programme_id
    enrolments, next_cursor = store.enrolled(programme_id, limit, cursor)
    person_ids = [e.person_id for e in enrolments]
    people = repo.people(person_ids)
    # who holds a seat in each stage taken at sessions: their stage is in progress
    seated = {
        stage.key: ledger.holding_stage(person_ids, programme_id, stage.key)
        for stage in programme.stages
        if stage.kind is not StageKind.E_LEARNING
    }
    rows = []
    for enrolment in enrolments:
        rules = store.programme_version(programme_id, enrolment.version)
        holding = frozenset(key for key, holders in seated.items() if enrolment.person_id in holders)
        person = people.get(enrolment.person_id)
        rows.append(
            ProgressRow(
                person_id=enrolment.person_id,
                name=person.name if person else None,
                unit_id=person.unit_id if person else None,
                status=enrolment.status,
                version=enrolment.version,
                stages={s.key: s.state for s in progress.progress(rules, enrolment, holding)},
            )
        )
    return rows, next_cursor
