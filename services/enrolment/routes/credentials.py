"""Credentials' routes: your diplomas, revocation, and the public verification anyone may use."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from services.enrolment import credentials
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.contracts.http import CredentialVerification, RevocationIn
from services.enrolment.domain.credentials import Credential
from services.enrolment.routes.access import CredentialCode, store
from services.shared import timezones
from services.shared.errors import NotFound
from services.shared.http import Routes
from services.shared.identity import Role
from services.shared.settings import settings
from services.shared.store import TenantTable

routes = Routes()


@routes.get("/me/credentials", tags=["credentials"], summary="Your credentials (diplomas)")
def my_credentials() -> list[Credential]:
    identity = routes.identity()
    return store(identity).credentials_of(identity.person_id)


@routes.post(
    "/credentials/<code>/revocation",
    tags=["credentials"],
    summary="Revoke a credential, with the reason; verification then shows it as revoked",
)
def revoke_credential(code: CredentialCode, revocation: RevocationIn) -> Credential:
    identity = routes.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return credentials.revoke_credential(store(identity), code, revocation.reason, routes.event_context(identity))


@routes.get(
    "/public/credentials/<tenant_id>/<code>",
    tags=["credentials"],
    summary="Verify a credential: only what is on the diploma, and whether it is valid",
    security=[],
)
def verify_credential(
    tenant_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")],
    code: CredentialCode,
) -> CredentialVerification:
    credential = ProgressStore(TenantTable(settings().table_name, tenant_id)).credential(code)
    if credential is None:
        raise NotFound("No credential with this code.")
    return CredentialVerification.of(credential, timezones.now())
