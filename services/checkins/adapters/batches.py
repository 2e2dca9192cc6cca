"""Many independent changes committed in as few transactions as fit: a bulk start, a day's reminders.

Each change (its writes and the events that announce it) stays all-or-nothing; changes share a
transaction only to save round trips. A change whose condition fails (started already, done by a run
at the same time) is left out and the others are committed without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from services.shared.envelope import EventEnvelope
from services.shared.store import ConditionFailed, Put, TenantTable, Write

MAX_ITEMS = 100  # TransactWriteItems' limit


@dataclass
class Change:
    writes: list[Write]
    events: list[EventEnvelope] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.writes) + len(self.events)

    def keys(self) -> set[tuple[str, str]]:
        return {_key(w) for w in self.writes}


def _key(write: Write) -> tuple[str, str]:
    if isinstance(write, Put):
        return str(write.item["pk"]), str(write.item["sk"])
    return write.pk, write.sk


def commit_each(table: TenantTable, changes: Sequence[Change], shared: Sequence[Write] = ()) -> list[bool]:
    """Commit each change, many to a transaction; which of them were committed. `shared` writes (that
    must not fail) go once into every transaction."""
    committed = [False] * len(changes)
    batch: list[int] = []
    keys: set[tuple[str, str]] = {_key(w) for w in shared}
    size = len(shared)
    for index, change in enumerate(changes):
        if change.size + len(shared) > MAX_ITEMS:
            raise ValueError(f"a change of {change.size} items does not fit a transaction")
        # DynamoDB refuses two writes to one item in a transaction: such changes go to the next one
        if size + change.size > MAX_ITEMS or keys & change.keys():
            _commit(table, changes, batch, shared, committed)
            batch, keys, size = [], {_key(w) for w in shared}, len(shared)
        batch.append(index)
        keys |= change.keys()
        size += change.size
    _commit(table, changes, batch, shared, committed)
    return committed


def _commit(
    table: TenantTable, changes: Sequence[Change], batch: list[int], shared: Sequence[Write], committed: list[bool]
) -> None:
    while batch:
        writes: list[Write] = []
        owner: list[int] = []  # the change each write position belongs to
        for index in batch:
            writes += changes[index].writes
            owner += [index] * len(changes[index].writes)
        events = [event for index in batch for event in changes[index].events]
        try:
            table.write([*writes, *shared], events)
        except ConditionFailed as failure:
            if not failure.failed or any(position >= len(owner) for position in failure.failed):
                raise  # a shared write or an event's outbox item: not a change's own condition
            failed = {owner[position] for position in failure.failed}
            batch = [index for index in batch if index not in failed]
            continue
        for index in batch:
            committed[index] = True
        return
