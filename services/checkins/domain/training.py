"""A person's training status, shown inside a check-in: kept from enrolment's events. Pure.

Each fact is stored as it arrives (a stage done, a credential issued, expiring, expired, revoked), in
whatever order the bus delivers them; the status is derived from the facts when it is read.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ProgrammeNames(BaseModel):
    """A published version of a programme: its name and its stages', in order."""

    model_config = ConfigDict(frozen=True)
    programme_id: str
    version: int
    name: str
    stages: list[tuple[str, str]] = Field(description="(key, name) of each stage, in order")


class ProgrammeFacts(BaseModel):
    model_config = ConfigDict(frozen=True)
    programme_id: str
    version: int | None = None
    stages_completed: set[str] = Field(default_factory=set)
    stages_exempted: set[str] = Field(default_factory=set)
    completed: bool = False


class CredentialFacts(BaseModel):
    model_config = ConfigDict(frozen=True)
    programme_id: str
    number: int
    name: str | None = None
    valid_until: datetime | None = None
    days_left: int | None = None
    expired: bool = False
    revoked: bool = False


class StageStatus(BaseModel):
    key: str
    name: str
    done: bool
    exempted: bool


class CredentialState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


class CredentialStatus(BaseModel):
    number: int
    name: str | None
    valid_until: datetime | None
    state: CredentialState


class ProgrammeStatus(BaseModel):
    programme_id: str
    name: str
    completed: bool
    stages: list[StageStatus]
    credentials: list[CredentialStatus]


def _credential(facts: CredentialFacts) -> CredentialStatus:
    state = (
        CredentialState.REVOKED
        if facts.revoked
        else CredentialState.EXPIRED
        if facts.expired
        else CredentialState.EXPIRING
        if facts.days_left is not None
        else CredentialState.VALID
    )
    return CredentialStatus(number=facts.number, name=facts.name, valid_until=facts.valid_until, state=state)


def status(
    programmes: list[ProgrammeFacts], credentials: list[CredentialFacts], names: dict[tuple[str, int], ProgrammeNames]
) -> list[ProgrammeStatus]:
    """Each programme the person is in, with its stages done, and its credentials."""
    found = []
    for facts in sorted(programmes, key=lambda p: p.programme_id):
        known = names.get((facts.programme_id, facts.version or 0))
        done = facts.stages_completed | facts.stages_exempted
        stages = [(key, name) for key, name in known.stages] if known else [(key, key) for key in sorted(done)]
        found.append(
            ProgrammeStatus(
                programme_id=facts.programme_id,
                name=known.name if known else facts.programme_id,
                completed=facts.completed,
                stages=[
                    StageStatus(key=key, name=name, done=key in done, exempted=key in facts.stages_exempted)
                    for key, name in stages
                ],
                credentials=[
                    _credential(c)
                    for c in sorted(credentials, key=lambda c: c.number)
                    if c.programme_id == facts.programme_id
                ],
            )
        )
    return found
