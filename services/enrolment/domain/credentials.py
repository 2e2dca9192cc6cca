"""Credentials (diplomas): numbered, verifiable, optionally expiring. Pure: no AWS here."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.enrolment.domain.models import Programme

# No 0/O or 1/I/L: a code is read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class CredentialStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Credential(BaseModel):
    model_config = ConfigDict(frozen=True)
    number: int
    verification_code: str
    person_id: str
    holder_name: str
    credential_name: str
    programme_id: str
    programme_name: str
    programme_version: int
    issued_at: datetime
    valid_until: datetime | None = None
    revoked_reason: str | None = None

    def status(self, moment: datetime) -> CredentialStatus:
        if self.revoked_reason:
            return CredentialStatus.REVOKED
        if self.valid_until and moment >= self.valid_until:
            return CredentialStatus.EXPIRED
        return CredentialStatus.VALID


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(
        moment.day,
        [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
            month - 1
        ],
    )
    return moment.replace(year=year, month=month, day=day)


def issue(programme: Programme, person_id: str, holder_name: str, number: int, at: datetime) -> Credential | None:
    spec = programme.credential
    if spec is None:
        return None
    return Credential(
        number=number,
        verification_code=new_code(),
        person_id=person_id,
        holder_name=holder_name,
        credential_name=spec.name,
        programme_id=programme.programme_id,
        programme_name=programme.name,
        programme_version=programme.version,
        issued_at=at,
        valid_until=add_months(at, spec.validity_months) if spec.validity_months else None,
    )


NOTICE_DAYS = (90, 30)


def notices_due(credential: Credential, moment: datetime, sent: set[str]) -> list[str]:
    """Which of 'notice-90', 'notice-30', 'expired' are due and not yet sent; a missed earlier notice is
    skipped when a later one is due, so nobody gets two at once."""
    if credential.valid_until is None or credential.revoked_reason:
        return []
    if moment >= credential.valid_until:
        return [] if "expired" in sent else ["expired"]
    for days in sorted(NOTICE_DAYS):
        if moment >= credential.valid_until - timedelta(days=days):
            name = f"notice-{days}"
            return [] if name in sent else [name]
    return []
