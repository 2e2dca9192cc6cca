"""Notifications through its handlers on moto: what people are told (templates and a tenant's own, check-ins,
reminders, one invitation per occasion), their calendars (entries by email, the feed), and who may see what."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest

from services.checkins.contracts.events import (
    ActionItemOverdue,
    CheckInCancelled,
    CheckInDueSoon,
    CheckInMissed,
    CheckInReassigned,
    CheckInRescheduled,
    CheckInScheduled,
    FollowUpDue,
)
from services.enrolment.contracts.events import (
    InvitationsSent,
    NoShowRecorded,
    RegistrationCancelled,
    RegistrationOffered,
    SessionMoved,
    SessionReminder,
)
from services.notifications.adapters.repository import NotificationRepository
from services.notifications.domain.messages import BUILT_IN
from services.shared.store import TenantTable
from tests.integration.notifications import (
    COORDINATOR,
    SESSION_START,
    Stream,
    call,
    consume,
    emails,
    event,
    fire,
    inbox,
    log,
    parts,
    person,
    seat,
    texts,
    with_data,
)
from tests.support import claims

ROUTE = "/notifications/templates/{kind}/{language}"
CONFIRMED = {"kind": "RegistrationConfirmed", "language": "sv"}


def calendar_of(email: Any) -> tuple[str, Any]:
    """The METHOD and the one VEVENT of an email's calendar part, parsed by icalendar."""
    calendar = icalendar.Calendar.from_ical(parts(email)["text/calendar"])
    (entry,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), entry


def test_a_tenants_own_template_its_preview_and_a_refused_one(aws: dict[str, Any], outbound: Stream) -> None:
    own = {
        "subject": "Välkommen till {{ stage_name }}, {{ recipient_name }}!",
        "text": "Vi ses {{ when }}.\nLänk: {{ where }}",
        "html": "<h1>Välkommen {{ recipient_name }}</h1><p>Vi ses <b>{{ when }}</b>.</p>",
    }
    status, preview = call("POST", ROUTE + "/preview", COORDINATOR, own, path_parameters=CONFIRMED)
    assert status == 200, preview
    assert preview["subject"] == "Välkommen till Fördjupning 1, Anna Ek!"
    assert "<h1>Välkommen Anna Ek</h1><p>Vi ses <b>fredag 12 mars 2027 13:00</b>.</p>" in preview["html"]
    assert preview["text"].startswith("Vi ses fredag 12 mars 2027 13:00.\nLänk: https://meet.example/fordjupning")
    assert "Avsluta e-post om dina platser" in preview["text"]  # our footer: a tenant cannot remove it
    assert call("GET", ROUTE, COORDINATOR, path_parameters=CONFIRMED)[1]["own"] is None  # a preview saves nothing

    typo = own | {"text": "Vi ses {{ sesion_start }}."}
    status, refused = call("PUT", ROUTE, COORDINATOR, typo, path_parameters=CONFIRMED)
    assert status == 422
    assert refused["error"]["message"] == "The template cannot be used; the built-in one stays in use."
    (problem,) = refused["error"]["fields"]
    assert problem["field"] == "body.text" and problem["reason"].startswith("uses the unknown field 'sesion_start'")
    assert call("POST", ROUTE + "/preview", COORDINATOR, typo, path_parameters=CONFIRMED)[0] == 422
    assert call("GET", ROUTE, COORDINATOR, path_parameters=CONFIRMED)[1]["own"] is None

    assert call("PUT", ROUTE, COORDINATOR, own, path_parameters=CONFIRMED)[0] == 200
    consume(person("anna", name="Anna Ek"), seat(), person("erik", language="en"), seat(person_id="erik"))
    outbound.send()
    (anna,) = emails("anna@example.se")
    assert anna["Subject"] == "Välkommen till Fördjupning 1, Anna Ek!"
    assert "<h1>Välkommen Anna Ek</h1>" in parts(anna)["text/html"] and "text/calendar" in parts(anna)
    (erik,) = emails("erik@example.se")
    assert erik["Subject"] == "Place confirmed: Arbetsledarprogrammet, Fördjupning 1"  # no English override

    listed = {k["kind"]: k for k in call("GET", "/notifications/templates", COORDINATOR)[1]}
    assert set(listed) == set(BUILT_IN) and listed["RegistrationConfirmed"]["overridden"] == ["sv"]
    assert "when" in listed["RegistrationConfirmed"]["fields"]
    assert call("DELETE", ROUTE, COORDINATOR, path_parameters=CONFIRMED)[0] == 204
    assert call("DELETE", ROUTE, COORDINATOR, path_parameters=CONFIRMED)[0] == 404
    assert call("GET", ROUTE, claims("anna", "humana"), path_parameters=CONFIRMED)[0] == 403
    assert call("GET", ROUTE, COORDINATOR, path_parameters={"kind": "Gossip", "language": "sv"})[0] == 404


