from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from services.shared.errors import Conflict, FieldProblem, NotFound

if TYPE_CHECKING:
    from services.enrolment.domain.models import Session


class SessionFull(Conflict):
    code = "session_full"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} is full: every seat is taken.")


class AlreadyInStage(Conflict):
    code = "already_registered"

    def __init__(self) -> None:
        super().__init__("This person already has an active registration for this stage.")


class SessionClosed(Conflict):
    code = "session_closed"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} has started or was cancelled: registrations are closed.")


class NoOpenOffer(Conflict):
    code = "no_open_offer"

    def __init__(self) -> None:
        super().__init__("There is no open offer of a seat for this person: it was claimed, or it expired.")


class NotRegistered(Conflict):
    code = "not_registered"

    def __init__(self) -> None:
        super().__init__("This person's registration for this session has ended (cancelled, or an offer lapsed).")


class NoRegistration(NotFound):
    def __init__(self, person_id: str) -> None:
        super().__init__(
            f"{person_id} has no registration for this session.", [FieldProblem("path.person_id", "not registered")]
        )


class NotEnrolled(NotFound):
    def __init__(self, person_id: str, programme_id: str) -> None:
        super().__init__(
            f"{person_id} is not enrolled in {programme_id}.", [FieldProblem("path.person_id", "not enrolled")]
        )


class AttendanceNotOpen(Conflict):
    code = "attendance_not_open"

    def __init__(self, opens: datetime) -> None:
        super().__init__(
            f"Attendance can be marked from {opens.isoformat()}, shortly before the session starts.",
            [FieldProblem("path.session_id", "has not started yet")],
        )


class CapacityBelowTaken(Conflict):
    code = "capacity_below_taken"

    def __init__(self, taken: int) -> None:
        super().__init__(
            f"{taken} seats are taken: the capacity cannot go below that; cancel registrations first.",
            [FieldProblem("capacity", f"is below the {taken} seats taken")],
        )


class RegistrationNotOpen(Conflict):
    code = "registration_not_open"

    def __init__(self, session: Session) -> None:
        opens, closes = session.registration_opens_at, session.registration_closes_at
        window = f"from {opens.isoformat() if opens else 'now'} until {(closes or session.starts_at).isoformat()}"
        super().__init__(f"Registration for this session is open {window}.")


class NotAttended(Conflict):
    code = "not_attended"

    def __init__(self) -> None:
        super().__init__("Only someone who attended the session can evaluate it, once.")
