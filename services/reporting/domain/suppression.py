"""Privacy: which cells of a report are suppressed. Pure.

A cell built from fewer than MIN_GROUP_SIZE people is suppressed (primary). A suppressed value must
not be recoverable either: wherever a published total is the sum of parts (a scope and the units
directly under it, a half-year and its months), one hidden part alone could be worked out as the
total minus the others. So each such sum has no hidden part or at least two, counting the part
nobody sees: the people placed on the parent unit itself (the residual). When only one is hidden,
the smallest other part is suppressed too (complementary), or, if none can hide it, the total. This
runs to a fixed point over the whole tenant, so a department's report (a filter) shows exactly the
decisions of the whole tenant's and no filter can undo another's suppression.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

MIN_GROUP_SIZE = 5


class Suppressed(StrEnum):
    FEWER_THAN_MIN = "fewer_than_5"  # built from fewer than five people
    COMPLEMENTARY = "complementary"  # hidden so that another hidden cell cannot be worked out


def small(people: int) -> bool:
    return 0 < people < MIN_GROUP_SIZE


def suppress(
    sums: Mapping[str, Sequence[str]],
    people: Mapping[str, int],
    already: Mapping[str, Suppressed] | None = None,
) -> dict[str, Suppressed]:
    """Suppressed cells, by cell. `sums`: each total and the parts it adds up; `people`: how many
    people built each cell (cells absent are zero); `already`: cells hidden by an earlier decision."""
    hidden: dict[str, Suppressed] = dict(already or {})
    for cell, count in people.items():
        if small(count):
            hidden.setdefault(cell, Suppressed.FEWER_THAN_MIN)
    changed = True
    while changed:
        changed = False
        for total, parts in sums.items():
            if total in hidden or not parts:
                continue
            residual = people.get(total, 0) - sum(people.get(p, 0) for p in parts)
            unknown = sum(1 for p in parts if p in hidden) + (1 if residual < 0 or small(residual) else 0)
            if unknown != 1:
                continue
            candidates = sorted((people.get(p, 0), p) for p in parts if p not in hidden and people.get(p, 0) > 0)
            partner = candidates[0][1] if candidates else total
            hidden[partner] = Suppressed.COMPLEMENTARY
            changed = True
    return hidden
