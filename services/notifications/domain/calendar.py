"""Calendar invitations (iCalendar, RFC 5545/5546) sent with the emails about a seat. Pure: no AWS here.

Each person's seat at a session is one calendar entry (UID per session and person): a confirmed or
promoted seat and a moved session send REQUEST, a cancelled seat CANCEL. SEQUENCE is the event's time
in seconds since 2020, so a later change always wins, and a change delivered out of order is ignored
by the calendar rather than undoing a newer one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
LINE_OCTETS = 75


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


# What each event does to the recipient's calendar; events not named here send no calendar entry.
METHODS = {
    "RegistrationConfirmed": Method.REQUEST,
    "RegistrationPromoted": Method.REQUEST,
    "SessionMoved": Method.REQUEST,
    "RegistrationCancelled": Method.CANCEL,
}


class CalendarEntry(BaseModel):
    model_config = ConfigDict(frozen=True)
    method: Method
    uid: str
    sequence: int
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None
    organizer: str
    attendee: str

    def ics(self) -> str:
        cancelled = self.method is Method.CANCEL
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Ledarlyft//Sessions//SV",
            f"METHOD:{self.method.value}",
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"SEQUENCE:{self.sequence}",
            f"DTSTAMP:{_utc(self.stamp)}",
            f"DTSTART:{_utc(self.starts_at)}",
            f"DTEND:{_utc(self.ends_at)}",
            f"SUMMARY:{_text(self.summary)}",
            *([f"LOCATION:{_text(self.location)}"] if self.location else []),
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            f"ORGANIZER:mailto:{self.organizer}",
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT={'DECLINED' if cancelled else 'ACCEPTED'}:mailto:{self.attendee}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return "".join(_fold(line) + "\r\n" for line in lines)


def entry_for(
    event_type: str, data: dict[str, Any], stamp: datetime, person_id: str, attendee: str, organizer: str
) -> CalendarEntry | None:
    """The calendar entry an event sends to one person, if it sends one."""
    method = METHODS.get(event_type)
    if method is None or not data.get("starts_at") or not data.get("ends_at"):
        return None
    return CalendarEntry(
        method=method,
        uid=f"{data['session_id']}.{person_id}@ledarlyft",
        sequence=int((stamp - SEQUENCE_EPOCH).total_seconds()),
        stamp=stamp,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        summary=f"{data['stage_name']}, {data['programme_name']}",
        location=data.get("video_url") or data.get("location"),
        organizer=organizer,
        attendee=attendee,
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    folded, current = [], ""
    for char in line:
        if len((current + char).encode()) > LINE_OCTETS:
            folded.append(current)
            current = " "
        current += char
    return "\r\n".join([*folded, current])
