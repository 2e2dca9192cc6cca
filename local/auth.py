"""Local tokens, and their check as API Gateway's JWT authorizer does it.

In AWS, Cognito signs ID tokens (RS256) and the HTTP API's JWT authorizer checks the signature,
`iss`, `aud`, `exp` (and `nbf`/`iat` when present). Locally the signer is a shared secret (HS256);
the checks and the claims are the same: `sub`, `custom:tenant_id`, `custom:roles` ("a,b"), `email`.

Systems (a learning portal) get access tokens by the client-credentials grant, as from Cognito's
token endpoint: no `aud`, but `client_id` (which the authorizer checks against its audience), a
`scope`, and `token_use: access`.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from services.shared.identity import ROLES_CLAIM, TENANT_CLAIM
from services.shared.wiring import COMPLETIONS_SCOPE

DEFAULT_SECRET = "ledarlyft-local-only-not-a-secret"  # signs tokens that only this machine accepts
ISSUER = "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_local"
AUDIENCE = "ledarlyft-local-client"
TOKEN_LIFETIME_S = 12 * 3600
_ALGORITHM = "HS256"


class Unauthorized(Exception):
    """Why a request's token was refused; the client sees only API Gateway's 401."""


@dataclass(frozen=True)
class Integration:
    """An app client with the client-credentials grant, acting for one tenant."""

    client_id: str
    client_secret: str
    tenant_id: str
    scopes: tuple[str, ...] = (COMPLETIONS_SCOPE,)


# The demo's learning portal; in AWS an operator creates each integration's app client (see docs).
LOCAL_INTEGRATIONS = (Integration("humana-learning-portal", "local-only-portal-secret", "humana"),)


def integration_clients(integrations: Sequence[Integration] = LOCAL_INTEGRATIONS) -> str:
    """What the functions are told of the integrations (INTEGRATION_CLIENTS): client id -> tenant."""
    return json.dumps({i.client_id: i.tenant_id for i in integrations})


@dataclass(frozen=True)
class TokenAuthority:
    secret: str = DEFAULT_SECRET
    issuer: str = ISSUER
    audience: str = AUDIENCE
    integrations: tuple[Integration, ...] = LOCAL_INTEGRATIONS

    def integration(self, client_id: str, client_secret: str) -> Integration:
        for known in self.integrations:
            if known.client_id == client_id and hmac.compare_digest(known.client_secret, client_secret):
                return known
        raise Unauthorized("unknown client or wrong secret")

    def issue_access_token(self, integration: Integration, scopes: Sequence[str], lifetime_s: int = 3600) -> str:
        now = int(time.time())
        claims = {
            "sub": integration.client_id,
            "client_id": integration.client_id,
            "token_use": "access",
            "scope": " ".join(scopes),
            "iss": self.issuer,
            "iat": now,
            "exp": now + lifetime_s,
        }
        return jwt.encode(claims, self.secret, algorithm=_ALGORITHM)

    def issue(
        self,
        sub: str,
        tenant_id: str,
        roles: Sequence[str],
        email: str | None = None,
        lifetime_s: int = TOKEN_LIFETIME_S,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": sub,
            TENANT_CLAIM: tenant_id,
            ROLES_CLAIM: ",".join(roles),
            "iss": self.issuer,
            "aud": self.audience,
            "token_use": "id",
            "iat": now,
            "exp": now + lifetime_s,
        }
        if email:
            claims["email"] = email
        return jwt.encode(claims, self.secret, algorithm=_ALGORITHM)

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The claims of a valid `Authorization` header value; Unauthorized otherwise."""
        token = _bearer_token(authorization)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.secret,
                algorithms=[_ALGORITHM],
                issuer=self.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(str(error)) from error
        # the audience: an ID token's `aud`, else an access token's `client_id`
        audience = claims.get("aud", claims.get("client_id"))
        if audience not in {self.audience, *(i.client_id for i in self.integrations)}:
            raise Unauthorized("token for another audience")
        return claims


def _bearer_token(authorization: str | None) -> str:
    # API Gateway's authorizer takes the header's value with or without the "Bearer " prefix.
    if not authorization or not authorization.strip():
        raise Unauthorized("no Authorization header")
    scheme, _, rest = authorization.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" and rest.strip() else authorization.strip()


def claims_as_strings(claims: dict[str, Any]) -> dict[str, str]:
    """API Gateway hands the function every claim as a string: numbers as digits, lists as "[a b]"."""
    return {name: _as_string(value) for name, value in claims.items()}


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_as_string(item) for item in value) + "]"
    return str(value)
