"""The half-year board report, built from aggregates alone. Pure.

Every per-unit figure is decided once for the whole tenant (suppression), then the report's scope
(the tenant or a department) shows its part of it, so a department's report and the tenant's agree
cell by cell and neither gives away what the other hides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.reporting.domain import metrics
from services.reporting.domain.aggregation import rolled_up
from services.reporting.domain.directory import UnitTree
from services.reporting.domain.goals import Goal, Source
from services.reporting.domain.metrics import TENANT, Label
from services.reporting.domain.models import (
    BoardReport,
    Cell,
    Column,
    ColumnKind,
    GoalLine,
    IndicatorLine,
    Language,
    Row,
    Table,
)
from services.reporting.domain.periods import ALL_TIME, months_of, previous_half
from services.reporting.domain.span import Guideline, Span
from services.reporting.domain.suppression import Suppressed, suppress
from services.reporting.domain.surveys import SurveyFigures

Counters = Mapping[str, int]
Aggregates = Mapping[str, Counters]  # scope -> counters


@dataclass(frozen=True)
class Metric:
    key: str
    label: Label
    kind: ColumnKind
    value: Callable[[Counters], float | int | None]
    people: Callable[[Counters], int]
    reads: tuple[str, ...]  # the counters value and people take


def count(name: str, label: Label | None = None) -> Metric:
    def value(c: Counters) -> int:
        return max(int(c.get(name, 0)), 0)

    return Metric(
        name, label or metrics.COUNTS.get(name) or metrics.STOCKS[name], ColumnKind.COUNT, value, value, (name,)
    )


def rate(name: str) -> Metric:
    numerator, denominator, label = metrics.RATES[name]

    def value(c: Counters) -> float | None:
        below = c.get(denominator, 0)
        return round(100 * c.get(numerator, 0) / below, 1) if below > 0 else None

    return Metric(
        name,
        label,
        ColumnKind.PERCENT,
        value,
        lambda c: max(int(c.get(denominator, 0)), 0),
        (numerator, denominator),
    )


def favourable(indicator: str) -> Metric:
    def value(c: Counters) -> float | None:
        n = c.get(metrics.rating(indicator, "n"), 0)
        return round(100 * c.get(metrics.rating(indicator, "fav"), 0) / n, 1) if n > 0 else None

    return Metric(
        f"pulse:{indicator}",
        metrics.indicator_label(indicator),
        ColumnKind.PERCENT,
        value,
        lambda c: int(c.get(metrics.rating(indicator, "people"), 0)),
        tuple(metrics.rating(indicator, part) for part in ("n", "fav", "people")),
    )


PROGRAMME_COLUMNS = (
    count("enrolments_approved"),
    count("stages_completed"),
    count("programmes_completed"),
    count("credentials_issued"),
    count("registrations_confirmed"),
    count("late_cancellations"),
    rate("attendance_rate"),
    rate("no_show_rate"),
)
CHECKIN_COLUMNS = (
    count("checkins_planned"),
    count("checkins_completed"),
    count("checkins_missed"),
    rate("on_time_rate"),
    count("action_items_created"),
    count("action_items_completed"),
)
TREND_COLUMNS = (count("registrations_confirmed"), count("programmes_completed"), count("checkins_completed"))
# All a month gives the report: its months are read for these counters only.
TREND_COUNTERS = tuple(dict.fromkeys(name for metric in TREND_COLUMNS for name in metric.reads))

TITLES = {
    "programmes": Label("Program och utbildningstillfällen", "Programmes and sessions"),
    "checkins": Label("Avstämningar", "Check-ins"),
    "indicators": Label(
        "Indikatorer från avstämningarna (andel positiva svar, %)", "Check-in indicators (favourable, %)"
    ),
    "span_of_control": Label("Chefers kontrollspann", "Span of control"),
    "sessions": Label("Utvärderingar av utbildningstillfällen", "Session evaluations"),
    "figures": Label("Nyckeltal", "Key figures"),
    "trend": Label("Månad för månad", "Month by month"),
    "survey": Label("Medarbetarundersökning och nyckeltal", "Employee survey and key figures"),
}
SPAN_LABELS = {
    "employees": Label("Tillsvidareanställda", "Permanent employees"),
    "managers": Label("Chefer", "Managers"),
    "per_manager": Label("Medarbetare per chef", "Employees per manager"),
    "base": Label("Grundtal", "Base number"),
    "limit": Label("Grundtal + justering", "Base + adjustment"),
    "flag": Label("Bedömning", "Assessment"),
}
FLAG_LABELS = {
    "within": Label("Inom grundtal", "Within base"),
    "above_base": Label("Över grundtal", "Above base"),
    "above_limit": Label("Över grundtal + justering", "Above base + adjustment"),
}
FIGURE_LABELS = {
    "waitlist_peak": Label("Längsta kö till ett tillfälle", "Longest waitlist for a session"),
    "messages_sent": Label("Skickade meddelanden", "Messages sent"),
    "messages_failed": Label("Meddelanden som inte kom fram", "Messages not delivered"),
    "evaluations": Label("Utvärderingar", "Evaluations"),
    "average": Label("Medelbetyg (1\u20135)", "Average rating (1\u20135)"),
    "favourable": Label("Andel 4\u20135 (%)", "Rated 4\u20135 (%)"),
    "workplaces": Label(
        "Arbetsplatser med utbildad person: {programme}", "Workplaces with a trained person: {programme}"
    ),
}
SOURCE_LABELS = {
    Source.PULSE: Label("avstämningar (puls)", "check-ins (pulse)"),
    Source.SURVEY: Label("medarbetarundersökning", "employee survey"),
    Source.KEY_FIGURE: Label("nyckeltal", "key figure"),
}
GIVEN = Label("angivet av organisationen", "given by the organisation")


@dataclass
class ReportInputs:
    tenant_id: str
    tenant_name: str
    period: str
    scope: str
    language: Language
    generated_at: datetime
    tree: UnitTree
    by_period: Mapping[str, Aggregates]  # each scope's own: the period, its months, the one before, baselines, ALL
    goals: Sequence[Goal] = ()
    guidelines: Mapping[str, Guideline] = field(default_factory=dict)
    surveys: SurveyFigures = field(default_factory=SurveyFigures)


class Decisions:
    """Figures rolled up the unit tree, and suppression decided once per metric and period, for the whole tenant."""

    def __init__(self, tree: UnitTree, by_period: Mapping[str, Aggregates]) -> None:
        self.tree = tree
        self.by_period = {period: rolled_up(own, tree) for period, own in by_period.items()}
        self._decided: dict[tuple[str, str], dict[str, Suppressed]] = {}

    def cell(self, metric: Metric, period: str, scope: str) -> Cell:
        aggregates = self.by_period.get(period, {})
        key = (metric.key, period)
        if key not in self._decided:
            people = {s: metric.people(c) for s, c in aggregates.items()}
            self._decided[key] = suppress(self.tree.sums(), people)
        hidden = self._decided[key].get(scope)
        if hidden:
            return Cell(suppressed=hidden)
        return Cell(value=metric.value(aggregates.get(scope, {})))


def _rows(inputs: ReportInputs, decisions: Decisions, columns: Sequence[Metric], period: str) -> list[Row]:
    return [
        Row(
            scope=scope,
            name=inputs.tree.name(scope, inputs.tenant_name),
            depth=depth,
            cells={m.key: decisions.cell(m, period, scope) for m in columns},
        )
        for scope, depth in inputs.tree.walk(inputs.scope)
    ]


def _table(
    key: str, inputs: ReportInputs, decisions: Decisions, columns: Sequence[Metric], note: str | None = None
) -> Table:
    language = inputs.language.value
    return Table(
        key=key,
        title=TITLES[key](language),
        columns=[Column(key=m.key, label=m.label(language), kind=m.kind) for m in columns],
        rows=_rows(inputs, decisions, columns, inputs.period),
        note=note,
    )


def indicator_keys(inputs: ReportInputs) -> list[str]:
    """Indicators rated in the period or the one before, or with a goal, in the catalogue's order."""
    found = {g.indicator for g in inputs.goals if g.source is not Source.KEY_FIGURE} | inputs.surveys.indicators()
    for period in (inputs.period, previous_half(inputs.period)):
        for counters in inputs.by_period.get(period, {}).values():
            found |= {name.split(":")[1] for name in counters if name.startswith("r:")}
    order = list(metrics.INDICATORS)
    return sorted(found, key=lambda k: (order.index(k) if k in order else len(order), k))


