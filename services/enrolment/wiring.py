from services.shared.wiring import Index, Schedule, ServiceWiring, TableSpec

WIRING = ServiceWiring(
    name="enrolment",
    api_module="services.enrolment.api",
    jobs_handler="services.enrolment.jobs.lambda_handler",
    table=TableSpec(indexes=(Index("gsi1", "gsi1pk", "gsi1sk"), Index("gsi2", "gsi2pk", "gsi2sk"))),
    schedules=(
        Schedule(
            name="expire-offers",
            cron="0/5 * * * ? *",
            description="Pass each lapsed offer of a freed seat to the next in line",
        ),
        Schedule(
            name="credential-expiry",
            cron="0 6 * * ? *",
            description="Tell holders 90 and 30 days before a credential expires; reopen the programme at expiry",
        ),
        Schedule(
            name="session-reminders",
            cron="0 8 * * ? *",
            description="Remind everyone with a seat at a session that starts in a week, or tomorrow",
        ),
        Schedule(
            name="session-invitations",
            cron="0 7 * * ? *",
            description="Invite the audiences of sessions that ask to be announced some days before they start",
        ),
    ),
)
