"""Notifications' domain without AWS: what a message says, when it goes, on which channel."""

from datetime import UTC, datetime, time, timedelta

import pytest

from services.notifications.domain import rendering
from services.notifications.domain.catalogue import KINDS, Category, Channel, Frequency, is_urgent
from services.notifications.domain.messages import BUILT_IN, LANGUAGES, SAMPLES, Template, fields
from services.notifications.domain.models import Contact, EmailWay, Notification, Suppression, route
from services.notifications.domain.preferences import (
    BUILT_IN_DEFAULTS,
    CategoryPreference,
    PersonalPreferences,
    QuietHours,
)
from services.notifications.telling import sms_number

NIGHT = QuietHours(start=time(21), end=time(7))


def render(kind: str, data: dict[str, object], language: str) -> rendering.Rendered:
    context = fields(data, language) | {"recipient_name": "Anna", "app_url": "https://app", "language": language}
    return rendering.render(BUILT_IN[kind][language], context, BUILT_IN[kind][language].sms)


def test_messages_speak_the_persons_language_with_babels_dates_in_stockholm_time() -> None:
    confirmed = SAMPLES["RegistrationConfirmed"] | {"starts_at": "2026-03-29T07:00:00Z", "location": "Halmstad"}
    confirmed |= {"video_url": None}
    swedish, english = (
        render("RegistrationConfirmed", confirmed, "sv"),
        render("RegistrationConfirmed", confirmed, "en"),
    )
    assert "Tid: söndag 29 mars 2026 09:00" in swedish.text  # the day summer time begins
    assert "Plats: Halmstad" in swedish.text
    assert "When: Sunday, 29 March 2026, 09:00" in english.text
    assert english.subject == "Place confirmed: Arbetsledarprogrammet, Fördjupning 1"
    offered = render("RegistrationOffered", SAMPLES["RegistrationOffered"], "en")
    assert "by Wednesday, 10 March 2027, 13:00" in offered.text
    assert (
        offered.sms
        == "Ledarlyft: a seat at Fördjupning 1 (Fri 12 Mar 13:00) is free for you. Claim it by Wed 10 Mar 13:00."
    )


def test_a_no_show_is_told_the_next_session_or_to_look_for_one() -> None:
    offered = render("NoShowRecorded", SAMPLES["NoShowRecorded"], "sv")
    assert offered.text.endswith("Nästa tillfälle är fredag 22 oktober 2027 13:00. Anmäl dig i Ledarlyft.")
    none_yet = SAMPLES["NoShowRecorded"] | {"next_session_id": None, "next_session_starts_at": None}
    english = render("NoShowRecorded", none_yet, "en")
    assert english.subject == "You missed Fördjupning 1"
    assert english.text.endswith("did not cancel.\n\nRegister for another session in Ledarlyft.")


def test_an_invitation_says_when_registration_opens_if_it_is_not_open_yet() -> None:
    later = render("InvitationsSent.session", SAMPLES["InvitationsSent.session"], "sv")
    assert later.text.endswith("Anmälan öppnar måndag 1 februari 2027 08:00 i Ledarlyft; platserna är begränsade.")
    now = render("InvitationsSent.session", SAMPLES["InvitationsSent.session"] | {"registration_opens_at": None}, "en")
    assert now.text.endswith("Register in Ledarlyft; seats are limited.")


def test_a_reminder_says_a_week_or_tomorrow() -> None:
    week = render("SessionReminder", SAMPLES["SessionReminder"] | {"days_before": 7}, "sv")
    day = render("SessionReminder", SAMPLES["SessionReminder"], "en")
    assert (week.subject, day.subject) == ("Påminnelse: Fördjupning 1 om 7 dagar", "Reminder: Fördjupning 1 tomorrow")


@pytest.mark.parametrize("kind", sorted(BUILT_IN))
def test_every_built_in_template_renders_from_its_sample_in_both_languages(kind: str) -> None:
    assert set(BUILT_IN[kind]) == set(LANGUAGES)
    for language in LANGUAGES:
        assert rendering.problems(BUILT_IN[kind][language], kind, language) == []
        message = rendering.render(BUILT_IN[kind][language], rendering.sample_context(kind, language))
        assert message.subject and message.text and "{" not in message.text and "None" not in message.text
    assert KINDS[kind] in Category


def test_html_is_escaped_and_the_email_carries_its_unsubscribe_link() -> None:
    hostile = SAMPLES["RegistrationConfirmed"] | {"stage_name": "<script>alert(1)</script> & co"}
    message = render("RegistrationConfirmed", hostile, "sv")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in message.html
    assert "<script>" not in message.html
    footer = rendering.Footer(
        app_url="https://app", unsubscribe_url="https://api/public/u/x", categories=(Category.SEATS,)
    )
    html = rendering.email_html(message.subject, message.html, footer, "sv")
    assert '<a href="https://api/public/u/x"' in html and "Avsluta e-post om dina platser" in html
    assert html.count("&lt;script&gt;") == 2  # the title and the text; nothing unescaped
    text = rendering.email_text(message.text, footer, "en")
    assert text.endswith(
        "Stop email about your seats: https://api/public/u/x\nChange your choices: https://app/settings/notifications\n"
    )


