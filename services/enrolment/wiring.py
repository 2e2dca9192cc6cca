from services.shared.wiring import Index, ServiceWiring, TableSpec

WIRING = ServiceWiring(
    name="enrolment",
    api_module="services.enrolment.api",
    table=TableSpec(indexes=(Index("gsi1", "gsi1pk", "gsi1sk"),)),
)
