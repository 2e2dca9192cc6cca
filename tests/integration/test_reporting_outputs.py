"""Reporting's outputs: published versions that never change, the Excel and CSV exports, the HTML page in a
real headless Chromium, and a rebuild from the recorded events that gives identical aggregates."""

from __future__ import annotations

import base64
import io
import json
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from openpyxl import load_workbook

from services.reporting import rebuild
from services.reporting.wiring import WIRING as REPORTING
from services.shared.store import from_dynamo
from tests.integration.reporting import BOARD, COORDINATOR, call, checkin, consume, enrolled, run_job, unit
from tests.integration.test_reporting import PEOPLE, activity, directory
from tests.support import bucket_names, claims, table_name

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # gitignored: screenshots to look at


def publish(period: str, who: dict[str, str] = COORDINATOR, **body: str) -> tuple[int, Any]:
    status, answer, _ = call("POST", "/reports/published", who, {"period": period, **body})
    return status, answer


def published(version: dict[str, Any], **query: str) -> Any:
    scope = "all" if version["scope"] == "*" else version["scope"]
    status, body, response = call(
        "GET",
        "/reports/published/{period}/{scope}/{version_id}",
        BOARD,
        path_parameters={"period": version["period"], "scope": scope, "version_id": version["version_id"]},
        query=query or None,
    )
    assert status == 200, body
    return body if isinstance(body, dict) else response


def test_a_published_report_never_changes_and_a_regenerated_one_is_a_new_version(aws: dict[str, Any]) -> None:
    consume(*directory(), *[enrolled(p, "2026-02-02") for p in PEOPLE["A"]])
    assert publish("2026-H1", BOARD)[0] == 403
    status, first = publish("2026-H1")
    assert status == 201 and first["published_by"] == "coord"
    before = published(first)

    consume(*[enrolled(p, "2026-03-03", programme="forum") for p in PEOPLE["B"]])  # later events
    assert published(first) == before
    assert (
        next(r for r in before["tables"][0]["rows"] if r["scope"] == "*")["cells"]["enrolments_approved"]["value"] == 8
    )

    status, second = publish("2026-H1")
    assert status == 201 and second["version_id"] != first["version_id"] and second["key"] == first["key"]
    regenerated = published(second)
    assert (
        next(r for r in regenerated["tables"][0]["rows"] if r["scope"] == "*")["cells"]["enrolments_approved"]["value"]
        == 14
    )
    assert published(first) == before  # every version stays readable, as it was
    versions = call("GET", "/reports/published", BOARD, query={"period": "2026-H1"})[1]
    assert [v["version_id"] for v in versions] == [second["version_id"], first["version_id"]]
    assert published(first, lang="en")["language"] == "en"
    html = published(first, format="html")
    assert html["headers"]["Content-Type"].startswith("text/html")

    # ReportPublished left through the outbox, with the version
    outbox = [
        json.loads(from_dynamo(i)["envelope"])
        for i in aws["dynamodb"].scan(TableName=table_name(REPORTING))["Items"]
        if from_dynamo(i).get("kind") == "outbox"
    ]
    assert sorted(e["data"]["version_id"] for e in outbox if e["type"] == "ReportPublished") == sorted(
        [first["version_id"], second["version_id"]]
    )
    assert call("GET", "/reports/published", claims("x", "elsewhere", "board"), query={"period": "2026-H1"})[1] == []


def test_object_lock_keeps_a_published_version_from_being_deleted(aws: dict[str, Any]) -> None:
    s3 = boto3.client("s3")
    bucket = bucket_names(REPORTING)["REPORTS_BUCKET"]
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}},
        },
    )
    consume(*directory())
    status, version = publish("2026-H1")
    assert status == 201
    with pytest.raises(ClientError):
        s3.delete_object(Bucket=bucket, Key=version["key"], VersionId=version["version_id"])
    assert published(version)["period"] == "2026-H1"


