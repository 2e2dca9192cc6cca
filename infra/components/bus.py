"""The one event bus every service publishes to, with an archive to replay from."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_events as events
from constructs import Construct

from infra.settings import ARCHIVE_RETENTION, EVENT_BUS_NAME


class EventBusWithArchive(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=EVENT_BUS_NAME)
        # Everything published here is archived: a consumer's bug can be fixed and its events replayed.
        self.bus.archive(
            "Archive",
            description="Every event on the bus, for replay",
            event_pattern=events.EventPattern(account=[Stack.of(self).account]),
            retention=ARCHIVE_RETENTION,
        )
