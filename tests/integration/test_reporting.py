"""Reporting through its handlers against moto: events in, aggregates, the board report and its rules."""

from __future__ import annotations

import csv
import io
import json
import random
from typing import Any

from services.checkins.contracts.events import ActionItemCreated, CheckInCancelled, CheckInMissed
from services.enrolment.contracts import events as enrolment
from services.notifications.contracts.events import NotificationFailed, NotificationSent
from services.reporting.wiring import WIRING as REPORTING
from services.shared.store import from_dynamo
from tests.integration.reporting import (
    BOARD,
    COORDINATOR,
    TENANT,
    at,
    board,
    call,
    checkin,
    completed,
    consume,
    credential,
    cycle,
    enrolled,
    person,
    row,
    unit,
    wrap,
)
from tests.support import claims, table_name

# Department D with units A (8 people), B (6) and C (3); nobody on D itself.
PEOPLE = {"A": [f"a{i}" for i in range(8)], "B": [f"b{i}" for i in range(6)], "C": [f"c{i}" for i in range(3)]}


def directory() -> list[Any]:
    units = [unit("D", "Avdelningen"), unit("A", "Alfa", "D"), unit("B", "Beta", "D"), unit("C", "Gamma", "D")]
    return units + [person(p, u) for u, people in PEOPLE.items() for p in people]


def seat(model: type[Any], person_id: str, when: str, **extra: Any) -> Any:
    fields = {
        "registration_id": f"r-{person_id}",
        "session_id": "s1",
        "person_id": person_id,
        "programme_id": "chefsprogram",
        "stage_key": "dag-1",
    }
    if model in (enrolment.RegistrationConfirmed, enrolment.RegistrationWaitlisted, enrolment.RegistrationCancelled):
        fields |= {
            "programme_name": "Chefsprogrammet",
            "stage_name": "Dag 1",
            "starts_at": at("2026-05-01"),
            "ends_at": at("2026-05-01", 15),
            "location": None,
            "video_url": None,
        }
    return wrap(model(**fields, **extra), at(when))


def activity() -> list[Any]:
    """A half-year of activity in D: enrolments, completions, seats, attendance, check-ins, messages."""
    everyone = [p for people in PEOPLE.values() for p in people]
    events = [enrolled(p, "2026-02-02") for p in everyone]
    events += [completed(p, "2026-05-20") for p in PEOPLE["A"][:6]]
    events += [credential(p, "2026-05-21", n) for n, p in enumerate(PEOPLE["A"][:6])]
    events += [seat(enrolment.RegistrationConfirmed, p, "2026-03-01") for p in PEOPLE["A"] + PEOPLE["B"]]
    events += [seat(enrolment.RegistrationWaitlisted, p, "2026-03-02", ticket=n) for n, p in enumerate(PEOPLE["C"], 1)]
    events += [
        seat(enrolment.RegistrationCancelled, "b0", "2026-04-30", previous_status="confirmed", late=True, reason="sick")
    ]
    events += [seat(enrolment.AttendanceRecorded, p, "2026-05-01", attendance="present") for p in PEOPLE["A"][:7]]
    events += [
        seat(
            enrolment.NoShowRecorded,
            "a7",
            "2026-05-01",
            programme_name="C",
            stage_name="D",
            next_session_id=None,
            next_session_starts_at=None,
        )
    ]
    events += [cycle(p, "2026-01-10", ["2026-03-15", "2026-06-15", "2026-09-15"]) for p in PEOPLE["A"]]
    events += [
        checkin(p, "2026-03-14", {"stress": 4 if i < 6 else 2, "leadership": 5}) for i, p in enumerate(PEOPLE["A"])
    ]
    events += [checkin(p, "2026-03-20", {"stress": 4}, on_time=False) for p in PEOPLE["B"][:5]]
    events += [wrap(CheckInMissed(**_about("a7", "2026-06-15")), at("2026-06-20"))]
    events += [
        wrap(
            CheckInCancelled(
                **_about("a6", "2026-06-15"), reason="x", was_scheduled=False, starts_at=None, ends_at=None, sequence=1
            ),
            at("2026-06-01"),
        )
    ]
    events += [
        wrap(
            ActionItemCreated(
                action_item_id=f"i{n}", checkin_id="c", person_id=p, manager_id="m", owner_id=p, due_on=None
            ),
            at("2026-03-14"),
        )
        for n, p in enumerate(PEOPLE["A"])
    ]
    events += [
        wrap(
            enrolment.SessionEvaluated(session_id="s1", programme_id="chefsprogram", stage_key="dag-1", rating=r),
            at("2026-05-02"),
        )
        for r in (5, 4, 4, 3, 5, 2)
    ]
    events += [
        wrap(
            NotificationSent(category="seats", channel="email", kind="RegistrationConfirmed", count=14),
            at("2026-03-01"),
        )
    ]
    events += [
        wrap(
            NotificationFailed(
                category="seats", channel="email", kind="RegistrationConfirmed", reason="bounced", count=2
            ),
            at("2026-03-01"),
        )
    ]
    return events


