"""Cycles: a person's year on the wheel, started one at a time or for a whole audience; what coordinators
see of them (the schedule and the figures, never anything said)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from services.checkins import cycles
from services.checkins.contracts.http import BulkCycleIn, CycleIn, CycleOut, ScheduleRow
from services.checkins.domain import access
from services.checkins.domain.people import audience_units, members
from services.checkins.domain.wheel import default_year
from services.checkins.routes import PersonId, api, moment, new_router, stores, today
from services.shared.errors import FieldProblem, Forbidden, Invalid, NotFound
from services.shared.http import Cursor, Limit, PageOut

router = new_router()
Year = Annotated[int, Query(ge=2000, le=2100, description="the cycle's year (of its appraisal)")]


@router.post(
    "/cycles",
    tags=["cycles"],
    summary="Start a person's cycle of the year (a coordinator, or their line manager); once: a second start answers the first",
)
def post_cycle(request: CycleIn) -> tuple[CycleOut, int]:
    identity = api.identity()
    store, directory = stores(identity)
    person = directory.person(request.person_id)
    if not identity.has(*access.OVERSEERS) and not access.is_line_manager(identity, person):
        raise Forbidden("A coordinator, or the person's line manager, starts their cycle.")
    if person is None:
        raise NotFound(
            f"Check-ins has not been told of {request.person_id} yet.", [FieldProblem("body.person_id", "unknown")]
        )
    if not person.present or not person.manager_id:
        reason = "has left" if not person.present else "has no line manager to hold the check-ins"
        raise Invalid(f"{request.person_id} {reason}.", [FieldProblem("body.person_id", reason)])
    wheel = store.wheel(request.wheel_id)
    year = request.year or default_year(wheel, today())
    result = cycles.start(store, wheel, year, [person], today(), moment(), api.event_context(identity))
    found = store.cycle(person.person_id, year, wheel.wheel_id)
    assert found is not None
    return CycleOut(cycle=found[0], states=found[1]), 201 if result.started else 200


@router.post(
    "/cycles/bulk",
    tags=["cycles"],
    summary="Start the year's cycle for everyone of an audience (roles; units with those under them); idempotent",
)
def post_cycles(request: BulkCycleIn) -> cycles.StartResult:
    identity = api.identity()
    access.require_overseer(identity)
    store, directory = stores(identity)
    wheel = store.wheel(request.wheel_id)
    within = audience_units(request.audience, directory.units() if request.audience.unit_ids else [])
    candidates = directory.everyone() if within is None else directory.people_in(within)
    chosen = members(request.audience, candidates, within)
    year = request.year or default_year(wheel, today())
    return cycles.start(store, wheel, year, chosen, today(), moment(), api.event_context(identity))


@router.get(
    "/cycles", tags=["cycles"], summary="The tenant's schedule: each cycle of a year and where its check-ins stand"
)
def list_cycles(year: Year, limit: Limit = 50, cursor: Cursor = None) -> PageOut[ScheduleRow]:
    identity = api.identity()
    access.require_overseer(identity)
    store, directory = stores(identity)
    found, next_cursor = store.cycles_of_year(year, limit, cursor)
    people = directory.people_by_id([cycle.person_id for cycle, _ in found])
    rows = [
        ScheduleRow(
            cycle=cycle,
            states=states,
            name=people[cycle.person_id].name if cycle.person_id in people else None,
            unit_id=people[cycle.person_id].unit_id if cycle.person_id in people else None,
        )
        for cycle, states in found
    ]
    return PageOut[ScheduleRow](items=rows, next_cursor=next_cursor)


@router.get("/people/<person_id>/cycles", tags=["cycles"], summary="A person's cycles, latest first")
def person_cycles(person_id: PersonId) -> list[CycleOut]:
    identity = api.identity()
    store, directory = stores(identity)
    access.require_listing(identity, directory.person(person_id), person_id, "cycles")
    return [CycleOut(cycle=cycle, states=states) for cycle, states in store.cycles_of(person_id)]


@router.get(
    "/checkins/figures",
    tags=["cycles"],
    summary="How a year's conversations stand, as counts (coordinators): planned, held, on time, missed",
)
def get_figures(
    year: Year,
    unit_id: Annotated[
        str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="this unit and those under it")
    ] = None,
) -> cycles.Figures:
    identity = api.identity()
    access.require_overseer(identity)
    store, directory = stores(identity)
    return cycles.figures(store, directory, year, unit_id, today())
