"""The board report as one HTML page: tables, SVG charts, and a print stylesheet for paper."""

from __future__ import annotations

from functools import cache

import jinja2

from services.reporting.domain.models import BoardReport, Cell, ColumnKind
from services.reporting.domain.suppression import MIN_GROUP_SIZE
from services.reporting.render import charts
from services.reporting.render.words import shown, word


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("services.reporting.render", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(report: BoardReport) -> str:
    language = report.language.value

    def cell(value: Cell, kind: str = "count") -> str:
        return shown(value, language, percent=kind == ColumnKind.PERCENT)

    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            language=language,
            w=lambda key: word(key, language),
            cell=cell,
            number=lambda value: cell(Cell(value=value), "percent"),
            privacy=word("privacy", language).format(n=MIN_GROUP_SIZE),
            goals_chart=charts.goals_chart(report),
            trend_chart=charts.trend_chart(report),
            span_chart=charts.span_chart(report),
            generated=report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