def test_a_tenants_template_is_refused_naming_the_part_and_the_unknown_field() -> None:
    typo = Template(subject="Plats: {{ stage_name }}", text="Hej {{ recipient_name }}, {{ sesion_name }}")
    (problem,) = rendering.problems(typo, "RegistrationConfirmed", "sv")
    assert problem.field == "body.text"
    assert problem.reason.startswith("uses the unknown field 'sesion_name'; known: ")
    broken = Template(subject="ok", text="ok", html="<p>{% if stage_name %}open</p>")
    (problem,) = rendering.problems(broken, "RegistrationConfirmed", "sv")
    assert problem.field == "body.html" and problem.reason.startswith("does not parse:")


def test_a_tenants_template_runs_sandboxed() -> None:
    escape = Template(subject="x", text="{{ stage_name.__class__.__mro__[1].__subclasses__() }}")
    (problem,) = rendering.problems(escape, "RegistrationConfirmed", "sv")
    assert problem.field == "body" and "does not render" in problem.reason
    fine = Template(
        subject="Välkommen {{ recipient_name }}", text="{{ stage_name | upper }}", html="<b>{{ where }}</b>"
    )
    assert rendering.problems(fine, "RegistrationConfirmed", "sv") == []


def test_quiet_hours_span_midnight() -> None:
    def stockholm(hour: int, minute: int = 0) -> datetime:  # a winter day: UTC+1
        return datetime(2027, 1, 14, hour - 1, minute, tzinfo=UTC)

    assert [NIGHT.contains(stockholm(h, m)) for h, m in ((20, 59), (21, 0), (23, 30), (6, 59), (7, 0))] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert NIGHT.ends_after(stockholm(23, 30)) == datetime(2027, 1, 15, 6, tzinfo=UTC)  # 07:00 the next morning
    assert NIGHT.ends_after(stockholm(5)) == datetime(2027, 1, 14, 6, tzinfo=UTC)  # 07:00 the same morning
    daytime = QuietHours(start=time(12), end=time(13))
    assert daytime.contains(stockholm(12, 30)) and not daytime.contains(stockholm(13))


def test_quiet_hours_end_at_seven_on_both_nights_the_clocks_change() -> None:
    spring = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 summer time: the clocks went 02:00 -> 03:00
    assert NIGHT.contains(spring)
    assert NIGHT.ends_after(spring) == datetime(2027, 3, 28, 5, tzinfo=UTC)  # 07:00 CEST
    autumn = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time, before the clocks go back
    assert NIGHT.contains(autumn)
    assert NIGHT.ends_after(autumn) == datetime(2026, 10, 25, 6, tzinfo=UTC)  # 07:00 CET
    evening = datetime(2026, 10, 24, 19, tzinfo=UTC)  # 21:00 CEST, the evening before
    assert NIGHT.contains(evening) and NIGHT.ends_after(evening) == datetime(2026, 10, 25, 6, tzinfo=UTC)


def contact(**changes: object) -> Contact:
    return Contact(person_id="anna", name="Anna", email="anna@example.se", mobile="+46701234567").model_copy(
        update=changes
    )


DAY = datetime(2027, 1, 14, 10, tzinfo=UTC)  # 11:00 in Stockholm
NIGHT_TIME = datetime(2027, 1, 14, 22, tzinfo=UTC)  # 23:00


def test_a_message_goes_now_waits_for_morning_or_for_the_digest() -> None:
    defaults = BUILT_IN_DEFAULTS
    assert route("RegistrationConfirmed", False, contact(), defaults, DAY).email is EmailWay.NOW
    held = route("RegistrationConfirmed", False, contact(), defaults, NIGHT_TIME)
    assert (held.email, held.release_at, held.sms) == (EmailWay.HELD, datetime(2027, 1, 15, 6, tzinfo=UTC), False)
    her_own = route("RegistrationConfirmed", False, contact(), defaults, NIGHT_TIME, own_doing=True)
    assert her_own.email is EmailWay.NOW  # she registered at 23:00 herself: the receipt goes at once
    weekly = PersonalPreferences(
        categories={Category.SEATS: CategoryPreference(channels=frozenset({Channel.EMAIL}), frequency=Frequency.WEEKLY)}
    ).over(defaults)
    assert route("RegistrationConfirmed", False, contact(), weekly, NIGHT_TIME).email is EmailWay.WEEKLY
    assert route("NoShowRecorded.manager", False, contact(), defaults, DAY).email is EmailWay.DAILY  # team: daily