def test_a_tenants_template_applies_to_that_tenant_only(aws: dict[str, Any], outbound: Stream) -> None:
    own = {"subject": "Humana: {{ stage_name }}", "text": "Hej {{ recipient_name }}"}
    assert call("PUT", ROUTE, COORDINATOR, own, path_parameters=CONFIRMED)[0] == 200
    other = claims("karin", "halland", "coordinator")
    assert call("GET", ROUTE, other, path_parameters=CONFIRMED)[1]["own"] is None
    consume(person("anna", tenant="halland"), seat().model_copy(update={"tenant_id": "halland"}))
    outbound.send()
    assert [e["Subject"] for e in emails()] == ["Bekräftad plats: Arbetsledarprogrammet, Fördjupning 1"]


def test_a_reschedule_and_a_cancellation_update_the_same_calendar_entry(aws: dict[str, Any], outbound: Stream) -> None:
    moved_to = SESSION_START + timedelta(days=7)
    moved = SessionMoved(
        session_id="s1",
        programme_id="arbetsledarprogrammet",
        programme_name="Arbetsledarprogrammet",
        stage_key="fordjupning-1",
        stage_name="Fördjupning 1",
        starts_at=moved_to,
        ends_at=moved_to + timedelta(hours=2, minutes=45),
        location="Solna, sal 3",
        video_url=None,
        person_ids=["anna"],
        sequence=2,
    )
    cancelled = seat(RegistrationCancelled, starts_at=moved_to, previous_status="confirmed", late=False, reason="x")
    later = datetime.now(UTC)
    consume(person("anna"), seat(at=later), event(moved, at=later + timedelta(minutes=1)))
    consume(cancelled.model_copy(update={"time": later + timedelta(minutes=2)}))
    outbound.send()
    entries = [calendar_of(e) for e in emails("anna@example.se")]
    assert [method for method, _ in entries] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(e["UID"]) for _, e in entries} == {"s1.anna@ledarlyft"}
    sequences = [int(e["SEQUENCE"]) for _, e in entries]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert entries[1][1].decoded("DTSTART") == moved_to and str(entries[1][1]["LOCATION"]) == "Solna, sal 3"
    assert str(entries[2][1]["STATUS"]) == "CANCELLED"


def checkin(event_class: type[Any], **extra: Any) -> Any:
    fields = {
        "checkin_id": "c1",
        "cycle_id": "cy",
        "person_id": "anna",
        "manager_id": "mats",
        "kind": "check-in",
        "focus_area": "Arbetsmiljö",
        "due_on": date(2027, 3, 31),
    }
    return event(event_class(**(fields | extra)), actor="mats")


def scheduled(event_class: type[Any] = CheckInScheduled, sequence: int = 1, day: int = 15) -> Any:
    starts = datetime(2027, 3, day, 9, tzinfo=UTC)
    return checkin(
        event_class,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Rum 2",
        video_url=None,
        sequence=sequence,
    )


def test_a_check_in_lands_in_both_calendars_and_a_move_and_cancellation_update_it(
    aws: dict[str, Any], outbound: Stream
) -> None:
    consume(person("anna", name="Anna Ek"), person("mats", name="Mats Berg", language="en"))
    consume(scheduled(), scheduled(CheckInRescheduled, 2, day=16))
    cancelled = checkin(
        CheckInCancelled,
        reason="sick",
        was_scheduled=True,
        starts_at=datetime(2027, 3, 16, 9, tzinfo=UTC),
        ends_at=datetime(2027, 3, 16, 10, tzinfo=UTC),
        sequence=3,
    )
    consume(cancelled)
    outbound.send()
    anna = [calendar_of(e) for e in emails("anna@example.se")]
    mats = [calendar_of(e) for e in emails("mats@example.se")]
    assert [(m, str(e["UID"]), int(e["SEQUENCE"])) for m, e in anna] == [
        ("REQUEST", "checkin-c1.anna@ledarlyft", 1),
        ("REQUEST", "checkin-c1.anna@ledarlyft", 2),
        ("CANCEL", "checkin-c1.anna@ledarlyft", 3),
    ]
    assert next((m, str(e["UID"])) for m, e in mats) == ("REQUEST", "checkin-c1.mats@ledarlyft")
    assert (
        str(anna[0][1]["SUMMARY"]) == "Avstämning med Mats Berg"
        and str(mats[0][1]["SUMMARY"]) == "Check-in with Anna Ek"
    )
    assert [e["Subject"] for e in emails("anna@example.se")] == [
        "Avstämning med Mats Berg: måndag 15 mars 2027 10:00",
        "Ny tid för avstämningen med Mats Berg",
        "Inställd avstämning med Mats Berg",
    ]
    assert emails("mats@example.se")[0]["Subject"] == "Check-in with Anna Ek: Monday, 15 March 2027, 10:00"


