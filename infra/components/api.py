"""A service's HTTP API: one function, one route on the platform's HTTP API per resolver route."""

from __future__ import annotations

import re

from aws_cdk import Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.components.functions import ServiceFunction, ServiceRuntime
from infra.components.table import ServiceTable
from infra.nag import acknowledge
from infra.settings import API_FUNCTION
from services.shared.wiring import Route

PUBLIC_PREFIX = "/public/"


def is_public(route: Route) -> bool:
    return route.path.startswith(PUBLIC_PREFIX)


def _construct_id(route: Route) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", route.route_key).strip("-")


class ServiceApi(Construct):
    """Routes, integration and invoke permission live in the service's stack, against the platform's
    API: the service stack depends on the platform stack, never the other way round.

    Built from L1 routes around one integration owned by this construct, so adding or removing a
    route never moves (and replaces) the integration.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        handler: str,
        routes: tuple[Route, ...],
        runtime: ServiceRuntime,
        table: ServiceTable,
        http_api: apigwv2.IHttpApi,
        authorizer_id: str,
    ) -> None:
        super().__init__(scope, id)
        function = ServiceFunction(
            self, "Handler", runtime=runtime, handler=handler, profile=API_FUNCTION, description="HTTP API"
        ).function
        table.grant_data_access(function)
        self.function = function
        integration = apigwv2.HttpIntegration(
            self,
            "Integration",
            http_api=http_api,
            integration_type=apigwv2.HttpIntegrationType.AWS_PROXY,
            integration_uri=function.function_arn,
            payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
        )
        # One permission for the whole API rather than one per route: a function's resource policy
        # is limited in size.
        function.add_permission(
            "InvokedByApi",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=Stack.of(self).format_arn(
                service="execute-api", resource=http_api.api_id, resource_name="*/*/*"
            ),
        )
        for route in routes:
            http_route = apigwv2.CfnRoute(
                self,
                _construct_id(route),
                api_id=http_api.api_id,
                route_key=route.route_key,
                target=f"integrations/{integration.integration_id}",
                authorization_type="NONE" if is_public(route) else "JWT",
                authorizer_id=None if is_public(route) else authorizer_id,
                # a system's route: only an access token with one of its scopes (people's tokens have none)
                authorization_scopes=list(route.scopes) or None,
            )
            if is_public(route):
                acknowledge(
                    http_route,
                    "AwsSolutions-APIG4",
                    f"{route.route_key} is public by design (verifying a credential someone shows you); "
                    "the stage's throttling covers it like every route.",
                )
