"""The seed documents' facts (local/data, transcribed from the customers' documents) as API request
bodies, for demo data and tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def _programmes() -> dict[str, Any]:
    return dict(json.loads((DATA / "programmes.json").read_text(encoding="utf-8")))


def humana_programme() -> dict[str, Any]:
    """Arbetsledarprogrammet: nine e-learning courses (Basen), then two deep dives, then a diploma."""
    seed = _programmes()["humana_supervisor_programme"]
    base, *deep_dives = seed["stages"]
    courses = [
        {"key": f"kurs-{n}", "name": name, "external_id": f"humana-lms-{n}"}
        for n, name in enumerate(base["courses"], start=1)
    ]
    return {
        "programme_id": "arbetsledarprogrammet",
        "name": seed["name"],
        "description": "Basen (e-learning) öppnar Fördjupning 1 och 2; båda ger diplom.",
        "stages": [
            {"key": base["key"], "name": base["name"], "kind": "e-learning", "courses": courses},
            *(
                {"key": stage["key"], "name": stage["name"], "kind": "instructor-led", "requires": stage["requires"]}
                for stage in deep_dives
            ),
        ],
        "credential": {"name": seed["credential"]["name"]},
    }


def halland_programme() -> dict[str, Any]:
    """Handledarutbildning: the managers' breakfast, a basic training day, optional deep-dive half-days."""
    seed = _programmes()["halland_mentor_training"]
    kinds = {"frukostmote": "briefing", "natverk": "network"}
    return {
        "programme_id": "handledarutbildning",
        "name": seed["name"],
        "stages": [
            {
                "key": stage["key"],
                "name": stage["name"],
                "kind": kinds.get(stage["key"], "instructor-led"),
                "required": stage.get("required", False),
            }
            for stage in seed["stages"]
        ],
        "credential": {"name": "Utbildad handledare"},
    }


def humana_forum() -> dict[str, Any]:
    """Arbetsledarforum: a recurring online hour; every supervisor is invited in good time, per occasion."""
    seed = _programmes()["humana_supervisor_forum"]
    return {
        "programme_id": "arbetsledarforum",
        "name": seed["name"],
        "description": "; ".join(seed["rules"]),
        "stages": [{"key": "forum", "name": seed["name"], "kind": "forum"}],
        "audience": {"roles": ["participant"]},
    }


def gotland_units_csv() -> str:
    """Region Gotland's social services, units with their size (table 3 of the seed), as exported."""
    return (DATA / "gotland_units_2024-03.csv").read_text(encoding="utf-8")


def humana_wheel() -> dict[str, Any]:
    """Arbetsledaravstämningar: the appraisal in January, a check-in each quarter with a focus area from the
    routine calendar, Humana's four questions, and rating items tagged with the indicators boards follow."""
    seed = _programmes()["humana_checkin_wheel"]
    keys = ("goal", "group", "values", "needs")
    return {
        "wheel_id": "arbetsledaravstamningar",
        "name": seed["name"],
        "appraisal_month": seed["appraisal_month"],
        "focus_areas": seed["focus_areas"],
        "questions": [
            {"key": key, "text": sv, "text_en": en}
            for key, sv, en in zip(keys, seed["questions_sv"], seed["questions"], strict=True)
        ],
        "rating_items": [
            {"key": item["key"], "text": item["sv"], "text_en": item["en"], "indicator": item["indicator"]}
            for item in seed["rating_items"]
        ],
        "renew_yearly": True,
    }


def humana_newcomers() -> dict[str, Any]:
    """A newcomer is followed up two weeks and three months after their start, with an introduction checklist."""
    seed = _programmes()["humana_checkin_wheel"]
    return {
        "follow_ups": [
            {"after_days": 14, "focus_area": "De första veckorna"},
            {"after_days": 90, "focus_area": "Efter introduktionen"},
        ],
        "checklist": [
            {"key": f"intro-{n}", "text": text} for n, text in enumerate(seed["introduction_checklist"], start=1)
        ],
    }


def gotland_span_guideline_csv() -> str:
    """Region Gotland's guideline: base employees per manager, and the allowed adjustment, per area (table 1)."""
    return (DATA / "gotland_span_guideline.csv").read_text(encoding="utf-8")


def gotland_survey_sample_csv() -> str:
    """SAMPLE DATA, not Gotland's: survey results per department at the seed's stated levels (about 2/3
    say their manager leads well, about half a reasonable stress level, about 2/3 of managers enough
    recovery and competence development) in 2024, moving after; managers' sick leave 2.26 % in 2023."""
    return (DATA / "gotland_survey_SAMPLE_2024-2026.csv").read_text(encoding="utf-8")
