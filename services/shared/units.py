"""The unit tree as every service sees it from the directory's events: a unit stands for itself and
every unit under it. Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol


class TreeUnit(Protocol):
    @property
    def unit_id(self) -> str: ...

    @property
    def parent_id(self) -> str | None: ...


def units_within(unit_ids: Iterable[str], units: Iterable[TreeUnit]) -> set[str]:
    """The units named and every unit under them."""
    children: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        if unit.parent_id:
            children[unit.parent_id].append(unit.unit_id)
    found: set[str] = set()
    todo = list(unit_ids)
    while todo:
        unit_id = todo.pop()
        if unit_id not in found:
            found.add(unit_id)
            todo.extend(children[unit_id])
    return found
