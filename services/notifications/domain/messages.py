"""What each kind of message says, in Swedish and English: Jinja templates over the event's fields. Pure.

Every template is filled from the event's fields plus those `fields` adds: `when` (the start, in
Stockholm time and the reader's words), `where`, `deadline`, names of the people concerned, and so on.
`SAMPLES` holds an event of each kind: a coordinator's override is checked and previewed against it,
and its fields are the ones an override may use.

A built-in template has a subject, a text body and, for what may be urgent, an SMS line; its HTML
part is the text, escaped, in paragraphs. A tenant's override may give its own HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.domain import formatting

LANGUAGES = ("sv", "en")


class Template(BaseModel):
    """What a tenant may write: the email's subject, text and (optionally) HTML; the in-app note is the text."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    subject: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=20_000)
    html: str | None = Field(None, max_length=50_000, description="Without it, the text in paragraphs")


class BuiltIn(Template):
    sms: str | None = None  # the SMS line of what may be urgent; otherwise an SMS is the subject


def _t(subject: str, text: str, sms: str | None = None) -> BuiltIn:
    return BuiltIn(subject=subject, text=text, sms=sms)


_SV_TIME_PLACE = "Tid: {{ when }}\nPlats: {{ where }}"
_EN_TIME_PLACE = "When: {{ when }}\nWhere: {{ where }}"
_SV_CANCEL_HINT = "Kan du inte delta? Avboka i Ledarlyft så att någon annan får platsen."
_EN_CANCEL_HINT = "Can't attend? Cancel in Ledarlyft so that someone else gets the seat."
_SV_CHECKIN = "{{ checkin_kind }}{% if focus_area %} om {{ focus_area }}{% endif %}"
_EN_CHECKIN = "{{ checkin_kind }}{% if focus_area %} on {{ focus_area }}{% endif %}"

