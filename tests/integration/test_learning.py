"""Humana's supervisor programme, walked to a diploma through the enrolment handler."""

from datetime import datetime
from typing import Any

import pytest

from local.seeds import humana_programme
from services.enrolment import api
from services.enrolment.wiring import WIRING
from services.shared.timezones import STOCKHOLM
from tests.integration.enrolment import COORDINATOR, NEXT_YEAR, call, published
from tests.support import as_service, claims, http_event, integration_claims

ANNA, BO = claims("anna", "humana"), claims("bo", "humana")
PROGRAMME_ID = "arbetsledarprogrammet"


def published_types(aws: dict[str, Any]) -> list[str]:
    return [event_type for event_type, _ in published(aws)]


@pytest.fixture
def deep_dives(aws: dict[str, Any]) -> dict[str, str]:
    for person, name in (("anna", "Anna Ek"), ("bo", "Bo Berg")):
        call(
            "PUT",
            "/people/{person_id}",
            COORDINATOR,
            {"name": name, "manager_id": "maja"},
            path_parameters={"person_id": person},
        )
    assert call("POST", "/programmes", COORDINATOR, humana_programme())[0] == 201
    sessions = {}
    for stage, day in (("fordjupning-1", "03"), ("fordjupning-2", "17")):
        body = {
            "stage_key": stage,
            "starts_at": f"{NEXT_YEAR}-03-{day}T13:00",
            "ends_at": f"{NEXT_YEAR}-03-{day}T15:45",
        }
        body |= {"capacity": 20, "trainers": ["tina"], "video_url": "https://meet.example/humana"}
        status, session = call(
            "POST",
            "/programmes/{programme_id}/sessions",
            COORDINATOR,
            body,
            path_parameters={"programme_id": PROGRAMME_ID},
        )
        assert status == 201, session
        sessions[stage] = session["session_id"]
    return sessions


def register(session_id: str, who: dict[str, str]) -> tuple[int, Any]:
    return call("POST", "/sessions/{session_id}/registrations", who, path_parameters={"session_id": session_id})


def progress_of(person: str, who: dict[str, str], programme_id: str = PROGRAMME_ID) -> tuple[int, Any]:
    return call(
        "GET",
        "/programmes/{programme_id}/enrolments/{person_id}",
        who,
        path_parameters={"programme_id": programme_id, "person_id": person},
    )


def push(external_id: str, person: str = "anna") -> tuple[int, Any]:
    return call(
        "POST",
        "/course-completions",
        integration_claims(),
        {"external_id": external_id, "person_id": person},
    )


def stockholm(day: str, time: str = "14:00") -> datetime:
    return datetime.fromisoformat(f"{NEXT_YEAR}-{day}T{time}").replace(tzinfo=STOCKHOLM)