def test_every_check_in_notice_reaches_whom_it_concerns(aws: dict[str, Any], outbound: Stream) -> None:
    people = [person("anna", name="Anna Ek"), person("mats", name="Mats Berg"), person("karin", name="Karin Ström")]
    consume(*people)
    consume(scheduled())
    consume(checkin(CheckInDueSoon, starts_at=datetime(2027, 3, 15, 9, tzinfo=UTC)))
    consume(checkin(CheckInMissed))
    consume(checkin(FollowUpDue, kind="follow-up", employment_started_on=date(2027, 1, 10)))
    overdue = ActionItemOverdue(
        action_item_id="a1",
        checkin_id="c1",
        person_id="anna",
        manager_id="mats",
        owner_id="anna",
        due_on=date(2027, 2, 1),
    )
    consume(event(overdue, actor="system:checkins"))
    consume(checkin(CheckInReassigned, manager_id="karin", previous_manager_id="mats"))
    subjects = {p: [n["subject"] for n in reversed(inbox(p))] for p in ("anna", "mats", "karin")}
    assert subjects == {
        "anna": [
            "Avstämning med Mats Berg: måndag 15 mars 2027 10:00",
            "Dags för avstämning med Mats Berg",
            "En åtgärd är försenad",
            "Din avstämning hålls nu av Karin Ström",
        ],
        "mats": [
            "Avstämning med Anna Ek: måndag 15 mars 2027 10:00",
            "Dags för avstämning med Anna Ek",
            "Avstämningen med Anna Ek blev inte av",
            "Dags att följa upp Anna Ek",
            "Avstämningen med Anna Ek har flyttats",
        ],
        "karin": ["Du håller nu avstämningen med Anna Ek"],
    }
    assert "Den är bokad: måndag 15 mars 2027 10:00, Rum 2." in inbox("karin")[0]["body"]
    assert "skulle vara klar 1 februari 2027" in inbox("anna")[1]["body"]
    # the booked time leaves the previous manager's calendar and enters the new one's
    outbound.send()
    assert calendar_of(emails("karin@example.se")[0])[0] == "REQUEST"
    method, entry = calendar_of(emails("mats@example.se")[-1])
    assert (method, str(entry["UID"]), int(entry["SEQUENCE"])) == ("CANCEL", "checkin-c1.mats@ledarlyft", 2)


def test_the_calendar_feed_lists_ones_sessions_and_check_ins_and_can_be_revoked(aws: dict[str, Any]) -> None:
    anna = claims("anna", "humana")
    consume(person("anna"), person("mats"))
    assert call("GET", "/me/calendar-feed", anna)[0] == 404
    status, link = call("POST", "/me/calendar-feed", anna)
    assert status == 201 and link["url"].startswith("https://api.ledarlyft.se/public/calendar/humana/")
    assert call("GET", "/me/calendar-feed", anna)[1] == link
    feed = link["url"].rsplit("/", 1)[1]

    def entries() -> dict[str, Any]:
        status, body = call(
            "GET", "/public/calendar/{tenant_id}/{feed}", None, path_parameters={"tenant_id": "humana", "feed": feed}
        )
        assert status == 200, body
        calendar = icalendar.Calendar.from_ical(body)
        assert str(calendar["METHOD"]) == "PUBLISH"
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    consume(seat(), scheduled())
    found = entries()
    assert set(found) == {"s1.anna@ledarlyft", "checkin-c1.anna@ledarlyft"}
    assert found["s1.anna@ledarlyft"].decoded("DTSTART") == SESSION_START
    consume(scheduled(CheckInRescheduled, 2, day=20))
    consume(scheduled(CheckInRescheduled, 1, day=18))  # an older version arriving late changes nothing
    assert entries()["checkin-c1.anna@ledarlyft"].decoded("DTSTART") == datetime(2027, 3, 20, 9, tzinfo=UTC)
    consume(seat(RegistrationCancelled, previous_status="confirmed", late=False, reason="x", actor="anna"))
    assert set(entries()) == {"checkin-c1.anna@ledarlyft"}

    status, renewed = call("POST", "/me/calendar-feed", anna)
    assert status == 201 and renewed != link
    path = {"tenant_id": "humana", "feed": feed}
    assert call("GET", "/public/calendar/{tenant_id}/{feed}", None, path_parameters=path)[0] == 404  # revoked
    assert call("DELETE", "/me/calendar-feed", anna)[0] == 204
    assert call("GET", "/me/calendar-feed", anna)[0] == 404
    other = {"tenant_id": "gotland", "feed": renewed["url"].rsplit("/", 1)[1]}
    assert call("GET", "/public/calendar/{tenant_id}/{feed}", None, path_parameters=other)[0] == 404


