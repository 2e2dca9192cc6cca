"""The local stack, started once per test session: the same system `make run` starts, on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from local.stack import LocalStack
from local.topology import BUS_NAME


@pytest.fixture(scope="session")
def _running_stack() -> Iterator[LocalStack]:
    with LocalStack(port=0, aws_port=0, demo=False) as running:
        yield running


@pytest.fixture
def stack(_running_stack: LocalStack) -> LocalStack:
    """The session's stack, checked to still hold its resources.

    moto keeps its state per process, and `mock_aws()` wipes all of it on entry and exit; a test
    using it in the same process (pytest-xdist puts other tests beside the "stack" group) would
    leave this stack without its bus, tables and queues, and the next test failing obscurely.
    """
    try:
        _running_stack.client("events").describe_event_bus(Name=BUS_NAME)
    except ClientError:
        pytest.fail(
            "moto's state was reset under the local stack, most likely by mock_aws() in a test run in this "
            "same process; run the stack tests in a pytest process of their own (pytest tests/stack)."
        )
    return _running_stack
