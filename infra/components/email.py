"""Where a service's email reports back: an SES configuration set whose events (delivered, bounced,
complained of) SES publishes to the account's default bus, the only bus SES publishes to; the service's
subscription on that bus (services/notifications/wiring.py) feeds them to its consumer."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_ses as ses
from constructs import Construct

from services.shared.wiring import DEFAULT_BUS

REPORTED = [ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT]


class EmailFeedback(Construct):
    def __init__(self, scope: Construct, id: str, *, configuration_set_name: str) -> None:
        super().__init__(scope, id)
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=configuration_set_name,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,  # personal data: never over an unencrypted hop
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,  # SES's own list, besides ours
        )
        self.configuration_set.add_event_destination(
            "ToDefaultBus",
            destination=ses.EventDestination.event_bus(
                events.EventBus.from_event_bus_name(self, "DefaultBus", DEFAULT_BUS)
            ),
            events=REPORTED,
        )
