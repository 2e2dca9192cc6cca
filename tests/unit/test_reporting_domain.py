"""Reporting's rules without AWS: periods, placement, respondents, suppression, goals, span of control."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain import metrics
from services.reporting.domain.aggregation import contribution, rolled_up
from services.reporting.domain.directory import PersonRecord, UnitInfo, UnitTree
from services.reporting.domain.facts import Fact
from services.reporting.domain.goals import Direction, Goal
from services.reporting.domain.periods import halves_between, months_of, periods_of, previous_half
from services.reporting.domain.span import Span, SpanFlag, parse_guidelines
from services.reporting.domain.suppression import Suppressed, suppress

DATA = Path(__file__).resolve().parents[2] / "local" / "data"


def moment(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_periods_follow_stockholms_calendar() -> None:
    assert periods_of(date(2026, 7, 1)) == ("2026-07", "2026-Q3", "2026-H2")
    assert previous_half("2026-H1") == "2025-H2"
    assert halves_between("2024-H1", "2026-H2") == 5
    assert months_of("2026-H2") == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]


def test_a_person_is_placed_on_their_unit_as_of_the_time() -> None:
    record = PersonRecord(person_id="p").placed(moment("2026-03-01"), "B").placed(moment("2026-01-01"), "A")
    assert [p.unit_id for p in record.placements] == ["A", "B"]  # in time order, whatever the arrival order
    assert record.unit_at(moment("2026-02-15")) == "A"
    assert record.unit_at(moment("2026-03-02")) == "B"
    assert record.unit_at(moment("2025-06-01")) == "A"  # before the first placement: the first one
    assert record.placed(moment("2026-04-01"), "B") == record  # there already: nothing new


def tree() -> UnitTree:
    units = {
        "D": UnitInfo(unit_id="D", name="Dept"),
        "A": UnitInfo(unit_id="A", name="Alpha", parent_id="D"),
        "B": UnitInfo(unit_id="B", name="Beta", parent_id="D"),
        "C": UnitInfo(unit_id="C", name="Gamma", parent_id="D"),
    }
    return UnitTree(units)


def test_a_units_figures_roll_up_into_every_unit_above_it_as_the_tree_stands() -> None:
    assert tree().sums() == {metrics.TENANT: ["D"], "D": ["A", "B", "C"], "A": [], "B": [], "C": []}
    own = {"A": {"x": 2}, "B": {"x": 3}, "D": {"x": 1}, "*": {"x": 10, "m:sent:email": 4}, "Z": {"x": 5}}
    rolled = rolled_up(own, tree())
    assert (rolled["A"]["x"], rolled["D"]["x"], rolled["*"]["x"]) == (2, 6, 21)  # Z: not in the tree yet
    assert rolled["*"]["m:sent:email"] == 4 and rolled["C"] == {}


def test_a_person_is_one_respondent_per_indicator_and_half_year_however_often_they_rate() -> None:
    fact = Fact(at=moment("2026-03-01"), person_id="p", ratings=((date(2026, 3, 1), "stress", 4),))
    first = contribution(fact, "A", {})
    assert first.adds[("2026-H1", "A")] == {
        "r:stress:n": 1,
        "r:stress:sum": 4,
        "r:stress:fav": 1,
        "r:stress:people": 1,
    }
    assert first.spreads[("2026-H1", "A")] == {"r:stress:d4": 1}
    again = contribution(fact, "A", {"2026-H1": first.respondents["2026-H1"]})
    assert "r:stress:people" not in again.adds[("2026-H1", "A")]
    assert again.adds[("2026-H1", "A")]["r:stress:n"] == 1


def test_counts_land_in_the_month_quarter_and_half_year() -> None:
    fact = Fact(at=moment("2026-05-02"), person_id="p", counts=((date(2026, 5, 2), {"enrolments_approved": 1}),))
    assert set(contribution(fact, "A", {}).adds) == {("2026-05", "A"), ("2026-Q2", "A"), ("2026-H1", "A")}


# --- suppression ---------------------------------------------------------------------------------


def test_a_naive_threshold_would_leak_a_small_unit_through_its_departments_total() -> None:
    people = {"*": 25, "D": 25, "A": 3, "B": 10, "C": 12}
    hidden = suppress(tree().sums(), people)
    # with A alone hidden, A = D - B - C = 3: so the smallest sibling is hidden as well
    assert hidden == {"A": Suppressed.FEWER_THAN_MIN, "B": Suppressed.COMPLEMENTARY}


def test_a_residual_of_people_on_the_parent_itself_needs_protecting_too() -> None:
    # two people placed on the department itself: D - A - B - C would show them
    people = {"*": 32, "D": 32, "A": 10, "B": 8, "C": 12}
    assert suppress(tree().sums(), people) == {"B": Suppressed.COMPLEMENTARY}


def test_when_no_sibling_can_hide_it_the_total_is_hidden_and_that_carries_upwards() -> None:
    units = tree().units | {
        "E": UnitInfo(unit_id="E", name="Epsilon"),
        "F": UnitInfo(unit_id="F", name="Phi", parent_id="E"),
    }
    sums = UnitTree(units).sums()
    people = {"*": 30, "D": 7, "A": 3, "B": 4, "C": 0, "E": 23, "F": 23}
    hidden = suppress(sums, people)
    assert hidden["A"] == hidden["B"] == Suppressed.FEWER_THAN_MIN
    assert "D" not in hidden  # A and B hide each other: D - C = A + B, two unknowns
    people = {"*": 30, "D": 3, "A": 3, "B": 0, "C": 0, "E": 27, "F": 27}
    hidden = suppress(sums, people)
    assert hidden["D"] == Suppressed.FEWER_THAN_MIN
    # D hidden alone under the tenant would be * - E: so E is hidden, and then F (E = F)
    assert hidden["E"] == Suppressed.COMPLEMENTARY and hidden["F"] == Suppressed.COMPLEMENTARY


@given(
    st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6),
    st.integers(min_value=0, max_value=6),
)
def test_no_hidden_cell_is_alone_in_any_published_sum(parts: list[int], residual: int) -> None:
    names = [f"u{i}" for i in range(len(parts))]
    people = dict(zip(names, parts, strict=True)) | {"total": sum(parts) + residual}
    hidden = suppress({"total": names}, people)
    assert all(name in hidden for name, n in people.items() if 0 < n < 5)
    unknown = ("total" in hidden) + sum(1 for n in names if n in hidden) + (1 if 0 < residual < 5 else 0)
    assert unknown != 1


# --- goals and span of control -----------------------------------------------------------------


def test_movement_is_on_track_when_it_keeps_up_with_a_straight_line_to_the_target() -> None:
    goal = Goal(
        indicator="stress",
        label_sv="Rimlig stress",
        baseline_period="2024-H1",
        baseline_value=50,
        target_period="2027-H1",
        target_value=65,
    )
    assert goal.expected("2025-H2", 50) == 57.5  # 3 of 6 half-years
    assert goal.on_track("2025-H2", 50, 58) is True
    assert goal.on_track("2025-H2", 50, 55) is False
    assert goal.on_track("2025-H2", 50, None) is None
    down = goal.model_copy(update={"direction": Direction.DECREASE, "baseline_value": 2.26, "target_value": 1.5})
    assert down.on_track("2025-H2", 2.26, 1.9) is True


def test_a_target_before_its_baseline_is_refused() -> None:
    with pytest.raises(ValueError, match="target_period"):
        Goal(indicator="x", label_sv="x", baseline_period="2026-H1", target_period="2025-H2", target_value=1)


def test_gotlands_guideline_file_and_pjasen() -> None:
    guidelines, rejected = parse_guidelines((DATA / "gotland_span_guideline.csv").read_text(encoding="utf-8"))
    assert rejected == []
    by_area = {g.area: g for g in guidelines}
    assert (by_area["Särskilda boenden"].base_employees_per_manager, by_area["Särskilda boenden"].limit) == (30, 40)
    pjasen = Span(employees=115, managers=4)
    assert pjasen.per_manager == 28.75
    assert pjasen.flag(by_area["Särskilda boenden"]) is SpanFlag.WITHIN
    assert Span(35, 1).flag(by_area["Särskilda boenden"]) is SpanFlag.ABOVE_BASE
    assert Span(44, 1).flag(by_area["Särskilda boenden"]) is SpanFlag.ABOVE_LIMIT


def test_a_bad_guideline_row_is_named_by_its_line() -> None:
    text = "guideline_area,base_employees_per_manager,adjustment_max\nHemtjänsten,30,10\n,25,5\nX,none,5\nHemtjänsten,20,5\n"
    guidelines, rejected = parse_guidelines(text)
    assert [g.area for g in guidelines] == ["Hemtjänsten"]
    assert [(r.line, r.field) for r in rejected] == [
        (3, "guideline_area"),
        (4, "base_employees_per_manager"),
        (5, "guideline_area"),
    ]
