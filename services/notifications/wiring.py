from services.notifications.contracts.consumed import SES_DETAIL_TYPES, SES_SOURCE
from services.shared.wiring import (
    DEFAULT_BUS,
    Index,
    Schedule,
    ServiceWiring,
    StreamConsumer,
    Subscription,
    TableSpec,
)

WIRING = ServiceWiring(
    name="notifications",
    api_module="services.notifications.api",
    consumer_handler="services.notifications.subscribers.lambda_handler",
    jobs_handler="services.notifications.jobs.lambda_handler",
    table=TableSpec(indexes=(Index("gsi1", "gsi1pk", "gsi1sk"),)),
    subscriptions=(
        Subscription(
            name="enrolment-events",
            source="enrolment",
            detail_types=(
                "PersonUpserted",
                "InvitationsSent",
                "SessionMoved",
                "SessionReminder",
                "RegistrationConfirmed",
                "RegistrationWaitlisted",
                "RegistrationOffered",
                "RegistrationPromoted",
                "RegistrationCancelled",
                "StageUnlocked",
                "NoShowRecorded",
                "CredentialIssued",
                "CredentialExpiring",
                "CredentialExpired",
                "CredentialRevoked",
            ),
        ),
        Subscription(
            name="checkins-events",
            source="checkins",
            detail_types=(
                "CheckInScheduled",
                "CheckInRescheduled",
                "CheckInCancelled",
                "CheckInDueSoon",
                "CheckInMissed",
                "CheckInReassigned",
                "ActionItemOverdue",
                "FollowUpDue",
            ),
        ),
        # SES publishes what became of each email (its configuration set's event destination) on the
        # account's default bus only.
        Subscription(
            name="email-feedback", source=SES_SOURCE, detail_types=SES_DETAIL_TYPES, bus=DEFAULT_BUS, full_source=True
        ),
    ),
    schedules=(
        Schedule(
            name="daily-digest",
            cron="0 7 * * ? *",
            description="Send each person who chose a daily digest one email of what waited for it",
        ),
        Schedule(
            name="weekly-digest",
            cron="0 7 ? * MON *",
            description="Send each person who chose a weekly digest one email of the week's news, on Monday morning",
        ),
        Schedule(
            name="flush",
            cron="0/5 * * * ? *",
            description="Send emails held through quiet hours whose morning has come, and invitations whose "
            "coalescing window has passed",
        ),
    ),
    # Emails and SMS leave through the table's stream: a delivery is committed before it is sent, and a
    # failed send is retried by the stream, never lost.
    extra_stream_consumers=(
        StreamConsumer(
            name="mailer",
            handler="services.notifications.mailer.lambda_handler",
            filter_pattern={
                "eventName": ["INSERT", "MODIFY"],
                "dynamodb": {"NewImage": {"kind": {"S": ["email", "sms"]}, "status": {"S": ["queued"]}}},
            },
        ),
    ),
    environment={"SENDER_EMAIL": "no-reply@ledarlyft.se", "SES_CONFIGURATION_SET": "ledarlyft-notifications"},
)
