"""The deployed topology is the declared one: every route, rule, schedule and stream filter of a
service's wiring is in its stack's template, and nothing else is. Compared as sets, both ways."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.registry import SERVICES
from services.shared.wiring import ServiceWiring
from tests.infra.conftest import SERVICE_IDS, Synthesised
from tests.infra.templates import canonical, handler_of, imported, logical_id, properties, resources

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]
per_service = pytest.mark.parametrize("wiring", SERVICES, ids=SERVICE_IDS)


@per_service
def test_routes_are_the_resolver_routes(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    deployed = {route["RouteKey"] for route in properties(template, "AWS::ApiGatewayV2::Route")}

    assert deployed == {route.route_key for route in wiring.routes()}


@per_service
def test_routes_reach_the_api_handler(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    integrations = resources(template, "AWS::ApiGatewayV2::Integration")
    targets = {logical_id(route["Target"]) for route in properties(template, "AWS::ApiGatewayV2::Route")}
    handlers = {
        handler_of(template, integration["Properties"]["IntegrationUri"]) for integration in integrations.values()
    }

    assert handlers == ({wiring.api_handler} if wiring.api_handler else set())
    assert targets <= set(integrations)


def _bus(rule: dict[str, Any]) -> str | None:
    """The bus a rule is on: None for the platform's (imported from its stack), else the bus's name."""
    bus = rule.get("EventBusName", "default")
    return None if imported(bus) else str(bus)


@per_service
def test_rules_are_the_subscriptions(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    deployed = {(_bus(rule), canonical(rule["EventPattern"])) for rule in properties(template, "AWS::Events::Rule")}

    assert deployed == {(s.bus, canonical(s.pattern())) for s in wiring.subscriptions}


@per_service
def test_subscribed_events_reach_the_consumer_handler(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    rule_queues = {
        logical_id(target["Arn"]) for rule in properties(template, "AWS::Events::Rule") for target in rule["Targets"]
    }
    drained_by = {
        logical_id(mapping["EventSourceArn"]): handler_of(template, mapping["FunctionName"])
        for mapping in properties(template, "AWS::Lambda::EventSourceMapping")
        if "StartingPosition" not in mapping  # SQS; streams have a starting position
    }

    assert {drained_by[queue] for queue in rule_queues} == (
        {wiring.consumer_handler} if wiring.subscriptions else set()
    )


@per_service
def test_schedules_are_the_declared_schedules(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    deployed = {
        (
            schedule["ScheduleExpression"],
            schedule["ScheduleExpressionTimezone"],
            json.loads(schedule["Target"]["Input"])["schedule"],
            handler_of(template, schedule["Target"]["Arn"]),
        )
        for schedule in properties(template, "AWS::Scheduler::Schedule")
    }

    assert deployed == {
        (schedule.expression, schedule.timezone, schedule.name, wiring.jobs_handler) for schedule in wiring.schedules
    }


@per_service
def test_stream_consumers_are_the_declared_ones_with_their_filters(
    synthesised: Synthesised, wiring: ServiceWiring
) -> None:
    template = synthesised.service_template(wiring)
    deployed = {
        (
            handler_of(template, mapping["FunctionName"]),
            tuple(canonical(json.loads(f["Pattern"])) for f in mapping["FilterCriteria"]["Filters"]),
        )
        for mapping in properties(template, "AWS::Lambda::EventSourceMapping")
        if mapping["EventSourceArn"].get("Fn::GetAtt", [None, None])[1] == "StreamArn"
    }

    assert deployed == {
        (consumer.handler, (canonical(consumer.filter_pattern),)) for consumer in wiring.stream_consumers
    }
