"""Employee-survey results and key figures as indicator sources: the import, row by row, idempotent and
versioned; beside the pulse in the board report; goals moved by them; suppressed like every figure."""

from __future__ import annotations

import json
from typing import Any

from services.reporting.wiring import WIRING as REPORTING
from services.shared.store import from_dynamo
from tests.integration.reporting import BOARD, COORDINATOR, board, call, checkin, consume, row
from tests.integration.test_reporting import PEOPLE, directory
from tests.support import table_name

HEADER = "unit_id,period,kind,key,respondents,favourable_share,d1,d2,d3,d4,d5,value\n"
SURVEY_2026 = (
    HEADER
    + "A,2026-H1,survey,Q1,,,1,2,3,8,6,\n"  # 20 respondents, 14 favourable
    + "B,2026-H1,survey,Q1,3,66.7,,,,,,\n"  # 3 respondents: suppressed
    + "C,2026-H1,survey,Q1,15,60,,,,,,\n"
    + "A,2026-H1,survey,stress,20,55,,,,,,\n"
    + "*,2026-H1,key_figure,sick_leave_rate,,,,,,,,2.1\n"
    + "A,2026-H1,key_figure,headcount,,,,,,,,20\n"
)


def post(text: str, source: str = "Medarbetarundersökning 2026", content_type: str = "text/csv") -> tuple[int, Any]:
    status, body, _ = call(
        "POST",
        "/reports/imports",
        COORDINATOR,
        raw_body=text,
        headers={"content-type": content_type},
        query={"source": source},
    )
    return status, body


def outbox(aws: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(REPORTING))["Items"]]
    envelopes = [json.loads(i["envelope"]) for i in items if i.get("kind") == "outbox"]
    return [e["data"] for e in envelopes if e["type"] == kind]


def setup(aws: dict[str, Any]) -> None:
    consume(*directory())
    mapping = {"questions": {"Q1": "leadership"}}
    assert call("PUT", "/reports/survey-questions", COORDINATOR, mapping)[0] == 200


def test_a_valid_import_shows_beside_the_pulse_with_its_source(aws: dict[str, Any]) -> None:
    setup(aws)
    consume(*[checkin(p, "2026-03-01", {"leadership": 4}) for p in PEOPLE["A"]])
    assert post(SURVEY_2026, content_type="text/plain")[0] == 415
    assert call("POST", "/reports/imports", BOARD, raw_body=SURVEY_2026, headers={"content-type": "text/csv"})[0] == 403
    status, result = post(SURVEY_2026)
    assert status == 200, result
    assert (result["accepted"], result["changed"], result["unchanged"], result["rejected"]) == (6, 5, 0, [])

    report = board("2026-H1")
    (leadership,) = [i for i in report["indicators"] if i["indicator"] == "leadership"]
    assert leadership["pulse"] == {"value": 100.0, "suppressed": None}
    assert leadership["survey"]["value"] == round(100 * (14 + 2 + 9) / 38, 1)  # A 14/20, B 2/3, C 9/15
    assert leadership["survey_source"].startswith("Medarbetarundersökning 2026, version 1")
    assert row(report, "survey", "A")["survey:leadership"] == 70.0
    assert row(report, "survey", "*")["key:sick_leave_rate"] == 2.1
    assert row(report, "survey", "A")["key:headcount"] == 20
    assert any("Medarbetarundersökning 2026, version 1: 4 enheter, 2026-H1" in s for s in report["sources"])
    assert outbox(aws, "SurveyResultsImported")[0] | {"import_id": "x"} == {
        "import_id": "x",
        "source": "Medarbetarundersökning 2026",
        "periods": ["2026-H1"],
        "units": 3,
        "changed": 3,
        "unchanged": 0,
        "rejected": 0,
    }
    assert [e["units"] for e in outbox(aws, "KeyFiguresImported")] == [2]
    listed = call("GET", "/reports/imports", BOARD, query={"period": "2026-H1"})[1]
    assert sorted((i["kind"], i["unit_id"], i["version"]) for i in listed) == [
        ("key_figure", "*", 1),
        ("key_figure", "A", 1),
        ("survey", "A", 1),
        ("survey", "B", 1),
        ("survey", "C", 1),
    ]


