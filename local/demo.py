"""Demo data, loaded through the public HTTP API of the running gateway, as a coordinator would.

Loading is idempotent: things are PUT under stable ids, and a 409 for something that exists is fine,
so `make run` twice gives the same data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import requests

from local import demo_reporting, seeds
from local.auth import LOCAL_INTEGRATIONS, Integration
from local.topology import BUS_NAME
from services.shared.wiring import COMPLETIONS_SCOPE

log = logging.getLogger("local.demo")


@dataclass(frozen=True)
class DemoPerson:
    sub: str
    tenant_id: str
    roles: tuple[str, ...]
    name: str
    email: str
    mobile: str | None = None


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    # Humana assistans: the supervisor programme and check-ins; supervisors report to the line manager.
    DemoPerson("humana-coordinator", "humana", ("coordinator", "admin"), "Hanna Lind", "hanna.lind@humana.example"),
    DemoPerson("humana-manager", "humana", ("manager",), "Mats Berg", "mats.berg@humana.example"),
    DemoPerson("humana-supervisor-1", "humana", ("participant",), "Sara Ek", "sara.ek@humana.example"),
    DemoPerson(
        "humana-supervisor-2", "humana", ("participant",), "Omar Haddad", "omar.haddad@humana.example", "070-555 01 02"
    ),
    DemoPerson("humana-supervisor-3", "humana", ("participant",), "Linnea Holm", "linnea.holm@humana.example"),
    # Samordningsförbundet Halland: mentor training for open workplaces.
    DemoPerson("halland-coordinator", "halland", ("coordinator",), "Karin Ström", "karin.strom@halland.example"),
    # Region Gotland: the half-yearly report to the social welfare committee.
    DemoPerson("gotland-board", "gotland", ("board",), "Per Gardell", "per.gardell@gotland.example"),
    DemoPerson(
        "gotland-coordinator", "gotland", ("coordinator", "admin"), "Elin Nyström", "elin.nystrom@gotland.example"
    ),
)

# Who reports to whom, for the loader: supervisor sub -> line manager sub.
LINE_MANAGERS: dict[str, str] = {f"humana-supervisor-{n}": "humana-manager" for n in (1, 2, 3)}


def person(sub: str) -> DemoPerson:
    return next(p for p in DEMO_PEOPLE if p.sub == sub)


class _Api:
    """Calls to the gateway as one demo person; a 409 (it exists already) counts as done."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def __call__(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, self.base_url + path, json=body, headers=self.headers, timeout=30)
        return self._answer(method, path, response)

    def post_csv(self, path: str, text: str) -> Any:
        headers = self.headers | {"Content-Type": "text/csv; charset=utf-8"}
        response = requests.post(self.base_url + path, data=text.encode(), headers=headers, timeout=60)
        return self._answer("POST", path, response)

    def eventually(self, method: str, path: str, body: Any = None, within_s: float = 30.0) -> Any:
        """A call about people another service learns of over the bus: retried while it does not know them."""
        deadline = time.monotonic() + within_s
        while True:
            response = requests.request(method, self.base_url + path, json=body, headers=self.headers, timeout=30)
            if response.status_code not in (404, 422) or time.monotonic() > deadline:
                return self._answer(method, path, response)
            time.sleep(0.2)

    @staticmethod
    def _answer(method: str, path: str, response: requests.Response) -> Any:
        if response.status_code == 409:
            return None
        if response.status_code >= 300:
            raise RuntimeError(f"demo data: {method} {path} answered {response.status_code}: {response.text}")
        return response.json()


def _people(api: _Api, tenant: str) -> None:
    for demo in (p for p in DEMO_PEOPLE if p.tenant_id == tenant):
        body = {
            "name": demo.name,
            "email": demo.email,
            "roles": list(demo.roles),
            "manager_id": LINE_MANAGERS.get(demo.sub),
        }
        if demo.mobile:
            body["mobile"] = demo.mobile
        api("PUT", f"/people/{demo.sub}", body)


