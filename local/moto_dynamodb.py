"""Four fixes that make moto's DynamoDB behave as DynamoDB does: under concurrent requests, and in
what its answers cost.

1. One request at a time: DynamoDB isolates (serialises) conflicting writes; moto has no lock, so a
   request that changes a table while another reads or copies it fails with a 500, or lets two
   transactions both pass conditions only one of them should.
2. Transactions check every condition first and then apply every write, as DynamoDB does. moto
   instead writes as it goes and, to roll back, deep-copies the whole table once per item of every
   transaction: its cost grows with the table, and swapping the copy in breaks stream iterators.
3. Items are answered as DynamoDB answers them, written straight as JSON. moto walks every attribute
   of every item through botocore's shape model (about 50 microseconds an attribute), so that reading
   60 items took a fifth of a second and a read's time grew with every counter filled in. Anything
   JSON cannot carry as it is (binary values, dates) still goes through moto's own serializer.
4. A projection of top-level attributes picks them from the item. moto converts the whole item to
   plain Python and back once per projected attribute, so a read of three counters cost as much as
   the item had attributes, and grew as counters filled in; a nested path still goes moto's way.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.core.responses import ActionResult, BaseResponse
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item, LimitedSizeDict
from moto.dynamodb.responses import DynamoHandler

_LOCK = threading.Lock()
_CONDITION_FAILED = ("ConditionalCheckFailed", "The conditional request failed")
_ITEM_ACTIONS = {
    "GetItem",
    "BatchGetItem",
    "Query",
    "Scan",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
}
_JSON_SCALARS = (str, int, float, bool)


class _NotPlainJson(Exception):
    pass


def _plain(value: Any) -> Any:
    """`value` as DynamoDB's JSON carries it (members without a value left out), or _NotPlainJson."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if type(value) in _JSON_SCALARS:
        return value
    raise _NotPlainJson


def _answered_as_json(self: BaseResponse, result: ActionResult) -> tuple[int, dict[str, Any], str | bytes]:
    if self._get_action() in _ITEM_ACTIONS and not isinstance(result.result, Exception):
        try:
            body = json.dumps(_plain(result.result))
        except _NotPlainJson:
            pass
        else:
            return 200, {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}, body
    return _SERIALIZED(self, result)


_SERIALIZED = DynamoHandler.serialized


def _project(self: Item, projection_expressions: list[list[str]]) -> Item:
    names = [path[0] for path in projection_expressions if len(path) == 1 and "[" not in path[0]]
    if len(names) < len(projection_expressions):
        return _PROJECTED(self, projection_expressions)
    projected = Item(self.hash_key, self.range_key, {})
    # built whole: moto's item re-checks the size of every attribute on each one added
    projected.attrs = LimitedSizeDict({name: self.attrs[name] for name in names if name in self.attrs})
    return projected


_PROJECTED = Item.project


def _key(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    targets: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException()
        ((op_type, op),) = item.items()
        key = _key(self, op_type, op)
        target = (op["TableName"], str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        condition = op.get("ConditionExpression")
        current = self.get_item(op["TableName"], key)
        holds = condition is None or get_filter_expression(
            condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current)
        old = (
            current.to_json()["Attributes"]
            if current and op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
            else None
        )
        reasons.append((None, None, None) if holds else (*_CONDITION_FAILED, old))
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    for item in transact_items:
        ((op_type, op),) = item.items()
        names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        if op_type == "Put":
            self.put_item(op["TableName"], op["Item"])
        elif op_type == "Delete":
            self.delete_item(op["TableName"], op["Key"])
        elif op_type == "Update":
            self.update_item(
                op["TableName"],
                op["Key"],
                update_expression=op["UpdateExpression"],
                expression_attribute_names=names,
                expression_attribute_values=values,
            )


def make_dynamodb_faithful() -> None:
    if getattr(DynamoHandler.call_action, "serialised", False):
        return
    original = DynamoHandler.call_action

    def call_action(self: DynamoHandler) -> Any:
        with _LOCK:
            return original(self)

    call_action.serialised = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    DynamoHandler.serialized = _answered_as_json  # type: ignore[method-assign,assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Item.project = _project  # type: ignore[method-assign]