def test_every_kind_of_bad_row_is_named_by_its_line(aws: dict[str, Any]) -> None:
    setup(aws)
    text = (
        HEADER
        + "A,2026-H1,survey,Q1,20,70,,,,,,\n"  # 2: fine
        + "Z,2026-H1,survey,Q1,20,70,,,,,,\n"  # 3: no such unit
        + "A,2026-H3,survey,Q1,20,70,,,,,,\n"  # 4: not a half-year
        + "A,2026-H1,opinion,Q1,20,70,,,,,,\n"  # 5: no such kind
        + "A,2026-H1,survey,Q9,20,70,,,,,,\n"  # 6: a question nobody mapped
        + "A,2026-H1,survey,stress,,70,,,,,,\n"  # 7: a share without respondents
        + "A,2026-H1,survey,stress,20,170,,,,,,\n"  # 8: a share over 100
        + "A,2026-H1,survey,recovery,,,1,2,3,,,\n"  # 9: half a distribution
        + "A,2026-H1,survey,recovery,9,,1,2,3,2,2,\n"  # 10: respondents not the sum
        + "A,2026-H1,key_figure,happiness,,,,,,,,3\n"  # 11: no such key figure
        + "A,2026-H1,key_figure,sick_leave_rate,,,,,,,,130\n"  # 12: a rate over 100
        + "A,2026-H1,key_figure,headcount,,,,,,,,\n"  # 13: no value
        + "A,2026-H1,survey,Q1,20,71,,,,,,\n"  # 14: the same figure as line 2
        + "A,2026-H1,survey,competence_development,many,70,,,,,,\n"  # 15: not a number
    )
    status, result = post(text)
    assert status == 200
    assert result["accepted"] == 1
    assert [(r["line"], r["field"]) for r in result["rejected"]] == [
        (3, "unit_id"),
        (4, "period"),
        (5, "kind"),
        (6, "key"),
        (7, "favourable_share"),
        (8, "favourable_share"),
        (9, "d1"),
        (10, "respondents"),
        (11, "key"),
        (12, "value"),
        (13, "value"),
        (14, "key"),
        (15, "respondents"),
    ]
    assert all(r["reason"] for r in result["rejected"])
    # JSON: rows by their position
    document = {
        "source": "Enkät JSON",
        "rows": [
            {
                "unit_id": "A",
                "period": "2026-H1",
                "kind": "survey",
                "key": "stress",
                "respondents": 20,
                "favourable_share": 50,
            },
            {"unit_id": "A", "period": "2026-H1"},
            "nonsense",
        ],
    }
    status, result = post(json.dumps(document), source="", content_type="application/json")
    assert status == 422  # an empty source is refused
    status, result = call("POST", "/reports/imports", COORDINATOR, document)[:2]
    assert status == 200 and result["source"] == "Enkät JSON"
    assert [(r["line"], r["field"]) for r in result["rejected"]] == [(2, "kind"), (3, "unit_id")]


