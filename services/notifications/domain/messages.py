"""What each event tells a person, in Swedish and English. Pure: no AWS here.

Each template is filled from the event's fields plus `when` (Stockholm time), `where` and, for
offers, `deadline`. An event type without a template tells nobody. `Type.manager` is the copy a
person's line manager gets; `InvitationsSent.programme|session` are chosen by the invitation handler.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.notifications.domain.models import Message
from services.shared.timezones import in_stockholm

Template = tuple[str, str]  # subject, body
TEMPLATES: dict[str, dict[str, Template]] = {
    "RegistrationConfirmed": {
        "sv": (
            "Bekräftad plats: {programme_name}, {stage_name}",
            "Du har en plats på {stage_name} i {programme_name}.\nTid: {when}\nPlats: {where}\n"
            "Kan du inte delta? Avboka i Ledarlyft så att någon annan får platsen.",
        ),
        "en": (
            "Place confirmed: {programme_name}, {stage_name}",
            "You have a place at {stage_name} in {programme_name}.\nWhen: {when}\nWhere: {where}\n"
            "Can't attend? Cancel in Ledarlyft so that someone else gets the seat.",
        ),
    },
    "RegistrationWaitlisted": {
        "sv": (
            "Du står i kö: {stage_name}",
            "{stage_name} ({when}) är fullbokad. Du står i kö och får besked så fort en plats blir ledig.",
        ),
        "en": (
            "You are on the waiting list: {stage_name}",
            "{stage_name} ({when}) is full. You are on the waiting list and will hear as soon as a seat frees up.",
        ),
    },
    "RegistrationOffered": {
        "sv": (
            "En plats är ledig för dig: {stage_name}",
            "En plats på {stage_name} ({when}) är ledig för dig. Ta den i Ledarlyft senast {deadline}; "
            "annars går den till nästa i kön.",
        ),
        "en": (
            "A seat is free for you: {stage_name}",
            "A seat at {stage_name} ({when}) is free for you. Claim it in Ledarlyft by {deadline}; "
            "after that it passes to the next in line.",
        ),
    },
    "RegistrationPromoted": {
        "sv": (
            "Du har fått en plats: {stage_name}",
            "Du har nu en plats på {stage_name} i {programme_name}.\nTid: {when}\nPlats: {where}",
        ),
        "en": (
            "You have a seat: {stage_name}",
            "You now have a seat at {stage_name} in {programme_name}.\nWhen: {when}\nWhere: {where}",
        ),
    },
    "RegistrationCancelled": {
        "sv": ("Avbokad: {stage_name}", "Din plats på {stage_name} ({when}) är avbokad."),
        "en": ("Cancelled: {stage_name}", "Your place at {stage_name} ({when}) is cancelled."),
    },
    "StageUnlocked": {
        "sv": (
            "Anmälan är öppen: {stage_name}",
            "Du har klarat det som krävs. Nu kan du anmäla dig till {stage_name} i {programme_name}.",
        ),
        "en": (
            "Registration is open: {stage_name}",
            "You have completed what it requires. You can now register for {stage_name} in {programme_name}.",
        ),
    },
    "NoShowRecorded": {
        "sv": (
            "Du kom inte till {stage_name}",
            "Du var anmäld till {stage_name} i {programme_name} men kom inte, och avbokade inte.{next_session}",
        ),
        "en": (
            "You missed {stage_name}",
            "You were registered for {stage_name} in {programme_name} but did not come, and did not cancel."
            "{next_session}",
        ),
    },
    "NoShowRecorded.manager": {
        "sv": (
            "Uteblev: {person_name}",
            "{person_name} var anmäld men kom inte, och avbokade inte. Hen har fått veta det och kan anmäla sig igen.",
        ),
        "en": (
            "Did not attend: {person_name}",
            "{person_name} was registered but did not come, and did not cancel. They have been told and may "
            "register again.",
        ),
    },
    "InvitationsSent.programme": {
        "sv": (
            "Inbjudan: {programme_name}",
            "Du är inbjuden till {programme_name}. Anmäl dig i Ledarlyft.{note_text}",
        ),
        "en": (
            "Invitation: {programme_name}",
            "You are invited to {programme_name}. Enrol in Ledarlyft.{note_text}",
        ),
    },
    "InvitationsSent.session": {
        "sv": (
            "Inbjudan: {stage_name}, {when}",
            "Du är inbjuden till {stage_name} i {programme_name}.\nTid: {when}\nPlats: {where}\n"
            "{registration}{note_text}",
        ),
        "en": (
            "Invitation: {stage_name}, {when}",
            "You are invited to {stage_name} in {programme_name}.\nWhen: {when}\nWhere: {where}\n"
            "{registration}{note_text}",
        ),
    },
    "SessionMoved": {
        "sv": (
            "Ny tid eller plats: {stage_name}",
            "{stage_name} i {programme_name} är ändrad.\nTid: {when}\nPlats: {where}\n"
            "Kan du inte längre? Avboka i Ledarlyft så att någon annan får platsen.",
        ),
        "en": (
            "New time or place: {stage_name}",
            "{stage_name} in {programme_name} has changed.\nWhen: {when}\nWhere: {where}\n"
            "Can't make it now? Cancel in Ledarlyft so that someone else gets the seat.",
        ),
    },
    "SessionReminder": {
        "sv": (
            "Påminnelse: {stage_name} i morgon",
            "Välkommen till {stage_name} i {programme_name}.\nTid: {when}\nPlats: {where}\n"
            "Kan du inte komma? Avboka i Ledarlyft så att någon annan får platsen.",
        ),
        "en": (
            "Reminder: {stage_name} tomorrow",
            "Welcome to {stage_name} in {programme_name}.\nWhen: {when}\nWhere: {where}\n"
            "Can't come? Cancel in Ledarlyft so that someone else gets the seat.",
        ),
    },
    "CredentialIssued": {
        "sv": (
            "Grattis: {credential_name}",
            "Du har fått {credential_name}, nummer {number}. Verifieringskod: {verification_code}.",
        ),
        "en": (
            "Congratulations: {credential_name}",
            "You have been awarded {credential_name}, number {number}. Verification code: {verification_code}.",
        ),
    },
    "CredentialExpiring": {
        "sv": (
            "{credential_name} går ut om {days_left} dagar",
            "Ditt {credential_name} (nummer {number}) gäller till {valid_until_day}. Prata med din chef om att förnya det.",
        ),
        "en": (
            "{credential_name} expires in {days_left} days",
            "Your {credential_name} (number {number}) is valid until {valid_until_day}. Talk to your manager about renewing it.",
        ),
    },
    "CredentialExpired": {
        "sv": (
            "{credential_name} har gått ut",
            "Ditt {credential_name} (nummer {number}) har gått ut. Du kan anmäla dig till programmet igen.",
        ),
        "en": (
            "{credential_name} has expired",
            "Your {credential_name} (number {number}) has expired. You can enrol in the programme again.",
        ),
    },
    "CredentialRevoked": {
        "sv": ("{credential_name} är återkallat", "Ditt {credential_name} (nummer {number}) är återkallat: {reason}"),
        "en": ("{credential_name} is revoked", "Your {credential_name} (number {number}) is revoked: {reason}"),
    },
}


# How to register for a session one is invited to: (registration opens later, it is open)
REGISTRATION = {
    "sv": (
        "Anmälan öppnar {opens} i Ledarlyft; platserna är begränsade.",
        "Anmäl dig i Ledarlyft; platserna är begränsade.",
    ),
    "en": ("Registration opens {opens} in Ledarlyft; seats are limited.", "Register in Ledarlyft; seats are limited."),
}
# The session offered instead of one missed: (there is one, there is none yet)
NEXT_SESSION = {
    "sv": ("\nNästa tillfälle är {when}. Anmäl dig i Ledarlyft.", "\nAnmäl dig till ett nytt tillfälle i Ledarlyft."),
    "en": ("\nThe next session is {when}. Register in Ledarlyft.", "\nRegister for another session in Ledarlyft."),
}


def _time(value: Any, language: str) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    suffix = " (svensk tid)" if language == "sv" else " (Swedish time)"
    return in_stockholm(moment).strftime("%Y-%m-%d %H:%M") + suffix


def render(event_type: str, data: dict[str, Any], language: str) -> Message | None:
    templates = TEMPLATES.get(event_type)
    if templates is None:
        return None
    subject, body = templates.get(language, templates["sv"])
    fields = dict(data)
    if data.get("starts_at"):
        fields["when"] = _time(data["starts_at"], language)
    if data.get("valid_until"):
        fields["valid_until_day"] = _time(data["valid_until"], language)[:10]
    if data.get("offer_expires_at"):
        fields["deadline"] = _time(data["offer_expires_at"], language)
    if "next_session_id" in data:
        offered, none_yet = NEXT_SESSION.get(language, NEXT_SESSION["sv"])
        next_start = data.get("next_session_starts_at")
        fields["next_session"] = offered.format(when=_time(next_start, language)) if next_start else none_yet
    opens_later, open_now = REGISTRATION.get(language, REGISTRATION["sv"])
    opens = data.get("registration_opens_at")
    fields["registration"] = opens_later.format(opens=_time(opens, language)) if opens else open_now
    later = "meddelas senare" if language == "sv" else "to be announced"
    fields["where"] = data.get("video_url") or data.get("location") or later
    return Message(subject=subject.format(**fields), body=body.format(**fields))
