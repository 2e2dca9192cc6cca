"""The board report's tables as CSV and as an Excel workbook (one sheet per table).

A suppressed cell is written as the words that say so, never as zero or blank; a missing one is blank.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from services.reporting.domain.metrics import Label
from services.reporting.domain.models import BoardReport, Cell, Column, ColumnKind, Row, Table
from services.reporting.domain.suppression import MIN_GROUP_SIZE
from services.reporting.render.words import word

# Sheet names: Excel allows 31 characters; the sheet's first row holds the table's whole title.
SHEETS = {
    "goals": Label("Mål", "Goals"),
    "figures": Label("Nyckeltal", "Key figures"),
    "programmes": Label("Program", "Programmes"),
    "checkins": Label("Avstämningar", "Check-ins"),
    "indicators": Label("Indikatorer", "Indicators"),
    "survey": Label("Medarbetarundersökning", "Employee survey"),
    "span_of_control": Label("Kontrollspann", "Span of control"),
    "sessions": Label("Utvärderingar", "Evaluations"),
    "trend": Label("Månad för månad", "Month by month"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUPPRESSED = {"sv": "dold (färre än {n})", "en": "hidden (fewer than {n})"}
COMPLEMENTARY = {"sv": "dold (skyddar annan uppgift)", "en": "hidden (protects another figure)"}


def _goals_table(report: BoardReport) -> Table | None:
    if not report.goals:
        return None
    language = report.language.value
    keys = ("baseline", "previous", "current", "target", "expected", "on_track", "source")
    columns = [Column(key=k, label=word(k, language), kind=ColumnKind.TEXT) for k in keys]
    rows = []
    for goal in report.goals:
        on_track = (
            word("yes", language) if goal.on_track else word("no" if goal.on_track is False else "unknown", language)
        )
        cells = {
            "baseline": goal.baseline,
            "previous": goal.previous,
            "current": goal.current,
            "target": Cell(value=goal.target),
            "expected": Cell(value=goal.expected),
            "on_track": Cell(value=on_track),
            "source": Cell(value=goal.source),
        }
        rows.append(Row(scope=goal.indicator, name=goal.label, depth=0, cells=cells))
    return Table(key="goals", title=word("goals", language), columns=columns, rows=rows)


def tables(report: BoardReport) -> list[Table]:
    """Every table of the report, in the order it shows them."""
    goals = _goals_table(report)
    return [*([goals] if goals else []), report.figures, *report.tables, report.trend]


def table_keys(report: BoardReport) -> list[str]:
    return [t.key for t in tables(report)]


def _text(cell: Cell, language: str) -> str | float | int:
    if cell.suppressed:
        words = SUPPRESSED if cell.suppressed == "fewer_than_5" else COMPLEMENTARY
        return words[language].format(n=MIN_GROUP_SIZE)
    return "" if cell.value is None else cell.value


def _lines(table: Table, language: str) -> Iterator[list[str | float | int]]:
    heading = {"trend": "month", "goals": "indicator"}.get(table.key, "unit")
    yield [word(heading, language), *(c.label for c in table.columns)]
    for row in table.rows:
        yield [row.name, *(_text(row.cells[c.key], language) for c in table.columns)]


def csv_text(report: BoardReport, only: str | None = None) -> str:
    """One table, or every table one after another, each under its title."""
    language = report.language.value
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    chosen = [t for t in tables(report) if only in (None, t.key)]
    for index, table in enumerate(chosen):
        if only is None:
            if index:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerows(_lines(table, language))
    return out.getvalue()


def xlsx_bytes(report: BoardReport) -> bytes:
    import xlsxwriter  # imported only when a workbook is asked for

    language = report.language.value
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    hidden = workbook.add_format({"italic": True})
    about = workbook.add_worksheet(word("title", language))
    about.write(0, 0, word("title", language), bold)
    about.write(1, 0, word("period", language))
    about.write(1, 1, report.period)
    about.write(2, 0, word("scope", language))
    about.write(2, 1, report.scope_name)
    about.write(3, 0, word("privacy", language).format(n=MIN_GROUP_SIZE))
    for table in tables(report):
        sheet = workbook.add_worksheet(SHEETS[table.key](language))
        sheet.write(0, 0, table.title, bold)
        for line_number, line in enumerate(_lines(table, language), start=2):
            for column, value in enumerate(line):
                header = line_number == 2
                is_hidden = not header and isinstance(value, str) and value.startswith(("dold", "hidden"))
                sheet.write(line_number, column, value, bold if header else hidden if is_hidden else None)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, len(table.columns), 16)
    workbook.close()
    return out.getvalue()
