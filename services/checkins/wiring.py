from services.shared.wiring import Index, Schedule, ServiceWiring, Subscription, TableSpec

WIRING = ServiceWiring(
    name="checkins",
    api_module="services.checkins.api",
    consumer_handler="services.checkins.subscribers.lambda_handler",
    jobs_handler="services.checkins.jobs.lambda_handler",
    table=TableSpec(indexes=(Index("gsi1", "gsi1pk", "gsi1sk"),)),
    subscriptions=(
        Subscription(
            name="enrolment-events",
            source="enrolment",
            detail_types=(
                "PersonUpserted",
                "ManagerChanged",
                "PersonLeft",
                "UnitUpserted",
                "ProgrammePublished",
                "EnrolmentApproved",
                "StageCompleted",
                "ProgrammeCompleted",
                "CredentialIssued",
                "CredentialExpiring",
                "CredentialExpired",
                "CredentialRevoked",
            ),
        ),
    ),
    schedules=(
        Schedule(
            name="daily",
            cron="0 6 * * ? *",
            description="Remind of check-ins due soon, mark passed ones missed, tell owners of overdue action items",
        ),
        Schedule(
            name="yearly",
            cron="0 6 1 12 ? *",
            description="Start next year's cycles, where the tenant's wheel asks for it",
        ),
    ),
)
