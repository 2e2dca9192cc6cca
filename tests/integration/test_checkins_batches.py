"""Many independent changes in few transactions (a bulk start, a day's reminders), against moto."""

from typing import Any

import pytest

from services.checkins.adapters.batches import Change, commit_each
from services.checkins.wiring import WIRING
from services.shared.aws import client
from services.shared.store import Put, TenantTable, Update
from tests.support import as_service, table_name


def test_changes_share_transactions_and_a_failed_one_is_left_out(aws: dict[str, Any]) -> None:
    sizes: list[int] = []
    client("dynamodb").meta.events.register(
        "provide-client-params.dynamodb.TransactWriteItems",
        lambda params, **_: sizes.append(len(params["TransactItems"])),
    )
    with as_service(WIRING):
        table = TenantTable(table_name(WIRING), "t")
        table.write([Put({"pk": table.key("X", "taken"), "sk": "S"})])

        def put(name: str) -> Put:
            return Put({"pk": table.key("X", name), "sk": "S"}, condition="attribute_not_exists(pk)")

        changes = [Change([put(f"p{n}"), put(f"q{n}")]) for n in range(60)]
        changes.insert(10, Change([put("taken"), put("never")]))
        # a second change to an item already in the transaction waits for the next one
        changes.append(Change([Update(table.key("X", "p59"), "S", "SET n = :one", values={":one": 1})]))
        committed = commit_each(table, changes, shared=[table.tenant_entry()])

        assert [n for n, done in enumerate(committed) if not done] == [10]
        assert table.get(table.key("X", "never"), "S") is None
        assert table.get(table.key("X", "q59"), "S") is not None
        assert table.get(table.key("X", "p59"), "S") == {"pk": table.key("X", "p59"), "sk": "S", "n": 1}
    # 49 changes of two and the shared entry fill a transaction; the one with the failed condition is
    # retried without it; the update of p59, written in the third, waits for a fourth
    assert sizes == [99, 97, 25, 2]


def test_a_change_too_big_for_a_transaction_is_a_programming_error(aws: dict[str, Any]) -> None:
    with as_service(WIRING):
        table = TenantTable(table_name(WIRING), "t")
        puts = [Put({"pk": table.key("X", str(n)), "sk": "S"}) for n in range(101)]
        with pytest.raises(ValueError):
            commit_each(table, [Change(puts)])
