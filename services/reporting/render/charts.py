"""The report's charts: SVG from pygal, readable in black and white when printed.

Series differ by fill pattern (solid, hatched, dotted, open) and line dashes, never by colour alone,
and every bar and point carries its value as a label. No script: the SVG is static.
"""

from __future__ import annotations

from typing import Any

import pygal
from pygal.style import Style

from services.reporting.domain.models import BoardReport, Cell
from services.reporting.render.words import word

PATTERNS = (
    '<pattern id="solid" width="4" height="4" patternUnits="userSpaceOnUse">'
    '<rect width="4" height="4" fill="#222"/></pattern>',
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#fff"/><rect width="2.5" height="6" fill="#333"/></pattern>',
    '<pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<rect width="5" height="5" fill="#ddd"/><circle cx="2.5" cy="2.5" r="1.3" fill="#222"/></pattern>',
    '<pattern id="open" width="4" height="4" patternUnits="userSpaceOnUse">'
    '<rect width="4" height="4" fill="#fff"/></pattern>',
)
FILLS = ("url(#solid)", "url(#hatch)", "url(#dots)", "url(#open)")
DASHES = ("", "8,4", "2,3", "10,3,2,3")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#111",
    foreground_strong="#000",
    foreground_subtle="#555",
    colors=FILLS,
    font_family="DejaVu Sans, Arial, sans-serif",
    value_font_size=11,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=14,
    stroke_opacity=1,
    stroke_opacity_hover=1,
    value_colors=("#000",) * 4,
)
# Every bar outlined, so an open (white) one still shows on paper.
OUTLINES = "inline:.bar rect.rect, .bar .rect { stroke: #000 !important; stroke-width: 1px; }"
LINE_STYLE = Style(**{**STYLE.to_dict(), "colors": ("#000", "#333", "#555", "#777")})


def _config(**overrides: Any) -> dict[str, Any]:
    return {
        "style": STYLE,
        "js": [],  # static SVG: no script is loaded, in a browser or in print
        "defs": list(PATTERNS),
        "print_values": True,
        "print_values_position": "top",
        "css": ["file://style.css", "file://graph.css", OUTLINES],
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "truncate_legend": -1,  # whole words: a board reads the labels
        "truncate_label": -1,
        "width": 900,
        "height": 360,
        "margin": 16,
        "show_y_guides": True,
        "disable_xml_declaration": True,
        **overrides,
    }


def _number(cell: Cell) -> float | None:
    return float(cell.value) if isinstance(cell.value, int | float) and not cell.suppressed else None


def _render(chart: Any) -> str:
    return str(chart.render(is_unicode=True)).replace("<svg ", '<svg role="img" ', 1)


def goals_chart(report: BoardReport) -> str | None:
    """The goals on the 0-100 scale of shares; key figures (sick leave, a few percent) are in the table."""
    goals = [g for g in report.goals if g.target > 10]
    if not goals:
        return None
    language = report.language.value
    chart = pygal.Bar(**_config(title=word("chart_goals", language), range=(0, 100), formatter=lambda v: f"{v:.0f} %"))
    chart.x_labels = [g.label for g in goals]
    series = (
        (f"{word('baseline', language)}", [_number(g.baseline) for g in goals]),
        (f"{word('previous', language)} ({report.previous_period})", [_number(g.previous) for g in goals]),
        (f"{word('current', language)} ({report.period})", [_number(g.current) for g in goals]),
        (f"{word('target', language)}", [g.target for g in goals]),
    )
    for title, values in series:
        chart.add(title, values, stroke_style={"width": 1.5})
    return _render(chart)


def trend_chart(report: BoardReport) -> str | None:
    table = report.trend
    if not any(_number(c) for row in table.rows for c in row.cells.values()):
        return None
    language = report.language.value
    chart = pygal.Line(
        **_config(title=word("chart_trend", language), style=LINE_STYLE, dots_size=4, formatter=lambda v: f"{v:.0f}")
    )
    chart.x_labels = [row.name for row in table.rows]
    for index, column in enumerate(table.columns):
        values = [_number(row.cells[column.key]) for row in table.rows]
        chart.add(
            column.label,
            values,
            stroke_style={"width": 2.5, "dasharray": DASHES[index % len(DASHES)]},
            allow_interruptions=True,
        )
    return _render(chart)


def span_chart(report: BoardReport) -> str | None:
    table = next((t for t in report.tables if t.key == "span_of_control"), None)
    rows = [r for r in table.rows if r.depth > 0 and _number(r.cells["per_manager"]) is not None] if table else []
    if not rows or table is None:
        return None
    language = report.language.value
    rows = rows[:30]  # a chart of more bars than this is unreadable; the table has them all
    chart = pygal.HorizontalBar(
        **_config(
            title=word("chart_span", language), height=max(300, 26 * len(rows) + 120), formatter=lambda v: f"{v:g}"
        )
    )
    chart.x_labels = [r.name for r in rows]
    labels = {c.key: c.label for c in table.columns}
    chart.add(labels["per_manager"], [_number(r.cells["per_manager"]) for r in rows])
    chart.add(labels["base"], [_number(r.cells["base"]) for r in rows])
    return _render(chart)
