"""One service, built from its wiring and nothing else."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.bundling import dependencies_layer_code, service_code
from infra.components.api import ServiceApi
from infra.components.buckets import ServiceBucket
from infra.components.consumer import EventConsumer
from infra.components.email import EmailFeedback
from infra.components.functions import ServiceRuntime
from infra.components.jobs import ScheduledJobs
from infra.components.streams import StreamConsumers
from infra.components.table import ServiceTable
from infra.platform_stack import Platform
from infra.settings import LAMBDA_PLATFORM, LOG_LEVEL, METRICS_NAMESPACE
from services.shared.settings import INTEGRATION_CLIENTS
from services.shared.wiring import ServiceWiring


def _check(wiring: ServiceWiring) -> None:
    """A declaration that would be dropped silently is an error."""
    if wiring.subscriptions and not wiring.consumer_handler:
        raise ValueError(f"{wiring.name}: subscriptions declared without a consumer_handler")
    if wiring.schedules and not wiring.jobs_handler:
        raise ValueError(f"{wiring.name}: schedules declared without a jobs_handler")


class ServiceStack(Stack):
    def __init__(self, scope: Construct, id: str, *, wiring: ServiceWiring, platform: Platform, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        _check(wiring)
        table = ServiceTable(self, "Table", spec=wiring.table)
        # A layer per stack, from one asset: a layer shared across stacks would be an export that
        # every dependency update has to replace while other stacks still import it.
        layer = lambda_.LayerVersion(
            self,
            "Dependencies",
            code=dependencies_layer_code(wiring.name, LAMBDA_PLATFORM),
            compatible_runtimes=[LAMBDA_PLATFORM.runtime],
            compatible_architectures=[LAMBDA_PLATFORM.architecture],
            description=f"Locked runtime dependencies of {wiring.name} (uv.lock)",
        )
        # Only this service's API and jobs functions get at its buckets (its consumer has no need).
        buckets = [ServiceBucket(self, f"{spec.name.title()}Bucket", spec=spec) for spec in wiring.buckets]
        runtime = ServiceRuntime(
            code=service_code(wiring.name),
            layer=layer,
            environment={
                "SERVICE_NAME": wiring.name,
                "TABLE_NAME": table.table.table_name,
                "EVENT_BUS_NAME": platform.bus.event_bus_name,
                "PUBLIC_URL": platform.http_api.api_endpoint,  # links people follow from emails and calendars
                "POWERTOOLS_SERVICE_NAME": wiring.name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LOG_LEVEL": LOG_LEVEL,
                # [client id, tenant] pairs: the ids are tokens until deploy, safest as values
                INTEGRATION_CLIENTS: self.to_json_string([[i, t] for i, t in platform.integration_clients.items()]),
                **{b.spec.environment_variable: b.bucket.bucket_name for b in buckets},
                **wiring.environment,
            },
        )
        granted: list[lambda_.Function] = []
        if wiring.api_handler:
            service_api = ServiceApi(
                self,
                "Api",
                handler=wiring.api_handler,
                routes=wiring.routes(),
                runtime=runtime,
                table=table,
                http_api=platform.http_api,
                authorizer_id=platform.authorizer_id,
            )
            granted.append(service_api.function)
        if wiring.consumer_handler and wiring.subscriptions:
            EventConsumer(
                self,
                "Events",
                service=wiring.name,
                handler=wiring.consumer_handler,
                subscriptions=wiring.subscriptions,
                runtime=runtime,
                table=table,
                bus=platform.bus,
                alarm_topic=platform.alarm_topic,
            )
        feedback = None
        if "SES_CONFIGURATION_SET" in wiring.environment:
            feedback = EmailFeedback(
                self, "EmailFeedback", configuration_set_name=wiring.environment["SES_CONFIGURATION_SET"]
            )
        StreamConsumers(
            self,
            "Streams",
            service=wiring.name,
            source=wiring.source,
            consumers=wiring.stream_consumers,
            runtime=runtime,
            table=table,
            bus=platform.bus,
            alarm_topic=platform.alarm_topic,
            email_feedback=feedback,
        )
        if wiring.jobs_handler and wiring.schedules:
            jobs = ScheduledJobs(
                self,
                "Jobs",
                service=wiring.name,
                handler=wiring.jobs_handler,
                schedules=wiring.schedules,
                runtime=runtime,
                table=table,
                alarm_topic=platform.alarm_topic,
            )
            granted.append(jobs.function)
        for bucket in buckets:
            for function in granted:
                bucket.grant_objects(function)