def _span_table(inputs: ReportInputs) -> Table:
    language = inputs.language.value
    tree, columns = inputs.tree, list(SPAN_LABELS)
    totals: dict[str, Span] = {}

    def span(scope: str) -> Span:
        if scope not in totals:
            unit = tree.units.get(scope)
            children = tree.children(scope)
            if children:
                parts = [span(c) for c in children]
                totals[scope] = Span(sum(p.employees for p in parts), sum(p.managers for p in parts))
            else:
                totals[scope] = Span(
                    (unit.permanent_employees or 0) if unit else 0, (unit.managers or 0) if unit else 0
                )
        return totals[scope]

    rows = []
    for scope, depth in tree.walk(inputs.scope):
        unit = tree.units.get(scope)
        guideline = inputs.guidelines.get(unit.guideline_area or "") if unit and not tree.children(scope) else None
        figures = span(scope)
        flag = figures.flag(guideline)
        values: dict[str, float | int | str | None] = {
            "employees": figures.employees,
            "managers": figures.managers,
            "per_manager": figures.per_manager,
            "base": guideline.base_employees_per_manager if guideline else None,
            "limit": guideline.limit if guideline else None,
            "flag": FLAG_LABELS[flag.value](language) if flag else None,
        }
        rows.append(
            Row(
                scope=scope,
                name=tree.name(scope, inputs.tenant_name),
                depth=depth,
                cells={k: Cell(value=v) for k, v in values.items()}
                | {"flag_key": Cell(value=flag.value if flag else None)},
            )
        )
    kinds = {"employees": ColumnKind.COUNT, "managers": ColumnKind.COUNT, "flag": ColumnKind.TEXT}
    return Table(
        key="span_of_control",
        title=TITLES["span_of_control"](language),
        columns=[Column(key=k, label=SPAN_LABELS[k](language), kind=kinds.get(k, ColumnKind.NUMBER)) for k in columns],
        rows=rows,
        note=Label(
            "Enheter med fler medarbetare per chef än grundtalet flaggas; departement summeras från sina enheter.",
            "Units with more employees per manager than the base number are flagged; departments sum their units.",
        )(language),
    )