def test_from_the_base_courses_through_both_deep_dives_to_a_verifiable_diploma(
    aws: dict[str, Any], deep_dives: dict[str, str], clock: Any
) -> None:
    status, body = register(deep_dives["fordjupning-1"], ANNA)
    assert (status, body["error"]["code"]) == (409, "prerequisites_missing")
    assert body["error"]["message"].startswith("Fördjupning 1 opens when this is complete: Basen (still to do: ")
    assert body["error"]["message"].count(",") == 8  # the nine courses, by name
    assert body["error"]["fields"][0]["field"] == "path.session_id"

    for n in range(1, 10):
        assert push(f"humana-lms-{n}")[0] == 200
    assert push("humana-lms-9")[0] == 200  # pushed twice: no change
    status, mine = progress_of("anna", ANNA)
    assert {s["key"]: s["state"] for s in mine["stages"]} == {
        "basen": "completed",
        "fordjupning-1": "open",
        "fordjupning-2": "open",
    }
    assert published_types(aws).count("StageUnlocked") == 2

    for stage in ("fordjupning-1", "fordjupning-2"):
        assert register(deep_dives[stage], ANNA)[1]["status"] == "confirmed"
    assert {s["state"] for s in progress_of("anna", ANNA)[1]["stages"][1:]} == {"in_progress"}
    status, body = register(deep_dives["fordjupning-1"], ANNA)
    assert (status, body["error"]["code"]) == (409, "already_registered")

    trainer = claims("tina", "humana", "trainer")
    sheet = {"marks": [{"person_id": "anna", "attendance": "present"}]}
    route = "/sessions/{session_id}/attendance"
    clock(stockholm("03-17"))  # both deep dives have taken place
    status, marked = call("POST", route, trainer, sheet, path_parameters={"session_id": deep_dives["fordjupning-1"]})
    assert (status, marked[0]["attendance"]) == (200, "present")
    assert (
        call(
            "POST",
            route,
            claims("x", "humana", "trainer"),
            sheet,
            path_parameters={"session_id": deep_dives["fordjupning-2"]},
        )[0]
        == 403
    )
    call("POST", route, COORDINATOR, sheet, path_parameters={"session_id": deep_dives["fordjupning-2"]})

    assert progress_of("anna", ANNA)[1]["enrolment"]["status"] == "completed"
    status, diplomas = call("GET", "/me/credentials", ANNA)
    assert [(d["number"], d["credential_name"]) for d in diplomas] == [
        (1, "Diplomerad arbetsledare inom Humana Assistans")
    ]
    code = diplomas[0]["verification_code"]
    status, verified = call(
        "GET", "/public/credentials/{tenant_id}/{code}", None, path_parameters={"tenant_id": "humana", "code": code}
    )
    assert (status, verified["holder_name"], verified["status"], verified["number"]) == (200, "Anna Ek", "valid", 1)
    assert "person_id" not in verified and "verification_code" not in verified
    missing = call(
        "GET", "/public/credentials/{tenant_id}/{code}", None, path_parameters={"tenant_id": "gotland", "code": code}
    )
    assert missing[0] == 404
    assert published_types(aws)[-3:] == ["StageCompleted", "ProgrammeCompleted", "CredentialIssued"]


def test_a_no_show_is_recorded_and_announced_with_the_next_session(
    aws: dict[str, Any], deep_dives: dict[str, str], clock: Any
) -> None:
    for n in range(1, 10):
        push(f"humana-lms-{n}", "bo")
    register(deep_dives["fordjupning-1"], BO)
    body = {
        "stage_key": "fordjupning-1",
        "starts_at": f"{NEXT_YEAR}-09-01T13:00",
        "ends_at": f"{NEXT_YEAR}-09-01T15:45",
    }
    _, autumn = call(
        "POST",
        "/programmes/{programme_id}/sessions",
        COORDINATOR,
        body | {"capacity": 20},
        path_parameters={"programme_id": PROGRAMME_ID},
    )
    sheet = {"marks": [{"person_id": "bo", "attendance": "absent"}]}
    mark = ("POST", "/sessions/{session_id}/attendance", COORDINATOR, sheet)
    clock(stockholm("03-03", "12:29"))  # the sheet opens half an hour before the start
    status, early = call(*mark, path_parameters={"session_id": deep_dives["fordjupning-1"]})
    assert (status, early["error"]["code"]) == (409, "attendance_not_open")
    assert "NoShowRecorded" not in published_types(aws)
    clock(stockholm("03-03", "12:30"))
    call(*mark, path_parameters={"session_id": deep_dives["fordjupning-1"]})
    assert published_types(aws)[-2:] == ["AttendanceRecorded", "NoShowRecorded"]
    no_show = published(aws)[-1][1]
    assert (no_show["next_session_id"], no_show["next_session_starts_at"]) == (
        autumn["session_id"],
        f"{NEXT_YEAR}-09-01T11:00:00Z",
    )
    # the stage stays open to him: he may take the next session of it
    assert {s["key"]: s["state"] for s in progress_of("bo", BO)[1]["stages"]}["fordjupning-1"] == "open"
    assert register(autumn["session_id"], BO)[1]["status"] == "confirmed"


def test_who_sees_whose_progress(aws: dict[str, Any], deep_dives: dict[str, str]) -> None:
    push("humana-lms-1")
    assert progress_of("anna", claims("maja", "humana", "manager"))[0] == 200  # anna's line manager
    assert progress_of("anna", claims("other", "humana", "manager"))[0] == 403
    assert progress_of("anna", BO)[0] == 403
    assert progress_of("anna", claims("anna", "gotland"))[0] == 404


