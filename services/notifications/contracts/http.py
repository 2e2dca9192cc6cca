"""What notifications' HTTP API takes and answers, beyond the domain's own models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.domain.catalogue import Category, Channel, Frequency
from services.notifications.domain.messages import Template
from services.notifications.domain.models import Contact
from services.notifications.domain.preferences import PersonalPreferences, Preferences, QuietHours


class PreferencesIn(PersonalPreferences):
    """Your choices: the categories you name, and quiet hours if you give them; the rest follows your
    organisation's defaults. A PUT replaces what you chose before."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Reach(StrEnum):
    OK = "ok"
    MISSING = "missing"  # the directory has no address (or number) for you
    SUPPRESSED = "suppressed"  # your address bounced or reported our mail as spam: in-app (and SMS) until it changes


class CategoryChoice(BaseModel):
    channels: list[Channel] = Field(description="Besides in-app, which is always on")
    frequency: Frequency
    yours: bool = Field(description="You chose it; otherwise your organisation's default")


class PreferencesOut(BaseModel):
    categories: dict[Category, CategoryChoice]
    quiet_hours: QuietHours
    quiet_hours_yours: bool
    email: Reach
    sms: Reach

    @classmethod
    def of(cls, contact: Contact, defaults: Preferences) -> PreferencesOut:
        effective = contact.preferences.over(defaults)
        return cls(
            categories={
                c: CategoryChoice(
                    channels=sorted(effective.channels(c)),
                    frequency=effective.frequency(c),
                    yours=c in contact.preferences.categories,
                )
                for c in Category
            },
            quiet_hours=effective.quiet_hours,
            quiet_hours_yours=contact.preferences.quiet_hours is not None,
            email=Reach.SUPPRESSED if contact.suppressed else Reach.OK if contact.email else Reach.MISSING,
            sms=Reach.OK if contact.mobile else Reach.MISSING,
        )


class FeedLink(BaseModel):
    url: str = Field(description="Subscribe to it from Outlook or Google Calendar; keep it to yourself")


class TemplateKind(BaseModel):
    kind: str
    category: Category
    fields: list[str] = Field(description="What a template of this kind may use")
    overridden: list[str] = Field(description="Languages the tenant has its own template in")


class TemplateView(BaseModel):
    kind: str
    language: str
    built_in: Template
    own: Template | None = Field(description="The tenant's own, used instead of the built-in one")


class Preview(BaseModel):
    subject: str
    text: str = Field(description="The plain-text part, as sent")
    html: str = Field(description="The HTML part, as sent")
    sample: dict[str, object] = Field(description="The sample event it was rendered against")