def invitations(session_id: str | None = None, people: tuple[str, ...] = ("anna",), **at: Any) -> Any:
    fields: dict[str, Any] = {"programme_id": "forum", "programme_name": "Arbetsledarforum", "note": None}
    if session_id:
        fields |= {
            "session_id": session_id,
            "stage_key": "forum",
            "stage_name": "Forum",
            "starts_at": SESSION_START,
            "ends_at": SESSION_START + timedelta(hours=1),
            "video_url": "https://meet.example/forum",
        }
    return event(InvitationsSent(person_ids=list(people), **fields), **at)


def test_a_session_invitation_supersedes_its_programmes_and_each_occasion_is_one_message(
    aws: dict[str, Any], outbound: Stream, time_is: Any
) -> None:
    consume(person("anna"), person("bo"), person("cecilia"))
    published_at = datetime(2027, 3, 1, 10, tzinfo=UTC)
    programme = invitations(people=("anna", "bo"), at=published_at)
    session = invitations("forum-1", people=("anna", "cecilia"), at=published_at + timedelta(minutes=1))
    second = invitations("forum-2", people=("anna",), at=published_at + timedelta(minutes=2))
    consume(session)  # the bus does not keep order: the session's may come first
    consume(programme, second)
    assert len(inbox("anna")) == 3  # in-app at once

    time_is(published_at + timedelta(minutes=4))
    assert fire("flush")["per_tenant"]["humana"]["invitations"] == 0  # the window is still open
    time_is(published_at + timedelta(minutes=10))
    flushed = fire("flush")["per_tenant"]["humana"]
    assert (flushed["invitations"], flushed["superseded"]) == (4, 1)
    assert fire("flush")["per_tenant"]["humana"]["invitations"] == 0
    outbound.send()
    subjects = {to: sorted(e["Subject"] for e in emails(f"{to}@example.se")) for to in ("anna", "bo", "cecilia")}
    assert subjects == {
        "anna": ["Inbjudan: Forum, fredag 12 mars 2027 13:00"] * 2,  # two occasions, no programme invitation
        "bo": ["Inbjudan: Arbetsledarforum"],  # only in the programme's audience
        "cecilia": ["Inbjudan: Forum, fredag 12 mars 2027 13:00"],
    }
    assert [n["subject"] for n in inbox("anna")] == ["Inbjudan: Forum, fredag 12 mars 2027 13:00"] * 2
    consume(programme)  # redelivered after all that: nothing more
    time_is(published_at + timedelta(minutes=20))
    fire("flush")
    outbound.send()
    assert len(emails()) == 4


def test_a_flush_stopped_half_way_is_finished_without_re_reading_or_sending_twice(
    aws: dict[str, Any], outbound: Stream, time_is: Any, monkeypatch: Any
) -> None:
    people = [f"p{n:02d}" for n in range(60)]  # two transactions: fifty people, then ten
    consume(*(person(p) for p in people))
    start = datetime(2027, 3, 1, 10, tzinfo=UTC)
    consume(invitations("forum-1", people=people, at=start))
    time_is(start + timedelta(minutes=10))
    real_write, writes = TenantTable.write, []

    def dying(self: TenantTable, *args: Any, **kwargs: Any) -> None:
        writes.append(1)
        if len(writes) == 2:
            raise RuntimeError("the flush job's container is gone")
        real_write(self, *args, **kwargs)

    monkeypatch.setattr(TenantTable, "write", dying)
    with pytest.raises(RuntimeError):
        fire("flush")
    monkeypatch.setattr(TenantTable, "write", real_write)
    read: list[int] = []
    real_page = NotificationRepository.due_page
    monkeypatch.setattr(
        NotificationRepository, "due_page", lambda *a: read.append(len((page := real_page(*a)).items)) or page
    )
    assert fire("flush")["per_tenant"]["humana"]["invitations"] == 10
    assert read == [10]  # only the ten not done: each email and its invitation's mark committed together
    outbound.send()
    assert sorted(str(e["To"]) for e in emails()) == sorted(f"{p}@example.se" for p in people)


