"""Calendar entries sent with the emails about a seat (RFC 5545): updates in place, in order."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain.calendar import entry_for

SEAT = {
    "session_id": "s1",
    "programme_name": "Arbetsledarprogrammet",
    "stage_name": "Fördjupning 1",
    "starts_at": "2027-03-03T12:00:00Z",
    "ends_at": "2027-03-03T14:45:00Z",
    "location": "Humana, Solna; sal 3, plan 2",
    "video_url": None,
}
SENT = datetime(2026, 11, 24, 9, tzinfo=UTC)


def entry(event_type: str, at: datetime = SENT, **data: object) -> str:
    found = entry_for(event_type, SEAT | data, at, "anna", "anna@example.se", "no-reply@ledarlyft.se")
    assert found is not None
    return found.ics()


def test_a_seat_is_a_request_and_its_cancellation_a_cancel_of_the_same_entry() -> None:
    confirmed, cancelled = entry("RegistrationConfirmed"), entry("RegistrationCancelled", SENT + timedelta(hours=1))
    assert "METHOD:REQUEST\r\n" in confirmed and "STATUS:CONFIRMED\r\n" in confirmed
    assert "METHOD:CANCEL\r\n" in cancelled and "STATUS:CANCELLED\r\n" in cancelled
    assert "UID:s1.anna@ledarlyft\r\n" in confirmed and "UID:s1.anna@ledarlyft\r\n" in cancelled
    assert "DTSTART:20270303T120000Z\r\nDTEND:20270303T144500Z\r\n" in confirmed
    assert "LOCATION:Humana\\, Solna\\; sal 3\\, plan 2\r\n" in confirmed  # text is escaped


def test_a_later_change_has_a_higher_sequence_whatever_arrives_first() -> None:
    def sequence(ics: str) -> int:
        return int(next(line for line in ics.split("\r\n") if line.startswith("SEQUENCE:")).removeprefix("SEQUENCE:"))

    moved = entry("SessionMoved", SENT + timedelta(days=2), starts_at="2027-03-10T12:00:00Z")
    assert sequence(moved) > sequence(entry("RegistrationConfirmed"))


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    ics = entry("RegistrationConfirmed", stage_name="Fördjupning " + "å" * 80)
    lines = ics.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Fördjupning " + "å" * 80 + "\\, Arbetsledarprogrammet" in unfolded


def test_only_seat_events_send_a_calendar_entry() -> None:
    kwargs = {"stamp": SENT, "person_id": "anna", "attendee": "a@x.se", "organizer": "o@x.se"}
    assert entry_for("RegistrationWaitlisted", SEAT, **kwargs) is None
    assert entry_for("NoShowRecorded.manager", SEAT, **kwargs) is None
