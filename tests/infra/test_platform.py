"""The platform stack: the bus and its archive, the user pool, the HTTP API, the alarm topic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra.settings import API_BURST_LIMIT, API_RATE_LIMIT, APP_ORIGINS, EVENT_BUS_NAME
from services.shared.wiring import COMPLETIONS_SCOPE
from tests.infra.conftest import Synthesised
from tests.infra.templates import logical_id, properties, resources

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]


def test_the_bus_is_archived_for_a_year(synthesised: Synthesised) -> None:
    template = synthesised.platform_template()
    (bus_id,) = resources(template, "AWS::Events::EventBus")
    (archive,) = properties(template, "AWS::Events::Archive")

    assert template["Resources"][bus_id]["Properties"]["Name"] == EVENT_BUS_NAME
    assert logical_id(archive["SourceArn"]) == bus_id
    assert archive["RetentionDays"] == 365
    assert archive["EventPattern"] == {"account": [{"Ref": "AWS::AccountId"}]}  # everything on the bus


def test_users_carry_an_immutable_tenant_and_their_roles(synthesised: Synthesised) -> None:
    (pool,) = properties(synthesised.platform_template(), "AWS::Cognito::UserPool")
    custom = {attribute["Name"]: attribute for attribute in pool["Schema"] if "AttributeDataType" in attribute}

    assert custom["tenant_id"]["Mutable"] is False
    assert custom["roles"]["Mutable"] is True
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 12,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "RequireUppercase": True,
        "TemporaryPasswordValidityDays": 3,
    }


def _clients(synthesised: Synthesised) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """(id, properties) of the web client and of the one integration the tests configure."""
    clients = resources(synthesised.platform_template(), "AWS::Cognito::UserPoolClient")
    (web_id,) = [i for i, c in clients.items() if not c["Properties"].get("GenerateSecret")]
    (system_id,) = [i for i, c in clients.items() if c["Properties"].get("GenerateSecret")]
    return web_id, clients[web_id]["Properties"], system_id, clients[system_id]["Properties"]


def test_people_cannot_write_their_own_tenant_or_roles(synthesised: Synthesised) -> None:
    _, client, _, _ = _clients(synthesised)

    assert not [name for name in client["WriteAttributes"] if name.startswith("custom:")]
    assert "email" in client["WriteAttributes"]
    assert client["GenerateSecret"] is False
    assert "AllowedOAuthFlows" not in client  # SRP sign-in only: no implicit grant
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def test_the_jwt_authorizer_trusts_the_user_pool_its_web_client_and_its_integrations(
    synthesised: Synthesised,
) -> None:
    template = synthesised.platform_template()
    (pool_id,) = resources(template, "AWS::Cognito::UserPool")
    web_id, _, system_id, _ = _clients(synthesised)
    (authorizer,) = properties(template, "AWS::ApiGatewayV2::Authorizer")

    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert authorizer["JwtConfiguration"] == {
        "Issuer": {"Fn::GetAtt": [pool_id, "ProviderURL"]},
        "Audience": [{"Ref": web_id}, {"Ref": system_id}],
    }


def test_a_system_of_a_tenant_gets_client_credentials_for_one_scope(synthesised: Synthesised) -> None:
    template = synthesised.platform_template()
    _, _, _, system = _clients(synthesised)
    (server,) = properties(template, "AWS::Cognito::UserPoolResourceServer")
    (domain,) = properties(template, "AWS::Cognito::UserPoolDomain")

    assert system["ClientName"] == "integration.humana.learning-portal"
    assert system["AllowedOAuthFlows"] == ["client_credentials"]
    (server_id,) = resources(template, "AWS::Cognito::UserPoolResourceServer")
    assert system["AllowedOAuthScopes"] == [{"Fn::Join": ["", [{"Ref": server_id}, "/completions.write"]]}]
    identifier, _, scope = COMPLETIONS_SCOPE.partition("/")
    assert (server["Identifier"], [s["ScopeName"] for s in server["Scopes"]]) == (identifier, [scope])
    assert "Domain" in domain  # the token endpoint


def test_the_default_stage_is_throttled_logged_and_deploys_itself(synthesised: Synthesised) -> None:
    synthesised.template(synthesised.built.platform.stack_name).has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "StageName": "$default",
            "AutoDeploy": True,  # routes arrive from the service stacks
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": API_RATE_LIMIT,
                "ThrottlingBurstLimit": API_BURST_LIMIT,
            },
            "AccessLogSettings": {"DestinationArn": Match.any_value(), "Format": Match.string_like_regexp("requestId")},
        },
    )
    (stage,) = properties(synthesised.platform_template(), "AWS::ApiGatewayV2::Stage")
    assert json.loads(stage["AccessLogSettings"]["Format"])["requestId"] == "$context.requestId"


def test_browsers_may_call_the_api_from_the_web_client_only(synthesised: Synthesised) -> None:
    (api,) = properties(synthesised.platform_template(), "AWS::ApiGatewayV2::Api")

    cors = api["CorsConfiguration"]
    assert cors["AllowOrigins"] == list(APP_ORIGINS)
    assert {"authorization", "content-type", "x-correlation-id"} <= set(cors["AllowHeaders"])
    assert cors["ExposeHeaders"] == ["x-correlation-id"]


def test_server_errors_alarm_the_encrypted_alarm_topic(synthesised: Synthesised) -> None:
    template = synthesised.platform_template()
    (topic_id,) = resources(template, "AWS::SNS::Topic")
    (alarm,) = properties(template, "AWS::CloudWatch::Alarm")

    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"]) == ("AWS/ApiGateway", "5xx", 0)
    assert alarm["AlarmActions"] == [{"Ref": topic_id}]
    assert "KmsMasterKeyId" in template["Resources"][topic_id]["Properties"]
