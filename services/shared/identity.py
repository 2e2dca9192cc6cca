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


def _integration(claims: dict[str, Any]) -> Identity:
    """A system's access token (the client-credentials grant): its app client acts for one tenant."""
    from services.shared.settings import settings

    client_id = str(claims.get("client_id"))
    tenant_id = settings().integration_clients.get(client_id)
    if not tenant_id:
        raise Unauthenticated("This client is not an integration of any organisation.")
    return Identity(person_id=client_id, tenant_id=tenant_id, roles=frozenset({Role.INTEGRATION}))


def _claims(event: dict[str, Any]) -> dict[str, Any]:
    return event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims") or {}


def is_integration(event: dict[str, Any]) -> bool:
    """Whether a system calls, with an access token of its own (not a person's ID token)."""
    claims = _claims(event)
    return claims.get("token_use") == "access" and bool(claims.get("client_id")) and not claims.get(TENANT_CLAIM)


def identity_from_event(event: dict[str, Any]) -> Identity:
    claims = _claims(event)
    if is_integration(event):
        return _integration(claims)
    person_id, tenant_id = claims.get("sub"), claims.get(TENANT_CLAIM)
    if not person_id or not tenant_id or "#" in str(tenant_id):
        raise Unauthenticated("A verified token with a person and a tenant is required.")
    return Identity(person_id=str(person_id), tenant_id=str(tenant_id), roles=_roles(claims.get(ROLES_CLAIM)))