def _sessions_table(inputs: ReportInputs) -> Table:
    """Evaluations per programme (unsigned, for the tenant only), with a total; fewer than five: suppressed."""
    language = inputs.language.value
    counters = inputs.by_period.get(inputs.period, {}).get(TENANT, {})
    programmes = sorted({name.split(":")[1] for name in counters if name.startswith("s:")})

    def part(programme: str, name: str) -> int:
        return int(counters.get(metrics.session_rating(programme, name), 0))

    people = {p: part(p, "n") for p in programmes} | {TENANT: sum(part(p, "n") for p in programmes)}
    hidden = suppress({TENANT: programmes}, people)
    rows = []
    for scope in [*programmes, TENANT]:
        chosen = programmes if scope == TENANT else [scope]
        n = sum(part(p, "n") for p in chosen)
        total = sum(part(p, "sum") for p in chosen)
        good = sum(part(p, "d4") + part(p, "d5") for p in chosen)
        values = {
            "evaluations": n,
            "average": round(total / n, 2) if n else None,
            "favourable": round(100 * good / n, 1) if n else None,
        }
        cells = {k: Cell(suppressed=hidden[scope]) if scope in hidden else Cell(value=v) for k, v in values.items()}
        name = Label("Alla program", "All programmes")(language) if scope == TENANT else scope
        rows.append(Row(scope=scope, name=name, depth=0 if scope == TENANT else 1, cells=cells))
    kinds = {"evaluations": ColumnKind.COUNT, "average": ColumnKind.NUMBER, "favourable": ColumnKind.PERCENT}
    return Table(
        key="sessions",
        title=TITLES["sessions"](language),
        columns=[Column(key=k, label=FIGURE_LABELS[k](language), kind=v) for k, v in kinds.items()],
        rows=rows,
    )


