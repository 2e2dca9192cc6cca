"""Check-ins' HTTP entry."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path

from services.checkins.adapters.repository import CheckInRepository
from services.checkins.contracts.events import CheckInCompleted
from services.checkins.domain.models import CheckIn, CheckInRecord
from services.shared.envelope import EventEnvelope
from services.shared.http import Api, Cursor, Limit, PageOut
from services.shared.identity import Identity, Role
from services.shared.settings import settings
from services.shared.store import TenantTable

api = Api("checkins")
app = api.app

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _repository(identity: Identity) -> CheckInRepository:
    return CheckInRepository(TenantTable(settings().table_name, identity.tenant_id))


@app.post("/checkins", tags=["check-ins"], summary="Record a check-in you held with a supervisor")
def post_checkin(record: CheckInRecord) -> tuple[CheckIn, int]:
    identity = api.identity()
    identity.require(Role.MANAGER)
    checkin = CheckIn(manager_id=identity.person_id, **record.model_dump())
    event = CheckInCompleted(
        **checkin.model_dump(
            include={"checkin_id", "person_id", "manager_id", "kind", "focus_area", "held_on", "pulse"}
        ),
        cycle_id=None,
        due_on=checkin.held_on,
        on_time=True,
        ratings=[],
        action_items=0,
    )
    _repository(identity).record(checkin, EventEnvelope.wrap(event, api.event_context(identity)))
    return checkin, 201


@app.get("/people/<person_id>/checkins", tags=["check-ins"], summary="A person's check-ins, newest first")
def person_checkins(person_id: PersonId, limit: Limit = 50, cursor: Cursor = None) -> PageOut[CheckIn]:
    identity = api.identity()
    if person_id != identity.person_id:
        identity.require(Role.MANAGER, Role.COORDINATOR)
    items, next_cursor = _repository(identity).of_person(person_id, limit, cursor)
    return PageOut[CheckIn](items=items, next_cursor=next_cursor)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return api.lambda_handler(event, context)
