"""The local stack under a bounded load from a second process on loopback, then its seat ledger checked.

    make load                      # 50 clients for a minute
    python -m tests.reliability.load --clients 50 --seconds 60

Clients register for, cancel and read a few small sessions as fast as the stack answers; afterwards no
seat may be held twice, the line must be in the order it was joined, and every session's counters must
equal its registrations. Prints requests per second and latency percentiles, per kind of request.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from local.auth import TokenAuthority

SESSIONS, CAPACITY = 3, 8


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds * 1000)
            self.statuses[status] += 1


def start_stack() -> tuple[subprocess.Popen[str], str]:
    """`python -m local` in a process of its own, on free ports, without demo data."""
    process = subprocess.Popen(
        [sys.executable, "-m", "local", "--port", "0", "--aws-port", "0", "--no-demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"API\s+(http://127\.0\.0\.1:\d+)", line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()
            return process, found.group(1)
    raise RuntimeError("the local stack did not start")


def setup(base: str, tenant: str, authority: TokenAuthority) -> list[str]:
    coordinator = {"Authorization": f"Bearer {authority.issue('coord', tenant, ['coordinator'])}"}
    programme = {"programme_id": "load", "name": "Load", "stages": [{"key": "s", "name": "S", "kind": "forum"}]}
    requests.post(f"{base}/programmes", json=programme, headers=coordinator, timeout=30).raise_for_status()
    year = date.today().year + 1
    sessions = []
    for n in range(SESSIONS):
        body = {"stage_key": "s", "starts_at": f"{year}-0{n + 1}-10T13:00", "ends_at": f"{year}-0{n + 1}-10T14:00"}
        created = requests.post(
            f"{base}/programmes/load/sessions", json=body | {"capacity": CAPACITY}, headers=coordinator, timeout=30
        )
        created.raise_for_status()
        sessions.append(created.json()["session_id"])
    return sessions


def client(base: str, token: str, sessions: list[str], until: float, tally: Tally, seed: int) -> None:
    chooser, headers, mine = random.Random(seed), {"Authorization": f"Bearer {token}"}, set()
    person = token_subject(token)
    with requests.Session() as http:
        while time.monotonic() < until:
            session = chooser.choice(sessions)
            roll = chooser.random()
            if roll < 0.2:
                kind, method, url = "read", "GET", f"{base}/me/registrations"
            elif roll < 0.3:
                kind, method, url = "read", "GET", f"{base}/sessions/{session}"
            elif session in mine:
                kind, method = "cancel", "DELETE"
                url = f"{base}/sessions/{session}/registrations/{person}"
            else:
                kind, method, url = "register", "POST", f"{base}/sessions/{session}/registrations"
            started = time.perf_counter()
            response = http.request(method, url, headers=headers, timeout=60)
            tally.record(kind, response.status_code, time.perf_counter() - started)
            if kind == "register" and response.status_code in (201, 409):
                mine.add(session)
            elif kind == "cancel" and response.status_code in (200, 404, 409):
                mine.discard(session)


def token_subject(token: str) -> str:
    import jwt

    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def check_ledger(base: str, tenant: str, authority: TokenAuthority, sessions: list[str]) -> list[str]:
    """What is wrong with the ledger, if anything: seats over capacity or held twice, two in line at one
    place, a seat free while someone waits (the line moves in order of its places), counters unequal to
    the registrations."""
    coordinator = {"Authorization": f"Bearer {authority.issue('coord', tenant, ['coordinator'])}"}
    problems = []
    for session_id in sessions:
        counters = requests.get(f"{base}/sessions/{session_id}", headers=coordinator, timeout=30).json()
        roster = requests.get(f"{base}/sessions/{session_id}/registrations", headers=coordinator, timeout=30).json()
        by_status = Counter(r["status"] for r in roster)
        holding = by_status["confirmed"] + by_status["offered"]
        people = [r["person_id"] for r in roster]
        tickets = [r["ticket"] for r in roster if r["status"] == "waitlisted"]
        if len(people) != len(set(people)):
            problems.append(f"{session_id}: a person twice in the roster")
        if holding > counters["capacity"]:
            problems.append(f"{session_id}: {holding} seats held of {counters['capacity']}")
        if (counters["confirmed"], counters["waiting"]) != (holding, by_status["waitlisted"]):
            problems.append(
                f"{session_id}: counters {counters['confirmed']}/{counters['waiting']} vs {holding}/{by_status['waitlisted']}"
            )
        if None in tickets or len(tickets) != len(set(tickets)):
            problems.append(f"{session_id}: two in line share a place: {tickets}")
        if holding < counters["capacity"] and by_status["waitlisted"]:
            problems.append(f"{session_id}: a free seat while {by_status['waitlisted']} wait")
    return problems


def run(clients: int, seconds: float) -> dict[str, Any]:
    process, base = start_stack()
    try:
        authority, tenant = TokenAuthority(), f"load-{uuid.uuid4().hex[:8]}"
        sessions = setup(base, tenant, authority)
        tokens = [authority.issue(f"p{n}", tenant, ["participant"]) for n in range(clients)]
        tally, until = Tally(), time.monotonic() + seconds
        threads = [
            threading.Thread(target=client, args=(base, token, sessions, until, tally, n))
            for n, token in enumerate(tokens)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        return {
            "tally": tally,
            "elapsed": elapsed,
            "problems": check_ledger(base, tenant, authority, sessions),
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(result: dict[str, Any], clients: int) -> str:
    tally: Tally = result["tally"]
    total = sum(len(v) for v in tally.latencies.values())
    lines = [
        f"{clients} clients for {result['elapsed']:.0f} s: {total} requests, {total / result['elapsed']:.1f} per second",
        f"statuses: {dict(sorted(tally.statuses.items()))}",
        f"{'request':10} {'count':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'mean ms':>8}",
    ]
    for kind, latencies in sorted(tally.latencies.items()):
        lines.append(
            f"{kind:10} {len(latencies):6} {percentile(latencies, 0.5):8.0f} {percentile(latencies, 0.9):8.0f} "
            f"{percentile(latencies, 0.99):8.0f} {statistics.mean(latencies):8.0f}"
        )
    lines.append("ledger: " + ("holds" if not result["problems"] else "; ".join(result["problems"])))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    arguments = parser.parse_args()
    result = run(arguments.clients, arguments.seconds)
    print(report(result, arguments.clients))
    server_errors = sum(n for status, n in result["tally"].statuses.items() if status >= 500)
    if result["problems"] or server_errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
