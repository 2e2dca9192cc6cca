"""What every enrolment route needs: the adapters of the caller's tenant, path parameters, and who may
do what to whom."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from services.enrolment.adapters.ledger import SeatLedger
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.domain.models import Session
from services.shared.errors import Forbidden
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import TenantTable

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
CredentialCode = Annotated[str, Path(pattern=r"^[A-Z0-9]{10}$")]


def _table(identity: Identity) -> TenantTable:
    return TenantTable(settings().table_name, identity.tenant_id)


def repository(identity: Identity) -> EnrolmentRepository:
    return EnrolmentRepository(_table(identity))


def ledger(identity: Identity) -> SeatLedger:
    return SeatLedger(_table(identity))


def store(identity: Identity) -> ProgressStore:
    return ProgressStore(_table(identity))


def may_run(identity: Identity, session: Session) -> None:
    """A session's own trainers, and coordinators, run it: rosters, attendance, evaluations."""
    if identity.person_id not in session.trainers:
        identity.require(Role.COORDINATOR)


def is_line_manager_of(identity: Identity, person_id: str) -> bool:
    if not identity.has(Role.MANAGER):
        return False
    person = repository(identity).person_or_none(person_id)
    return person is not None and person.manager_id == identity.person_id


def may_see_person(identity: Identity, person_id: str) -> None:
    """Yourself; as coordinator anyone in the tenant; as manager, the people who report to you."""
    if person_id == identity.person_id or identity.has(Role.COORDINATOR) or is_line_manager_of(identity, person_id):
        return
    raise Forbidden("You may see your own progress, and a manager that of the people who report to them.")


def may_decide_for(identity: Identity, person_id: str) -> None:
    if identity.has(Role.COORDINATOR) or is_line_manager_of(identity, person_id):
        return
    raise Forbidden("Only the person's line manager, or a coordinator, decides this.")
