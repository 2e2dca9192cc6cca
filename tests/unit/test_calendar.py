"""Calendar entries (RFC 5545/5546), written by and read back with `icalendar`: updates in place, in order."""

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar

from services.notifications.domain.calendar import CalendarEntry, entry_for, feed, invitation

SEAT = {
    "session_id": "s1",
    "programme_name": "Arbetsledarprogrammet",
    "stage_name": "Fördjupning 1",
    "starts_at": "2027-03-03T12:00:00Z",
    "ends_at": "2027-03-03T14:45:00Z",
    "location": "Humana, Solna; sal 3, plan 2",
    "video_url": None,
}
CHECKIN = {
    "checkin_id": "c1",
    "kind": "check-in",
    "starts_at": "2027-03-15T09:00:00Z",
    "ends_at": "2027-03-15T10:00:00Z",
    "location": "Rum 2",
    "video_url": None,
    "sequence": 2,
    "other_name": "Mats Berg",
    "was_scheduled": True,
}
SENT = datetime(2026, 11, 24, 9, tzinfo=UTC)


def parsed(kind: str, data: dict[str, Any], at: datetime = SENT, language: str = "sv") -> tuple[Any, Any]:
    found = entry_for(kind, data, at, "anna", language)
    assert found is not None
    calendar = icalendar.Calendar.from_ical(invitation(*found, organizer="no-reply@ledarlyft.se", attendee="a@x.se"))
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_seat_is_a_request_and_its_cancellation_a_cancel_of_the_same_entry() -> None:
    confirmed, seat = parsed("RegistrationConfirmed", SEAT)
    cancelled, gone = parsed("RegistrationCancelled", SEAT, SENT + timedelta(hours=1))
    assert (str(confirmed["METHOD"]), str(seat["STATUS"])) == ("REQUEST", "CONFIRMED")
    assert (str(cancelled["METHOD"]), str(gone["STATUS"])) == ("CANCEL", "CANCELLED")
    assert str(seat["UID"]) == str(gone["UID"]) == "s1.anna@ledarlyft"
    assert seat.decoded("DTSTART") == datetime(2027, 3, 3, 12, tzinfo=UTC)
    assert seat.decoded("DTEND") == datetime(2027, 3, 3, 14, 45, tzinfo=UTC)
    assert str(seat["LOCATION"]) == "Humana, Solna; sal 3, plan 2"  # escaped on the wire, read back whole
    assert seat["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED" and str(seat["ATTENDEE"]) == "mailto:a@x.se"
    assert int(gone["SEQUENCE"]) > int(seat["SEQUENCE"])


def test_a_later_change_has_a_higher_sequence_whatever_arrives_first() -> None:
    _, moved = parsed("SessionMoved", SEAT | {"starts_at": "2027-03-10T12:00:00Z"}, SENT + timedelta(days=2))
    _, confirmed = parsed("RegistrationConfirmed", SEAT)
    assert int(moved["SEQUENCE"]) > int(confirmed["SEQUENCE"])


def test_a_check_in_has_an_entry_per_person_sequenced_by_the_check_in() -> None:
    calendar, booked = parsed("CheckInScheduled", CHECKIN | {"sequence": 1})
    _, moved = parsed(
        "CheckInRescheduled", CHECKIN | {"starts_at": "2027-03-16T09:00:00Z", "ends_at": "2027-03-16T10:00:00Z"}
    )
    cancelled, gone = parsed("CheckInCancelled", CHECKIN | {"sequence": 3}, language="en")
    assert str(booked["UID"]) == str(moved["UID"]) == str(gone["UID"]) == "checkin-c1.anna@ledarlyft"
    assert [int(e["SEQUENCE"]) for e in (booked, moved, gone)] == [1, 2, 3]
    assert (str(calendar["METHOD"]), str(cancelled["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(booked["SUMMARY"]) == "Avstämning med Mats Berg" and str(gone["SUMMARY"]) == "Check-in with Mats Berg"
    assert entry_for("CheckInCancelled", CHECKIN | {"was_scheduled": False}, SENT, "anna", "sv") is None


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    found = entry_for("RegistrationConfirmed", SEAT | {"stage_name": "Fördjupning " + "å" * 80}, SENT, "anna", "sv")
    assert found is not None
    ics = invitation(*found, organizer="o@x.se", attendee="a@x.se")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Fördjupning " + "å" * 80 + ", Arbetsledarprogrammet"


def test_only_seat_and_check_in_changes_send_a_calendar_entry() -> None:
    assert entry_for("RegistrationWaitlisted", SEAT, SENT, "anna", "sv") is None
    assert entry_for("NoShowRecorded.manager", SEAT, SENT, "anna", "sv") is None
    assert entry_for("CheckInDueSoon", CHECKIN, SENT, "anna", "sv") is None


def test_a_feed_publishes_the_entries_for_a_calendar_to_subscribe_to() -> None:
    entry = CalendarEntry(
        uid="s1.anna@ledarlyft",
        sequence=4,
        stamp=SENT,
        starts_at=datetime(2027, 3, 3, 12, tzinfo=UTC),
        ends_at=datetime(2027, 3, 3, 14, 45, tzinfo=UTC),
        summary="Fördjupning 1, Arbetsledarprogrammet",
        location=None,
    )
    calendar = icalendar.Calendar.from_ical(feed([entry], "Ledarlyft"))
    assert (str(calendar["METHOD"]), str(calendar["X-WR-CALNAME"])) == ("PUBLISH", "Ledarlyft")
    assert [(str(e["UID"]), int(e["SEQUENCE"])) for e in calendar.walk("VEVENT")] == [("s1.anna@ledarlyft", 4)]
