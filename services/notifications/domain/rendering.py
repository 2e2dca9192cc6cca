"""Templates made into messages: subject, text, HTML and SMS, with Jinja2. Pure.

Every template, ours and a tenant's, runs in Jinja's immutable sandbox with undefined names an error;
HTML is autoescaped, so a name with `<` in it stays text. The email around a message (the link to
Ledarlyft, why you get it, one-click unsubscribe) is ours and a tenant cannot remove it.
Jinja is imported where it is first used: the functions importing this module start without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from services.notifications.domain.catalogue import CATEGORY_NAMES, Category
from services.notifications.domain.messages import SAMPLES, Template, fields, known_fields
from services.notifications.domain.models import Notification
from services.shared.errors import FieldProblem

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

SMS_LIMIT = 300  # two SMS segments at most


class Rendered(BaseModel):
    model_config = ConfigDict(frozen=True)
    subject: str
    text: str
    html: str  # the message's own part; `email_html` puts it in the email
    sms: str


class RenderFailed(Exception):
    """A template that does not render against this event: the caller falls back to the built-in one."""


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


@cache
def _environment(html: bool) -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=html, undefined=StrictUndefined, finalize=_blank_none)


@cache
def _compiled(source: str, html: bool) -> Any:
    return _environment(html).from_string(source)


def _paragraphs(text: str) -> str:
    from markupsafe import Markup, escape

    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return str(
        Markup("").join(
            Markup("<p>{}</p>\n").format(Markup("<br>\n").join(escape(line) for line in block.splitlines()))
            for block in blocks
        )
    )


def render(template: Template, context: Mapping[str, Any], sms: str | None = None) -> Rendered:
    """`sms`: the SMS line's template (the built-in one's; a tenant writes emails); else the subject."""
    from jinja2 import TemplateError

    try:
        subject = " ".join(_compiled(template.subject, False).render(context).split())
        text = _compiled(template.text, False).render(context).strip()
        html = _compiled(template.html, True).render(context) if template.html else _paragraphs(text)
        sms = " ".join(_compiled(sms, False).render(context).split()) if sms else subject
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError) as error:
        raise RenderFailed(f"{type(error).__name__}: {error}") from error
    return Rendered(subject=subject, text=text, html=html, sms=sms[:SMS_LIMIT])


def problems(template: Template, kind: str, language: str) -> list[FieldProblem]:
    """Why a tenant's template for `kind` cannot be used, each naming the part (`body.html`) and the field."""
    from jinja2 import TemplateSyntaxError, meta

    found: list[FieldProblem] = []
    known = known_fields(kind)
    for part, html in (("subject", False), ("text", False), ("html", True)):
        source = getattr(template, part)
        if source is None:
            continue
        try:
            parsed = _environment(html).parse(source)
        except TemplateSyntaxError as error:
            found.append(FieldProblem(f"body.{part}", f"does not parse: {error.message} (line {error.lineno})"))
            continue
        for name in sorted(meta.find_undeclared_variables(parsed) - known):
            found.append(
                FieldProblem(f"body.{part}", f"uses the unknown field '{name}'; known: {', '.join(sorted(known))}")
            )
    if not found:
        try:
            render(template, sample_context(kind, language))
        except RenderFailed as failure:
            found.append(FieldProblem("body", f"does not render against a sample {kind}: {failure}"))
    return found


def sample_context(kind: str, language: str) -> dict[str, Any]:
    return fields(SAMPLES[kind], language) | {
        "recipient_name": "Anna Ek",
        "app_url": "https://app.ledarlyft.se",
        "language": language,
    }


@dataclass(frozen=True)
class Footer:
    """What every email ends with: why you get it, and how to stop it."""

    app_url: str
    unsubscribe_url: str | None
    categories: tuple[Category, ...]  # what the email is about: one, or a digest's


_FOOTER = {
    "sv": (
        "Öppna Ledarlyft",
        "Du får det här för att du vill ha e-post om {what}.",
        "Avsluta e-post om {what}",
        "Ändra dina val",
    ),
    "en": (
        "Open Ledarlyft",
        "You get this because you chose email about {what}.",
        "Stop email about {what}",
        "Change your choices",
    ),
}

