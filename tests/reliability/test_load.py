"""The local stack under load from a second process holds its ledger and answers no 5xx (a short run;
`make load` runs the full minute and prints the figures)."""

import pytest

from tests.reliability.load import report, run

pytestmark = [pytest.mark.reliability]


def test_a_short_load_leaves_the_ledger_whole_and_no_5xx() -> None:
    result = run(clients=20, seconds=15)
    print(report(result, 20))

    assert result["problems"] == []
    assert not [status for status in result["tally"].statuses if status >= 500]
    assert sum(result["tally"].statuses.values()) > 50
