"""Enrolment's HTTP models beyond the domain's own: what clients get back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from services.enrolment.domain.credentials import Credential, CredentialStatus
from services.enrolment.domain.models import (
    Attendance,
    Audience,
    Evaluation,
    Id,
    Key,
    Needs,
    Person,
    Registration,
    Session,
)
from services.enrolment.domain.progress import Enrolment, EnrolmentStatus, StageProgress, StageState
from services.shared.timezones import in_stockholm


class SessionChange(BaseModel):
    """Only the fields given change; times without an offset are Stockholm time."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    location: Annotated[str, Field(max_length=300)] | None = None
    video_url: Annotated[str, Field(pattern=r"^https://\S+$", max_length=2000)] | None = None

    def changes(self) -> dict[str, object]:
        return self.model_dump(exclude_unset=True)


class SessionCancellation(BaseModel):
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class SessionOut(Session):
    confirmed: int = Field(description="seats taken, offers still open included")
    seats_left: int
    waiting: int
    offers_open: int
    starts_at_local: datetime
    ends_at_local: datetime

    @classmethod
    def of(cls, session: Session, counters: dict[str, int]) -> SessionOut:
        return cls(
            **session.model_dump(),
            confirmed=counters["confirmed"],
            waiting=counters["waiting"],
            offers_open=counters["offers_open"],
            seats_left=max(session.capacity - counters["confirmed"], 0),
            starts_at_local=in_stockholm(session.starts_at),
            ends_at_local=in_stockholm(session.ends_at),
        )


class EnrolmentIn(BaseModel):
    person_id: Id | None = Field(default=None, description="whom to enrol; yourself when left out")


class InvitationIn(BaseModel):
    audience: Audience | None = Field(default=None, description="none: the session's, else the programme's")
    note: Annotated[str, Field(min_length=1, max_length=2000)] | None = Field(
        default=None, description="a few words from the coordinator, added to the invitation"
    )


class InvitationsOut(BaseModel):
    invited: int = Field(description="people invited: those of the audience who can act on it now")


class RevocationIn(BaseModel):
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class DepartureIn(BaseModel):
    left_on: date


class DecisionIn(BaseModel):
    approve: bool
    reason: Annotated[str, Field(min_length=3, max_length=500)] | None = Field(
        default=None, description="required when declining"
    )


class WithdrawalIn(BaseModel):
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class ProgressOut(BaseModel):
    enrolment: Enrolment
    stages: list[StageProgress]


class ProgressRow(BaseModel):
    """One enrolled person's way through a programme, a stage's state under each stage key."""

    person_id: str
    name: str | None = Field(description="none: not in the directory")
    unit_id: str | None
    status: EnrolmentStatus
    version: int
    stages: dict[str, StageState]


def progress_csv(stage_keys: list[str], rows: list[ProgressRow]) -> str:
    """The rows as CSV for a spreadsheet: a column per stage of the current version."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["person_id", "name", "unit_id", "status", "version", *stage_keys])
    for row in rows:
        states = [row.stages[key].value if key in row.stages else "" for key in stage_keys]
        writer.writerow([row.person_id, row.name or "", row.unit_id or "", row.status.value, row.version, *states])
    return out.getvalue()


class NeedsIn(BaseModel):
    needs: Needs | None = Field(description="none: no needs (any noted before are removed)")


class Catering(BaseModel):
    """For the venue and the caterer: how many, and their needs, without names."""

    confirmed: int
    needs: list[str]


class MyRegistration(Registration):
    place_in_line: int | None = Field(description="while waitlisted: 1 when next in line")


class TeamMember(BaseModel):
    """One of a manager's people: their programmes with progress, and the seats they hold or wait for."""

    person: Person
    programmes: list[ProgressOut]
    registrations: list[Registration] = Field(description="confirmed, offered or waitlisted, by session start")


class CompletionIn(BaseModel):
    stage_key: Key
    course_key: Key | None = Field(default=None, description="one course of an e-learning stage")
    exempt_reason: Annotated[str, Field(min_length=3, max_length=500)] | None = Field(
        default=None, description="exempt the stage instead of completing it, and say why"
    )


class CourseCompletionIn(BaseModel):
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    person_id: Id


class AttendanceMark(BaseModel):
    person_id: Id
    attendance: Attendance


class AttendanceIn(BaseModel):
    marks: Annotated[list[AttendanceMark], Field(min_length=1, max_length=500)]


class CredentialVerification(BaseModel):
    """Only what is printed on the diploma, and whether it holds today."""

    number: int
    holder_name: str
    credential_name: str
    programme_name: str
    issued_at: datetime
    valid_until: datetime | None
    status: CredentialStatus

    @classmethod
    def of(cls, credential: Credential, moment: datetime) -> CredentialVerification:
        return cls(
            **credential.model_dump(include=set(cls.model_fields) - {"status"}), status=credential.status(moment)
        )


class EvaluationResults(BaseModel):
    count: int
    average: float | None
    distribution: dict[int, int] = Field(description="how many gave each rating, 1 to 5")
    comments: list[str] = Field(description="unsigned")

    @classmethod
    def of(cls, evaluations: list[Evaluation]) -> EvaluationResults:
        ratings = [e.rating for e in evaluations]
        return cls(
            count=len(ratings),
            average=round(sum(ratings) / len(ratings), 2) if ratings else None,
            distribution={n: ratings.count(n) for n in range(1, 6)},
            comments=[e.comment for e in evaluations if e.comment],
        )


class SessionEvaluations(BaseModel):
    """One session's ratings, without the comments (those are read per session)."""

    session_id: str
    stage_key: str
    stage_name: str
    starts_at: datetime
    count: int
    average: float | None
    distribution: dict[int, int]


class ProgrammeEvaluations(BaseModel):
    """Every session of a programme rated so far, and all their ratings together."""

    overall: EvaluationResults
    sessions: list[SessionEvaluations]

    @classmethod
    def of(cls, rated: list[tuple[Session, list[Evaluation]]]) -> ProgrammeEvaluations:
        sessions = []
        for session, evaluations in rated:
            results = EvaluationResults.of(evaluations)
            sessions.append(
                SessionEvaluations(
                    **session.model_dump(include={"session_id", "stage_key", "stage_name", "starts_at"}),
                    **results.model_dump(include={"count", "average", "distribution"}),
                )
            )
        everything = [evaluation for _, evaluations in rated for evaluation in evaluations]
        return cls(overall=EvaluationResults.of(everything).model_copy(update={"comments": []}), sessions=sessions)


class AttendanceCode(BaseModel):
    code: str
    url: str = Field(description="for a QR code: opens the app's attendance page with the code filled in")
    rotates_at: datetime
    accepted_from: datetime
    accepted_until: datetime


class AttendanceCodeIn(BaseModel):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{6}$")]
