"""Capacity holds under concurrency: 200 people register at once for 20 seats, five times over (a race
shows up by chance): once in `make test`, the other four times in `make reliability`."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]

PEOPLE, SEATS, ROUNDS = 200, 20, 5
THROTTLE_RETRIES = 5


def headers(stack: Any, sub: str, tenant: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.token(sub, tenant, list(roles or ('participant',)))}"}


@pytest.mark.parametrize("round_", [0, *(pytest.param(n, marks=pytest.mark.reliability) for n in range(1, ROUNDS))])
def test_two_hundred_at_once_for_twenty_seats(stack: Any, round_: int) -> None:
    tenant, year = f"rush-{uuid.uuid4().hex[:8]}", date.today().year + 1
    coordinator = headers(stack, "coord", tenant, "coordinator")
    programme = {"name": "Rush", "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}]}
    programme_id = requests.post(
        f"{stack.base_url}/programmes", json=programme, headers=coordinator, timeout=30
    ).json()["programme_id"]
    body = {"stage_key": "f1", "starts_at": f"{year}-05-05T13:00", "ends_at": f"{year}-05-05T15:00", "capacity": SEATS}
    session = requests.post(
        f"{stack.base_url}/programmes/{programme_id}/sessions", json=body, headers=coordinator, timeout=30
    ).json()
    tokens = [headers(stack, f"p{n}", tenant) for n in range(PEOPLE)]

    def register(person: int) -> requests.Response:
        url = f"{stack.base_url}/sessions/{session['session_id']}/registrations"
        for attempt in range(THROTTLE_RETRIES):
            answer = requests.post(url, headers=tokens[person], timeout=120)
            if answer.status_code != 429:  # throttled: nothing was written, and a client tries again
                return answer
            time.sleep(0.5 * (attempt + 1))
        return answer

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(register, range(PEOPLE)))

    assert [a.status_code for a in answers] == [201] * PEOPLE
    registrations = [a.json() for a in answers]
    confirmed = [r for r in registrations if r["status"] == "confirmed"]
    waiting = sorted((r for r in registrations if r["status"] == "waitlisted"), key=lambda r: r["ticket"])
    assert (len(confirmed), len(waiting)) == (SEATS, PEOPLE - SEATS)
    # the line is the order the service accepted the requests in: one ticket each, none lost or doubled
    assert [r["ticket"] for r in waiting] == list(range(1, PEOPLE - SEATS + 1))

    roster = requests.get(
        f"{stack.base_url}/sessions/{session['session_id']}/registrations", headers=coordinator, timeout=30
    ).json()
    assert sorted(r["person_id"] for r in roster) == sorted(f"p{n}" for n in range(PEOPLE))
    counters = requests.get(
        f"{stack.base_url}/sessions/{session['session_id']}", headers=coordinator, timeout=30
    ).json()
    assert (counters["confirmed"], counters["waiting"], counters["seats_left"]) == (SEATS, PEOPLE - SEATS, 0)

    # a freed seat goes to ticket 1
    leaver = confirmed[0]["person_id"]
    cancel_url = f"{stack.base_url}/sessions/{session['session_id']}/registrations/{leaver}"
    assert requests.delete(cancel_url, headers=tokens[int(leaver[1:])], timeout=30).status_code == 200
    first = waiting[0]["person_id"]
    mine = requests.get(f"{stack.base_url}/me/registrations", headers=tokens[int(first[1:])], timeout=30).json()
    assert mine["items"][0]["status"] == "confirmed"
