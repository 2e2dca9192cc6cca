from services.shared.wiring import (
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
    ),
    schedules=(
        Schedule(
            name="daily-digest",
            cron="0 7 * * ? *",
            description="Send each person who chose a daily digest one email with the day's notifications",
        ),
    ),
    # Email leaves through the table's stream, so a delivery is committed before it is sent and
    # a failed send is retried by the stream, never lost.
    extra_stream_consumers=(
        StreamConsumer(
            name="mailer",
            handler="services.notifications.mailer.lambda_handler",
            filter_pattern={"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["email"]}}}},
        ),
    ),
    environment={"SENDER_EMAIL": "no-reply@ledarlyft.se"},
)
