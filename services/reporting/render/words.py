"""What a reader of the rendered report sees besides the report's own labels, in Swedish and English."""

from __future__ import annotations

from services.reporting.domain.metrics import Label
from services.reporting.domain.models import Cell

WORDS: dict[str, Label] = {
    "title": Label("Halvårsrapport till nämnden", "Half-year report to the board"),
    "period": Label("Period", "Period"),
    "scope": Label("Omfattning", "Scope"),
    "generated": Label("Framtagen", "Generated"),
    "goals": Label("Mål och måluppfyllelse", "Goals and progress"),
    "indicator": Label("Indikator", "Indicator"),
    "baseline": Label("Utgångsläge", "Baseline"),
    "previous": Label("Föregående halvår", "Previous half-year"),
    "current": Label("Detta halvår", "This half-year"),
    "target": Label("Mål", "Target"),
    "expected": Label("Förväntat nu", "Expected now"),
    "on_track": Label("I fas", "On track"),
    "source": Label("Källa", "Source"),
    "yes": Label("Ja", "Yes"),
    "no": Label("Nej", "No"),
    "unknown": Label("Kan inte bedömas", "Cannot tell"),
    "indicators": Label("Indikatorer: avstämningar och medarbetarundersökning", "Indicators: check-ins and survey"),
    "pulse": Label("Avstämningar (puls)", "Check-ins (pulse)"),
    "survey": Label("Medarbetarundersökning", "Employee survey"),
    "unit": Label("Enhet", "Unit"),
    "month": Label("Månad", "Month"),
    "suppressed": Label("\u2013*", "\u2013*"),
    "privacy": Label(
        "\u2013* = dold: färre än {n} personer, eller dold för att en annan dold uppgift inte ska kunna räknas fram. "
        "Dolda uppgifter är inte noll. Rapporten visar aldrig en enskild person.",
        "\u2013* = hidden: fewer than {n} people, or hidden so that another hidden figure cannot be worked out. "
        "Hidden figures are not zero. The report never shows an individual.",
    ),
    "percent_note": Label(
        "Andel positiva svar (4\u20135 av 5), procent.", "Favourable answers (4\u20135 of 5), percent."
    ),
    "chart_goals": Label("Från utgångsläge till mål", "From baseline to target"),
    "chart_trend": Label("Månad för månad", "Month by month"),
    "chart_span": Label("Medarbetare per chef mot grundtal", "Employees per manager against the base number"),
    "sources": Label("Källor", "Sources"),
}


def word(key: str, language: str) -> str:
    return WORDS[key](language)


def shown(cell: Cell, language: str, percent: bool = False) -> str:
    """A cell as text: a suppressed one says so, a missing one is a dash; never a zero for either."""
    if cell.suppressed:
        return word("suppressed", language)
    if cell.value is None:
        return "\u2013"
    if isinstance(cell.value, float):
        # a share to one decimal; a small rate (sick leave, 2.26 %) to two
        text = (f"{cell.value:.2f}" if cell.value < 10 else f"{cell.value:.1f}") if percent else f"{cell.value:g}"
        return text.replace(".", ",") if language == "sv" else text
    return str(cell.value)
