"""Region Gotland's demo history for the board report: people on the units of Gotland's file, and
two half-years of their programmes and check-ins, as the other services' events on the local bus.

The events are put on the bus (the event path), not written into reporting's table: the directory's
people go through enrolment's API, and their history comes as the events enrolment and check-ins
publish. History is on the bus because it lies in the past, and the APIs stamp what they record now;
check-in ratings are on the bus as check-ins declares them (`services/checkins/contracts/events.py`).
Everything is drawn from a seeded random generator, so a restart gives the same demo, and every
event has a stable id, so loading twice counts nothing twice.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from services.checkins.contracts.events import CheckInCompleted, CheckInMissed, CycleStarted, PlannedCheckIn, Rating
from services.enrolment.contracts import events as enrolment
from services.notifications.contracts.events import NotificationSent
from services.shared.envelope import DomainEvent, EventContext, EventEnvelope

TENANT = "gotland"
PutEvents = Callable[..., Any]  # the events client's put_events

# Units of Gotland's file (SÄBO, Hemtjänst, Myndighetsavdelning) and how many of their managers and
# supervisors take part; a few take part with fewer than five, so the report suppresses them.
PARTICIPANTS = {
    "5200303": 7,
    "5200304": 6,
    "5200305": 8,
    "5200306": 3,
    "5200307": 9,
    "5200308": 6,
    "5200309": 7,
    "5200312": 9,
    "5200313": 4,
    "5200314": 12,
    "5200405": 8,
    "5200406": 6,
    "5200412": 7,
    "5200426": 6,
    "5200427": 3,
    "5200202": 6,
    "5200203": 5,
    "5200204": 2,
}
# The favourable share of each indicator, per half-year: the seed's levels, then movement.
LEVELS = {
    "2025-H2": {"leadership": 0.66, "stress": 0.5, "recovery": 0.66, "competence_development": 0.64},
    "2026-H1": {"leadership": 0.74, "stress": 0.58, "recovery": 0.7, "competence_development": 0.72},
    "2026-H2": {"leadership": 0.78, "stress": 0.62, "recovery": 0.72, "competence_development": 0.76},
}
CYCLES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2025, ("2025-09-15", "2025-11-20")),
    (2026, ("2026-03-10", "2026-05-19", "2026-10-06")),
)
CHECKIN_DAYS = {
    "2025-H2": ("2025-09-15", "2025-11-20"),
    "2026-H1": ("2026-03-10", "2026-05-19"),
    "2026-H2": ("2026-10-06",),
}
FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Per", "Emma", "Nils", "Ida", "Olof")
LAST = ("Lindqvist", "Hansson", "Pettersson", "Ekström", "Nyberg", "Gardell", "Larsson", "Bergman", "Sjöberg")
GOALS = {
    "leadership": {
        "label_sv": "Min chef leder väl",
        "label_en": "My manager leads well",
        "target_value": 80.0,
    },
    "stress": {
        "label_sv": "Rimlig stressnivå",
        "label_en": "Reasonable stress level",
        "target_value": 65.0,
    },
    "recovery": {
        "label_sv": "Tillräcklig återhämtning",
        "label_en": "Enough recovery",
        "target_value": 75.0,
    },
    "competence_development": {
        "label_sv": "Kompetensutveckling jag behöver",
        "label_en": "Competence development I need",
        "target_value": 80.0,
    },
}
# The goals move with the employee survey: its 2024 figures are the baseline (the sample import).
GOAL_PERIODS = {"baseline_period": "2024-H1", "target_period": "2027-H2", "source": "survey"}
SICK_LEAVE_GOAL = {
    "label_sv": "Chefers sjukfrånvaro",
    "label_en": "Managers' sick leave",
    "source": "key_figure",
    "direction": "decrease",
    "baseline_period": "2023-H2",
    "target_period": "2027-H2",
    "target_value": 1.8,
}
SURVEY_SOURCE = "Medarbetarundersökning och nyckeltal (exempeldata)"


def people() -> list[tuple[str, str, str]]:
    """(person id, name, unit) of everyone taking part."""
    rng = random.Random(3)
    return [
        (f"gotland-{unit}-{n}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", unit)
        for unit, count in PARTICIPANTS.items()
        for n in range(1, count + 1)
    ]


def people_csv(chunk: int = 25) -> list[str]:
    """The people as CSV files of `chunk` rows: an import answers within the API's timeout."""
    everyone = people()
    return [
        "person_id,name,unit_id,roles\n"
        + "".join(f"{person},{name},{unit},participant\n" for person, name, unit in everyone[start : start + chunk])
        for start in range(0, len(everyone), chunk)
    ]


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=UTC)


def _envelope(event: DomainEvent, day: str, key: str) -> EventEnvelope:
    context = EventContext(tenant_id=TENANT, actor="system:demo", correlation_id="demo")
    stable = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ledarlyft-demo/{TENANT}/{key}"))
    return EventEnvelope.wrap(event, context).model_copy(update={"id": stable, "time": _at(day)})


def _rating(rng: random.Random, share: float) -> int:
    return rng.choice((4, 5)) if rng.random() < share else rng.choice((2, 3))