BUILT_IN: dict[str, dict[str, BuiltIn]] = {
    "InvitationsSent.programme": {
        "sv": _t(
            "Inbjudan: {{ programme_name }}",
            "Du är inbjuden till {{ programme_name }}. Anmäl dig i Ledarlyft.{% if note %}\n\n{{ note }}{% endif %}",
        ),
        "en": _t(
            "Invitation: {{ programme_name }}",
            "You are invited to {{ programme_name }}. Enrol in Ledarlyft.{% if note %}\n\n{{ note }}{% endif %}",
        ),
    },
    "InvitationsSent.session": {
        "sv": _t(
            "Inbjudan: {{ stage_name }}, {{ when }}",
            "Du är inbjuden till {{ stage_name }} i {{ programme_name }}.\n\n" + _SV_TIME_PLACE + "\n\n"
            "{% if registration_opens %}Anmälan öppnar {{ registration_opens }} i Ledarlyft; platserna är begränsade."
            "{% else %}Anmäl dig i Ledarlyft; platserna är begränsade.{% endif %}"
            "{% if note %}\n\n{{ note }}{% endif %}",
        ),
        "en": _t(
            "Invitation: {{ stage_name }}, {{ when }}",
            "You are invited to {{ stage_name }} in {{ programme_name }}.\n\n" + _EN_TIME_PLACE + "\n\n"
            "{% if registration_opens %}Registration opens {{ registration_opens }} in Ledarlyft; seats are limited."
            "{% else %}Register in Ledarlyft; seats are limited.{% endif %}"
            "{% if note %}\n\n{{ note }}{% endif %}",
        ),
    },
    "RegistrationConfirmed": {
        "sv": _t(
            "Bekräftad plats: {{ programme_name }}, {{ stage_name }}",
            "Du har en plats på {{ stage_name }} i {{ programme_name }}.\n\n"
            + _SV_TIME_PLACE
            + "\n\n"
            + _SV_CANCEL_HINT,
        ),
        "en": _t(
            "Place confirmed: {{ programme_name }}, {{ stage_name }}",
            "You have a place at {{ stage_name }} in {{ programme_name }}.\n\n"
            + _EN_TIME_PLACE
            + "\n\n"
            + _EN_CANCEL_HINT,
        ),
    },
    "RegistrationWaitlisted": {
        "sv": _t(
            "Du står i kö: {{ stage_name }}",
            "{{ stage_name }} ({{ when }}) är fullbokad. Du står i kö och får besked så fort en plats blir ledig.",
        ),
        "en": _t(
            "You are on the waiting list: {{ stage_name }}",
            "{{ stage_name }} ({{ when }}) is full. You are on the waiting list and will hear as soon as a seat "
            "frees up.",
        ),
    },
    "RegistrationOffered": {
        "sv": _t(
            "En plats är ledig för dig: {{ stage_name }}",
            "En plats på {{ stage_name }} ({{ when }}) är ledig för dig. Ta den i Ledarlyft senast {{ deadline }}; "
            "annars går den till nästa i kön.",
            "Ledarlyft: en plats på {{ stage_name }} ({{ when_short }}) är ledig för dig. Ta den senast "
            "{{ deadline_short }}.",
        ),
        "en": _t(
            "A seat is free for you: {{ stage_name }}",
            "A seat at {{ stage_name }} ({{ when }}) is free for you. Claim it in Ledarlyft by {{ deadline }}; "
            "after that it passes to the next in line.",
            "Ledarlyft: a seat at {{ stage_name }} ({{ when_short }}) is free for you. Claim it by {{ deadline_short }}.",
        ),
    },
    "RegistrationPromoted": {
        "sv": _t(
            "Du har fått en plats: {{ stage_name }}",
            "Du har nu en plats på {{ stage_name }} i {{ programme_name }}.\n\n" + _SV_TIME_PLACE,
        ),
        "en": _t(
            "You have a seat: {{ stage_name }}",
            "You now have a seat at {{ stage_name }} in {{ programme_name }}.\n\n" + _EN_TIME_PLACE,
        ),
    },
    "RegistrationCancelled": {
        "sv": _t(
            "Avbokad: {{ stage_name }}",
            "Din plats på {{ stage_name }} ({{ when }}) är avbokad.",
            "Ledarlyft: din plats på {{ stage_name }} {{ when_short }} är avbokad.",
        ),
        "en": _t(
            "Cancelled: {{ stage_name }}",
            "Your place at {{ stage_name }} ({{ when }}) is cancelled.",
            "Ledarlyft: your place at {{ stage_name }} on {{ when_short }} is cancelled.",
        ),
    },
    "SessionMoved": {
        "sv": _t(
            "Ny tid eller plats: {{ stage_name }}",
            "{{ stage_name }} i {{ programme_name }} är ändrad.\n\n" + _SV_TIME_PLACE + "\n\n"
            "Kan du inte längre? Avboka i Ledarlyft så att någon annan får platsen.",
            "Ledarlyft: {{ stage_name }} är flyttad till {{ when_short }}, {{ where }}.",
        ),
        "en": _t(
            "New time or place: {{ stage_name }}",
            "{{ stage_name }} in {{ programme_name }} has changed.\n\n" + _EN_TIME_PLACE + "\n\n"
            "Can't make it now? Cancel in Ledarlyft so that someone else gets the seat.",
            "Ledarlyft: {{ stage_name }} has moved to {{ when_short }}, {{ where }}.",
        ),
    },
    "SessionReminder": {
        "sv": _t(
            "Påminnelse: {{ stage_name }} {% if days_before == 1 %}i morgon{% else %}om {{ days_before }} dagar"
            "{% endif %}",
            "Välkommen till {{ stage_name }} i {{ programme_name }}.\n\n" + _SV_TIME_PLACE + "\n\n"
            "Kan du inte komma? Avboka i Ledarlyft så att någon annan får platsen.",
            "Ledarlyft: påminnelse om {{ stage_name }} {{ when_short }}, {{ where }}.",
        ),
        "en": _t(
            "Reminder: {{ stage_name }} {% if days_before == 1 %}tomorrow{% else %}in {{ days_before }} days"
            "{% endif %}",
            "Welcome to {{ stage_name }} in {{ programme_name }}.\n\n" + _EN_TIME_PLACE + "\n\n"
            "Can't come? Cancel in Ledarlyft so that someone else gets the seat.",
            "Ledarlyft: reminder of {{ stage_name }} {{ when_short }}, {{ where }}.",
        ),
    },
    "StageUnlocked": {
        "sv": _t(
            "Anmälan är öppen: {{ stage_name }}",
            "Du har klarat det som krävs. Nu kan du anmäla dig till {{ stage_name }} i {{ programme_name }}.",
        ),
        "en": _t(
            "Registration is open: {{ stage_name }}",
            "You have completed what it requires. You can now register for {{ stage_name }} in {{ programme_name }}.",
        ),
    },
    "NoShowRecorded": {
        "sv": _t(
            "Du kom inte till {{ stage_name }}",
            "Du var anmäld till {{ stage_name }} i {{ programme_name }} men kom inte, och avbokade inte.\n\n"
            "{% if next_session_when %}Nästa tillfälle är {{ next_session_when }}. Anmäl dig i Ledarlyft."
            "{% else %}Anmäl dig till ett nytt tillfälle i Ledarlyft.{% endif %}",
        ),
        "en": _t(
            "You missed {{ stage_name }}",
            "You were registered for {{ stage_name }} in {{ programme_name }} but did not come, and did not cancel."
            "\n\n{% if next_session_when %}The next session is {{ next_session_when }}. Register in Ledarlyft."
            "{% else %}Register for another session in Ledarlyft.{% endif %}",
        ),
    },
    "NoShowRecorded.manager": {
        "sv": _t(
            "Uteblev: {{ person_name }}",
            "{{ person_name }} var anmäld till {{ stage_name }} men kom inte, och avbokade inte. Hen har fått veta "
            "det och kan anmäla sig igen.",
        ),
        "en": _t(
            "Did not attend: {{ person_name }}",
            "{{ person_name }} was registered for {{ stage_name }} but did not come, and did not cancel. They have "
            "been told and may register again.",
        ),
    },
    "CredentialIssued": {
        "sv": _t(
            "Grattis: {{ credential_name }}",
            "Du har fått {{ credential_name }}, nummer {{ number }}. Verifieringskod: {{ verification_code }}.",
        ),
        "en": _t(
            "Congratulations: {{ credential_name }}",
            "You have been awarded {{ credential_name }}, number {{ number }}. Verification code: "
            "{{ verification_code }}.",
        ),
    },
    "CredentialExpiring": {
        "sv": _t(
            "{{ credential_name }} går ut om {{ days_left }} dagar",
            "Ditt {{ credential_name }} (nummer {{ number }}) gäller till {{ valid_until_day }}. Prata med din chef "
            "om att förnya det.",
        ),
        "en": _t(
            "{{ credential_name }} expires in {{ days_left }} days",
            "Your {{ credential_name }} (number {{ number }}) is valid until {{ valid_until_day }}. Talk to your "
            "manager about renewing it.",
        ),
    },
    "CredentialExpired": {
        "sv": _t(
            "{{ credential_name }} har gått ut",
            "Ditt {{ credential_name }} (nummer {{ number }}) har gått ut. Du kan anmäla dig till programmet igen.",
        ),
        "en": _t(
            "{{ credential_name }} has expired",
            "Your {{ credential_name }} (number {{ number }}) has expired. You can enrol in the programme again.",
        ),
    },
    "CredentialRevoked": {
        "sv": _t(
            "{{ credential_name }} är återkallat",
            "Ditt {{ credential_name }} (nummer {{ number }}) är återkallat: {{ reason }}",
        ),
        "en": _t(
            "{{ credential_name }} is revoked",
            "Your {{ credential_name }} (number {{ number }}) is revoked: {{ reason }}",
        ),
    },
    "CheckInScheduled": {
        "sv": _t(
            "Avstämning med {{ other_name }}: {{ when }}",
            _SV_CHECKIN + " med {{ other_name }} är bokad.\n\n" + _SV_TIME_PLACE,
        ),
        "en": _t(
            "Check-in with {{ other_name }}: {{ when }}",
            _EN_CHECKIN + " with {{ other_name }} is booked.\n\n" + _EN_TIME_PLACE,
        ),
    },
    "CheckInRescheduled": {
        "sv": _t(
            "Ny tid för avstämningen med {{ other_name }}",
            _SV_CHECKIN + " med {{ other_name }} har fått en ny tid eller plats.\n\n" + _SV_TIME_PLACE,
            "Ledarlyft: avstämningen med {{ other_name }} är flyttad till {{ when_short }}, {{ where }}.",
        ),
        "en": _t(
            "New time for your check-in with {{ other_name }}",
            _EN_CHECKIN + " with {{ other_name }} has a new time or place.\n\n" + _EN_TIME_PLACE,
            "Ledarlyft: your check-in with {{ other_name }} has moved to {{ when_short }}, {{ where }}.",
        ),
    },
    "CheckInCancelled": {
        "sv": _t(
            "Inställd avstämning med {{ other_name }}",
            _SV_CHECKIN + " med {{ other_name }}{% if when %} ({{ when }}){% endif %} är inställd.",
            "Ledarlyft: avstämningen med {{ other_name }} {{ when_short }} är inställd.",
        ),
        "en": _t(
            "Check-in with {{ other_name }} cancelled",
            _EN_CHECKIN + " with {{ other_name }}{% if when %} ({{ when }}){% endif %} is cancelled.",
            "Ledarlyft: your check-in with {{ other_name }} on {{ when_short }} is cancelled.",
        ),
    },
    "CheckInDueSoon": {
        "sv": _t(
            "Dags för avstämning med {{ other_name }}",
            _SV_CHECKIN + " med {{ other_name }} ska hållas senast {{ due_day }}."
            "{% if when %}\n\nDen är bokad: {{ when }}, {{ where }}.{% else %}\n\nBoka en tid i Ledarlyft.{% endif %}",
        ),
        "en": _t(
            "Time for your check-in with {{ other_name }}",
            _EN_CHECKIN + " with {{ other_name }} is due by {{ due_day }}."
            "{% if when %}\n\nIt is booked: {{ when }}, {{ where }}.{% else %}\n\nBook a time in Ledarlyft.{% endif %}",
        ),
    },
    "CheckInMissed": {
        "sv": _t(
            "Avstämningen med {{ person_name }} blev inte av",
            _SV_CHECKIN + " med {{ person_name }} skulle ha hållits senast {{ due_day }}. Boka en ny tid i Ledarlyft.",
        ),
        "en": _t(
            "The check-in with {{ person_name }} did not happen",
            _EN_CHECKIN + " with {{ person_name }} was due by {{ due_day }}. Book a new time in Ledarlyft.",
        ),
    },
    "CheckInReassigned": {
        "sv": _t(
            "Din avstämning hålls nu av {{ manager_name }}",
            _SV_CHECKIN + " (senast {{ due_day }}) hålls nu av {{ manager_name }}, din nya chef.",
        ),
        "en": _t(
            "Your check-in is now with {{ manager_name }}",
            _EN_CHECKIN + " (due by {{ due_day }}) is now held by {{ manager_name }}, your new manager.",
        ),
    },
    "CheckInReassigned.manager": {
        "sv": _t(
            "Du håller nu avstämningen med {{ person_name }}",
            "{{ person_name }} rapporterar nu till dig. " + _SV_CHECKIN + " (senast {{ due_day }}) är din att hålla."
            "{% if when %}\n\nDen är bokad: {{ when }}, {{ where }}.{% endif %}",
        ),
        "en": _t(
            "You now hold the check-in with {{ person_name }}",
            "{{ person_name }} now reports to you. " + _EN_CHECKIN + " (due by {{ due_day }}) is yours to hold."
            "{% if when %}\n\nIt is booked: {{ when }}, {{ where }}.{% endif %}",
        ),
    },
    "CheckInReassigned.previous_manager": {
        "sv": _t(
            "Avstämningen med {{ person_name }} har flyttats",
            _SV_CHECKIN + " med {{ person_name }} hålls nu av {{ manager_name }}, hens nya chef.",
        ),
        "en": _t(
            "The check-in with {{ person_name }} has moved",
            _EN_CHECKIN + " with {{ person_name }} is now held by {{ manager_name }}, their new manager.",
        ),
    },
    "ActionItemOverdue": {
        "sv": _t(
            "En åtgärd är försenad",
            "En åtgärd du tog på dig vid avstämningen med {{ other_name }} skulle vara klar {{ due_day }}. "
            "Bocka av den i Ledarlyft när den är gjord.",
        ),
        "en": _t(
            "An action item is overdue",
            "An action item you took on at the check-in with {{ other_name }} was due on {{ due_day }}. "
            "Tick it off in Ledarlyft when it is done.",
        ),
    },
    "FollowUpDue": {
        "sv": _t(
            "Dags att följa upp {{ person_name }}",
            "{{ person_name }} började {{ employment_day }}. Uppföljningen av introduktionen ska hållas senast "
            "{{ due_day }}. Boka en tid i Ledarlyft.",
        ),
        "en": _t(
            "Time to follow up with {{ person_name }}",
            "{{ person_name }} started on {{ employment_day }}. The follow-up of their introduction is due by "
            "{{ due_day }}. Book a time in Ledarlyft.",
        ),
    },
}