def test_the_schedule_publishes_the_half_year_that_ended_for_every_tenant(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from services.reporting import jobs

    monkeypatch.setattr(jobs, "now", lambda: datetime(2026, 7, 1, 4, tzinfo=UTC))
    consume(*directory(), *[e.model_copy(update={"tenant_id": "other"}) for e in directory()[:3]])
    assert run_job("publish-half-year") == {"reports_published": 2}
    versions = call("GET", "/reports/published", BOARD, query={"period": "2026-H1"})[1]
    assert [v["published_by"] for v in versions] == ["system:reporting"]


def demo_report(aws: dict[str, Any]) -> None:
    consume(*directory())
    sized = [("A", "Alfa", 115, 4), ("B", "Beta", 44, 1), ("C", "Gamma", 35, 1)]
    consume(
        *[
            unit(u, name, "D", "2024-06-01", employees=e, managers=m, area="Särskilda boenden")
            for u, name, e, m in sized
        ]
    )
    csv_text = "guideline_area,base_employees_per_manager,adjustment_max\nSärskilda boenden,30,10\n"
    call("POST", "/reports/span-guidelines", COORDINATOR, raw_body=csv_text, headers={"content-type": "text/csv"})
    events = activity()
    for start in range(0, len(events), 10):
        consume(*events[start : start + 10])
    consume(
        *[checkin(p, "2025-10-01", {"stress": 4 if i < 4 else 2, "leadership": 4}) for i, p in enumerate(PEOPLE["A"])]
    )
    goal = {
        "label_sv": "Rimlig stressnivå",
        "baseline_period": "2025-H2",
        "target_period": "2027-H2",
        "target_value": 80,
    }
    call("PUT", "/reports/goals/{indicator}", COORDINATOR, goal, path_parameters={"indicator": "stress"})


def test_the_excel_export_holds_every_table_with_hidden_cells_saying_so(aws: dict[str, Any]) -> None:
    demo_report(aws)
    status, _, response = call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "xlsx"})
    assert status == 200 and response["isBase64Encoded"] is True
    assert response["headers"]["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(base64.b64decode(response["body"])))
    assert workbook.sheetnames == [
        "Halvårsrapport till nämnden",
        "Mål",
        "Nyckeltal",
        "Program",
        "Avstämningar",
        "Indikatorer",
        "Kontrollspann",
        "Utvärderingar",
        "Månad för månad",
    ]
    sheet = workbook["Program"]
    assert sheet["A1"].value == "Program och utbildningstillfällen"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    header = rows["Enhet"]
    assert header[:4] == ("Enhet", "Antagna", "Avklarade steg", "Fullföljda program")
    assert rows["Alfa"][1] == 8 and rows["Alfa"][3] == 6
    assert rows["Gamma"][1] == "dold (färre än 5)"
    assert rows["Beta"][1] == "dold (skyddar annan uppgift)"
    assert rows["Hela organisationen"][1] == 17
    english = call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "xlsx", "lang": "en"})[2]
    sheet = load_workbook(io.BytesIO(base64.b64decode(english["body"])))["Programmes"]
    assert [r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "Gamma"] == ["hidden (fewer than 5)"]


def test_the_csv_export_of_one_table_and_of_all(aws: dict[str, Any]) -> None:
    demo_report(aws)
    status, _, one = call(
        "GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "csv", "table": "checkins"}
    )
    assert status == 200 and one["headers"]["Content-Type"].startswith("text/csv")
    lines = one["body"].splitlines()
    assert lines[0].startswith("Enhet,Planerade avstämningar,Genomförda avstämningar")
    assert "Alfa,15,8,dold (färre än 5),100.0,8,0" in lines
    every = call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "csv"})[2]["body"]
    assert "Chefers kontrollspann" in every and "Mål och måluppfyllelse" in every and "Månad för månad" in every
    assert call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "csv", "table": "nope"})[0] == 422


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html: str, name: str, height: int = 4400) -> Path:
    """The page as headless Chromium draws it, kept in tests/artifacts; its DOM after rendering."""
    browser = chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium package is missing: .ci/run installs it")
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
        ]
        subprocess.run(
            [browser, *flags, f"--window-size=1200,{height}", f"--screenshot={shot}", page.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return shot


def test_the_html_report_in_a_real_headless_chromium(aws: dict[str, Any]) -> None:
    demo_report(aws)
    status, _, response = call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "html"})
    assert status == 200
    html = response["body"]
    assert html.count("<svg") == 3  # goals, span of control, month by month
    assert "url(#hatch)" in html and "@media print" in html  # patterns, not colour alone; a print stylesheet
    assert "\u2013*" in html and "Dolda uppgifter är inte noll" in html
    shot = screenshot(html, "board-report")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000  # a page with content, not a blank one


def test_the_rebuild_replays_recorded_events_into_identical_aggregates(aws: dict[str, Any], tmp_path: Path) -> None:
    events = directory() + activity()
    delivered = events + events[:30]
    random.Random(3).shuffle(delivered)
    for start in range(0, len(delivered), 10):
        consume(*delivered[start : start + 10])
    recorded = tmp_path / "events.jsonl"
    recorded.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")

    assert rebuild.main(["--table", "rebuilt", "--events", str(recorded)]) == 0

    assert aggregates(aws, "rebuilt") == aggregates(aws, table_name(REPORTING))
    with pytest.raises(SystemExit, match="exists"):
        rebuild.main(["--table", "rebuilt", "--events", str(recorded)])


