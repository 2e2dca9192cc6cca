"""A person's way through a programme: enrolment, stage states, completions. Pure: no AWS here.

Stage states are derived, never stored: only what happened is (a stage completed or exempted, a
course completed), so a change of rules cannot leave a stored state behind.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.enrolment.domain.models import Id, Programme, Stage, StageKind
from services.shared.errors import Conflict, FieldProblem, Invalid


class EnrolmentStatus(StrEnum):
    REQUESTED = "requested"  # waits for the manager's approval
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    EXPIRED = "expired"  # the credential it gave has expired: enrol again to recertify


class StageState(StrEnum):
    LOCKED = "locked"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXEMPTED = "exempted"


DONE = (StageState.COMPLETED, StageState.EXEMPTED)


class StageRecord(BaseModel):
    model_config = ConfigDict(frozen=True)
    state: StageState
    at: datetime
    by: str
    reason: str | None = None


class Enrolment(BaseModel):
    model_config = ConfigDict(frozen=True)
    programme_id: Id
    person_id: Id
    version: int = Field(description="the programme version whose rules apply to this person")
    status: EnrolmentStatus
    enrolled_at: datetime
    enrolled_by: str
    decision_reason: str | None = None
    stages: dict[str, StageRecord] = Field(default_factory=dict, description="completed or exempted stages")
    courses: dict[str, list[str]] = Field(default_factory=dict, description="completed course keys per stage")
    revision: int = 0  # optimistic lock


class StageProgress(BaseModel):
    key: str
    name: str
    kind: StageKind
    required: bool
    state: StageState
    missing_prerequisites: list[str]
    courses_completed: list[str]
    record: StageRecord | None


class MissingPrerequisites(Conflict):
    code = "prerequisites_missing"

    def __init__(self, stage: Stage, missing: list[str]) -> None:
        """`missing`: each prerequisite not done, in words people know (see `describe_missing`)."""
        opens = f"{stage.name} opens when {'this is' if len(missing) == 1 else 'these are'} complete"
        super().__init__(
            f"{opens}: {'; '.join(missing)}.",
            [FieldProblem("path.session_id", f"requires {what}") for what in missing],
        )


def _done(enrolment: Enrolment) -> set[str]:
    return {key for key, record in enrolment.stages.items() if record.state in DONE}


def missing_prerequisites(programme: Programme, enrolment: Enrolment, stage: Stage) -> list[str]:
    done = _done(enrolment)
    return [key for key in stage.requires if key not in done]


def describe_missing(programme: Programme, enrolment: Enrolment, stage: Stage) -> list[str]:
    """Each prerequisite not done by its name, and for an e-learning stage the courses still to do."""
    described = []
    for key in missing_prerequisites(programme, enrolment, stage):
        required = programme.stage(key)
        if required is None:
            continue
        done = set(enrolment.courses.get(key, []))
        to_do = [course.name for course in required.courses if course.key not in done]
        described.append(f"{required.name} (still to do: {', '.join(to_do)})" if to_do else required.name)
    return described


def progress(
    programme: Programme, enrolment: Enrolment, active_stages: frozenset[str] = frozenset()
) -> list[StageProgress]:
    states = []
    for stage in programme.stages:
        record = enrolment.stages.get(stage.key)
        missing = missing_prerequisites(programme, enrolment, stage)
        courses_done = enrolment.courses.get(stage.key, [])
        if record:
            state = record.state
        elif missing:
            state = StageState.LOCKED
        elif courses_done or (stage.key in active_stages and not stage.kind.recurring):
            state = StageState.IN_PROGRESS
        else:
            state = StageState.OPEN
        states.append(
            StageProgress(
                key=stage.key,
                name=stage.name,
                kind=stage.kind,
                required=stage.required,
                state=state,
                missing_prerequisites=missing,
                courses_completed=courses_done,
                record=record,
            )
        )
    return states


def registration_blocker(programme: Programme, enrolment: Enrolment | None, stage: Stage) -> Conflict | None:
    """Why the person may not register for a session of the stage now, or None: it is open to them.

    A recurring stage (a forum, a network) is never done: its occasions stay open, after the rest of
    the programme is completed too."""
    may_attend = (
        (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED) if stage.kind.recurring else (EnrolmentStatus.ACTIVE,)
    )
    if enrolment is None or enrolment.status not in may_attend:
        return Conflict(
            f"Enrol in {programme.name} first (or wait for the approval).",
            [FieldProblem("path.session_id", "no active enrolment in its programme")],
        )
    if stage.key in _done(enrolment) and not stage.kind.recurring:
        return Conflict(f"{stage.name} is already done.", [FieldProblem("path.session_id", "its stage is done")])
    missing = describe_missing(programme, enrolment, stage)
    return MissingPrerequisites(stage, missing) if missing else None


def require_open(programme: Programme, enrolment: Enrolment | None, stage: Stage) -> None:
    """A person may register for a stage's session only while the stage is open to them."""
    blocker = registration_blocker(programme, enrolment, stage)
    if blocker:
        raise blocker


class Outcome(BaseModel):
    """What recording a completion changed: the enrolment after, and what to announce."""

    enrolment: Enrolment
    completed_stages: list[str]
    unlocked_stages: list[str]
    programme_completed: bool


def record(
    programme: Programme,
    enrolment: Enrolment,
    stage_key: str,
    at: datetime,
    by: str,
    course_key: str | None = None,
    exempt_reason: str | None = None,
) -> Outcome:
    """Record a course done, a stage done, or a stage exempted; idempotent for what is already recorded."""
    stage = programme.stage(stage_key)
    if stage is None:
        raise Invalid(f"No stage '{stage_key}'.", [FieldProblem("body.stage_key", "is not a stage of the programme")])
    if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED):
        raise Conflict(f"The enrolment is {enrolment.status.value}.", [FieldProblem("path.person_id", "not enrolled")])
    before = {p.key: p.state for p in progress(programme, enrolment)}
    stages, courses = dict(enrolment.stages), {k: list(v) for k, v in enrolment.courses.items()}
    if course_key is not None:
        if course_key not in {c.key for c in stage.courses}:
            raise Invalid(
                f"No course '{course_key}'.", [FieldProblem("body.course_key", "is not a course of the stage")]
            )
        done = courses.setdefault(stage_key, [])
        if course_key not in done:
            done.append(course_key)
        if stage_key not in stages and set(done) == {c.key for c in stage.courses}:
            stages[stage_key] = StageRecord(state=StageState.COMPLETED, at=at, by=by)
    elif stage_key not in stages:
        state = StageState.EXEMPTED if exempt_reason else StageState.COMPLETED
        stages[stage_key] = StageRecord(state=state, at=at, by=by, reason=exempt_reason)
    finished = all(stages.get(k) for k in programme.required_stages)
    after_enrolment = enrolment.model_copy(
        update={
            "stages": stages,
            "courses": courses,
            "status": EnrolmentStatus.COMPLETED if finished else enrolment.status,
        }
    )
    after = {p.key: p.state for p in progress(programme, after_enrolment)}
    return Outcome(
        enrolment=after_enrolment,
        completed_stages=[k for k in after if after[k] in DONE and before[k] not in DONE],
        unlocked_stages=[k for k in after if before[k] is StageState.LOCKED and after[k] is not StageState.LOCKED],
        programme_completed=finished and enrolment.status is not EnrolmentStatus.COMPLETED,
    )
