"""Who may see and do what. Pure: decided from the caller, the person and the check-in.

- A person: their own check-ins, and the notes shared with them.
- Their line manager (as the directory has it now): their people's check-ins, answers included.
- The one who holds a check-in (the line manager, or a mentor for a follow-up): that check-in.
- Coordinators and admins: the schedule and the completion figures; never a note, an answer, a rating,
  a talking point or an action item's wording.
- Board viewers: nothing here; they read reports.
Notes are their author's, and the other party's when shared: never a third person's, whoever they are.
"""

from __future__ import annotations

from services.checkins.domain.models import CheckIn
from services.checkins.domain.people import Person
from services.shared.errors import FieldProblem, Forbidden, NotFound
from services.shared.identity import Identity, Role

OVERSEERS = (Role.COORDINATOR, Role.ADMIN)


def is_line_manager(identity: Identity, person: Person | None) -> bool:
    return identity.has(Role.MANAGER) and person is not None and person.manager_id == identity.person_id


def may_read_conversation(identity: Identity, person: Person | None, checkin: CheckIn) -> bool:
    """The check-in as it was held: answers, ratings, talking points, action items."""
    return identity.person_id in checkin.parties() or is_line_manager(identity, person)


def require_conversation(identity: Identity, person: Person | None, checkin: CheckIn) -> None:
    if not may_read_conversation(identity, person, checkin):
        raise Forbidden("Only the two in a check-in, and the person's line manager, see what was said.")


def require_party(identity: Identity, checkin: CheckIn) -> None:
    """Talking points, notes and booking a time: the two in the conversation."""
    if identity.person_id not in checkin.parties():
        raise Forbidden("Only the two in the check-in may do this.")


def require_holder(identity: Identity, checkin: CheckIn) -> None:
    if identity.person_id != checkin.manager_id:
        raise Forbidden("Only the one who holds the check-in records it.")


def may_list(identity: Identity, person: Person | None, person_id: str) -> bool:
    """A person's check-ins as a list (dates and states, nothing said in them)."""
    return identity.person_id == person_id or identity.has(*OVERSEERS) or is_line_manager(identity, person)


def require_listing(identity: Identity, person: Person | None, person_id: str, what: str) -> None:
    """As `may_list`; and to one who may list anyone's, a person check-ins was never told of is not
    there (an empty list would answer a question about anyone, in any organisation). Refused first, so
    that the answer tells nobody else who exists."""
    if not may_list(identity, person, person_id):
        raise Forbidden(f"You may see your own {what}, and a line manager those of their people.")
    if person is None and person_id != identity.person_id:
        raise NotFound(f"Check-ins has not been told of {person_id}.", [FieldProblem("path.person_id", "unknown")])


def require_overseer(identity: Identity) -> None:
    identity.require(*OVERSEERS)
