"""A service's Lambda functions: shared code, layer and environment; a role that starts empty."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.nag import acknowledge
from infra.settings import LAMBDA_PLATFORM, LOG_RETENTION, FunctionProfile

XRAY_FINDING = "AwsSolutions-IAM5[Resource::*]"


@dataclass(frozen=True)
class ServiceRuntime:
    """What every function of one service shares."""

    code: lambda_.Code
    layer: lambda_.ILayerVersion
    environment: dict[str, str]


class ServiceFunction(Construct):
    """One function with its own log group and a role that holds only what is granted to it.

    The role is made here, without the AWS managed basic-execution policy (it allows writing to any
    log group): the function may write to its own log group and nothing else until granted more.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        runtime: ServiceRuntime,
        handler: str,
        profile: FunctionProfile,
        description: str,
    ) -> None:
        super().__init__(scope, id)
        log_group = logs.LogGroup(self, "Logs", retention=LOG_RETENTION)
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        log_group.grant_write(role)
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=LAMBDA_PLATFORM.runtime,
            architecture=LAMBDA_PLATFORM.architecture,
            handler=handler,  # a dotted path: the runtime imports the module and calls the attribute
            code=runtime.code,
            layers=[runtime.layer],
            environment=runtime.environment,
            memory_size=profile.memory_mb,
            timeout=profile.timeout,
            role=role,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,  # a request's path through API, functions and AWS calls
        )
        acknowledge(
            role,
            XRAY_FINDING,
            "X-Ray's PutTraceSegments and PutTelemetryRecords accept no resource but '*' (AWS documents no "
            "resource-level permissions for them); CDK grants exactly these two for active tracing.",
        )
