"""The data layer: tenant-scoped access to a service's table, and the outbox.

Every key begins with `T#<tenant>#`. A `TenantTable` is made for one tenant (from the verified
identity of a request, or the envelope of a consumed event) and refuses any key outside it, so a
route cannot reach another tenant's items however it builds its keys.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from services.shared.aws import client
from services.shared.envelope import EventEnvelope
from services.shared.errors import DomainError, FieldProblem
from services.shared.wiring import OUTBOX_KIND

Item = dict[str, Any]
TENANT_KEYS = ("pk", "gsi1pk", "gsi2pk")  # attributes that are partition keys of the table or an index
# The one partition outside any tenant: which tenants a service has seen, so a schedule can visit
# each. It holds tenant ids only, and a tenant can write just its own entry.
TENANTS_PK = "PLATFORM#TENANTS"


class TenantBoundaryViolation(Exception):
    """A key outside the tenant: a programming error, never a user's."""


class ConditionFailed(Exception):
    """A guarded write found the item not in the state it required."""

    def __init__(self, failed: list[int]) -> None:
        super().__init__(f"condition failed on write(s) {failed}")
        self.failed = failed  # positions in the transaction


class BadCursor(DomainError):
    def __init__(self) -> None:
        super().__init__("The cursor is not one this list gave out.", [FieldProblem("cursor", "unknown cursor")])


def to_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _attribute(v) for k, v in item.items() if v is not None}


def from_dynamo(item: Mapping[str, Any]) -> Item:
    return {k: _value(v) for k, v in item.items()}


