"""How a person wants to be told: channels and frequency per category, and quiet hours. Pure.

A tenant sets defaults; a person overrides what they choose to, category by category. In-app is always
on. Quiet hours are wall-clock times in Stockholm, so "21:00-07:00" means that on every night,
including the two a year when the clocks change, and a window may span midnight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_serializer, field_validator, model_validator

from services.notifications.domain.catalogue import Category, Channel, Frequency
from services.shared.timezones import STOCKHOLM, to_utc


class CategoryPreference(BaseModel):
    model_config = ConfigDict(frozen=True)
    channels: frozenset[Channel] = Field(description="Besides in-app, which is always on")
    frequency: Frequency = Field(
        Frequency.IMMEDIATE, description="For email: at once, or gathered in the daily or weekly digest"
    )

    @field_serializer("channels")
    def _in_order(self, channels: frozenset[Channel]) -> list[Channel]:
        return sorted(channels)  # stored choices compare equal however the set was built


# A wall-clock time as people write it; JSON Schema's "time" format would demand seconds and an offset.
ClockTime = Annotated[
    time,
    WithJsonSchema(
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM, Stockholm time"}
    ),
]


class QuietHours(BaseModel):
    """Nothing but urgent messages between `start` and `end` (Stockholm time); `end` may be the next day."""

    model_config = ConfigDict(frozen=True)
    start: ClockTime
    end: ClockTime
    enabled: bool = True

    @field_serializer("start", "end")
    def _hours_and_minutes(self, value: time) -> str:
        return value.strftime("%H:%M")

    @field_validator("start", "end")
    @classmethod
    def _minutes(cls, value: time) -> time:
        if value.tzinfo is not None or value.second or value.microsecond:
            raise ValueError("must be HH:MM, without seconds or a time zone (Stockholm time is meant)")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("start and end are the same time; turn quiet hours off with enabled=false")
        return self

    def contains(self, moment: datetime) -> bool:
        if not self.enabled:
            return False
        local = moment.astimezone(STOCKHOLM).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight

    def ends_after(self, moment: datetime) -> datetime:
        """When the quiet hours that hold `moment` end (UTC): the first `end` wall-clock time after it.

        Built from the Stockholm date, not by adding hours, so a night 23 or 25 hours long still ends
        at the chosen time; an end the spring change skips (02:30) falls an hour later, as clocks do."""
        local = moment.astimezone(STOCKHOLM)
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        return to_utc(datetime.combine(day, self.end))


class Preferences(BaseModel):
    """A complete choice: every category, and quiet hours."""

    model_config = ConfigDict(frozen=True)
    categories: dict[Category, CategoryPreference]
    quiet_hours: QuietHours

    @model_validator(mode="after")
    def _every_category(self) -> Preferences:
        missing = set(Category) - set(self.categories)
        if missing:
            raise ValueError(f"every category needs a preference; missing: {', '.join(sorted(missing))}")
        return self

    def channels(self, category: Category) -> frozenset[Channel]:
        return self.categories[category].channels

    def frequency(self, category: Category) -> Frequency:
        return self.categories[category].frequency


class PersonalPreferences(BaseModel):
    """What a person chose; anything not chosen follows the tenant's defaults."""

    model_config = ConfigDict(frozen=True)
    categories: dict[Category, CategoryPreference] = Field(default_factory=dict)
    quiet_hours: QuietHours | None = None

    def over(self, defaults: Preferences) -> Preferences:
        return Preferences(
            categories=defaults.categories | self.categories, quiet_hours=self.quiet_hours or defaults.quiet_hours
        )

    def without_email(self, categories: set[Category], defaults: Preferences) -> PersonalPreferences:
        """The same choices with email off for `categories` (what one-click unsubscribe does)."""
        current = self.over(defaults)
        changed = {
            c: current.categories[c].model_copy(update={"channels": current.channels(c) - {Channel.EMAIL}})
            for c in categories
        }
        return self.model_copy(update={"categories": self.categories | changed})


_EMAIL = frozenset({Channel.EMAIL})
_EMAIL_AND_SMS = frozenset({Channel.EMAIL, Channel.SMS})

# What a tenant starts with: email at once, SMS for what cannot wait, managers' team news once a day.
BUILT_IN_DEFAULTS = Preferences(
    categories={
        Category.INVITATIONS: CategoryPreference(channels=_EMAIL),
        Category.SEATS: CategoryPreference(channels=_EMAIL_AND_SMS),
        Category.REMINDERS: CategoryPreference(channels=_EMAIL_AND_SMS),
        Category.PROGRESS: CategoryPreference(channels=_EMAIL),
        Category.CHECKINS: CategoryPreference(channels=_EMAIL),
        Category.CREDENTIALS: CategoryPreference(channels=_EMAIL),
        Category.TEAM: CategoryPreference(channels=_EMAIL, frequency=Frequency.DAILY),
    },
    quiet_hours=QuietHours(start=time(21), end=time(7)),
)


class TenantSettings(BaseModel):
    """A tenant's notification settings: the defaults its people start from, and its SMS sender id."""

    model_config = ConfigDict(frozen=True)
    defaults: Preferences = BUILT_IN_DEFAULTS
    sms_sender_id: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9]{3,11}$",
        description="The name an SMS comes from: 3-11 letters or digits, at least one letter",
    )

    @field_validator("sms_sender_id")
    @classmethod
    def _a_letter(cls, value: str | None) -> str | None:
        if value is not None and value.isdigit():
            raise ValueError("needs a letter: a sender id of digits only reads as a phone number")
        return value
