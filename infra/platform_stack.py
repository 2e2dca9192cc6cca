"""What all services share: the event bus, the users, the HTTP API and the alarm topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_events as events
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.components.alarms import AlarmTopic
from infra.components.bus import EventBusWithArchive
from infra.components.gateway import HttpGateway
from infra.components.users import IntegrationSpec, UserDirectory


@dataclass(frozen=True)
class Platform:
    """What a service stack may use of the platform stack."""

    bus: events.IEventBus
    http_api: apigwv2.IHttpApi
    authorizer_id: str  # the JWT authorizer every non-public route uses
    alarm_topic: sns.ITopic
    integration_clients: dict[str, str]  # a system's app client id -> the tenant it acts for


class PlatformStack(Stack):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alarm_email: str | None = None,
        integrations: tuple[IntegrationSpec, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        alarms = AlarmTopic(self, "Alarms", email=alarm_email)
        events_ = EventBusWithArchive(self, "Events")
        users = UserDirectory(self, "Users", integrations=integrations)
        gateway = HttpGateway(self, "Gateway", users=users, alarm_topic=alarms.topic)
        self.platform = Platform(
            bus=events_.bus,
            http_api=gateway.api,
            authorizer_id=gateway.authorizer_id,
            alarm_topic=alarms.topic,
            integration_clients=users.integration_clients,
        )
        CfnOutput(self, "ApiUrl", value=gateway.api.api_endpoint)
        CfnOutput(self, "UserPoolId", value=users.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=users.client.user_pool_client_id)
        CfnOutput(self, "TokenEndpoint", value=f"{users.domain.base_url()}/oauth2/token")
        CfnOutput(self, "EventBusName", value=events_.bus.event_bus_name)