def _programme_with_sessions(api: _Api, programme: dict[str, Any], sessions: list[dict[str, Any]]) -> None:
    api("POST", "/programmes", programme)
    existing = api("GET", f"/programmes/{programme['programme_id']}/sessions")["items"]
    if existing:
        return  # loaded before
    for session in sessions:
        api("POST", f"/programmes/{programme['programme_id']}/sessions", session)


def _humana(api: _Api, learning_portal: _Api) -> None:
    _people(api, "humana")
    year = date.today().year + 1
    online = {
        "video_url": "https://meet.example/humana-fordjupning",
        "capacity": 20,
        "trainers": ["humana-coordinator"],
    }
    _programme_with_sessions(
        api,
        seeds.humana_programme() | {"audience": {"roles": ["participant"]}},  # every supervisor is invited
        [
            # every spring and autumn, 13:00-15:45 Stockholm time
            {"stage_key": "fordjupning-1", "starts_at": f"{year}-03-12T13:00", "ends_at": f"{year}-03-12T15:45"}
            | online,
            {"stage_key": "fordjupning-2", "starts_at": f"{year}-03-26T13:00", "ends_at": f"{year}-03-26T15:45"}
            | online,
            {"stage_key": "fordjupning-1", "starts_at": f"{year}-10-22T13:00", "ends_at": f"{year}-10-22T15:45"}
            | online,
            {"stage_key": "fordjupning-2", "starts_at": f"{year}-11-05T13:00", "ends_at": f"{year}-11-05T15:45"}
            | online,
        ],
    )
    # the forum: monthly at 15:00, each occasion announced to every supervisor two weeks before
    forum = seeds.humana_forum()
    api("POST", "/programmes", forum)
    if not api("GET", f"/programmes/{forum['programme_id']}/sessions")["items"]:
        first: dict[str, Any] = {"stage_key": "forum", "starts_at": f"{year}-01-27T15:00"}
        first |= {"ends_at": f"{year}-01-27T16:00"}
        first |= {"capacity": 60, "video_url": "https://meet.example/humana-forum", "invite_days_before": 14}
        api(
            "POST",
            f"/programmes/{forum['programme_id']}/sessions/series",
            {"first": first, "every": "month", "occasions": 11},
        )
    # Sara has done the whole base in the learning portal, Omar four of its nine courses.
    for sub, courses in (("humana-supervisor-1", 9), ("humana-supervisor-2", 4)):
        for n in range(1, courses + 1):
            learning_portal("POST", "/course-completions", {"external_id": f"humana-lms-{n}", "person_id": sub})


def _humana_checkins(api: _Api) -> None:
    """The annual wheel of supervisor check-ins, newcomers' follow-ups, and this year's cycle (or next
    year's, once January is past) for each supervisor with their line manager."""
    wheel = seeds.humana_wheel()
    api("POST", "/wheels", wheel)
    api("PUT", "/newcomers/settings", seeds.humana_newcomers())
    for supervisor in LINE_MANAGERS:
        # check-ins learns of the supervisors and their manager from enrolment's events
        api.eventually("POST", "/cycles", {"person_id": supervisor, "wheel_id": wheel["wheel_id"]})


def _halland(api: _Api) -> None:
    _people(api, "halland")
    year = date.today().year + 1
    day = {"stage_key": "grundutbildning", "capacity": 25, "location": "Halmstad"}
    _programme_with_sessions(
        api,
        seeds.halland_programme(),
        [
            {"starts_at": f"{year}-02-10T09:00", "ends_at": f"{year}-02-10T16:00"} | day,
            {"starts_at": f"{year}-05-12T09:00", "ends_at": f"{year}-05-12T16:00", "location": "Varberg"} | day,
        ],
    )


def _gotland(api: _Api) -> None:
    _people(api, "gotland")
    api.post_csv("/imports/units", seeds.gotland_units_csv())


