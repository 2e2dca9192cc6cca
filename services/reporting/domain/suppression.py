"""Privacy: which cells of a report are suppressed. Pure.

A cell built from fewer than MIN_GROUP_SIZE people is suppressed (primary). A suppressed value must
not be recoverable either: wherever a published total is the sum of parts (a scope and the units
directly under it, a half-year and its months), a lone hidden term could be worked out from the
others: a part as the total minus the rest, a total as the sum of its parts. So each such sum has no
hidden term or at least two, counting the term nobody sees: the people placed on the parent unit
itself (the residual), which must not be worked out either when it is small. When only one term is
hidden, the smallest published part is hidden too (complementary), or, if there is none, the total. This
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
            if not parts:
                continue
            residual = people.get(total, 0) - sum(people.get(p, 0) for p in parts)
            unknown = (total in hidden) + sum(p in hidden for p in parts) + (residual < 0 or small(residual))
            if unknown != 1:
                continue
            # the smallest part that has people, else an empty one, else the total
            candidates = sorted((people.get(p, 0) == 0, people.get(p, 0), p) for p in parts if p not in hidden)
            partner = candidates[0][2] if candidates else total
            hidden[partner] = Suppressed.COMPLEMENTARY
            changed = True
    return hidden
