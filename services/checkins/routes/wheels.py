"""The wheel: a tenant's template of a year of check-ins, versioned."""

from __future__ import annotations

from services.checkins import cycles
from services.checkins.domain import access
from services.checkins.domain.wheel import Wheel, WheelDetails
from services.checkins.routes import ResourceId, api, new_router, stores

router = new_router()


@router.post(
    "/wheels",
    tags=["wheel"],
    summary="Publish a wheel: the appraisal month, quarterly focus areas, questions, rating items",
)
def post_wheel(wheel: Wheel) -> tuple[Wheel, int]:
    identity = api.identity()
    access.require_overseer(identity)
    store, _ = stores(identity)
    return cycles.publish(store, wheel.model_copy(update={"version": 1})), 201


@router.put(
    "/wheels/<wheel_id>", tags=["wheel"], summary="Publish a new version of a wheel; running cycles keep theirs"
)
def put_wheel(wheel_id: ResourceId, details: WheelDetails) -> Wheel:
    identity = api.identity()
    access.require_overseer(identity)
    store, _ = stores(identity)
    return cycles.publish_new_version(store, Wheel(wheel_id=wheel_id, **details.model_dump()))


@router.get("/wheels", tags=["wheel"], summary="The tenant's wheels, current versions")
def list_wheels() -> list[Wheel]:
    store, _ = stores(api.identity())
    return store.wheels()


@router.get("/wheels/<wheel_id>", tags=["wheel"], summary="A wheel's current version")
def get_wheel(wheel_id: ResourceId) -> Wheel:
    store, _ = stores(api.identity())
    return store.wheel(wheel_id)
