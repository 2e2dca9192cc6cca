from services.shared.wiring import ServiceWiring, Subscription, TableSpec

WIRING = ServiceWiring(
    name="reporting",
    api_module="services.reporting.api",
    consumer_handler="services.reporting.subscribers.lambda_handler",
    table=TableSpec(),
    subscriptions=(
        Subscription(name="enrolment-events", source="enrolment", detail_types=("RegistrationConfirmed",)),
        Subscription(name="checkin-events", source="checkins", detail_types=("CheckInCompleted",)),
    ),
)
