"""Check-ins' HTTP routes, split by capability; each module's `router` is included by services.checkins.api.

What every route module shares: the API (for the caller's identity), the stores, the clock, path types.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.checkins.adapters.directory import DirectoryStore
from services.checkins.adapters.repository import CheckInStore
from services.shared.http import Api, is_named, new_id
from services.shared.identity import Identity
from services.shared.settings import settings
from services.shared.store import TenantTable
from services.shared.timezones import in_stockholm, now

api = Api("checkins")

PersonId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResourceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ItemKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


def new_router() -> APIGatewayHttpRouter:
    """A capability's routes, included by the API."""
    return APIGatewayHttpRouter()  # type: ignore[no-untyped-call]


def stores(identity: Identity) -> tuple[CheckInStore, DirectoryStore]:
    table = TenantTable(settings().table_name, identity.tenant_id)
    return CheckInStore(table), DirectoryStore(table)


def request_id(part: str = "") -> str:
    """An id for what the request makes: from the client's Idempotency-Key when it names the request."""
    return new_id(api.app.current_event.raw_event, part)


def named() -> bool:
    """Whether the client named the request (and may be retrying it)."""
    return is_named(api.app.current_event.raw_event)


def moment() -> datetime:
    return now()


def today() -> date:
    """Today by Stockholm's calendar: due dates are Stockholm days."""
    return in_stockholm(now()).date()