CHECKIN_KINDS = {
    "sv": {"appraisal": "Medarbetarsamtalet", "check-in": "Avstämningen", "follow-up": "Uppföljningen"},
    "en": {"appraisal": "The appraisal talk", "check-in": "The check-in", "follow-up": "The follow-up"},
}
TO_BE_ANNOUNCED = {"sv": "meddelas senare", "en": "to be announced"}

_SESSION = {
    "session_id": "s-2027-03-12",
    "programme_id": "arbetsledarprogrammet",
    "programme_name": "Arbetsledarprogrammet",
    "stage_key": "fordjupning-1",
    "stage_name": "Fördjupning 1",
    "starts_at": "2027-03-12T12:00:00Z",
    "ends_at": "2027-03-12T14:45:00Z",
    "location": None,
    "video_url": "https://meet.example/fordjupning",
}
_SEAT = _SESSION | {"registration_id": "r-1", "person_id": "anna"}
_CHECKIN = {
    "checkin_id": "c-1",
    "cycle_id": "cy-2027",
    "person_id": "anna",
    "manager_id": "mats",
    "kind": "check-in",
    "focus_area": "Arbetsmiljö",
    "due_on": "2027-03-31",
}
_SCHEDULED = _CHECKIN | {
    "starts_at": "2027-03-15T09:00:00Z",
    "ends_at": "2027-03-15T10:00:00Z",
    "location": "Rum 2",
    "video_url": None,
    "sequence": 1,
}
_CREDENTIAL = {"programme_id": "arbetsledarprogrammet", "person_id": "anna", "number": 127}
_CREDENTIAL |= {"credential_name": "Diplomerad arbetsledare"}
_NAMES = {"person_name": "Anna Ek", "manager_name": "Mats Berg", "other_name": "Mats Berg"}

