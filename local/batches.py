"""Partial batch responses, read as Lambda's event source mappings read them (SQS and streams alike)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def failed_item_ids(result: Any, batch_ids: Sequence[str]) -> set[str]:
    """The ids a function reported as failed: message ids (SQS) or sequence numbers (streams).

    None, {} or an empty list means every item succeeded; an answer Lambda cannot read (an item
    without a known id, or a malformed shape) fails the whole batch.
    """
    everything = set(batch_ids)
    if result is None:
        return set()
    if not isinstance(result, dict):
        return everything
    failures = result.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return everything
    failed = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if identifier not in everything:
            return everything
        failed.add(identifier)
    return failed