def _figures(inputs: ReportInputs, decisions: Decisions) -> Table:
    language = inputs.language.value
    all_time = inputs.by_period.get(ALL_TIME, {})
    programmes = sorted({n.split(":")[1] for c in all_time.values() for n in c if n.startswith("done:")})
    cells: dict[str, Cell] = {"credentials_held": decisions.cell(count("credentials_held"), ALL_TIME, inputs.scope)}
    columns = [
        Column(key="credentials_held", label=metrics.STOCKS["credentials_held"](language), kind=ColumnKind.COUNT)
    ]
    scopes = {s for s, _ in inputs.tree.walk(inputs.scope)}
    for programme in programmes:
        done = metrics.completed_programme(programme)
        trained = count(done, Label("", ""))
        key = f"workplaces:{programme}"
        total = decisions.cell(trained, ALL_TIME, inputs.scope)
        workplaces = sum(
            1 for s in scopes if s != TENANT and not inputs.tree.children(s) and all_time.get(s, {}).get(done, 0) > 0
        )
        cells[key] = total if total.suppressed else Cell(value=workplaces)
        columns.append(
            Column(
                key=key, label=FIGURE_LABELS["workplaces"](language).format(programme=programme), kind=ColumnKind.COUNT
            )
        )
    if inputs.scope == TENANT:
        counters = inputs.by_period.get(inputs.period, {}).get(TENANT, {})
        cells["waitlist_peak"] = Cell(value=int(counters.get(metrics.WAITLIST_PEAK, 0)))
        for outcome in ("sent", "failed"):
            cells[f"messages_{outcome}"] = Cell(
                value=sum(int(v) for k, v in counters.items() if k.startswith(f"m:{outcome}:"))
            )
        columns += [
            Column(key=k, label=FIGURE_LABELS[k](language), kind=ColumnKind.COUNT)
            for k in ("waitlist_peak", "messages_sent", "messages_failed")
        ]
    row = Row(scope=inputs.scope, name=inputs.tree.name(inputs.scope, inputs.tenant_name), depth=0, cells=cells)
    return Table(key="figures", title=TITLES["figures"](language), columns=columns, rows=[row])


def _trend(inputs: ReportInputs, decisions: Decisions) -> Table:
    language = inputs.language.value
    months = months_of(inputs.period)
    rows_cells: dict[str, dict[str, Cell]] = {m: {} for m in months}
    for metric in TREND_COLUMNS:
        whole = decisions.cell(metric, inputs.period, inputs.scope)
        monthly = {m: decisions.by_period.get(m, {}).get(inputs.scope, {}) for m in months}
        people = {m: metric.people(monthly[m]) for m in months}
        people[inputs.period] = sum(people.values())
        already = {inputs.period: whole.suppressed} if whole.suppressed else {}
        hidden = suppress({inputs.period: months}, people, already)
        for m in months:
            value = metric.value(monthly[m])
            rows_cells[m][metric.key] = Cell(suppressed=hidden[m]) if m in hidden else Cell(value=value)
    return Table(
        key="trend",
        title=TITLES["trend"](language),
        columns=[Column(key=m.key, label=m.label(language), kind=m.kind) for m in TREND_COLUMNS],
        rows=[Row(scope=m, name=m, depth=1, cells=rows_cells[m]) for m in months],
    )


