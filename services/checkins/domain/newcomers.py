"""Newcomers: follow-up check-ins some time after their start, and an introduction checklist. Pure.

When a person with an employment start date joins, follow-ups are planned at the tenant's offsets from
that date (held by their line manager, or by their mentor where the tenant says so), and a checklist
is made of the tenant's general items and their unit's own. Each item is ticked with who and when.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.checkins.domain.models import LAST_DAY, HeldBy, Id, Key, Name
from services.shared.errors import Conflict, FieldProblem, Invalid, NotFound

ItemText = Annotated[str, Field(min_length=1, max_length=300)]
INTRODUCTION_THREAD = "introduction"  # a newcomer's follow-ups form one thread: what is left open carries on


class FollowUp(BaseModel):
    model_config = ConfigDict(frozen=True)
    after_days: Annotated[int, Field(ge=1, le=730, description="days after the first day of employment")]
    focus_area: Name | None = None


class ChecklistItem(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: Key
    text: ItemText


def _unique_keys(items: list[ChecklistItem], field: str) -> None:
    keys = [item.key for item in items]
    problems = [
        FieldProblem(f"body.{field}.{n}.key", f"'{key}' is used twice") for n, key in enumerate(keys) if key in keys[:n]
    ]
    if problems:
        raise Invalid("Each checklist item needs a key of its own.", problems)


class NewcomerSettings(BaseModel):
    """A tenant's introduction of newcomers: when they are followed up, by whom, and the general checklist."""

    model_config = ConfigDict(frozen=True)
    follow_ups: Annotated[list[FollowUp], Field(max_length=10)] = Field(
        default_factory=lambda: [FollowUp(after_days=14), FollowUp(after_days=90)],
        description="none: newcomers get no follow-ups",
    )
    held_by: HeldBy = Field(
        default=HeldBy.LINE_MANAGER, description="mentor: the newcomer's mentor, when they have one"
    )
    checklist: Annotated[list[ChecklistItem], Field(max_length=50)] = Field(default_factory=list)
    remind_days_before: Annotated[int, Field(ge=1, le=60)] = 7
    grace_days: Annotated[int, Field(ge=0, le=90)] = 14

    @model_validator(mode="after")
    def _checklist_keys(self) -> NewcomerSettings:
        _unique_keys(self.checklist, "checklist")
        return self


class UnitChecklist(BaseModel):
    """A unit's own introduction items, added to the general ones for newcomers of the unit."""

    model_config = ConfigDict(frozen=True)
    items: Annotated[list[ChecklistItem], Field(max_length=50)]

    @model_validator(mode="after")
    def _keys(self) -> UnitChecklist:
        _unique_keys(self.items, "items")
        return self


class Tick(BaseModel):
    model_config = ConfigDict(frozen=True)
    by: str
    at: datetime


class IntroductionItem(ChecklistItem):
    source: str = Field(description="'general', or the unit whose own item it is")
    ticked: Tick | None = None


class Introduction(BaseModel):
    """A newcomer's introduction: their follow-ups and their checklist."""

    model_config = ConfigDict(frozen=True)
    person_id: Id
    unit_id: str | None
    employment_start: date
    follow_up_ids: list[str]
    items: list[IntroductionItem]
    completed_at: datetime | None = None
    revision: int = 0

    def tick(self, key: str, ticked: bool, moment: datetime, actor: str) -> Introduction:
        if self.completed_at is not None:
            raise Conflict("The checklist is complete; it no longer changes.")
        if key not in {item.key for item in self.items}:
            raise NotFound(f"The checklist has no item '{key}'.", [FieldProblem("path.item_key", "no such item")])
        mark = Tick(by=actor, at=moment) if ticked else None
        items = [item.model_copy(update={"ticked": mark}) if item.key == key else item for item in self.items]
        done = bool(items) and all(item.ticked for item in items)
        return self.model_copy(update={"items": items, "completed_at": moment if done else None})


def follow_up_days(settings: NewcomerSettings, employment_start: date, today: date) -> list[tuple[FollowUp, date]]:
    """The follow-ups still ahead, with their due dates: a person who started long ago gets none."""
    dated = [(f, employment_start + timedelta(days=f.after_days)) for f in settings.follow_ups]
    return sorted(((f, due) for f, due in dated if due >= today), key=lambda pair: pair[1])


def checklist(
    settings: NewcomerSettings, unit_id: str | None, unit_items: UnitChecklist | None
) -> list[IntroductionItem]:
    """The general items, then the unit's own (a unit item under a general item's key stands for it)."""
    own = {item.key: item for item in unit_items.items} if unit_items and unit_id else {}
    general = [
        IntroductionItem(**item.model_dump(), source="general") for item in settings.checklist if item.key not in own
    ]
    return general + [IntroductionItem(**item.model_dump(), source=str(unit_id)) for item in own.values()]


def is_newcomer(settings: NewcomerSettings, employment_start: date, today: date) -> bool:
    """Someone whose introduction is still under way: started within the last follow-up's offset (at least
    90 days). A directory import of people who started years ago makes no introductions."""
    span = max([90, *(f.after_days for f in settings.follow_ups)])
    return today - timedelta(days=span) <= employment_start <= LAST_DAY