def _about(person_id: str, due: str) -> dict[str, Any]:
    return {
        "checkin_id": f"{person_id}-{due}",
        "cycle_id": "cycle",
        "person_id": person_id,
        "manager_id": "m",
        "kind": "check-in",
        "focus_area": None,
        "due_on": due,
    }


def test_each_aggregate_from_a_stream_of_events(aws: dict[str, Any]) -> None:
    assert consume(*directory()) == {"batchItemFailures": []}
    for start in range(0, len(events := activity()), 10):
        assert consume(*events[start : start + 10]) == {"batchItemFailures": []}
    report = board("2026-H1")

    assert row(report, "programmes", "A") == {
        "enrolments_approved": 8,
        "stages_completed": 0,
        "programmes_completed": 6,
        "credentials_issued": 6,
        "registrations_confirmed": 8,
        "late_cancellations": 0,
        "attendance_rate": 87.5,  # 7 present of 8 recorded (the no-show is one of them)
        "no_show_rate": 12.5,
    }
    # C: 3 people enrolled, fewer than five; B is hidden with it, or D - A - B would give C away
    assert row(report, "programmes", "C")["enrolments_approved"] == "fewer_than_5"
    assert row(report, "programmes", "B")["enrolments_approved"] == "complementary"
    assert row(report, "programmes", "D")["enrolments_approved"] == 17
    assert row(report, "programmes", "*")["registrations_confirmed"] == 14
    assert row(report, "checkins", "A") == {
        "checkins_planned": 15,  # 8 people x 2 due in the half-year, less a cancelled one
        "checkins_completed": 8,
        "checkins_missed": "fewer_than_5",  # one person missed one
        "on_time_rate": 100.0,
        "action_items_created": 8,
        "action_items_completed": 0,
    }
    assert row(report, "checkins", "B")["on_time_rate"] == 0.0
    assert row(report, "indicators", "A") == {"pulse:leadership": 100.0, "pulse:stress": 75.0}
    assert row(report, "indicators", "D")["pulse:stress"] == round(100 * 11 / 13, 1)
    figures = report["figures"]["rows"][0]["cells"]
    assert figures["credentials_held"]["value"] == 6
    assert figures["workplaces:chefsprogram"]["value"] == 1  # one unit (A) has people who completed
    assert figures["waitlist_peak"]["value"] == 3
    assert (figures["messages_sent"]["value"], figures["messages_failed"]["value"]) == (14, 2)
    assert row(report, "sessions", "*") == {"evaluations": 6, "average": 3.83, "favourable": 66.7}
    trend = {r["name"]: r["cells"]["checkins_completed"] for r in report["trend"]["rows"]}
    assert trend["2026-03"] == {"value": 13, "suppressed": None}
    # the same events, by month and by quarter
    status, march, _ = call("GET", "/reports/figures", BOARD, query={"period": "2026-03"})
    assert status == 200
    checkins = next(t for t in march["tables"] if t["key"] == "checkins")
    assert next(r for r in checkins["rows"] if r["scope"] == "A")["cells"]["checkins_completed"]["value"] == 8
    status, q2, _ = call("GET", "/reports/figures", BOARD, query={"period": "2026-Q2", "unit_id": "A"})
    programmes = next(t for t in q2["tables"] if t["key"] == "programmes")
    assert programmes["rows"][0]["cells"]["programmes_completed"]["value"] == 6


def _report_without_time(period: str, who: dict[str, str]) -> dict[str, Any]:
    report = dict(board(period, who))
    for volatile in ("generated_at", "tenant_id"):
        report.pop(volatile)
    return report


