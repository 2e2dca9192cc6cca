"""Mentoring pairs and the log of their meetings."""

from __future__ import annotations

from services.checkins import mentoring
from services.checkins.contracts.http import EndIn, MeetingOut, PairOut
from services.checkins.domain.mentoring import MeetingIn, Pair, PairDetails
from services.checkins.routes import ResourceId, api, moment, new_router, stores, today

router = new_router()


@router.post(
    "/mentoring-pairs",
    tags=["mentoring"],
    summary="Pair a mentor with a mentee for a period (a coordinator, or the mentee's line manager)",
)
def post_pair(details: PairDetails) -> tuple[Pair, int]:
    identity = api.identity()
    store, directory = stores(identity)
    return mentoring.start(store, directory, identity, details, today(), api.event_context(identity)), 201


@router.get("/mentoring-pairs", tags=["mentoring"], summary="Pairs: all for coordinators, else your own")
def list_pairs() -> list[Pair]:
    identity = api.identity()
    return mentoring.pairs_of(stores(identity)[0], identity)


@router.get(
    "/mentoring-pairs/<pair_id>", tags=["mentoring"], summary="A pair and its meetings (notes only for the two)"
)
def get_pair(pair_id: ResourceId) -> PairOut:
    identity = api.identity()
    store, directory = stores(identity)
    return mentoring.view(store, directory, identity, pair_id)


@router.post(
    "/mentoring-pairs/<pair_id>/meetings",
    tags=["mentoring"],
    summary="Log a meeting of the pair, with a note if you like",
)
def post_meeting(pair_id: ResourceId, meeting: MeetingIn) -> tuple[MeetingOut, int]:
    identity = api.identity()
    logged = mentoring.log_meeting(stores(identity)[0], identity, pair_id, meeting, moment())
    return MeetingOut.of(logged, identity.person_id), 201


@router.post(
    "/mentoring-pairs/<pair_id>/end", tags=["mentoring"], summary="End a pair (either of the two, or a coordinator)"
)
def post_end(pair_id: ResourceId, request: EndIn) -> Pair:
    identity = api.identity()
    store, directory = stores(identity)
    return mentoring.end(store, directory, identity, pair_id, request.ended_on or today(), api.event_context(identity))