def test_a_new_version_does_not_move_the_rules_under_people_enrolled(
    aws: dict[str, Any], deep_dives: dict[str, str]
) -> None:
    push("humana-lms-1")
    stricter = humana_programme()
    stricter["stages"][2]["requires"] = ["basen", "fordjupning-1"]
    status, body = call(
        "PUT", "/programmes/{programme_id}", COORDINATOR, stricter, path_parameters={"programme_id": PROGRAMME_ID}
    )
    assert (status, body["version"]) == (200, 2)
    for n in range(2, 10):
        push(f"humana-lms-{n}")
    # anna enrolled under version 1, where deep dive 2 needs only the base
    assert register(deep_dives["fordjupning-2"], ANNA)[1]["status"] == "confirmed"
    status, enrolment = call(
        "POST",
        "/programmes/{programme_id}/enrolments",
        COORDINATOR,
        {"person_id": "bo"},
        path_parameters={"programme_id": PROGRAMME_ID},
    )
    assert (status, enrolment["version"]) == (201, 2)


def test_a_programme_that_needs_approval_waits_for_the_line_manager(aws: dict[str, Any]) -> None:
    call(
        "PUT",
        "/people/{person_id}",
        COORDINATOR,
        {"name": "Anna Ek", "manager_id": "maja"},
        path_parameters={"person_id": "anna"},
    )
    programme = {"programme_id": "ny-som-chef", "name": "Ny som chef", "requires_approval": True}
    programme |= {"stages": [{"key": "dag-1", "name": "Dag 1", "kind": "instructor-led"}]}
    call("POST", "/programmes", COORDINATOR, programme)
    ids = {"programme_id": "ny-som-chef", "person_id": "anna"}
    status, requested = call(
        "POST", "/programmes/{programme_id}/enrolments", ANNA, {}, path_parameters={"programme_id": "ny-som-chef"}
    )
    assert (status, requested["status"]) == (201, "requested")

    decision = "/programmes/{programme_id}/enrolments/{person_id}/decision"
    assert (
        call("POST", decision, claims("other", "humana", "manager"), {"approve": True}, path_parameters=ids)[0] == 403
    )
    assert call("POST", decision, ANNA, {"approve": True}, path_parameters=ids)[0] == 403
    maja = claims("maja", "humana", "manager")
    status, body = call("POST", decision, maja, {"approve": False}, path_parameters=ids)
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.reason")
    status, approved = call("POST", decision, maja, {"approve": True}, path_parameters=ids)
    assert (status, approved["status"]) == (200, "active")
    assert call("POST", decision, maja, {"approve": True}, path_parameters=ids)[0] == 409

    withdrawal = "/programmes/{programme_id}/enrolments/{person_id}/withdrawal"
    status, withdrawn = call("POST", withdrawal, ANNA, {"reason": "byter tjänst"}, path_parameters=ids)
    assert (status, withdrawn["status"], withdrawn["decision_reason"]) == (200, "withdrawn", "byter tjänst")
    assert progress_of("anna", ANNA, "ny-som-chef")[1]["enrolment"]["status"] == "withdrawn"  # kept as history
    status, again = call(
        "POST", "/programmes/{programme_id}/enrolments", ANNA, {}, path_parameters={"programme_id": "ny-som-chef"}
    )
    assert (status, again["status"]) == (201, "requested")
    assert [t for t in published_types(aws) if t.startswith("Enrolment")] == [
        "EnrolmentRequested",
        "EnrolmentApproved",
        "EnrolmentWithdrawn",
        "EnrolmentRequested",
    ]