def test_importing_the_same_file_changes_nothing_and_a_correction_is_a_new_version(aws: dict[str, Any]) -> None:
    setup(aws)
    post(SURVEY_2026)
    status, again = post(SURVEY_2026)
    assert (status, again["changed"], again["unchanged"]) == (200, 0, 5)
    assert len(outbox(aws, "SurveyResultsImported")) == 1  # nothing new to announce
    corrected = SURVEY_2026.replace("C,2026-H1,survey,Q1,15,60", "C,2026-H1,survey,Q1,15,80").replace(
        "A,2026-H1,survey,stress,20,55,,,,,,\n", ""
    )
    status, fixed = post(corrected, source="Medarbetarundersökning 2026, rättad")
    assert (fixed["changed"], fixed["unchanged"]) == (2, 3)  # C's figures, and A's without stress
    report = board("2026-H1")
    assert row(report, "survey", "D")["survey:leadership"] == round(100 * (14 + 2 + 12) / 38, 1)  # C: 12 of 15 now
    assert "survey:stress" not in row(report, "survey", "A")  # the correction replaced A's set
    assert any("rättad, version 2: 2 enheter" in s for s in report["sources"])
    listed = {
        (i["kind"], i["unit_id"]): i for i in call("GET", "/reports/imports", BOARD, query={"period": "2026-H1"})[1]
    }
    assert (listed[("survey", "C")]["version"], listed[("survey", "B")]["version"]) == (2, 1)
    history = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table_name(REPORTING))["Items"]]
    versions = sorted(i["sk"] for i in history if i["pk"].endswith("#IMPORTED#2026-H1#survey#C"))
    assert versions == ["v00001", "v00002"]  # every version kept


def test_a_goal_whose_baseline_is_the_survey_and_current_value_a_later_import(aws: dict[str, Any]) -> None:
    setup(aws)
    post(
        HEADER + "A,2024-H1,survey,Q1,20,50,,,,,,\nC,2024-H1,survey,Q1,20,50,,,,,,\n",
        source="Medarbetarundersökning 2024",
    )
    post(SURVEY_2026)
    goal = {
        "label_sv": "Min chef leder väl",
        "source": "survey",
        "baseline_period": "2024-H1",
        "target_period": "2027-H1",
        "target_value": 80,
    }
    assert (
        call("PUT", "/reports/goals/{indicator}", COORDINATOR, goal, path_parameters={"indicator": "leadership"})[0]
        == 200
    )
    (line,) = board("2026-H1")["goals"]
    assert line["baseline"]["value"] == 50.0 and line["baseline_source"].startswith(
        "Medarbetarundersökning 2024, version 1"
    )
    assert line["current"]["value"] == round(100 * 25 / 38, 1) and line["source"].startswith(
        "Medarbetarundersökning 2026"
    )
    assert line["previous"] == {"value": None, "suppressed": None}  # no survey in 2025-H2
    assert line["expected"] == 70.0 and line["on_track"] is False  # 65.8 where a straight line is at 70
    sick = {
        "label_sv": "Sjukfrånvaro",
        "source": "key_figure",
        "direction": "decrease",
        "baseline_period": "2024-H1",
        "baseline_value": 2.26,
        "target_period": "2027-H1",
        "target_value": 1.8,
    }
    call("PUT", "/reports/goals/{indicator}", COORDINATOR, sick, path_parameters={"indicator": "sick_leave_rate"})
    lines = {g["indicator"]: g for g in board("2026-H1")["goals"]}
    assert (lines["sick_leave_rate"]["current"]["value"], lines["sick_leave_rate"]["on_track"]) == (2.1, False)


def test_a_unit_with_three_respondents_is_suppressed_and_so_is_its_way_through_the_total(aws: dict[str, Any]) -> None:
    setup(aws)
    post(SURVEY_2026)
    report = board("2026-H1")
    survey = {scope: row(report, "survey", scope)["survey:leadership"] for scope in ("A", "B", "C", "D", "*")}
    # B alone hidden would be D - A - C: C (the smallest other) is hidden as well
    assert survey == {"A": 70.0, "B": "fewer_than_5", "C": "complementary", "D": 65.8, "*": 65.8}
    department = board("2026-H1", unit_id="D")
    assert {
        r["scope"]: r["cells"]["survey:leadership"]["suppressed"]
        for r in next(t for t in department["tables"] if t["key"] == "survey")["rows"]
    } == {
        "D": None,
        "A": None,
        "B": "fewer_than_5",
        "C": "complementary",
    }