def test_redelivered_and_out_of_order_events_give_the_same_figures(aws: dict[str, Any]) -> None:
    events = directory() + activity()
    consume(*events[:5])
    for start in range(5, len(events), 10):
        consume(*events[start : start + 10])
    other = [e.model_copy(update={"tenant_id": "other"}) for e in events]
    shuffled = other + other[:40]  # forty delivered twice
    random.Random(7).shuffle(shuffled)  # facts before their people, units after people...
    for start in range(0, len(shuffled), 10):
        assert consume(*shuffled[start : start + 10]) == {"batchItemFailures": []}

    assert _report_without_time("2026-H1", claims("b", "other", "board")) == _report_without_time("2026-H1", BOARD)


def test_a_person_moving_unit_mid_period_counts_where_they_were(aws: dict[str, Any]) -> None:
    consume(*directory())
    consume(checkin("a0", "2026-02-10", {"stress": 5}), enrolled("a0", "2026-02-10"))
    consume(person("a0", "B", when="2026-04-01"))  # moves to B
    consume(completed("a0", "2026-05-05"), checkin("a0", "2026-05-10", {"stress": 4}))
    consume(person("a0", "A", when="2026-03-01", hour=9))  # an older event, arriving late, changes nothing

    def figures(period: str, table: str, scope: str, column: str) -> Any:
        status, body, _ = call("GET", "/reports/figures", BOARD, query={"period": period})
        assert status == 200, body
        found = next(t for t in body["tables"] if t["key"] == table)
        return next(r for r in found["rows"] if r["scope"] == scope)["cells"][column]

    def own(period: str, scope: str) -> dict[str, Any]:
        key = {"pk": {"S": f"T#{TENANT}#AGG#{period}"}, "sk": {"S": scope}}
        return from_dynamo(aws["dynamodb"].get_item(TableName=table_name(REPORTING), Key=key).get("Item", {}))

    # February on A, May on B: counted where the person was, and in the department either way
    assert (own("2026-02", "A")["enrolments_approved"], own("2026-05", "B")["programmes_completed"]) == (1, 1)
    assert "programmes_completed" not in own("2026-05", "A") and "enrolments_approved" not in own("2026-02", "B")
    assert figures("2026-05", "programmes", "D", "programmes_completed") == {
        "value": None,
        "suppressed": "fewer_than_5",
    }
    # a respondent on each unit in the half-year, each rating where it was given
    half_a, half_b = own("2026-H1", "A"), own("2026-H1", "B")
    assert (half_a["r:stress:people"], half_a["r:stress:fav"], half_b["r:stress:people"], half_b["r:stress:n"]) == (
        1,
        1,
        1,
        1,
    )


def test_a_department_report_hides_what_the_tenants_report_hides(aws: dict[str, Any]) -> None:
    consume(*directory(), unit("E", "Egen avdelning"), *[person(f"e{i}", "E") for i in range(7)])
    consume(*[enrolled(p, "2026-02-02") for people in PEOPLE.values() for p in people])
    consume(*[enrolled(f"e{i}", "2026-02-02") for i in range(7)])
    whole, department = board("2026-H1"), board("2026-H1", unit_id="D")

    assert [r["scope"] for r in next(t for t in department["tables"] if t["key"] == "programmes")["rows"]] == [
        "D",
        "A",
        "B",
        "C",
    ]
    for scope in ("D", "A", "B", "C"):
        assert row(department, "programmes", scope) == row(whole, "programmes", scope)
    # a naive threshold shows B (6) and D (17): C = 17 - 8 - 6 = 3. Here B is hidden too.
    assert row(whole, "programmes", "C")["enrolments_approved"] == "fewer_than_5"
    assert row(whole, "programmes", "B")["enrolments_approved"] == "complementary"
    assert row(whole, "programmes", "*")["enrolments_approved"] == 24
    assert row(whole, "programmes", "E")["enrolments_approved"] == 7


def test_reports_are_for_board_viewers_coordinators_and_admins_of_the_tenant(aws: dict[str, Any]) -> None:
    consume(*directory(), *[enrolled(p, "2026-02-02") for p in PEOPLE["A"]])
    for role in ("participant", "manager", "trainer"):
        assert call("GET", "/reports/board", claims("x", TENANT, role), query={"period": "2026-H1"})[0] == 403
    assert row(board("2026-H1", COORDINATOR), "programmes", "A")["enrolments_approved"] == 8
    assert row(board("2026-H1", claims("x", TENANT, "admin")), "programmes", "A")["enrolments_approved"] == 8
    outsider = board("2026-H1", claims("board", "elsewhere", "board"))
    assert row(outsider, "programmes", "*")["enrolments_approved"] == 0
    assert call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "unit_id": "nowhere"})[0] == 404
    assert call("GET", "/reports/board", BOARD, query={"period": "2026-H3"})[0] == 422
    # nothing in any report names a person
    text = json.dumps(board("2026-H1"))
    assert not any(p in text for people in PEOPLE.values() for p in people)