def test_a_programme_invitation_long_after_a_sessions_is_its_own(
    aws: dict[str, Any], outbound: Stream, time_is: Any
) -> None:
    consume(person("anna"))
    start = datetime(2027, 3, 1, 10, tzinfo=UTC)
    consume(invitations("forum-1", at=start), invitations(at=start + timedelta(days=3)))
    time_is(start + timedelta(days=4))
    assert fire("flush")["per_tenant"]["humana"] == {"released": 0, "invitations": 2, "superseded": 0}


def test_reminders_a_week_and_a_day_before_each_once_per_start(
    aws: dict[str, Any], outbound: Stream, time_is: Any
) -> None:
    reminder = SessionReminder(
        session_id="s1",
        programme_id="arbetsledarprogrammet",
        programme_name="Arbetsledarprogrammet",
        stage_key="fordjupning-1",
        stage_name="Fördjupning 1",
        starts_at=SESSION_START,
        ends_at=SESSION_START + timedelta(hours=2),
        location=None,
        video_url="https://meet.example/f1",
        person_ids=["anna"],
    )
    consume(person("anna", mobile="0701234567"))
    week = with_data(event(reminder), days_before=7)
    time_is(SESSION_START - timedelta(days=7))
    consume(week, with_data(event(reminder), days_before=7))  # the same reminder, twice, as two events
    time_is(SESSION_START - timedelta(days=1))
    consume(event(reminder), with_data(event(reminder), days_before=1))  # absent means the day before
    outbound.send()
    assert [e["Subject"] for e in emails()] == [
        "Påminnelse: Fördjupning 1 om 7 dagar",
        "Påminnelse: Fördjupning 1 i morgon",
    ]
    assert [t for _, t in texts()] == [
        "Ledarlyft: påminnelse om Fördjupning 1 fre 12 mars 13:00, https://meet.example/f1."
    ]
    assert len(inbox("anna")) == 2


def test_a_no_show_tells_the_person_and_their_line_manager(aws: dict[str, Any]) -> None:
    no_show = NoShowRecorded(
        registration_id="r",
        session_id="s1",
        person_id="anna",
        programme_id="p",
        stage_key="fordjupning-1",
        programme_name="Arbetsledarprogrammet",
        stage_name="Fördjupning 1",
        next_session_id="s2",
        next_session_starts_at=datetime(2027, 11, 26, 12, tzinfo=UTC),
    )
    consume(person("anna", name="Anna Ek", manager_id="maja"), person("maja"))
    consume(event(no_show))
    (missed,) = inbox("anna")
    assert missed["body"].endswith("Nästa tillfälle är fredag 26 november 2027 13:00. Anmäl dig i Ledarlyft.")
    assert [n["subject"] for n in inbox("maja")] == ["Uteblev: Anna Ek"]


def test_news_that_came_before_the_persons_contact_is_sent_when_it_arrives(
    aws: dict[str, Any], outbound: Stream
) -> None:
    stale = seat(at=datetime.now(UTC) - timedelta(hours=2))
    consume(stale, seat())
    assert outbound.send() == {"batchItemFailures": []} and emails() == []  # nobody knew where to send
    consume(person("anna", language="en"))
    outbound.send()
    # the recent one is emailed (in her language), the one from hours ago only stays in the inbox
    assert [e["Subject"] for e in emails()] == ["Place confirmed: Arbetsledarprogrammet, Fördjupning 1"]
    assert inbox("anna")[0]["subject"] == "Place confirmed: Arbetsledarprogrammet, Fördjupning 1"
    consume(person("anna", language="en", name="Anna E"))  # a later update of the person sends nothing again
    outbound.send()
    assert len(emails()) == 1


