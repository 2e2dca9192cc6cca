"""The board report over HTTP on the local stack: directory and check-ins in, a suppressed report out, published."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


class Client:
    def __init__(self, stack: Any, sub: str, tenant: str, *roles: str) -> None:
        self.base = stack.base_url
        self.headers = {"Authorization": f"Bearer {stack.token(sub, tenant, list(roles))}"}

    def __call__(self, method: str, path: str, body: Any = None, **params: str) -> requests.Response:
        return requests.request(method, self.base + path, json=body, params=params, headers=self.headers, timeout=30)


def test_check_ins_reach_a_suppressed_board_report_that_is_published_for_good(stack: Any) -> None:
    tenant = f"board-{uuid.uuid4().hex[:8]}"
    coordinator = Client(stack, "coord", tenant, "coordinator")
    manager = Client(stack, "maja", tenant, "manager")
    board = Client(stack, "board", tenant, "board")
    for unit_id, unit in (
        ("d", {"name": "Avdelning", "kind": "department"}),
        ("a", {"name": "Alfa", "parent_id": "d"}),
        ("b", {"name": "Beta", "parent_id": "d"}),
    ):
        assert coordinator("PUT", f"/units/{unit_id}", unit).status_code == 200
    people = [("a", n) for n in range(6)] + [("b", n) for n in range(3)]
    for unit_id, n in people:
        body = {"name": f"Person {unit_id}{n}", "unit_id": unit_id, "manager_id": "maja"}
        assert coordinator("PUT", f"/people/{unit_id}{n}", body).status_code == 200

    def recorded(held: dict[str, Any]) -> bool:
        return manager("POST", "/checkins", held).status_code == 201

    for unit_id, n in people:
        held = {
            "person_id": f"{unit_id}{n}",
            "held_on": "2026-11-20",
            "focus_area": "Arbetsmiljö",
            "pulse": 4 if n % 2 else 5,
        }
        # check-ins learns from the directory's events that maja is their manager: a 403 until it has
        assert stack.wait_for(partial(recorded, held), timeout=60, interval=0.5)

    def completed() -> int:
        response = board("GET", "/reports/figures", period="2026-11")
        if response.status_code != 200:  # a cold worker on a busy machine may time out once
            return -1
        checkins = next(t for t in response.json()["tables"] if t["key"] == "checkins")
        counted = checkins["rows"][0]["cells"]["checkins_completed"]["value"]  # hidden while fewer than five
        return -1 if counted is None else int(counted)

    stack.wait_for(lambda: completed() == 9, timeout=60)
    report = board("GET", "/reports/board", period="2026-H2")
    assert report.status_code == 200, report.text
    indicators = next(t for t in report.json()["tables"] if t["key"] == "indicators")
    pulse = {row["scope"]: row["cells"]["pulse:pulse"] for row in indicators["rows"]}
    assert pulse["b"] == {"value": None, "suppressed": "fewer_than_5"}
    assert pulse["a"] == {"value": None, "suppressed": "complementary"}  # else a = d - b
    assert pulse["d"] == {"value": 100.0, "suppressed": None}
    assert "pulse" not in str(board("GET", "/reports/board", period="2026-H2", unit_id="b").json()["goals"])

    page = board("GET", "/reports/board", period="2026-H2", format="html")
    assert page.headers["content-type"].startswith("text/html") and "<svg" in page.text
    workbook = board("GET", "/reports/board", period="2026-H2", format="xlsx")
    assert workbook.content[:2] == b"PK"  # a zip: the xlsx container
    assert Client(stack, "anna", tenant, "participant")("GET", "/reports/board", period="2026-H2").status_code == 403

    published = coordinator("POST", "/reports/published", {"period": "2026-H2"})
    assert published.status_code == 201, published.text
    version = published.json()
    stored = board("GET", f"/reports/published/2026-H2/all/{version['version_id']}")
    assert stored.status_code == 200
    assert next(t for t in stored.json()["tables"] if t["key"] == "indicators")["rows"] == indicators["rows"]
