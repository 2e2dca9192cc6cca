"""The HTTP API every service adds its routes to: JWT authorizer, throttled default stage, access log."""

from __future__ import annotations

import json

import jsii
from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.components.users import UserDirectory
from infra.settings import API_BURST_LIMIT, API_RATE_LIMIT, APP_ORIGINS, LOG_RETENTION
from services.shared.wiring import CORS

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "requestTime": "$context.requestTime",
        "sourceIp": "$context.identity.sourceIp",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "responseLatency": "$context.responseLatency",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
    }
)


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLog:
    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw.AccessLogFormat:
        return apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT)


class HttpGateway(Construct):
    def __init__(self, scope: Construct, id: str, *, users: UserDirectory, alarm_topic: sns.ITopic) -> None:
        super().__init__(scope, id)
        # Routes come from the service stacks; the stage deploys them as they are added.
        self.api = apigwv2.HttpApi(
            self,
            "Api",
            api_name="ledarlyft",
            create_default_stage=False,
            # API Gateway answers the browser's preflight itself, before the authorizer
            cors_preflight=apigwv2.CorsPreflightOptions(
                allow_origins=list(APP_ORIGINS),
                allow_methods=[apigwv2.CorsHttpMethod(method) for method in CORS.methods],
                allow_headers=list(CORS.headers),
                expose_headers=list(CORS.exposed),
                max_age=Duration.seconds(CORS.max_age_seconds),
            ),
        )
        access_log = logs.LogGroup(self, "AccessLog", retention=LOG_RETENTION)
        self.api.add_stage(
            "DefaultStage",
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(rate_limit=API_RATE_LIMIT, burst_limit=API_BURST_LIMIT),
            access_log_settings=_AccessLog(access_log),
        )
        authorizer = apigwv2.HttpAuthorizer(
            self,
            "JwtAuthorizer",
            http_api=self.api,
            authorizer_name="cognito",
            type=apigwv2.HttpAuthorizerType.JWT,
            identity_source=["$request.header.Authorization"],
            jwt_issuer=users.user_pool.user_pool_provider_url,
            # an ID token's `aud` is the web client; a system's access token's `client_id` is its own
            jwt_audience=[users.client.user_pool_client_id, *users.integration_clients],
        )
        self.authorizer_id = authorizer.authorizer_id  # routes in the service stacks refer to it
        server_errors = cloudwatch.Alarm(
            self,
            "ServerErrors",
            alarm_description="The API answered 5xx: every 5xx is a bug.",
            metric=self.api.metric_server_error(period=Duration.minutes(5), statistic=cloudwatch.Stats.SUM),
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        server_errors.add_alarm_action(cloudwatch_actions.SnsAction(alarm_topic))
