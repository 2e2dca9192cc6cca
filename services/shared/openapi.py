"""A service's OpenAPI document as its API really answers.

powertools describes each route's success and a 422 in FastAPI's `{"detail": [...]}` shape; this
service answers errors as `ErrorOut` with 400, 403, 404, 409, 415 and 422, and its CSV imports take
`text/csv`. The document says so, so that clients (and the bad-input test) can trust it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, get_origin, get_type_hints

from aws_lambda_powertools.event_handler.api_gateway import Route
from aws_lambda_powertools.event_handler.openapi.models import (
    OAuth2,
    OAuthFlowClientCredentials,
    OAuthFlows,
    SecurityScheme,
)

from services.shared.http import BODY_MEDIA_TYPE, CSV, FORM, JSON, MULTIPART_FORM, ErrorOut, accepted_media_types
from services.shared.wiring import COMPLETIONS_SCOPE, INTEGRATION_SCHEME

if TYPE_CHECKING:
    from services.shared.http import Api

ERRORS = {
    "400": "The body or a cursor could not be read",
    "403": "Your roles do not allow this",
    "404": "It does not exist (in your organisation)",
    "409": "It conflicts with the state it is in",
    "415": "The body is not in the media type this route takes",
    "422": "A field is invalid: `fields` names each one and why",
}
ERRORS_OF_READS = ("400", "403", "404", "422")
WRITES = {"post", "put", "patch", "delete"}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
ONE_CLICK = {"type": "object", "properties": {"List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}}}
BODY_SCHEMAS: dict[str, dict[str, Any]] = {  # of a body a route reads itself
    CSV: {"type": "string"},
    JSON: {"type": "object"},
    FORM: ONE_CLICK,
    MULTIPART_FORM: ONE_CLICK,
}


def openapi_path(rule: str) -> str:
    """`/sessions/<session_id>` -> `/sessions/{session_id}`."""
    return re.sub(r"<(\w+)>", r"{\1}", rule)


def _answers_with_a_status(route: Route) -> bool:
    """A route returning `(body, status)` creates something: 201, the only status routes here return so."""
    try:
        returns = get_type_hints(route.func).get("return")
    except (NameError, TypeError):
        return False
    return get_origin(returns) is tuple


# How a system (a learning portal) calls: OAuth 2.0 client credentials at the user pool's token
# endpoint (locally, the gateway's own `/oauth2/token`), for the routes that declare this scheme.
INTEGRATION: dict[str, SecurityScheme] = {
    INTEGRATION_SCHEME: OAuth2(
        description="A system of the organisation's: an app client with the client-credentials grant",
        flows=OAuthFlows(
            clientCredentials=OAuthFlowClientCredentials(
                tokenUrl="/oauth2/token",
                scopes={COMPLETIONS_SCOPE: "Push course completions from a learning portal"},
            )
        ),
    )
}


def describe(api: Api, version: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        api.app.get_openapi_json_schema(title=api.title, version=version, security_schemes=INTEGRATION)
    )
    routes = {
        (route.method.lower(), openapi_path(route.path)): route
        for route in api.app._static_routes + api.app._dynamic_routes
    }
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for powertools_only in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(powertools_only, None)
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorOut"] = error_schema
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            route = routes.get((method, path))
            if route is None:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            if _answers_with_a_status(route) and "200" in responses:
                responses["201"] = responses.pop("200")
            codes = ERRORS if method in WRITES else {code: ERRORS[code] for code in ERRORS_OF_READS}
            for code, description in codes.items():
                responses[code] = {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
            operation.pop(BODY_MEDIA_TYPE, None)
            media_types = accepted_media_types(route)
            if media_types and media_types != (JSON,):
                content = {media_type: {"schema": BODY_SCHEMAS[media_type]} for media_type in media_types}
                operation["requestBody"] = {"required": CSV in media_types, "content": content}
    return document
