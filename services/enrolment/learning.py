"""Learning: enrolment (with the line manager's approval where asked), progress through the stages, completions
recorded or pushed by a learning portal, and what they complete: stages, the programme, a credential."""

from __future__ import annotations

from dataclasses import dataclass
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
from services.enrolment.domain.errors import NotEnrolled
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


@dataclass(frozen=True)
class Joining:
    """A person's enrolment in a programme: the one they have, or a new one not written yet, so that it
    commits with what the request does next (a seat, a completion) or not at all."""

    enrolment: Enrolment
    new: bool = False
    expected_revision: int | None = None  # what a new enrolment is written over: nothing, or an ended one
    event: EventEnvelope | None = None

    def writes(self, store: ProgressStore, enrolment: Enrolment | None = None) -> list[Write]:
        """The new enrolment's item (as `enrolment`, when the request changed it further)."""
        return [store.enrolment_item(enrolment or self.enrolment, self.expected_revision)] if self.new else []

    def events(self) -> list[EventEnvelope]:
        return [self.event] if self.event else []


def joining(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme_id: str,
    person_id: str,
    by_self: bool,
    now: datetime,
    context: EventContext,
) -> Joining:
    """The person's enrolment, or the one enrolling them would make (by their own hand it waits for the
    manager's approval where the programme asks for it). Enrolling twice changes nothing; a new start
    comes only after leaving, a decline or an expired credential."""
    programme = repo.programme(programme_id)
    existing = store.enrolment(person_id, programme_id)
    if existing and existing.status not in (
        EnrolmentStatus.DECLINED,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.EXPIRED,
    ):
        return Joining(existing)
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
    expected = existing.revision if existing else None
    return Joining(enrolment, new=True, expected_revision=expected, event=EventEnvelope.wrap(event, context))


def enrol(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme_id: str,
    person_id: str,
    by_self: bool,
    now: datetime,
    context: EventContext,
) -> Enrolment:
    joined = joining(repo, store, programme_id, person_id, by_self, now, context)
    if not joined.new:
        return joined.enrolment
    store.save(joined.writes(store), joined.events())
    enrolment = joined.enrolment
    return (
        enrolment
        if joined.expected_revision is None
        else enrolment.model_copy(update={"revision": enrolment.revision + 1})
    )


def decide(
    store: ProgressStore, programme_id: str, person_id: str, approve: bool, reason: str | None, context: EventContext
) -> Enrolment:
    """A manager (or coordinator) approves or declines a requested enrolment."""
    enrolment = store.enrolment(person_id, programme_id)
    if enrolment is None:
        raise NotEnrolled(person_id, programme_id)
    if enrolment.status is not EnrolmentStatus.REQUESTED:
        raise Conflict(
            f"There is no request waiting for a decision: the enrolment is {enrolment.status.value}.",
            [FieldProblem("path.person_id", "no pending request")],
        )
    if not approve and not reason:
        raise Invalid("Say why the request is declined.", [FieldProblem("body.reason", "is required to decline")])
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
    if enrolment is None:
        raise NotEnrolled(person_id, programme_id)
    if enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DECLINED):
        raise Conflict(
            f"{person_id} has left {programme_id} already ({enrolment.status.value}).",
            [FieldProblem("path.person_id", "not enrolled")],
        )
    withdrawn = enrolment.model_copy(update={"status": EnrolmentStatus.WITHDRAWN, "decision_reason": reason})
    event = EnrolmentWithdrawn(
        programme_id=programme_id, person_id=person_id, reason=reason, withdrawn_by=context.actor
    )
    store.save([store.enrolment_item(withdrawn, enrolment.revision)], [EventEnvelope.wrap(event, context)])
    return withdrawn.model_copy(update={"revision": enrolment.revision + 1})


def enrolment_and_programme(store: ProgressStore, programme_id: str, person_id: str) -> tuple[Enrolment, Programme]:
    enrolment = store.enrolment(person_id, programme_id)
    if enrolment is None:
        raise NotEnrolled(person_id, programme_id)
    return enrolment, store.programme_version(programme_id, enrolment.version)


def admit_to_session(
    repo: EnrolmentRepository,
    store: ProgressStore,
    session: Session,
    person_id: str,
    now: datetime,
    context: EventContext,
) -> Joining:
    """A person may take a seat only in a stage open to them; registering enrols them if it may (by
    their own hand, it waits for the manager's approval where the programme asks for it). The new
    enrolment is the registration's to commit: refused, nothing is written."""
    joined = joining(repo, store, session.programme_id, person_id, person_id == context.actor, now, context)
    enrolment = joined.enrolment
    programme = store.programme_version(session.programme_id, enrolment.version)
    stage = programme.stage(session.stage_key)
    if stage is None:
        raise NotFound(
            f"Stage '{session.stage_key}' is not in the version {enrolment.version} of the programme "
            f"{'you are' if person_id == context.actor else person_id + ' is'} enrolled under.",
            [FieldProblem("path.session_id", "its stage is not in that version")],
        )
    progress.require_open(programme, enrolment, stage)
    return joined


def completion_effects(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme: Programme,
    before: Enrolment,
    outcome: Outcome,
    now: datetime,
    context: EventContext,
    joined: Joining | None = None,
) -> tuple[list[Write], list[EventEnvelope]]:
    """The writes and events that announce what a recorded completion changed (with the enrolment it
    makes, when the person was not enrolled yet)."""
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
    if joined and joined.new:
        writes = joined.writes(store, outcome.enrolment)
        events_before = joined.events()
    else:
        writes, events_before = [store.enrolment_item(outcome.enrolment, before.revision)], []
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
    return writes, [*events_before, *(EventEnvelope.wrap(e, context) for e in events)]


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
    joined: Joining | None = None,
) -> Enrolment:
    """Record a course or stage done (or exempted); with `joined`, in the enrolment it makes."""
    if joined is None:
        enrolment, programme = enrolment_and_programme(store, programme_id, person_id)
    else:
        enrolment = joined.enrolment
        programme = store.programme_version(programme_id, enrolment.version)
    outcome = progress.record(programme, enrolment, stage_key, now, context.actor, course_key, exempt_reason)
    if outcome.enrolment == enrolment and not (joined and joined.new):
        return enrolment  # already recorded: a pushed completion arriving twice changes nothing
    writes, events = completion_effects(repo, store, programme, enrolment, outcome, now, context, joined)
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
    joined = joining(repo, store, programme_id, person_id, False, now, context)
    version = joined.enrolment.version
    found = store.programme_version(programme_id, version).course_by_external_id(external_id)
    if found is None:
        raise NotFound(
            f"Course {external_id} is not in the version {version} {person_id} follows.",
            [FieldProblem("body.external_id", "not a course of the person's version")],
        )
    stage, course = found
    return record_completion(
        repo, store, programme_id, person_id, stage.key, now, context, course_key=course.key, joined=joined
    )


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
        if stage.kind is not StageKind.E_LEARNING and not stage.kind.recurring
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