# An event of every kind, as it arrives, with the names the handler looks up: previews and checks use it.
SAMPLES: dict[str, dict[str, Any]] = {
    "InvitationsSent.programme": {
        "programme_id": "arbetsledarprogrammet",
        "programme_name": "Arbetsledarprogrammet",
        "note": "Välkommen! / Welcome!",
    },
    "InvitationsSent.session": _SESSION | {"note": None, "registration_opens_at": "2027-02-01T07:00:00Z"},
    "RegistrationConfirmed": _SEAT,
    "RegistrationWaitlisted": _SEAT | {"ticket": 3},
    "RegistrationOffered": _SEAT | {"offer_expires_at": "2027-03-10T12:00:00Z"},
    "RegistrationPromoted": _SEAT,
    "RegistrationCancelled": _SEAT | {"previous_status": "confirmed", "late": False, "reason": "cancelled"},
    "SessionMoved": _SESSION | {"sequence": 2},
    "SessionReminder": _SESSION | {"days_before": 1},
    "StageUnlocked": {k: _SESSION[k] for k in ("programme_id", "programme_name", "stage_key", "stage_name")}
    | {"person_id": "anna"},
    "NoShowRecorded": _SEAT | {"next_session_id": "s-2027-10-22", "next_session_starts_at": "2027-10-22T11:00:00Z"},
    "NoShowRecorded.manager": _SEAT | {"next_session_id": None, "next_session_starts_at": None} | _NAMES,
    "CredentialIssued": _CREDENTIAL | {"verification_code": "K7Q2M9X4TB", "valid_until": None},
    "CredentialExpiring": _CREDENTIAL | {"valid_until": "2027-06-30T22:00:00Z", "days_left": 30},
    "CredentialExpired": _CREDENTIAL,
    "CredentialRevoked": _CREDENTIAL | {"reason": "utfärdat av misstag"},
    "CheckInScheduled": _SCHEDULED | _NAMES,
    "CheckInRescheduled": _SCHEDULED | {"sequence": 2} | _NAMES,
    "CheckInCancelled": _SCHEDULED | {"sequence": 3, "reason": "cancelled", "was_scheduled": True} | _NAMES,
    "CheckInDueSoon": _CHECKIN | {"starts_at": None, "location": None, "video_url": None} | _NAMES,
    "CheckInMissed": _CHECKIN | _NAMES,
    "CheckInReassigned": _CHECKIN | {"previous_manager_id": "karin", "previous_manager_name": "Karin Ström"} | _NAMES,
    "CheckInReassigned.manager": _SCHEDULED
    | {"previous_manager_id": "karin", "previous_manager_name": "Karin Ström"}
    | _NAMES,
    "CheckInReassigned.previous_manager": _CHECKIN
    | {"previous_manager_id": "karin", "previous_manager_name": "Karin Ström"}
    | _NAMES,
    "ActionItemOverdue": {
        "action_item_id": "a-1",
        "checkin_id": "c-1",
        "person_id": "anna",
        "manager_id": "mats",
        "owner_id": "anna",
        "due_on": "2027-04-15",
    }
    | _NAMES,
    "FollowUpDue": _CHECKIN | {"kind": "follow-up", "employment_started_on": "2027-01-10"} | _NAMES,
}

