"""Target audiences: who is invited when a programme or session is published. Pure: no AWS here.

An audience names roles and units; a unit stands for itself and every unit under it. Only the people
in it who can act on the invitation now are invited: fewer, better notifications.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.enrolment.domain.models import Audience, Person, Programme, Unit
from services.enrolment.domain.progress import Enrolment, EnrolmentStatus, registration_blocker
from services.shared.errors import FieldProblem, Invalid
from services.shared.units import units_within


def require_known_units(audience: Audience, known: Iterable[str], field: str) -> None:
    """An audience may name only units that exist; `field` names the audience in the request."""
    known = set(known)
    unknown = [
        FieldProblem(f"{field}.unit_ids.{n}", "is not a unit of the organisation")
        for n, unit_id in enumerate(audience.unit_ids)
        if unit_id not in known
    ]
    if unknown:
        raise Invalid("The audience names units that do not exist.", unknown)


def members(audience: Audience, people: Iterable[Person], units: list[Unit]) -> list[Person]:
    """The people in the audience who have not left."""
    within = units_within(audience.unit_ids, units) if audience.unit_ids else None
    roles = set(audience.roles)
    return [
        person
        for person in people
        if person.left_on is None
        and (not roles or roles.intersection(person.roles))
        and (within is None or person.unit_id in within)
    ]


def may_enrol(enrolment: Enrolment | None) -> bool:
    """Invited to a programme: those not in it, and those whose credential expired (to recertify)."""
    return enrolment is None or enrolment.status is EnrolmentStatus.EXPIRED


def may_register(rules: Programme, enrolment: Enrolment, stage_key: str) -> bool:
    """Invited to a session: those for whom its stage is open under the rules they follow."""
    stage = rules.stage(stage_key)
    return stage is not None and registration_blocker(rules, enrolment, stage) is None