def test_an_urgent_message_bypasses_quiet_hours_and_digests_and_goes_by_sms_too() -> None:
    weekly = PersonalPreferences(
        categories={
            Category.SEATS: CategoryPreference(
                channels=frozenset({Channel.EMAIL, Channel.SMS}), frequency=Frequency.WEEKLY
            )
        }
    ).over(BUILT_IN_DEFAULTS)
    urgent = route("RegistrationOffered", True, contact(), weekly, NIGHT_TIME)
    assert (urgent.email, urgent.sms) == (EmailWay.NOW, True)
    no_sms = PersonalPreferences(
        categories={Category.SEATS: CategoryPreference(channels=frozenset({Channel.EMAIL}))}
    ).over(BUILT_IN_DEFAULTS)
    assert route("RegistrationOffered", True, contact(), no_sms, NIGHT_TIME).sms is False
    assert route("RegistrationOffered", True, contact(mobile=None), weekly, DAY).sms is False


def test_who_cannot_be_emailed_gets_urgent_messages_by_sms_and_the_rest_in_app() -> None:
    email_only = PersonalPreferences(
        categories={Category.SEATS: CategoryPreference(channels=frozenset({Channel.EMAIL}))}
    ).over(BUILT_IN_DEFAULTS)
    bounced = contact(suppressed=Suppression(reason="bounced", at=DAY))
    assert route("RegistrationOffered", True, bounced, email_only, DAY).model_dump(include={"email", "sms"}) == {
        "email": EmailWay.SUPPRESSED,
        "sms": True,
    }
    assert route("RegistrationConfirmed", False, bounced, email_only, DAY).sms is False
    deskless = contact(email=None)
    assert route("RegistrationOffered", True, deskless, email_only, DAY).model_dump(include={"email", "sms"}) == {
        "email": None,
        "sms": True,
    }


def test_what_is_urgent() -> None:
    now = datetime(2027, 3, 10, 12, tzinfo=UTC)
    soon, later = {"starts_at": "2027-03-11T12:00:00Z"}, {"starts_at": "2027-03-20T12:00:00Z"}
    assert is_urgent("RegistrationOffered", later, "system", "anna", now)
    assert is_urgent("SessionMoved", soon, "coord", "anna", now)
    assert not is_urgent("SessionMoved", later, "coord", "anna", now)
    assert is_urgent("RegistrationCancelled", soon, "coord", "anna", now)  # the session was cancelled
    assert not is_urgent("RegistrationCancelled", soon, "anna", "anna", now)  # she cancelled it herself
    assert is_urgent("SessionReminder", soon | {"days_before": 1}, "system", "anna", now)
    assert not is_urgent("SessionReminder", later | {"days_before": 7}, "system", "anna", now)
    assert is_urgent("CheckInCancelled", soon | {"was_scheduled": True}, "mats", "anna", now)
    assert not is_urgent("CheckInScheduled", soon, "mats", "anna", now)


def test_ones_own_choices_override_the_tenants_and_unsubscribing_turns_off_email_only() -> None:
    mine = PersonalPreferences(quiet_hours=QuietHours(start=time(22), end=time(6, 30)))
    assert mine.over(BUILT_IN_DEFAULTS).quiet_hours.end == time(6, 30)
    off = mine.without_email({Category.SEATS}, BUILT_IN_DEFAULTS)
    assert off.over(BUILT_IN_DEFAULTS).channels(Category.SEATS) == frozenset({Channel.SMS})
    assert off.over(BUILT_IN_DEFAULTS).channels(Category.INVITATIONS) == frozenset({Channel.EMAIL})
    with pytest.raises(ValueError, match="same time"):
        QuietHours(start=time(7), end=time(7))


def test_mobile_numbers_are_read_as_sns_takes_them() -> None:
    assert [sms_number(n) for n in ("070-123 45 67", "+46 70 123 45 67", "0046701234567", "12", None)] == [
        "+46701234567",
        "+46701234567",
        "+46701234567",
        None,
        None,
    ]


def test_a_digest_groups_what_waited_by_category() -> None:
    def note(n: int, category: Category, subject: str) -> Notification:
        return Notification(
            notification_id=f"2027011410000000000{n}-e{n}",
            person_id="mats",
            kind="x",
            category=category,
            subject=subject,
            body="<b>text</b>",
            created_at=DAY + timedelta(minutes=n),
        )

    message, categories = rendering.digest(
        [note(1, Category.TEAM, "Uteblev: Anna"), note(2, Category.INVITATIONS, "Inbjudan: Forum")], "weekly", "sv"
    )
    assert message.subject == "Ledarlyft i veckan: 2 nya meddelanden"
    assert categories == (Category.INVITATIONS, Category.TEAM)
    assert message.text.index("INBJUDNINGAR") < message.text.index("NYTT OM DITT TEAM")
    assert "&lt;b&gt;text&lt;/b&gt;" in message.html