def test_the_rebuild_replays_the_bus_archive(aws: dict[str, Any]) -> None:
    events_client = boto3.client("events")
    bus = events_client.describe_event_bus(Name="ledarlyft")
    events_client.create_archive(
        ArchiveName="ledarlyft", EventSourceArn=bus["Arn"], EventPattern=json.dumps({"account": ["123456789012"]})
    )
    events = (
        directory()
        + [enrolled(p, "2026-02-02") for p in PEOPLE["A"]]
        + [checkin(p, "2026-03-01", {"stress": 5}) for p in PEOPLE["A"]]
    )
    consume(*events)
    for start in range(0, len(events), 10):  # what the relays published
        entries = [
            {"Source": e.source, "DetailType": e.type, "Detail": e.model_dump_json(), "EventBusName": "ledarlyft"}
            for e in events[start : start + 10]
        ]
        assert events_client.put_events(Entries=entries)["FailedEntryCount"] == 0

    assert rebuild.main(["--table", "from-archive", "--archive", "ledarlyft"]) == 0

    assert aggregates(aws, "from-archive") == aggregates(aws, table_name(REPORTING))
    assert events_client.list_rules(EventBusName="ledarlyft", NamePrefix="reporting-rebuild")["Rules"] == []


def aggregates(aws: dict[str, Any], table: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every aggregate item of a table (a test may scan; the service never does)."""
    items = [from_dynamo(i) for i in aws["dynamodb"].scan(TableName=table)["Items"]]
    found = {(i["pk"], i["sk"]): i for i in items if "#AGG#" in i["pk"] or "#SPREAD#" in i["pk"]}
    assert found  # something to compare
    return found


def test_gotlands_demo_board_report_shows_the_survey_indicators_in_chromium(aws: dict[str, Any]) -> None:
    """The demo tenant as `make run` loads it (the same data, through the handlers instead of HTTP)."""
    from local import demo_reporting, seeds
    from tests.integration.reporting import person
    from tests.integration.test_reporting import gotland_units

    consume(*gotland_units())
    everyone = demo_reporting.people()
    for start in range(0, len(everyone), 10):
        consume(*[person(p, unit) for p, _, unit in everyone[start : start + 10]])
    history = demo_reporting.history()
    for start in range(0, len(history), 10):
        assert consume(*[e.model_copy(update={"tenant_id": "gotland"}) for e in history[start : start + 10]]) == {
            "batchItemFailures": []
        }
    csv_headers = {"content-type": "text/csv"}
    call(
        "POST",
        "/reports/span-guidelines",
        COORDINATOR,
        raw_body=seeds.gotland_span_guideline_csv(),
        headers=csv_headers,
    )
    status, imported, _ = call(
        "POST",
        "/reports/imports",
        COORDINATOR,
        raw_body=seeds.gotland_survey_sample_csv(),
        headers=csv_headers,
        query={"source": demo_reporting.SURVEY_SOURCE},
    )
    assert status == 200 and imported["rejected"] == [], imported
    for indicator, goal in demo_reporting.GOALS.items():
        body = goal | demo_reporting.GOAL_PERIODS
        assert (
            call("PUT", "/reports/goals/{indicator}", COORDINATOR, body, path_parameters={"indicator": indicator})[0]
            == 200
        )
    call(
        "PUT",
        "/reports/goals/{indicator}",
        COORDINATOR,
        demo_reporting.SICK_LEAVE_GOAL,
        path_parameters={"indicator": "sick_leave_rate"},
    )

    report = call("GET", "/reports/board", BOARD, query={"period": "2026-H1"})[1]
    goals = {g["indicator"]: g for g in report["goals"]}
    for indicator in ("leadership", "stress", "recovery", "competence_development"):
        goal = goals[indicator]
        assert goal["baseline_source"].startswith(demo_reporting.SURVEY_SOURCE)  # the 2024 survey
        assert isinstance(goal["baseline"]["value"], float) and isinstance(goal["current"]["value"], float)
        assert goal["current"]["value"] > goal["baseline"]["value"]  # movement
    survey = {i["indicator"]: i for i in report["indicators"]}
    assert all(survey[k]["survey"]["value"] and survey[k]["pulse"]["value"] for k in demo_reporting.GOALS)
    assert (
        goals["sick_leave_rate"]["baseline"]["value"] == 2.26 and goals["sick_leave_rate"]["current"]["value"] == 2.05
    )
    page = call("GET", "/reports/board", BOARD, query={"period": "2026-H1", "format": "html"})[2]["body"]
    assert "Medarbetarundersökning" in page and "fewer" not in page
    assert page.count('class="suppressed"') + page.count("suppressed ") > 0  # suppressed cells, saying so
    shot = screenshot(page, "gotland-demo-board-report", height=2400)
    assert len(shot.read_bytes()) > 100_000
