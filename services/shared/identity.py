"""The verified identity of a request, read from the claims API Gateway's JWT authorizer passes on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.shared.errors import Forbidden, Unauthenticated

TENANT_CLAIM = "custom:tenant_id"
ROLES_CLAIM = "custom:roles"


class Role(StrEnum):
    PARTICIPANT = "participant"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    TRAINER = "trainer"
    BOARD = "board"
    ADMIN = "admin"
    INTEGRATION = "integration"  # a system of the tenant's (a learning portal), not a person


@dataclass(frozen=True)
class Identity:
    person_id: str
    tenant_id: str
    roles: frozenset[Role]

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def require(self, *roles: Role) -> None:
        if not self.has(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(sorted(roles))}.")

    @property
    def actor(self) -> str:
        return self.person_id


_ROLE_NAMES = frozenset(r.value for r in Role)


def _roles(raw: Any) -> frozenset[Role]:
    # API Gateway passes a list claim as a string "[a b]"; Cognito's custom attribute is "a,b".
    names = raw if isinstance(raw, list) else str(raw or "").strip("[]").replace(",", " ").split()
    return frozenset(Role(n) for n in names if n in _ROLE_NAMES)


def identity_from_event(event: dict[str, Any]) -> Identity:
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims") or {}
    person_id, tenant_id = claims.get("sub"), claims.get(TENANT_CLAIM)
    if not person_id or not tenant_id or "#" in str(tenant_id):
        raise Unauthenticated("A verified token with a person and a tenant is required.")
    return Identity(person_id=str(person_id), tenant_id=str(tenant_id), roles=_roles(claims.get(ROLES_CLAIM)))
