"""A service's schedules: EventBridge Scheduler invokes one jobs function, naming the schedule."""

from __future__ import annotations

import json

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.components.functions import ServiceFunction, ServiceRuntime
from infra.components.queues import AlarmedQueue
from infra.components.table import ServiceTable
from infra.settings import JOB_FUNCTION
from services.shared.wiring import Schedule

MAXIMUM_EVENT_AGE = Duration.hours(1)  # a run still pending after an hour is dropped (and alarmed)
MAXIMUM_RETRY_ATTEMPTS = 3


class ScheduledJobs(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service: str,
        handler: str,
        schedules: tuple[Schedule, ...],
        runtime: ServiceRuntime,
        table: ServiceTable,
        alarm_topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, id)
        function = ServiceFunction(
            self, "Handler", runtime=runtime, handler=handler, profile=JOB_FUNCTION, description="Scheduled jobs"
        ).function
        table.grant_data_access(function)
        self.function = function
        # The Scheduler invokes asynchronously. One DLQ for a schedule that cannot invoke the
        # function and for a run that still fails after Lambda's own retries.
        dead_letters = AlarmedQueue(self, "DeadLetters", alarm_topic=alarm_topic, what=f"{service} scheduled jobs")
        function.configure_async_invoke(
            max_event_age=MAXIMUM_EVENT_AGE,
            retry_attempts=2,
            on_failure=destinations.SqsDestination(dead_letters.queue),
        )
        account = Stack.of(self).account
        role = iam.Role(
            self,
            "SchedulerRole",
            # Only schedules of this account may use the role (confused deputy).
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": account}}
            ),
        )
        role.add_to_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[function.function_arn]))
        dead_letters.queue.grant_send_messages(role)
        for schedule in schedules:
            scheduler.CfnSchedule(
                self,
                schedule.name,
                name=f"{service}-{schedule.name}",
                description=schedule.description,
                schedule_expression=schedule.expression,
                schedule_expression_timezone=schedule.timezone,  # cron in local time: DST-proof
                flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
                state="ENABLED",
                target=scheduler.CfnSchedule.TargetProperty(
                    arn=function.function_arn,
                    role_arn=role.role_arn,
                    input=json.dumps({"schedule": schedule.name}),
                    retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                        maximum_event_age_in_seconds=int(MAXIMUM_EVENT_AGE.to_seconds()),
                        maximum_retry_attempts=MAXIMUM_RETRY_ATTEMPTS,
                    ),
                    dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(arn=dead_letters.queue.queue_arn),
                ),
            )
