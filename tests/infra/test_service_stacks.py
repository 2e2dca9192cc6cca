"""Each service stack: its table, functions, queues and schedules, and what each function may do."""

from __future__ import annotations

from typing import Any

import pytest

from infra.components.api import is_public
from infra.settings import DLQ_MAX_RECEIVE_COUNT, LAMBDA_PLATFORM, METRICS_NAMESPACE
from services.registry import SERVICES
from services.shared.wiring import RELAY_HANDLER, Route, ServiceWiring
from tests.infra.conftest import SERVICE_IDS, Synthesised
from tests.infra.templates import (
    alarmed_queues,
    as_list,
    imported,
    logical_id,
    properties,
    referenced,
    resources,
    statements,
)

pytestmark = [pytest.mark.infra, pytest.mark.xdist_group("infra")]
per_service = pytest.mark.parametrize("wiring", SERVICES, ids=SERVICE_IDS)


def _table(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    ((table_id, table),) = resources(template, "AWS::DynamoDB::Table").items()
    return table_id, table


@per_service
def test_the_table_is_the_declared_table(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    _, table = _table(synthesised.service_template(wiring))
    spec, props = wiring.table, table["Properties"]
    indexes = {
        index["IndexName"]: (
            [(key["AttributeName"], key["KeyType"]) for key in index["KeySchema"]],
            index["Projection"],
        )
        for index in props.get("GlobalSecondaryIndexes", [])
    }

    assert props["KeySchema"] == [
        {"AttributeName": spec.partition_key, "KeyType": "HASH"},
        {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
    ]
    assert indexes == {
        index.name: ([(index.partition_key, "HASH"), (index.sort_key, "RANGE")], {"ProjectionType": "ALL"})
        for index in spec.indexes
    }
    assert {attribute["AttributeType"] for attribute in props["AttributeDefinitions"]} == {"S"}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    assert table["DeletionPolicy"] == "Retain"


@per_service
def test_every_function_runs_alike_and_knows_its_service(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    table_id, _ = _table(template)
    functions = properties(template, "AWS::Lambda::Function")
    log_groups = resources(template, "AWS::Logs::LogGroup")

    assert functions
    for function in functions:
        environment = function["Environment"]["Variables"]
        assert function["Runtime"] == LAMBDA_PLATFORM.runtime.name
        assert function["Architectures"] == [LAMBDA_PLATFORM.architecture.name]
        assert environment["TABLE_NAME"] == {"Ref": table_id}
        assert imported(environment["EVENT_BUS_NAME"])  # the platform's bus
        assert {key: environment[key] for key in ("SERVICE_NAME", "POWERTOOLS_SERVICE_NAME")} == {
            "SERVICE_NAME": wiring.name,
            "POWERTOOLS_SERVICE_NAME": wiring.name,
        }
        assert environment["POWERTOOLS_METRICS_NAMESPACE"] == METRICS_NAMESPACE
        assert environment["LOG_LEVEL"] == "INFO"
        assert wiring.environment.items() <= environment.items()
        log_group = log_groups[logical_id(function["LoggingConfig"]["LogGroup"])]
        assert log_group["Properties"]["RetentionInDays"] == 30


def test_routes_need_a_token_unless_public(synthesised: Synthesised) -> None:
    platform = synthesised.platform_template()
    (authorizer_id,) = resources(platform, "AWS::ApiGatewayV2::Authorizer")
    for wiring in SERVICES:
        for route in properties(synthesised.service_template(wiring), "AWS::ApiGatewayV2::Route"):
            method, path = route["RouteKey"].split(" ")
            if is_public(Route(method, path)):
                assert route["AuthorizationType"] == "NONE"
                assert "AuthorizerId" not in route
            else:
                assert route["AuthorizationType"] == "JWT"
                (export,) = imported(route["AuthorizerId"])
                assert authorizer_id in export
            declared = {r.route_key: r.scopes for r in wiring.routes()}[route["RouteKey"]]
            assert route.get("AuthorizationScopes", []) == list(declared)
    scoped = [r.route_key for w in SERVICES for r in w.routes() if r.scopes]
    assert scoped == ["POST /course-completions"]  # the one route systems call; no person's token opens it


@per_service
def test_every_queue_is_encrypted_tls_only_and_fails_into_an_alarm(
    synthesised: Synthesised, wiring: ServiceWiring
) -> None:
    template = synthesised.service_template(wiring)
    queues = resources(template, "AWS::SQS::Queue")
    alarmed = alarmed_queues(template)
    tls_only = {
        logical_id(queue)
        for policy in properties(template, "AWS::SQS::QueuePolicy")
        for statement in policy["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for queue in policy["Queues"]
    }

    assert tls_only == set(queues)
    for queue_id, queue in queues.items():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
        redrive = queue["Properties"].get("RedrivePolicy")
        if queue_id not in alarmed:  # a working queue: it hands what fails to an alarmed DLQ
            assert redrive["maxReceiveCount"] == DLQ_MAX_RECEIVE_COUNT
            assert logical_id(redrive["deadLetterTargetArn"]) in alarmed


@per_service
def test_subscriptions_fill_the_service_queue(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    queues = resources(template, "AWS::SQS::Queue")
    alarmed = alarmed_queues(template)
    sqs_mappings = [m for m in properties(template, "AWS::Lambda::EventSourceMapping") if "StartingPosition" not in m]

    for rule in properties(template, "AWS::Events::Rule"):
        (target,) = rule["Targets"]
        assert queues[logical_id(target["Arn"])]["Properties"]["QueueName"] == f"{wiring.name}-events"
        assert logical_id(target["DeadLetterConfig"]["Arn"]) in alarmed  # undeliverable events too
        # the platform's bus, or for AWS services' events the default bus
        assert imported(rule["EventBusName"]) or rule["EventBusName"] == "default"
    for mapping in sqs_mappings:
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert len(sqs_mappings) == (1 if wiring.subscriptions else 0)


@per_service
def test_stream_consumers_retry_a_bounded_number_of_times_then_alarm(
    synthesised: Synthesised, wiring: ServiceWiring
) -> None:
    template = synthesised.service_template(wiring)
    table_id, _ = _table(template)
    alarmed = alarmed_queues(template)
    mappings = [m for m in properties(template, "AWS::Lambda::EventSourceMapping") if "StartingPosition" in m]

    assert len(mappings) == len(wiring.stream_consumers)
    for mapping in mappings:
        assert mapping["EventSourceArn"] == {"Fn::GetAtt": [table_id, "StreamArn"]}
        assert mapping["StartingPosition"] == "TRIM_HORIZON"
        assert mapping["BatchSize"] == 100
        assert mapping["BisectBatchOnFunctionError"] is True
        assert mapping["MaximumRetryAttempts"] == 5
        assert logical_id(mapping["DestinationConfig"]["OnFailure"]["Destination"]) in alarmed


@per_service
def test_schedules_invoke_the_jobs_function_and_fail_into_an_alarm(
    synthesised: Synthesised, wiring: ServiceWiring
) -> None:
    template = synthesised.service_template(wiring)
    alarmed = alarmed_queues(template)
    by_role: dict[str, list[dict[str, Any]]] = {}
    for role, statement in statements(template):
        by_role.setdefault(role, []).append(statement)

    for schedule in properties(template, "AWS::Scheduler::Schedule"):
        target = schedule["Target"]
        role_id = logical_id(target["RoleArn"])
        trust = template["Resources"][role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
        assert schedule["Name"].startswith(f"{wiring.name}-")
        assert logical_id(target["DeadLetterConfig"]["Arn"]) in alarmed
        assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert [s["Principal"] for s in trust] == [{"Service": "scheduler.amazonaws.com"}]
        invokes = [s for s in by_role[role_id] if s["Action"] == "lambda:InvokeFunction"]
        assert [s["Resource"] for s in invokes] == [target["Arn"]]  # this function, no version wildcard


def _allowed(statement: dict[str, Any]) -> tuple[list[str], list[Any]]:
    return as_list(statement["Action"]), as_list(statement["Resource"])


@per_service
def test_functions_touch_only_their_own_service(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    """Every permission names a resource of this stack, with five reasoned exceptions."""
    template = synthesised.service_template(wiring)
    own = set(template["Resources"])
    for _, statement in statements(template):
        actions, targets = _allowed(statement)
        assert statement["Effect"] == "Allow"
        assert "dynamodb:Scan" not in actions
        assert not [action for action in actions if "*" in action]
        for target in targets:
            if target == "*":  # ListStreams, X-Ray's tracing and SMS to a phone number have no resource
                assert actions in (
                    ["dynamodb:ListStreams"],
                    ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                    ["sns:Publish"],
                )
            elif imported(target):  # the platform's bus, and only to publish
                assert actions == ["events:PutEvents"]
            elif actions[0].startswith("ses:") and target["Fn::Join"][1][-1] == ":identity/*":
                continue  # the sender's verified identities
            else:
                assert {name for name in referenced(target) if not name.startswith("AWS::")} <= own


@per_service
def test_only_the_relay_publishes_and_only_as_its_service(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    roles_of = {
        logical_id(function["Role"]): function["Handler"] for function in properties(template, "AWS::Lambda::Function")
    }
    publishing = [(role, s) for role, s in statements(template) if "events:PutEvents" in as_list(s["Action"])]

    assert [roles_of[role] for role, _ in publishing] == [RELAY_HANDLER]
    assert [s["Condition"] for _, s in publishing] == [{"StringEquals": {"events:source": wiring.source}}]


@per_service
def test_every_function_is_traced(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    functions = properties(synthesised.service_template(wiring), "AWS::Lambda::Function")

    assert {f["TracingConfig"]["Mode"] for f in functions} == {"Active"}


def test_only_the_mailer_sends_email_or_sms(synthesised: Synthesised) -> None:
    senders = set()
    for wiring in SERVICES:
        template = synthesised.service_template(wiring)
        for role, statement in statements(template):
            if any(action.startswith(("ses:", "sns:Publish")) for action in as_list(statement["Action"])):
                (function,) = [
                    f for f in properties(template, "AWS::Lambda::Function") if logical_id(f["Role"]) == role
                ]
                senders.add(function["Handler"])

    assert senders == {
        consumer.handler for wiring in SERVICES for consumer in wiring.stream_consumers if consumer.name == "mailer"
    }


def test_service_stacks_depend_on_the_platform_only(synthesised: Synthesised) -> None:
    for stack in synthesised.built.services.values():
        assert [dependency.stack_name for dependency in stack.dependencies] == [synthesised.built.platform.stack_name]
    assert synthesised.built.platform.dependencies == []


@per_service
def test_resources_are_tagged(synthesised: Synthesised, wiring: ServiceWiring) -> None:
    template = synthesised.service_template(wiring)
    _, table = _table(template)
    tags = {tag["Key"]: tag["Value"] for tag in table["Properties"]["Tags"]}

    assert tags == {"project": "ledarlyft", "service": wiring.name, "data-residency": "EU/EEA"}
    for function in properties(template, "AWS::Lambda::Function"):
        assert {tag["Key"] for tag in function["Tags"]} >= {"project", "service", "data-residency"}


def test_handlers_are_where_the_wiring_says(synthesised: Synthesised) -> None:
    for wiring in SERVICES:
        template = synthesised.service_template(wiring)
        declared = [h for h in (wiring.api_handler, wiring.consumer_handler, wiring.jobs_handler) if h]
        declared += [consumer.handler for consumer in wiring.stream_consumers]
        assert sorted(f["Handler"] for f in properties(template, "AWS::Lambda::Function")) == sorted(declared)
