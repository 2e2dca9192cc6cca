"""Coordinators' and admins' routes: the tenant's templates (with preview), notification defaults, and the
delivery log. Each reads and writes its own tenant only: the table is the caller's tenant's."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.notifications.contracts.http import Preview, TemplateKind, TemplateView
from services.notifications.domain import rendering
from services.notifications.domain.catalogue import KINDS
from services.notifications.domain.messages import BUILT_IN, LANGUAGES, SAMPLES, Template, known_fields
from services.notifications.domain.models import Contact, Delivery
from services.notifications.domain.preferences import TenantSettings
from services.notifications.routes.common import api, repository
from services.notifications.telling import email_content
from services.shared.errors import Invalid, NotFound
from services.shared.http import Cursor, Limit, PageOut
from services.shared.identity import Role
from services.shared.settings import settings
from services.shared.store import ConditionFailed
from services.shared.timezones import now

router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # powertools leaves it untyped

Kind = Annotated[str, Path(pattern=r"^[A-Za-z]{1,64}(\.[a-z_]{1,32})?$", description="e.g. RegistrationConfirmed")]
Language = Annotated[str, Path(pattern=r"^(sv|en)$")]


def _known(kind: str, language: str) -> None:
    if kind not in BUILT_IN:
        raise NotFound(f"No kind of message {kind}; GET /notifications/templates lists them.")
    if language not in LANGUAGES:
        raise NotFound(f"No language {language}.")


def _usable(template: Template, kind: str, language: str) -> None:
    found = rendering.problems(template, kind, language)
    if found:
        raise Invalid("The template cannot be used; the built-in one stays in use.", found)


@router.get("/notifications/templates", tags=["templates"], summary="Every kind of message, its fields and overrides")
def list_templates() -> list[TemplateKind]:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    own = repository(identity).all_templates(BUILT_IN, LANGUAGES)
    return [
        TemplateKind(
            kind=kind,
            category=KINDS[kind],
            fields=sorted(known_fields(kind)),
            overridden=[language for language in LANGUAGES if (kind, language) in own],
        )
        for kind in BUILT_IN
    ]


@router.get(
    "/notifications/templates/<kind>/<language>",
    tags=["templates"],
    summary="A kind of message in one language: the built-in template and the tenant's own",
)
def get_template(kind: Kind, language: Language) -> TemplateView:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    _known(kind, language)
    own = repository(identity).templates(kind).get(language)
    return TemplateView(kind=kind, language=language, built_in=BUILT_IN[kind][language], own=own)


@router.put(
    "/notifications/templates/<kind>/<language>",
    tags=["templates"],
    summary="Use the tenant's own subject, text and HTML for a kind of message (refused, naming the field, if "
    "it does not render against a sample or uses an unknown field)",
)
def put_template(kind: Kind, language: Language, template: Template) -> TemplateView:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    _known(kind, language)
    _usable(template, kind, language)
    repository(identity).save_template(kind, language, template, identity.person_id, now())
    return TemplateView(kind=kind, language=language, built_in=BUILT_IN[kind][language], own=template)


@router.delete(
    "/notifications/templates/<kind>/<language>", tags=["templates"], summary="Back to the built-in template"
)
def delete_template(kind: Kind, language: Language) -> Response[str]:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    _known(kind, language)
    try:
        repository(identity).delete_template(kind, language)
    except ConditionFailed as failure:
        raise NotFound(f"The tenant has no template of its own for {kind} in {language}.") from failure
    return Response(204, body="")


@router.post(
    "/notifications/templates/<kind>/<language>/preview",
    tags=["templates"],
    summary="The email a template makes of a sample event, as it would be sent (nothing is saved)",
)
def preview_template(kind: Kind, language: Language, template: Template) -> Preview:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    _known(kind, language)
    _usable(template, kind, language)
    context = rendering.sample_context(kind, language)
    rendered = rendering.render(template, context)
    reader = Contact(person_id="anna", name="Anna Ek", email="anna@example.se", language=language)
    content = email_content(
        identity.tenant_id,
        reader.model_copy(update={"unsubscribe_token": "preview"}),
        rendered,
        (KINDS[kind],),
        None,
        settings().sender_email,
    )
    return Preview(subject=rendered.subject, text=content["text"], html=content["html"], sample=SAMPLES[kind])


@router.get("/notifications/settings", tags=["settings"], summary="The tenant's notification defaults and SMS sender")
def get_settings() -> TenantSettings:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    return repository(identity).settings()


@router.put(
    "/notifications/settings",
    tags=["settings"],
    summary="Set the defaults people start from (channels and frequency per category, quiet hours) and the "
    "SMS sender name",
)
def put_settings(tenant_settings: TenantSettings) -> TenantSettings:
    identity = api.identity()
    identity.require(Role.ADMIN)
    repository(identity).save_settings(tenant_settings)
    return tenant_settings


@router.get(
    "/notifications/deliveries",
    tags=["delivery log"],
    summary="What was sent to whom, on which channel, when, and what became of it; newest first",
)
def delivery_log(
    person_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="Only to this person")] = None,
    event: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{20}-[A-Za-z0-9_-]{1,160}$", description="Only of this message (a row's message_id)"),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> PageOut[Delivery]:
    identity = api.identity()
    identity.require(Role.COORDINATOR, Role.ADMIN)
    repo = repository(identity)
    if person_id is not None:
        items, next_cursor = repo.deliveries_of(person_id, event, limit, cursor)
    else:
        items, next_cursor = repo.log(event, limit, cursor)
    return PageOut[Delivery](items=items, next_cursor=next_cursor)