def _checkins(rng: random.Random, person: str, unit: str) -> Iterator[EventEnvelope]:
    for year, days in CYCLES:
        planned = [
            PlannedCheckIn(checkin_id=f"{person}-{d}", kind="check-in", focus_area=None, due_on=date.fromisoformat(d))
            for d in days
        ]
        started = CycleStarted(
            cycle_id=f"{person}-{year}",
            person_id=person,
            manager_id=f"chef-{unit}",
            wheel_id="gotland-hjul",
            wheel_version=1,
            year=year,
            checkins=planned,
        )
        yield _envelope(started, days[0][:8] + "01", f"cycle/{person}/{year}")
    for period, held_days in CHECKIN_DAYS.items():
        for day in held_days:
            common = {
                "checkin_id": f"{person}-{day}",
                "cycle_id": f"{person}-{day[:4]}",
                "person_id": person,
                "manager_id": f"chef-{unit}",
                "kind": "check-in",
                "focus_area": "Arbetsmiljö",
                "due_on": date.fromisoformat(day),
            }
            if rng.random() < 0.07:  # a few are missed
                yield _envelope(CheckInMissed(**common), day, f"missed/{person}/{day}")
                continue
            ratings = [
                Rating(item_key=f"q-{indicator}", indicator=indicator, rating=_rating(rng, share))
                for indicator, share in LEVELS[period].items()
            ]
            held = CheckInCompleted(
                **common, held_on=date.fromisoformat(day), on_time=rng.random() < 0.85, ratings=ratings, action_items=1
            )
            yield _envelope(held, day, f"held/{person}/{day}")


def _programme(rng: random.Random, person: str, index: int) -> Iterator[EventEnvelope]:
    """Gotland's manager training: enrolment, a training day with attendance, completion and diploma."""
    programme = "chefsutveckling"
    enrolled_on = "2025-08-25" if index % 2 else "2026-01-20"
    yield _envelope(
        enrolment.EnrolmentApproved(
            programme_id=programme, person_id=person, version=1, enrolled_by="gotland-coordinator"
        ),
        enrolled_on,
        f"enrolled/{person}",
    )
    day = "2025-10-14" if index % 2 else "2026-04-21"
    seat = {
        "registration_id": f"r-{person}",
        "session_id": f"dag-{day}",
        "person_id": person,
        "programme_id": programme,
        "stage_key": "dag",
    }
    where = {
        "programme_name": "Chefsutveckling",
        "stage_name": "Utbildningsdag",
        "starts_at": _at(day, 7),
        "ends_at": _at(day, 14),
        "location": "Visby",
        "video_url": None,
    }
    yield _envelope(enrolment.RegistrationConfirmed(**seat, **where), enrolled_on, f"seat/{person}")
    if rng.random() < 0.06:
        yield _envelope(
            enrolment.RegistrationCancelled(**seat, **where, previous_status="confirmed", late=True, reason="sjuk"),
            day,
            f"late/{person}",
        )
        return
    if rng.random() < 0.06:
        no_show = enrolment.NoShowRecorded(
            **seat,
            programme_name="Chefsutveckling",
            stage_name="Utbildningsdag",
            next_session_id=None,
            next_session_starts_at=None,
        )
        yield _envelope(no_show, day, f"noshow/{person}")
        return
    yield _envelope(enrolment.AttendanceRecorded(**seat, attendance="present"), day, f"present/{person}")
    yield _envelope(
        enrolment.StageCompleted(programme_id=programme, person_id=person, stage_key="dag", exempted=False),
        day,
        f"stage/{person}",
    )
    yield _envelope(
        enrolment.SessionEvaluated(
            session_id=seat["session_id"], programme_id=programme, stage_key="dag", rating=rng.choice((3, 4, 4, 5, 5))
        ),
        day,
        f"rated/{person}",
    )
    if rng.random() < 0.7:
        finished = "2025-12-09" if index % 2 else "2026-06-02"
        yield _envelope(
            enrolment.ProgrammeCompleted(programme_id=programme, person_id=person, version=1),
            finished,
            f"done/{person}",
        )
        diploma = enrolment.CredentialIssued(
            programme_id=programme,
            person_id=person,
            number=index,
            verification_code=f"demo-{index}",
            credential_name="Chefsutveckling",
            valid_until=None,
        )
        yield _envelope(diploma, finished, f"diploma/{person}")


def history() -> list[EventEnvelope]:
    rng = random.Random(2024)
    events: list[EventEnvelope] = []
    for index, (person, _, unit) in enumerate(people(), start=1):
        events += _checkins(rng, person, unit)
        if index % 3:  # two in three take the manager training
            events += _programme(rng, person, index)
    for month in ("2025-09", "2025-10", "2025-11", "2026-01", "2026-03", "2026-04", "2026-05"):
        sent = NotificationSent(category="seats", channel="email", kind="digest", count=rng.randint(40, 90))
        events.append(_envelope(sent, f"{month}-28", f"sent/{month}"))
    return events


def put_history(put_events: PutEvents, bus: str) -> int:
    """Put the demo's history on the bus, ten events a call; how many."""
    events = history()
    for start in range(0, len(events), 10):
        entries = [
            {
                "Source": e.source,
                "DetailType": e.type,
                "Detail": e.model_dump_json(),
                "EventBusName": bus,
                "Time": e.time,
            }
            for e in events[start : start + 10]
        ]
        response = put_events(Entries=entries)
        if response.get("FailedEntryCount"):
            raise RuntimeError(f"demo data: {response['FailedEntryCount']} events were not put on the bus")
    return len(events)
