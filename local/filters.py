"""Lambda event-filter matching, the subset the wiring uses.

A pattern is a dict whose leaves are lists of allowed exact values; a dict value descends into the
record. A record value that is a list matches when any of its elements is allowed. Content filters
(`prefix`, `exists`, `numeric`, `anything-but`, ...) are not implemented: `check_pattern` refuses
them at start-up, so a pattern the local stack cannot honour fails loudly instead of matching wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class UnsupportedPattern(ValueError):
    pass


def check_pattern(pattern: Mapping[str, Any], path: str = "") -> None:
    """Raise UnsupportedPattern unless every leaf is a non-empty list of exact values."""
    if not isinstance(pattern, Mapping) or not pattern:
        raise UnsupportedPattern(f"{path or 'pattern'}: must be a non-empty object")
    for key, allowed in pattern.items():
        where = f"{path}.{key}" if path else key
        if isinstance(allowed, Mapping):
            check_pattern(allowed, where)
        elif not isinstance(allowed, list) or not allowed:
            raise UnsupportedPattern(f"{where}: must be an object or a non-empty list of values")
        elif any(isinstance(value, Mapping | list) for value in allowed):
            raise UnsupportedPattern(f"{where}: content filters are not supported locally")


def matches(pattern: Mapping[str, Any], record: Any) -> bool:
    """Whether `record` satisfies every key of `pattern` (keys are ANDed, list values ORed)."""
    if not isinstance(record, Mapping):
        return False
    for key, allowed in pattern.items():
        if key not in record:
            return False
        value = record[key]
        if isinstance(allowed, Mapping):
            if not matches(allowed, value):
                return False
        elif not _allowed(value, allowed):
            return False
    return True


def _allowed(value: Any, allowed: list[Any]) -> bool:
    candidates = value if isinstance(value, list) else [value]
    return any(_same(candidate, option) for candidate in candidates for option in allowed)


def _same(value: Any, option: Any) -> bool:
    # JSON's true is not 1 and "1" is not 1; bool is a subclass of int, so test it first.
    if isinstance(value, bool) or isinstance(option, bool):
        return value is option
    if isinstance(value, int | float) and isinstance(option, int | float):
        return value == option
    return type(value) is type(option) and value == option