def test_goals_show_movement_from_baseline_to_target(aws: dict[str, Any]) -> None:
    consume(*directory())
    consume(*[checkin(p, "2025-10-01", {"stress": 4 if i < 4 else 2}) for i, p in enumerate(PEOPLE["A"])])  # 50 %
    consume(*[checkin(p, "2026-03-01", {"stress": 4 if i < 5 else 2}) for i, p in enumerate(PEOPLE["A"])])  # 62.5 %
    goal = {
        "label_sv": "Rimlig stressnivå",
        "label_en": "Reasonable stress",
        "baseline_period": "2025-H2",
        "target_period": "2027-H2",
        "target_value": 70,
    }
    assert call("PUT", "/reports/goals/{indicator}", BOARD, goal, path_parameters={"indicator": "stress"})[0] == 403
    status, stored, _ = call(
        "PUT", "/reports/goals/{indicator}", COORDINATOR, goal, path_parameters={"indicator": "stress"}
    )
    assert (status, stored["indicator"], stored["source"]) == (200, "stress", "pulse")
    bad = goal | {"target_period": "2024-H1"}
    assert (
        call("PUT", "/reports/goals/{indicator}", COORDINATOR, bad, path_parameters={"indicator": "stress"})[0] == 422
    )

    (line,) = board("2026-H1")["goals"]
    assert line["baseline"]["value"] == 50.0 and line["baseline_period"] == "2025-H2"
    assert (line["previous"]["value"], line["current"]["value"], line["target"]) == (50.0, 62.5, 70)
    assert line["expected"] == 55.0  # a quarter of the way in a quarter of the time
    assert line["on_track"] is True
    english = board("2026-H1", lang="en")["goals"][0]
    assert english["label"] == "Reasonable stress" and english["source"] == "check-ins (pulse)"
    assert [g["indicator"] for g in call("GET", "/reports/goals", BOARD)[1]] == ["stress"]


def gotland_units() -> list[Any]:
    """Region Gotland's unit file as the directory publishes it: departments, and units under them."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "local" / "data" / "gotland_units_2024-03.csv").read_text(
        encoding="utf-8"
    )
    events, departments = [], {}
    for line in csv.DictReader(io.StringIO(text)):
        departments.setdefault(line["department_code"], unit(line["department_code"], line["department_name"]))
        events.append(
            unit(
                line["unit_code"],
                line["unit_name"],
                line["department_code"],
                employees=int(line["permanent_employees"]),
                managers=int(line["managers"]),
                area=line["guideline_area"],
            )
        )
    return [*departments.values(), *events]


def test_span_of_control_from_gotlands_files(aws: dict[str, Any]) -> None:
    consume(*gotland_units())
    guideline = (
        "guideline_area,base_employees_per_manager,adjustment_max\n"
        + "\n".join(line for line in open_guidelines().splitlines()[1:])
        + "\nTrasig rad,noll,5\n"
    )
    headers = {"content-type": "text/csv"}
    status, imported, _ = call("POST", "/reports/span-guidelines", COORDINATOR, raw_body=guideline, headers=headers)
    assert status == 200
    assert imported["accepted"] == 8
    assert imported["rejected"] == [
        {"line": 10, "field": "base_employees_per_manager", "reason": imported["rejected"][0]["reason"]}
    ]
    plain = {"content-type": "text/plain"}
    assert call("POST", "/reports/span-guidelines", COORDINATOR, raw_body=guideline, headers=plain)[0] == 415

    report = board("2026-H1")
    assert row(report, "span_of_control", "5200314") == {
        "employees": 115,
        "managers": 4,
        "per_manager": 28.75,
        "base": 30.0,
        "limit": 40.0,
        "flag": "Inom grundtal",
        "flag_key": "within",
    }
    assert row(report, "span_of_control", "5200305")["flag_key"] == "above_limit"  # Tingsbrogården: 44 per manager
    assert row(report, "span_of_control", "5200304")["flag_key"] == "above_base"  # Fältgatan 77: 35
    saebo = row(report, "span_of_control", "52003")
    assert (saebo["employees"], saebo["managers"]) == (494, 16)  # the department sums its eleven units
    assert saebo["per_manager"] == round(494 / 16, 2)


def open_guidelines() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "local" / "data" / "gotland_span_guideline.csv").read_text(
        encoding="utf-8"
    )
