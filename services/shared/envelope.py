"""The event envelope every service publishes, and the base of every event payload.

EventBridge `source` is `ledarlyft.<service>`, `detail-type` is the event's name and `detail` is the
whole envelope, so a consumer needs nothing but `detail`.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from services.shared.wiring import EVENT_SOURCE_PREFIX


class DomainEvent(BaseModel):
    """A versioned event payload owned by the service that publishes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_name: ClassVar[str]
    event_version: ClassVar[int] = 1
    event_source: ClassVar[str]  # the publishing service


M = TypeVar("M", bound=BaseModel)


class EventContext(BaseModel):
    """Who caused an event and in answer to what: carried from a request or a consumed event."""

    model_config = ConfigDict(frozen=True)
    tenant_id: str
    actor: str  # a person id, or "system:<service>" for jobs and consumers
    correlation_id: str
    causation_id: str | None = None


class EventEnvelope(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    version: int
    source: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    tenant_id: str
    correlation_id: str
    causation_id: str | None = None
    actor: str
    data: dict[str, Any]

    @classmethod
    def wrap(cls, event: DomainEvent, context: EventContext) -> EventEnvelope:
        return cls(
            type=event.event_name,
            version=event.event_version,
            source=EVENT_SOURCE_PREFIX + event.event_source,
            tenant_id=context.tenant_id,
            correlation_id=context.correlation_id,
            causation_id=context.causation_id,
            actor=context.actor,
            data=event.model_dump(mode="json"),
        )

    def payload(self, model: builtins.type[M]) -> M:
        return model.model_validate(self.data)

    def caused(self, actor: str) -> EventContext:
        """The context for events published in answer to this one."""
        return EventContext(
            tenant_id=self.tenant_id, actor=actor, correlation_id=self.correlation_id, causation_id=self.id
        )
