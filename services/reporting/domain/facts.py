"""What one consumed event adds to the aggregates: a fact. Pure.

A fact says on whose unit it is counted (the person's, as of the event's time; none for what is
tied to no person), and what it adds on which day: counters for the day's month, quarter and
half-year; ratings for the half-year (with the person as a respondent); stocks for all time; and
peaks, kept as a maximum for the tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from services.reporting.contracts import consumed
from services.reporting.domain import metrics
from services.reporting.domain.periods import day_of
from services.shared.envelope import EventEnvelope


@dataclass(frozen=True)
class Fact:
    at: datetime  # when it happened: which unit the person was on
    person_id: str | None  # None: counted for the tenant only
    counts: tuple[tuple[date, Mapping[str, int]], ...] = ()
    ratings: tuple[tuple[date, str, int], ...] = ()  # (day, indicator, rating)
    stocks: Mapping[str, int] = field(default_factory=dict)
    peaks: tuple[tuple[date, str, int], ...] = ()  # (day, gauge, value): the tenant's maximum

    def to_json(self) -> dict[str, object]:
        """A fact waiting for its person (see ReportingRepository.park), as stored."""
        return {
            "at": self.at.isoformat(),
            "person_id": self.person_id,
            "counts": [[day.isoformat(), dict(added)] for day, added in self.counts],
            "ratings": [[day.isoformat(), key, value] for day, key, value in self.ratings],
            "stocks": dict(self.stocks),
            "peaks": [[day.isoformat(), key, value] for day, key, value in self.peaks],
        }

    @classmethod
    def from_json(cls, stored: Mapping[str, object]) -> Fact:
        def rows(name: str) -> list[list[object]]:
            value = stored.get(name) or []
            return list(value) if isinstance(value, list) else []

        return cls(
            at=datetime.fromisoformat(str(stored["at"])),
            person_id=str(stored["person_id"]) if stored.get("person_id") else None,
            counts=tuple((date.fromisoformat(str(d)), dict(c)) for d, c in rows("counts")),  # type: ignore[call-overload]
            ratings=tuple((date.fromisoformat(str(d)), str(k), int(str(v))) for d, k, v in rows("ratings")),
            stocks={str(k): int(v) for k, v in dict(stored.get("stocks") or {}).items()},  # type: ignore[call-overload]
            peaks=tuple((date.fromisoformat(str(d)), str(k), int(str(v))) for d, k, v in rows("peaks")),
        )


def _person(envelope: EventEnvelope, counter: str, stocks: Mapping[str, int] | None = None) -> Fact:
    person = envelope.payload(consumed.AboutPerson)
    return Fact(
        at=envelope.time,
        person_id=person.person_id,
        counts=((day_of(envelope.time), {counter: 1}),),
        stocks=stocks or {},
    )


def _counter(counter: str, stocks: Mapping[str, int] | None = None) -> Callable[[EventEnvelope], Fact]:
    return lambda envelope: _person(envelope, counter, stocks)


def _programme_completed(envelope: EventEnvelope) -> Fact:
    done = envelope.payload(consumed.ProgrammeCompleted)
    return Fact(
        at=envelope.time,
        person_id=done.person_id,
        counts=((day_of(envelope.time), {"programmes_completed": 1}),),
        stocks={metrics.completed_programme(done.programme_id): 1},
    )


def _waitlisted(envelope: EventEnvelope) -> Fact:
    waiting = envelope.payload(consumed.RegistrationWaitlisted)
    day = day_of(envelope.time)
    return Fact(
        at=envelope.time,
        person_id=waiting.person_id,
        counts=((day, {"registrations_waitlisted": 1}),),
        peaks=((day, metrics.WAITLIST_PEAK, waiting.ticket),),
    )


def _cancelled(envelope: EventEnvelope) -> Fact:
    cancelled = envelope.payload(consumed.RegistrationCancelled)
    added = {"registrations_cancelled": 1} | ({"late_cancellations": 1} if cancelled.late else {})
    return Fact(at=envelope.time, person_id=cancelled.person_id, counts=((day_of(envelope.time), added),))


def _attendance(envelope: EventEnvelope) -> Fact:
    marked = envelope.payload(consumed.AttendanceRecorded)
    added = {"attendance_recorded": 1}
    if marked.attendance in ("present", "late"):
        added["attendance_present"] = 1
    return Fact(at=envelope.time, person_id=marked.person_id, counts=((day_of(envelope.time), added),))


def _no_show(envelope: EventEnvelope) -> Fact:
    # A no-show is also a recorded absence: the rates share one denominator.
    person = envelope.payload(consumed.AboutPerson)
    added = {"no_shows": 1, "attendance_recorded": 1}
    return Fact(at=envelope.time, person_id=person.person_id, counts=((day_of(envelope.time), added),))


def _session_evaluated(envelope: EventEnvelope) -> Fact:
    evaluation = envelope.payload(consumed.SessionEvaluated)
    added = {
        metrics.session_rating(evaluation.programme_id, "n"): 1,
        metrics.session_rating(evaluation.programme_id, "sum"): evaluation.rating,
        metrics.session_rating(evaluation.programme_id, f"d{evaluation.rating}"): 1,
    }
    return Fact(at=envelope.time, person_id=None, counts=((day_of(envelope.time), added),))


def _cycle_started(envelope: EventEnvelope) -> Fact:
    cycle = envelope.payload(consumed.CycleStarted)
    return Fact(
        at=envelope.time,
        person_id=cycle.person_id,
        counts=tuple((planned.due_on, {"checkins_planned": 1}) for planned in cycle.checkins),
    )


def _checkin(counter: str, sign: int = 1) -> Callable[[EventEnvelope], Fact]:
    def fact(envelope: EventEnvelope) -> Fact:
        checkin = envelope.payload(consumed.CheckInAbout)
        return Fact(at=envelope.time, person_id=checkin.person_id, counts=((checkin.due_on, {counter: sign}),))

    return fact


def _checkin_cancelled(envelope: EventEnvelope) -> Fact:
    checkin = envelope.payload(consumed.CheckInAbout)
    added = {"checkins_cancelled": 1} | ({"checkins_planned": -1} if checkin.cycle_id else {})
    return Fact(at=envelope.time, person_id=checkin.person_id, counts=((checkin.due_on, added),))


def _checkin_completed(envelope: EventEnvelope) -> Fact:
    held = envelope.payload(consumed.CheckInCompleted)
    added = {"checkins_completed": 1} | ({"checkins_on_time": 1} if held.on_time else {})
    ratings = [(held.held_on, r.indicator, r.rating) for r in held.ratings]
    if held.pulse is not None:
        ratings.append((held.held_on, "pulse", held.pulse))
    return Fact(at=envelope.time, person_id=held.person_id, counts=((held.held_on, added),), ratings=tuple(ratings))


def _messages(outcome: str) -> Callable[[EventEnvelope], Fact]:
    def fact(envelope: EventEnvelope) -> Fact:
        counted = envelope.payload(consumed.MessagesCounted)
        added = {metrics.messages(outcome, counted.channel): counted.count}
        return Fact(at=envelope.time, person_id=None, counts=((day_of(envelope.time), added),))

    return fact


def _action_item(counter: str) -> Callable[[EventEnvelope], Fact]:
    def fact(envelope: EventEnvelope) -> Fact:
        item = envelope.payload(consumed.ActionItemEvent)
        return Fact(at=envelope.time, person_id=item.person_id, counts=((day_of(envelope.time), {counter: 1}),))

    return fact


FACTS: dict[str, Callable[[EventEnvelope], Fact]] = {
    # enrolment
    "EnrolmentRequested": _counter("enrolments_requested"),
    "EnrolmentApproved": _counter("enrolments_approved"),
    "EnrolmentDeclined": _counter("enrolments_declined"),
    "EnrolmentWithdrawn": _counter("enrolments_withdrawn"),
    "StageCompleted": _counter("stages_completed"),
    "ProgrammeCompleted": _programme_completed,
    "CredentialIssued": _counter("credentials_issued", {"credentials_held": 1}),
    "CredentialExpiring": _counter("credentials_expiring"),
    "CredentialExpired": _counter("credentials_expired", {"credentials_held": -1}),
    "CredentialRevoked": _counter("credentials_revoked", {"credentials_held": -1}),
    "RegistrationConfirmed": _counter("registrations_confirmed"),
    "RegistrationWaitlisted": _waitlisted,
    "RegistrationOffered": _counter("registrations_offered"),
    "RegistrationPromoted": _counter("registrations_promoted"),
    "RegistrationCancelled": _cancelled,
    "AttendanceRecorded": _attendance,
    "NoShowRecorded": _no_show,
    "SessionEvaluated": _session_evaluated,
    # check-ins
    "CycleStarted": _cycle_started,
    "CheckInCompleted": _checkin_completed,
    "CheckInMissed": _checkin("checkins_missed"),
    "CheckInCancelled": _checkin_cancelled,
    "ActionItemCreated": _action_item("action_items_created"),
    "ActionItemCompleted": _action_item("action_items_completed"),
    "ActionItemOverdue": _action_item("action_items_overdue"),
    # notifications
    "NotificationSent": _messages("sent"),
    "NotificationFailed": _messages("failed"),
}


def fact_of(envelope: EventEnvelope) -> Fact:
    return FACTS[envelope.type](envelope)