def test_the_delivery_log_shows_coordinators_their_tenants_messages_by_person_and_by_event(
    aws: dict[str, Any], outbound: Stream
) -> None:
    consume(person("anna", mobile="0701234567"), person("bo"))
    offer = seat(RegistrationOffered, offer_expires_at=SESSION_START)
    consume(offer, seat(person_id="bo"))
    outbound.send()
    everything = log()
    assert {(d["person_id"], d["channel"], d["status"]) for d in everything} == {
        ("anna", "email", "sent"),
        ("anna", "sms", "sent"),
        ("bo", "email", "sent"),
    }
    anna_offer = log(person_id="anna")[0]["message_id"]
    assert {d["channel"] for d in log(event=anna_offer)} == {"email", "sms"}
    assert [d["person_id"] for d in log(person_id="bo")] == ["bo"]
    status, page = call("GET", "/notifications/deliveries", COORDINATOR, query={"limit": "2"})
    assert len(page["items"]) == 2 and page["next_cursor"]
    status, rest = call(
        "GET", "/notifications/deliveries", COORDINATOR, query={"limit": "2", "cursor": page["next_cursor"]}
    )
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert call("GET", "/notifications/deliveries", claims("anna", "humana"))[0] == 403
    assert call("GET", "/notifications/deliveries", claims("k", "halland", "coordinator"))[1]["items"] == []
    status, body = call("GET", "/notifications/deliveries", COORDINATOR, query={"event": "nope"})
    assert (status, body["error"]["fields"][0]["field"]) == (422, "query.event")


def test_people_see_only_their_own_inbox_and_preferences(aws: dict[str, Any]) -> None:
    consume(person("anna"), person("bo"), seat())
    assert len(inbox("anna")) == 1 and inbox("bo") == []
    assert inbox("anna", tenant="halland") == []
    note = inbox("anna")[0]["notification_id"]
    bo = claims("bo", "humana")
    assert (
        call("POST", "/me/notifications/{notification_id}/read", bo, path_parameters={"notification_id": note})[0]
        == 404
    )
    anna = claims("anna", "humana")
    assert (
        call("POST", "/me/notifications/{notification_id}/read", anna, path_parameters={"notification_id": note})[0]
        == 200
    )
    assert inbox("anna")[0]["read"] is True


def test_each_invited_person_is_told_once_as_they_prefer(aws: dict[str, Any], outbound: Stream, time_is: Any) -> None:
    consume(person("anna"), person("bo", language="en"))
    choice = {"categories": {"invitations": {"channels": ["email"], "frequency": "daily"}}}
    assert call("PUT", "/me/preferences", claims("bo", "humana"), choice)[0] == 200
    invitation = InvitationsSent(
        programme_id="arbetsledarprogrammet",
        programme_name="Arbetsledarprogrammet",
        note="Välkomna!",
        person_ids=["anna", "bo", "nobody-known"],
    )
    sent_at = datetime(2027, 3, 1, 10, tzinfo=UTC)
    envelope = event(invitation, at=sent_at)
    consume(envelope)
    consume(envelope)  # redelivered
    assert inbox("anna")[0]["body"] == "Du är inbjuden till Arbetsledarprogrammet. Anmäl dig i Ledarlyft.\n\nVälkomna!"
    assert inbox("bo")[0]["subject"] == "Invitation: Arbetsledarprogrammet"
    assert len(inbox("nobody-known")) == 1
    time_is(sent_at + timedelta(minutes=6))
    fire("flush")
    fire("flush")
    outbound.send()
    assert [e["To"] for e in emails()] == ["anna@example.se"]  # bo's waits for his daily digest
    time_is(datetime(2027, 3, 2, 6, tzinfo=UTC))
    fire("daily-digest")
    outbound.send()
    assert [e["Subject"] for e in emails("bo@example.se")] == ["Ledarlyft today: 1 new message"]


def test_the_people_of_a_moved_session_are_told_the_new_time_and_place(aws: dict[str, Any]) -> None:
    consume(person("anna"))
    moved = SessionMoved(
        session_id="s1",
        programme_id="arbetsledarprogrammet",
        programme_name="Arbetsledarprogrammet",
        stage_key="fordjupning-1",
        stage_name="Fördjupning 1",
        starts_at=datetime(2027, 3, 10, 12, tzinfo=UTC),
        ends_at=datetime(2027, 3, 10, 14, 45, tzinfo=UTC),
        location="Solna",
        video_url=None,
        sequence=2,
        person_ids=["anna"],
    )
    assert consume(event(moved)) == {"batchItemFailures": []}
    (note,) = inbox("anna")
    assert note["subject"] == "Ny tid eller plats: Fördjupning 1"
    assert "Tid: onsdag 10 mars 2027 13:00\nPlats: Solna" in note["body"]
