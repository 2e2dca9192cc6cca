from services.shared.wiring import Index, ServiceWiring, TableSpec

WIRING = ServiceWiring(
    name="checkins",
    api_module="services.checkins.api",
    table=TableSpec(indexes=(Index("gsi1", "gsi1pk", "gsi1sk"),)),
)
