"""Target audiences: units with the units under them, roles, people who left."""

from datetime import date

from services.enrolment.domain.audience import members
from services.enrolment.domain.models import Audience, Person, Unit
from services.shared.units import units_within

UNITS = [
    Unit(unit_id="org", name="Region", kind="organisation"),
    Unit(unit_id="son", name="Socialförvaltningen", kind="department", parent_id="org"),
    Unit(unit_id="hemtjanst", name="Hemtjänst", parent_id="son"),
    Unit(unit_id="hemtjanst-visby", name="Hemtjänst Visby", parent_id="hemtjanst"),
    Unit(unit_id="hsf", name="Hälso- och sjukvård", kind="department", parent_id="org"),
]


def person(person_id: str, unit_id: str, *roles: str, left_on: date | None = None) -> Person:
    return Person(
        person_id=person_id, name=person_id, unit_id=unit_id, roles=list(roles or ["participant"]), left_on=left_on
    )


def test_a_unit_stands_for_every_unit_under_it_at_any_depth() -> None:
    assert units_within(["son"], UNITS) == {"son", "hemtjanst", "hemtjanst-visby"}
    assert units_within(["hemtjanst-visby", "hsf"], UNITS) == {"hemtjanst-visby", "hsf"}


def test_members_match_any_role_and_unit_and_exclude_who_left() -> None:
    people = [
        person("a", "hemtjanst-visby"),
        person("b", "hsf"),
        person("c", "son", "manager"),
        person("d", "hemtjanst", left_on=date(2026, 1, 31)),
    ]

    def named(audience: Audience) -> list[str]:
        return [p.person_id for p in members(audience, people, UNITS)]

    assert named(Audience()) == ["a", "b", "c"]
    assert named(Audience(unit_ids=["son"])) == ["a", "c"]
    assert named(Audience(roles=["manager"])) == ["c"]
    assert named(Audience(roles=["participant"], unit_ids=["son", "hsf"])) == ["a", "b"]
