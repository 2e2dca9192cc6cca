"""The pure domain and kit, without AWS."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.enrolment.domain.models import Programme, Session, SessionDetails, next_open_session
from services.reporting.domain.models import MIN_GROUP_SIZE, summary
from services.shared.errors import Invalid, Unauthenticated
from services.shared.identity import Role, identity_from_event
from services.shared.store import BadCursor, TenantBoundaryViolation, TenantTable
from services.shared.timezones import half_year, to_utc


def stage(key: str, *requires: str) -> dict[str, object]:
    return {"key": key, "name": key.title(), "kind": "instructor-led", "requires": list(requires)}


def test_stages_may_require_only_earlier_stages() -> None:
    Programme(name="P", stages=[stage("basen"), stage("f1", "basen"), stage("f2", "basen")])
    with pytest.raises(Invalid) as raised:
        Programme(name="P", stages=[stage("f1", "basen"), stage("basen"), stage("basen")])
    assert [(f.field, f.reason) for f in raised.value.fields] == [
        ("body.stages.0.requires", "'basen' is not an earlier stage"),
        ("body.stages.2.key", "'basen' is used twice"),
    ]


def test_wall_clock_times_are_read_in_stockholm_across_daylight_saving() -> None:
    summer = SessionDetails(stage_key="f1", starts_at="2024-10-24T13:00", ends_at="2024-10-24T15:45", capacity=5)
    winter = SessionDetails(stage_key="f1", starts_at="2024-11-07T13:00", ends_at="2024-11-07T15:45", capacity=5)
    assert summer.starts_at == datetime(2024, 10, 24, 11, 0, tzinfo=UTC)
    assert winter.starts_at == datetime(2024, 11, 7, 12, 0, tzinfo=UTC)
    assert to_utc(datetime.fromisoformat("2024-10-24T13:00:00+02:00")) == summer.starts_at


def test_half_years_follow_the_stockholm_calendar() -> None:
    assert half_year(date(2026, 6, 30)) == "2026-H1"
    assert half_year(date(2026, 7, 1)) == "2026-H2"
    # 22:30 UTC on 30 June is already 1 July in Stockholm
    assert half_year(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == "2026-H2"


@given(
    people=st.integers(min_value=0, max_value=50),
    per_person=st.integers(min_value=1, max_value=4),
    pulses=st.integers(min_value=1, max_value=5),
)
def test_an_average_is_shown_only_over_a_group_large_enough_to_hide_a_person(
    people: int, per_person: int, pulses: int
) -> None:
    # five check-ins of one person are still one person's answers: it is people that count
    n = people * per_person
    report = summary("2026-H2", registrations=0, checkins=n, pulse_sum=n * pulses, pulse_n=n, people=people)
    if people < MIN_GROUP_SIZE:
        assert report.average_pulse is None
    else:
        assert report.average_pulse == pulses


def test_identity_comes_from_verified_claims() -> None:
    def event(claims: dict[str, str]) -> dict[str, object]:
        return {"requestContext": {"authorizer": {"jwt": {"claims": claims}}}}

    who = identity_from_event(
        event({"sub": "p1", "custom:tenant_id": "humana", "custom:roles": "[manager coordinator]"})
    )
    assert (who.person_id, who.tenant_id, who.roles) == ("p1", "humana", {Role.MANAGER, Role.COORDINATOR})
    assert identity_from_event(
        event({"sub": "p", "custom:tenant_id": "t", "custom:roles": "admin,nonsense"})
    ).roles == {Role.ADMIN}
    for claims in ({"sub": "p"}, {"custom:tenant_id": "t"}, {"sub": "p", "custom:tenant_id": "a#b"}):
        with pytest.raises(Unauthenticated):
            identity_from_event(event(claims))


def test_the_data_layer_refuses_keys_of_another_tenant() -> None:
    table = TenantTable("t", "humana")
    assert table.key("PERSON", "p1") == "T#humana#PERSON#p1"
    with pytest.raises(TenantBoundaryViolation):
        table.get("T#gotland#PERSON#p1", "PROFILE")
    with pytest.raises(TenantBoundaryViolation):
        table.query("T#humana-x#PEOPLE")  # a tenant id that merely starts alike
    with pytest.raises(TenantBoundaryViolation):
        TenantTable("t", "humana#x")
    for cursor in ("not-base64!", "eyJ9", "eyJwayI6IHsiUyI6ICJUI2dvdGxhbmQjWCJ9fQ=="):
        with pytest.raises(BadCursor):
            table._decode_cursor(cursor)


def test_the_session_offered_after_a_no_show_is_the_next_one_still_open() -> None:
    def session(session_id: str, month: int, stage: str = "f1", **extra: object) -> Session:
        start = datetime(2027, month, 1, 11, tzinfo=UTC)
        return Session(
            session_id=session_id,
            programme_id="p",
            programme_name="P",
            stage_name=stage,
            stage_key=stage,
            starts_at=start,
            ends_at=start.replace(hour=14),
            capacity=10,
            **extra,
        )

    missed = session("missed", 3)
    others = [
        session("earlier", 2),
        session("other-stage", 4, stage="f2"),
        session("cancelled", 5, cancelled_reason="sjuk"),
        session("closed", 6, registration_closes_at=datetime(2027, 3, 15, tzinfo=UTC)),
        session("november", 11),
        session("september", 9),
    ]
    moment = datetime(2027, 3, 20, tzinfo=UTC)
    assert next_open_session([missed, *others], missed, moment) == others[-1]
    assert next_open_session([missed, others[0]], missed, moment) is None
