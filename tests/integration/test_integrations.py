"""A learning portal pushes completions with an identity of its own (client credentials, a scope),
which opens that one route and no other; people's tokens do not open it."""

from typing import Any

from local.seeds import humana_programme
from tests.integration.enrolment import COORDINATOR, call
from tests.support import claims, integration_claims

PORTAL = integration_claims()
COMPLETION = {"external_id": "humana-lms-1", "person_id": "anna"}


def test_only_an_integration_of_the_tenant_pushes_completions(aws: dict[str, Any]) -> None:
    assert (
        call("PUT", "/people/{person_id}", COORDINATOR, {"name": "Anna Ek"}, path_parameters={"person_id": "anna"})[0]
        == 200
    )
    assert call("POST", "/programmes", COORDINATOR, humana_programme())[0] == 201

    status, enrolment = call("POST", "/course-completions", PORTAL, COMPLETION)
    assert (status, enrolment["courses"]) == (200, {"basen": ["kurs-1"]})
    assert enrolment["enrolled_by"] == "humana-learning-portal"  # who did it, in the history
    # a person, whatever their roles, records completions by the coordinator's route, not this one
    assert call("POST", "/course-completions", COORDINATOR, COMPLETION)[0] == 403
    assert call("POST", "/course-completions", claims("admin", "humana", "admin"), COMPLETION)[0] == 403


def test_an_integration_reaches_nothing_but_its_route(aws: dict[str, Any]) -> None:
    status, body = call("GET", "/programmes", PORTAL)
    assert (status, body["error"]["code"]) == (403, "forbidden")
    assert call("GET", "/me/registrations", PORTAL)[0] == 403


def test_a_client_no_tenant_has_is_unauthenticated(aws: dict[str, Any]) -> None:
    stranger = {**PORTAL, "sub": "somebody-else", "client_id": "somebody-else"}
    assert call("POST", "/course-completions", stranger, COMPLETION)[0] == 401