def _goal_value(goal: Goal, period: str, inputs: ReportInputs, decisions: Decisions) -> tuple[Cell, str]:
    """A goal's indicator in a period, and where the number comes from."""
    language = inputs.language.value
    if goal.source is Source.PULSE:
        return decisions.cell(favourable(goal.indicator), period, inputs.scope), SOURCE_LABELS[Source.PULSE](language)
    figure = inputs.surveys.cell(goal.source, goal.indicator, period, inputs.scope, inputs.tree)
    return figure.cell, figure.source or SOURCE_LABELS[goal.source](language)


def _goals(inputs: ReportInputs, decisions: Decisions) -> list[GoalLine]:
    language = inputs.language.value
    previous = previous_half(inputs.period)
    lines = []
    for goal in sorted(inputs.goals, key=lambda g: g.indicator):
        if goal.baseline_value is not None:
            baseline, baseline_source = Cell(value=goal.baseline_value), GIVEN(language)
        else:
            baseline, baseline_source = _goal_value(goal, goal.baseline_period, inputs, decisions)
        before, _ = _goal_value(goal, previous, inputs, decisions)
        current, source = _goal_value(goal, inputs.period, inputs, decisions)
        start = baseline.value if isinstance(baseline.value, int | float) else None
        now = current.value if isinstance(current.value, int | float) else None
        lines.append(
            GoalLine(
                indicator=goal.indicator,
                label=goal.label(language),
                source=source,
                direction=goal.direction.value,
                baseline_period=goal.baseline_period,
                baseline=baseline,
                baseline_source=baseline_source,
                previous_period=previous,
                previous=before,
                current_period=inputs.period,
                current=current,
                target_period=goal.target_period,
                target=goal.target_value,
                expected=goal.expected(inputs.period, start) if start is not None else None,
                on_track=goal.on_track(inputs.period, start, now),
            )
        )
    return lines


def _indicators(inputs: ReportInputs, decisions: Decisions, keys: Sequence[str]) -> list[IndicatorLine]:
    language = inputs.language.value
    targets = {g.indicator: g.target_value for g in inputs.goals}
    lines = []
    for key in keys:
        survey = inputs.surveys.cell(Source.SURVEY, key, inputs.period, inputs.scope, inputs.tree)
        lines.append(
            IndicatorLine(
                indicator=key,
                label=metrics.indicator_label(key)(language),
                pulse_previous=decisions.cell(favourable(key), previous_half(inputs.period), inputs.scope),
                pulse=decisions.cell(favourable(key), inputs.period, inputs.scope),
                survey=survey.cell,
                survey_source=survey.source,
                goal_target=targets.get(key),
            )
        )
    return lines


def period_tables(inputs: ReportInputs) -> list[Table]:
    """The programme and check-in tables of any period: a month, a quarter or a half-year."""
    decisions = Decisions(inputs.tree, inputs.by_period)
    return [
        _table("programmes", inputs, decisions, PROGRAMME_COLUMNS),
        _table("checkins", inputs, decisions, CHECKIN_COLUMNS),
    ]


def board_report(inputs: ReportInputs) -> BoardReport:
    decisions = Decisions(inputs.tree, inputs.by_period)
    keys = indicator_keys(inputs)
    tables = [
        _table("programmes", inputs, decisions, PROGRAMME_COLUMNS),
        _table("checkins", inputs, decisions, CHECKIN_COLUMNS),
        _table("indicators", inputs, decisions, [favourable(k) for k in keys]),
        _span_table(inputs),
    ]
    survey_table = inputs.surveys.table(inputs, keys)
    if survey_table is not None:
        tables.insert(3, survey_table)
    if inputs.scope == TENANT:
        tables.append(_sessions_table(inputs))
    return BoardReport(
        tenant_id=inputs.tenant_id,
        scope=inputs.scope,
        scope_name=inputs.tree.name(inputs.scope, inputs.tenant_name),
        period=inputs.period,
        previous_period=previous_half(inputs.period),
        language=inputs.language,
        generated_at=inputs.generated_at,
        goals=_goals(inputs, decisions),
        indicators=_indicators(inputs, decisions, keys),
        figures=_figures(inputs, decisions),
        tables=tables,
        trend=_trend(inputs, decisions),
        sources=inputs.surveys.sources(),
    )