def _attribute(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value (our own: boto3's serializer costs its import)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float | Decimal):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, Mapping):
        return {"M": {k: _attribute(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [_attribute(v) for v in value]}
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _value(attribute: Mapping[str, Any]) -> Any:
    ((tag, raw),) = attribute.items()
    match tag:
        case "S" | "B" | "BOOL":
            return raw
        case "N":
            return _number(raw)
        case "NULL":
            return None
        case "M":
            return {k: _value(v) for k, v in raw.items()}
        case "L":
            return [_value(v) for v in raw]
        case "SS" | "BS":
            return set(raw)
        case "NS":
            return {_number(v) for v in raw}
    raise TypeError(f"unknown attribute type {tag}")


@dataclass(frozen=True)
class Put:
    item: Item
    condition: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Update:
    pk: str
    sk: str
    expression: str
    condition: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Delete:
    pk: str
    sk: str
    condition: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    pk: str
    sk: str
    condition: str
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


Write = Put | Update | Delete | Check


@dataclass(frozen=True)
class Page:
    items: list[Item]
    cursor: str | None


class TenantTable:
    def __init__(self, table_name: str, tenant_id: str) -> None:
        if not tenant_id or "#" in tenant_id:
            raise TenantBoundaryViolation(f"not a tenant id: {tenant_id!r}")
        self.table_name = table_name
        self.tenant_id = tenant_id
        self.prefix = f"T#{tenant_id}#"

    def key(self, *parts: str) -> str:
        return self.prefix + "#".join(parts)

    def _own(self, key: str) -> str:
        if not key.startswith(self.prefix):
            raise TenantBoundaryViolation("key outside the tenant")
        return key

    def _own_item(self, item: Mapping[str, Any]) -> None:
        if item.get("pk") == TENANTS_PK and item.get("sk") == self.tenant_id:
            return
        for name in TENANT_KEYS:
            if name in item:
                self._own(item[name])

    def get(self, pk: str, sk: str, consistent: bool = True) -> Item | None:
        response = client("dynamodb").get_item(
            TableName=self.table_name,
            Key=to_dynamo({"pk": self._own(pk), "sk": sk}),
            ConsistentRead=consistent,
        )
        return from_dynamo(response["Item"]) if "Item" in response else None

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Many items by key, 100 per round trip (BatchGetItem), retrying what comes back unprocessed."""
        found: dict[tuple[str, str], Item] = {}
        unique = list(dict.fromkeys((self._own(pk), sk) for pk, sk in keys))
        for start in range(0, len(unique), 100):
            request = {
                self.table_name: {"Keys": [to_dynamo({"pk": pk, "sk": sk}) for pk, sk in unique[start : start + 100]]}
            }
            while request:
                response = client("dynamodb").batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(self.table_name, []):
                    item = from_dynamo(raw)
                    found[(item["pk"], item["sk"])] = item
                request = response.get("UnprocessedKeys") or {}
        return found

    def query(
        self,
        pk: str,
        sk_prefix: str | None = None,
        *,
        index: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        newest_first: bool = False,
        sk_from: str | None = None,
        sk_until: str | None = None,
        attributes: Sequence[str] = (),
    ) -> Page:
        """Items of a partition: all, those whose sort key begins with `sk_prefix`, or sorts from `sk_from`
        (the lowest when absent) up to `sk_until`; with `attributes`, only those of each item."""
        pk_name, sk_name = (f"{index}pk", f"{index}sk") if index else ("pk", "sk")  # gsiN: gsiNpk, gsiNsk
        expression, values = "#pk = :pk", {":pk": self._own(pk)}
        if sk_prefix:
            expression, values = expression + " AND begins_with(#sk, :sk)", values | {":sk": sk_prefix}
        elif sk_until and sk_from:
            expression += " AND #sk BETWEEN :from AND :sk"
            values |= {":from": sk_from, ":sk": sk_until}
        elif sk_until:
            expression, values = expression + " AND #sk <= :sk", values | {":sk": sk_until}
        names = {"#pk": pk_name} | ({"#sk": sk_name} if sk_prefix or sk_until else {})
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_dynamo(values),
            "ScanIndexForward": not newest_first,
        }
        if attributes:
            projected = {f"#p{i}": name for i, name in enumerate(attributes)}
            request["ProjectionExpression"] = ", ".join(projected)
            request["ExpressionAttributeNames"] = names | projected
        if index:
            request["IndexName"] = index
        if limit:
            request["Limit"] = limit
        if cursor:
            request["ExclusiveStartKey"] = self._decode_cursor(cursor)
        items: list[Item] = []
        while True:
            response = client("dynamodb").query(**request)
            items.extend(from_dynamo(i) for i in response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if limit or not last:
                break
            request["ExclusiveStartKey"] = last
        return Page(items=items, cursor=self._encode_cursor(last) if limit and last else None)

    def _encode_cursor(self, last_key: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode()

    def _decode_cursor(self, cursor: str) -> dict[str, Any]:
        try:
            last_key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            keys = [v["S"] for k, v in last_key.items() if k in TENANT_KEYS]
        except (ValueError, binascii.Error, TypeError, KeyError, AttributeError) as error:
            raise BadCursor() from error
        if not keys or not all(k.startswith(self.prefix) for k in keys):
            raise BadCursor()
        return dict(last_key)

    def increment(self, pk: str, sk: str, attribute: str, *, item_must_exist: bool = True) -> int:
        """Add one to a counter (from zero when absent) and return the new value: one round trip."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": to_dynamo({"pk": self._own(pk), "sk": sk}),
            "UpdateExpression": "SET #counter = if_not_exists(#counter, :zero) + :one",
            "ExpressionAttributeNames": {"#counter": attribute},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"}},
            "ReturnValues": "UPDATED_NEW",
        }
        if item_must_exist:
            request["ConditionExpression"] = "attribute_exists(pk)"
        response = client("dynamodb").update_item(**request)
        return int(response["Attributes"][attribute]["N"])

    def write(self, writes: Sequence[Write], events: Sequence[EventEnvelope] = ()) -> None:
        """Commit the writes and the outbox items of the events together, or nothing at all."""
        for event in events:
            if event.tenant_id != self.tenant_id:
                raise TenantBoundaryViolation("event of another tenant")
        all_writes = [*writes, *(self.outbox_item(e) for e in events)]
        if len(all_writes) == 1 and isinstance(all_writes[0], Put | Update):
            self._single(all_writes[0])
            return
        try:
            client("dynamodb").transact_write_items(TransactItems=[self._transact(w) for w in all_writes])
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            failed = [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]
            if not failed:
                raise
            raise ConditionFailed(failed) from error

    def put_many(self, puts: Sequence[Put]) -> None:
        """Unguarded puts, 25 per round trip (BatchWriteItem), retrying what comes back unprocessed.

        Not atomic: only for items whose keys make writing them twice harmless."""
        if any(p.condition for p in puts):
            raise ValueError("put_many cannot guard a put with a condition")
        for put in puts:
            self._own_item(put.item)
        for start in range(0, len(puts), 25):
            request = {self.table_name: [{"PutRequest": {"Item": to_dynamo(p.item)}} for p in puts[start : start + 25]]}
            while request:
                response = client("dynamodb").batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}

    def has(self, pk: str, sk: str) -> bool:
        response = client("dynamodb").get_item(
            TableName=self.table_name,
            Key=to_dynamo({"pk": self._own(pk), "sk": sk}),
            ProjectionExpression="pk",
            ConsistentRead=True,
        )
        return "Item" in response

    def _single(self, write: Put | Update) -> None:
        request = self._transact(write)
        ((operation, body),) = request.items()
        try:
            if operation == "Put":
                client("dynamodb").put_item(**body)
            else:
                client("dynamodb").update_item(**body)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConditionFailed([0]) from error
            raise

    def outbox_item(self, event: EventEnvelope) -> Put:
        return Put(
            item={
                "pk": self.key("OUTBOX", event.id),
                "sk": "OUTBOX",
                "kind": OUTBOX_KIND,
                "envelope": event.model_dump_json(),
                "expires_at": int(time.time()) + 7 * 86400,
            },
            condition="attribute_not_exists(pk)",
        )

    def tenant_entry(self) -> Put:
        """The registry entry that lets scheduled jobs find this tenant (idempotent)."""
        return Put({"pk": TENANTS_PK, "sk": self.tenant_id})

    def _transact(self, write: Write) -> dict[str, Any]:
        body: dict[str, Any] = {"TableName": self.table_name}
        if isinstance(write, Put):
            self._own_item(write.item)
            body["Item"] = to_dynamo(write.item)
            operation = "Put"
        else:
            body["Key"] = to_dynamo({"pk": self._own(write.pk), "sk": write.sk})
            operation = {Update: "Update", Delete: "Delete", Check: "ConditionCheck"}[type(write)]
            if isinstance(write, Update):
                body["UpdateExpression"] = write.expression
        if write.condition:
            body["ConditionExpression"] = write.condition
        if write.names:
            body["ExpressionAttributeNames"] = write.names
        if write.values:
            for value in write.values.values():
                if isinstance(value, str) and value.startswith("T#"):
                    self._own(value)
            body["ExpressionAttributeValues"] = to_dynamo(write.values)
        return {operation: body}


def flag_once(item: Mapping[str, Any], flag: str) -> Update:
    """Set `flag` on a stored item, only if it is not set yet: what a job has done, done once."""
    return Update(
        pk=str(item["pk"]),
        sk=str(item["sk"]),
        expression="SET #flag = :true",
        condition="attribute_exists(pk) AND attribute_not_exists(#flag)",
        names={"#flag": flag},
        values={":true": True},
    )


def known_tenants(table_name: str) -> list[str]:
    """Every tenant that has written a registry entry to this table: for scheduled jobs only."""
    paginator = client("dynamodb").get_paginator("query")
    pages = paginator.paginate(
        TableName=table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": TENANTS_PK}},
        ProjectionExpression="sk",
    )
    return [item["sk"]["S"] for page in pages for item in page.get("Items", [])]