def test_those_who_attended_rate_the_session_once_and_its_trainer_sees_the_results(
    aws: dict[str, Any], deep_dives: dict[str, str], clock: Any
) -> None:
    for n in range(1, 10):
        push(f"humana-lms-{n}")
    session = {"session_id": deep_dives["fordjupning-1"]}
    register(deep_dives["fordjupning-1"], ANNA)
    register(deep_dives["fordjupning-1"], BO)  # bo is enrolled but lacks the base
    rating = {"rating": 5, "comment": "Bra genomgång av schemaläggning"}
    assert (
        call("POST", "/sessions/{session_id}/evaluations", ANNA, rating, path_parameters=session)[1]["error"]["code"]
        == "not_attended"
    )
    tina = claims("tina", "humana", "trainer")
    clock(stockholm("03-03"))
    call(
        "POST",
        "/sessions/{session_id}/attendance",
        tina,
        {"marks": [{"person_id": "anna", "attendance": "present"}]},
        path_parameters=session,
    )
    assert call("POST", "/sessions/{session_id}/evaluations", ANNA, rating, path_parameters=session)[0] == 201
    assert call("POST", "/sessions/{session_id}/evaluations", ANNA, rating, path_parameters=session)[0] == 409
    status, results = call("GET", "/sessions/{session_id}/evaluations", tina, path_parameters=session)
    assert (status, results["count"], results["average"], results["comments"]) == (200, 1, 5.0, [rating["comment"]])
    programme = {"programme_id": PROGRAMME_ID}
    status, summary = call("GET", "/programmes/{programme_id}/evaluations", COORDINATOR, path_parameters=programme)
    assert (status, summary["overall"]["count"], summary["overall"]["comments"]) == (200, 1, [])
    assert [(s["stage_key"], s["average"]) for s in summary["sessions"]] == [("fordjupning-1", 5.0)]
    assert call("GET", "/programmes/{programme_id}/evaluations", tina, path_parameters=programme)[0] == 403
    assert (
        call("GET", "/sessions/{session_id}/evaluations", claims("x", "humana", "trainer"), path_parameters=session)[0]
        == 403
    )
    assert (
        call("GET", "/sessions/{session_id}/registrations", claims("x", "humana", "trainer"), path_parameters=session)[
            0
        ]
        == 403
    )


def test_registration_opens_and_closes_when_the_coordinator_says(
    aws: dict[str, Any], deep_dives: dict[str, str]
) -> None:
    body = {
        "stage_key": "basen",
        "starts_at": f"{NEXT_YEAR}-06-01T13:00",
        "ends_at": f"{NEXT_YEAR}-06-01T15:00",
        "capacity": 5,
    }
    route, ids = "/programmes/{programme_id}/sessions", {"programme_id": PROGRAMME_ID}
    status, later = call(
        "POST", route, COORDINATOR, body | {"registration_opens_at": f"{NEXT_YEAR}-05-01T08:00"}, path_parameters=ids
    )
    assert status == 201
    status, refused = register(later["session_id"], ANNA)
    assert (status, refused["error"]["code"]) == (409, "registration_not_open")
    status, bad = call(
        "POST", route, COORDINATOR, body | {"registration_closes_at": f"{NEXT_YEAR}-06-02T08:00"}, path_parameters=ids
    )
    assert (status, bad["error"]["fields"][0]["field"]) == (422, "body.registration_closes_at")


