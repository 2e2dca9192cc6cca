"""Functions fed by a service's table stream: the outbox relay and any the wiring adds."""

from __future__ import annotations

from aws_cdk import Aws, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.components.email import EmailFeedback
from infra.components.functions import ServiceFunction, ServiceRuntime
from infra.components.queues import AlarmedQueue
from infra.components.table import ServiceTable
from infra.nag import acknowledge
from infra.settings import EVENT_FUNCTION, STREAM_BATCH_SIZE, STREAM_RETRY_ATTEMPTS
from services.shared.wiring import RELAY_HANDLER, StreamConsumer

MAILER = "mailer"


def publish_as(bus: events.IEventBus, source: str) -> iam.PolicyStatement:
    """PutEvents on the bus, only with the service's own source: a service cannot speak for another."""
    return iam.PolicyStatement(
        actions=["events:PutEvents"],
        resources=[bus.event_bus_arn],
        conditions={"StringEquals": {"events:source": source}},
    )


# Pseudo parameters, not the stack's account and region: the ARN (and so the cdk-nag finding it
# is acknowledged under) reads the same whatever the deployment environment.
SES_IDENTITIES = f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/*"
SES_IDENTITIES_FINDING = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]"
)


def send_email(feedback: EmailFeedback | None) -> list[iam.PolicyStatement]:
    statements = [iam.PolicyStatement(actions=["ses:SendEmail", "ses:SendRawEmail"], resources=[SES_IDENTITIES])]
    if feedback is not None:  # SES authorises a send through a configuration set against the set too
        arn = Stack.of(feedback).format_arn(
            service="ses", resource="configuration-set", resource_name=feedback.configuration_set.configuration_set_name
        )
        statements.append(iam.PolicyStatement(actions=["ses:SendEmail", "ses:SendRawEmail"], resources=[arn]))
    return statements


def send_sms() -> iam.PolicyStatement:
    """SNS sends an SMS to a phone number, which has no ARN: Publish on '*' is the only grant there is."""
    return iam.PolicyStatement(actions=["sns:Publish"], resources=["*"])


class StreamConsumers(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service: str,
        source: str,
        consumers: tuple[StreamConsumer, ...],
        runtime: ServiceRuntime,
        table: ServiceTable,
        bus: events.IEventBus,
        alarm_topic: sns.ITopic,
        email_feedback: EmailFeedback | None = None,
    ) -> None:
        super().__init__(scope, id)
        for consumer in consumers:
            function = ServiceFunction(
                self,
                consumer.name,
                runtime=runtime,
                handler=consumer.handler,
                profile=EVENT_FUNCTION,
                description=f"Table stream: {consumer.name}",
            )
            table.grant_data_access(function.function)
            failures = AlarmedQueue(
                self, f"{consumer.name}-failures", alarm_topic=alarm_topic, what=f"{service} stream {consumer.name}"
            )
            function.function.add_event_source(
                sources.DynamoEventSource(
                    table.table,
                    # From the oldest record kept: an outbox item written before the mapping existed
                    # (first deploy, or after it was disabled) is still published.
                    starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                    batch_size=STREAM_BATCH_SIZE,
                    bisect_batch_on_error=True,  # isolate a poison record instead of blocking the shard
                    retry_attempts=STREAM_RETRY_ATTEMPTS,
                    on_failure=sources.SqsDlq(failures.queue),
                    # Harmless while a handler returns nothing (the batch succeeds); lets it report
                    # the one failed record instead of replaying the whole batch.
                    report_batch_item_failures=True,
                    filters=[lambda_.FilterCriteria.filter(consumer.filter_pattern)],
                )
            )
            acknowledge(
                function,
                "AwsSolutions-IAM5[Resource::*]",
                "dynamodb:ListStreams has no resource-level permissions (it is granted on * by CDK's stream "
                "grant); reading records is scoped to this table's stream ARN.",
            )
            if consumer.handler == RELAY_HANDLER:
                function.function.add_to_role_policy(publish_as(bus, source))
            if consumer.name == MAILER:
                for statement in send_email(email_feedback):
                    function.function.add_to_role_policy(statement)
                function.function.add_to_role_policy(send_sms())
                acknowledge(
                    function,
                    SES_IDENTITIES_FINDING,
                    "SES authorises a send against the sender's identity and, in the sandbox, the "
                    "recipient's; both are verified identities of this account and region only.",
                )
                acknowledge(
                    function,
                    "AwsSolutions-IAM5[Resource::*]",
                    "sns:Publish to a phone number (an SMS) has no resource to name; the sender publishes to no "
                    "topic, and SNS spend limits and the account's SMS settings bound it.",
                )