_LAYOUT = """<!DOCTYPE html>
<html lang="{{ language }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{ subject }}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f2;font-family:Helvetica,Arial,sans-serif;color:#1d1d1b">
<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px;line-height:1.5">
{{ content }}
<p><a href="{{ app_url }}" style="color:#0b5d4f;font-weight:bold">{{ open_label }}</a></p>
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#5f5f5a">{{ why }}
{% if unsubscribe_url %}<a href="{{ unsubscribe_url }}" style="color:#5f5f5a">{{ stop_label }}</a> · {% endif %}
<a href="{{ settings_url }}" style="color:#5f5f5a">{{ settings_label }}</a></p>
</body>
</html>
"""


def _what(categories: Iterable[Category], language: str) -> str:
    names = CATEGORY_NAMES.get(language, CATEGORY_NAMES["sv"])
    return ", ".join(names[c] for c in categories)


def email_html(subject: str, content_html: str, footer: Footer, language: str) -> str:
    from markupsafe import Markup

    open_label, why, stop, settings = _FOOTER.get(language, _FOOTER["sv"])
    what = _what(footer.categories, language)
    return str(
        _compiled(_LAYOUT, True).render(
            language=language,
            subject=subject,
            content=Markup(content_html),  # rendered autoescaped already
            app_url=footer.app_url,
            open_label=open_label,
            why=why.format(what=what),
            unsubscribe_url=footer.unsubscribe_url,
            stop_label=stop.format(what=what),
            settings_url=f"{footer.app_url}/settings/notifications",
            settings_label=settings,
        )
    )


def email_text(text: str, footer: Footer, language: str) -> str:
    open_label, why, stop, settings = _FOOTER.get(language, _FOOTER["sv"])
    what = _what(footer.categories, language)
    lines = [text, "", "-- ", f"{open_label}: {footer.app_url}", why.format(what=what)]
    if footer.unsubscribe_url:
        lines.append(f"{stop.format(what=what)}: {footer.unsubscribe_url}")
    lines.append(f"{settings}: {footer.app_url}/settings/notifications")
    return "\n".join(lines) + "\n"


_DIGEST_SUBJECT = {  # (one message, several)
    "sv": {
        "daily": ("Ledarlyft i dag: 1 nytt meddelande", "Ledarlyft i dag: {count} nya meddelanden"),
        "weekly": ("Ledarlyft i veckan: 1 nytt meddelande", "Ledarlyft i veckan: {count} nya meddelanden"),
    },
    "en": {
        "daily": ("Ledarlyft today: 1 new message", "Ledarlyft today: {count} new messages"),
        "weekly": ("Ledarlyft this week: 1 new message", "Ledarlyft this week: {count} new messages"),
    },
}

_DIGEST_HTML = """{% for name, notes in sections %}<h2 style="font-size:16px;margin:24px 0 8px">{{ name }}</h2>
{% for note in notes %}<p><strong>{{ note.subject }}</strong><br>
{{ note.html }}</p>
{% endfor %}{% endfor %}"""


def digest(notes: list[Notification], frequency: str, language: str) -> tuple[Rendered, tuple[Category, ...]]:
    """One email of what waited, grouped by category in the catalogue's order; and the categories in it."""
    from markupsafe import Markup

    names = CATEGORY_NAMES.get(language, CATEGORY_NAMES["sv"])
    order = list(Category)
    by_category: dict[Category, list[Notification]] = {}
    for note in sorted(notes, key=lambda n: (order.index(n.category or Category.PROGRESS), n.notification_id)):
        by_category.setdefault(note.category or Category.PROGRESS, []).append(note)
    text = "\n\n".join(
        f"{names[c].upper()}\n\n" + "\n\n".join(f"{n.subject}\n{n.body}" for n in group)
        for c, group in by_category.items()
    )
    sections = [
        (names[c].capitalize(), [{"subject": n.subject, "html": Markup(_paragraphs(n.body))} for n in group])
        for c, group in by_category.items()
    ]
    html = _compiled(_DIGEST_HTML, True).render(sections=sections)
    one, several = _DIGEST_SUBJECT.get(language, _DIGEST_SUBJECT["sv"])[frequency]
    subject = one if len(notes) == 1 else several.format(count=len(notes))
    return Rendered(subject=subject, text=text, html=html, sms=subject), tuple(by_category)
