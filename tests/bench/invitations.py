"""Inviting a large organisation to a session, end to end, against moto in server mode.

    make bench-invitations        # or: python -m tests.bench.invitations [--people 2000] [--runs 5]

Two steps, each timed as the median of `--runs` and as a ratio to the same DynamoDB requests replayed
bare (no handler, no domain code) in the same run against the same server:
- enrolment: `POST /sessions/{id}/invitations` choosing, among `--people` in a unit tree, those for
  whom the stage is open (a tenth are enrolled, half of those hold a seat already);
- notifications: consuming one InvitationsSent event (500 people, the most one event carries):
  a notification each and an email for those who want one, written in batches.
"""

from __future__ import annotations

import argparse
import json
import statistics
from datetime import date
from typing import Any

from tests.bench.moto_server import Recorder, measure, start_moto


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    server = start_moto()
    # imported after the environment is set: the handlers read their settings once
    from services.enrolment import api
    from services.enrolment.contracts.events import InvitationsSent, PersonUpserted, people_per_event
    from services.enrolment.wiring import WIRING as ENROLMENT
    from services.notifications import subscribers
    from services.notifications.wiring import WIRING as NOTIFICATIONS
    from services.shared.aws import client
    from services.shared.envelope import EventContext, EventEnvelope
    from tests.support import as_service, claims, http_event, sqs_event, table_name

    dynamodb = client("dynamodb")
    for wiring in (ENROLMENT, NOTIFICATIONS):
        dynamodb.create_table(**wiring.table.create_table_request(table_name(wiring)))
    recorder = Recorder(dynamodb)
    coordinator = claims("coord", "bench", "coordinator")
    people = [f"p{n:05d}" for n in range(options.people)]

    def handle(method: str, route: str, who: dict[str, str], body: Any = None, **params: str) -> Any:
        event = http_event(method, route, who, body, path_parameters=params or None)
        if isinstance(body, str):
            event = http_event(method, route, who, raw_body=body, headers={"content-type": "text/csv"})
        response = api.lambda_handler(event, None)
        assert response["statusCode"] < 300, (method, route, response["body"])
        return json.loads(response["body"])

    with as_service(ENROLMENT):
        units = "unit_id,name,kind,parent_id\norg,Org,organisation,\n"
        units += "".join(f"d{d},Department {d},department,org\n" for d in range(4))
        units += "".join(f"u{u},Unit {u},unit,d{u % 4}\n" for u in range(40))
        handle("POST", "/imports/units", coordinator, units)
        rows = "".join(f"{p},Person {p},u{n % 40},participant\n" for n, p in enumerate(people))
        handle("POST", "/imports/people", coordinator, "person_id,name,unit_id,roles\n" + rows)
        programme = {
            "programme_id": "bench",
            "name": "Bench",
            "stages": [{"key": "f1", "name": "F1", "kind": "instructor-led"}],
        }
        handle("POST", "/programmes", coordinator, programme)
        year = date.today().year + 1
        session = {"stage_key": "f1", "starts_at": f"{year}-11-04T13:00", "ends_at": f"{year}-11-04T15:45"}
        session |= {"capacity": options.people}
        session_id = handle("POST", "/programmes/{programme_id}/sessions", coordinator, session, programme_id="bench")[
            "session_id"
        ]
        for n, person in enumerate(people[: options.people // 10]):
            who = claims(person, "bench")
            handle("POST", "/programmes/{programme_id}/enrolments", who, {}, programme_id="bench")
            if n % 2:
                handle("POST", "/sessions/{session_id}/registrations", who, session_id=session_id)

        audience = {"audience": {"roles": ["participant"], "unit_ids": ["org"]}}
        invited: list[int] = []

        def invite(_: int) -> None:
            invited.append(
                handle("POST", "/sessions/{session_id}/invitations", coordinator, audience, session_id=session_id)[
                    "invited"
                ]
            )

        invite(0)  # warm: the programme version cache, the clients
        recorder.start()
        invite(0)
        enrolment_calls = recorder.stop()
        enrolment_ms = measure(invite, options.runs)
        enrolment_bare = measure(lambda _: recorder.replay(enrolment_calls), options.runs)

    context = EventContext(tenant_id="bench", actor="coord", correlation_id="bench")
    batch = people_per_event(people)[0]

    with as_service(NOTIFICATIONS):
        contacts = [
            EventEnvelope.wrap(
                PersonUpserted(
                    person_id=p,
                    name=p,
                    email=f"{p}@example.se",
                    mobile=None,
                    language="sv",
                    unit_id=None,
                    manager_id=None,
                    roles=["participant"],
                ),
                context,
            )
            for p in batch
        ]
        for start in range(0, len(contacts), 10):
            subscribers.lambda_handler(sqs_event(*contacts[start : start + 10]), None)

        def invitation() -> EventEnvelope:
            event = InvitationsSent(programme_id="bench", programme_name="Bench", note=None, person_ids=batch)
            return EventEnvelope.wrap(event, context)

        def fan_out(_: int) -> None:
            assert subscribers.lambda_handler(sqs_event(invitation()), None) == {"batchItemFailures": []}

        fan_out(0)
        recorder.start()
        fan_out(0)
        fan_out_calls = recorder.stop()
        fan_out_ms = measure(fan_out, options.runs)
        fan_out_bare = measure(lambda _: recorder.replay(fan_out_calls), options.runs)

    print(f"{options.people} people in 44 units; median of {options.runs} runs; moto server")
    print(f"{'step':44} {'round trips':>12} {'median ms':>10} {'bare ms':>8} {'ratio':>6}")
    for name, timings, bare, calls in (
        (f"enrolment: choose and invite ({invited[-1]} invited)", enrolment_ms, enrolment_bare, enrolment_calls),
        (f"notifications: tell {len(batch)} (one event)", fan_out_ms, fan_out_bare, fan_out_calls),
    ):
        median, bare_median = statistics.median(timings), statistics.median(bare)
        kinds: dict[str, int] = {}
        for operation, _ in calls:
            kinds[operation] = kinds.get(operation, 0) + 1
        detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        print(f"{name:44} {len(calls):12} {median:10.1f} {bare_median:8.1f} {median / bare_median:6.2f}   ({detail})")
    server.stop()


if __name__ == "__main__":
    main()
