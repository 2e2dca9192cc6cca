from services.shared.wiring import BucketSpec, Schedule, ServiceWiring, Subscription, TableSpec

# Everything reporting counts, by the publishing service. The consumer ignores nothing it subscribes to.
ENROLMENT_EVENTS = (
    "PersonUpserted",
    "ManagerChanged",
    "PersonLeft",
    "UnitUpserted",
    "EnrolmentRequested",
    "EnrolmentApproved",
    "EnrolmentDeclined",
    "EnrolmentWithdrawn",
    "StageCompleted",
    "ProgrammeCompleted",
    "CredentialIssued",
    "CredentialExpiring",
    "CredentialExpired",
    "CredentialRevoked",
    "RegistrationConfirmed",
    "RegistrationWaitlisted",
    "RegistrationOffered",
    "RegistrationPromoted",
    "RegistrationCancelled",
    "AttendanceRecorded",
    "NoShowRecorded",
    "SessionEvaluated",
)
CHECKINS_EVENTS = (
    "CycleStarted",
    "CheckInCompleted",
    "CheckInMissed",
    "CheckInCancelled",
    "ActionItemCreated",
    "ActionItemCompleted",
    "ActionItemOverdue",
)
NOTIFICATIONS_EVENTS = ("NotificationSent", "NotificationFailed")

WIRING = ServiceWiring(
    name="reporting",
    api_module="services.reporting.api",
    consumer_handler="services.reporting.subscribers.lambda_handler",
    jobs_handler="services.reporting.jobs.lambda_handler",
    table=TableSpec(),
    subscriptions=(
        Subscription(name="enrolment-events", source="enrolment", detail_types=ENROLMENT_EVENTS),
        Subscription(name="checkin-events", source="checkins", detail_types=CHECKINS_EVENTS),
        Subscription(name="notification-events", source="notifications", detail_types=NOTIFICATIONS_EVENTS),
    ),
    schedules=(
        Schedule(
            name="publish-half-year",
            cron="0 6 1 1,7 ? *",
            description="Publish every tenant's board report for the half-year that has just ended",
        ),
    ),
    buckets=(BucketSpec(name="reports", environment_variable="REPORTS_BUCKET"),),
)
