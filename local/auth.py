"""Local tokens, and their check as API Gateway's JWT authorizer does it.

In AWS, Cognito signs ID tokens (RS256) and the HTTP API's JWT authorizer checks the signature,
`iss`, `aud`, `exp` (and `nbf`/`iat` when present). Locally the signer is a shared secret (HS256);
the checks and the claims are the same: `sub`, `custom:tenant_id`, `custom:roles` ("a,b"), `email`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from services.shared.identity import ROLES_CLAIM, TENANT_CLAIM

DEFAULT_SECRET = "ledarlyft-local-only-not-a-secret"  # signs tokens that only this machine accepts
ISSUER = "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_local"
AUDIENCE = "ledarlyft-local-client"
TOKEN_LIFETIME_S = 12 * 3600
_ALGORITHM = "HS256"


class Unauthorized(Exception):
    """Why a request's token was refused; the client sees only API Gateway's 401."""


@dataclass(frozen=True)
class TokenAuthority:
    secret: str = DEFAULT_SECRET
    issuer: str = ISSUER
    audience: str = AUDIENCE

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
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(str(error)) from error
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