# Humana's own wording of a programme invitation (a tenant's template; the English one stays built in).
HUMANA_INVITATION = {
    "subject": "Välkommen till {{ programme_name }}, {{ recipient_name }}",
    "text": "Hej {{ recipient_name }}!\n\nDu är inbjuden till {{ programme_name }}, Humanas utbildning för "
    "arbetsledare. Anmäl dig i Ledarlyft när det passar dig.{% if note %}\n\n{{ note }}{% endif %}\n\n"
    "Hälsningar\nHanna på förbättringsteamet",
    "html": "<p>Hej {{ recipient_name }}!</p><p>Du är inbjuden till <strong>{{ programme_name }}</strong>, Humanas "
    "utbildning för arbetsledare. Anmäl dig i Ledarlyft när det passar dig.</p>{% if note %}<p>{{ note }}</p>"
    "{% endif %}<p>Hälsningar<br>Hanna på förbättringsteamet</p>",
}


def _notifications(humana: _Api, token_for: Callable[[DemoPerson], str], base_url: str) -> None:
    """Humana's SMS sender and invitation wording; Omar (no computer at work) on SMS for what is urgent,
    the line manager on a weekly digest of his team's news."""
    settings = humana("GET", "/notifications/settings") | {"sms_sender_id": "Humana"}
    humana("PUT", "/notifications/settings", settings)
    humana("PUT", "/notifications/templates/InvitationsSent.programme/sv", HUMANA_INVITATION)
    choices = {
        "humana-supervisor-2": {"categories": {"seats": {"channels": ["sms"]}, "reminders": {"channels": ["sms"]}}},
        "humana-manager": {
            "categories": {"team": {"channels": ["email"], "frequency": "weekly"}},
            "quiet_hours": {"start": "20:00", "end": "07:30"},
        },
    }
    for sub, choice in choices.items():
        _Api(base_url, token_for(person(sub))).eventually("PUT", "/me/preferences", choice)


def _portal_token(base_url: str, client: Integration) -> str:
    """What Humana's learning portal does: the client-credentials grant at the token endpoint."""
    response = requests.post(
        f"{base_url}/oauth2/token",
        data={"grant_type": "client_credentials", "scope": COMPLETIONS_SCOPE},
        auth=(client.client_id, client.client_secret),
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _gotland_board_report(api: _Api, put_events: demo_reporting.PutEvents | None) -> None:
    """Gotland's half-year report to the board: the span-of-control guideline, the employee survey and
    key figures (sample data), goals per indicator, managers and supervisors on its units, and their
    history as events on the bus."""
    api.post_csv("/reports/span-guidelines", seeds.gotland_span_guideline_csv())
    api.post_csv(f"/reports/imports?source={demo_reporting.SURVEY_SOURCE}", seeds.gotland_survey_sample_csv())
    for indicator, goal in demo_reporting.GOALS.items():
        api("PUT", f"/reports/goals/{indicator}", goal | demo_reporting.GOAL_PERIODS)
    api("PUT", "/reports/goals/sick_leave_rate", demo_reporting.SICK_LEAVE_GOAL)
    for part in demo_reporting.people_csv():
        api.post_csv("/imports/people", part)
    if put_events is not None:
        demo_reporting.put_history(put_events, BUS_NAME)


def load_demo(
    base_url: str, token_for: Callable[[DemoPerson], str], put_events: demo_reporting.PutEvents | None = None
) -> None:
    """Load the demo data through the API at `base_url`; `token_for` gives a person's bearer token,
    `put_events` puts events on the bus (for history that lies in the past)."""
    humana = _Api(base_url, token_for(person("humana-coordinator")))
    portal = _Api(base_url, _portal_token(base_url, LOCAL_INTEGRATIONS[0]))
    _humana(humana, learning_portal=portal)
    _notifications(humana, token_for, base_url)
    _humana_checkins(humana)
    _halland(_Api(base_url, token_for(person("halland-coordinator"))))
    gotland = _Api(base_url, token_for(person("gotland-coordinator")))
    _gotland(gotland)
    _gotland_board_report(gotland, put_events)
    log.info(
        "demo data loaded: Humana's supervisor programme, monthly forum and check-in wheel (its SMS sender, its own "
        "invitation, Omar on SMS, the line manager on a weekly digest), Halland's mentor "
        "training, Gotland's units and their board report (its history is still being consumed for a minute or so)"
    )
