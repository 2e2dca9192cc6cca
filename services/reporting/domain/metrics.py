"""What reporting counts, named once, with what a board reads in Swedish and English. Pure.

Counters are per scope (a unit, every unit above it, and the tenant `*`) and period. A counter of
people's acts is a cell built from people: the suppression rules apply to it. Messages are counted
per channel and session ratings per programme, for the tenant only (neither is tied to a unit).
"""

from __future__ import annotations

from dataclasses import dataclass

TENANT = "*"  # the scope of the whole tenant: every unit, and people placed on none
FAVOURABLE_FROM = 4  # ratings of 4 and 5 on the 1-5 scale are favourable (as Culture Amp and Glint count)
RATING_SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Label:
    sv: str
    en: str

    def __call__(self, language: str) -> str:
        return self.sv if language == "sv" else self.en


COUNTS: dict[str, Label] = {
    "enrolments_requested": Label("Ansökningar", "Enrolment requests"),
    "enrolments_approved": Label("Antagna", "Enrolled"),
    "enrolments_declined": Label("Avslagna ansökningar", "Requests declined"),
    "enrolments_withdrawn": Label("Avbrutna", "Withdrawn"),
    "stages_completed": Label("Avklarade steg", "Stages completed"),
    "programmes_completed": Label("Fullföljda program", "Programmes completed"),
    "credentials_issued": Label("Utfärdade diplom", "Credentials issued"),
    "credentials_expiring": Label("Diplom som snart går ut", "Credentials expiring"),
    "credentials_expired": Label("Utgångna diplom", "Credentials expired"),
    "credentials_revoked": Label("Återkallade diplom", "Credentials revoked"),
    "registrations_confirmed": Label("Bokade platser", "Seats confirmed"),
    "registrations_waitlisted": Label("Köplatser", "Waitlisted"),
    "registrations_offered": Label("Erbjudna platser", "Seats offered"),
    "registrations_promoted": Label("Från kö till plats", "Promoted from the waitlist"),
    "registrations_cancelled": Label("Avbokningar", "Cancellations"),
    "late_cancellations": Label("Sena avbokningar", "Late cancellations"),
    "attendance_recorded": Label("Närvaro registrerad", "Attendance recorded"),
    "attendance_present": Label("Närvarande", "Present"),
    "no_shows": Label("Uteblivna", "No-shows"),
    "checkins_planned": Label("Planerade avstämningar", "Check-ins planned"),
    "checkins_completed": Label("Genomförda avstämningar", "Check-ins completed"),
    "checkins_on_time": Label("Genomförda i tid", "Completed on time"),
    "checkins_missed": Label("Missade avstämningar", "Check-ins missed"),
    "checkins_cancelled": Label("Inställda avstämningar", "Check-ins cancelled"),
    "action_items_created": Label("Nya åtgärder", "Action items agreed"),
    "action_items_completed": Label("Klara åtgärder", "Action items completed"),
    "action_items_overdue": Label("Försenade åtgärder", "Action items overdue"),
}

# Stocks: kept for all time (period ALL), read as they stand when a report is made.
STOCKS: dict[str, Label] = {
    "credentials_held": Label("Gällande diplom", "Credentials held"),
}

RATES: dict[str, tuple[str, str, Label]] = {
    # name: (numerator, denominator, label)
    "attendance_rate": ("attendance_present", "attendance_recorded", Label("Närvaro", "Attendance rate")),
    "no_show_rate": ("no_shows", "attendance_recorded", Label("Uteblivna", "No-show rate")),
    "on_time_rate": ("checkins_on_time", "checkins_completed", Label("I tid", "On time")),
}

INDICATORS: dict[str, Label] = {
    "leadership": Label("Min chef leder väl", "My manager leads well"),
    "stress": Label("Rimlig stressnivå", "Reasonable stress level"),
    "recovery": Label("Tillräcklig återhämtning", "Enough recovery"),
    "competence_development": Label("Kompetensutveckling jag behöver", "Competence development I need"),
    "preconditions": Label("Förutsättningar att leda", "Preconditions to lead"),
    "pulse": Label("Puls", "Pulse"),
}


def indicator_label(key: str) -> Label:
    return INDICATORS.get(key, Label(key.replace("_", " ").capitalize(), key.replace("_", " ").capitalize()))


# Attribute names of the aggregate items. Indicator, programme and channel keys are limited to
# [a-z0-9_-] by the readers, so they cannot collide with these separators.
def rating(indicator: str, part: str) -> str:
    """part: n (ratings), sum, fav (favourable ratings), d1..d5 (distribution), people (respondents)."""
    return f"r:{indicator}:{part}"


def session_rating(programme_id: str, part: str) -> str:
    return f"s:{programme_id}:{part}"


def messages(outcome: str, channel: str) -> str:
    return f"m:{outcome}:{channel}"


def completed_programme(programme_id: str) -> str:
    return f"done:{programme_id}"


WAITLIST_PEAK = "waitlist_peak"
