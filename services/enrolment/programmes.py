"""Programmes: each version published once and never changed, so people enrolled under it keep its rules.
A version whose audience is new or changed invites those newly in it (a forum's invitations go out per
occasion instead)."""

from __future__ import annotations

from services.enrolment import invitations
from services.enrolment.adapters.progress import ProgressStore
from services.enrolment.adapters.repository import EnrolmentRepository
from services.enrolment.contracts.events import ProgrammePublished, StagePublished
from services.enrolment.domain.models import Audience, Programme
from services.shared.envelope import EventContext, EventEnvelope


def publish(
    repo: EnrolmentRepository,
    store: ProgressStore,
    programme: Programme,
    context: EventContext,
    previous_audience: Audience | None = None,
) -> Programme:
    """Publish a version; one whose audience is new or changed invites those newly in it."""
    event = ProgrammePublished(
        programme_id=programme.programme_id,
        name=programme.name,
        version=programme.version,
        stages=[StagePublished(**stage.model_dump(mode="json")) for stage in programme.stages],
    )
    events = [EventEnvelope.wrap(event, context)]
    if programme.audience and programme.audience != previous_audience and not programme.occasions_only:
        events += invitations.to_programme(
            repo, store, programme, programme.audience, None, context, invited_before=previous_audience
        )
    repo.publish_programme(programme, store.version_item(programme), events)
    return programme


def publish_new_version(
    repo: EnrolmentRepository, store: ProgressStore, programme: Programme, context: EventContext
) -> Programme:
    """People already enrolled keep the rules of the version they enrolled under."""
    current = repo.programme(programme.programme_id)
    next_version = programme.model_copy(update={"version": current.version + 1})
    return publish(repo, store, next_version, context, previous_audience=current.audience)
