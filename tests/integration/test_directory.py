"""The directory through the handler: CSV imports, line managers, people who leave."""

from typing import Any

from local.seeds import gotland_units_csv
from tests.integration.enrolment import COORDINATOR, call, published
from tests.support import claims

GOTLAND = claims("elin", "gotland", "admin")


def upload(path: str, text: str, who: dict[str, str] = GOTLAND, content_type: str = "text/csv") -> tuple[int, Any]:
    return call("POST", path, who, raw_body=text, headers={"content-type": content_type})


def test_gotlands_unit_export_imports_as_is_and_a_second_run_changes_nothing(aws: dict[str, Any]) -> None:
    status, result = upload("/imports/units", gotland_units_csv())
    assert status == 200, result
    # 59 units and their 9 departments
    assert (result["accepted"], result["unchanged"], result["rejected"]) == (59 + 9, 0, [])
    status, again = upload("/imports/units", gotland_units_csv())
    assert (again["accepted"], again["unchanged"]) == (0, 68)
    assert len([t for t, _ in published(aws) if t == "UnitUpserted"]) == 68
    status, page = call("GET", "/units", GOTLAND, query={"limit": "100"})
    handlaggare = next(u for u in page["items"] if u["unit_id"] == "5200202")
    assert (handlaggare["parent_id"], handlaggare["permanent_employees"], handlaggare["managers"]) == ("52002", 20, 1)


def test_rejected_rows_are_named_by_line_and_the_rest_are_imported(aws: dict[str, Any]) -> None:
    text = (
        "person_id,name,email,manager_id,roles\n"
        "anna,Anna Ek,anna@example.se,maja,participant\n"
        "bo,,bo@example.se,maja,participant\n"
        "cecilia,Cecilia Ås,not-an-email,maja,participant\n"
        "maja,Maja Lund,maja@example.se,,manager;participant\n"
    )
    status, result = upload("/imports/people", text, COORDINATOR)
    assert (status, result["accepted"], result["unchanged"]) == (200, 2, 0)
    assert [(r["line"], r["field"]) for r in result["rejected"]] == [(3, "name"), (4, "email")]
    status, maja = call("GET", "/people/{person_id}", COORDINATOR, path_parameters={"person_id": "maja"})
    assert maja["roles"] == ["manager", "participant"]
    assert upload("/imports/people", text, COORDINATOR)[1]["accepted"] == 0


def test_a_csv_upload_must_say_it_is_csv(aws: dict[str, Any]) -> None:
    for other in ("application/json", "text/plain"):
        status, body = upload("/imports/units", "unit_id,name\n1,A\n", content_type=other)
        assert (status, body["error"]["code"]) == (415, "unsupported_media_type")
        assert body["error"]["fields"] == [{"field": "header.content-type", "reason": "must be text/csv"}]
    assert upload("/imports/units", "unit_id,name\n1,A\n", claims("anna", "gotland"))[0] == 403


def test_a_new_line_manager_and_a_departure_are_announced_and_history_is_kept(aws: dict[str, Any]) -> None:
    route, ids = "/people/{person_id}", {"person_id": "anna"}
    call("PUT", route, COORDINATOR, {"name": "Anna Ek", "manager_id": "maja"}, path_parameters=ids)
    call("PUT", route, COORDINATOR, {"name": "Anna Ek", "manager_id": "maja"}, path_parameters=ids)  # unchanged
    call("PUT", route, COORDINATOR, {"name": "Anna Ek", "manager_id": "mats"}, path_parameters=ids)
    status, left = call(
        "POST", "/people/{person_id}/departure", COORDINATOR, {"left_on": "2026-12-31"}, path_parameters=ids
    )
    assert (status, left["left_on"]) == (200, "2026-12-31")
    assert call("GET", route, COORDINATOR, path_parameters=ids)[1]["manager_id"] == "mats"
    assert [(t, d.get("manager_id", d.get("left_on"))) for t, d in published(aws)] == [
        ("PersonUpserted", "maja"),
        ("PersonUpserted", "mats"),
        ("ManagerChanged", "mats"),
        ("PersonLeft", "2026-12-31"),
    ]
