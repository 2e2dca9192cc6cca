"""SQS queues with the settings every queue here shares."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.nag import acknowledge


def encrypted_queue(
    scope: Construct,
    id: str,
    *,
    queue_name: str | None = None,
    visibility_timeout: Duration | None = None,
    dead_letter_queue: sqs.DeadLetterQueue | None = None,
) -> sqs.Queue:
    # SQS-managed keys: EventBridge and Lambda can use the queue without a key policy to keep.
    return sqs.Queue(
        scope,
        id,
        queue_name=queue_name,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        visibility_timeout=visibility_timeout,
        dead_letter_queue=dead_letter_queue,
        retention_period=Duration.days(14),  # the most SQS keeps: time to look at a failure
    )


class AlarmedQueue(Construct):
    """Where failures land (a DLQ or an on-failure destination); it alarms as soon as it holds one."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alarm_topic: sns.ITopic,
        what: str,
        queue_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.queue = encrypted_queue(self, "Queue", queue_name=queue_name)
        acknowledge(
            self.queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue; it has none of its own."
        )
        alarm = cloudwatch.Alarm(
            self,
            "NotEmpty",
            alarm_description=f"{what}: failed messages are waiting; look at them, then redrive or discard.",
            metric=self.queue.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(5), statistic=cloudwatch.Stats.MAXIMUM
            ),
            threshold=0,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cloudwatch_actions.SnsAction(alarm_topic))
