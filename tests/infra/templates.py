"""Reading synthesised CloudFormation: what a value refers to, which function a resource points at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

Template = dict[str, Any]


def resources(template: Template, resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


def properties(template: Template, resource_type: str) -> list[dict[str, Any]]:
    return [value.get("Properties", {}) for value in resources(template, resource_type).values()]


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def referenced(value: Any) -> set[str]:
    """Logical ids (and pseudo parameters) a value refers to through Ref or Fn::GetAtt."""
    found = set()
    for key, inner in _walk(value):
        if key == "Ref":
            found.add(inner)
        elif key == "Fn::GetAtt":
            found.add(inner[0])
    return found


def imported(value: Any) -> set[str]:
    return {inner for key, inner in _walk(value) if key == "Fn::ImportValue"}


def logical_id(value: Any) -> str:
    """The one resource a Ref / Fn::GetAtt value names."""
    (found,) = {name for name in referenced(value) if not name.startswith("AWS::")}
    return found


def handler_of(template: Template, function_reference: Any) -> str:
    return str(template["Resources"][logical_id(function_reference)]["Properties"]["Handler"])


def statements(template: Template) -> list[tuple[str, dict[str, Any]]]:
    """Every IAM statement, with the logical id of the role it is attached to."""
    found = []
    for policy in properties(template, "AWS::IAM::Policy"):
        (role,) = [logical_id(role) for role in policy["Roles"]]
        found += [(role, statement) for statement in policy["PolicyDocument"]["Statement"]]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def alarmed_queues(template: Template) -> set[str]:
    """Queues with an alarm as soon as one message is visible, notifying someone."""
    found = set()
    for alarm in properties(template, "AWS::CloudWatch::Alarm"):
        if (
            alarm.get("MetricName") == "ApproximateNumberOfMessagesVisible"
            and alarm["ComparisonOperator"] == "GreaterThanThreshold"
            and alarm["Threshold"] == 0
            and alarm.get("AlarmActions")
        ):
            (dimension,) = alarm["Dimensions"]
            found.add(logical_id(dimension["Value"]))
    return found
