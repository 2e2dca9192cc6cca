"""Calendar entries (iCalendar, RFC 5545; iTIP, RFC 5546), written with the `icalendar` library. Pure.

Each person's seat at a session, and each check-in a person takes part in, is one entry with a UID of
its own per person. A confirmed seat, a moved session and a scheduled or moved check-in send REQUEST;
a cancelled one CANCEL. SEQUENCE says which version is newer, so a calendar replaces its entry and
ignores a change delivered late: a check-in's own sequence, and for a session the event's time in
seconds since 2020 (a session's seat events carry no sequence of their own).

Times are UTC instants (`...Z`), which every calendar places right across daylight saving. The
personal feed lists the same entries with the same UIDs (METHOD:PUBLISH).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
PRODID = "-//Ledarlyft//Notifications//SV"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


# What each kind of message does to the recipient's calendar; kinds not named here send no entry.
METHODS = {
    "RegistrationConfirmed": Method.REQUEST,
    "RegistrationPromoted": Method.REQUEST,
    "SessionMoved": Method.REQUEST,
    "RegistrationCancelled": Method.CANCEL,
    "CheckInScheduled": Method.REQUEST,
    "CheckInRescheduled": Method.REQUEST,
    "CheckInCancelled": Method.CANCEL,
    "CheckInReassigned.manager": Method.REQUEST,  # the new manager takes the booked time over
    "CheckInReassigned.previous_manager": Method.CANCEL,
}

CHECKIN_TITLES = {
    "sv": {"appraisal": "Medarbetarsamtal med {name}", "check-in": "Avstämning med {name}"}
    | {"follow-up": "Uppföljning med {name}"},
    "en": {"appraisal": "Appraisal talk with {name}", "check-in": "Check-in with {name}"}
    | {"follow-up": "Follow-up with {name}"},
}


class CalendarEntry(BaseModel):
    model_config = ConfigDict(frozen=True)
    uid: str
    sequence: int
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None
    cancelled: bool = False


def session_uid(session_id: str, person_id: str) -> str:
    return f"{session_id}.{person_id}@ledarlyft"


def checkin_uid(checkin_id: str, person_id: str) -> str:
    return f"checkin-{checkin_id}.{person_id}@ledarlyft"


def time_sequence(moment: datetime) -> int:
    return int((moment - SEQUENCE_EPOCH).total_seconds())


def entry_for(
    kind: str, data: Mapping[str, Any], stamp: datetime, person_id: str, language: str
) -> tuple[CalendarEntry, Method] | None:
    """The calendar entry a message sends to one person, if it sends one."""
    method = METHODS.get(kind)
    if method is None or not data.get("starts_at") or not data.get("ends_at"):
        return None
    if kind == "CheckInCancelled" and not data.get("was_scheduled"):
        return None
    if "checkin_id" in data:
        titles = CHECKIN_TITLES.get(language, CHECKIN_TITLES["sv"])
        uid = checkin_uid(data["checkin_id"], person_id)
        sequence = int(data["sequence"])
        summary = titles.get(data.get("kind", ""), titles["check-in"]).format(name=data.get("other_name") or "")
    else:
        uid = session_uid(data["session_id"], person_id)
        sequence = time_sequence(stamp)
        summary = f"{data['stage_name']}, {data['programme_name']}"
    entry = CalendarEntry(
        uid=uid,
        sequence=sequence,
        stamp=stamp,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        summary=summary,
        location=data.get("video_url") or data.get("location"),
        cancelled=method is Method.CANCEL,
    )
    return entry, method


def _event(entry: CalendarEntry) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.stamp.astimezone(UTC))
    event.add("dtstart", entry.starts_at.astimezone(UTC))
    event.add("dtend", entry.ends_at.astimezone(UTC))
    event.add("summary", entry.summary)
    if entry.location:
        event.add("location", entry.location)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event


def invitation(entry: CalendarEntry, method: Method, organizer: str, attendee: str) -> str:
    """An iTIP message for one attendee: the email's text/calendar part."""
    from icalendar import Calendar, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    event = _event(entry)
    event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    guest = vCalAddress(f"mailto:{attendee}")
    guest.params.update(
        {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "DECLINED" if entry.cancelled else "ACCEPTED", "RSVP": "FALSE"}
    )
    event.add("attendee", guest)
    calendar.add_component(event)
    return str(calendar.to_ical().decode())


def feed(entries: Iterable[CalendarEntry], name: str) -> str:
    """A person's calendar feed, for Outlook and Google Calendar to subscribe to (refreshed hourly)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    for entry in sorted(entries, key=lambda e: e.starts_at):
        calendar.add_component(_event(entry))
    return str(calendar.to_ical().decode())