PERSON_FIELDS = ("recipient_name", "app_url", "language")  # every message has them


def fields(data: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The event's fields and those derived from them, in the reader's language."""
    found = dict(data)
    if data.get("starts_at"):
        found["when"] = formatting.when(data["starts_at"], language)
        found["when_short"] = formatting.short_when(data["starts_at"], language)
    else:
        found["when"] = found["when_short"] = None
    found["where"] = data.get("video_url") or data.get("location") or TO_BE_ANNOUNCED.get(language, "")
    found["deadline"] = _optional(formatting.when, data.get("offer_expires_at"), language)
    found["deadline_short"] = _optional(formatting.short_when, data.get("offer_expires_at"), language)
    found["registration_opens"] = _optional(formatting.when, data.get("registration_opens_at"), language)
    found["next_session_when"] = _optional(formatting.when, data.get("next_session_starts_at"), language)
    found["valid_until_day"] = _optional(formatting.day, data.get("valid_until"), language)
    found["due_day"] = _optional(formatting.day, data.get("due_on"), language)
    found["employment_day"] = _optional(formatting.day, data.get("employment_started_on"), language)
    if data.get("kind") in CHECKIN_KINDS["sv"]:
        found["checkin_kind"] = CHECKIN_KINDS.get(language, CHECKIN_KINDS["sv"])[data["kind"]]
    return found


def _optional(format_: Any, value: datetime | date | str | None, language: str) -> str | None:
    return format_(value, language) if value else None


def known_fields(kind: str) -> set[str]:
    """What an override of `kind` may name: the sample's fields, the derived ones, the person's."""
    return set(fields(SAMPLES[kind], "sv")) | set(PERSON_FIELDS)
