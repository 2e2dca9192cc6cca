"""App-level choices: where it deploys, and the public-route exception of the HTTP API."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks

from infra.app import deployment_region
from infra.components.api import ServiceApi
from infra.components.functions import ServiceRuntime
from infra.components.table import ServiceTable
from services.shared.wiring import Route, TableSpec

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def test_the_region_defaults_to_stockholm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)

    assert deployment_region(App()) == "eu-north-1"


def test_the_environment_region_applies_without_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-1")

    assert deployment_region(App()) == "eu-west-1"


def test_the_context_region_wins_over_the_cli_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_REGION", "us-east-1")

    assert deployment_region(App(context={"region": "eu-central-1"})) == "eu-central-1"


def test_a_public_route_has_no_authorizer_and_is_acknowledged() -> None:
    """No service declares a /public/ route yet; this proves the exception with one of its own."""
    stack = Stack(App(), "PublicRoute")
    ServiceApi(
        stack,
        "Api",
        handler="services.example.api.lambda_handler",
        routes=(Route("GET", "/public/credentials/{credential_id}"), Route("GET", "/reports")),
        runtime=ServiceRuntime(
            code=lambda_.Code.from_inline("def lambda_handler(event, context): pass"),
            layer=lambda_.LayerVersion.from_layer_version_arn(
                stack, "Layer", "arn:aws:lambda:eu-north-1:123456789012:layer:dependencies:1"
            ),
            environment={},
        ),
        table=ServiceTable(stack, "Table", spec=TableSpec()),
        http_api=apigwv2.HttpApi(stack, "HttpApi", create_default_stage=False),
        authorizer_id="authorizer",
    )
    routes = {
        route["Properties"]["RouteKey"]: route["Properties"]
        for route in Template.from_stack(stack).find_resources("AWS::ApiGatewayV2::Route").values()
    }
    findings = [v.rule_name for v in AwsSolutionsChecks().validate_scope(stack).violations]

    assert routes["GET /public/credentials/{credential_id}"]["AuthorizationType"] == "NONE"
    assert "AuthorizerId" not in routes["GET /public/credentials/{credential_id}"]
    assert routes["GET /reports"]["AuthorizationType"] == "JWT"
    assert routes["GET /reports"]["AuthorizerId"] == "authorizer"
    assert "AwsSolutions-APIG4" not in findings
