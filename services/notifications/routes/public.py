"""Links people follow from outside: one-click unsubscribe (RFC 8058) and the personal calendar feed.

No token is needed (API Gateway lets `/public/` through): each link carries a random secret stored
for one person and one purpose, which finds nothing else and stops working when it is replaced. A GET
of an unsubscribe link only asks (mail scanners follow links); the POST, which mail clients send for
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`, turns that email off.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.notifications.adapters.repository import NotificationRepository
from services.notifications.domain import calendar
from services.notifications.domain.catalogue import CATEGORY_NAMES, Category
from services.shared.errors import NotFound
from services.shared.http import BODY_MEDIA_TYPE, FORM, MULTIPART_FORM
from services.shared.settings import settings
from services.shared.store import ConditionFailed, TenantTable
from services.shared.timezones import now

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # powertools leaves it untyped

TenantId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
Categories = Annotated[str, Path(pattern=r"^[a-z]{1,20}(,[a-z]{1,20}){0,9}$", description="e.g. seats,team")]
Feed = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,64}\.ics$", description="<token>.ics")]
ATTEMPTS = 3  # a person changing their choices in the app at the same moment: read again, once or twice

PAGES = {
    "sv": {
        "ask": ("Avsluta e-post", "Vill du sluta få e-post om {what}? Du ser det fortfarande i Ledarlyft.", "Avsluta"),
        "done": ("E-post avslutad", "Du får inte längre e-post om {what}. Du kan ändra det i Ledarlyft."),
    },
    "en": {
        "ask": ("Stop email", "Stop getting email about {what}? You will still see it in Ledarlyft.", "Stop"),
        "done": ("Email stopped", "You no longer get email about {what}. You can change this in Ledarlyft."),
    },
}


def _repository(tenant_id: str) -> NotificationRepository:
    return NotificationRepository(TenantTable(settings().table_name, tenant_id))


def _owner(repository: NotificationRepository, token: str, purpose: str) -> str:
    owner = repository.token_owner(token, purpose)
    if owner is None:
        raise NotFound("This link is not valid (any more).")
    return owner


def _categories(listed: str) -> set[Category]:
    known = {c.value for c in Category}
    if not set(listed.split(",")) <= known:
        raise NotFound("This link is not valid.")
    return {Category(c) for c in listed.split(",")}


def _page(title: str, text: str, language: str, form: str = "") -> Response[str]:
    body = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title></head>'
        f'<body style="font-family:Helvetica,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px">'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p>{form}</body></html>"
    )
    return Response(200, content_type="text/html; charset=utf-8", body=body, headers={"Cache-Control": "no-store"})


def _what(categories: set[Category], language: str) -> str:
    names = CATEGORY_NAMES.get(language, CATEGORY_NAMES["sv"])
    return ", ".join(names[c] for c in Category if c in categories)


@router.get(
    "/public/unsubscribe/<tenant_id>/<token>/<categories>",
    tags=["public"],
    summary="The page of an email's unsubscribe link: asks before turning the email off",
    security=[],
)
def unsubscribe_page(tenant_id: TenantId, token: Token, categories: Categories) -> Response[str]:
    repository = _repository(tenant_id)
    contact = repository.contact(_owner(repository, token, "unsubscribe"))
    language = contact.language if contact else "sv"
    title, text, button = PAGES.get(language, PAGES["sv"])["ask"]
    form = f'<form method="post"><button type="submit">{escape(button)}</button></form>'
    return _page(title, text.format(what=_what(_categories(categories), language)), language, form)


@router.post(
    "/public/unsubscribe/<tenant_id>/<token>/<categories>",
    tags=["public"],
    summary="One-click unsubscribe (RFC 8058): no more email about these categories, for this person only",
    security=[],
    openapi_extensions={BODY_MEDIA_TYPE: [FORM, MULTIPART_FORM]},
)
def unsubscribe(tenant_id: TenantId, token: Token, categories: Categories) -> Response[str]:
    repository = _repository(tenant_id)
    owner, chosen = _owner(repository, token, "unsubscribe"), _categories(categories)
    defaults = repository.settings().defaults
    for attempt in range(ATTEMPTS):
        contact = repository.contact(owner)
        if contact is None:
            raise NotFound("This link is not valid (any more).")
        try:
            repository.set_preferences(owner, contact.preferences.without_email(chosen, defaults), contact.preferences)
        except ConditionFailed:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        title, text = PAGES.get(contact.language, PAGES["sv"])["done"]
        return _page(title, text.format(what=_what(chosen, contact.language)), contact.language)
    raise AssertionError("unreachable")


@router.get(
    "/public/calendar/<tenant_id>/<feed>",
    tags=["public"],
    summary="A person's calendar feed (iCalendar): their sessions and check-ins, for Outlook or Google Calendar",
    security=[],
)
def calendar_feed(tenant_id: TenantId, feed: Feed) -> Response[str]:
    repository = _repository(tenant_id)
    owner = _owner(repository, feed.removesuffix(".ics"), "calendar")
    body = calendar.feed(repository.feed(owner, now()), "Ledarlyft")
    return Response(
        200,
        content_type="text/calendar; charset=utf-8",
        body=body,
        headers={"Cache-Control": "private, max-age=900"},
    )
