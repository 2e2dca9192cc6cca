"""Newcomers: the tenant's follow-up offsets and checklist, units' own items, and each introduction."""

from __future__ import annotations

from services.checkins import newcomers
from services.checkins.contracts.http import IntroductionOut, TickIn
from services.checkins.domain import access
from services.checkins.domain.newcomers import Introduction, NewcomerSettings, UnitChecklist
from services.checkins.routes import ItemKey, PersonId, ResourceId, api, moment, new_router, stores, today
from services.shared.http import Cursor, Limit, PageOut

router = new_router()


@router.get(
    "/newcomers/settings",
    tags=["newcomers"],
    summary="When newcomers are followed up, by whom, and the general checklist",
)
def get_settings() -> NewcomerSettings:
    identity = api.identity()
    access.require_overseer(identity)
    return stores(identity)[0].newcomer_settings()


@router.put("/newcomers/settings", tags=["newcomers"], summary="Set them: for newcomers from now on")
def put_settings(request: NewcomerSettings) -> NewcomerSettings:
    identity = api.identity()
    access.require_overseer(identity)
    stores(identity)[0].save_newcomer_settings(request)
    return request


@router.get("/units/<unit_id>/checklist", tags=["newcomers"], summary="A unit's own introduction items")
def get_unit_checklist(unit_id: ResourceId) -> UnitChecklist:
    identity = api.identity()
    access.require_overseer(identity)
    return stores(identity)[0].unit_checklist(unit_id) or UnitChecklist(items=[])


@router.put(
    "/units/<unit_id>/checklist",
    tags=["newcomers"],
    summary="Set a unit's own introduction items, added to the general ones",
)
def put_unit_checklist(unit_id: ResourceId, checklist: UnitChecklist) -> UnitChecklist:
    identity = api.identity()
    access.require_overseer(identity)
    stores(identity)[0].save_unit_checklist(unit_id, checklist)
    return checklist


@router.get("/newcomers", tags=["newcomers"], summary="Introductions under way, latest start first (coordinators)")
def list_newcomers(limit: Limit = 50, cursor: Cursor = None) -> PageOut[Introduction]:
    identity = api.identity()
    access.require_overseer(identity)
    found, next_cursor = stores(identity)[0].newcomers(limit, cursor)
    return PageOut[Introduction](items=found, next_cursor=next_cursor)


@router.get("/people/<person_id>/introduction", tags=["newcomers"], summary="A newcomer's follow-ups and checklist")
def get_introduction(person_id: PersonId) -> IntroductionOut:
    identity = api.identity()
    store, directory = stores(identity)
    return newcomers.view(store, directory, identity, person_id, today())


@router.patch(
    "/people/<person_id>/introduction/checklist/<item_key>",
    tags=["newcomers"],
    summary="Tick an item of the checklist (who and when are kept), or untick it",
)
def patch_checklist_item(person_id: PersonId, item_key: ItemKey, tick: TickIn) -> Introduction:
    identity = api.identity()
    store, directory = stores(identity)
    return newcomers.tick(
        store, directory, identity, person_id, item_key, tick.ticked, moment(), today(), api.event_context(identity)
    )