def test_a_credential_that_expires_is_announced_at_90_and_30_days_then_opens_recertification(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from services.enrolment import jobs
    from services.shared import timezones
    from tests.support import as_service

    def at(moment: datetime) -> None:
        monkeypatch.setattr(timezones, "now", lambda: moment)

    def run_job() -> int:
        with as_service(WIRING):
            return int(jobs.lambda_handler({"schedule": "credential-expiry"}, None)["done"])

    issued = datetime(2026, 1, 15, 10, tzinfo=UTC)
    at(issued)
    programme = {"programme_id": "hlr", "name": "HLR", "credential": {"name": "HLR-intyg", "validity_months": 12}}
    programme |= {"stages": [{"key": "kurs", "name": "Kurs", "kind": "e-learning"}]}
    call("POST", "/programmes", COORDINATOR, programme)
    call("POST", "/programmes/{programme_id}/enrolments", ANNA, {}, path_parameters={"programme_id": "hlr"})
    ids = {"programme_id": "hlr", "person_id": "anna"}
    call(
        "POST",
        "/programmes/{programme_id}/enrolments/{person_id}/completions",
        COORDINATOR,
        {"stage_key": "kurs"},
        path_parameters=ids,
    )
    [diploma] = call("GET", "/me/credentials", ANNA)[1]
    assert diploma["valid_until"] == "2027-01-15T10:00:00Z"

    at(issued + timedelta(days=200))
    assert run_job() == 0
    at(datetime(2026, 10, 20, tzinfo=UTC))  # 87 days left
    assert (run_job(), run_job()) == (1, 0)
    at(datetime(2026, 12, 20, tzinfo=UTC))  # 26 days left
    assert run_job() == 1
    at(datetime(2027, 1, 16, tzinfo=UTC))
    assert run_job() == 1
    notices = [(t, d.get("days_left")) for t, d in published(aws) if t.startswith("CredentialExp")]
    assert notices == [("CredentialExpiring", 90), ("CredentialExpiring", 30), ("CredentialExpired", None)]
    verify = {"tenant_id": "humana", "code": diploma["verification_code"]}
    assert call("GET", "/public/credentials/{tenant_id}/{code}", None, path_parameters=verify)[1]["status"] == "expired"

    status, again = call(
        "POST", "/programmes/{programme_id}/enrolments", ANNA, {}, path_parameters={"programme_id": "hlr"}
    )
    assert (status, again["status"], again["stages"]) == (201, "active", {})
    assert len(call("GET", "/me/credentials", ANNA)[1]) == 1  # the earlier credential stays in the history


def test_a_revoked_credential_verifies_as_revoked(aws: dict[str, Any], deep_dives: dict[str, str]) -> None:
    for n in range(1, 10):
        push(f"humana-lms-{n}")
    for stage in ("fordjupning-1", "fordjupning-2"):
        call(
            "POST",
            "/programmes/{programme_id}/enrolments/{person_id}/completions",
            COORDINATOR,
            {"stage_key": stage},
            path_parameters={"programme_id": PROGRAMME_ID, "person_id": "anna"},
        )
    [diploma] = call("GET", "/me/credentials", ANNA)[1]
    route, code = "/credentials/{code}/revocation", {"code": diploma["verification_code"]}
    assert call("POST", route, ANNA, {"reason": "issued in error"}, path_parameters=code)[0] == 403
    status, revoked = call("POST", route, COORDINATOR, {"reason": "issued in error"}, path_parameters=code)
    assert (status, revoked["revoked_reason"]) == (200, "issued in error")
    assert call("POST", route, COORDINATOR, {"reason": "again"}, path_parameters=code)[0] == 409
    verify = {"tenant_id": "humana", "code": diploma["verification_code"]}
    assert call("GET", "/public/credentials/{tenant_id}/{code}", None, path_parameters=verify)[1]["status"] == "revoked"


def test_self_registered_attendance_with_the_rotating_code_in_its_window_once(
    aws: dict[str, Any], deep_dives: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from services.shared import timezones

    for n in range(1, 10):
        push(f"humana-lms-{n}")
    session = {"session_id": deep_dives["fordjupning-1"]}
    register(deep_dives["fordjupning-1"], ANNA)
    starts = datetime(NEXT_YEAR, 3, 3, 12, tzinfo=UTC)  # 13:00 Stockholm time

    def at(moment: datetime) -> None:
        monkeypatch.setattr(timezones, "now", lambda: moment)

    tina = claims("tina", "humana", "trainer")
    at(starts - timedelta(hours=2))
    early_code = call("GET", "/sessions/{session_id}/attendance-code", tina, path_parameters=session)[1]["code"]
    status, body = call(
        "POST", "/sessions/{session_id}/attendance/self", ANNA, {"code": early_code}, path_parameters=session
    )
    assert (status, body["error"]["fields"][0]["field"]) == (422, "body.code")  # outside the window

    at(starts + timedelta(minutes=12))
    status, shown = call("GET", "/sessions/{session_id}/attendance-code", tina, path_parameters=session)
    assert status == 200 and shown["url"].endswith(f"/attendance/humana/{session['session_id']}?code={shown['code']}")
    assert call("GET", "/sessions/{session_id}/attendance-code", ANNA, path_parameters=session)[0] == 403
    assert (
        call("POST", "/sessions/{session_id}/attendance/self", ANNA, {"code": "AAAAAA"}, path_parameters=session)[0]
        == 422
    )
    status, checked_in = call(
        "POST", "/sessions/{session_id}/attendance/self", ANNA, {"code": shown["code"]}, path_parameters=session
    )
    assert (status, checked_in["attendance"]) == (200, "late")
    assert (
        call("POST", "/sessions/{session_id}/attendance/self", ANNA, {"code": shown["code"]}, path_parameters=session)[
            0
        ]
        == 409
    )
    stages = {s["key"]: s["state"] for s in progress_of("anna", ANNA)[1]["stages"]}
    assert stages["fordjupning-1"] == "completed"


def test_a_line_manager_sees_their_people_their_progress_and_their_seats(
    aws: dict[str, Any], deep_dives: dict[str, str]
) -> None:
    maja = claims("maja", "humana", "manager")
    for n in range(1, 10):
        push(f"humana-lms-{n}", "anna")
    assert register(deep_dives["fordjupning-1"], ANNA)[0] == 201
    needs = {"session_id": deep_dives["fordjupning-1"], "person_id": "anna"}
    route = "/sessions/{session_id}/registrations/{person_id}/needs"
    assert call("PUT", route, ANNA, {"needs": "Rullstolsplats"}, path_parameters=needs)[0] == 200
    status, team = call("GET", "/me/team", maja)
    assert status == 200, team
    assert [m["person"]["person_id"] for m in team] == ["anna", "bo"]
    anna, bo = team
    assert [(r["stage_key"], r["status"], r["needs"]) for r in anna["registrations"]] == [
        ("fordjupning-1", "confirmed", None)  # her needs are for the venue, not her manager
    ]
    stages = {s["key"]: s["state"] for s in anna["programmes"][0]["stages"]}
    assert stages == {"basen": "completed", "fordjupning-1": "in_progress", "fordjupning-2": "open"}
    assert (bo["programmes"], bo["registrations"]) == ([], [])

    moved = {"name": "Bo Berg", "manager_id": "mikael"}
    assert call("PUT", "/people/{person_id}", COORDINATOR, moved, path_parameters={"person_id": "bo"})[0] == 200
    assert [m["person"]["person_id"] for m in call("GET", "/me/team", maja)[1]] == ["anna"]
    mikael = claims("mikael", "humana", "manager")
    assert [m["person"]["person_id"] for m in call("GET", "/me/team", mikael)[1]] == ["bo"]
    assert call("GET", "/me/team", ANNA)[0] == 403


def test_a_coordinator_sees_everyones_progress_and_exports_it_for_a_spreadsheet(
    aws: dict[str, Any], deep_dives: dict[str, str]
) -> None:
    for n in range(1, 10):
        push(f"humana-lms-{n}", "anna")
    push("humana-lms-1", "bo")
    assert register(deep_dives["fordjupning-1"], ANNA)[0] == 201
    path = {"programme_id": PROGRAMME_ID}
    status, page = call("GET", "/programmes/{programme_id}/progress", COORDINATOR, path_parameters=path)
    assert status == 200, page
    assert [(r["name"], r["stages"]) for r in page["items"]] == [
        ("Anna Ek", {"basen": "completed", "fordjupning-1": "in_progress", "fordjupning-2": "open"}),
        ("Bo Berg", {"basen": "in_progress", "fordjupning-1": "locked", "fordjupning-2": "locked"}),
    ]
    with as_service(WIRING):
        event = http_event("GET", "/programmes/{programme_id}/progress/export", COORDINATOR, path_parameters=path)
        response = api.lambda_handler(event, None)
    assert response["headers"]["Content-Type"].startswith("text/csv")
    assert response["body"].splitlines() == [
        "person_id,name,unit_id,status,version,basen,fordjupning-1,fordjupning-2",
        "anna,Anna Ek,,active,1,completed,in_progress,open",
        "bo,Bo Berg,,active,1,in_progress,locked,locked",
    ]
    assert call("GET", "/programmes/{programme_id}/progress", ANNA, path_parameters=path)[0] == 403
