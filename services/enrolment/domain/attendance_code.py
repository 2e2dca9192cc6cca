"""Self-registered attendance: a short code shown in the room (or as a QR code) that rotates every few minutes and
is accepted only in a window around the session. Pure: no AWS here."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from services.enrolment.domain.models import Attendance, Session

ROTATION = timedelta(minutes=5)
CLOSES_AFTER = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_secret() -> str:
    return secrets.token_hex(16)


def window(session: Session) -> tuple[datetime, datetime]:
    return session.attendance_opens_at, session.ends_at + CLOSES_AFTER


def _code(secret: str, slot: int) -> str:
    digest = hmac.new(secret.encode(), str(slot).encode(), hashlib.sha256).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:6])


def _slot(moment: datetime) -> int:
    return int(moment.timestamp() // ROTATION.total_seconds())


def current_code(secret: str, moment: datetime) -> tuple[str, datetime]:
    """The code now, and when it rotates."""
    slot = _slot(moment)
    rotates = datetime.fromtimestamp((slot + 1) * ROTATION.total_seconds(), tz=moment.tzinfo)
    return _code(secret, slot), rotates


def accepts(session: Session, secret: str, code: str, moment: datetime) -> bool:
    """The code of now or of the slot before (someone typing as it rotates), inside the window."""
    opens, closes = window(session)
    if not opens <= moment <= closes:
        return False
    slot = _slot(moment)
    return any(hmac.compare_digest(code.upper(), _code(secret, s)) for s in (slot, slot - 1))


def attendance_at(session: Session, moment: datetime) -> Attendance:
    return Attendance.LATE if moment > session.starts_at + LATE_AFTER else Attendance.PRESENT
